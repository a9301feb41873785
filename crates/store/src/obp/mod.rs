//! The SQL behind finhub_core::obp: one file per area.

mod accounts;
mod attributes;
mod customers;
mod engage;
mod kyc;
mod links;
mod profile;
mod users;

use finhub_core::clock::from_micros;
use finhub_core::CoreError;

/// A stored value the OBP types cannot read back.
pub(crate) fn bad(what: &str) -> CoreError {
    CoreError::Internal(format!("a stored OBP row has a bad {what}"))
}

pub(crate) fn flag(b: bool) -> i64 {
    i64::from(b)
}

pub(crate) fn time(t: Option<i64>) -> Option<chrono::DateTime<chrono::Utc>> {
    t.map(from_micros)
}

//! The SQL behind finhub_core::konaplate: one file per area.

mod bank;
mod cards;
mod charging;
mod exchanges;
mod members;
mod projects;

use finhub_core::konaplate::ids::UserId;
use finhub_core::CoreError;

/// A stored value the platform's types cannot read back.
pub(crate) fn bad(what: &str) -> CoreError {
    CoreError::Internal(format!("a stored Konaplate row has a bad {what}"))
}

pub(crate) fn flag(b: bool) -> i64 {
    i64::from(b)
}

/// A user id as stored (ids beyond i64 cannot exist: none is ever issued).
pub(crate) fn uid(u: UserId) -> i64 {
    i64::try_from(u.0).unwrap_or(-1)
}

pub(crate) fn user(v: i64) -> UserId {
    UserId(u64::try_from(v).unwrap_or(0))
}

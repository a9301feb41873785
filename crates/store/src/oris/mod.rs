//! The SQL behind finhub_core::oris: one file per area of the registry.

mod batch;
mod board;
mod remit;
mod staff;
mod terms;

use finhub_core::CoreError;

/// A stored value the registry's types cannot read back.
pub(crate) fn bad(what: &str) -> CoreError {
    CoreError::Internal(format!("a stored ORIS row has a bad {what}"))
}

pub(crate) fn flag(b: bool) -> i64 {
    i64::from(b)
}

//! The core's one error type. Faces map it to their own envelopes at the edge.

use crate::ledger::Rejection;

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("invalid input: {0}")]
    Invalid(String),
    #[error("conflict: {0}")]
    Conflict(String),
    /// The same idempotency key was used with different content.
    #[error("idempotency key reused with different content")]
    IdempotencyMismatch,
    /// A business rule refused a money movement; nothing moved.
    #[error("transfer rejected: {0:?}")]
    Rejected(Rejection),
    /// The database is unreachable or timed out; safe to retry.
    #[error("store unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

pub type CoreResult<T> = Result<T, CoreError>;

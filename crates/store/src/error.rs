use finhub_core::CoreError;

/// Map a database error to the core's error. Unique constraints are the
/// arbiter of duplicates: their name travels in the `Conflict`.
/// PostgreSQL's SQLSTATE for a character its encoding cannot hold (a NUL in
/// text): the input's fault, like a check violation.
const BAD_CHARACTER: &str = "22021";

pub fn map_err(e: sqlx::Error) -> CoreError {
    match &e {
        sqlx::Error::RowNotFound => CoreError::NotFound("row"),
        sqlx::Error::Database(db) => {
            if db.is_unique_violation() {
                let name = db
                    .constraint()
                    .map(str::to_owned)
                    .unwrap_or_else(|| unique_target(db.message()));
                CoreError::Conflict(name)
            } else if db.is_check_violation()
                || db.is_foreign_key_violation()
                || db.code().as_deref() == Some(BAD_CHARACTER)
            {
                CoreError::Invalid(db.message().to_owned())
            } else if is_busy(db.message()) || is_outage(db.code().as_deref()) {
                CoreError::Unavailable(db.message().to_owned())
            } else {
                CoreError::Internal(db.message().to_owned())
            }
        }
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_) => CoreError::Unavailable(e.to_string()),
        sqlx::Error::Protocol(_) | sqlx::Error::WorkerCrashed => {
            CoreError::Unavailable(e.to_string())
        }
        _ => CoreError::Internal(e.to_string()),
    }
}

/// A transaction the database aborted to break a lock cycle (PostgreSQL's
/// deadlock, or a serialization failure): nothing of it was written, and
/// the same work again is expected to pass. Ledger writers on several
/// nodes lock in one order, so this is rare; the writer retries it.
pub(crate) fn is_retryable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => matches!(db.code().as_deref(), Some("40P01" | "40001")),
        _ => false,
    }
}

/// PostgreSQL's SQLSTATE classes for a server that is going, gone or full
/// (08 connection exception, 57P admin/crash shutdown or starting up, 53
/// insufficient resources): a retry later may succeed, nothing is wrong
/// with the request. (SQLSTATEs are five characters; SQLite's numeric codes
/// such as 531 must not match.)
fn is_outage(code: Option<&str>) -> bool {
    code.is_some_and(|c| {
        c.len() == 5 && (c.starts_with("08") || c.starts_with("57P") || c.starts_with("53"))
    })
}

fn is_busy(msg: &str) -> bool {
    msg.contains("database is locked")
        || msg.contains("terminating connection")
        || msg.contains("shutting down")
}

/// SQLite names the columns, not the constraint: "UNIQUE constraint failed: people.ci".
fn unique_target(msg: &str) -> String {
    let cols = msg.rsplit(": ").next().unwrap_or(msg);
    match cols {
        "people.ci" => "people_ci_key".into(),
        "people.phone" => "people_phone_key".into(),
        "accounts.org_code, accounts.account_num" => "accounts_number_key".into(),
        other => other.replace(", ", "_").replace('.', "_") + "_key",
    }
}

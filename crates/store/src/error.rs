use finhub_core::CoreError;

/// Map a database error to the core's error. Unique constraints are the
/// arbiter of duplicates: their name travels in the `Conflict`.
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
            } else if db.is_check_violation() || db.is_foreign_key_violation() {
                CoreError::Invalid(db.message().to_owned())
            } else if is_busy(db.message()) {
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

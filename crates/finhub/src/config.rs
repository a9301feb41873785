//! Settings from `FINHUB_*` environment variables (clap reads them).

use clap::ValueEnum;

pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
pub const DEFAULT_DATABASE_URL: &str = "sqlite://finhub.db";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum LogFormat {
    #[default]
    Pretty,
    Json,
}

/// FINHUB_ROW_CACHE=off stops the store keeping accounts, registrations,
/// contracts and institutions in memory. Not needed for several nodes on
/// one PostgreSQL (each request first checks the copies against the
/// database: finhub_store's `coherence`); it trades speed for memory.
pub fn row_cache() -> bool {
    !matches!(
        std::env::var("FINHUB_ROW_CACHE").as_deref(),
        Ok("off" | "0" | "false" | "no")
    )
}

/// FINHUB_DB_POOL: the most database connections this node's read pool
/// opens (its ledger writer holds one more). Unset or 0: four per CPU,
/// between 4 and 32. Several nodes on one PostgreSQL share its
/// `max_connections`, so size each node below that divided by the nodes.
pub fn db_pool() -> Result<u32, String> {
    match std::env::var("FINHUB_DB_POOL") {
        Err(_) => Ok(0),
        Ok(v) => v
            .trim()
            .parse()
            .map_err(|_| format!("FINHUB_DB_POOL must be a number of connections, not {v:?}")),
    }
}

/// FINHUB_DB_ACQUIRE_SECS: how long a request waits for a database
/// connection before it answers "unavailable" (default 5). On a failover
/// formation, above the failover time (about 6 s) requests wait it out.
pub fn db_acquire_timeout() -> Result<std::time::Duration, String> {
    match std::env::var("FINHUB_DB_ACQUIRE_SECS") {
        Err(_) => Ok(std::time::Duration::from_secs(5)),
        Ok(v) => match v.trim().parse::<u64>() {
            Ok(n) if n > 0 => Ok(std::time::Duration::from_secs(n)),
            _ => Err(format!(
                "FINHUB_DB_ACQUIRE_SECS must be a whole number of seconds above 0, not {v:?}"
            )),
        },
    }
}

/// FINHUB_ORIS_LAX_SCOPES=on lets an ORIS token with the `inquiry` scope
/// call what needs `report` or `admin` (oris-sandbox.md: opt-in only).
pub fn oris_lax_scopes() -> bool {
    matches!(
        std::env::var("FINHUB_ORIS_LAX_SCOPES").as_deref(),
        Ok("on" | "1" | "true" | "yes")
    )
}

/// FINHUB_OBP_SUPER_ADMIN_USERNAMES, FINHUB_OBP_NEW_USER_ENTITLEMENTS and
/// FINHUB_OBP_ALLOW_CUSTOMER_FIREHOSE (obp-sandbox.md, "Configuration").
/// A new-user role that is unknown or bank-level stops the start.
pub fn obp() -> Result<finhub_core::obp::ObpConfig, String> {
    let list = |name: &str| -> Vec<String> {
        std::env::var(name)
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let c = finhub_core::obp::ObpConfig {
        super_admin_usernames: list("FINHUB_OBP_SUPER_ADMIN_USERNAMES"),
        new_user_entitlements: list("FINHUB_OBP_NEW_USER_ENTITLEMENTS"),
        allow_customer_firehose: !matches!(
            std::env::var("FINHUB_OBP_ALLOW_CUSTOMER_FIREHOSE").as_deref(),
            Ok("off" | "0" | "false" | "no")
        ),
    };
    c.check()?;
    Ok(c)
}

/// Logs go to stderr so stdout stays clean for `--json` output.
/// FINHUB_LOG picks the format, RUST_LOG the filter (default info).
/// A thread of their own writes the lines, so a request only formats its
/// line into a queue and never waits on stderr; should the writer fall
/// 128,000 lines behind, requests wait rather than lose lines. Keep the
/// guard until exit: dropping it writes out what is queued.
pub fn init_tracing(format: LogFormat) -> tracing_appender::non_blocking::WorkerGuard {
    use tracing_subscriber::EnvFilter;
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(false)
        .finish(std::io::stderr());
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=error"));
    let b = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer);
    let _ = match format {
        LogFormat::Json => b.json().flatten_event(true).try_init(),
        LogFormat::Pretty => b.try_init(),
    };
    guard
}

use crate::failover;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::time::Duration;

/// Run the same body on whichever pool the store holds; the body is
/// type-checked once per backend.
#[macro_export]
macro_rules! on_db {
    ($db:expr, $p:ident => $body:expr) => {
        match $db {
            $crate::Db::Sqlite($p) => $body,
            $crate::Db::Pg($p) => $body,
        }
    };
}

/// Prepared statements the ledger writer's connection keeps: its multi-row
/// statements differ in text with the batch size, so sqlx's default (100)
/// re-prepared them again and again.
const WRITER_STATEMENTS: usize = 2048;

#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Pg(PgPool),
}

#[derive(Clone, Debug)]
pub struct StoreOptions {
    /// Read/ordinary-write pool size; 0 picks one from the machine.
    pub max_connections: u32,
    /// Most transfers the ledger writer applies in one database transaction.
    pub max_batch: usize,
    /// Durability: `full` (default) waits for the disk on every commit.
    /// `normal` is faster and may lose the last commits on power loss.
    pub sqlite_synchronous_full: bool,
    pub acquire_timeout: Duration,
    /// PostgreSQL schema to use (tests give each database its own).
    pub pg_schema: Option<String>,
    /// Keep accounts, registrations, contracts and institutions in memory
    /// (see the `cache` module). Sound with several processes on one
    /// PostgreSQL too: each request fences first (see `coherence`).
    pub row_cache: bool,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            max_connections: 0,
            max_batch: 512,
            sqlite_synchronous_full: true,
            acquire_timeout: Duration::from_secs(5),
            pg_schema: None,
            row_cache: true,
        }
    }
}

impl Db {
    /// Open the read pool and the writer's own one-connection pool.
    pub async fn connect(url: &str, opts: &StoreOptions) -> Result<(Db, Db), sqlx::Error> {
        let cpus = std::thread::available_parallelism()
            .map(|n| n.get() as u32)
            .unwrap_or(2);
        let max = if opts.max_connections == 0 {
            (cpus * 4).clamp(4, 32)
        } else {
            opts.max_connections
        };
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let schema = |co: PgConnectOptions| match &opts.pg_schema {
                Some(schema) => co.options([("search_path", schema.as_str())]),
                None => co,
            };
            let pool = |n: u32| {
                PgPoolOptions::new()
                    .max_connections(n)
                    .acquire_timeout(opts.acquire_timeout)
                    .test_before_acquire(false)
            };
            let (read, writer) = match failover::Formation::parse(url)? {
                // Several hosts (a failover formation): the writable one, and
                // a watchdog that follows a promotion.
                Some(f) => f.connect(schema, pool, (max, 1)).await?,
                None => {
                    let co = schema(PgConnectOptions::from_str(url)?);
                    let writer = pool(1)
                        .connect_lazy_with(co.clone().statement_cache_capacity(WRITER_STATEMENTS));
                    (pool(max).connect_lazy_with(co), writer)
                }
            };
            // Fail fast on a bad URL rather than at the first request.
            sqlx::query("SELECT 1").execute(&read).await?;
            Ok((Db::Pg(read), Db::Pg(writer)))
        } else {
            let co = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(if opts.sqlite_synchronous_full {
                    SqliteSynchronous::Full
                } else {
                    SqliteSynchronous::Normal
                })
                .busy_timeout(Duration::from_secs(5))
                .foreign_keys(true)
                .pragma("temp_store", "memory")
                .pragma("cache_size", "-65536");
            let read = SqlitePoolOptions::new()
                .max_connections(max)
                .acquire_timeout(opts.acquire_timeout)
                .connect_with(co.clone())
                .await?;
            let writer = SqlitePoolOptions::new()
                .max_connections(1)
                .acquire_timeout(opts.acquire_timeout)
                .connect_with(co)
                .await?;
            Ok((Db::Sqlite(read), Db::Sqlite(writer)))
        }
    }

    pub async fn migrate(&self) -> Result<(), sqlx::Error> {
        let m = sqlx::migrate!("./migrations");
        match self {
            Db::Sqlite(p) => m.run(p).await?,
            Db::Pg(p) => m.run(p).await?,
        }
        Ok(())
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite(p) => p.close().await,
            Db::Pg(p) => p.close().await,
        }
    }
}

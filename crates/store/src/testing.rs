//! Fresh stores for tests: a new SQLite file, or a new PostgreSQL schema when
//! `FINHUB_TEST_DATABASE_URL` is set, so tests run in parallel.

use crate::{Store, StoreOptions};
use finhub_core::clock::Clock;

/// A store that lives as long as the value (its SQLite file is removed on drop).
pub struct TestStore {
    pub store: Store,
    pub url: String,
    pub opts: StoreOptions,
    _dir: Option<TempDir>,
}

pub struct TempDir(pub std::path::PathBuf);
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn pg_test_url() -> Option<String> {
    std::env::var("FINHUB_TEST_DATABASE_URL")
        .ok()
        .filter(|s| !s.is_empty())
}

/// Where a test's database lives: (url, options, temp dir to keep alive).
pub async fn fresh_database() -> (String, StoreOptions, Option<TempDir>) {
    let tag = uuid::Uuid::new_v4().simple().to_string();
    match pg_test_url() {
        Some(url) => {
            let schema = format!("t_{}", &tag[..16]);
            let admin = sqlx::PgPool::connect(&url)
                .await
                .expect("connect to FINHUB_TEST_DATABASE_URL");
            sqlx::query(&format!("CREATE SCHEMA {schema}"))
                .execute(&admin)
                .await
                .expect("create schema");
            admin.close().await;
            let opts = StoreOptions {
                pg_schema: Some(schema),
                max_connections: 8,
                ..Default::default()
            };
            (url, opts, None)
        }
        None => {
            let dir = std::env::temp_dir().join(format!("finhub-test-{tag}"));
            std::fs::create_dir_all(&dir).expect("temp dir");
            let url = format!("sqlite://{}", dir.join("finhub.db").display());
            (url, StoreOptions::default(), Some(TempDir(dir)))
        }
    }
}

impl TestStore {
    pub async fn new() -> TestStore {
        Self::with_clock(Clock::system()).await
    }

    pub async fn with_clock(clock: Clock) -> TestStore {
        let (url, opts, dir) = fresh_database().await;
        let store = Store::open(&url, opts.clone(), clock)
            .await
            .expect("open test store");
        TestStore {
            store,
            url,
            opts,
            _dir: dir,
        }
    }
}

/// A whole PostgreSQL database of its own, for a test that hands a URL to
/// another process (the server binary takes a URL, not a schema).
pub struct PgDatabase {
    pub url: String,
    pub name: String,
    admin_url: String,
}

impl PgDatabase {
    /// Create `name` (dropped first if a failed run left it) on the server
    /// of `base_url`; the returned URL points at it.
    pub async fn create(base_url: &str, name: &str) -> PgDatabase {
        assert!(
            name.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
            "database name {name:?}"
        );
        let (path, query) = match base_url.split_once('?') {
            Some((p, q)) => (p, format!("?{q}")),
            None => (base_url, String::new()),
        };
        let root = path.rsplit_once('/').map(|(r, _)| r).unwrap_or(path);
        let admin = sqlx::PgPool::connect(base_url)
            .await
            .expect("connect to FINHUB_TEST_DATABASE_URL");
        for sql in [
            format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            format!("CREATE DATABASE {name}"),
        ] {
            sqlx::query(&sql).execute(&admin).await.expect(&sql);
        }
        admin.close().await;
        PgDatabase {
            url: format!("{root}/{name}{query}"),
            name: name.to_owned(),
            admin_url: base_url.to_owned(),
        }
    }

    /// Wait until no session but this one's is connected to the database.
    /// A client killed after sending COMMIT leaves a backend that may still
    /// commit: a reader that starts earlier can see half of what follows.
    pub async fn wait_for_sessions_to_end(&self, timeout: std::time::Duration) -> bool {
        let Ok(admin) = sqlx::PgPool::connect(&self.admin_url).await else {
            return false;
        };
        let t0 = std::time::Instant::now();
        let gone = loop {
            let n: Result<i64, _> = sqlx::query_scalar(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
            )
            .bind(&self.name)
            .fetch_one(&admin)
            .await;
            match n {
                Ok(0) => break true,
                _ if t0.elapsed() > timeout => break false,
                _ => tokio::time::sleep(std::time::Duration::from_millis(20)).await,
            }
        };
        admin.close().await;
        gone
    }

    /// Terminate every other session on the database (what a PostgreSQL
    /// failover or an idle-session killer does to a server's pools); returns
    /// how many were terminated.
    pub async fn terminate_sessions(&self) -> u64 {
        let admin = sqlx::PgPool::connect(&self.admin_url)
            .await
            .expect("connect to FINHUB_TEST_DATABASE_URL");
        let n: Vec<bool> = sqlx::query_scalar(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
        )
        .bind(&self.name)
        .fetch_all(&admin)
        .await
        .expect("pg_terminate_backend");
        admin.close().await;
        n.into_iter().filter(|t| *t).count() as u64
    }

    /// Drop the database (FORCE: a killed server's sessions may linger).
    pub async fn drop_database(self) {
        if let Ok(admin) = sqlx::PgPool::connect(&self.admin_url).await {
            let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
            if let Err(e) = sqlx::query(&sql).execute(&admin).await {
                eprintln!("could not drop test database {}: {e}", self.name);
            }
            admin.close().await;
        }
    }
}

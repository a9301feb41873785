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

//! A fresh, empty finhub store for one measurement: a new SQLite file
//! (WAL, synchronous=FULL) or a new PostgreSQL schema, removed afterwards.

use finhub_core::clock::Clock;
use finhub_core::institution::default_institutions;
use finhub_core::repo::InstitutionRepo;
use finhub_store::{on_db, Store, StoreOptions};
use serde_json::{json, Value};
use std::path::PathBuf;

pub struct Fresh {
    pub store: Store,
    pub backend: &'static str,
    pg: Option<(String, String)>,
    dir: Option<PathBuf>,
}

/// `backend` is "sqlite" or "postgres"; `pg_url` is the server's URL.
pub async fn open(backend: &str, pg_url: &str, tmp: &std::path::Path) -> Result<Fresh, String> {
    open_with(backend, pg_url, tmp, StoreOptions::default()).await
}

/// As `open`, with the store's options (pool size and the like).
pub async fn open_with(
    backend: &str,
    pg_url: &str,
    tmp: &std::path::Path,
    mut opts: StoreOptions,
) -> Result<Fresh, String> {
    let tag = uuid::Uuid::new_v4().simple().to_string();
    let (url, backend, pg, dir) = match backend {
        "sqlite" => {
            let dir = tmp.join(format!("finhub-bench-{}", &tag[..12]));
            std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
            let url = format!("sqlite://{}", dir.join("finhub.db").display());
            (url, "sqlite", None, Some(dir))
        }
        "postgres" => {
            let schema = format!("bench_{}", &tag[..12]);
            let admin = sqlx::PgPool::connect(pg_url)
                .await
                .map_err(|e| format!("{pg_url}: {e}"))?;
            sqlx::query(&format!("CREATE SCHEMA {schema}"))
                .execute(&admin)
                .await
                .map_err(|e| e.to_string())?;
            admin.close().await;
            opts.pg_schema = Some(schema.clone());
            (
                pg_url.to_owned(),
                "postgres",
                Some((pg_url.to_owned(), schema)),
                None,
            )
        }
        other => return Err(format!("unknown backend {other:?} (sqlite|postgres)")),
    };
    let store = Store::open(&url, opts, Clock::system())
        .await
        .map_err(|e| format!("open {backend}: {e}"))?;
    for i in default_institutions() {
        store
            .upsert_institution(&i)
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(Fresh {
        store,
        backend,
        pg,
        dir,
    })
}

impl Fresh {
    /// The durability settings in force, as the store's own connections see them.
    pub async fn durability(&self) -> Result<Value, String> {
        let v = on_db!(self.store.db(), p => {
            if self.backend == "sqlite" {
                let sync: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(p).await.map_err(|e| e.to_string())?;
                let journal: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(p).await.map_err(|e| e.to_string())?;
                json!({"backend": "sqlite", "synchronous": if sync == 2 { "FULL".to_string() } else { sync.to_string() }, "journal_mode": journal,
                       "durable": sync >= 2})
            } else {
                let sc: String = sqlx::query_scalar("SHOW synchronous_commit").fetch_one(p).await.map_err(|e| e.to_string())?;
                let fsync: String = sqlx::query_scalar("SHOW fsync").fetch_one(p).await.map_err(|e| e.to_string())?;
                json!({"backend": "postgres", "synchronous_commit": sc, "fsync": fsync, "durable": sc == "on" && fsync == "on"})
            }
        });
        Ok(v)
    }

    pub async fn cleanup(self) {
        self.store.db().close().await;
        if let Some((url, schema)) = &self.pg {
            if let Ok(admin) = sqlx::PgPool::connect(url).await {
                let _ = sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
                    .execute(&admin)
                    .await;
                admin.close().await;
            }
        }
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

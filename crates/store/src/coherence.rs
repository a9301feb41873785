//! Several nodes on one PostgreSQL: keeping each node's in-memory copies
//! (rows, the revocation set, the world clock) true to what other nodes
//! committed.
//!
//! Every change to a cached table bumps a version in `cluster_epochs`, in
//! the same transaction: PostgreSQL triggers do it, so a write from any
//! process (another node, `finhub seed`, an operator's psql) is seen. Before
//! a request runs, its node reads those versions once (the fence) and drops
//! the copies whose version moved. So a request that starts after another
//! node acknowledged a write sees that write: no bounded staleness, for
//! money rules, revocation and balances alike.
//!
//! The fence costs one small query per request, shared: a request waits for
//! a read that *started* after it arrived, so under load one query serves
//! every request that arrived while the previous one was out.
//!
//! Balance updates by the ledger writer bump a row of the writer's own
//! (`writer:<node>`), never a shared one: writers on different nodes take no
//! lock in common. A node ignores its own writer's row (its writer updates
//! its copies before answering).
//!
//! A fence that cannot read the versions (the database is away) does not
//! refuse the request: it runs `without_copies`, reading the database
//! itself, so the face answers as it answers any outage.
//!
//! On SQLite the store is one process's file: the fence is a no-op.

use crate::map_err;
use crate::{Caches, Db};
use finhub_core::clock::Clock;
use finhub_core::CoreResult;
use futures::future::BoxFuture;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tokio::sync::watch;

tokio::task_local! {
    /// Set for a request whose fence could not read the versions.
    static UNVERIFIED: ();
}

/// Run `f` (a request whose fence failed) with this node's row copies out
/// of play: every read goes to the database, so the request answers what
/// the database answers (an outage in its face's own words), never what a
/// copy that may be stale says.
pub async fn without_copies<F: std::future::Future>(f: F) -> F::Output {
    UNVERIFIED.scope((), f).await
}

/// True inside [`without_copies`].
pub(crate) fn copies_unverified() -> bool {
    UNVERIFIED.try_with(|_| ()).is_ok()
}

/// A row kind's version name in `cluster_epochs`.
pub mod epoch {
    pub const ACCOUNTS: &str = "accounts";
    pub const INSTITUTIONS: &str = "institutions";
    pub const CONSENTS: &str = "consents";
    pub const REGISTRATIONS: &str = "registrations";
    pub const CONTRACTS: &str = "contracts";
    pub const REVOCATIONS: &str = "revocations";
    pub const SETTINGS: &str = "settings";
    pub(crate) const ALL: [&str; 7] = [
        ACCOUNTS,
        INSTITUTIONS,
        CONSENTS,
        REGISTRATIONS,
        CONTRACTS,
        REVOCATIONS,
        SETTINGS,
    ];
}

/// What to run when a kind of row changed elsewhere (reload a set kept
/// outside the store, such as the OAuth revocation set).
pub type Hook = Arc<HookFn>;
pub type HookFn = dyn Fn() -> BoxFuture<'static, CoreResult<()>> + Send + Sync;

/// The settings row that holds the world clock's offset from real time.
pub const CLOCK_SETTING: &str = "world_clock_offset_us";

pub(crate) struct Coherence {
    /// This process's ledger writer's row: `writer:<uuid>`.
    pub(crate) node: String,
    seen: parking_lot::Mutex<HashMap<String, i64>>,
    /// Held weakly: a hook reaches back into this store (the OAuth server's
    /// repository is the store), so the caller keeps it alive for as long
    /// as it serves, and a store no one holds can still be dropped.
    hooks: parking_lot::RwLock<Vec<(&'static str, std::sync::Weak<HookFn>)>>,
    /// Fences started so far (ids 1, 2, ...).
    started: AtomicU64,
    /// The id of the newest fence that finished; every finish (or
    /// abandonment) wakes the waiters.
    done: watch::Sender<u64>,
    leader: tokio::sync::Mutex<()>,
}

/// The lead of a fence. However it ends (a dropped request future
/// included) it frees the lead and only then wakes the waiters: one woken
/// while the lead was still held would find it taken and sleep again, with
/// maybe nobody left to wake it.
struct Lead<'a> {
    held: Option<tokio::sync::MutexGuard<'a, ()>>,
    done: &'a watch::Sender<u64>,
}

impl Drop for Lead<'_> {
    fn drop(&mut self) {
        self.held.take();
        self.done.send_modify(|_| {});
    }
}

impl Coherence {
    pub(crate) fn new() -> Coherence {
        Coherence {
            node: format!("writer:{}", uuid::Uuid::new_v4().simple()),
            seen: parking_lot::Mutex::new(HashMap::new()),
            hooks: parking_lot::RwLock::new(Vec::new()),
            started: AtomicU64::new(0),
            done: watch::channel(0).0,
            leader: tokio::sync::Mutex::new(()),
        }
    }

    pub(crate) fn on_change(&self, epoch: &'static str, hook: &Hook) {
        let mut hooks = self.hooks.write();
        hooks.retain(|(_, h)| h.strong_count() > 0);
        hooks.push((epoch, Arc::downgrade(hook)));
    }

    /// Return once a read of the versions that began after this call has
    /// been applied.
    pub(crate) async fn fence(&self, db: &Db, caches: &Caches, clock: &Clock) -> CoreResult<()> {
        let want = self.started.load(Ordering::SeqCst) + 1;
        let mut rx = self.done.subscribe();
        loop {
            if *rx.borrow_and_update() >= want {
                return Ok(());
            }
            if let Ok(held) = self.leader.try_lock() {
                let _lead = Lead {
                    held: Some(held),
                    done: &self.done,
                };
                let id = self.started.fetch_add(1, Ordering::SeqCst) + 1;
                self.sync(db, caches, clock).await?;
                // Recorded now, announced when the lead is dropped.
                self.done.send_if_modified(|d| {
                    *d = (*d).max(id);
                    false
                });
                return Ok(());
            }
            // A leader is out; it wakes us when it ends, however it ends.
            let _ = rx.changed().await;
        }
    }

    /// Read every version and drop what moved since the last read. The
    /// versions count as seen only once everything they moved is dropped or
    /// reloaded: a failed reload is tried again by the next fence.
    async fn sync(&self, db: &Db, caches: &Caches, clock: &Clock) -> CoreResult<()> {
        let rows: Vec<(String, i64)> = db
            .fetch_all("SELECT name, version FROM cluster_epochs", &[])
            .await
            .map_err(map_err)?;
        let (moved, news) = self.moved(&rows);
        for kind in &moved {
            drop_copies(caches, kind);
        }
        if moved.contains(&epoch::SETTINGS) {
            load_clock(db, clock).await.map_err(map_err)?;
        }
        let hooks: Vec<Hook> = self
            .hooks
            .read()
            .iter()
            .filter(|(e, _)| moved.contains(e))
            .filter_map(|(_, h)| h.upgrade())
            .collect();
        for h in hooks {
            h().await?;
        }
        self.seen.lock().extend(news);
        Ok(())
    }

    /// The kinds whose version differs from the last read (every kind, the
    /// first time; other writers' rows are `accounts`), and the new versions.
    fn moved(&self, rows: &[(String, i64)]) -> (Vec<&'static str>, Vec<(String, i64)>) {
        let seen = self.seen.lock();
        let mut moved = Vec::new();
        let mut news = Vec::new();
        for (name, v) in rows {
            if *name == self.node || seen.get(name) == Some(v) {
                continue;
            }
            let kind = if name.starts_with("writer:") {
                Some(epoch::ACCOUNTS)
            } else {
                epoch::ALL.iter().copied().find(|k| k == name)
            };
            match kind {
                Some(k) if !moved.contains(&k) => moved.push(k),
                _ => {}
            }
            news.push((name.clone(), *v));
        }
        (moved, news)
    }
}

fn drop_copies(c: &Caches, name: &str) {
    match name {
        epoch::ACCOUNTS => c.accounts.clear(),
        epoch::INSTITUTIONS => {
            c.institutions.clear();
            c.institutions_by_bank.clear();
        }
        epoch::CONSENTS => c.consents.clear(),
        epoch::REGISTRATIONS => c.registrations.clear(),
        epoch::CONTRACTS => c.contracts.clear(),
        _ => {}
    }
}

/// Set the clock to the offset the database holds, if it holds one.
pub(crate) async fn load_clock(db: &Db, clock: &Clock) -> Result<(), sqlx::Error> {
    let held = crate::settings::read(db, CLOCK_SETTING).await?;
    if let Some(us) = held.and_then(|v| v.parse::<i64>().ok()) {
        clock.set_offset(chrono::Duration::microseconds(us));
    }
    Ok(())
}

/// Install the version triggers on PostgreSQL once per schema. Each start
/// checks, under an advisory lock so that nodes starting together do not
/// race on the DDL, and leaves tables alone (no lock on them) when present.
pub(crate) async fn install_triggers(db: &Db) -> Result<(), sqlx::Error> {
    let Db::Pg(pool) = db else { return Ok(()) };
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock(7150001)")
        .execute(&mut *tx)
        .await?;
    let have: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE t.tgname = 'finhub_epoch' AND n.nspname = current_schema()",
    )
    .fetch_one(&mut *tx)
    .await?;
    if have < TRIGGERED.len() as i64 {
        sqlx::raw_sql(&pg_triggers()).execute(&mut *tx).await?;
    }
    tx.commit().await
}

/// Each cached table, the epoch its changes bump, and which changes do.
const TRIGGERED: [(&str, &str, &str); 7] = [
    ("accounts", epoch::ACCOUNTS, "INSERT OR UPDATE OR DELETE"),
    (
        "institutions",
        epoch::INSTITUTIONS,
        "INSERT OR UPDATE OR DELETE",
    ),
    ("consents", epoch::CONSENTS, "INSERT OR UPDATE OR DELETE"),
    (
        "registrations",
        epoch::REGISTRATIONS,
        "INSERT OR UPDATE OR DELETE",
    ),
    (
        "client_contracts",
        epoch::CONTRACTS,
        "INSERT OR UPDATE OR DELETE",
    ),
    (
        "oauth_access_tokens",
        epoch::REVOCATIONS,
        "UPDATE OF revoked",
    ),
    ("settings", epoch::SETTINGS, "INSERT OR UPDATE OR DELETE"),
];

/// The function and triggers that bump `cluster_epochs`. A session of a
/// ledger writer names its own row in `finhub.node`; every other session
/// bumps the kind's.
fn pg_triggers() -> String {
    let mut sql = String::from(
        r#"
CREATE OR REPLACE FUNCTION finhub_bump_epoch() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  n TEXT := TG_ARGV[0];
BEGIN
  IF n = 'accounts' THEN
    n := COALESCE(NULLIF(current_setting('finhub.node', true), ''), n);
  END IF;
  INSERT INTO cluster_epochs (name, version) VALUES (n, 1)
    ON CONFLICT (name) DO UPDATE SET version = cluster_epochs.version + 1;
  RETURN NULL;
END $$;
"#,
    );
    for (table, epoch, on) in TRIGGERED {
        sql.push_str(&format!(
            "DROP TRIGGER IF EXISTS finhub_epoch ON {table};\n\
             CREATE TRIGGER finhub_epoch AFTER {on} ON {table} \
             FOR EACH STATEMENT EXECUTE FUNCTION finhub_bump_epoch('{epoch}');\n"
        ));
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_moved_versions_are_reported_and_own_writer_is_ignored() {
        let c = Coherence::new();
        let own = c.node.clone();
        let rows = |v: i64| {
            vec![
                ("institutions".to_owned(), 1),
                ("writer:other".to_owned(), v),
                (own.clone(), v),
            ]
        };
        let (moved, news) = c.moved(&rows(1));
        assert_eq!(moved, vec!["institutions", "accounts"]);
        assert_eq!(news.len(), 2, "its own writer's row is not news");
        assert_eq!(
            c.moved(&rows(1)).0,
            moved,
            "nothing is seen until committed"
        );
        c.seen.lock().extend(news);
        assert!(c.moved(&rows(1)).0.is_empty());
        assert_eq!(c.moved(&rows(2)).0, vec!["accounts"]);
    }
}

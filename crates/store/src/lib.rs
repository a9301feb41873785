//! finhub-store: the SQL behind finhub-core's repository traits, for SQLite
//! (embedded default) and PostgreSQL (production), in one portable dialect.
//!
//! Every query is written once and run on either pool through `on_db!`.

mod accounts;
pub mod bench_support;
mod bulk;
mod cache;
mod coherence;
mod consents;
mod db;
mod error;
mod failover;
mod ids;
pub mod inspect;
mod institutions;
mod konaplate;
mod ledger;
mod mgmt;
mod oauth;
mod obp;
mod oris;
mod parties;
mod products;
mod refusals;
mod registrations;
mod rows;
pub mod settings;
mod sql;
pub mod testing;
mod usage;
mod writer;

pub use bulk::{settlement_account_id, BulkBatch, BulkEntry, BulkSummary, BULK_OPEN_SCOPE};
pub use coherence::{epoch, without_copies, Hook, CLOCK_SETTING};
pub use db::{Db, StoreOptions};
pub use error::map_err;

use finhub_core::clock::Clock;
use std::sync::Arc;

/// The store: a pool for reads and ordinary writes, and the single ledger
/// writer that applies money movements in batched, durable transactions.
#[derive(Clone)]
pub struct Store {
    pub(crate) db: Db,
    pub(crate) writer: writer::WriterHandle,
    pub(crate) clock: Clock,
    pub(crate) usage: Arc<usage::CallCounts>,
    pub(crate) caches: Arc<Caches>,
    pub(crate) coherence: Arc<coherence::Coherence>,
}

/// The rows face requests read on every call, kept in memory (see `cache`).
pub(crate) struct Caches {
    pub(crate) accounts: cache::Cache<String, finhub_core::account::Account>,
    /// Keyed by `registration_key(org_code, handle)`.
    pub(crate) registrations: cache::Cache<String, finhub_core::registration::Registration>,
    pub(crate) contracts: cache::Cache<String, finhub_core::registration::ClientContract>,
    pub(crate) institutions: cache::Cache<String, finhub_core::institution::Institution>,
    pub(crate) institutions_by_bank: cache::Cache<String, finhub_core::institution::Institution>,
    /// Transmission requests by id: every MyData call reads its token's.
    pub(crate) consents: cache::Cache<String, finhub_core::consent::Consent>,
}

impl Caches {
    fn new(enabled: bool) -> Caches {
        // Bounds on memory, not working-set guesses: an account copy is a few
        // hundred bytes, so the largest is tens of megabytes.
        Caches {
            accounts: cache::Cache::new(enabled, 200_000),
            registrations: cache::Cache::new(enabled, 200_000),
            contracts: cache::Cache::new(enabled, 10_000),
            institutions: cache::Cache::new(enabled, 10_000),
            institutions_by_bank: cache::Cache::new(enabled, 10_000),
            consents: cache::Cache::new(enabled, 200_000),
        }
    }
}

pub(crate) fn registration_key(org_code: &str, handle: &str) -> String {
    format!("{org_code}\u{0}{handle}")
}

impl Store {
    /// Connect, migrate and start the ledger writer.
    pub async fn open(url: &str, opts: StoreOptions, clock: Clock) -> Result<Store, sqlx::Error> {
        let (db, writer_db) = Db::connect(url, &opts).await?;
        db.migrate().await?;
        coherence::install_triggers(&db).await?;
        coherence::load_clock(&db, &clock).await?;
        let caches = Arc::new(Caches::new(opts.row_cache));
        let coherence = Arc::new(coherence::Coherence::new());
        let writer = writer::spawn(writer_db, opts.max_batch, caches.clone(), &coherence.node);
        let usage = usage::CallCounts::new(db.clone());
        Ok(Store {
            db,
            writer,
            clock,
            usage,
            caches,
            coherence,
        })
    }

    /// Bring this node's copies up to every commit acknowledged before the
    /// call, by any node (see `coherence`). A no-op on SQLite.
    pub async fn fresh(&self) -> finhub_core::CoreResult<()> {
        if !self.is_postgres() {
            return Ok(());
        }
        self.coherence
            .fence(&self.db, &self.caches, &self.clock)
            .await
    }

    /// Run `hook` when a fence finds that `epoch`'s rows changed elsewhere,
    /// for as long as the caller keeps `hook` (the store holds it weakly).
    pub fn on_change(&self, epoch: &'static str, hook: &Hook) {
        self.coherence.on_change(epoch, hook);
    }

    /// Keep the world clock's offset in the database: every node follows it
    /// at its next request, and a restart keeps it.
    pub async fn save_clock(&self) -> finhub_core::CoreResult<()> {
        let us = self.clock.offset().num_microseconds().unwrap_or(i64::MAX);
        self.set_setting(CLOCK_SETTING, &us.to_string()).await
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self.db, Db::Pg(_))
    }

    /// Wrap in the handle the core's world service takes.
    pub fn into_world(self) -> finhub_core::world::World {
        let clock = self.clock.clone();
        finhub_core::world::World::new(Arc::new(self), clock)
    }

    /// A cheap round trip, for health checks.
    pub async fn ping(&self) -> Result<(), finhub_core::CoreError> {
        on_db!(&self.db, p => sqlx::query("SELECT 1").execute(p).await.map(|_| ()).map_err(map_err))
    }
}

//! Throughput of the seed: `cargo run --release -p finhub-seed --example seed_bench -- [people] [history_rows] [url]`.
//! It uses a fresh SQLite file, or a fresh schema of FINHUB_TEST_DATABASE_URL.
//!
//! Measured 2026-11-23 on the shared 2-core machine (load average ~5), release build,
//! 10,000 people (16,430 accounts, 1,909,004 postings):
//! SQLite 553 people/s, 105,600 postings/s; PostgreSQL 273 people/s, 51,800 postings/s.
//! 1,000,000 history rows on one account: SQLite 48,400 rows/s (before the
//! primary-key ordering), PostgreSQL 25,000 rows/s.
//! 2026-12-02, debug build, SQLite, 20,000 people (load average ~5): before the
//! MyData products 131 people/s (25,000 postings/s); with them (2.4x the
//! accounts, 1.9x the postings per person) 50 people/s (18,400 postings/s).

use finhub_core::clock::Clock;
use finhub_core::repo::{AccountRepo, LedgerRepo, PartyRepo};
use finhub_seed::{add_history, seed_world, SeedOptions};
use finhub_store::testing::fresh_database;
use finhub_store::Store;
use indicatif::ProgressBar;
use std::time::Instant;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let people: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let rows: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(0);
    let (url, opts, _dir) = fresh_database().await;
    let store = Store::open(&url, opts, Clock::system())
        .await
        .expect("open store");
    let backend = if store.is_postgres() {
        "postgres"
    } else {
        "sqlite"
    };
    let r = seed_world(
        &store,
        &SeedOptions {
            people,
            ..Default::default()
        },
        &ProgressBar::hidden(),
    )
    .await
    .expect("seed");
    let secs = r.elapsed_ms.max(1) as f64 / 1000.0;
    println!(
        "{backend}: {} people, {} accounts, {} postings in {secs:.1} s: {:.0} people/s, {:.0} postings/s",
        r.people, r.accounts, r.postings, r.people as f64 / secs, r.postings as f64 / secs
    );
    if rows > 0 {
        let p = store.list_people(1, 0).await.unwrap().remove(0);
        let a = store
            .accounts_of_person(&p.person_id)
            .await
            .unwrap()
            .remove(0);
        let t = Instant::now();
        let n = add_history(&store, &a.account_id, rows, 1, &ProgressBar::hidden())
            .await
            .expect("history");
        let secs = t.elapsed().as_secs_f64();
        println!(
            "{backend}: {n} history rows on one account in {secs:.1} s: {:.0} rows/s",
            n as f64 / secs
        );
    }
    let t = Instant::now();
    let audit = store.audit().await.unwrap();
    let totals = store.balance_totals().await.unwrap();
    println!(
        "audit {} findings, totals {totals:?} ({:.1} s)",
        audit.len(),
        t.elapsed().as_secs_f64()
    );
}

//! Append bench history lines to one account of an existing store (the
//! file or database a `finhub serve` will then open), so paging over HTTP
//! can be measured on deep histories without a million HTTP transfers.

use finhub_core::clock::Clock;
use finhub_store::{Store, StoreOptions};

#[derive(Debug, Clone, clap::Args)]
pub struct HistoryArgs {
    /// Store URL (sqlite://... or postgres://...); the server must be stopped.
    #[arg(long)]
    pub database: String,
    /// The customer account that gets the lines.
    #[arg(long)]
    pub account_id: String,
    /// Its institution's settlement account takes the other side.
    #[arg(long)]
    pub institution_code: String,
    /// Lines to add.
    #[arg(long)]
    pub rows: u64,
}

pub async fn run(a: &HistoryArgs) -> Result<(), String> {
    let store = Store::open(&a.database, StoreOptions::default(), Clock::system())
        .await
        .map_err(|e| format!("open: {e}"))?;
    let settle = format!("settle:{}:KRW", a.institution_code);
    let mut left = a.rows;
    while left > 0 {
        // Bounded transactions: at most 250,000 lines each.
        let add = left.min(250_000);
        store
            .bench_add_history(&a.account_id, &settle, add as i64, 7_000)
            .await
            .map_err(|e| e.to_string())?;
        left -= add;
    }
    eprintln!("history: {} lines added to {}", a.rows, a.account_id);
    Ok(())
}

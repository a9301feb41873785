//! A batch's rows, written just before commit: one multi-row statement per
//! table (more only past the engine's bind limit).

use super::batch::{Batch, EntryRow, IdemRow, PostingRow};
use crate::sql::{Arg, BindRow, Tx, ENTRY_COLS, POSTING_COLS};
use finhub_core::fraud::TransferEvent;

impl BindRow for PostingRow {
    const COLS: &'static str = POSTING_COLS;
    fn args<'a>(&'a self, out: &mut Vec<Arg<'a>>) {
        out.extend([
            Arg::Text(&self.account_id),
            Arg::Int(self.seq),
            Arg::Int(self.entry_id),
            Arg::Int(self.at),
            Arg::Text(self.kind),
            Arg::Text(self.currency.as_str()),
            Arg::Int(self.amount),
            Arg::Int(self.after),
            Arg::Text(&self.memo),
            Arg::Text(&self.counterparty),
        ]);
    }
}

impl BindRow for EntryRow {
    const COLS: &'static str = ENTRY_COLS;
    fn args<'a>(&'a self, out: &mut Vec<Arg<'a>>) {
        out.extend([
            Arg::Int(self.entry_id),
            Arg::Int(self.at),
            Arg::Text(self.kind),
            Arg::Text(&self.scope),
            Arg::Text(&self.key),
        ]);
    }
}

impl BindRow for IdemRow {
    const COLS: &'static str = "scope, idem_key, fingerprint, at, entry_id, outcome";
    fn args<'a>(&'a self, out: &mut Vec<Arg<'a>>) {
        out.extend([
            Arg::Text(&self.scope),
            Arg::Text(&self.key),
            Arg::Text(&self.fingerprint),
            Arg::Int(self.at),
            Arg::OptInt(self.entry_id),
            Arg::Text(&self.outcome),
        ]);
    }
}

impl BindRow for TransferEvent {
    const COLS: &'static str = crate::usage::EVENT_COLS;
    fn args<'a>(&'a self, out: &mut Vec<Arg<'a>>) {
        out.extend([
            Arg::Text(&self.org_code),
            Arg::Text(&self.scope),
            Arg::Text(&self.key),
            Arg::Text(&self.account_id),
            Arg::Text(self.direction.as_str()),
            Arg::Int(self.amount_minor),
            Arg::Int(finhub_core::clock::to_micros(self.at)),
        ]);
    }
}

/// An account's new balance, as the `VALUES` list of the balance update.
struct BalanceRow<'a> {
    account_id: &'a str,
    balance: i64,
    seq: i64,
    last_tran_at: i64,
}

impl BindRow for BalanceRow<'_> {
    /// Named `column1..4` in the statement (a `VALUES` list has no names).
    const COLS: &'static str = "account_id, balance_minor, seq, last_tran_at";
    fn args<'a>(&'a self, out: &mut Vec<Arg<'a>>) {
        out.extend([
            Arg::Text(self.account_id),
            Arg::Int(self.balance),
            Arg::Int(self.seq),
            Arg::Int(self.last_tran_at),
        ]);
    }
}

/// A limit counter's new total.
struct CounterRow<'a> {
    counter: &'a str,
    period: &'a str,
    total: i64,
}

impl BindRow for CounterRow<'_> {
    const COLS: &'static str = "counter, period, total_minor";
    fn args<'a>(&'a self, out: &mut Vec<Arg<'a>>) {
        out.extend([
            Arg::Text(self.counter),
            Arg::Text(self.period),
            Arg::Int(self.total),
        ]);
    }
}

pub(super) async fn flush(tx: &mut Tx, b: &Batch) -> Result<(), sqlx::Error> {
    let balances: Vec<BalanceRow> = b
        .dirty
        .iter()
        .map(|id| {
            let st = b.accounts[id].as_ref().expect("dirty accounts exist");
            BalanceRow {
                account_id: id,
                balance: st.balance_minor,
                seq: st.seq,
                last_tran_at: st.last_tran_at_us,
            }
        })
        .collect();
    // All balances in one statement.
    tx.rows(
        "UPDATE accounts SET balance_minor = v.column2, seq = v.column3, last_tran_at = v.column4 FROM (VALUES ",
        &balances,
        ") AS v WHERE accounts.account_id = v.column1",
    )
    .await?;
    tx.insert("postings", &b.postings, "").await?;
    tx.insert("journal_entries", &b.entries, "").await?;
    tx.insert("idempotency", &b.idem, "").await?;
    // A replayed request logs nothing new: (scope, key) is the arbiter.
    tx.insert(
        "transfer_log",
        &b.log,
        " ON CONFLICT (scope, idem_key) DO NOTHING",
    )
    .await?;
    let counters: Vec<CounterRow> = b
        .dirty_counters
        .iter()
        .map(|k| CounterRow {
            counter: &k.0,
            period: &k.1,
            total: b.counters[k],
        })
        .collect();
    tx.insert(
        "limit_counters",
        &counters,
        " ON CONFLICT (counter, period) DO UPDATE SET total_minor = excluded.total_minor",
    )
    .await
}

//! Read everything a batch's transfers will look at in a few statements
//! (idempotency keys, accounts, limit counters) instead of one round trip
//! per transfer and per account.

use super::batch::{state_from, Batch, StateRow};
use super::Op;
use crate::sql::{rows_per_stmt, Arg, Tx};
use finhub_core::ledger::{TransferOutcome, TransferRequest};
use std::collections::HashMap;

/// Most keys in one IN list: the engine's bind limit, less the one other
/// parameter the statements bind.
fn keys_per_stmt(tx: &Tx) -> usize {
    rows_per_stmt(tx.max_binds() - 1, 1)
}

pub(super) async fn prefetch(tx: &mut Tx, b: &mut Batch, ops: &[Op]) -> Result<(), sqlx::Error> {
    let reqs: Vec<&TransferRequest> = ops
        .iter()
        .filter_map(|op| match op {
            Op::Transfer(r, _) => Some(r),
            Op::Open(_) | Op::ForgetAccounts => None,
        })
        .collect();
    if reqs.is_empty() {
        return Ok(());
    }
    idempotency(tx, b, &reqs).await?;
    accounts(tx, b, &reqs).await?;
    counters(tx, b, &reqs).await
}

/// Push `item` unless it is already there (batches are small; order kept).
fn push_new<'a>(v: &mut Vec<&'a str>, item: &'a str) {
    if !v.contains(&item) {
        v.push(item);
    }
}

/// Idempotency: one query per scope (the key's index leads with scope).
async fn idempotency(
    tx: &mut Tx,
    b: &mut Batch,
    reqs: &[&TransferRequest],
) -> Result<(), sqlx::Error> {
    let mut by_scope: HashMap<&str, Vec<&str>> = HashMap::new();
    for r in reqs {
        push_new(
            by_scope.entry(r.scope.as_str()).or_default(),
            r.key.as_str(),
        );
    }
    let per = keys_per_stmt(tx);
    for (scope, keys) in by_scope {
        for chunk in keys.chunks(per) {
            let sql = format!(
                "SELECT idem_key, outcome FROM idempotency WHERE scope = {} AND idem_key IN ({})",
                tx.marks(1, 1),
                tx.marks(2, chunk.len())
            );
            let mut args = vec![Arg::Text(scope)];
            args.extend(chunk.iter().map(|k| Arg::Text(k)));
            let rows: Vec<(String, String)> = tx.fetch_all(&sql, &args).await?;
            let found: HashMap<String, String> = rows.into_iter().collect();
            for k in chunk {
                let key = (scope.to_owned(), (*k).to_owned());
                match found.get(*k) {
                    Some(json) => {
                        let o: TransferOutcome = serde_json::from_str(json)
                            .map_err(|e| sqlx::Error::Decode(e.into()))?;
                        b.outcomes.insert(key, o);
                    }
                    None => {
                        b.absent.insert(key);
                    }
                }
            }
        }
    }
    Ok(())
}

/// Accounts, under the batch's write lock.
async fn accounts(
    tx: &mut Tx,
    b: &mut Batch,
    reqs: &[&TransferRequest],
) -> Result<(), sqlx::Error> {
    let mut ids: Vec<&str> = Vec::new();
    for r in reqs {
        for l in &r.legs {
            push_new(&mut ids, l.account_id.as_str());
        }
    }
    // Locked in one order by every writer (sorted ids, sorted rows), so
    // writers of several nodes never deadlock on the same accounts.
    ids.sort_unstable();
    for chunk in ids.chunks(keys_per_stmt(tx)) {
        let sql = format!(
            "SELECT account_id, balance_minor, floor_minor, currency, status, seq, last_tran_at \
             FROM accounts WHERE account_id IN ({}) ORDER BY account_id{}",
            tx.marks(1, chunk.len()),
            tx.lock()
        );
        let args: Vec<Arg> = chunk.iter().map(|id| Arg::Text(id)).collect();
        type Row = (String, i64, i64, String, String, i64, Option<i64>);
        let rows: Vec<Row> = tx.fetch_all(&sql, &args).await?;
        for id in chunk {
            b.accounts.insert((*id).to_owned(), None);
        }
        for (id, balance, floor, cur, status, seq, last) in rows {
            let st: StateRow = (balance, floor, cur, status, seq, last);
            b.accounts.insert(id, Some(state_from(st)?));
        }
    }
    Ok(())
}

/// Limit counters: one query per period (usually one).
async fn counters(
    tx: &mut Tx,
    b: &mut Batch,
    reqs: &[&TransferRequest],
) -> Result<(), sqlx::Error> {
    let mut by_period: HashMap<&str, Vec<&str>> = HashMap::new();
    for r in reqs {
        for l in &r.limits {
            push_new(
                by_period.entry(l.period.as_str()).or_default(),
                l.counter.as_str(),
            );
        }
    }
    let per = keys_per_stmt(tx);
    // One lock order for every writer, as for accounts.
    let mut by_period: Vec<(&str, Vec<&str>)> = by_period.into_iter().collect();
    by_period.sort_unstable();
    for (period, mut counters) in by_period {
        counters.sort_unstable();
        for chunk in counters.chunks(per) {
            let sql = format!(
                "SELECT counter, total_minor FROM limit_counters WHERE period = {} AND counter IN ({}) ORDER BY counter{}",
                tx.marks(1, 1),
                tx.marks(2, chunk.len()),
                tx.lock()
            );
            let mut args = vec![Arg::Text(period)];
            args.extend(chunk.iter().map(|c| Arg::Text(c)));
            let rows: Vec<(String, i64)> = tx.fetch_all(&sql, &args).await?;
            let found: HashMap<String, i64> = rows.into_iter().collect();
            for c in chunk {
                let total = found.get(*c).copied().unwrap_or(0);
                b.counters
                    .insert(((*c).to_owned(), period.to_owned()), total);
            }
        }
    }
    Ok(())
}

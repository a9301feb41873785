//! Bulk loading: many people, accounts and journal entries in one database
//! transaction, for the sandbox seed and the benchmarks.
//!
//! The ledger writer applies one request at a time; a world of a million
//! people cannot be built that way. The bulk loader computes every balance,
//! sequence number and floor check in memory first, then writes with
//! multi-row INSERTs (chunked under each engine's bind-parameter limit) and
//! commits once. It keeps every ledger invariant the writer keeps:
//! each entry's postings sum to zero per currency, an account's balance is the
//! sum of its postings, `accounts.seq` counts them, no balance goes below its
//! floor. Entry ids are a range of `id_blocks` the load takes for itself
//! (crate::ids), so a running writer and a bulk load never share one.

use crate::error::map_err;
use crate::Store;
use chrono::{DateTime, Utc};
use finhub_core::account::{AccountKind, NewAccount};
use finhub_core::ledger::{check_leg, BalanceState, EntryKind, Leg, Rejection};
use finhub_core::money::Currency;
use finhub_core::party::Person;
use finhub_core::product::ProductRecord;
use finhub_core::{CoreError, CoreResult};
use std::collections::{HashMap, HashSet};

mod load;

/// Journal scope of the opening entries the loader writes for new accounts.
pub const BULK_OPEN_SCOPE: &str = "finhub:bulk-open";

/// The settlement account that funds what an institution issues in one
/// currency: the same id the ledger writer creates on the first opening.
pub fn settlement_account_id(org_code: &str, currency: Currency) -> String {
    format!("settle:{org_code}:{currency}")
}

/// One money movement to load. Legs must sum to zero per currency; each leg's
/// account is either opened in the same batch or already stored.
#[derive(Debug, Clone)]
pub struct BulkEntry {
    pub scope: String,
    pub key: String,
    pub at: DateTime<Utc>,
    pub kind: EntryKind,
    pub legs: Vec<Leg>,
}

/// What one bulk load writes, in one transaction.
///
/// - `people` are inserted as given (unique CI and phone, as for any person).
/// - `accounts` are opened with balance 0; an `opening_balance_minor` above 0
///   becomes an `Opening` entry from the institution's settlement account at
///   `opened_at` (scope [`BULK_OPEN_SCOPE`], key = account id). Missing
///   settlement accounts are created exactly as the ledger writer creates them.
/// - `terms` are the product terms of accounts opened in this batch (at most
///   one record per account).
/// - `entries` are applied in time order (a stable sort by `at`, so entries
///   with the same time keep the order given). Postings carry their entry's
///   time. A customer account that already has history only accepts entries
///   at or after its last line, so its statement stays in time order; a
///   settlement account (shared by every load) accepts any time, so its `seq`
///   follows load order rather than time.
///
/// Nothing is written unless everything fits: an unknown account, an
/// unbalanced entry or a balance that would cross its floor fails the whole
/// batch before any row is written.
#[derive(Debug, Clone, Default)]
pub struct BulkBatch {
    pub people: Vec<Person>,
    pub accounts: Vec<NewAccount>,
    pub entries: Vec<BulkEntry>,
    pub terms: Vec<ProductRecord>,
}

/// What a bulk load wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BulkSummary {
    pub people: u64,
    pub accounts: u64,
    pub entries: u64,
    pub postings: u64,
}

/// An account's state while the batch is applied in memory.
struct St {
    bal: BalanceState,
    /// Stored before this batch (updated, not inserted).
    stored: bool,
    settlement: bool,
    touched: bool,
}

/// One posting row to insert; strings borrow from the batch.
struct Row<'a> {
    leg: &'a Leg,
    seq: i64,
    entry_id: i64,
    at: i64,
    kind: &'static str,
    after: i64,
}

/// Settlement accounts to create: (id, org_code, currency, opened_at_us).
type NewSettle = (String, String, Currency, i64);

/// Checks that need no stored state; done before the transaction starts.
fn check_batch(batch: &BulkBatch) -> CoreResult<()> {
    for p in &batch.people {
        if p.person_id.is_empty() || p.name.trim().is_empty() || p.ci.is_empty() {
            return Err(CoreError::Invalid(
                "bulk person needs an id, a name and a CI".into(),
            ));
        }
    }
    let mut ids = HashSet::with_capacity(batch.accounts.len());
    for a in &batch.accounts {
        a.validate().map_err(CoreError::Invalid)?;
        if a.kind == AccountKind::Settlement || a.account_id.starts_with("settle:") {
            return Err(CoreError::Invalid(
                "settlement accounts are created by the loader".into(),
            ));
        }
        if !ids.insert(a.account_id.as_str()) {
            return Err(CoreError::Conflict("accounts_pkey".into()));
        }
    }
    let mut with_terms = HashSet::with_capacity(batch.terms.len());
    for t in &batch.terms {
        if !ids.contains(t.account_id.as_str()) {
            return Err(CoreError::Invalid(format!(
                "terms for {}, which the batch does not open",
                t.account_id
            )));
        }
        if !with_terms.insert(t.account_id.as_str()) {
            return Err(CoreError::Conflict("product_terms_pkey".into()));
        }
    }
    for e in &batch.entries {
        if e.legs.len() < 2 {
            return Err(CoreError::Rejected(Rejection::EmptyEntry));
        }
        if e.legs.iter().any(|l| l.amount_minor == 0) {
            return Err(CoreError::Rejected(Rejection::ZeroAmount));
        }
        let mut sums: Vec<(Currency, i128)> = Vec::with_capacity(1);
        for l in &e.legs {
            match sums.iter_mut().find(|(c, _)| *c == l.currency) {
                Some((_, s)) => *s += l.amount_minor as i128,
                None => sums.push((l.currency, l.amount_minor as i128)),
            }
        }
        if sums.iter().any(|(_, s)| *s != 0) {
            return Err(CoreError::Rejected(Rejection::Unbalanced));
        }
    }
    Ok(())
}

/// The opening entries of new accounts with an opening balance.
fn opening_entries(accounts: &[NewAccount]) -> Vec<BulkEntry> {
    accounts
        .iter()
        .filter(|a| a.opening_balance_minor > 0)
        .map(|a| BulkEntry {
            scope: BULK_OPEN_SCOPE.into(),
            key: a.account_id.clone(),
            at: a.opened_at,
            kind: EntryKind::Opening,
            legs: vec![
                Leg {
                    account_id: settlement_account_id(&a.org_code, a.currency),
                    amount_minor: -a.opening_balance_minor,
                    currency: a.currency,
                    memo: "신규".into(),
                    counterparty: a.holder_name.clone(),
                },
                Leg {
                    account_id: a.account_id.clone(),
                    amount_minor: a.opening_balance_minor,
                    currency: a.currency,
                    memo: "신규".into(),
                    counterparty: String::new(),
                },
            ],
        })
        .collect()
}

fn fresh(currency: Currency, floor: i64, settlement: bool) -> St {
    St {
        bal: BalanceState {
            balance_minor: 0,
            floor_minor: floor,
            currency,
            closed: false,
            seq: 0,
            last_tran_at_us: i64::MIN,
        },
        stored: false,
        settlement,
        touched: false,
    }
}

/// Apply every entry in memory, in the given order; return the posting rows.
fn apply<'a>(
    entries: &[&'a BulkEntry],
    states: &mut HashMap<String, St>,
    first_id: i64,
) -> CoreResult<Vec<Row<'a>>> {
    let n_legs: usize = entries.iter().map(|e| e.legs.len()).sum();
    let mut rows = Vec::with_capacity(n_legs);
    for (i, e) in entries.iter().enumerate() {
        let entry_id = first_id + i as i64;
        let at = e.at.timestamp_micros();
        for leg in &e.legs {
            let st = states.get_mut(&leg.account_id).ok_or_else(|| {
                CoreError::Rejected(Rejection::AccountNotFound {
                    account_id: leg.account_id.clone(),
                })
            })?;
            if st.stored && !st.settlement && at < st.bal.last_tran_at_us {
                return Err(CoreError::Invalid(format!(
                    "entry {} is timed before the last line of account {}",
                    e.key, leg.account_id
                )));
            }
            let after = check_leg(leg, &st.bal).map_err(CoreError::Rejected)?;
            st.bal.balance_minor = after;
            st.bal.seq += 1;
            st.bal.last_tran_at_us = st.bal.last_tran_at_us.max(at);
            st.touched = true;
            rows.push(Row {
                leg,
                seq: st.bal.seq,
                entry_id,
                at,
                kind: e.kind.as_str(),
                after,
            });
        }
    }
    Ok(rows)
}

impl Store {
    /// Load people, accounts and entries in one transaction. See [`BulkBatch`].
    pub async fn bulk_load(&self, batch: BulkBatch) -> CoreResult<BulkSummary> {
        check_batch(&batch)?;
        let openings = opening_entries(&batch.accounts);
        let mut order: Vec<&BulkEntry> = openings.iter().chain(batch.entries.iter()).collect();
        order.sort_by_key(|e| e.at);
        let r = load::load(&self.db, &batch, &order).await;
        // The load moved settlement balances outside the ledger writer.
        self.forget_accounts().await;
        r
    }

    /// Which of these phone numbers (digits only) already belong to someone.
    pub async fn taken_phones(&self, phones: &[String]) -> CoreResult<HashSet<String>> {
        let mut out = HashSet::new();
        for chunk in phones.chunks(500) {
            let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT phone FROM people WHERE phone IN ({})",
                marks.join(", ")
            );
            let found: Vec<String> = crate::on_db!(&self.db, p => {
                let mut q = sqlx::query_scalar(&sql);
                for ph in chunk { q = q.bind(ph); }
                q.fetch_all(p).await
            })
            .map_err(map_err)?;
            out.extend(found);
        }
        Ok(out)
    }
}

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
//! floor. Entry ids continue from `MAX(entry_id)` read under a lock that the
//! ledger writer also needs before it reads the same maximum, so a running
//! writer and a bulk load never hand out the same id.

use crate::error::map_err;
use crate::sql::push_values;
use crate::{Db, Store};
use chrono::{DateTime, Utc};
use finhub_core::account::{AccountKind, AccountStatus, NewAccount, SETTLEMENT_FLOOR};
use finhub_core::ledger::{check_leg, BalanceState, EntryKind, Leg, Rejection};
use finhub_core::money::Currency;
use finhub_core::party::Person;
use finhub_core::{CoreError, CoreResult};
use std::collections::{HashMap, HashSet};

/// Journal scope of the opening entries the loader writes for new accounts.
pub const BULK_OPEN_SCOPE: &str = "finhub:bulk-open";

/// Most bind parameters one statement may carry (SQLite's limit is 32766,
/// PostgreSQL's 65535); the smaller bound serves both.
const SQLITE_MAX_BINDS: usize = 32_766;
const PG_MAX_BINDS: usize = 65_535;

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
        let r = match &self.db {
            Db::Sqlite(p) => sqlite_bulk::load(p, &batch, &order).await,
            Db::Pg(p) => pg_bulk::load(p, &batch, &order).await,
        };
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

/// Rows per statement for `cols` columns under the engine's bind limit.
fn rows_per_stmt(max_binds: usize, cols: usize) -> usize {
    (max_binds / cols).clamp(1, 5_000)
}

macro_rules! bulk_impl {
    ($modname:ident, $DB:ty, $begin:expr, $lock:expr, $max_binds:expr, $numbered:expr) => {
        mod $modname {
            use super::*;
            type Pool = sqlx::Pool<$DB>;
            type Tx<'c> = sqlx::Transaction<'c, $DB>;
            const NUMBERED: bool = $numbered;

            pub(super) async fn load(
                pool: &Pool,
                batch: &BulkBatch,
                order: &[&BulkEntry],
            ) -> CoreResult<BulkSummary> {
                let mut tx = pool.begin_with($begin).await.map_err(map_err)?;
                for lock in $lock {
                    sqlx::query(lock).execute(&mut *tx).await.map_err(map_err)?;
                }
                let max: Option<i64> = sqlx::query_scalar("SELECT MAX(entry_id) FROM journal_entries")
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(map_err)?;
                let first_id = max.unwrap_or(0) + 1;

                // States: new accounts fresh, everything else read from the store.
                let mut states: HashMap<String, St> = HashMap::with_capacity(batch.accounts.len() + 32);
                for a in &batch.accounts {
                    states.insert(a.account_id.clone(), fresh(a.currency, a.floor_minor, false));
                }
                // New account ids are looked up too: a stored one is a conflict.
                let new_ids: Vec<&str> = batch.accounts.iter().map(|a| a.account_id.as_str()).collect();
                let mut wanted: Vec<&str> = new_ids.clone();
                let mut seen: HashSet<&str> = new_ids.iter().copied().collect();
                for e in order {
                    for l in &e.legs {
                        if !states.contains_key(&l.account_id) && seen.insert(l.account_id.as_str()) {
                            wanted.push(l.account_id.as_str());
                        }
                    }
                }
                let mut settle_wanted: Vec<(String, String, Currency, i64)> = Vec::new();
                let mut settle_seen: HashSet<String> = HashSet::new();
                for a in &batch.accounts {
                    let id = settlement_account_id(&a.org_code, a.currency);
                    if settle_seen.insert(id.clone()) {
                        settle_wanted.push((id, a.org_code.clone(), a.currency, a.opened_at.timestamp_micros()));
                    }
                }
                let settle_ids: Vec<String> = settle_wanted
                    .iter()
                    .filter(|s| !seen.contains(s.0.as_str()))
                    .map(|s| s.0.clone())
                    .collect();
                let mut lookup: Vec<&str> = wanted.clone();
                lookup.extend(settle_ids.iter().map(String::as_str));
                let stored = read_states(&mut tx, &lookup).await?;
                for id in &new_ids {
                    if stored.contains_key(*id) {
                        return Err(CoreError::Conflict("accounts_pkey".into()));
                    }
                }
                for (id, st) in stored {
                    states.insert(id, st);
                }
                let mut new_settle: Vec<NewSettle> = Vec::new();
                for s in settle_wanted {
                    if !states.contains_key(&s.0) {
                        states.insert(s.0.clone(), fresh(s.2, SETTLEMENT_FLOOR, true));
                        new_settle.push(s);
                    }
                }
                let mut rows = apply(order, &mut states, first_id)?;
                // Insert in primary-key order: B-tree pages fill in sequence
                // instead of being revisited at random (several times faster).
                rows.sort_unstable_by(|a, b| (&a.leg.account_id, a.seq).cmp(&(&b.leg.account_id, b.seq)));
                insert_people(&mut tx, &batch.people).await?;
                insert_settlements(&mut tx, &new_settle, &states).await?;
                insert_accounts(&mut tx, &batch.accounts, &states).await?;
                insert_entries(&mut tx, order, first_id).await?;
                insert_postings(&mut tx, &rows).await?;
                for (id, st) in states.iter().filter(|(_, s)| s.stored && s.touched) {
                    sqlx::query("UPDATE accounts SET balance_minor = $1, seq = $2, last_tran_at = $3 WHERE account_id = $4")
                        .bind(st.bal.balance_minor)
                        .bind(st.bal.seq)
                        .bind(st.bal.last_tran_at_us)
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                }
                tx.commit().await.map_err(map_err)?;
                Ok(BulkSummary {
                    people: batch.people.len() as u64,
                    accounts: batch.accounts.len() as u64,
                    entries: order.len() as u64,
                    postings: rows.len() as u64,
                })
            }

            async fn read_states(tx: &mut Tx<'_>, ids: &[&str]) -> CoreResult<HashMap<String, St>> {
                let mut out = HashMap::new();
                for chunk in ids.chunks(rows_per_stmt($max_binds, 1).min(1000)) {
                    let marks: Vec<String> = (1..=chunk.len())
                        .map(|i| if NUMBERED { format!("${i}") } else { "?".into() })
                        .collect();
                    let sql = format!(
                        "SELECT account_id, balance_minor, floor_minor, currency, status, seq, last_tran_at, kind \
                         FROM accounts WHERE account_id IN ({})",
                        marks.join(", ")
                    );
                    let mut q = sqlx::query_as::<_, (String, i64, i64, String, String, i64, Option<i64>, String)>(&sql);
                    for id in chunk {
                        q = q.bind(*id);
                    }
                    for (id, balance, floor, cur, status, seq, last, kind) in q.fetch_all(&mut **tx).await.map_err(map_err)? {
                        let currency = Currency::parse(&cur).map_err(CoreError::Internal)?;
                        out.insert(
                            id,
                            St {
                                bal: BalanceState {
                                    balance_minor: balance,
                                    floor_minor: floor,
                                    currency,
                                    closed: status == AccountStatus::Closed.as_str(),
                                    seq,
                                    last_tran_at_us: last.unwrap_or(i64::MIN),
                                },
                                stored: true,
                                settlement: kind == AccountKind::Settlement.as_str(),
                                touched: false,
                            },
                        );
                    }
                }
                Ok(out)
            }

            async fn insert_people(tx: &mut Tx<'_>, people: &[Person]) -> CoreResult<()> {
                for chunk in people.chunks(rows_per_stmt($max_binds, 7)) {
                    let mut sql = String::from(
                        "INSERT INTO people (person_id, ci, name, birth_date, gender, phone, email) VALUES ",
                    );
                    push_values(&mut sql, chunk.len(), 7, NUMBERED);
                    let mut q = sqlx::query(&sql);
                    for x in chunk {
                        q = q
                            .bind(&x.person_id)
                            .bind(&x.ci)
                            .bind(&x.name)
                            .bind(x.birth_date.format("%Y-%m-%d").to_string())
                            .bind(x.gender.map(|g| g.as_str()))
                            .bind(&x.phone)
                            .bind(&x.email);
                    }
                    q.execute(&mut **tx).await.map_err(map_err)?;
                }
                Ok(())
            }

            async fn insert_settlements(
                tx: &mut Tx<'_>,
                new: &[NewSettle],
                states: &HashMap<String, St>,
            ) -> CoreResult<()> {
                for (id, org, cur, opened_at) in new {
                    let st = &states[id].bal;
                    sqlx::query(
                        "INSERT INTO accounts (account_id, org_code, account_num, kind, product_name, currency, person_id, \
                         holder_name, opened_at, status, floor_minor, balance_minor, seq, last_tran_at) \
                         VALUES ($1, $2, $3, 'settlement', '기관 결제계정', $4, NULL, $5, $6, 'active', $7, $8, $9, $10)",
                    )
                    .bind(id)
                    .bind(org)
                    .bind(format!("SETTLE-{cur}"))
                    .bind(cur.as_str())
                    .bind(org)
                    .bind(*opened_at)
                    .bind(SETTLEMENT_FLOOR)
                    .bind(st.balance_minor)
                    .bind(st.seq)
                    .bind((st.seq > 0).then_some(st.last_tran_at_us))
                    .execute(&mut **tx)
                    .await
                    .map_err(map_err)?;
                }
                Ok(())
            }

            async fn insert_accounts(
                tx: &mut Tx<'_>,
                accounts: &[NewAccount],
                states: &HashMap<String, St>,
            ) -> CoreResult<()> {
                const COLS: usize = 15;
                for chunk in accounts.chunks(rows_per_stmt($max_binds, COLS)) {
                    let mut sql = String::from(
                        "INSERT INTO accounts (account_id, org_code, account_num, kind, product_name, currency, person_id, \
                         holder_name, opened_at, maturity_date, status, floor_minor, balance_minor, seq, last_tran_at) VALUES ",
                    );
                    push_values(&mut sql, chunk.len(), COLS, NUMBERED);
                    let mut q = sqlx::query(&sql);
                    for a in chunk {
                        let st = &states[&a.account_id].bal;
                        q = q
                            .bind(&a.account_id)
                            .bind(&a.org_code)
                            .bind(&a.account_num)
                            .bind(a.kind.as_str())
                            .bind(&a.product_name)
                            .bind(a.currency.as_str())
                            .bind(&a.person_id)
                            .bind(&a.holder_name)
                            .bind(a.opened_at.timestamp_micros())
                            .bind(a.maturity_date.map(|d| d.format("%Y-%m-%d").to_string()))
                            .bind(AccountStatus::Active.as_str())
                            .bind(a.floor_minor)
                            .bind(st.balance_minor)
                            .bind(st.seq)
                            .bind((st.seq > 0).then_some(st.last_tran_at_us));
                    }
                    q.execute(&mut **tx).await.map_err(map_err)?;
                }
                Ok(())
            }

            async fn insert_entries(tx: &mut Tx<'_>, order: &[&BulkEntry], first_id: i64) -> CoreResult<()> {
                let per = rows_per_stmt($max_binds, 5);
                for (c, chunk) in order.chunks(per).enumerate() {
                    let mut sql = String::from("INSERT INTO journal_entries (entry_id, at, kind, scope, idem_key) VALUES ");
                    push_values(&mut sql, chunk.len(), 5, NUMBERED);
                    let mut q = sqlx::query(&sql);
                    for (i, e) in chunk.iter().enumerate() {
                        q = q
                            .bind(first_id + (c * per + i) as i64)
                            .bind(e.at.timestamp_micros())
                            .bind(e.kind.as_str())
                            .bind(&e.scope)
                            .bind(&e.key);
                    }
                    q.execute(&mut **tx).await.map_err(map_err)?;
                }
                Ok(())
            }

            async fn insert_postings(tx: &mut Tx<'_>, rows: &[Row<'_>]) -> CoreResult<()> {
                for chunk in rows.chunks(rows_per_stmt($max_binds, 10)) {
                    let mut sql = String::from(
                        "INSERT INTO postings (account_id, seq, entry_id, at, kind, currency, amount_minor, \
                         balance_after_minor, memo, counterparty) VALUES ",
                    );
                    push_values(&mut sql, chunk.len(), 10, NUMBERED);
                    let mut q = sqlx::query(&sql);
                    for r in chunk {
                        q = q
                            .bind(&r.leg.account_id)
                            .bind(r.seq)
                            .bind(r.entry_id)
                            .bind(r.at)
                            .bind(r.kind)
                            .bind(r.leg.currency.as_str())
                            .bind(r.leg.amount_minor)
                            .bind(r.after)
                            .bind(&r.leg.memo)
                            .bind(&r.leg.counterparty);
                    }
                    q.execute(&mut **tx).await.map_err(map_err)?;
                }
                Ok(())
            }
        }
    };
}

// SQLite: BEGIN IMMEDIATE takes the write lock the ledger writer also takes.
bulk_impl!(
    sqlite_bulk,
    sqlx::Sqlite,
    "BEGIN IMMEDIATE",
    [] as [&str; 0],
    SQLITE_MAX_BINDS,
    false
);
// PostgreSQL: the ledger writer's batch starts by reading MAX(entry_id), so
// ACCESS EXCLUSIVE on journal_entries makes it wait until the load commits
// and then read past the loaded ids (nothing else reads that table). Both
// take journal_entries first and accounts second, so they cannot deadlock;
// EXCLUSIVE on accounts keeps every balance update out meanwhile.
bulk_impl!(
    pg_bulk,
    sqlx::Postgres,
    "BEGIN",
    [
        "LOCK TABLE journal_entries IN ACCESS EXCLUSIVE MODE",
        "LOCK TABLE accounts IN EXCLUSIVE MODE",
    ],
    PG_MAX_BINDS,
    true
);

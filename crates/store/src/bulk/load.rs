//! The bulk load's one transaction: read the states it builds on, apply in
//! memory, then write every row with multi-row INSERTs.

use super::{
    apply, fresh, settlement_account_id, BulkBatch, BulkEntry, BulkSummary, NewSettle, Row, St,
};
use crate::error::map_err;
use crate::sql::{Arg, BindRow, Tx, ENTRY_COLS, POSTING_COLS};
use crate::Db;
use finhub_core::account::{AccountKind, AccountStatus, NewAccount, SETTLEMENT_FLOOR};
use finhub_core::ledger::BalanceState;
use finhub_core::money::Currency;
use finhub_core::party::Person;
use finhub_core::product::ProductRecord;
use finhub_core::{CoreError, CoreResult};
use std::collections::{HashMap, HashSet};

/// PostgreSQL: EXCLUSIVE on accounts keeps every balance update out while
/// the load writes the balances it computed (entry ids need no lock: the
/// load takes its own range of them first). SQLite: BEGIN IMMEDIATE takes
/// the write lock the ledger writer also takes.
const PG_LOCKS: [&str; 1] = ["LOCK TABLE accounts IN EXCLUSIVE MODE"];

/// What the load writes, decided in memory before the first row is written.
struct Plan<'a> {
    first_id: i64,
    states: HashMap<String, St>,
    new_settle: Vec<NewSettle>,
    rows: Vec<Row<'a>>,
    terms: Vec<TermsRow<'a>>,
}

pub(super) async fn load(
    db: &Db,
    batch: &BulkBatch,
    order: &[&BulkEntry],
) -> CoreResult<BulkSummary> {
    let ids = crate::ids::reserve(db, order.len() as i64)
        .await
        .map_err(map_err)?;
    let first_id = ids.start;
    let mut tx = Tx::begin(db).await.map_err(map_err)?;
    if tx.numbered() {
        for lock in PG_LOCKS {
            tx.execute(lock, &[]).await.map_err(map_err)?;
        }
    }
    let (states, new_settle) = states(&mut tx, batch, order).await?;
    let mut plan = Plan {
        first_id,
        states,
        new_settle,
        rows: Vec::new(),
        terms: Vec::new(),
    };
    plan.rows = apply(order, &mut plan.states, first_id)?;
    plan.terms = batch
        .terms
        .iter()
        .map(TermsRow::new)
        .collect::<CoreResult<_>>()?;
    // Insert in primary-key order: B-tree pages fill in sequence
    // instead of being revisited at random (several times faster).
    plan.rows
        .sort_unstable_by(|a, b| (&a.leg.account_id, a.seq).cmp(&(&b.leg.account_id, b.seq)));
    write(&mut tx, batch, order, &plan).await.map_err(map_err)?;
    tx.commit().await.map_err(map_err)?;
    Ok(BulkSummary {
        people: batch.people.len() as u64,
        accounts: batch.accounts.len() as u64,
        entries: order.len() as u64,
        postings: plan.rows.len() as u64,
    })
}

/// Every account the load touches: new accounts fresh, the rest read from
/// the store, missing settlement accounts fresh (and returned to create).
async fn states(
    tx: &mut Tx,
    batch: &BulkBatch,
    order: &[&BulkEntry],
) -> CoreResult<(HashMap<String, St>, Vec<NewSettle>)> {
    let mut states: HashMap<String, St> = HashMap::with_capacity(batch.accounts.len() + 32);
    for a in &batch.accounts {
        states.insert(
            a.account_id.clone(),
            fresh(a.currency, a.floor_minor, false),
        );
    }
    let (lookup, settle_wanted) = lookup_ids(batch, order, &states);
    let lookup: Vec<&str> = lookup.iter().map(String::as_str).collect();
    let stored = read_states(tx, &lookup).await.map_err(map_err)?;
    if batch
        .accounts
        .iter()
        .any(|a| stored.contains_key(&a.account_id))
    {
        return Err(CoreError::Conflict("accounts_pkey".into()));
    }
    states.extend(stored);
    let mut new_settle: Vec<NewSettle> = Vec::new();
    for s in settle_wanted {
        if !states.contains_key(&s.0) {
            states.insert(s.0.clone(), fresh(s.2, SETTLEMENT_FLOOR, true));
            new_settle.push(s);
        }
    }
    Ok((states, new_settle))
}

/// The ids to read from the store (new account ids too: a stored one is a
/// conflict), and the settlement accounts the new accounts need.
fn lookup_ids(
    batch: &BulkBatch,
    order: &[&BulkEntry],
    states: &HashMap<String, St>,
) -> (Vec<String>, Vec<NewSettle>) {
    let mut wanted: Vec<String> = batch
        .accounts
        .iter()
        .map(|a| a.account_id.clone())
        .collect();
    let mut seen: HashSet<String> = wanted.iter().cloned().collect();
    for e in order {
        for l in &e.legs {
            if !states.contains_key(&l.account_id) && seen.insert(l.account_id.clone()) {
                wanted.push(l.account_id.clone());
            }
        }
    }
    let mut settle_wanted: Vec<NewSettle> = Vec::new();
    let mut settle_seen: HashSet<String> = HashSet::new();
    for a in &batch.accounts {
        let id = settlement_account_id(&a.org_code, a.currency);
        if settle_seen.insert(id.clone()) {
            settle_wanted.push((
                id,
                a.org_code.clone(),
                a.currency,
                a.opened_at.timestamp_micros(),
            ));
        }
    }
    wanted.extend(
        settle_wanted
            .iter()
            .filter(|s| !seen.contains(&s.0))
            .map(|s| s.0.clone()),
    );
    (wanted, settle_wanted)
}

async fn write(
    tx: &mut Tx,
    batch: &BulkBatch,
    order: &[&BulkEntry],
    plan: &Plan<'_>,
) -> Result<(), sqlx::Error> {
    let people: Vec<PersonRow> = batch.people.iter().map(PersonRow::new).collect();
    tx.insert("people", &people, "").await?;
    insert_settlements(tx, &plan.new_settle, &plan.states).await?;
    let accounts: Vec<AccountRow> = batch
        .accounts
        .iter()
        .map(|a| AccountRow::new(a, &plan.states[&a.account_id].bal))
        .collect();
    tx.insert("accounts", &accounts, "").await?;
    tx.insert("product_terms", &plan.terms, "").await?;
    let entries: Vec<EntryRef> = order
        .iter()
        .enumerate()
        .map(|(i, e)| EntryRef {
            entry_id: plan.first_id + i as i64,
            e,
        })
        .collect();
    tx.insert("journal_entries", &entries, "").await?;
    tx.insert("postings", &plan.rows, "").await?;
    for (id, st) in plan.states.iter().filter(|(_, s)| s.stored && s.touched) {
        tx.execute(
            "UPDATE accounts SET balance_minor = $1, seq = $2, last_tran_at = $3 WHERE account_id = $4",
            &[
                Arg::Int(st.bal.balance_minor),
                Arg::Int(st.bal.seq),
                Arg::Int(st.bal.last_tran_at_us),
                Arg::Text(id),
            ],
        )
        .await?;
    }
    Ok(())
}

async fn read_states(tx: &mut Tx, ids: &[&str]) -> Result<HashMap<String, St>, sqlx::Error> {
    type StoredRow = (String, i64, i64, String, String, i64, Option<i64>, String);
    let mut out = HashMap::new();
    for chunk in ids.chunks(crate::sql::rows_per_stmt(tx.max_binds(), 1)) {
        let sql = format!(
            "SELECT account_id, balance_minor, floor_minor, currency, status, seq, last_tran_at, kind \
             FROM accounts WHERE account_id IN ({})",
            tx.marks(1, chunk.len())
        );
        let args: Vec<Arg> = chunk.iter().map(|id| Arg::Text(id)).collect();
        let rows: Vec<StoredRow> = tx.fetch_all(&sql, &args).await?;
        for (id, balance, floor, cur, status, seq, last, kind) in rows {
            let currency = Currency::parse(&cur).map_err(|e| sqlx::Error::Decode(e.into()))?;
            let bal = BalanceState {
                balance_minor: balance,
                floor_minor: floor,
                currency,
                closed: status == AccountStatus::Closed.as_str(),
                seq,
                last_tran_at_us: last.unwrap_or(i64::MIN),
            };
            let settlement = kind == AccountKind::Settlement.as_str();
            out.insert(
                id,
                St {
                    bal,
                    stored: true,
                    settlement,
                    touched: false,
                },
            );
        }
    }
    Ok(out)
}

async fn insert_settlements(
    tx: &mut Tx,
    new: &[NewSettle],
    states: &HashMap<String, St>,
) -> Result<(), sqlx::Error> {
    for (id, org, cur, opened_at) in new {
        let st = &states[id].bal;
        let num = format!("SETTLE-{cur}");
        tx.execute(
            "INSERT INTO accounts (account_id, org_code, account_num, kind, product_name, currency, person_id, \
             holder_name, opened_at, status, floor_minor, balance_minor, seq, last_tran_at) \
             VALUES ($1, $2, $3, 'settlement', '기관 결제계정', $4, NULL, $5, $6, 'active', $7, $8, $9, $10)",
            &[
                Arg::Text(id),
                Arg::Text(org),
                Arg::Text(&num),
                Arg::Text(cur.as_str()),
                Arg::Text(org),
                Arg::Int(*opened_at),
                Arg::Int(SETTLEMENT_FLOOR),
                Arg::Int(st.balance_minor),
                Arg::Int(st.seq),
                Arg::OptInt((st.seq > 0).then_some(st.last_tran_at_us)),
            ],
        )
        .await?;
    }
    Ok(())
}

/// A `people` row.
struct PersonRow<'a> {
    p: &'a Person,
    birth_date: String,
}

impl<'a> PersonRow<'a> {
    fn new(p: &'a Person) -> Self {
        let birth_date = p.birth_date.format("%Y-%m-%d").to_string();
        PersonRow { p, birth_date }
    }
}

impl BindRow for PersonRow<'_> {
    const COLS: &'static str = "person_id, ci, name, birth_date, gender, phone, email";
    fn args<'a>(&'a self, out: &mut Vec<Arg<'a>>) {
        let p = self.p;
        out.extend([
            Arg::Text(&p.person_id),
            Arg::Text(&p.ci),
            Arg::Text(&p.name),
            Arg::Text(&self.birth_date),
            Arg::OptText(p.gender.map(|g| g.as_str())),
            Arg::OptText(p.phone.as_deref()),
            Arg::OptText(p.email.as_deref()),
        ]);
    }
}

/// A new account's row, with the balance the load leaves it.
struct AccountRow<'a> {
    a: &'a NewAccount,
    st: &'a BalanceState,
    maturity_date: Option<String>,
}

impl<'a> AccountRow<'a> {
    fn new(a: &'a NewAccount, st: &'a BalanceState) -> Self {
        let maturity_date = a.maturity_date.map(|d| d.format("%Y-%m-%d").to_string());
        AccountRow {
            a,
            st,
            maturity_date,
        }
    }
}

impl BindRow for AccountRow<'_> {
    const COLS: &'static str = "account_id, org_code, account_num, kind, product_name, currency, \
         person_id, holder_name, opened_at, maturity_date, status, floor_minor, balance_minor, seq, \
         last_tran_at";
    fn args<'a>(&'a self, out: &mut Vec<Arg<'a>>) {
        let (a, st) = (self.a, self.st);
        out.extend([
            Arg::Text(&a.account_id),
            Arg::Text(&a.org_code),
            Arg::Text(&a.account_num),
            Arg::Text(a.kind.as_str()),
            Arg::Text(&a.product_name),
            Arg::Text(a.currency.as_str()),
            Arg::OptText(a.person_id.as_deref()),
            Arg::Text(&a.holder_name),
            Arg::Int(a.opened_at.timestamp_micros()),
            Arg::OptText(self.maturity_date.as_deref()),
            Arg::Text(AccountStatus::Active.as_str()),
            Arg::Int(a.floor_minor),
            Arg::Int(st.balance_minor),
            Arg::Int(st.seq),
            Arg::OptInt((st.seq > 0).then_some(st.last_tran_at_us)),
        ]);
    }
}

/// A `product_terms` row: the terms as the JSON the product store reads.
struct TermsRow<'a> {
    r: &'a ProductRecord,
    json: String,
}

impl<'a> TermsRow<'a> {
    fn new(r: &'a ProductRecord) -> CoreResult<Self> {
        let json = crate::products::terms_json(&r.terms)?;
        Ok(TermsRow { r, json })
    }
}

impl BindRow for TermsRow<'_> {
    const COLS: &'static str = "account_id, terms, updated_at";
    fn args<'a>(&'a self, out: &mut Vec<Arg<'a>>) {
        out.extend([
            Arg::Text(&self.r.account_id),
            Arg::Text(&self.json),
            Arg::Int(self.r.updated_at.timestamp_micros()),
        ]);
    }
}

/// A `journal_entries` row of a loaded entry.
struct EntryRef<'a> {
    entry_id: i64,
    e: &'a BulkEntry,
}

impl BindRow for EntryRef<'_> {
    const COLS: &'static str = ENTRY_COLS;
    fn args<'a>(&'a self, out: &mut Vec<Arg<'a>>) {
        out.extend([
            Arg::Int(self.entry_id),
            Arg::Int(self.e.at.timestamp_micros()),
            Arg::Text(self.e.kind.as_str()),
            Arg::Text(&self.e.scope),
            Arg::Text(&self.e.key),
        ]);
    }
}

impl BindRow for Row<'_> {
    const COLS: &'static str = POSTING_COLS;
    fn args<'a>(&'a self, out: &mut Vec<Arg<'a>>) {
        let l = self.leg;
        out.extend([
            Arg::Text(&l.account_id),
            Arg::Int(self.seq),
            Arg::Int(self.entry_id),
            Arg::Int(self.at),
            Arg::Text(self.kind),
            Arg::Text(l.currency.as_str()),
            Arg::Int(l.amount_minor),
            Arg::Int(self.after),
            Arg::Text(&l.memo),
            Arg::Text(&l.counterparty),
        ]);
    }
}

//! One batch in one transaction: commands apply one after another against
//! the balances as the previous command left them; the rows they write are
//! gathered here and flushed just before commit.

use super::{flush, prefetch, Committed, Op, OpResult};
use crate::ids::Ids;
use crate::sql::{Arg, Tx};
use crate::Db;
use finhub_core::account::{Account, AccountStatus, NewAccount, SETTLEMENT_FLOOR};
use finhub_core::fraud::TransferEvent;
use finhub_core::ledger::{
    check_leg, check_limit, Applied, BalanceState, EntryKind, Leg, PostingResult, Rejection,
    TransferOutcome, TransferRequest,
};
use finhub_core::money::Currency;
use finhub_core::{CoreError, CoreResult};
use std::collections::{HashMap, HashSet};

/// Pending writes of one batch, flushed just before commit.
#[derive(Default)]
pub(super) struct Batch {
    pub(super) accounts: HashMap<String, Option<BalanceState>>,
    pub(super) dirty: Vec<String>,
    pub(super) counters: HashMap<(String, String), i64>,
    pub(super) dirty_counters: Vec<(String, String)>,
    pub(super) outcomes: HashMap<(String, String), TransferOutcome>,
    /// Keys looked up before the batch ran and found unused.
    pub(super) absent: HashSet<(String, String)>,
    pub(super) postings: Vec<PostingRow>,
    pub(super) entries: Vec<EntryRow>,
    pub(super) idem: Vec<IdemRow>,
    /// Fraud-log lines of the transfers applied in this batch.
    pub(super) log: Vec<TransferEvent>,
}

/// A `postings` row (columns: `sql::POSTING_COLS`).
pub(crate) struct PostingRow {
    pub(crate) account_id: String,
    pub(crate) seq: i64,
    pub(crate) entry_id: i64,
    pub(crate) at: i64,
    pub(crate) kind: &'static str,
    pub(crate) currency: Currency,
    pub(crate) amount: i64,
    pub(crate) after: i64,
    pub(crate) memo: String,
    pub(crate) counterparty: String,
}

/// A `journal_entries` row (columns: `sql::ENTRY_COLS`).
pub(super) struct EntryRow {
    pub(super) entry_id: i64,
    pub(super) at: i64,
    pub(super) kind: &'static str,
    pub(super) scope: String,
    pub(super) key: String,
}

/// An `idempotency` row: the first outcome under a request's key.
pub(super) struct IdemRow {
    pub(super) scope: String,
    pub(super) key: String,
    pub(super) fingerprint: String,
    pub(super) at: i64,
    pub(super) entry_id: Option<i64>,
    pub(super) outcome: String,
}

/// Columns of the account reads the batch writes after.
const STATE_COLS: &str = "balance_minor, floor_minor, currency, status, seq, last_tran_at";

/// An account row as `STATE_COLS` reads it.
pub(super) type StateRow = (i64, i64, String, String, i64, Option<i64>);

pub(super) fn state_from(row: StateRow) -> Result<BalanceState, sqlx::Error> {
    let (balance, floor, cur, status, seq, last) = row;
    Ok(BalanceState {
        balance_minor: balance,
        floor_minor: floor,
        currency: Currency::parse(&cur).map_err(|e| sqlx::Error::Decode(e.into()))?,
        closed: status == AccountStatus::Closed.as_str(),
        seq,
        last_tran_at_us: last.unwrap_or(i64::MIN),
    })
}

/// Business rejections that depend on the world's state are outcomes: they
/// are recorded under the key so a retry sees the same answer. Malformed
/// requests are not recorded.
fn is_recorded(r: &Rejection) -> bool {
    !matches!(
        r,
        Rejection::Unbalanced | Rejection::EmptyEntry | Rejection::ZeroAmount
    )
}

/// The batch's transaction and what it has done so far.
pub(super) struct Run {
    pub(super) tx: Tx,
    pub(super) b: Batch,
    next_id: i64,
}

pub(super) async fn apply(
    db: &Db,
    ops: &[Op],
    ids: &mut Ids,
    node: &str,
) -> Result<(Vec<OpResult>, Committed), sqlx::Error> {
    // At most one entry per command. Spent whatever happens next, so an id
    // a failed commit may still have used is never handed out again.
    let next_id = ids.first_of(db, ops.len()).await?;
    ids.spent_to(next_id + ops.len() as i64);
    // Balance updates bump this writer's own version row, not a shared one.
    let tx = Tx::begin_as(db, node).await?;
    let mut run = Run {
        tx,
        b: Batch::default(),
        next_id,
    };
    prefetch::prefetch(&mut run.tx, &mut run.b, ops).await?;
    let mut results = Vec::with_capacity(ops.len());
    for op in ops {
        results.push(run.op(op).await?);
    }
    assert_balanced(&run.b.postings);
    flush::flush(&mut run.tx, &run.b).await?;
    run.tx.commit().await?;
    let b = run.b;
    let committed = b
        .dirty
        .iter()
        .filter_map(|id| {
            let st = b.accounts.get(id)?.as_ref()?;
            Some((id.clone(), st.balance_minor, st.last_tran_at_us))
        })
        .collect();
    Ok((results, committed))
}

/// Every entry's postings sum to zero per currency (core's rule, refused
/// before a request reaches the batch). Checked again on what the batch is
/// about to write, in debug builds and tests; free in release.
pub(crate) fn check_balanced(postings: &[PostingRow]) -> Result<(), String> {
    let mut sums: HashMap<(i64, Currency), i128> = HashMap::new();
    for p in postings {
        *sums.entry((p.entry_id, p.currency)).or_default() += i128::from(p.amount);
    }
    match sums.into_iter().find(|(_, s)| *s != 0) {
        Some(((entry_id, cur), s)) => Err(format!("entry {entry_id} sums to {s} {cur}")),
        None => Ok(()),
    }
}

/// `debug_assert!` of [`check_balanced`]: a batch out of balance stops the
/// writer before it commits.
pub(crate) fn assert_balanced(postings: &[PostingRow]) {
    if cfg!(debug_assertions) {
        if let Err(e) = check_balanced(postings) {
            panic!("ledger batch out of balance: {e}");
        }
    }
}

impl Run {
    async fn op(&mut self, op: &Op) -> Result<OpResult, sqlx::Error> {
        Ok(match op {
            Op::Transfer(req, log) => {
                let r = self.transfer(req).await?;
                if let (Some(ev), Ok(o)) = (log, &r) {
                    if o.result.is_ok() && !o.replayed {
                        self.b.log.push(ev.clone());
                    }
                }
                OpResult::Transfer(r)
            }
            Op::Open(new) => OpResult::Open(self.open(new).await?),
            Op::ForgetAccounts => OpResult::Forgot,
        })
    }

    /// The account's state in this batch, read (and locked) on first use.
    pub(super) async fn state(
        &mut self,
        account_id: &str,
    ) -> Result<Option<&mut BalanceState>, sqlx::Error> {
        if !self.b.accounts.contains_key(account_id) {
            let sql = format!(
                "SELECT {STATE_COLS} FROM accounts WHERE account_id = $1{}",
                self.tx.lock()
            );
            let row: Option<StateRow> = self
                .tx
                .fetch_optional(&sql, &[Arg::Text(account_id)])
                .await?;
            let st = row.map(state_from).transpose()?;
            self.b.accounts.insert(account_id.to_owned(), st);
        }
        Ok(self.b.accounts.get_mut(account_id).and_then(|s| s.as_mut()))
    }

    /// The first outcome under this key, if any.
    async fn prior(
        &mut self,
        scope: &str,
        key: &str,
    ) -> Result<Option<TransferOutcome>, sqlx::Error> {
        let k = (scope.to_owned(), key.to_owned());
        if let Some(o) = self.b.outcomes.get(&k) {
            return Ok(Some(o.clone()));
        }
        if self.b.absent.contains(&k) {
            return Ok(None);
        }
        let row: Option<(String,)> = self
            .tx
            .fetch_optional(
                "SELECT outcome FROM idempotency WHERE scope = $1 AND idem_key = $2",
                &[Arg::Text(scope), Arg::Text(key)],
            )
            .await?;
        row.map(|(s,)| serde_json::from_str(&s).map_err(|e| sqlx::Error::Decode(e.into())))
            .transpose()
    }

    async fn transfer(
        &mut self,
        req: &TransferRequest,
    ) -> Result<CoreResult<TransferOutcome>, sqlx::Error> {
        let fingerprint = req.fingerprint();
        if let Some(mut first) = self.prior(&req.scope, &req.key).await? {
            if first.fingerprint != fingerprint {
                return Ok(Err(CoreError::IdempotencyMismatch));
            }
            first.replayed = true;
            return Ok(Ok(first));
        }
        if let Err(r) = req.check_shape() {
            return Ok(Err(CoreError::Rejected(r)));
        }
        let result = match self.decide(req).await? {
            Err(r) if !is_recorded(&r) => return Ok(Err(CoreError::Rejected(r))),
            Err(r) => Err(r),
            Ok((afters, totals)) => Ok(self.post(req, afters, totals)),
        };
        let outcome = TransferOutcome {
            scope: req.scope.clone(),
            key: req.key.clone(),
            fingerprint,
            at: req.at,
            result,
            meta: req.meta.clone(),
            replayed: false,
        };
        self.record(&outcome)?;
        Ok(Ok(outcome))
    }

    /// Keep the outcome under its key, for retries in this batch and after.
    fn record(&mut self, outcome: &TransferOutcome) -> Result<(), sqlx::Error> {
        let json = serde_json::to_string(outcome).map_err(|e| sqlx::Error::Encode(e.into()))?;
        self.b.idem.push(IdemRow {
            scope: outcome.scope.clone(),
            key: outcome.key.clone(),
            fingerprint: outcome.fingerprint.clone(),
            at: outcome.at.timestamp_micros(),
            entry_id: outcome.result.as_ref().ok().map(|a| a.entry_id),
            outcome: json,
        });
        let k = (outcome.scope.clone(), outcome.key.clone());
        self.b.outcomes.insert(k, outcome.clone());
        Ok(())
    }

    /// Move the balances a decided transfer moves and gather its rows.
    fn post(&mut self, req: &TransferRequest, afters: Vec<i64>, totals: Vec<i64>) -> Applied {
        let b = &mut self.b;
        let entry_id = self.next_id;
        self.next_id += 1;
        let at_us = req.at.timestamp_micros();
        let mut postings = Vec::with_capacity(req.legs.len());
        for (leg, after) in req.legs.iter().zip(afters) {
            let st = b
                .accounts
                .get_mut(&leg.account_id)
                .and_then(|s| s.as_mut())
                .expect("loaded");
            st.balance_minor = after;
            st.seq += 1;
            // Statement order is time order: never stamp before the last line.
            st.last_tran_at_us = st.last_tran_at_us.max(at_us);
            if !b.dirty.contains(&leg.account_id) {
                b.dirty.push(leg.account_id.clone());
            }
            b.postings.push(PostingRow {
                account_id: leg.account_id.clone(),
                seq: st.seq,
                entry_id,
                at: st.last_tran_at_us,
                kind: req.kind.as_str(),
                currency: leg.currency,
                amount: leg.amount_minor,
                after,
                memo: leg.memo.clone(),
                counterparty: leg.counterparty.clone(),
            });
            postings.push(PostingResult {
                account_id: leg.account_id.clone(),
                seq: st.seq,
                balance_after_minor: after,
            });
        }
        for (l, total) in req.limits.iter().zip(&totals) {
            let k = (l.counter.clone(), l.period.clone());
            b.counters.insert(k.clone(), *total);
            if !b.dirty_counters.contains(&k) {
                b.dirty_counters.push(k);
            }
        }
        b.entries.push(EntryRow {
            entry_id,
            at: at_us,
            kind: req.kind.as_str(),
            scope: req.scope.clone(),
            key: req.key.clone(),
        });
        Applied {
            entry_id,
            postings,
            limit_totals: totals,
        }
    }

    /// Check every leg and limit against the current state; on success
    /// return each leg's balance after and each limit's new total.
    async fn decide(
        &mut self,
        req: &TransferRequest,
    ) -> Result<Result<(Vec<i64>, Vec<i64>), Rejection>, sqlx::Error> {
        let afters = match self.legs(req).await? {
            Ok(a) => a,
            Err(r) => return Ok(Err(r)),
        };
        let mut totals = Vec::with_capacity(req.limits.len());
        for l in &req.limits {
            let total = self.counter(&l.counter, &l.period).await?;
            match check_limit(l, total) {
                Ok(t) => totals.push(t),
                Err(r) => return Ok(Err(r)),
            }
        }
        Ok(Ok((afters, totals)))
    }

    /// Each leg's balance after, legs applied in order.
    async fn legs(
        &mut self,
        req: &TransferRequest,
    ) -> Result<Result<Vec<i64>, Rejection>, sqlx::Error> {
        // Legs may touch the same account twice; apply them in order on a scratch copy.
        let mut scratch: HashMap<&str, i64> = HashMap::new();
        let mut afters = Vec::with_capacity(req.legs.len());
        for leg in &req.legs {
            let Some(st) = self.state(&leg.account_id).await? else {
                return Ok(Err(Rejection::AccountNotFound {
                    account_id: leg.account_id.clone(),
                }));
            };
            let mut view = st.clone();
            if let Some(bal) = scratch.get(leg.account_id.as_str()) {
                view.balance_minor = *bal;
            }
            match check_leg(leg, &view) {
                Ok(after) => {
                    scratch.insert(&leg.account_id, after);
                    afters.push(after);
                }
                Err(r) => return Ok(Err(r)),
            }
        }
        Ok(Ok(afters))
    }

    /// A limit counter's total in this batch, read (and locked) on first use.
    async fn counter(&mut self, counter: &str, period: &str) -> Result<i64, sqlx::Error> {
        let k = (counter.to_owned(), period.to_owned());
        if let Some(t) = self.b.counters.get(&k) {
            return Ok(*t);
        }
        let sql = format!(
            "SELECT total_minor FROM limit_counters WHERE counter = $1 AND period = $2{}",
            self.tx.lock()
        );
        let t: Option<(i64,)> = self
            .tx
            .fetch_optional(&sql, &[Arg::Text(counter), Arg::Text(period)])
            .await?;
        let t = t.map_or(0, |t| t.0);
        self.b.counters.insert(k, t);
        Ok(t)
    }

    async fn open(&mut self, new: &NewAccount) -> Result<CoreResult<Account>, sqlx::Error> {
        let taken: Option<(String,)> = self
            .tx
            .fetch_optional(
                "SELECT account_id FROM accounts WHERE (org_code = $1 AND account_num = $2) OR account_id = $3",
                &[
                    Arg::Text(&new.org_code),
                    Arg::Text(&new.account_num),
                    Arg::Text(&new.account_id),
                ],
            )
            .await?;
        if taken.is_some() {
            return Ok(Err(CoreError::Conflict("accounts_number_key".into())));
        }
        let settle_id = format!("settle:{}:{}", new.org_code, new.currency);
        if self.state(&settle_id).await?.is_none() {
            self.insert_settlement(new, &settle_id).await?;
        }
        self.insert_account(new).await?;
        let mut balance = 0;
        let mut last_tran_at = None;
        if new.opening_balance_minor > 0 {
            match self.transfer(&opening(new, settle_id)).await? {
                Ok(TransferOutcome { result: Ok(_), .. }) => {
                    balance = new.opening_balance_minor;
                    last_tran_at = Some(new.opened_at);
                }
                Ok(TransferOutcome { result: Err(r), .. }) => {
                    return Ok(Err(CoreError::Rejected(r)))
                }
                Err(e) => return Ok(Err(e)),
            }
        }
        Ok(Ok(opened(new, balance, last_tran_at)))
    }

    /// The institution's settlement account in the new account's currency,
    /// created on its first opening.
    async fn insert_settlement(
        &mut self,
        new: &NewAccount,
        settle_id: &str,
    ) -> Result<(), sqlx::Error> {
        let num = format!("SETTLE-{}", new.currency);
        self.tx
            .execute(
                "INSERT INTO accounts (account_id, org_code, account_num, kind, product_name, currency, person_id, \
                 holder_name, opened_at, status, floor_minor, balance_minor, seq) \
                 VALUES ($1, $2, $3, 'settlement', '기관 결제계정', $4, NULL, $5, $6, 'active', $7, 0, 0)",
                &[
                    Arg::Text(settle_id),
                    Arg::Text(&new.org_code),
                    Arg::Text(&num),
                    Arg::Text(new.currency.as_str()),
                    Arg::Text(&new.org_code),
                    Arg::Int(new.opened_at.timestamp_micros()),
                    Arg::Int(SETTLEMENT_FLOOR),
                ],
            )
            .await?;
        let st = fresh(new.currency, SETTLEMENT_FLOOR);
        self.b.accounts.insert(settle_id.to_owned(), Some(st));
        Ok(())
    }

    async fn insert_account(&mut self, new: &NewAccount) -> Result<(), sqlx::Error> {
        let maturity = new.maturity_date.map(|d| d.format("%Y-%m-%d").to_string());
        self.tx
            .execute(
                "INSERT INTO accounts (account_id, org_code, account_num, kind, product_name, currency, person_id, \
                 holder_name, opened_at, maturity_date, status, floor_minor, balance_minor, seq) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'active', $11, 0, 0)",
                &[
                    Arg::Text(&new.account_id),
                    Arg::Text(&new.org_code),
                    Arg::Text(&new.account_num),
                    Arg::Text(new.kind.as_str()),
                    Arg::Text(&new.product_name),
                    Arg::Text(new.currency.as_str()),
                    Arg::OptText(new.person_id.as_deref()),
                    Arg::Text(&new.holder_name),
                    Arg::Int(new.opened_at.timestamp_micros()),
                    Arg::OptText(maturity.as_deref()),
                    Arg::Int(new.floor_minor),
                ],
            )
            .await?;
        let st = fresh(new.currency, new.floor_minor);
        self.b.accounts.insert(new.account_id.clone(), Some(st));
        Ok(())
    }
}

/// The opening entry: the settlement account funds the new account.
fn opening(new: &NewAccount, settle_id: String) -> TransferRequest {
    TransferRequest {
        scope: "finhub:open".into(),
        key: new.account_id.clone(),
        at: new.opened_at,
        kind: EntryKind::Opening,
        legs: vec![
            Leg {
                account_id: settle_id,
                amount_minor: -new.opening_balance_minor,
                currency: new.currency,
                memo: "신규".into(),
                counterparty: new.holder_name.clone(),
            },
            Leg {
                account_id: new.account_id.clone(),
                amount_minor: new.opening_balance_minor,
                currency: new.currency,
                memo: "신규".into(),
                counterparty: String::new(),
            },
        ],
        limits: vec![],
        meta: serde_json::Value::Null,
    }
}

fn opened(
    new: &NewAccount,
    balance: i64,
    last_tran_at: Option<chrono::DateTime<chrono::Utc>>,
) -> Account {
    Account {
        account_id: new.account_id.clone(),
        org_code: new.org_code.clone(),
        account_num: new.account_num.clone(),
        kind: new.kind,
        product_name: new.product_name.clone(),
        currency: new.currency,
        person_id: new.person_id.clone(),
        holder_name: new.holder_name.clone(),
        opened_at: new.opened_at,
        closed_at: None,
        maturity_date: new.maturity_date,
        status: AccountStatus::Active,
        floor_minor: new.floor_minor,
        balance_minor: balance,
        last_tran_at,
    }
}

fn fresh(currency: Currency, floor: i64) -> BalanceState {
    BalanceState {
        balance_minor: 0,
        floor_minor: floor,
        currency,
        closed: false,
        seq: 0,
        last_tran_at_us: i64::MIN,
    }
}

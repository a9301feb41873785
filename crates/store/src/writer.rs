//! The single ledger writer: group commit.
//!
//! Every money movement goes through one task that drains its queue into a
//! batch and applies the whole batch in one database transaction, so one
//! durable commit (one fsync) acknowledges many transfers. Within the batch
//! commands apply one after another against the balances as the previous
//! command left them, exactly as if each had its own transaction. Nothing is
//! acknowledged before the commit returns.

use crate::error::map_err;
use crate::Caches;
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
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

pub(crate) enum Op {
    /// A transfer and the fraud-log line to write with it if it applies.
    Transfer(TransferRequest, Option<TransferEvent>),
    Open(NewAccount),
    /// Drop the in-memory account copies after balances moved outside the
    /// writer (a bulk load). Queued like a transfer, so a batch committed
    /// before that write cannot publish its older balances after the drop.
    ForgetAccounts,
}

pub(crate) enum OpResult {
    Transfer(CoreResult<TransferOutcome>),
    Open(CoreResult<Account>),
    Forgot,
}

type Reply = oneshot::Sender<OpResult>;

#[derive(Clone)]
pub(crate) struct WriterHandle {
    tx: mpsc::Sender<(Op, Reply)>,
}

impl WriterHandle {
    pub(crate) async fn submit(&self, op: Op) -> CoreResult<OpResult> {
        let (reply, rx) = oneshot::channel();
        self.tx
            .send((op, reply))
            .await
            .map_err(|_| CoreError::Unavailable("ledger writer stopped".into()))?;
        rx.await
            .map_err(|_| CoreError::Unavailable("ledger writer stopped".into()))
    }
}

pub(crate) fn spawn(db: Db, max_batch: usize, caches: Arc<Caches>) -> WriterHandle {
    let max_batch = max_batch.clamp(1, 4096);
    // A bounded queue: when the disk cannot keep up, callers wait here.
    let (tx, rx) = mpsc::channel(max_batch * 4);
    tokio::spawn(run(db, rx, max_batch, caches));
    WriterHandle { tx }
}

/// The balances a committed batch left, for the in-memory account copies:
/// (account_id, balance_minor, last_tran_at in µs).
type Committed = Vec<(String, i64, i64)>;

/// Bring the account copies up to the commit, before anyone is answered, so a
/// read after an acknowledged transfer shows it.
fn publish(caches: &Caches, committed: &Committed) {
    caches.accounts.apply(
        committed
            .iter()
            .map(|(id, bal, last)| (id.as_str(), (*bal, *last))),
        |(bal, last), a| {
            a.balance_minor = bal;
            a.last_tran_at = (last != i64::MIN).then(|| finhub_core::clock::from_micros(last));
        },
    );
}

async fn run(db: Db, mut rx: mpsc::Receiver<(Op, Reply)>, max_batch: usize, caches: Arc<Caches>) {
    let mut ctx = Ctx::default();
    let mut queue: Vec<(Op, Reply)> = Vec::with_capacity(max_batch);
    while let Some(first) = rx.recv().await {
        queue.push(first);
        while queue.len() < max_batch {
            match rx.try_recv() {
                Ok(c) => queue.push(c),
                Err(_) => break,
            }
        }
        let (ops, replies): (Vec<Op>, Vec<Reply>) = queue.drain(..).unzip();
        match apply(&db, &ops, &mut ctx).await {
            Ok((results, committed)) => {
                publish(&caches, &committed);
                if ops.iter().any(|op| matches!(op, Op::ForgetAccounts)) {
                    caches.accounts.clear();
                }
                for (r, reply) in results.into_iter().zip(replies) {
                    let _ = reply.send(r);
                }
            }
            Err(e) => {
                ctx = Ctx::default();
                // A failed commit may still have landed (a connection lost
                // during COMMIT): the copies cannot tell, so drop them all.
                caches.accounts.clear();
                // One command's conflict must not fail its neighbours, so a
                // database error is retried command by command. A lost or
                // busy database (Unavailable) is not: retrying each command
                // against it would cost every caller a timeout per command.
                let per_command = matches!(e, sqlx::Error::Database(_));
                let err = map_err(e);
                let retry_alone =
                    ops.len() > 1 && per_command && !matches!(err, CoreError::Unavailable(_));
                tracing::warn!(error = %err, batch = ops.len(), retry_alone, "ledger batch rolled back");
                if retry_alone {
                    // Once the database is gone, the rest fail at once too.
                    let mut down: Option<CoreError> = None;
                    for (op, reply) in ops.into_iter().zip(replies) {
                        let one = [op];
                        let r = match &down {
                            Some(d) => failed(&one[0], clone_err(d)),
                            None => match apply(&db, &one, &mut ctx).await {
                                Ok((mut v, committed)) => {
                                    publish(&caches, &committed);
                                    v.pop().expect("one result")
                                }
                                Err(e) => {
                                    ctx = Ctx::default();
                                    caches.accounts.clear();
                                    let e = map_err(e);
                                    if matches!(e, CoreError::Unavailable(_)) {
                                        down = Some(clone_err(&e));
                                    }
                                    failed(&one[0], e)
                                }
                            },
                        };
                        let _ = reply.send(r);
                    }
                } else {
                    for (op, reply) in ops.iter().zip(replies) {
                        let _ = reply.send(failed(op, clone_err(&err)));
                    }
                }
            }
        }
    }
}

fn failed(op: &Op, e: CoreError) -> OpResult {
    match op {
        Op::Transfer(..) => OpResult::Transfer(Err(e)),
        Op::Open(_) => OpResult::Open(Err(e)),
        Op::ForgetAccounts => OpResult::Forgot,
    }
}

fn clone_err(e: &CoreError) -> CoreError {
    match e {
        CoreError::Unavailable(m) => CoreError::Unavailable(m.clone()),
        other => CoreError::Internal(other.to_string()),
    }
}

/// What the writer remembers between batches (nothing yet: every batch reads
/// its state under the write lock).
#[derive(Default)]
pub(crate) struct Ctx {}

async fn apply(
    db: &Db,
    ops: &[Op],
    ctx: &mut Ctx,
) -> Result<(Vec<OpResult>, Committed), sqlx::Error> {
    match db {
        Db::Sqlite(p) => sqlite_impl::apply(p, ops, ctx).await,
        Db::Pg(p) => pg_impl::apply(p, ops, ctx).await,
    }
}

/// Pending writes of one batch, flushed just before commit.
#[derive(Default)]
struct Batch {
    accounts: HashMap<String, Option<BalanceState>>,
    dirty: Vec<String>,
    counters: HashMap<(String, String), i64>,
    dirty_counters: Vec<(String, String)>,
    outcomes: HashMap<(String, String), TransferOutcome>,
    /// Keys looked up before the batch ran and found unused.
    absent: HashSet<(String, String)>,
    postings: Vec<PostingRowW>,
    entries: Vec<(i64, i64, &'static str, String, String)>,
    idem: Vec<(String, String, String, i64, Option<i64>, String)>,
    /// Fraud-log lines of the transfers applied in this batch.
    log: Vec<TransferEvent>,
}

struct PostingRowW {
    account_id: String,
    seq: i64,
    entry_id: i64,
    at: i64,
    kind: &'static str,
    currency: Currency,
    amount: i64,
    after: i64,
    memo: String,
    counterparty: String,
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

macro_rules! backend_impl {
    ($modname:ident, $DB:ty, $begin:expr, $lock:expr, $numbered:expr) => {
        mod $modname {
            use super::*;
            use crate::sql::push_values;
            const NUMBERED: bool = $numbered;
            type Pool = sqlx::Pool<$DB>;
            type Tx<'c> = sqlx::Transaction<'c, $DB>;

            pub(crate) async fn apply(pool: &Pool, ops: &[Op], ctx: &mut Ctx) -> Result<(Vec<OpResult>, Committed), sqlx::Error> {
                let mut tx = pool.begin_with($begin).await?;
                // Read under the batch's write lock rather than cached, so other
                // writers (a bulk seed, a second process) never collide with us.
                let _ = ctx;
                let max: Option<i64> =
                    sqlx::query_scalar("SELECT MAX(entry_id) FROM journal_entries").fetch_one(&mut *tx).await?;
                let mut next_id = max.unwrap_or(0) + 1;
                let mut b = Batch::default();
                prefetch(&mut tx, &mut b, ops).await?;
                let mut results = Vec::with_capacity(ops.len());
                for op in ops {
                    let r = match op {
                        Op::Transfer(req, log) => {
                            let r = transfer(&mut tx, &mut b, req, &mut next_id).await?;
                            if let (Some(ev), Ok(TransferOutcome { result: Ok(_), replayed: false, .. })) = (log, &r) {
                                b.log.push(ev.clone());
                            }
                            OpResult::Transfer(r)
                        }
                        Op::Open(new) => OpResult::Open(open(&mut tx, &mut b, new, &mut next_id).await?),
                        Op::ForgetAccounts => OpResult::Forgot,
                    };
                    results.push(r);
                }
                flush(&mut tx, &b).await?;
                tx.commit().await?;
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

            /// Read everything the batch's transfers will look at in a few
            /// statements (idempotency keys, accounts, limit counters) instead
            /// of one round trip per transfer and per account.
            async fn prefetch(tx: &mut Tx<'_>, b: &mut Batch, ops: &[Op]) -> Result<(), sqlx::Error> {
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
                // Idempotency: one query per scope (the key's index leads with scope).
                let mut by_scope: HashMap<&str, Vec<&str>> = HashMap::new();
                for r in &reqs {
                    let keys = by_scope.entry(r.scope.as_str()).or_default();
                    if !keys.contains(&r.key.as_str()) {
                        keys.push(r.key.as_str());
                    }
                }
                for (scope, keys) in by_scope {
                    for chunk in keys.chunks(PREFETCH_CHUNK) {
                        let sql = format!(
                            "SELECT idem_key, outcome FROM idempotency WHERE scope = $1 AND idem_key IN ({})",
                            placeholders(2, chunk.len())
                        );
                        let mut q = sqlx::query_as::<_, (String, String)>(&sql).bind(scope);
                        for k in chunk {
                            q = q.bind(*k);
                        }
                        let found: HashMap<String, String> = q.fetch_all(&mut **tx).await?.into_iter().collect();
                        for k in chunk {
                            let key = (scope.to_owned(), (*k).to_owned());
                            match found.get(*k) {
                                Some(json) => {
                                    let o: TransferOutcome =
                                        serde_json::from_str(json).map_err(|e| sqlx::Error::Decode(e.into()))?;
                                    b.outcomes.insert(key, o);
                                }
                                None => {
                                    b.absent.insert(key);
                                }
                            }
                        }
                    }
                }
                // Accounts, under the batch's write lock.
                let mut ids: Vec<&str> = Vec::new();
                for r in &reqs {
                    for l in &r.legs {
                        if !ids.contains(&l.account_id.as_str()) {
                            ids.push(l.account_id.as_str());
                        }
                    }
                }
                for chunk in ids.chunks(PREFETCH_CHUNK) {
                    let sql = format!(
                        concat!(
                            "SELECT account_id, balance_minor, floor_minor, currency, status, seq, last_tran_at FROM accounts ",
                            "WHERE account_id IN ({})",
                            $lock
                        ),
                        placeholders(1, chunk.len())
                    );
                    let mut q = sqlx::query_as::<_, (String, i64, i64, String, String, i64, Option<i64>)>(&sql);
                    for id in chunk {
                        q = q.bind(*id);
                    }
                    for id in chunk {
                        b.accounts.insert((*id).to_owned(), None);
                    }
                    for (id, balance, floor, cur, status, seq, last) in q.fetch_all(&mut **tx).await? {
                        let st = BalanceState {
                            balance_minor: balance,
                            floor_minor: floor,
                            currency: Currency::parse(&cur).map_err(|e| sqlx::Error::Decode(e.into()))?,
                            closed: status == AccountStatus::Closed.as_str(),
                            seq,
                            last_tran_at_us: last.unwrap_or(i64::MIN),
                        };
                        b.accounts.insert(id, Some(st));
                    }
                }
                // Limit counters: one query per period (usually one).
                let mut by_period: HashMap<&str, Vec<&str>> = HashMap::new();
                for r in &reqs {
                    for l in &r.limits {
                        let cs = by_period.entry(l.period.as_str()).or_default();
                        if !cs.contains(&l.counter.as_str()) {
                            cs.push(l.counter.as_str());
                        }
                    }
                }
                for (period, counters) in by_period {
                    for chunk in counters.chunks(PREFETCH_CHUNK) {
                        let sql = format!(
                            concat!(
                                "SELECT counter, total_minor FROM limit_counters WHERE period = $1 AND counter IN ({})",
                                $lock
                            ),
                            placeholders(2, chunk.len())
                        );
                        let mut q = sqlx::query_as::<_, (String, i64)>(&sql).bind(period);
                        for c in chunk {
                            q = q.bind(*c);
                        }
                        let found: HashMap<String, i64> = q.fetch_all(&mut **tx).await?.into_iter().collect();
                        for c in chunk {
                            let total = found.get(*c).copied().unwrap_or(0);
                            b.counters.insert(((*c).to_owned(), period.to_owned()), total);
                        }
                    }
                }
                Ok(())
            }

            async fn state<'a>(
                tx: &mut Tx<'_>,
                b: &'a mut Batch,
                account_id: &str,
            ) -> Result<Option<&'a mut BalanceState>, sqlx::Error> {
                if !b.accounts.contains_key(account_id) {
                    let sql = concat!(
                        "SELECT balance_minor, floor_minor, currency, status, seq, last_tran_at FROM accounts WHERE account_id = $1",
                        $lock
                    );
                    let row: Option<(i64, i64, String, String, i64, Option<i64>)> =
                        sqlx::query_as(sql).bind(account_id).fetch_optional(&mut **tx).await?;
                    let st = match row {
                        Some((balance, floor, cur, status, seq, last)) => Some(BalanceState {
                            balance_minor: balance,
                            floor_minor: floor,
                            currency: Currency::parse(&cur).map_err(|e| sqlx::Error::Decode(e.into()))?,
                            closed: status == AccountStatus::Closed.as_str(),
                            seq,
                            last_tran_at_us: last.unwrap_or(i64::MIN),
                        }),
                        None => None,
                    };
                    b.accounts.insert(account_id.to_owned(), st);
                }
                Ok(b.accounts.get_mut(account_id).and_then(|s| s.as_mut()))
            }

            async fn prior(
                tx: &mut Tx<'_>,
                b: &Batch,
                scope: &str,
                key: &str,
            ) -> Result<Option<TransferOutcome>, sqlx::Error> {
                let k = (scope.to_owned(), key.to_owned());
                if let Some(o) = b.outcomes.get(&k) {
                    return Ok(Some(o.clone()));
                }
                if b.absent.contains(&k) {
                    return Ok(None);
                }
                let row: Option<String> =
                    sqlx::query_scalar("SELECT outcome FROM idempotency WHERE scope = $1 AND idem_key = $2")
                        .bind(scope)
                        .bind(key)
                        .fetch_optional(&mut **tx)
                        .await?;
                row.map(|s| serde_json::from_str(&s).map_err(|e| sqlx::Error::Decode(e.into()))).transpose()
            }

            async fn transfer(
                tx: &mut Tx<'_>,
                b: &mut Batch,
                req: &TransferRequest,
                next_id: &mut i64,
            ) -> Result<CoreResult<TransferOutcome>, sqlx::Error> {
                let fingerprint = req.fingerprint();
                if let Some(mut first) = prior(tx, b, &req.scope, &req.key).await? {
                    if first.fingerprint != fingerprint {
                        return Ok(Err(CoreError::IdempotencyMismatch));
                    }
                    first.replayed = true;
                    return Ok(Ok(first));
                }
                if let Err(r) = req.check_shape() {
                    return Ok(Err(CoreError::Rejected(r)));
                }
                let result = decide(tx, b, req).await?;
                let at_us = req.at.timestamp_micros();
                let result = match result {
                    Err(r) if !is_recorded(&r) => return Ok(Err(CoreError::Rejected(r))),
                    Err(r) => Err(r),
                    Ok((next_balances, totals)) => {
                        let entry_id = *next_id;
                        *next_id += 1;
                        let mut postings = Vec::with_capacity(req.legs.len());
                        for (leg, after) in req.legs.iter().zip(next_balances) {
                            let st = b.accounts.get_mut(&leg.account_id).and_then(|s| s.as_mut()).expect("loaded");
                            st.balance_minor = after;
                            st.seq += 1;
                            // Statement order is time order: never stamp before the last line.
                            st.last_tran_at_us = st.last_tran_at_us.max(at_us);
                            if !b.dirty.contains(&leg.account_id) {
                                b.dirty.push(leg.account_id.clone());
                            }
                            b.postings.push(PostingRowW {
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
                            postings.push(PostingResult { account_id: leg.account_id.clone(), seq: st.seq, balance_after_minor: after });
                        }
                        for (l, total) in req.limits.iter().zip(&totals) {
                            let k = (l.counter.clone(), l.period.clone());
                            b.counters.insert(k.clone(), *total);
                            if !b.dirty_counters.contains(&k) {
                                b.dirty_counters.push(k);
                            }
                        }
                        b.entries.push((entry_id, at_us, req.kind.as_str(), req.scope.clone(), req.key.clone()));
                        Ok(Applied { entry_id, postings, limit_totals: totals })
                    }
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
                let json = serde_json::to_string(&outcome).map_err(|e| sqlx::Error::Encode(e.into()))?;
                let entry_id = outcome.result.as_ref().ok().map(|a| a.entry_id);
                b.idem.push((req.scope.clone(), req.key.clone(), outcome.fingerprint.clone(), at_us, entry_id, json));
                b.outcomes.insert((req.scope.clone(), req.key.clone()), outcome.clone());
                Ok(Ok(outcome))
            }

            /// Check every leg and limit against the current state; on success
            /// return each leg's balance after and each limit's new total.
            async fn decide(
                tx: &mut Tx<'_>,
                b: &mut Batch,
                req: &TransferRequest,
            ) -> Result<Result<(Vec<i64>, Vec<i64>), Rejection>, sqlx::Error> {
                // Legs may touch the same account twice; apply them in order on a scratch copy.
                let mut scratch: HashMap<&str, i64> = HashMap::new();
                let mut afters = Vec::with_capacity(req.legs.len());
                for leg in &req.legs {
                    let Some(st) = state(tx, b, &leg.account_id).await? else {
                        return Ok(Err(Rejection::AccountNotFound { account_id: leg.account_id.clone() }));
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
                let mut totals = Vec::with_capacity(req.limits.len());
                for l in &req.limits {
                    let k = (l.counter.clone(), l.period.clone());
                    let total = match b.counters.get(&k) {
                        Some(t) => *t,
                        None => {
                            let t: Option<i64> = sqlx::query_scalar(concat!(
                                "SELECT total_minor FROM limit_counters WHERE counter = $1 AND period = $2",
                                $lock
                            ))
                            .bind(&l.counter)
                            .bind(&l.period)
                            .fetch_optional(&mut **tx)
                            .await?;
                            b.counters.insert(k, t.unwrap_or(0));
                            t.unwrap_or(0)
                        }
                    };
                    match check_limit(l, total) {
                        Ok(t) => totals.push(t),
                        Err(r) => return Ok(Err(r)),
                    }
                }
                Ok(Ok((afters, totals)))
            }

            async fn open(
                tx: &mut Tx<'_>,
                b: &mut Batch,
                new: &NewAccount,
                next_id: &mut i64,
            ) -> Result<CoreResult<Account>, sqlx::Error> {
                let taken: Option<String> =
                    sqlx::query_scalar("SELECT account_id FROM accounts WHERE (org_code = $1 AND account_num = $2) OR account_id = $3")
                        .bind(&new.org_code)
                        .bind(&new.account_num)
                        .bind(&new.account_id)
                        .fetch_optional(&mut **tx)
                        .await?;
                if taken.is_some() {
                    return Ok(Err(CoreError::Conflict("accounts_number_key".into())));
                }
                let settle_id = format!("settle:{}:{}", new.org_code, new.currency);
                if state(tx, b, &settle_id).await?.is_none() {
                    sqlx::query(
                        "INSERT INTO accounts (account_id, org_code, account_num, kind, product_name, currency, person_id, \
                         holder_name, opened_at, status, floor_minor, balance_minor, seq) \
                         VALUES ($1, $2, $3, 'settlement', '기관 결제계정', $4, NULL, $5, $6, 'active', $7, 0, 0)",
                    )
                    .bind(&settle_id)
                    .bind(&new.org_code)
                    .bind(format!("SETTLE-{}", new.currency))
                    .bind(new.currency.as_str())
                    .bind(&new.org_code)
                    .bind(new.opened_at.timestamp_micros())
                    .bind(SETTLEMENT_FLOOR)
                    .execute(&mut **tx)
                    .await?;
                    b.accounts.insert(settle_id.clone(), Some(fresh(new.currency, SETTLEMENT_FLOOR)));
                }
                sqlx::query(
                    "INSERT INTO accounts (account_id, org_code, account_num, kind, product_name, currency, person_id, \
                     holder_name, opened_at, maturity_date, status, floor_minor, balance_minor, seq) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'active', $11, 0, 0)",
                )
                .bind(&new.account_id)
                .bind(&new.org_code)
                .bind(&new.account_num)
                .bind(new.kind.as_str())
                .bind(&new.product_name)
                .bind(new.currency.as_str())
                .bind(&new.person_id)
                .bind(&new.holder_name)
                .bind(new.opened_at.timestamp_micros())
                .bind(new.maturity_date.map(|d| d.format("%Y-%m-%d").to_string()))
                .bind(new.floor_minor)
                .execute(&mut **tx)
                .await?;
                b.accounts.insert(new.account_id.clone(), Some(fresh(new.currency, new.floor_minor)));
                let mut balance = 0;
                let mut last_tran_at = None;
                if new.opening_balance_minor > 0 {
                    let req = TransferRequest {
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
                    };
                    match transfer(tx, b, &req, next_id).await? {
                        Ok(TransferOutcome { result: Ok(_), .. }) => {
                            balance = new.opening_balance_minor;
                            last_tran_at = Some(new.opened_at);
                        }
                        Ok(TransferOutcome { result: Err(r), .. }) => return Ok(Err(CoreError::Rejected(r))),
                        Err(e) => return Ok(Err(e)),
                    }
                }
                Ok(Ok(Account {
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
                }))
            }

            async fn flush(tx: &mut Tx<'_>, b: &Batch) -> Result<(), sqlx::Error> {
                // All balances in one statement per chunk.
                for chunk in b.dirty.chunks(400) {
                    let mut sql = String::from(
                        "UPDATE accounts SET balance_minor = v.column2, seq = v.column3, last_tran_at = v.column4 FROM (VALUES ",
                    );
                    push_values(&mut sql, chunk.len(), 4, NUMBERED);
                    sql.push_str(") AS v WHERE accounts.account_id = v.column1");
                    let mut q = sqlx::query(&sql);
                    for id in chunk {
                        let st = b.accounts[id].as_ref().expect("dirty accounts exist");
                        q = q.bind(id).bind(st.balance_minor).bind(st.seq).bind(st.last_tran_at_us);
                    }
                    q.execute(&mut **tx).await?;
                }
                for chunk in b.postings.chunks(400) {
                    let mut sql = String::from(
                        "INSERT INTO postings (account_id, seq, entry_id, at, kind, currency, amount_minor, \
                         balance_after_minor, memo, counterparty) VALUES ",
                    );
                    push_values(&mut sql, chunk.len(), 10, NUMBERED);
                    let mut q = sqlx::query(&sql);
                    for p in chunk {
                        q = q
                            .bind(&p.account_id)
                            .bind(p.seq)
                            .bind(p.entry_id)
                            .bind(p.at)
                            .bind(p.kind)
                            .bind(p.currency.as_str())
                            .bind(p.amount)
                            .bind(p.after)
                            .bind(&p.memo)
                            .bind(&p.counterparty);
                    }
                    q.execute(&mut **tx).await?;
                }
                for chunk in b.entries.chunks(800) {
                    let mut sql = String::from("INSERT INTO journal_entries (entry_id, at, kind, scope, idem_key) VALUES ");
                    push_values(&mut sql, chunk.len(), 5, NUMBERED);
                    let mut q = sqlx::query(&sql);
                    for e in chunk {
                        q = q.bind(e.0).bind(e.1).bind(e.2).bind(&e.3).bind(&e.4);
                    }
                    q.execute(&mut **tx).await?;
                }
                for chunk in b.idem.chunks(600) {
                    let mut sql =
                        String::from("INSERT INTO idempotency (scope, idem_key, fingerprint, at, entry_id, outcome) VALUES ");
                    push_values(&mut sql, chunk.len(), 6, NUMBERED);
                    let mut q = sqlx::query(&sql);
                    for i in chunk {
                        q = q.bind(&i.0).bind(&i.1).bind(&i.2).bind(i.3).bind(i.4).bind(&i.5);
                    }
                    q.execute(&mut **tx).await?;
                }
                for chunk in b.log.chunks(400) {
                    let mut sql = format!("INSERT INTO transfer_log ({}) VALUES ", crate::usage::EVENT_COLS);
                    push_values(&mut sql, chunk.len(), 7, NUMBERED);
                    // A replayed request logs nothing new: (scope, key) is the arbiter.
                    sql.push_str(" ON CONFLICT (scope, idem_key) DO NOTHING");
                    let mut q = sqlx::query(&sql);
                    for ev in chunk {
                        q = q
                            .bind(&ev.org_code)
                            .bind(&ev.scope)
                            .bind(&ev.key)
                            .bind(&ev.account_id)
                            .bind(ev.direction.as_str())
                            .bind(ev.amount_minor)
                            .bind(finhub_core::clock::to_micros(ev.at));
                    }
                    q.execute(&mut **tx).await?;
                }
                for chunk in b.dirty_counters.chunks(400) {
                    let mut sql = String::from("INSERT INTO limit_counters (counter, period, total_minor) VALUES ");
                    push_values(&mut sql, chunk.len(), 3, NUMBERED);
                    sql.push_str(" ON CONFLICT (counter, period) DO UPDATE SET total_minor = excluded.total_minor");
                    let mut q = sqlx::query(&sql);
                    for k in chunk {
                        q = q.bind(&k.0).bind(&k.1).bind(b.counters[k]);
                    }
                    q.execute(&mut **tx).await?;
                }
                Ok(())
            }
        }
    };
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

/// Most keys in one prefetch statement.
const PREFETCH_CHUNK: usize = 500;

/// "$first, $first+1, ..." for an IN list of `n` values.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

backend_impl!(sqlite_impl, sqlx::Sqlite, "BEGIN IMMEDIATE", "", false);
backend_impl!(pg_impl, sqlx::Postgres, "BEGIN", " FOR UPDATE", true);

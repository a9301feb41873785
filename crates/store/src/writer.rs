//! The single ledger writer: group commit.
//!
//! Every money movement goes through one task that drains its queue into a
//! batch and applies the whole batch in one database transaction, so one
//! durable commit (one fsync) acknowledges many transfers. Within the batch
//! commands apply one after another against the balances as the previous
//! command left them, exactly as if each had its own transaction. Nothing is
//! acknowledged before the commit returns.

use crate::error::{is_retryable, map_err};
use crate::ids::Ids;
use crate::Caches;
use crate::Db;
use finhub_core::account::{Account, NewAccount};
use finhub_core::fraud::TransferEvent;
use finhub_core::ledger::{TransferOutcome, TransferRequest};
use finhub_core::{CoreError, CoreResult};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

mod batch;
mod flush;
mod prefetch;
#[cfg(test)]
mod tests;

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

/// `node` names this writer's row in `cluster_epochs` (see `coherence`).
pub(crate) fn spawn(db: Db, max_batch: usize, caches: Arc<Caches>, node: &str) -> WriterHandle {
    let max_batch = max_batch.clamp(1, 4096);
    // A bounded queue: when the disk cannot keep up, callers wait here.
    let (tx, rx) = mpsc::channel(max_batch * 4);
    let w = Writer {
        db,
        caches,
        ids: Ids::default(),
        node: node.to_owned(),
    };
    tokio::spawn(run(w, rx, max_batch));
    WriterHandle { tx }
}

/// The balances a committed batch left, for the in-memory account copies:
/// (account_id, balance_minor, last_tran_at in µs).
pub(crate) type Committed = Vec<(String, i64, i64)>;

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

async fn run(mut w: Writer, mut rx: mpsc::Receiver<(Op, Reply)>, max_batch: usize) {
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
        match batch::apply(&w.db, &ops, &mut w.ids, &w.node).await {
            Ok((results, committed)) => {
                publish(&w.caches, &committed);
                if ops.iter().any(|op| matches!(op, Op::ForgetAccounts)) {
                    w.caches.accounts.clear();
                }
                for (r, reply) in results.into_iter().zip(replies) {
                    let _ = reply.send(r);
                }
            }
            Err(e) => w.rolled_back(e, ops, replies).await,
        }
    }
}

/// The writer task's database and the copies it keeps current.
struct Writer {
    db: Db,
    caches: Arc<Caches>,
    /// The block of entry ids this writer hands out.
    ids: Ids,
    /// Its row in `cluster_epochs`.
    node: String,
}

impl Writer {
    /// A batch's transaction failed: answer every command of it.
    async fn rolled_back(&mut self, e: sqlx::Error, ops: Vec<Op>, replies: Vec<Reply>) {
        // A failed commit may still have landed (a connection lost
        // during COMMIT): the copies cannot tell, so drop them all.
        self.caches.accounts.clear();
        // One command's conflict must not fail its neighbours, so a
        // database error is retried command by command. A lost or
        // busy database (Unavailable) is not: retrying each command
        // against it would cost every caller a timeout per command.
        // A lone command is retried too after a unique conflict: a key
        // recorded by someone else between the batch's read and its insert
        // (a refusal, another node) is then read and answered as a replay.
        let per_command = matches!(e, sqlx::Error::Database(_));
        let retryable = is_retryable(&e);
        let err = map_err(e);
        let worth_alone = ops.len() > 1 || retryable || matches!(err, CoreError::Conflict(_));
        let retry_alone = worth_alone && per_command && !matches!(err, CoreError::Unavailable(_));
        tracing::warn!(error = %err, batch = ops.len(), retry_alone, "ledger batch rolled back");
        if retry_alone {
            self.retry_alone(ops, replies).await;
        } else {
            for (op, reply) in ops.iter().zip(replies) {
                let _ = reply.send(failed(op, clone_err(&err)));
            }
        }
    }

    /// Apply each command of a failed batch in its own transaction.
    async fn retry_alone(&mut self, ops: Vec<Op>, replies: Vec<Reply>) {
        // Once the database is gone, the rest fail at once too.
        let mut down: Option<CoreError> = None;
        for (op, reply) in ops.into_iter().zip(replies) {
            let one = [op];
            let r = match &down {
                Some(d) => failed(&one[0], clone_err(d)),
                None => match self.apply_alone(&one).await {
                    Ok(r) => r,
                    Err(e) => {
                        if matches!(e, CoreError::Unavailable(_)) {
                            down = Some(clone_err(&e));
                        }
                        failed(&one[0], e)
                    }
                },
            };
            let _ = reply.send(r);
        }
    }
}

impl Writer {
    /// One command in its own transaction. A unique conflict means another
    /// writer (another node) committed the same request key meanwhile: the
    /// next attempt reads that outcome and answers it as a replay. A
    /// deadlock the database broke is tried again too.
    async fn apply_alone(&mut self, one: &[Op; 1]) -> CoreResult<OpResult> {
        let mut attempts = 0;
        loop {
            attempts += 1;
            match batch::apply(&self.db, one, &mut self.ids, &self.node).await {
                Ok((mut v, committed)) => {
                    publish(&self.caches, &committed);
                    return Ok(v.pop().expect("one result"));
                }
                Err(e) => {
                    self.caches.accounts.clear();
                    let again = is_retryable(&e);
                    let e = map_err(e);
                    if !(again || matches!(e, CoreError::Conflict(_))) || attempts == 3 {
                        return Err(e);
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

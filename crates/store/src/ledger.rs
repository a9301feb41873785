use crate::rows::{convert_all, PostingRow, POSTING_COLS};
use crate::writer::{Op, OpResult};
use crate::{map_err, on_db, Store};
use async_trait::async_trait;
use finhub_core::account::{Account, NewAccount};
use finhub_core::fraud::TransferEvent;
use finhub_core::ledger::{
    Direction, Order, Posting, PostingQuery, TransferOutcome, TransferRequest,
};
use finhub_core::money::Currency;
use finhub_core::repo::LedgerRepo;
use finhub_core::{CoreError, CoreResult};

impl Store {
    /// Drop the account copies in the writer's order (after a write to
    /// balances that did not go through it).
    pub(crate) async fn forget_accounts(&self) {
        self.caches.accounts.clear();
        // If the writer is gone nothing can publish any more: the clear above holds.
        let _ = self.writer.submit(Op::ForgetAccounts).await;
    }

    /// A transfer through the ledger writer, with the fraud-log line to
    /// write in the same commit if it applies.
    pub(crate) async fn transfer_with_log(
        &self,
        req: TransferRequest,
        log: Option<TransferEvent>,
    ) -> CoreResult<TransferOutcome> {
        match self.writer.submit(Op::Transfer(req, log)).await? {
            OpResult::Transfer(r) => r,
            _ => Err(CoreError::Internal(
                "writer answered the wrong command".into(),
            )),
        }
    }
}

#[async_trait]
impl LedgerRepo for Store {
    async fn open_account(&self, account: NewAccount) -> CoreResult<Account> {
        match self.writer.submit(Op::Open(account)).await? {
            OpResult::Open(r) => r,
            _ => Err(CoreError::Internal(
                "writer answered the wrong command".into(),
            )),
        }
    }

    async fn transfer(&self, req: TransferRequest) -> CoreResult<TransferOutcome> {
        self.transfer_with_log(req, None).await
    }

    async fn outcome(&self, scope: &str, key: &str) -> CoreResult<Option<TransferOutcome>> {
        let row: Option<String> = on_db!(&self.db, p => sqlx::query_scalar(
            "SELECT outcome FROM idempotency WHERE scope = $1 AND idem_key = $2")
            .bind(scope).bind(key).fetch_optional(p).await)
        .map_err(map_err)?;
        row.map(|s| serde_json::from_str(&s).map_err(|e| CoreError::Internal(e.to_string())))
            .transpose()
    }

    async fn postings(&self, q: &PostingQuery) -> CoreResult<Vec<Posting>> {
        let mut sql = format!(
            "SELECT {POSTING_COLS} FROM postings WHERE account_id = $1 AND at >= $2 AND at < $3"
        );
        match q.direction {
            Direction::All => {}
            Direction::In => sql.push_str(" AND amount_minor > 0"),
            Direction::Out => sql.push_str(" AND amount_minor < 0"),
        }
        let (cmp, ord) = match q.order {
            Order::Asc => (">", "ASC"),
            Order::Desc => ("<", "DESC"),
        };
        // Keyset: the cursor narrows the `at` range itself, so the index range
        // scan starts at the cursor (a row-value comparison is not used as an
        // index bound by SQLite, which then walks the history from its end);
        // only lines sharing the cursor's instant need the seq test.
        let (mut from_us, mut to_us) = (q.from.timestamp_micros(), q.to.timestamp_micros());
        if let Some((c_at, _)) = q.after {
            sql.push_str(&format!(" AND (at <> $5 OR seq {cmp} $6)"));
            match q.order {
                Order::Asc => from_us = from_us.max(c_at),
                Order::Desc => to_us = to_us.min(c_at.saturating_add(1)),
            }
        }
        sql.push_str(&format!(" ORDER BY at {ord}, seq {ord} LIMIT $4"));
        let (c_at, c_seq) = q.after.unwrap_or((0, 0));
        let limit = q.limit.clamp(1, 1000) as i64;
        let rows = on_db!(&self.db, p => {
            let mut query = sqlx::query_as::<_, PostingRow>(&sql)
                .bind(&q.account_id)
                .bind(from_us)
                .bind(to_us)
                .bind(limit);
            if q.after.is_some() {
                query = query.bind(c_at).bind(c_seq);
            }
            query.fetch_all(p).await
        })
        .map_err(map_err)?;
        convert_all(rows)
    }

    async fn balance_totals(&self) -> CoreResult<Vec<(Currency, i64)>> {
        let rows: Vec<(String, i64)> = on_db!(&self.db, p => sqlx::query_as(
            "SELECT currency, CAST(SUM(balance_minor) AS BIGINT) FROM accounts GROUP BY currency ORDER BY currency")
            .fetch_all(p).await)
        .map_err(map_err)?;
        rows.into_iter()
            .map(|(c, s)| {
                Currency::parse(&c)
                    .map(|c| (c, s))
                    .map_err(CoreError::Internal)
            })
            .collect()
    }

    async fn audit(&self) -> CoreResult<Vec<String>> {
        let accounts: Vec<String> = on_db!(&self.db, p => sqlx::query_scalar(
            "SELECT a.account_id FROM accounts a LEFT JOIN \
               (SELECT account_id, CAST(SUM(amount_minor) AS BIGINT) AS total, COUNT(*) AS n FROM postings GROUP BY account_id) s \
               ON s.account_id = a.account_id \
             WHERE a.balance_minor <> COALESCE(s.total, 0) OR a.seq <> COALESCE(s.n, 0) OR a.balance_minor < a.floor_minor")
            .fetch_all(p).await)
        .map_err(map_err)?;
        let entries: Vec<i64> = on_db!(&self.db, p => sqlx::query_scalar(
            "SELECT entry_id FROM postings GROUP BY entry_id, currency HAVING SUM(amount_minor) <> 0")
            .fetch_all(p).await)
        .map_err(map_err)?;
        Ok(accounts
            .into_iter()
            .map(|a| format!("account {a}: balance disagrees with its postings or floor"))
            .chain(
                entries
                    .into_iter()
                    .map(|e| format!("entry {e}: postings do not sum to zero")),
            )
            .collect())
    }
}

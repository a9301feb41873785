//! Bulk builders for the benchmark harness (crates/bench): a million-row
//! account history or a million-person world in a few server-side statements,
//! instead of a million trips through the ledger writer.
//!
//! What they write keeps the ledger's invariants: every entry's postings sum
//! to zero, each account's balance and seq agree with its postings, and the
//! world's total stays zero. Call them only while nothing else writes (they
//! take entry ids after the current maximum, as the ledger writer does).

use crate::{map_err, on_db, Store};
use finhub_core::{CoreError, CoreResult};

/// A counting CTE that runs unchanged on SQLite and PostgreSQL: n = 1..=$1.
const SERIES: &str =
    "WITH RECURSIVE g(n) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT n + 1 FROM g WHERE n < $1) ";

impl Store {
    /// Append `rows` lines to `account_id`'s statement, alternately a credit
    /// and a debit of `amount_minor` against `counter_id` (an institution's
    /// settlement account fits: it may go negative). The balance ends where it
    /// started when `rows` is even. Lines are 1 ms apart, after the last one.
    pub async fn bench_add_history(
        &self,
        account_id: &str,
        counter_id: &str,
        rows: i64,
        amount_minor: i64,
    ) -> CoreResult<()> {
        if rows <= 0 || amount_minor <= 0 || account_id == counter_id {
            return Err(CoreError::Invalid(
                "bench history: rows and amount must be positive, accounts distinct".into(),
            ));
        }
        let r = self
            .bench_add_history_tx(account_id, counter_id, rows, amount_minor)
            .await;
        // Balances moved outside the ledger writer.
        self.forget_accounts().await;
        r
    }

    async fn bench_add_history_tx(
        &self,
        account_id: &str,
        counter_id: &str,
        rows: i64,
        amount_minor: i64,
    ) -> CoreResult<()> {
        on_db!(&self.db, p => {
            // Entries base + 1 ..= base + rows, taken before the transaction
            // (SQLite: its write lock would keep the reservation out).
            let base_entry = crate::ids::reserve(&self.db, rows).await.map_err(map_err)?.start - 1;
            let mut tx = p.begin().await.map_err(map_err)?;
            let state = "SELECT balance_minor, seq, COALESCE(last_tran_at, opened_at), currency FROM accounts WHERE account_id = $1";
            let a: Option<(i64, i64, i64, String)> = sqlx::query_as(state).bind(account_id).fetch_optional(&mut *tx).await.map_err(map_err)?;
            let c: Option<(i64, i64, i64, String)> = sqlx::query_as(state).bind(counter_id).fetch_optional(&mut *tx).await.map_err(map_err)?;
            let (Some((a_bal, a_seq, a_at, cur)), Some((c_bal, c_seq, c_at, c_cur))) = (a, c) else {
                return Err(CoreError::NotFound("account"));
            };
            if cur != c_cur {
                return Err(CoreError::Invalid("bench history: currencies differ".into()));
            }
            let t0 = a_at.max(c_at);
            // Odd lines credit the account, even lines take it back.
            sqlx::query(&format!("{SERIES}INSERT INTO journal_entries (entry_id, at, kind, scope, idem_key) \
                 SELECT $2 + n, $3 + n * 1000, 'transfer', 'bench:history', $4 || CAST(n AS TEXT) FROM g"))
                .bind(rows).bind(base_entry).bind(t0).bind(format!("{account_id}:"))
                .execute(&mut *tx).await.map_err(map_err)?;
            let postings = |sign: i64| format!("{SERIES}INSERT INTO postings (account_id, seq, entry_id, at, kind, currency, amount_minor, \
                 balance_after_minor, memo, counterparty) \
                 SELECT $2, $3 + n, $4 + n, $5 + n * 1000, 'transfer', $6, \
                   CASE WHEN n % 2 = 1 THEN {sign} * $7 ELSE {neg} * $7 END, \
                   $8 + CASE WHEN n % 2 = 1 THEN {sign} * $7 ELSE 0 END, '벤치이력', '벤치' FROM g", neg = -sign);
            sqlx::query(&postings(1))
                .bind(rows).bind(account_id).bind(a_seq).bind(base_entry).bind(t0).bind(&cur).bind(amount_minor).bind(a_bal)
                .execute(&mut *tx).await.map_err(map_err)?;
            sqlx::query(&postings(-1))
                .bind(rows).bind(counter_id).bind(c_seq).bind(base_entry).bind(t0).bind(&cur).bind(amount_minor).bind(c_bal)
                .execute(&mut *tx).await.map_err(map_err)?;
            let odd = rows % 2;
            let update = "UPDATE accounts SET balance_minor = balance_minor + $1, seq = seq + $2, last_tran_at = $3 WHERE account_id = $4";
            let last = t0 + rows * 1000;
            sqlx::query(update).bind(odd * amount_minor).bind(rows).bind(last).bind(account_id)
                .execute(&mut *tx).await.map_err(map_err)?;
            sqlx::query(update).bind(-odd * amount_minor).bind(rows).bind(last).bind(counter_id)
                .execute(&mut *tx).await.map_err(map_err)?;
            tx.commit().await.map_err(map_err)
        })
    }

    /// Add `count` people, numbered from `first`, each with one empty demand
    /// account at `org_code`. Ids are `bench-p-<n>` and `bench-a-<n>`.
    pub async fn bench_add_people(&self, org_code: &str, first: i64, count: i64) -> CoreResult<()> {
        if count <= 0 || first < 0 {
            return Err(CoreError::Invalid(
                "bench people: count must be positive".into(),
            ));
        }
        let at = self.clock.now().timestamp_micros();
        on_db!(&self.db, p => {
            let mut tx = p.begin().await.map_err(map_err)?;
            sqlx::query(&format!("{SERIES}INSERT INTO people (person_id, ci, name, birth_date) \
                 SELECT 'bench-p-' || CAST($2 + n AS TEXT), 'bench-ci-' || CAST($2 + n AS TEXT), \
                 '벤치' || CAST($2 + n AS TEXT), '1990-01-01' FROM g"))
                .bind(count).bind(first - 1)
                .execute(&mut *tx).await.map_err(map_err)?;
            sqlx::query(&format!("{SERIES}INSERT INTO accounts (account_id, org_code, account_num, kind, product_name, currency, \
                 person_id, holder_name, opened_at, status, floor_minor, balance_minor, seq) \
                 SELECT 'bench-a-' || CAST($2 + n AS TEXT), $3, 'B-' || CAST($2 + n AS TEXT), 'demand', '자유입출금통장', 'KRW', \
                 'bench-p-' || CAST($2 + n AS TEXT), '벤치' || CAST($2 + n AS TEXT), $4, 'active', 0, 0, 0 FROM g"))
                .bind(count).bind(first - 1).bind(org_code).bind(at)
                .execute(&mut *tx).await.map_err(map_err)?;
            tx.commit().await.map_err(map_err)
        })
    }
}

impl Store {
    /// Settle after a bulk build as autovacuum would in time: refresh the
    /// planner's statistics and, on PostgreSQL, vacuum (visibility map, hint
    /// bits), so the figures show the steady state and autovacuum does not
    /// start in the middle of a measurement.
    pub async fn bench_analyze(&self) -> CoreResult<()> {
        match &self.db {
            crate::Db::Pg(p) => sqlx::query("VACUUM ANALYZE")
                .execute(p)
                .await
                .map(|_| ())
                .map_err(map_err),
            crate::Db::Sqlite(p) => sqlx::query("ANALYZE")
                .execute(p)
                .await
                .map(|_| ())
                .map_err(map_err),
        }
    }
}

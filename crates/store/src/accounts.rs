use crate::rows::{convert_all, AccountRow, ACCOUNT_COLS};
use crate::{map_err, on_db, Store};
use async_trait::async_trait;
use finhub_core::account::Account;
use finhub_core::repo::AccountRepo;
use finhub_core::CoreResult;

#[async_trait]
impl AccountRepo for Store {
    async fn account(&self, account_id: &str) -> CoreResult<Option<Account>> {
        // The ledger writer keeps the copy's balance current (crate::cache).
        if let Some(a) = self.caches.accounts.get(account_id) {
            return Ok(Some(a));
        }
        let gen = self.caches.accounts.generation();
        let sql = format!("SELECT {ACCOUNT_COLS} FROM accounts WHERE account_id = $1");
        let row = on_db!(&self.db, p => sqlx::query_as::<_, AccountRow>(&sql).bind(account_id).fetch_optional(p).await)
            .map_err(map_err)?;
        let account = row.map(Account::try_from).transpose()?;
        if let Some(a) = &account {
            self.caches
                .accounts
                .fill(a.account_id.clone(), a.clone(), gen);
        }
        Ok(account)
    }

    async fn account_by_number(
        &self,
        org_code: &str,
        account_num: &str,
    ) -> CoreResult<Option<Account>> {
        let sql =
            format!("SELECT {ACCOUNT_COLS} FROM accounts WHERE org_code = $1 AND account_num = $2");
        let row = on_db!(&self.db, p => sqlx::query_as::<_, AccountRow>(&sql)
            .bind(org_code).bind(account_num).fetch_optional(p).await)
        .map_err(map_err)?;
        row.map(Account::try_from).transpose()
    }

    async fn accounts_of_person(&self, person_id: &str) -> CoreResult<Vec<Account>> {
        let sql = format!("SELECT {ACCOUNT_COLS} FROM accounts WHERE person_id = $1 ORDER BY opened_at, account_id");
        let rows = on_db!(&self.db, p => sqlx::query_as::<_, AccountRow>(&sql).bind(person_id).fetch_all(p).await)
            .map_err(map_err)?;
        convert_all(rows)
    }

    async fn accounts_of_people(&self, person_ids: &[String]) -> CoreResult<Vec<Account>> {
        if person_ids.is_empty() {
            return Ok(vec![]);
        }
        // Bounded by the caller's page size (at most a few hundred ids).
        let marks: Vec<String> = (1..=person_ids.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT {ACCOUNT_COLS} FROM accounts WHERE person_id IN ({}) ORDER BY person_id, opened_at, account_id",
            marks.join(", ")
        );
        let rows = on_db!(&self.db, p => {
            let mut q = sqlx::query_as::<_, AccountRow>(&sql);
            for id in person_ids { q = q.bind(id); }
            q.fetch_all(p).await
        })
        .map_err(map_err)?;
        convert_all(rows)
    }

    async fn close_account(
        &self,
        account_id: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> CoreResult<bool> {
        let n = on_db!(&self.db, p => sqlx::query(
            "UPDATE accounts SET status = 'closed', closed_at = $1 WHERE account_id = $2 AND status <> 'closed'")
            .bind(at.timestamp_micros()).bind(account_id).execute(p).await.map(|r| r.rows_affected()))
        .map_err(map_err)?;
        self.caches.accounts.remove(account_id);
        Ok(n > 0)
    }
}

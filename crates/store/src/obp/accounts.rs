//! Accounts opened through OBP: finhub_core::obp::accounts.

use super::bad;
use crate::sql::{placeholders, Arg, Tx};
use crate::{map_err, Store};
use async_trait::async_trait;
use finhub_core::clock::{from_micros, to_micros};
use finhub_core::obp::accounts::{AccountRouting, ObpAccount, ObpAccountRepo};
use finhub_core::{CoreError, CoreResult};
use std::collections::HashMap;

const ACCOUNT_COLS: &str = "bank_id, account_id, ledger_account_id, user_id, label, \
     product_code, branch_id, routings, created_at";

#[derive(sqlx::FromRow)]
struct AccountRow {
    bank_id: String,
    account_id: String,
    ledger_account_id: String,
    user_id: String,
    label: String,
    product_code: String,
    branch_id: String,
    routings: String,
    created_at: i64,
}

impl AccountRow {
    fn into_account(self) -> CoreResult<ObpAccount> {
        let pairs: Vec<(String, String)> =
            serde_json::from_str(&self.routings).map_err(|_| bad("routings"))?;
        Ok(ObpAccount {
            bank_id: self.bank_id,
            account_id: self.account_id,
            ledger_account_id: self.ledger_account_id,
            user_id: self.user_id,
            label: self.label,
            product_code: self.product_code,
            branch_id: self.branch_id,
            routings: (pairs.into_iter())
                .map(|(scheme, address)| AccountRouting { scheme, address })
                .collect(),
            created_at: from_micros(self.created_at),
        })
    }
}

/// The routings as a JSON array of `[scheme, address]` pairs.
fn routings_json(rs: &[AccountRouting]) -> String {
    let pairs: Vec<(&str, &str)> = rs
        .iter()
        .map(|r| (r.scheme.as_str(), r.address.as_str()))
        .collect();
    serde_json::to_string(&pairs).unwrap_or_else(|_| "[]".into())
}

#[derive(sqlx::FromRow)]
struct IdPair {
    ledger_account_id: String,
    account_id: String,
}

impl Store {
    /// The row and its routings in one transaction; a unique violation
    /// (ACCOUNT_ID or routing taken) is `Ok(false)` and rolls back.
    async fn insert_account_tx(&self, a: &ObpAccount) -> Result<(), sqlx::Error> {
        let mut tx = Tx::begin(&self.db).await?;
        let sql = format!(
            "INSERT INTO obp_accounts ({ACCOUNT_COLS}) VALUES ({})",
            placeholders(1, 9)
        );
        let routings = routings_json(&a.routings);
        let args = [
            Arg::Text(&a.bank_id),
            Arg::Text(&a.account_id),
            Arg::Text(&a.ledger_account_id),
            Arg::Text(&a.user_id),
            Arg::Text(&a.label),
            Arg::Text(&a.product_code),
            Arg::Text(&a.branch_id),
            Arg::Text(&routings),
            Arg::Int(to_micros(a.created_at)),
        ];
        tx.changed(&sql, &args).await?;
        let sql = "INSERT INTO obp_account_routings (bank_id, scheme, address, account_id) \
             VALUES ($1, $2, $3, $4)";
        for r in &a.routings {
            let args = [
                Arg::Text(&a.bank_id),
                Arg::Text(&r.scheme),
                Arg::Text(&r.address),
                Arg::Text(&a.account_id),
            ];
            tx.changed(sql, &args).await?;
        }
        tx.commit().await
    }
}

#[async_trait]
impl ObpAccountRepo for Store {
    async fn obp_account(&self, bank_id: &str, account_id: &str) -> CoreResult<Option<ObpAccount>> {
        let sql = format!(
            "SELECT {ACCOUNT_COLS} FROM obp_accounts WHERE bank_id = $1 AND account_id = $2"
        );
        let args = [Arg::Text(bank_id), Arg::Text(account_id)];
        let row: Option<AccountRow> = self.db.fetch_optional(&sql, &args).await.map_err(map_err)?;
        row.map(AccountRow::into_account).transpose()
    }

    async fn routing_taken(&self, bank_id: &str, r: &AccountRouting) -> CoreResult<bool> {
        let sql = "SELECT account_id AS ledger_account_id, account_id FROM obp_account_routings \
             WHERE bank_id = $1 AND scheme = $2 AND address = $3";
        let args = [
            Arg::Text(bank_id),
            Arg::Text(&r.scheme),
            Arg::Text(&r.address),
        ];
        let row: Option<IdPair> = self.db.fetch_optional(sql, &args).await.map_err(map_err)?;
        Ok(row.is_some())
    }

    async fn insert_obp_account(&self, a: &ObpAccount) -> CoreResult<bool> {
        match self.insert_account_tx(a).await.map_err(map_err) {
            Ok(()) => Ok(true),
            Err(CoreError::Conflict(_)) => Ok(false),
            Err(e) => Err(e),
        }
    }

    async fn obp_account_ids(
        &self,
        ledger_account_ids: &[String],
    ) -> CoreResult<HashMap<String, String>> {
        if ledger_account_ids.is_empty() {
            return Ok(HashMap::new());
        }
        let mut out = HashMap::new();
        // A bounded statement per chunk, well under either engine's bind limit.
        for chunk in ledger_account_ids.chunks(500) {
            let sql = format!(
                "SELECT ledger_account_id, account_id FROM obp_accounts WHERE ledger_account_id IN ({})",
                placeholders(1, chunk.len())
            );
            let args: Vec<Arg<'_>> = chunk.iter().map(|id| Arg::Text(id)).collect();
            let rows: Vec<IdPair> = self.db.fetch_all(&sql, &args).await.map_err(map_err)?;
            out.extend(
                rows.into_iter()
                    .map(|r| (r.ledger_account_id, r.account_id)),
            );
        }
        Ok(out)
    }
}

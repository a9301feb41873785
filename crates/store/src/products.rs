//! Product terms: one JSON record per account (finhub_core::product).

use crate::{map_err, on_db, Store};
use async_trait::async_trait;
use finhub_core::clock::from_micros;
use finhub_core::product::{ProductRecord, ProductRepo, ProductTerms};
use finhub_core::{CoreError, CoreResult};

#[derive(sqlx::FromRow)]
struct TermsRow {
    account_id: String,
    terms: String,
    updated_at: i64,
}

impl TermsRow {
    fn into_record(self) -> CoreResult<ProductRecord> {
        let terms: ProductTerms = serde_json::from_str(&self.terms).map_err(|e| {
            CoreError::Internal(format!("terms of {} unreadable: {e}", self.account_id))
        })?;
        Ok(ProductRecord {
            account_id: self.account_id,
            terms,
            updated_at: from_micros(self.updated_at),
        })
    }
}

pub(crate) fn terms_json(t: &ProductTerms) -> CoreResult<String> {
    serde_json::to_string(t).map_err(|e| CoreError::Internal(e.to_string()))
}

#[async_trait]
impl ProductRepo for Store {
    async fn put_terms(&self, rec: &ProductRecord) -> CoreResult<()> {
        let json = terms_json(&rec.terms)?;
        on_db!(&self.db, p => sqlx::query(
            "INSERT INTO product_terms (account_id, terms, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (account_id) DO UPDATE SET terms = excluded.terms, updated_at = excluded.updated_at")
            .bind(&rec.account_id).bind(&json).bind(rec.updated_at.timestamp_micros())
            .execute(p).await.map(|_| ()).map_err(map_err))
    }

    async fn terms(&self, account_id: &str) -> CoreResult<Option<ProductRecord>> {
        let row = on_db!(&self.db, p => sqlx::query_as::<_, TermsRow>(
            "SELECT account_id, terms, updated_at FROM product_terms WHERE account_id = $1")
            .bind(account_id).fetch_optional(p).await)
        .map_err(map_err)?;
        row.map(TermsRow::into_record).transpose()
    }

    async fn terms_of(&self, account_ids: &[String]) -> CoreResult<Vec<ProductRecord>> {
        let mut out = Vec::with_capacity(account_ids.len());
        // Bounded IN lists keep every dialect's bind limit far away.
        for ids in account_ids.chunks(500) {
            let sql = format!(
                "SELECT account_id, terms, updated_at FROM product_terms WHERE account_id IN ({})",
                crate::sql::placeholders(1, ids.len())
            );
            let rows = on_db!(&self.db, p => {
                let mut q = sqlx::query_as::<_, TermsRow>(&sql);
                for id in ids {
                    q = q.bind(id);
                }
                q.fetch_all(p).await
            })
            .map_err(map_err)?;
            for r in rows {
                out.push(r.into_record()?);
            }
        }
        Ok(out)
    }
}

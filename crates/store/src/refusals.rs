//! Refusals decided before the ledger, recorded in the ledger's own
//! idempotency table so a key has one first outcome whichever side decided it.

use crate::{map_err, on_db, Store};
use async_trait::async_trait;
use finhub_core::ledger::TransferOutcome;
use finhub_core::payments::RefusalRepo;
use finhub_core::repo::LedgerRepo;
use finhub_core::{CoreError, CoreResult};

#[async_trait]
impl RefusalRepo for Store {
    async fn record_refusal(&self, refusal: &TransferOutcome) -> CoreResult<TransferOutcome> {
        let json =
            serde_json::to_string(refusal).map_err(|e| CoreError::Internal(e.to_string()))?;
        // The primary key is the arbiter: a first outcome recorded by anyone
        // (the writer's commit, a concurrent refusal) stays.
        let inserted = on_db!(&self.db, p => sqlx::query(
            "INSERT INTO idempotency (scope, idem_key, fingerprint, at, entry_id, outcome) \
             VALUES ($1, $2, $3, $4, NULL, $5) ON CONFLICT (scope, idem_key) DO NOTHING")
            .bind(&refusal.scope)
            .bind(&refusal.key)
            .bind(&refusal.fingerprint)
            .bind(refusal.at.timestamp_micros())
            .bind(&json)
            .execute(p).await.map(|r| r.rows_affected()))
        .map_err(map_err)?;
        if inserted == 1 {
            return Ok(refusal.clone());
        }
        let mut first = self
            .outcome(&refusal.scope, &refusal.key)
            .await?
            .ok_or_else(|| CoreError::Internal("idempotency row vanished".into()))?;
        first.replayed = true;
        Ok(first)
    }
}

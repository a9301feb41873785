//! Registered bank accounts (B1–B10).

use crate::Store;
use async_trait::async_trait;
use finhub_core::konaplate::bank::{BankRepo, RegisteredAccount};
use finhub_core::konaplate::ids::UserId;
use finhub_core::CoreResult;

#[async_trait]
impl BankRepo for Store {
    async fn registered_account(
        &self,
        _project_id: &str,
        _user_id: UserId,
    ) -> CoreResult<Option<RegisteredAccount>> {
        // Filled in by the bank-account work (migration 0021).
        Ok(None)
    }
}

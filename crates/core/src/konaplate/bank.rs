//! Bank accounts (B1–B10): a member registers one account of the world as
//! the source of charges, after a real-name check and a simulated ARS call.

use super::ids::UserId;
use super::refusal::KonaResult;
use super::Kona;
use crate::CoreResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// The member's registered charge account.
#[derive(Debug, Clone)]
pub struct RegisteredAccount {
    pub project_id: String,
    pub user_id: UserId,
    /// The account of the world charges draw from.
    pub account_id: String,
    pub bank_code: String,
    /// Its number's digits.
    pub bank_account: String,
    /// The 5-character `accountId` B6 answers.
    pub account_id5: String,
    /// Registered for auto-recharge (B8).
    pub auto_recharge: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[async_trait]
pub trait BankRepo: Send + Sync {
    /// The member's registered account, if any (settled registrations only).
    async fn registered_account(
        &self,
        project_id: &str,
        user_id: UserId,
    ) -> CoreResult<Option<RegisteredAccount>>;
}

impl Kona {
    /// The member's registered charge account, if one is registered now.
    pub async fn registered_account(
        &self,
        project_id: &str,
        user_id: UserId,
    ) -> KonaResult<Option<RegisteredAccount>> {
        Ok(self.repo.registered_account(project_id, user_id).await?)
    }
}

//! User–customer links: a user acting for a customer's person at a bank.

use super::{Obp, ObpResult};
use crate::CoreResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserCustomerLink {
    pub user_customer_link_id: String,
    pub user_id: String,
    pub customer_id: String,
    /// The customer's bank.
    pub bank_id: String,
    pub date_inserted: DateTime<Utc>,
    pub is_active: bool,
}

#[async_trait]
pub trait LinkRepo: Send + Sync {
    /// Insert; the same (user, customer) pair again is `Ok(false)`.
    async fn insert_link(&self, l: &UserCustomerLink) -> CoreResult<bool>;
    async fn link(&self, link_id: &str) -> CoreResult<Option<UserCustomerLink>>;
    /// Delete; `Ok(false)` when there was none.
    async fn delete_link(&self, link_id: &str) -> CoreResult<bool>;
    /// Newest first.
    async fn links_of_user(&self, user_id: &str) -> CoreResult<Vec<UserCustomerLink>>;
    /// Newest first.
    async fn links_of_customer(&self, customer_id: &str) -> CoreResult<Vec<UserCustomerLink>>;
}

impl Obp {
    pub async fn links_of_user(&self, user_id: &str) -> ObpResult<Vec<UserCustomerLink>> {
        Ok(self.repo.links_of_user(user_id).await?)
    }

    pub async fn links_of_customer(&self, customer_id: &str) -> ObpResult<Vec<UserCustomerLink>> {
        Ok(self.repo.links_of_customer(customer_id).await?)
    }
}

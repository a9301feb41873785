//! User–customer links: a user acting for a customer's person at a bank.

use super::customers::Customer;
use super::{new_id, Obp, ObpResult, Refusal};
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

    /// Link the user to the customer (the face has found both and compared
    /// the banks); the same pair again is `AlreadyLinked`.
    pub async fn create_link(
        &self,
        user_id: &str,
        customer: &Customer,
    ) -> ObpResult<UserCustomerLink> {
        let l = UserCustomerLink {
            user_customer_link_id: new_id(),
            user_id: user_id.into(),
            customer_id: customer.customer_id.clone(),
            bank_id: customer.bank_id.clone(),
            date_inserted: self.now(),
            is_active: true,
        };
        // The (user, customer) unique key decides, not a read before.
        if !self.repo.insert_link(&l).await? {
            return Err(Refusal::AlreadyLinked);
        }
        Ok(l)
    }

    /// End a link; an unknown id is `NotFound("link")`.
    pub async fn delete_link(&self, link_id: &str) -> ObpResult<()> {
        if !self.repo.delete_link(link_id).await? {
            return Err(Refusal::NotFound("link"));
        }
        Ok(())
    }

    /// The user's newest active link to a customer at `bank_id`.
    pub async fn newest_link_at(
        &self,
        user_id: &str,
        bank_id: &str,
    ) -> ObpResult<Option<UserCustomerLink>> {
        let links = self.repo.links_of_user(user_id).await?;
        Ok(links
            .into_iter()
            .find(|l| l.is_active && l.bank_id == bank_id))
    }
}

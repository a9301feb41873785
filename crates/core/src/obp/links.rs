//! User–customer links: a user acting for a customer's person at a bank.

use async_trait::async_trait;

#[async_trait]
pub trait LinkRepo: Send + Sync {}

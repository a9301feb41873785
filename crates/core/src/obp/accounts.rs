//! Accounts opened through OBP: ledger accounts at the bank, known to OBP by their ACCOUNT_ID.

use async_trait::async_trait;

#[async_trait]
pub trait ObpAccountRepo: Send + Sync {}

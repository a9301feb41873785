//! Charging and paying (R1–R6, P2, P3): one-time tokens, charges from the
//! registered bank account into a card, their cancels, results and history,
//! and payments from a card to a merchant's settlement account.

use async_trait::async_trait;

#[async_trait]
pub trait ChargeRepo: Send + Sync {}

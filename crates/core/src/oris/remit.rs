//! Remitters (송금인), their consents, the reports agencies make of their
//! remittances (신규/정정/퇴결), and the yearly USD limit summed across
//! agencies.

use async_trait::async_trait;

#[async_trait]
pub trait RemitRepo: Send + Sync {}

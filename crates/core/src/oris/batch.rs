//! Bulk reporting: a batch of chunks (JSON or CSV rows), each row applied as
//! a single report is.

use async_trait::async_trait;

#[async_trait]
pub trait BatchRepo: Send + Sync {}

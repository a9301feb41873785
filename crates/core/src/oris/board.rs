//! Boards (threads), posts, comments and files.

use async_trait::async_trait;

#[async_trait]
pub trait BoardRepo: Send + Sync {}

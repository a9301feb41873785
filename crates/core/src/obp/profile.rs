//! A customer's addresses, tax residences and social-media handles.

use async_trait::async_trait;

#[async_trait]
pub trait ProfileRepo: Send + Sync {}

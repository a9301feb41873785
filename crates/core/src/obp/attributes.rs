//! Customer attributes and customer attribute definitions.

use async_trait::async_trait;

#[async_trait]
pub trait AttributeRepo: Send + Sync {}

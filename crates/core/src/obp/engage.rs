//! Meetings, customer messages (v1.4.0 and v4.0.0) and CRM events.

use async_trait::async_trait;

#[async_trait]
pub trait EngageRepo: Send + Sync {}

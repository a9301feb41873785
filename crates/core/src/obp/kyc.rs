//! KYC checks, documents, media and statuses; a status is the person's KYC status.

use async_trait::async_trait;

#[async_trait]
pub trait KycRepo: Send + Sync {}

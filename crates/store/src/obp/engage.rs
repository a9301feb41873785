//! finhub_core::obp::engage.

use crate::Store;
use async_trait::async_trait;
use finhub_core::obp::engage::EngageRepo;

#[async_trait]
impl EngageRepo for Store {}

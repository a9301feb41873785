//! finhub_core::obp::links.

use crate::Store;
use async_trait::async_trait;
use finhub_core::obp::links::LinkRepo;

#[async_trait]
impl LinkRepo for Store {}

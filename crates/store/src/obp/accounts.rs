//! finhub_core::obp::accounts.

use crate::Store;
use async_trait::async_trait;
use finhub_core::obp::accounts::ObpAccountRepo;

#[async_trait]
impl ObpAccountRepo for Store {}

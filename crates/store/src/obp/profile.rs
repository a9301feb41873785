//! finhub_core::obp::profile.

use crate::Store;
use async_trait::async_trait;
use finhub_core::obp::profile::ProfileRepo;

#[async_trait]
impl ProfileRepo for Store {}

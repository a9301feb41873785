//! finhub_core::obp::kyc.

use crate::Store;
use async_trait::async_trait;
use finhub_core::obp::kyc::KycRepo;

#[async_trait]
impl KycRepo for Store {}

//! finhub_core::obp::attributes.

use crate::Store;
use async_trait::async_trait;
use finhub_core::obp::attributes::AttributeRepo;

#[async_trait]
impl AttributeRepo for Store {}

//! finhub_core::oris::batch.

use crate::Store;
use finhub_core::oris::batch::BatchRepo;

impl BatchRepo for Store {}

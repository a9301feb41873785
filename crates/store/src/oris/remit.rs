//! finhub_core::oris::remit.

use crate::Store;
use finhub_core::oris::remit::RemitRepo;

impl RemitRepo for Store {}

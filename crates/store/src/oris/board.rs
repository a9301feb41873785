//! finhub_core::oris::board.

use crate::Store;
use finhub_core::oris::board::BoardRepo;

impl BoardRepo for Store {}

//! Charges, cancels, one-time tokens and payments (R1–R6, P2, P3).

use crate::Store;
use finhub_core::konaplate::charging::ChargeRepo;

impl ChargeRepo for Store {}

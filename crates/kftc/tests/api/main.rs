//! The KFTC face end to end through the real router, in the order a fintech
//! app calls it. One binary; modules by area.

// Scenario tests read top to bottom in the order things happen; split, they would hide it.
#![allow(clippy::too_many_lines)]

mod edge;
mod errors;
mod flow;
mod management;
mod oauth;
mod payer_num;
mod refusals;
mod transfers;

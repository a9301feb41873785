//! The KFTC face end to end through the real router, in the order a fintech
//! app calls it. One binary; modules by area.

mod edge;
mod errors;
mod flow;
mod helpers;
mod management;
mod oauth;
mod payer_num;
mod refusals;
mod transfers;

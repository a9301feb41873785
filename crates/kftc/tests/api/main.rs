//! The KFTC face end to end through the real router, in the order a fintech
//! app calls it. One binary; modules by area.

mod errors;
mod flow;
mod management;
mod oauth;
mod transfers;

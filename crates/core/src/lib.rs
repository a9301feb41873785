//! finhub-core: the one financial world every face translates.
//!
//! Domain types, the rules that guard money, and the repository traits the
//! store implements. No HTTP and no SQL live here.

pub mod account;
pub mod clock;
pub mod consent;
pub mod error;
pub mod ids;
pub mod institution;
pub mod ledger;
pub mod merchant;
pub mod money;
pub mod oauth;
pub mod party;
pub mod payments;
pub mod product;
pub mod repo;
pub mod stats;
pub mod world;

pub use error::{CoreError, CoreResult};
pub mod fraud;
pub mod konaplate;
pub mod obp;
pub mod oris;
pub mod password;
pub mod registration;
pub mod terms;
pub mod usage;

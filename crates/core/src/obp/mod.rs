//! Open Bank Project (OBP v4.0.0): users who log in (DirectLogin or OAuth),
//! their entitlements, and a bank's customers, who are people of the world,
//! with everything the Customer, KYC and Onboarding APIs keep about them.
//!
//! - `roles`: the role catalogue (bank-level or system-level).
//! - `users`: users, passwords, DirectLogin tokens and entitlements.
//! - `customers`: customers (a person at a bank) and their updates.
//! - `attributes`: customer attributes and attribute definitions.
//! - `profile`: addresses, tax residences and social-media handles.
//! - `links`: user–customer links.
//! - `kyc`: KYC checks, documents, media and statuses.
//! - `accounts`: accounts opened through OBP (ledger accounts).
//! - `engage`: meetings, customer messages and CRM events.
//! - `Obp`: the service the OBP face and the sandbox call.

pub mod accounts;
pub mod attributes;
pub mod customers;
pub mod engage;
pub mod kyc;
pub mod links;
pub mod profile;
mod refusal;
pub mod roles;
mod service;
pub mod users;

pub use refusal::{ObpResult, Refusal};
pub use service::{Obp, ObpConfig};

/// Everything the OBP service needs from storage.
pub trait ObpRepo:
    users::UserRepo
    + customers::CustomerRepo
    + attributes::AttributeRepo
    + profile::ProfileRepo
    + links::LinkRepo
    + kyc::KycRepo
    + accounts::ObpAccountRepo
    + engage::EngageRepo
{
}
impl<T> ObpRepo for T where
    T: users::UserRepo
        + customers::CustomerRepo
        + attributes::AttributeRepo
        + profile::ProfileRepo
        + links::LinkRepo
        + kyc::KycRepo
        + accounts::ObpAccountRepo
        + engage::EngageRepo
{
}

/// A new OBP id: a lower-case UUID, as OBP's own ids are.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

//! The prepaid-card and membership platform behind the Konaplate face.
//! A project is one service provider: its members are people of the world,
//! its cards are Prepaid accounts at the platform, and every charge,
//! refund and payment is a ledger entry through core's money rules.
//!
//! - `ids`: ASP ids, keys, correlation ids, PARs, card numbers.
//! - `project`: projects, access keys, crypto keys, products, merchants.
//! - `exchange`: `X-KM-Correlation-Id` as the request's identity.
//! - `members` (U1–U13), `bank` (B1–B10), `cards` (C1–C18, L1–L3),
//!   `charging` (R1–R6, P2, P3).

/// `as_str` and `parse` for an enum of wire words, each variant its word.
macro_rules! words {
    ($t:ty { $($v:ident = $w:literal),* }) => {
        impl $t {
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$v => $w),* }
            }
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($w => Some(Self::$v),)* _ => None }
            }
        }
    };
}

pub mod bank;
pub mod cards;
pub mod charging;
pub mod exchange;
pub mod ids;
pub mod members;
pub mod project;
mod refusal;

pub use refusal::{KonaResult, Refusal};

use crate::clock::Clock;
use crate::institution::{org_code_for, InstitutionKind};
use crate::product::ProductRepo;
use crate::world::World;
use std::sync::Arc;

/// Everything the platform needs from storage.
pub trait KonaRepo:
    project::ProjectRepo
    + exchange::ExchangeRepo
    + members::MemberRepo
    + cards::CardRepo
    + bank::BankRepo
    + charging::ChargeRepo
    + ProductRepo
{
}
impl<T> KonaRepo for T where
    T: project::ProjectRepo
        + exchange::ExchangeRepo
        + members::MemberRepo
        + cards::CardRepo
        + bank::BankRepo
        + charging::ChargeRepo
        + ProductRepo
{
}

/// The platform's own institution (an e-finance company of the world).
pub const PLATFORM_LOCAL: &str = "00000003";
pub const PLATFORM_NAME: &str = "코나아이";

/// The service the Konaplate face and the sandbox call.
#[derive(Clone)]
pub struct Kona {
    pub repo: Arc<dyn KonaRepo>,
    pub world: World,
    pub keys: Arc<dyn project::KeySmith>,
    /// Real time, never the sandbox's world clock: how long a claimed money
    /// request has been running (`charging::recover`). Tests move it.
    pub real: Clock,
}

impl Kona {
    pub fn new(repo: Arc<dyn KonaRepo>, world: World, keys: Arc<dyn project::KeySmith>) -> Self {
        Kona {
            repo,
            world,
            keys,
            real: Clock::system(),
        }
    }

    /// The platform's org code: cards and merchants are its accounts.
    pub fn platform_org(&self) -> String {
        org_code_for(InstitutionKind::Efin, PLATFORM_LOCAL)
    }
}

//! The overseas-remittance registry (ORIS): agencies (참가기관) and their
//! staff report each person's overseas remittances, and the yearly USD limit
//! without documents is summed across every agency.
//!
//! - `ids`: ULIDs, agency codes and the 21-character business message ids.
//! - `staff`: agencies, members, permission groups, API keys and sessions.
//! - `terms`: terms with effective dates and the consents given to them.
//! - `remit`: remitters, their consents, reports and the yearly limit;
//!   `reports` applies reports (신규/정정/퇴결) one or many per call.
//! - `batch`: bulk reporting in chunks.
//! - `board`: boards, posts, comments and files.
//! - `Registry`: the service the ORIS face and the sandbox call.

pub mod agencies;
pub mod batch;
pub mod board;
pub mod ids;
pub mod login;
mod refusal;
mod registry;
pub mod remit;
pub mod remitters;
pub mod reports;
pub mod staff;
pub mod terms;

pub use refusal::{OrisResult, Refusal};
pub use registry::{agency_usable, Need, Principal, Registry, ACCESS_TTL, REFRESH_TTL};

/// Everything the registry needs from storage.
pub trait OrisRepo:
    staff::StaffRepo + terms::TermRepo + remit::RemitRepo + batch::BatchRepo + board::BoardRepo
{
}
impl<T> OrisRepo for T where
    T: staff::StaffRepo + terms::TermRepo + remit::RemitRepo + batch::BatchRepo + board::BoardRepo
{
}

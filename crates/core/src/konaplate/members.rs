//! Members (U1–U13): a member is a person of the world (same CI) within one
//! project, with a login id, a 6-digit password (argon2), agreed terms and
//! a status.
//!
//! - `register`: U1 (the person, the terms, the basic card).
//! - `account`: U2–U7, U10–U13 (info, passwords, cancellation, lookups).
//! - `terms`: the terms catalogue, U8 and U9.
//! - `named`: L1–L3 (named cards, corporate identification).

mod account;
mod named;
mod register;
mod terms;

pub use account::{AuthInfo, FindLogin, InfoChange, PasswordUpdate};
pub use named::{CorpApplication, CorpRequest, CorpStatus};
pub use register::{password_rules, Registration};
pub use terms::{Required, Term, TERMS};

use super::ids::UserId;
use super::refusal::{KonaResult, Refusal};
use super::Kona;
use crate::CoreResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// Consecutive password failures that lock a member until a U3 `RESET`.
pub const MAX_PASSWORD_FAILURES: u32 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberStatus {
    Active,
    Dormant,
    Blocked,
    /// Membership cancelled (U5): the member answers as unknown.
    Cancelled,
}

impl MemberStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "ACTIVE",
            Self::Dormant => "DORMANT",
            Self::Blocked => "BLOCKED",
            Self::Cancelled => "CANCELLED",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Active, Self::Dormant, Self::Blocked, Self::Cancelled]
            .into_iter()
            .find(|m| m.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub address: String,
    pub address_detail: Option<String>,
    pub zip_code: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Member {
    pub user_id: UserId,
    pub project_id: String,
    /// The person of the world this member is.
    pub person_id: String,
    pub login_id: String,
    pub password_hash: String,
    pub ci: String,
    /// yyyyMMdd.
    pub birth_date: String,
    /// `Korean` / `Foreigner`.
    pub nationality: String,
    /// `Male` / `Female`.
    pub gender: String,
    pub user_name: String,
    pub mobile_number: String,
    pub email: String,
    pub join_channel: Option<String>,
    pub address: Option<Address>,
    pub status: MemberStatus,
    /// Consecutive password failures; 5 lock the member until a reset.
    pub password_failures: u32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One term the member agreed to, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agreement {
    pub tc_id: u64,
    pub agreed_at: DateTime<Utc>,
}

#[async_trait]
pub trait MemberRepo: Send + Sync {
    /// False when the login id or the CI is taken in the project (the
    /// unique keys decide).
    async fn insert_member(&self, m: &Member, terms: &[Agreement]) -> CoreResult<bool>;
    async fn member(&self, project_id: &str, user_id: UserId) -> CoreResult<Option<Member>>;
    async fn member_by_login(&self, project_id: &str, login_id: &str)
        -> CoreResult<Option<Member>>;
    async fn member_by_ci(&self, project_id: &str, ci: &str) -> CoreResult<Option<Member>>;
    /// Write every field but the ids back.
    async fn update_member(&self, m: &Member) -> CoreResult<()>;
    async fn agreements(&self, project_id: &str, user_id: UserId) -> CoreResult<Vec<Agreement>>;
    /// Agree to `agree` (kept if already agreed) and withdraw `withdraw`.
    async fn set_agreements(
        &self,
        project_id: &str,
        user_id: UserId,
        agree: &[Agreement],
        withdraw: &[u64],
    ) -> CoreResult<()>;
    /// Count one more password failure, atomically; the new count (0 when
    /// there is no such member).
    async fn add_password_failure(&self, project_id: &str, user_id: UserId) -> CoreResult<u32>;
    /// The members of the project with this name and birth date.
    async fn members_named(
        &self,
        project_id: &str,
        user_name: &str,
        birth_date: &str,
    ) -> CoreResult<Vec<Member>>;
    /// Insert or replace the card's corporate identification request.
    async fn put_corp_request(&self, r: &CorpRequest) -> CoreResult<()>;
    async fn corp_request(&self, project_id: &str, par: &str) -> CoreResult<Option<CorpRequest>>;
}

impl Kona {
    /// The project's member of this id, unless cancelled (`001_006`).
    pub async fn member(&self, project_id: &str, user_id: UserId) -> KonaResult<Member> {
        (self.repo.member(project_id, user_id).await?)
            .filter(|m| m.status != MemberStatus::Cancelled)
            .ok_or(Refusal::MemberNotFound)
    }

    /// The sandbox switch (dormancy, the fraud list): an unknown or
    /// cancelled member is `NotFound` (404).
    pub async fn set_member_status(
        &self,
        project_id: &str,
        user_id: UserId,
        status: MemberStatus,
    ) -> KonaResult<Member> {
        let mut m = match self.member(project_id, user_id).await {
            Err(Refusal::MemberNotFound) => return Err(Refusal::NotFound("member")),
            r => r?,
        };
        m.status = status;
        m.updated_at = self.world.clock.now();
        self.repo.update_member(&m).await?;
        Ok(m)
    }
}

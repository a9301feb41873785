//! Remitters (송금인), their consents, the reports agencies make of their
//! remittances (신규/정정/퇴결), and the yearly USD limit summed across
//! agencies. The rules of a report are in `reports`, the reads in `reads`.

use crate::CoreResult;
use async_trait::async_trait;
use chrono::{DateTime, Datelike, NaiveDate, Utc};

/// The yearly limit without documents, in cents: USD 100,000.
pub const ANNUAL_LIMIT_CENTS: i64 = 10_000_000;
/// What banks may still send per transaction once it is used: USD 5,000.
pub const CAP_AFTER_LIMIT_CENTS: i64 = 500_000;

/// The KST calendar year an instant falls in: a remittance's account year.
pub fn account_year(t: DateTime<Utc>) -> i32 {
    t.with_timezone(&crate::clock::kst()).year()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserType {
    Domestic,
    Foreign,
}

impl UserType {
    pub fn as_str(self) -> &'static str {
        match self {
            UserType::Domestic => "내국인",
            UserType::Foreign => "외국인",
        }
    }

    pub fn parse(s: &str) -> Option<UserType> {
        [UserType::Domestic, UserType::Foreign]
            .into_iter()
            .find(|t| t.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityType {
    Rrn,
    Passport,
    AlienReg,
}

impl IdentityType {
    pub fn as_str(self) -> &'static str {
        match self {
            IdentityType::Rrn => "RRN",
            IdentityType::Passport => "PASSPORT",
            IdentityType::AlienReg => "ALIEN_REG",
        }
    }

    pub fn parse(s: &str) -> Option<IdentityType> {
        [
            IdentityType::Rrn,
            IdentityType::Passport,
            IdentityType::AlienReg,
        ]
        .into_iter()
        .find(|t| t.as_str() == s)
    }
}

/// A remitter as the registry holds them: the identity number only as a
/// keyed hash, the world person only when a CI was given.
#[derive(Debug, Clone)]
pub struct Remitter {
    pub user_id: String,
    pub user_name: String,
    pub user_type: UserType,
    pub user_country: String,
    pub identity_type: IdentityType,
    /// HMAC-SHA256 (hex) of type and number under the registry's key.
    pub identity_hash: String,
    pub birth_date: NaiveDate,
    /// The world person whose CI the remitter was registered with.
    pub person_id: Option<String>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemitStatus {
    /// 신규
    New,
    /// 정정
    Corrected,
    /// 퇴결 (final)
    Returned,
}

impl RemitStatus {
    pub const ALL: [RemitStatus; 3] = [
        RemitStatus::New,
        RemitStatus::Corrected,
        RemitStatus::Returned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RemitStatus::New => "신규",
            RemitStatus::Corrected => "정정",
            RemitStatus::Returned => "퇴결",
        }
    }

    pub fn parse(s: &str) -> Option<RemitStatus> {
        RemitStatus::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// A report's latest state: what its last history entry says.
#[derive(Debug, Clone)]
pub struct Remittance {
    pub bmi: String,
    pub agency_id: String,
    pub user_id: String,
    /// Fixed by the first report; corrections may not move it.
    pub account_year: i32,
    pub status: RemitStatus,
    pub request_date: DateTime<Utc>,
    pub usd_cents: i64,
    pub evidence_submitted: bool,
    pub currency: Option<String>,
    /// The original-currency amount, a decimal as sent.
    pub amount: Option<String>,
    pub receiver_country: Option<String>,
    /// What the yearly limit counts of it (§8).
    pub counted_cents: i64,
    /// How many history entries it has (the next one's seq).
    pub entries: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Remittance {
    /// §8: the latest amount; nothing once returned or when documented.
    pub fn counted(&self) -> i64 {
        if self.status == RemitStatus::Returned || self.evidence_submitted {
            0
        } else {
            self.usd_cents
        }
    }
}

/// One event of a remittance (history entry), oldest first by `seq`.
#[derive(Debug, Clone)]
pub struct History {
    pub bmi: String,
    pub seq: i64,
    pub status: RemitStatus,
    pub request_date: DateTime<Utc>,
    pub usd_cents: i64,
    /// A return's reason.
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A remitter's consent to a term, recorded by one agency.
#[derive(Debug, Clone)]
pub struct RemitterConsent {
    pub consent_id: String,
    pub user_id: String,
    pub term_id: String,
    pub agency_id: String,
    pub identity_verification_method: String,
    pub consenter_name: Option<String>,
    pub additional_info: Option<String>,
    pub is_under_fourteen: Option<bool>,
    pub consent_at: DateTime<Utc>,
    pub withdrawn_at: Option<DateTime<Utc>>,
}

/// A remitter's total for a year: the counted sum and how many count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Used {
    pub cents: i64,
    pub count: i64,
}

/// Filters of a listing of reports (U3 across agencies, R5 one agency's).
#[derive(Debug, Clone, Default)]
pub struct ReportFilter {
    pub user_id: Option<String>,
    pub agency_id: Option<String>,
    pub status: Option<RemitStatus>,
    /// On `request_date`, both ends included.
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub offset: u64,
    pub limit: u32,
}

/// One store transaction over reports: reads of the rows a call touches,
/// then its writes, committed together or not at all.
#[async_trait]
pub trait ReportTx: Send {
    /// Insert the reports not yet stored (the primary key decides); answers
    /// the bmis this call inserted.
    async fn claim(&mut self, rows: &[Remittance]) -> CoreResult<Vec<String>>;
    async fn remittances(&mut self, bmis: &[String]) -> CoreResult<Vec<Remittance>>;
    /// The counted totals of these (userId, year) pairs.
    async fn used(&mut self, keys: &[(String, i32)]) -> CoreResult<Vec<(String, i32, Used)>>;
    /// Store the new latest states and append the history entries.
    async fn write(&mut self, changed: &[Remittance], histories: &[History]) -> CoreResult<()>;
    async fn commit(self: Box<Self>) -> CoreResult<()>;
}

#[async_trait]
pub trait RemitRepo: Send + Sync {
    /// Registers unless the identity hash is known; answers the remitter
    /// on record and whether it is the one just given.
    async fn insert_remitter(&self, r: &Remitter) -> CoreResult<(Remitter, bool)>;
    async fn remitter(&self, user_id: &str) -> CoreResult<Option<Remitter>>;
    async fn remitters(&self, user_ids: &[String]) -> CoreResult<Vec<Remitter>>;
    /// False when no such remitter.
    async fn set_remitter_active(&self, user_id: &str, active: bool) -> CoreResult<bool>;
    async fn begin_reports(&self) -> CoreResult<Box<dyn ReportTx>>;
    async fn remittance(&self, bmi: &str) -> CoreResult<Option<Remittance>>;
    async fn histories(&self, bmis: &[String]) -> CoreResult<Vec<History>>;
    /// A page of reports, newest request first, and the total.
    async fn list_remittances(&self, f: &ReportFilter) -> CoreResult<(Vec<Remittance>, u64)>;
    async fn used(&self, user_id: &str, year: i32) -> CoreResult<Used>;
    /// Records it unless this agency holds a live consent of the user to
    /// the term; answers the one on record and whether it is new.
    async fn insert_remitter_consent(
        &self,
        c: &RemitterConsent,
    ) -> CoreResult<(RemitterConsent, bool)>;
    async fn remitter_consent(&self, consent_id: &str) -> CoreResult<Option<RemitterConsent>>;
    /// A user's consents recorded by an agency, withdrawn ones included.
    async fn remitter_consents(
        &self,
        user_id: &str,
        agency_id: &str,
    ) -> CoreResult<Vec<RemitterConsent>>;
    async fn withdraw_remitter_consent(
        &self,
        consent_id: &str,
        at: DateTime<Utc>,
    ) -> CoreResult<()>;
}

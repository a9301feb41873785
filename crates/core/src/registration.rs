//! A client organisation's registration of a person's account (an open-banking
//! style "registered account"): which services it may use (inquiry, transfer)
//! with their consent times, a client-scoped handle for the account, and the
//! client's contract account that its transfers settle against.

use crate::error::CoreResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The service a registration grants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Service {
    Inquiry,
    Transfer,
}

impl Service {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "inquiry" => Some(Self::Inquiry),
            "transfer" => Some(Self::Transfer),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationStatus {
    Active,
    Cancelled,
}

impl RegistrationStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "active" => Some(Self::Active),
            "cancelled" => Some(Self::Cancelled),
            _ => None,
        }
    }
}

/// One person's account as one client registered it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registration {
    /// The client organisation (for KFTC: its client_use_code).
    pub org_code: String,
    /// Client-scoped account handle (for KFTC: the 24-digit fintech_use_num),
    /// unique per client by a database constraint.
    pub handle: String,
    pub person_id: String,
    pub account_id: String,
    pub alias: String,
    pub email: Option<String>,
    /// When the person consented to inquiries; None when not registered for them.
    pub inquiry_agreed_at: Option<DateTime<Utc>>,
    /// When the person consented to withdrawals; None when not registered for them.
    pub transfer_agreed_at: Option<DateTime<Utc>>,
    pub status: RegistrationStatus,
    pub registered_at: DateTime<Utc>,
    pub cancelled_at: Option<DateTime<Utc>>,
}

impl Registration {
    pub fn is_active(&self) -> bool {
        self.status == RegistrationStatus::Active
    }
    pub fn has(&self, s: Service) -> bool {
        self.is_active()
            && match s {
                Service::Inquiry => self.inquiry_agreed_at.is_some(),
                Service::Transfer => self.transfer_agreed_at.is_some(),
            }
    }
}

/// What registering a service for an account did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegisterResult {
    /// A new registration row.
    Created,
    /// An existing registration gained the service.
    Added,
    /// The service was registered already.
    AlreadyRegistered,
}

/// A client organisation's limits on money it moves through registrations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientLimits {
    pub wd_day_minor: i64,
    pub wd_month_minor: i64,
    pub wd_item_minor: i64,
    pub dps_day_minor: i64,
    pub dps_month_minor: i64,
    pub dps_item_minor: i64,
    /// Per person per day, over all the client's withdrawals from them.
    pub user_wd_day_minor: i64,
    /// Per person per withdrawal.
    pub user_wd_item_minor: i64,
}

impl Default for ClientLimits {
    fn default() -> Self {
        ClientLimits {
            wd_day_minor: 1_000_000_000,
            wd_month_minor: 10_000_000_000,
            wd_item_minor: 100_000_000,
            dps_day_minor: 1_000_000_000,
            dps_month_minor: 10_000_000_000,
            dps_item_minor: 100_000_000,
            user_wd_day_minor: 10_000_000,
            user_wd_item_minor: 10_000_000,
        }
    }
}

/// The account a client organisation settles its transfers against
/// (약정계좌), with the pass phrase its deposits must quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientContract {
    pub org_code: String,
    pub client_id: String,
    pub account_id: String,
    /// A sandbox-visible fixed phrase (`NONE` by default), stored as given:
    /// it is shown to the client when it is created, like the testbed does.
    pub pass_phrase: String,
    pub limits: ClientLimits,
}

/// One service of one account registered with a client (`RegistrationRepo::register`).
#[derive(Debug, Clone, Copy)]
pub struct NewRegistration<'a> {
    pub org_code: &'a str,
    pub person_id: &'a str,
    pub account_id: &'a str,
    pub service: Service,
    pub email: Option<&'a str>,
    pub at: DateTime<Utc>,
}

#[async_trait]
pub trait RegistrationRepo: Send + Sync {
    /// The person's world-wide user number, assigned on first call
    /// (1100000001, 1100000002, ...).
    async fn user_number(&self, person_id: &str) -> CoreResult<i64>;
    /// The person behind a user number, if any was assigned.
    async fn person_by_user_number(&self, user_no: i64) -> CoreResult<Option<String>>;
    /// Register `service` for the account with the client, creating the
    /// registration (with a fresh handle from `new_handle`) when there is none
    /// or reactivating a cancelled one. Duplicate handles are retried.
    async fn register(
        &self,
        new: NewRegistration<'_>,
        new_handle: &(dyn Fn() -> String + Send + Sync),
    ) -> CoreResult<(Registration, RegisterResult)>;
    async fn registration(&self, org_code: &str, handle: &str) -> CoreResult<Option<Registration>>;
    async fn registration_of_account(
        &self,
        org_code: &str,
        account_id: &str,
    ) -> CoreResult<Option<Registration>>;
    /// A client's registrations of one person, oldest first.
    async fn registrations_of_person(
        &self,
        org_code: &str,
        person_id: &str,
    ) -> CoreResult<Vec<Registration>>;
    async fn set_email(&self, org_code: &str, handle: &str, email: &str) -> CoreResult<bool>;
    /// Withdraw one service's consent; the registration is cancelled when no
    /// service is left. False when the service was not registered.
    async fn cancel_service(
        &self,
        org_code: &str,
        handle: &str,
        service: Service,
        at: DateTime<Utc>,
    ) -> CoreResult<bool>;
    /// Cancel every registration of the person with the client; returns how many.
    async fn cancel_person(
        &self,
        org_code: &str,
        person_id: &str,
        at: DateTime<Utc>,
    ) -> CoreResult<u64>;

    async fn insert_contract(&self, c: &ClientContract) -> CoreResult<()>;
    async fn contract(&self, org_code: &str) -> CoreResult<Option<ClientContract>>;
    async fn set_limits(&self, org_code: &str, limits: &ClientLimits) -> CoreResult<bool>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_need_consent_and_an_active_registration() {
        let now = Utc::now();
        let mut r = Registration {
            org_code: "M202600001".into(),
            handle: "h".into(),
            person_id: "p".into(),
            account_id: "a".into(),
            alias: String::new(),
            email: None,
            inquiry_agreed_at: Some(now),
            transfer_agreed_at: None,
            status: RegistrationStatus::Active,
            registered_at: now,
            cancelled_at: None,
        };
        assert!(r.has(Service::Inquiry));
        assert!(!r.has(Service::Transfer));
        r.status = RegistrationStatus::Cancelled;
        assert!(!r.has(Service::Inquiry));
        assert_eq!(Service::parse("transfer"), Some(Service::Transfer));
        assert_eq!(Service::parse("login"), None);
    }
}

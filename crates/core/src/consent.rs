//! A person's transmission request (전송요구): what they allowed an operator
//! to receive from one institution, for how long and how often. It is a
//! record of its own, keyed by the token family it authorizes, so a refresh
//! keeps it and a revocation ends it with the tokens.

use crate::error::CoreResult;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    /// The id of the refresh family the consent's tokens belong to.
    pub consent_id: String,
    /// The operator's client, and the operator's org code.
    pub client_id: String,
    pub receiver_org: String,
    pub person_id: String,
    /// The institution that sends (the provider).
    pub sender_org: String,
    /// Every scope granted, the list scopes included.
    pub scopes: Vec<String>,
    /// The chosen assets: account ids of the world.
    pub account_ids: Vec<String>,
    pub purpose: String,
    pub end_date: NaiveDate,
    /// How long the receiver may keep what it received.
    pub hold_until: NaiveDate,
    pub is_scheduled: bool,
    /// Periodic cycles, `count/unit` (`1/d`, `1/w`, `1/2w`, `1/m`).
    pub fnd_cycle: Option<String>,
    pub add_cycle: Option<String>,
    /// Also allowed: memo texts of histories, and merchant names and numbers.
    pub memo: bool,
    pub merchant: bool,
    /// Integrated authentication's transaction id, once per consent.
    pub tx_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl Consent {
    /// Whether the consent still speaks for the person on `today`.
    pub fn in_force(&self, today: NaiveDate) -> bool {
        self.revoked_at.is_none() && today <= self.end_date
    }

    pub fn holds(&self, account_id: &str) -> bool {
        self.account_ids.iter().any(|a| a == account_id)
    }

    pub fn grants(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }
}

#[async_trait]
pub trait ConsentRepo: Send + Sync {
    /// A duplicate consent id, or a `tx_id` already used, is a `Conflict`.
    async fn insert_consent(&self, c: &Consent) -> CoreResult<()>;
    async fn consent(&self, consent_id: &str) -> CoreResult<Option<Consent>>;
    /// Every consent a person gave, newest first.
    async fn consents_of_person(&self, person_id: &str) -> CoreResult<Vec<Consent>>;
    /// Mark revoked; false when there is no such consent or it was revoked already.
    async fn revoke_consent(&self, consent_id: &str, at: DateTime<Utc>) -> CoreResult<bool>;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn consent() -> Consent {
        Consent {
            consent_id: "f".into(),
            client_id: "c".into(),
            receiver_org: "OP00000001".into(),
            person_id: "p".into(),
            sender_org: "BA00000004".into(),
            scopes: vec!["bank.list".into(), "bank.deposit".into()],
            account_ids: vec!["a1".into()],
            purpose: "자산관리".into(),
            end_date: NaiveDate::from_ymd_opt(2027, 1, 31).unwrap(),
            hold_until: NaiveDate::from_ymd_opt(9999, 12, 31).unwrap(),
            is_scheduled: true,
            fnd_cycle: Some("1/d".into()),
            add_cycle: Some("1/d".into()),
            memo: true,
            merchant: true,
            tx_id: None,
            created_at: Utc::now(),
            revoked_at: None,
        }
    }

    #[test]
    fn a_consent_ends_on_its_end_date_or_revocation() {
        let mut c = consent();
        assert!(c.in_force(c.end_date));
        assert!(!c.in_force(c.end_date.succ_opt().unwrap()));
        c.revoked_at = Some(Utc::now());
        assert!(!c.in_force(c.end_date));
        assert!(c.holds("a1") && !c.holds("a2"));
        assert!(c.grants("bank.deposit") && !c.grants("bank.loan"));
    }
}

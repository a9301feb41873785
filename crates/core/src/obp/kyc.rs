//! KYC checks, documents, media and statuses of a customer. The adds are
//! upserts keyed by the id in the path (a status by its bank and customer),
//! and a status is the person's KYC status, which the other faces see.

use super::customers::Customer;
use super::{Obp, ObpResult};
use crate::CoreResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// What every KYC item carries: its customer, and when it was last written
/// (the lists are newest-updated first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KycOwner {
    pub bank_id: String,
    pub customer_id: String,
    /// As the body gave it (not compared with the customer's).
    pub customer_number: String,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KycDocument {
    pub id: String,
    pub owner: KycOwner,
    /// OBP's `type` (e.g. `passport`).
    pub kind: String,
    pub number: String,
    pub issue_date: Option<DateTime<Utc>>,
    pub issue_place: String,
    pub expiry_date: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KycMedia {
    pub id: String,
    pub owner: KycOwner,
    /// OBP's `type` (e.g. `image`).
    pub kind: String,
    pub url: String,
    pub date: Option<DateTime<Utc>>,
    pub relates_to_kyc_document_id: String,
    pub relates_to_kyc_check_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KycCheck {
    pub id: String,
    pub owner: KycOwner,
    pub date: Option<DateTime<Utc>>,
    pub how: String,
    pub staff_user_id: String,
    pub staff_name: String,
    pub satisfied: bool,
    pub comments: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KycStatus {
    pub owner: KycOwner,
    pub ok: bool,
    pub date: Option<DateTime<Utc>>,
}

#[async_trait]
pub trait KycRepo: Send + Sync {
    /// Insert, or overwrite the document of the same id.
    async fn upsert_kyc_document(&self, d: &KycDocument) -> CoreResult<()>;
    async fn upsert_kyc_media(&self, m: &KycMedia) -> CoreResult<()>;
    async fn upsert_kyc_check(&self, c: &KycCheck) -> CoreResult<()>;
    /// Insert, or overwrite the status of the same (bank, customer).
    async fn upsert_kyc_status(&self, s: &KycStatus) -> CoreResult<()>;
    /// Each list: the customer's, newest-updated first.
    async fn kyc_documents(&self, customer_id: &str) -> CoreResult<Vec<KycDocument>>;
    async fn kyc_media(&self, customer_id: &str) -> CoreResult<Vec<KycMedia>>;
    async fn kyc_checks(&self, customer_id: &str) -> CoreResult<Vec<KycCheck>>;
    async fn kyc_statuses(&self, customer_id: &str) -> CoreResult<Vec<KycStatus>>;
    /// The newest-updated status of any customer of the person.
    async fn latest_kyc_status_of_person(&self, person_id: &str) -> CoreResult<Option<KycStatus>>;
}

impl Obp {
    /// The owner part of an item added now for `customer` at BANK_ID (the
    /// path's bank, as OBP keeps it).
    pub fn kyc_owner(
        &self,
        bank_id: &str,
        customer: &Customer,
        customer_number: String,
    ) -> KycOwner {
        KycOwner {
            bank_id: bank_id.into(),
            customer_id: customer.customer_id.clone(),
            customer_number,
            updated_at: self.now(),
        }
    }

    pub async fn add_kyc_document(&self, d: KycDocument) -> ObpResult<KycDocument> {
        self.repo.upsert_kyc_document(&d).await?;
        Ok(d)
    }

    pub async fn add_kyc_media(&self, m: KycMedia) -> ObpResult<KycMedia> {
        self.repo.upsert_kyc_media(&m).await?;
        Ok(m)
    }

    pub async fn add_kyc_check(&self, c: KycCheck) -> ObpResult<KycCheck> {
        self.repo.upsert_kyc_check(&c).await?;
        Ok(c)
    }

    /// The customer's (and so the person's) KYC status; the customer's own
    /// `kyc_status` follows it, so customer reads show it too.
    pub async fn add_kyc_status(
        &self,
        mut customer: Customer,
        s: KycStatus,
    ) -> ObpResult<KycStatus> {
        self.repo.upsert_kyc_status(&s).await?;
        if customer.kyc_status != s.ok {
            customer.kyc_status = s.ok;
            customer.updated_at = s.owner.updated_at;
            self.repo.update_customer(&customer).await?;
        }
        Ok(s)
    }

    pub async fn kyc_documents(&self, customer_id: &str) -> ObpResult<Vec<KycDocument>> {
        Ok(self.repo.kyc_documents(customer_id).await?)
    }

    pub async fn kyc_media(&self, customer_id: &str) -> ObpResult<Vec<KycMedia>> {
        Ok(self.repo.kyc_media(customer_id).await?)
    }

    pub async fn kyc_checks(&self, customer_id: &str) -> ObpResult<Vec<KycCheck>> {
        Ok(self.repo.kyc_checks(customer_id).await?)
    }

    pub async fn kyc_statuses(&self, customer_id: &str) -> ObpResult<Vec<KycStatus>> {
        Ok(self.repo.kyc_statuses(customer_id).await?)
    }

    /// The person's KYC status: the one added last at any of its banks, with
    /// its date (when it was added, if the body gave none). None: never added.
    pub async fn kyc_status_of_person(
        &self,
        person_id: &str,
    ) -> ObpResult<Option<(bool, DateTime<Utc>)>> {
        let s = self.repo.latest_kyc_status_of_person(person_id).await?;
        Ok(s.map(|s| (s.ok, s.date.unwrap_or(s.owner.updated_at))))
    }
}

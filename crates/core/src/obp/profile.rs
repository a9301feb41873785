//! A customer's addresses, tax residences and social-media handles.

use super::customers::Customer;
use super::{new_id, Obp, ObpResult, Refusal};
use crate::CoreResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// An address's fields as Create and Update Address send them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddressFields {
    pub line_1: String,
    pub line_2: String,
    pub line_3: String,
    pub city: String,
    pub county: String,
    pub state: String,
    pub postcode: String,
    pub country_code: String,
    pub tags: Vec<String>,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerAddress {
    pub customer_address_id: String,
    pub customer_id: String,
    pub fields: AddressFields,
    pub insert_date: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxResidence {
    pub tax_residence_id: String,
    pub customer_id: String,
    pub domain: String,
    pub tax_number: String,
    pub created_at: DateTime<Utc>,
}

/// A social-media handle, kept under a customer number (not a customer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SocialMediaHandle {
    pub social_media_handle_id: String,
    /// The bank of the path it was posted to (kept, not read back: OBP
    /// lists handles by number alone).
    pub bank_id: String,
    pub customer_number: String,
    pub kind: String,
    pub handle: String,
    pub date_added: Option<DateTime<Utc>>,
    pub date_activated: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[async_trait]
pub trait ProfileRepo: Send + Sync {
    async fn insert_address(&self, a: &CustomerAddress) -> CoreResult<()>;
    async fn address(&self, id: &str) -> CoreResult<Option<CustomerAddress>>;
    /// Overwrite the fields of `a.customer_address_id`; false when there is none.
    async fn update_address(&self, a: &CustomerAddress) -> CoreResult<bool>;
    /// A customer's addresses, oldest first.
    async fn addresses(&self, customer_id: &str) -> CoreResult<Vec<CustomerAddress>>;
    async fn delete_address(&self, id: &str) -> CoreResult<bool>;
    async fn insert_tax_residence(&self, t: &TaxResidence) -> CoreResult<()>;
    /// A customer's tax residences, oldest first.
    async fn tax_residences(&self, customer_id: &str) -> CoreResult<Vec<TaxResidence>>;
    async fn delete_tax_residence(&self, id: &str) -> CoreResult<bool>;
    async fn insert_social_handle(&self, h: &SocialMediaHandle) -> CoreResult<()>;
    /// The handles kept under `customer_number`, newest first.
    async fn social_handles(&self, customer_number: &str) -> CoreResult<Vec<SocialMediaHandle>>;
}

/// OBP keeps the posted `state` in the status column (reference §2.5), so
/// the `status` it answers is the `state`.
fn as_obp_stores(mut f: AddressFields) -> AddressFields {
    f.status = f.state.clone();
    f
}

impl Obp {
    pub async fn create_address(
        &self,
        c: &Customer,
        f: AddressFields,
    ) -> ObpResult<CustomerAddress> {
        let a = CustomerAddress {
            customer_address_id: new_id(),
            customer_id: c.customer_id.clone(),
            fields: as_obp_stores(f),
            insert_date: self.now(),
        };
        self.repo.insert_address(&a).await?;
        Ok(a)
    }

    /// Update an address by its id alone (its customer is not compared, as OBP).
    pub async fn update_address(&self, id: &str, f: AddressFields) -> ObpResult<CustomerAddress> {
        let old = (self.repo.address(id).await?).ok_or(Refusal::NotFound("customer address"))?;
        let a = CustomerAddress {
            fields: as_obp_stores(f),
            ..old
        };
        if !self.repo.update_address(&a).await? {
            return Err(Refusal::NotFound("customer address"));
        }
        Ok(a)
    }

    pub async fn addresses(&self, customer_id: &str) -> ObpResult<Vec<CustomerAddress>> {
        Ok(self.repo.addresses(customer_id).await?)
    }

    pub async fn delete_address(&self, id: &str) -> ObpResult<()> {
        found(self.repo.delete_address(id).await?, "customer address")
    }

    pub async fn create_tax_residence(
        &self,
        c: &Customer,
        domain: String,
        tax_number: String,
    ) -> ObpResult<TaxResidence> {
        let t = TaxResidence {
            tax_residence_id: new_id(),
            customer_id: c.customer_id.clone(),
            domain,
            tax_number,
            created_at: self.now(),
        };
        self.repo.insert_tax_residence(&t).await?;
        Ok(t)
    }

    pub async fn tax_residences(&self, customer_id: &str) -> ObpResult<Vec<TaxResidence>> {
        Ok(self.repo.tax_residences(customer_id).await?)
    }

    pub async fn delete_tax_residence(&self, id: &str) -> ObpResult<()> {
        found(self.repo.delete_tax_residence(id).await?, "tax residence")
    }

    /// Add Social Media Handle: kept under the body's customer number, not
    /// the path customer's (OBP's quirk).
    pub async fn add_social_handle(&self, mut h: SocialMediaHandle) -> ObpResult<()> {
        h.social_media_handle_id = new_id();
        h.created_at = self.now();
        Ok(self.repo.insert_social_handle(&h).await?)
    }

    /// The handles kept under the customer's number.
    pub async fn social_handles(&self, c: &Customer) -> ObpResult<Vec<SocialMediaHandle>> {
        Ok(self.repo.social_handles(&c.customer_number).await?)
    }
}

fn found(deleted: bool, what: &'static str) -> ObpResult<()> {
    if deleted {
        Ok(())
    } else {
        Err(Refusal::NotFound(what))
    }
}

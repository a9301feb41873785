//! Customers: a person of the world at one bank. Create Customer makes an
//! existing person the customer when name, birth date and phone all match
//! (obp-sandbox.md), and a new person otherwise.

use super::{Obp, ObpResult, Refusal};
use crate::CoreResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Customer {
    pub customer_id: String,
    /// The bank's 3-digit code (its BANK_ID).
    pub bank_id: String,
    pub customer_number: String,
    pub person_id: String,
    pub legal_name: String,
    pub mobile_phone_number: String,
    pub email: String,
    pub face_image_url: String,
    pub face_image_date: Option<DateTime<Utc>>,
    pub date_of_birth: Option<DateTime<Utc>>,
    pub relationship_status: String,
    pub dependants: i64,
    pub dob_of_dependants: Vec<DateTime<Utc>>,
    pub credit_rating: String,
    pub credit_source: String,
    pub credit_limit_currency: String,
    /// Decimal text, as OBP keeps money.
    pub credit_limit_amount: String,
    pub highest_education_attained: String,
    pub employment_status: String,
    pub kyc_status: bool,
    pub last_ok_date: Option<DateTime<Utc>>,
    pub title: String,
    pub branch_id: String,
    pub name_suffix: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[async_trait]
pub trait CustomerRepo: Send + Sync {
    /// Insert; a taken (bank, customer_number) is `Ok(false)`.
    async fn insert_customer(&self, c: &Customer) -> CoreResult<bool>;
    async fn customer(&self, customer_id: &str) -> CoreResult<Option<Customer>>;
    async fn customer_by_number(&self, bank_id: &str, number: &str)
        -> CoreResult<Option<Customer>>;
    /// Write every field back; a number taken by another customer is `Ok(false)`.
    async fn update_customer(&self, c: &Customer) -> CoreResult<bool>;
    async fn customers_of_person(&self, person_id: &str) -> CoreResult<Vec<Customer>>;
}

impl Obp {
    /// CUST: the customer of CUSTOMER_ID (its bank is not compared).
    pub async fn customer(&self, customer_id: &str) -> ObpResult<Customer> {
        (self.repo.customer(customer_id).await?).ok_or(Refusal::NotFound("customer"))
    }

    pub async fn customers_of_person(&self, person_id: &str) -> ObpResult<Vec<Customer>> {
        Ok(self.repo.customers_of_person(person_id).await?)
    }
}

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
    async fn customers_of_people(&self, person_ids: &[String]) -> CoreResult<Vec<Customer>>;
    /// Customers at `bank_id` whose phone matches the SQL LIKE `pattern`.
    async fn customers_by_phone(&self, bank_id: &str, pattern: &str) -> CoreResult<Vec<Customer>>;
    /// The firehose page: updated within the window, by last_ok_date.
    async fn customer_page(&self, bank_id: &str, page: &CustomerPage) -> CoreResult<Vec<Customer>>;
}

/// A page of a bank's customers (the firehose's paging).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerPage {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// By last_ok_date; OBP's default is descending.
    pub ascending: bool,
    pub limit: u32,
    pub offset: u64,
}

/// Create Customer's fields (`PostCustomerJsonV310`): no number, no user.
#[derive(Debug, Clone, Default)]
pub struct NewCustomer {
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
    pub credit_limit_amount: String,
    pub highest_education_attained: String,
    pub employment_status: String,
    pub kyc_status: bool,
    pub last_ok_date: Option<DateTime<Utc>>,
    pub title: String,
    pub branch_id: String,
    pub name_suffix: String,
}

/// The birth date of a person made for a customer who gave none: the
/// world's people all have one, OBP's customers need not.
const UNKNOWN_BIRTH: (i32, u32, u32) = (1900, 1, 1);

/// A phone's digits, a leading 82 (Korea's country code) read as 0.
pub fn phone_digits(phone: &str) -> String {
    let d = crate::party::normalize_phone(phone);
    match d.strip_prefix("82") {
        Some(rest) => format!("0{rest}"),
        None => d,
    }
}

impl Obp {
    /// Create Customer at `bank_id`: an existing person when name, birth
    /// date and phone all match, else a new one; the number is generated.
    pub async fn create_customer(&self, bank_id: &str, new: NewCustomer) -> ObpResult<Customer> {
        let person_id = self.person_for(&new).await?;
        let now = self.now();
        let mut c = customer_of(bank_id, person_id, new, now);
        for _ in 0..8 {
            c.customer_number = (rand::random::<u32>() % 9_000_000 + 1_000_000).to_string();
            if self.repo.insert_customer(&c).await? {
                return Ok(c);
            }
        }
        Err(Refusal::Store(crate::CoreError::Internal(
            "no free customer number".into(),
        )))
    }

    async fn person_for(&self, new: &NewCustomer) -> ObpResult<String> {
        let phone = phone_digits(&new.mobile_phone_number);
        let birth = new.date_of_birth.map(|d| d.date_naive());
        if let (false, Some(birth)) = (phone.is_empty(), birth) {
            if let Some(p) = self.world.repo.person_by_phone(&phone).await? {
                if p.name == new.legal_name.trim() && p.birth_date == birth {
                    return Ok(p.person_id);
                }
            }
        }
        let (y, m, d) = UNKNOWN_BIRTH;
        let person = crate::party::NewPerson {
            name: new.legal_name.trim().to_owned(),
            birth_date: birth.or(chrono::NaiveDate::from_ymd_opt(y, m, d)),
            phone: (9..=15).contains(&phone.len()).then_some(phone),
            email: (new.email.contains('@') && new.email.len() <= 100).then(|| new.email.clone()),
            ..Default::default()
        };
        match self.world.create_person(person.clone()).await {
            Ok(p) => Ok(p.person_id),
            // The phone belongs to someone else: the customer's person has none.
            Err(crate::CoreError::Conflict(_)) => {
                let p = crate::party::NewPerson {
                    phone: None,
                    ..person
                };
                Ok(self.world.create_person(p).await?.person_id)
            }
            Err(crate::CoreError::Invalid(m)) => Err(Refusal::Invalid(m)),
            Err(e) => Err(e.into()),
        }
    }

    /// Change a customer and write it back (updated_at now); a number taken
    /// at the bank is refused.
    pub async fn update_customer(
        &self,
        mut c: Customer,
        change: impl FnOnce(&mut Customer),
    ) -> ObpResult<Customer> {
        change(&mut c);
        c.updated_at = self.now();
        if !self.repo.update_customer(&c).await? {
            return Err(Refusal::CustomerNumberTaken);
        }
        Ok(c)
    }

    pub async fn customer_by_number(
        &self,
        bank_id: &str,
        number: &str,
    ) -> ObpResult<Option<Customer>> {
        Ok(self.repo.customer_by_number(bank_id, number).await?)
    }

    pub async fn customers_by_phone(
        &self,
        bank_id: &str,
        pattern: &str,
    ) -> ObpResult<Vec<Customer>> {
        Ok(self.repo.customers_by_phone(bank_id, pattern).await?)
    }

    pub async fn customer_page(
        &self,
        bank_id: &str,
        page: &CustomerPage,
    ) -> ObpResult<Vec<Customer>> {
        Ok(self.repo.customer_page(bank_id, page).await?)
    }

    /// The customers a user is linked to, across banks, newest link first.
    pub async fn customers_of_user(&self, user_id: &str) -> ObpResult<Vec<Customer>> {
        let mut out = Vec::new();
        for l in self
            .links_of_user(user_id)
            .await?
            .into_iter()
            .filter(|l| l.is_active)
        {
            if let Some(c) = self.repo.customer(&l.customer_id).await? {
                out.push(c);
            }
        }
        Ok(out)
    }

    /// CUST: the customer of CUSTOMER_ID (its bank is not compared).
    pub async fn customer(&self, customer_id: &str) -> ObpResult<Customer> {
        (self.repo.customer(customer_id).await?).ok_or(Refusal::NotFound("customer"))
    }

    pub async fn customers_of_person(&self, person_id: &str) -> ObpResult<Vec<Customer>> {
        Ok(self.repo.customers_of_person(person_id).await?)
    }
}

fn customer_of(bank_id: &str, person_id: String, n: NewCustomer, now: DateTime<Utc>) -> Customer {
    Customer {
        customer_id: super::new_id(),
        bank_id: bank_id.to_owned(),
        customer_number: String::new(),
        person_id,
        legal_name: n.legal_name,
        mobile_phone_number: n.mobile_phone_number,
        email: n.email,
        face_image_url: n.face_image_url,
        face_image_date: n.face_image_date,
        date_of_birth: n.date_of_birth,
        relationship_status: n.relationship_status,
        dependants: n.dependants,
        dob_of_dependants: n.dob_of_dependants,
        credit_rating: n.credit_rating,
        credit_source: n.credit_source,
        credit_limit_currency: n.credit_limit_currency,
        credit_limit_amount: n.credit_limit_amount,
        highest_education_attained: n.highest_education_attained,
        employment_status: n.employment_status,
        kyc_status: n.kyc_status,
        last_ok_date: n.last_ok_date,
        title: n.title,
        branch_id: n.branch_id,
        name_suffix: n.name_suffix,
        created_at: now,
        updated_at: now,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_leading_82_is_a_korean_zero() {
        assert_eq!(super::phone_digits("+82 10-1234-5678"), "01012345678");
        assert_eq!(super::phone_digits("010 1234 5678"), "01012345678");
        assert_eq!(super::phone_digits("+44 07972 444 876"), "4407972444876");
    }
}

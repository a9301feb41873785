//! Customers: finhub_core::obp::customers.

use super::{bad, flag, time};
use crate::sql::Arg;
use crate::{map_err, Store};
use async_trait::async_trait;
use finhub_core::clock::{from_micros, to_micros};
use finhub_core::obp::customers::{Customer, CustomerPage, CustomerRepo};
use finhub_core::{CoreError, CoreResult};

pub(crate) const CUSTOMER_COLS: &str = "customer_id, bank_id, customer_number, person_id, \
     legal_name, mobile_phone_number, email, face_image_url, face_image_date, date_of_birth, \
     relationship_status, dependants, dob_of_dependants, credit_rating, credit_source, \
     credit_limit_currency, credit_limit_amount, highest_education_attained, \
     employment_status, kyc_status, last_ok_date, title, branch_id, name_suffix, created_at, \
     updated_at";

#[derive(sqlx::FromRow)]
pub(crate) struct CustomerRow {
    customer_id: String,
    bank_id: String,
    customer_number: String,
    person_id: String,
    legal_name: String,
    mobile_phone_number: String,
    email: String,
    face_image_url: String,
    face_image_date: Option<i64>,
    date_of_birth: Option<i64>,
    relationship_status: String,
    dependants: i64,
    dob_of_dependants: String,
    credit_rating: String,
    credit_source: String,
    credit_limit_currency: String,
    credit_limit_amount: String,
    highest_education_attained: String,
    employment_status: String,
    kyc_status: i64,
    last_ok_date: Option<i64>,
    title: String,
    branch_id: String,
    name_suffix: String,
    created_at: i64,
    updated_at: i64,
}

impl CustomerRow {
    pub(crate) fn into_customer(self) -> CoreResult<Customer> {
        let dobs: Vec<i64> =
            serde_json::from_str(&self.dob_of_dependants).map_err(|_| bad("dob_of_dependants"))?;
        Ok(Customer {
            customer_id: self.customer_id,
            bank_id: self.bank_id,
            customer_number: self.customer_number,
            person_id: self.person_id,
            legal_name: self.legal_name,
            mobile_phone_number: self.mobile_phone_number,
            email: self.email,
            face_image_url: self.face_image_url,
            face_image_date: time(self.face_image_date),
            date_of_birth: time(self.date_of_birth),
            relationship_status: self.relationship_status,
            dependants: self.dependants,
            dob_of_dependants: dobs.into_iter().map(from_micros).collect(),
            credit_rating: self.credit_rating,
            credit_source: self.credit_source,
            credit_limit_currency: self.credit_limit_currency,
            credit_limit_amount: self.credit_limit_amount,
            highest_education_attained: self.highest_education_attained,
            employment_status: self.employment_status,
            kyc_status: self.kyc_status != 0,
            last_ok_date: time(self.last_ok_date),
            title: self.title,
            branch_id: self.branch_id,
            name_suffix: self.name_suffix,
            created_at: from_micros(self.created_at),
            updated_at: from_micros(self.updated_at),
        })
    }
}

/// The customer's values in `CUSTOMER_COLS` order; `dobs` is its JSON array.
fn customer_args<'a>(c: &'a Customer, dobs: &'a str) -> Vec<Arg<'a>> {
    vec![
        Arg::Text(&c.customer_id),
        Arg::Text(&c.bank_id),
        Arg::Text(&c.customer_number),
        Arg::Text(&c.person_id),
        Arg::Text(&c.legal_name),
        Arg::Text(&c.mobile_phone_number),
        Arg::Text(&c.email),
        Arg::Text(&c.face_image_url),
        Arg::OptInt(c.face_image_date.map(to_micros)),
        Arg::OptInt(c.date_of_birth.map(to_micros)),
        Arg::Text(&c.relationship_status),
        Arg::Int(c.dependants),
        Arg::Text(dobs),
        Arg::Text(&c.credit_rating),
        Arg::Text(&c.credit_source),
        Arg::Text(&c.credit_limit_currency),
        Arg::Text(&c.credit_limit_amount),
        Arg::Text(&c.highest_education_attained),
        Arg::Text(&c.employment_status),
        Arg::Int(flag(c.kyc_status)),
        Arg::OptInt(c.last_ok_date.map(to_micros)),
        Arg::Text(&c.title),
        Arg::Text(&c.branch_id),
        Arg::Text(&c.name_suffix),
        Arg::Int(to_micros(c.created_at)),
        Arg::Int(to_micros(c.updated_at)),
    ]
}

fn dobs_json(c: &Customer) -> String {
    let micros: Vec<i64> = c.dob_of_dependants.iter().map(|d| to_micros(*d)).collect();
    serde_json::to_string(&micros).unwrap_or_else(|_| "[]".into())
}

fn marks(n: usize) -> String {
    (1..=n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Store {
    pub(crate) async fn obp_customers_where(
        &self,
        clause: &str,
        args: &[Arg<'_>],
    ) -> CoreResult<Vec<Customer>> {
        let sql = format!("SELECT {CUSTOMER_COLS} FROM obp_customers WHERE {clause}");
        let rows: Vec<CustomerRow> = self.db.fetch_all(&sql, args).await.map_err(map_err)?;
        rows.into_iter().map(CustomerRow::into_customer).collect()
    }
}

/// A unique violation on (bank_id, customer_number) is a taken number.
fn taken(e: sqlx::Error) -> CoreResult<bool> {
    match map_err(e) {
        CoreError::Conflict(_) => Ok(false),
        other => Err(other),
    }
}

#[async_trait]
impl CustomerRepo for Store {
    async fn insert_customer(&self, c: &Customer) -> CoreResult<bool> {
        let n = crate::sql::count_cols(CUSTOMER_COLS);
        let sql = format!(
            "INSERT INTO obp_customers ({CUSTOMER_COLS}) VALUES ({})",
            marks(n)
        );
        let dobs = dobs_json(c);
        match self.db.execute(&sql, &customer_args(c, &dobs)).await {
            Ok(_) => Ok(true),
            Err(e) => taken(e),
        }
    }

    async fn customer(&self, customer_id: &str) -> CoreResult<Option<Customer>> {
        let mut v = self
            .obp_customers_where("customer_id = $1", &[Arg::Text(customer_id)])
            .await?;
        Ok(v.pop())
    }

    async fn customer_by_number(
        &self,
        bank_id: &str,
        number: &str,
    ) -> CoreResult<Option<Customer>> {
        let args = [Arg::Text(bank_id), Arg::Text(number)];
        let mut v = self
            .obp_customers_where("bank_id = $1 AND customer_number = $2", &args)
            .await?;
        Ok(v.pop())
    }

    async fn update_customer(&self, c: &Customer) -> CoreResult<bool> {
        // Every column but the id (first) and created_at (second to last).
        let cols: Vec<&str> = CUSTOMER_COLS.split(", ").map(str::trim).collect();
        let sets: Vec<String> = (cols.iter().enumerate())
            .filter(|(_, c)| !matches!(**c, "customer_id" | "created_at"))
            .map(|(i, c)| format!("{c} = ${}", i + 1))
            .collect();
        let sql = format!(
            "UPDATE obp_customers SET {} WHERE customer_id = $1",
            sets.join(", ")
        );
        let dobs = dobs_json(c);
        match self.db.execute(&sql, &customer_args(c, &dobs)).await {
            Ok(_) => Ok(true),
            Err(e) => taken(e),
        }
    }

    async fn customers_of_person(&self, person_id: &str) -> CoreResult<Vec<Customer>> {
        let clause = "person_id = $1 ORDER BY created_at, customer_id";
        self.obp_customers_where(clause, &[Arg::Text(person_id)])
            .await
    }

    async fn customers_of_people(&self, person_ids: &[String]) -> CoreResult<Vec<Customer>> {
        if person_ids.is_empty() {
            return Ok(Vec::new());
        }
        let args: Vec<Arg<'_>> = person_ids.iter().map(|p| Arg::Text(p)).collect();
        let clause = format!(
            "person_id IN ({}) ORDER BY created_at, customer_id",
            marks(args.len())
        );
        self.obp_customers_where(&clause, &args).await
    }

    async fn customers_by_phone(&self, bank_id: &str, pattern: &str) -> CoreResult<Vec<Customer>> {
        let clause =
            "bank_id = $1 AND mobile_phone_number LIKE $2 ORDER BY created_at, customer_id";
        self.obp_customers_where(clause, &[Arg::Text(bank_id), Arg::Text(pattern)])
            .await
    }

    async fn customer_page(&self, bank_id: &str, page: &CustomerPage) -> CoreResult<Vec<Customer>> {
        let dir = if page.ascending { "ASC" } else { "DESC" };
        let clause = format!(
            "bank_id = $1 AND updated_at >= $2 AND updated_at <= $3 \
             ORDER BY COALESCE(last_ok_date, 0) {dir}, customer_id {dir} LIMIT $4 OFFSET $5"
        );
        let args = [
            Arg::Text(bank_id),
            Arg::Int(to_micros(page.from)),
            Arg::Int(to_micros(page.to)),
            Arg::Int(i64::from(page.limit)),
            Arg::Int(i64::try_from(page.offset).unwrap_or(i64::MAX)),
        ];
        self.obp_customers_where(&clause, &args).await
    }
}

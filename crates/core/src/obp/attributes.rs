//! Customer attributes and customer attribute definitions.

use super::customers::Customer;
use super::{new_id, Obp, ObpResult, Refusal};
use crate::CoreResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// An attribute's `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttributeType {
    String,
    Integer,
    Double,
    DateWithDay,
}

impl AttributeType {
    pub fn parse(s: &str) -> Option<AttributeType> {
        Some(match s {
            "STRING" => AttributeType::String,
            "INTEGER" => AttributeType::Integer,
            "DOUBLE" => AttributeType::Double,
            "DATE_WITH_DAY" => AttributeType::DateWithDay,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AttributeType::String => "STRING",
            AttributeType::Integer => "INTEGER",
            AttributeType::Double => "DOUBLE",
            AttributeType::DateWithDay => "DATE_WITH_DAY",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerAttribute {
    pub customer_attribute_id: String,
    pub customer_id: String,
    pub bank_id: String,
    pub name: String,
    pub kind: AttributeType,
    pub value: String,
    pub created_at: DateTime<Utc>,
}

#[async_trait]
pub trait AttributeRepo: Send + Sync {
    async fn insert_customer_attribute(&self, a: &CustomerAttribute) -> CoreResult<()>;
    /// A customer's attributes, oldest first.
    async fn customer_attributes(&self, customer_id: &str) -> CoreResult<Vec<CustomerAttribute>>;
    /// The customer id of every attribute row at `bank_id` matching one of
    /// `filters` (name → any of its values); all rows of the bank when
    /// `filters` is empty. One id per row: not de-duplicated, as OBP.
    async fn customer_ids_by_attributes(
        &self,
        bank_id: &str,
        filters: &BTreeMap<String, Vec<String>>,
    ) -> CoreResult<Vec<String>>;
    async fn customer_attribute(&self, id: &str) -> CoreResult<Option<CustomerAttribute>>;
    /// Overwrite the row of `a.customer_attribute_id`; false when there is none.
    async fn update_customer_attribute(&self, a: &CustomerAttribute) -> CoreResult<bool>;
    async fn delete_customer_attribute(&self, id: &str) -> CoreResult<()>;
    /// Insert, or update the row of the same (bank_id, name, category),
    /// which keeps its id and created_at; the stored definition.
    async fn upsert_definition(&self, d: &AttributeDefinition) -> CoreResult<AttributeDefinition>;
    /// Every bank's definitions of `category`, oldest first.
    async fn definitions(&self, category: &str) -> CoreResult<Vec<AttributeDefinition>>;
    /// Delete the definition of `id` in `category`; false when there is none.
    async fn delete_definition(&self, id: &str, category: &str) -> CoreResult<bool>;
}

impl Obp {
    pub async fn customer_attributes(
        &self,
        customer_id: &str,
    ) -> ObpResult<Vec<CustomerAttribute>> {
        Ok(self.repo.customer_attributes(customer_id).await?)
    }

    pub async fn customer_ids_by_attributes(
        &self,
        bank_id: &str,
        filters: &BTreeMap<String, Vec<String>>,
    ) -> ObpResult<Vec<String>> {
        Ok(self
            .repo
            .customer_ids_by_attributes(bank_id, filters)
            .await?)
    }
}

/// A definition's `category` (OBP's AttributeCategory); the reference
/// names these, and any of them is accepted (OBP's quirk: its message says
/// only `Customer` may be sent).
pub const CATEGORIES: [&str; 6] = [
    "Bank",
    "Customer",
    "Product",
    "Account",
    "Transaction",
    "Card",
];

/// The category of the definitions this face serves.
pub const CUSTOMER_CATEGORY: &str = "Customer";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeDefinition {
    pub attribute_definition_id: String,
    pub bank_id: String,
    pub name: String,
    pub category: String,
    pub kind: AttributeType,
    pub description: String,
    pub alias: String,
    pub can_be_seen_on_views: Vec<String>,
    pub is_active: bool,
    pub created_at: DateTime<Utc>,
}

/// What Create or Update Customer Attribute Definition sends.
#[derive(Debug, Clone)]
pub struct NewDefinition {
    pub name: String,
    pub category: String,
    pub kind: AttributeType,
    pub description: String,
    pub alias: String,
    pub can_be_seen_on_views: Vec<String>,
    pub is_active: bool,
}

/// An attribute's name, type and value, as Create and Update send them.
#[derive(Debug, Clone)]
pub struct AttributeValue {
    pub name: String,
    pub kind: AttributeType,
    pub value: String,
}

impl Obp {
    /// Create Customer Attribute: always a new row (no upsert by name), the
    /// value not checked against its type, as OBP.
    pub async fn create_customer_attribute(
        &self,
        c: &Customer,
        v: AttributeValue,
    ) -> ObpResult<CustomerAttribute> {
        let a = CustomerAttribute {
            customer_attribute_id: new_id(),
            customer_id: c.customer_id.clone(),
            bank_id: c.bank_id.clone(),
            name: v.name,
            kind: v.kind,
            value: v.value,
            created_at: self.now(),
        };
        self.repo.insert_customer_attribute(&a).await?;
        Ok(a)
    }

    /// One attribute by id (its customer is not compared, as OBP).
    pub async fn customer_attribute(&self, id: &str) -> ObpResult<CustomerAttribute> {
        (self.repo.customer_attribute(id).await?).ok_or(Refusal::NotFound("customer attribute"))
    }

    /// Update Customer Attribute: OBP rewrites the row of the id with the
    /// path's customer and bank and the body's name, type and value.
    pub async fn update_customer_attribute(
        &self,
        c: &Customer,
        id: &str,
        v: AttributeValue,
    ) -> ObpResult<CustomerAttribute> {
        let old = self.customer_attribute(id).await?;
        let a = CustomerAttribute {
            customer_id: c.customer_id.clone(),
            bank_id: c.bank_id.clone(),
            name: v.name,
            kind: v.kind,
            value: v.value,
            ..old
        };
        if !self.repo.update_customer_attribute(&a).await? {
            return Err(Refusal::NotFound("customer attribute"));
        }
        Ok(a)
    }

    /// Delete Customer Attribute: success whether or not the id exists.
    pub async fn delete_customer_attribute(&self, id: &str) -> ObpResult<()> {
        Ok(self.repo.delete_customer_attribute(id).await?)
    }

    pub async fn put_definition(
        &self,
        bank_id: &str,
        d: NewDefinition,
    ) -> ObpResult<AttributeDefinition> {
        let d = AttributeDefinition {
            attribute_definition_id: new_id(),
            bank_id: bank_id.to_owned(),
            name: d.name,
            category: d.category,
            kind: d.kind,
            description: d.description,
            alias: d.alias,
            can_be_seen_on_views: d.can_be_seen_on_views,
            is_active: d.is_active,
            created_at: self.now(),
        };
        Ok(self.repo.upsert_definition(&d).await?)
    }

    /// Every bank's Customer definitions (OBP does not filter by bank).
    pub async fn customer_definitions(&self) -> ObpResult<Vec<AttributeDefinition>> {
        Ok(self.repo.definitions(CUSTOMER_CATEGORY).await?)
    }

    pub async fn delete_customer_definition(&self, id: &str) -> ObpResult<()> {
        if self.repo.delete_definition(id, CUSTOMER_CATEGORY).await? {
            Ok(())
        } else {
            Err(Refusal::NotFound("attribute definition"))
        }
    }

    /// Get Customers by ATTRIBUTES: the customer of every matching
    /// attribute row (repeats kept, as OBP); an id without a customer is
    /// `NotFound("customer")` naming nothing more.
    pub async fn customers_by_attributes(
        &self,
        bank_id: &str,
        filters: &BTreeMap<String, Vec<String>>,
    ) -> ObpResult<Vec<(Customer, Vec<CustomerAttribute>)>> {
        let ids = self.customer_ids_by_attributes(bank_id, filters).await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let c = self.customer(&id).await?;
            let attrs = self.customer_attributes(&id).await?;
            out.push((c, attrs));
        }
        Ok(out)
    }
}

//! Customer attributes and customer attribute definitions.

use super::{Obp, ObpResult};
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
}

impl Obp {
    pub async fn customer_attributes(&self, customer_id: &str) -> ObpResult<Vec<CustomerAttribute>> {
        Ok(self.repo.customer_attributes(customer_id).await?)
    }

    pub async fn customer_ids_by_attributes(
        &self,
        bank_id: &str,
        filters: &BTreeMap<String, Vec<String>>,
    ) -> ObpResult<Vec<String>> {
        Ok(self.repo.customer_ids_by_attributes(bank_id, filters).await?)
    }
}

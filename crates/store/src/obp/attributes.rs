//! Customer attributes: finhub_core::obp::attributes.

use super::bad;
use crate::sql::Arg;
use crate::{map_err, Store};
use async_trait::async_trait;
use finhub_core::clock::{from_micros, to_micros};
use finhub_core::obp::attributes::{AttributeRepo, AttributeType, CustomerAttribute};
use finhub_core::CoreResult;
use std::collections::BTreeMap;

const ATTRIBUTE_COLS: &str =
    "customer_attribute_id, customer_id, bank_id, name, type, value, created_at";

#[derive(sqlx::FromRow)]
struct AttributeRow {
    customer_attribute_id: String,
    customer_id: String,
    bank_id: String,
    name: String,
    #[sqlx(rename = "type")]
    kind: String,
    value: String,
    created_at: i64,
}

impl AttributeRow {
    fn into_attribute(self) -> CoreResult<CustomerAttribute> {
        Ok(CustomerAttribute {
            kind: AttributeType::parse(&self.kind).ok_or_else(|| bad("attribute type"))?,
            customer_attribute_id: self.customer_attribute_id,
            customer_id: self.customer_id,
            bank_id: self.bank_id,
            name: self.name,
            value: self.value,
            created_at: from_micros(self.created_at),
        })
    }
}

#[async_trait]
impl AttributeRepo for Store {
    async fn insert_customer_attribute(&self, a: &CustomerAttribute) -> CoreResult<()> {
        let sql = format!(
            "INSERT INTO obp_customer_attributes ({ATTRIBUTE_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
        );
        let args = [
            Arg::Text(&a.customer_attribute_id),
            Arg::Text(&a.customer_id),
            Arg::Text(&a.bank_id),
            Arg::Text(&a.name),
            Arg::Text(a.kind.as_str()),
            Arg::Text(&a.value),
            Arg::Int(to_micros(a.created_at)),
        ];
        self.db.execute(&sql, &args).await.map_err(map_err).map(drop)
    }

    async fn customer_attributes(&self, customer_id: &str) -> CoreResult<Vec<CustomerAttribute>> {
        let sql = format!(
            "SELECT {ATTRIBUTE_COLS} FROM obp_customer_attributes WHERE customer_id = $1 \
             ORDER BY created_at, customer_attribute_id"
        );
        let rows: Vec<AttributeRow> =
            self.db.fetch_all(&sql, &[Arg::Text(customer_id)]).await.map_err(map_err)?;
        rows.into_iter().map(AttributeRow::into_attribute).collect()
    }

    async fn customer_ids_by_attributes(
        &self,
        bank_id: &str,
        filters: &BTreeMap<String, Vec<String>>,
    ) -> CoreResult<Vec<String>> {
        let mut args = vec![Arg::Text(bank_id)];
        let mut ors = Vec::new();
        for (name, values) in filters {
            args.push(Arg::Text(name));
            let name_at = args.len();
            let marks: Vec<String> = values
                .iter()
                .map(|v| {
                    args.push(Arg::Text(v));
                    format!("${}", args.len())
                })
                .collect();
            ors.push(format!("(name = ${name_at} AND value IN ({}))", marks.join(", ")));
        }
        let filter = if ors.is_empty() { String::new() } else { format!(" AND ({})", ors.join(" OR ")) };
        let sql = format!(
            "SELECT customer_id FROM obp_customer_attributes WHERE bank_id = $1{filter} \
             ORDER BY created_at, customer_attribute_id"
        );
        let rows: Vec<(String,)> = self.db.fetch_all(&sql, &args).await.map_err(map_err)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }
}

//! Customer attributes: finhub_core::obp::attributes.

use super::{bad, flag};
use crate::sql::Arg;
use crate::{map_err, Store};
use async_trait::async_trait;
use finhub_core::clock::{from_micros, to_micros};
use finhub_core::obp::attributes::{
    AttributeDefinition, AttributeRepo, AttributeType, CustomerAttribute,
};
use finhub_core::CoreResult;
use std::collections::BTreeMap;

const DEFINITION_COLS: &str = "attribute_definition_id, bank_id, name, category, type, \
     description, alias, can_be_seen_on_views, is_active, created_at";

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

#[derive(sqlx::FromRow)]
struct DefinitionRow {
    attribute_definition_id: String,
    bank_id: String,
    name: String,
    category: String,
    #[sqlx(rename = "type")]
    kind: String,
    description: String,
    alias: String,
    can_be_seen_on_views: String,
    is_active: i64,
    created_at: i64,
}

impl DefinitionRow {
    fn into_definition(self) -> CoreResult<AttributeDefinition> {
        Ok(AttributeDefinition {
            kind: AttributeType::parse(&self.kind).ok_or_else(|| bad("definition type"))?,
            can_be_seen_on_views: serde_json::from_str(&self.can_be_seen_on_views)
                .map_err(|_| bad("can_be_seen_on_views"))?,
            attribute_definition_id: self.attribute_definition_id,
            bank_id: self.bank_id,
            name: self.name,
            category: self.category,
            description: self.description,
            alias: self.alias,
            is_active: self.is_active != 0,
            created_at: from_micros(self.created_at),
        })
    }
}

impl Store {
    async fn definitions_where(
        &self,
        clause: &str,
        args: &[Arg<'_>],
    ) -> CoreResult<Vec<AttributeDefinition>> {
        let sql = format!("SELECT {DEFINITION_COLS} FROM obp_attribute_definitions WHERE {clause}");
        let rows: Vec<DefinitionRow> = self.db.fetch_all(&sql, args).await.map_err(map_err)?;
        rows.into_iter()
            .map(DefinitionRow::into_definition)
            .collect()
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
        self.db
            .execute(&sql, &args)
            .await
            .map_err(map_err)
            .map(drop)
    }

    async fn customer_attributes(&self, customer_id: &str) -> CoreResult<Vec<CustomerAttribute>> {
        let sql = format!(
            "SELECT {ATTRIBUTE_COLS} FROM obp_customer_attributes WHERE customer_id = $1 \
             ORDER BY created_at, customer_attribute_id"
        );
        let rows: Vec<AttributeRow> = self
            .db
            .fetch_all(&sql, &[Arg::Text(customer_id)])
            .await
            .map_err(map_err)?;
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
            ors.push(format!(
                "(name = ${name_at} AND value IN ({}))",
                marks.join(", ")
            ));
        }
        let filter = if ors.is_empty() {
            String::new()
        } else {
            format!(" AND ({})", ors.join(" OR "))
        };
        let sql = format!(
            "SELECT customer_id FROM obp_customer_attributes WHERE bank_id = $1{filter} \
             ORDER BY created_at, customer_attribute_id"
        );
        let rows: Vec<(String,)> = self.db.fetch_all(&sql, &args).await.map_err(map_err)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    async fn customer_attribute(&self, id: &str) -> CoreResult<Option<CustomerAttribute>> {
        let sql = format!(
            "SELECT {ATTRIBUTE_COLS} FROM obp_customer_attributes WHERE customer_attribute_id = $1"
        );
        let row: Option<AttributeRow> = self
            .db
            .fetch_optional(&sql, &[Arg::Text(id)])
            .await
            .map_err(map_err)?;
        row.map(AttributeRow::into_attribute).transpose()
    }

    async fn update_customer_attribute(&self, a: &CustomerAttribute) -> CoreResult<bool> {
        let sql = "UPDATE obp_customer_attributes SET customer_id = $2, bank_id = $3, name = $4, \
                   type = $5, value = $6 WHERE customer_attribute_id = $1";
        let args = [
            Arg::Text(&a.customer_attribute_id),
            Arg::Text(&a.customer_id),
            Arg::Text(&a.bank_id),
            Arg::Text(&a.name),
            Arg::Text(a.kind.as_str()),
            Arg::Text(&a.value),
        ];
        Ok(self.db.execute(sql, &args).await.map_err(map_err)? > 0)
    }

    async fn delete_customer_attribute(&self, id: &str) -> CoreResult<()> {
        let sql = "DELETE FROM obp_customer_attributes WHERE customer_attribute_id = $1";
        self.db
            .execute(sql, &[Arg::Text(id)])
            .await
            .map_err(map_err)
            .map(drop)
    }

    async fn upsert_definition(&self, d: &AttributeDefinition) -> CoreResult<AttributeDefinition> {
        // The unique (bank_id, name, category) decides insert or update;
        // an updated row keeps its id and created_at.
        let sql = format!(
            "INSERT INTO obp_attribute_definitions ({DEFINITION_COLS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             ON CONFLICT (bank_id, name, category) DO UPDATE SET type = excluded.type, \
             description = excluded.description, alias = excluded.alias, \
             can_be_seen_on_views = excluded.can_be_seen_on_views, is_active = excluded.is_active"
        );
        let views = serde_json::to_string(&d.can_be_seen_on_views).map_err(|_| bad("views"))?;
        let args = [
            Arg::Text(&d.attribute_definition_id),
            Arg::Text(&d.bank_id),
            Arg::Text(&d.name),
            Arg::Text(&d.category),
            Arg::Text(d.kind.as_str()),
            Arg::Text(&d.description),
            Arg::Text(&d.alias),
            Arg::Text(&views),
            Arg::Int(flag(d.is_active)),
            Arg::Int(to_micros(d.created_at)),
        ];
        self.db.execute(&sql, &args).await.map_err(map_err)?;
        let key = [
            Arg::Text(&d.bank_id),
            Arg::Text(&d.name),
            Arg::Text(&d.category),
        ];
        let clause = "bank_id = $1 AND name = $2 AND category = $3";
        (self.definitions_where(clause, &key).await?.pop()).ok_or_else(|| bad("upsert"))
    }

    async fn definitions(&self, category: &str) -> CoreResult<Vec<AttributeDefinition>> {
        let clause = "category = $1 ORDER BY created_at, attribute_definition_id";
        self.definitions_where(clause, &[Arg::Text(category)]).await
    }

    async fn delete_definition(&self, id: &str, category: &str) -> CoreResult<bool> {
        let sql =
            "DELETE FROM obp_attribute_definitions WHERE attribute_definition_id = $1 AND category = $2";
        let n = self
            .db
            .execute(sql, &[Arg::Text(id), Arg::Text(category)])
            .await
            .map_err(map_err)?;
        Ok(n > 0)
    }
}

//! Addresses, tax residences and social-media handles:
//! finhub_core::obp::profile.

use super::time;
use crate::sql::Arg;
use crate::{map_err, Store};
use async_trait::async_trait;
use finhub_core::clock::{from_micros, to_micros};
use finhub_core::obp::profile::{
    AddressFields, CustomerAddress, ProfileRepo, SocialMediaHandle, TaxResidence,
};
use finhub_core::CoreResult;

const ADDRESS_COLS: &str = "customer_address_id, customer_id, line_1, line_2, line_3, city, \
     county, state, postcode, country_code, tags, status, insert_date";
const TAX_COLS: &str = "tax_residence_id, customer_id, domain, tax_number, created_at";
const SOCIAL_COLS: &str = "social_media_handle_id, bank_id, customer_number, type, handle, \
     date_added, date_activated, created_at";

#[derive(sqlx::FromRow)]
struct AddressRow {
    customer_address_id: String,
    customer_id: String,
    line_1: String,
    line_2: String,
    line_3: String,
    city: String,
    county: String,
    state: String,
    postcode: String,
    country_code: String,
    tags: String,
    status: String,
    insert_date: i64,
}

impl AddressRow {
    fn into_address(self) -> CustomerAddress {
        // Tags are kept comma-joined, as OBP keeps them; none is "".
        let tags = (self
            .tags
            .split(',')
            .filter(|t| !t.is_empty())
            .map(str::to_owned))
        .collect();
        CustomerAddress {
            customer_address_id: self.customer_address_id,
            customer_id: self.customer_id,
            fields: AddressFields {
                line_1: self.line_1,
                line_2: self.line_2,
                line_3: self.line_3,
                city: self.city,
                county: self.county,
                state: self.state,
                postcode: self.postcode,
                country_code: self.country_code,
                tags,
                status: self.status,
            },
            insert_date: from_micros(self.insert_date),
        }
    }
}

/// The address's values in `ADDRESS_COLS` order; `tags` is the joined tags.
fn address_args<'a>(a: &'a CustomerAddress, tags: &'a str) -> [Arg<'a>; 13] {
    let f = &a.fields;
    [
        Arg::Text(&a.customer_address_id),
        Arg::Text(&a.customer_id),
        Arg::Text(&f.line_1),
        Arg::Text(&f.line_2),
        Arg::Text(&f.line_3),
        Arg::Text(&f.city),
        Arg::Text(&f.county),
        Arg::Text(&f.state),
        Arg::Text(&f.postcode),
        Arg::Text(&f.country_code),
        Arg::Text(tags),
        Arg::Text(&f.status),
        Arg::Int(to_micros(a.insert_date)),
    ]
}

#[derive(sqlx::FromRow)]
struct TaxRow {
    tax_residence_id: String,
    customer_id: String,
    domain: String,
    tax_number: String,
    created_at: i64,
}

#[derive(sqlx::FromRow)]
struct SocialRow {
    social_media_handle_id: String,
    bank_id: String,
    customer_number: String,
    #[sqlx(rename = "type")]
    kind: String,
    handle: String,
    date_added: Option<i64>,
    date_activated: Option<i64>,
    created_at: i64,
}

impl Store {
    async fn addresses_where(
        &self,
        clause: &str,
        args: &[Arg<'_>],
    ) -> CoreResult<Vec<CustomerAddress>> {
        let sql = format!("SELECT {ADDRESS_COLS} FROM obp_customer_addresses WHERE {clause}");
        let rows: Vec<AddressRow> = self.db.fetch_all(&sql, args).await.map_err(map_err)?;
        Ok(rows.into_iter().map(AddressRow::into_address).collect())
    }

    async fn obp_deleted(&self, sql: &str, id: &str) -> CoreResult<bool> {
        Ok(self
            .db
            .execute(sql, &[Arg::Text(id)])
            .await
            .map_err(map_err)?
            > 0)
    }
}

#[async_trait]
impl ProfileRepo for Store {
    async fn insert_address(&self, a: &CustomerAddress) -> CoreResult<()> {
        let sql = format!(
            "INSERT INTO obp_customer_addresses ({ADDRESS_COLS}) \
             VALUES ({})",
            crate::sql::placeholders(1, 13)
        );
        let tags = a.fields.tags.join(",");
        self.db
            .execute(&sql, &address_args(a, &tags))
            .await
            .map_err(map_err)
            .map(drop)
    }

    async fn address(&self, id: &str) -> CoreResult<Option<CustomerAddress>> {
        Ok(self
            .addresses_where("customer_address_id = $1", &[Arg::Text(id)])
            .await?
            .pop())
    }

    async fn update_address(&self, a: &CustomerAddress) -> CoreResult<bool> {
        let sql = "UPDATE obp_customer_addresses SET line_1 = $3, line_2 = $4, line_3 = $5, \
                   city = $6, county = $7, state = $8, postcode = $9, country_code = $10, \
                   tags = $11, status = $12 WHERE customer_address_id = $1 AND customer_id = $2";
        let tags = a.fields.tags.join(",");
        let args = address_args(a, &tags);
        // $13 (insert_date) is not written: bind only the first twelve.
        Ok(self.db.execute(sql, &args[..12]).await.map_err(map_err)? > 0)
    }

    async fn addresses(&self, customer_id: &str) -> CoreResult<Vec<CustomerAddress>> {
        let clause = "customer_id = $1 ORDER BY insert_date, customer_address_id";
        self.addresses_where(clause, &[Arg::Text(customer_id)])
            .await
    }

    async fn delete_address(&self, id: &str) -> CoreResult<bool> {
        self.obp_deleted(
            "DELETE FROM obp_customer_addresses WHERE customer_address_id = $1",
            id,
        )
        .await
    }

    async fn insert_tax_residence(&self, t: &TaxResidence) -> CoreResult<()> {
        let sql =
            format!("INSERT INTO obp_tax_residences ({TAX_COLS}) VALUES ($1, $2, $3, $4, $5)");
        let args = [
            Arg::Text(&t.tax_residence_id),
            Arg::Text(&t.customer_id),
            Arg::Text(&t.domain),
            Arg::Text(&t.tax_number),
            Arg::Int(to_micros(t.created_at)),
        ];
        self.db
            .execute(&sql, &args)
            .await
            .map_err(map_err)
            .map(drop)
    }

    async fn tax_residences(&self, customer_id: &str) -> CoreResult<Vec<TaxResidence>> {
        let sql = format!(
            "SELECT {TAX_COLS} FROM obp_tax_residences WHERE customer_id = $1 \
             ORDER BY created_at, tax_residence_id"
        );
        let rows: Vec<TaxRow> = self
            .db
            .fetch_all(&sql, &[Arg::Text(customer_id)])
            .await
            .map_err(map_err)?;
        Ok(rows
            .into_iter()
            .map(|r| TaxResidence {
                tax_residence_id: r.tax_residence_id,
                customer_id: r.customer_id,
                domain: r.domain,
                tax_number: r.tax_number,
                created_at: from_micros(r.created_at),
            })
            .collect())
    }

    async fn delete_tax_residence(&self, id: &str) -> CoreResult<bool> {
        self.obp_deleted(
            "DELETE FROM obp_tax_residences WHERE tax_residence_id = $1",
            id,
        )
        .await
    }

    async fn insert_social_handle(&self, h: &SocialMediaHandle) -> CoreResult<()> {
        let sql = format!(
            "INSERT INTO obp_social_media_handles ({SOCIAL_COLS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        );
        let args = [
            Arg::Text(&h.social_media_handle_id),
            Arg::Text(&h.bank_id),
            Arg::Text(&h.customer_number),
            Arg::Text(&h.kind),
            Arg::Text(&h.handle),
            Arg::OptInt(h.date_added.map(to_micros)),
            Arg::OptInt(h.date_activated.map(to_micros)),
            Arg::Int(to_micros(h.created_at)),
        ];
        self.db
            .execute(&sql, &args)
            .await
            .map_err(map_err)
            .map(drop)
    }

    async fn social_handles(&self, customer_number: &str) -> CoreResult<Vec<SocialMediaHandle>> {
        // Newest first, as OBP lists them.
        let sql = format!(
            "SELECT {SOCIAL_COLS} FROM obp_social_media_handles WHERE customer_number = $1 \
             ORDER BY created_at DESC, social_media_handle_id DESC"
        );
        let rows: Vec<SocialRow> = self
            .db
            .fetch_all(&sql, &[Arg::Text(customer_number)])
            .await
            .map_err(map_err)?;
        Ok(rows
            .into_iter()
            .map(|r| SocialMediaHandle {
                social_media_handle_id: r.social_media_handle_id,
                bank_id: r.bank_id,
                customer_number: r.customer_number,
                kind: r.kind,
                handle: r.handle,
                date_added: time(r.date_added),
                date_activated: time(r.date_activated),
                created_at: from_micros(r.created_at),
            })
            .collect())
    }
}

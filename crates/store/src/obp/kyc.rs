//! KYC documents, media, checks and statuses: finhub_core::obp::kyc.

use super::{flag, time};
use crate::sql::Arg;
use crate::{map_err, Store};
use async_trait::async_trait;
use finhub_core::clock::{from_micros, to_micros};
use finhub_core::obp::kyc::{KycCheck, KycDocument, KycMedia, KycOwner, KycRepo, KycStatus};
use finhub_core::CoreResult;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;

const OWNER_COLS: &str = "bank_id, customer_id, customer_number, updated_at";
const DOC_COLS: &str = "id, doc_type, number, issue_date, issue_place, expiry_date";
const MEDIA_COLS: &str =
    "id, media_type, url, media_date, relates_to_kyc_document_id, relates_to_kyc_check_id";
const CHECK_COLS: &str = "id, check_date, how, staff_user_id, staff_name, satisfied, comments";
const STATUS_COLS: &str = "ok, status_date";
const NEWEST: &str = "ORDER BY updated_at DESC";

#[derive(sqlx::FromRow)]
struct OwnerRow {
    bank_id: String,
    customer_id: String,
    customer_number: String,
    updated_at: i64,
}

impl From<OwnerRow> for KycOwner {
    fn from(r: OwnerRow) -> Self {
        KycOwner {
            bank_id: r.bank_id,
            customer_id: r.customer_id,
            customer_number: r.customer_number,
            updated_at: from_micros(r.updated_at),
        }
    }
}

#[derive(sqlx::FromRow)]
struct DocRow {
    #[sqlx(flatten)]
    owner: OwnerRow,
    id: String,
    doc_type: String,
    number: String,
    issue_date: Option<i64>,
    issue_place: String,
    expiry_date: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct MediaRow {
    #[sqlx(flatten)]
    owner: OwnerRow,
    id: String,
    media_type: String,
    url: String,
    media_date: Option<i64>,
    relates_to_kyc_document_id: String,
    relates_to_kyc_check_id: String,
}

#[derive(sqlx::FromRow)]
struct CheckRow {
    #[sqlx(flatten)]
    owner: OwnerRow,
    id: String,
    check_date: Option<i64>,
    how: String,
    staff_user_id: String,
    staff_name: String,
    satisfied: i64,
    comments: String,
}

#[derive(sqlx::FromRow)]
struct StatusRow {
    #[sqlx(flatten)]
    owner: OwnerRow,
    ok: i64,
    status_date: Option<i64>,
}

fn owner_args(o: &KycOwner) -> [Arg<'_>; 4] {
    [
        Arg::Text(&o.bank_id),
        Arg::Text(&o.customer_id),
        Arg::Text(&o.customer_number),
        Arg::Int(to_micros(o.updated_at)),
    ]
}

/// `INSERT … ON CONFLICT (key) DO UPDATE` every other column, `$1..$n`.
fn upsert_sql(table: &str, cols: &str, key: &str) -> String {
    let joined = format!("{OWNER_COLS}, {cols}");
    let all: Vec<&str> = joined.split(", ").collect();
    let marks: Vec<String> = (1..=all.len()).map(|i| format!("${i}")).collect();
    let keys: Vec<&str> = key.split(", ").collect();
    let sets: Vec<String> = (all.iter())
        .filter(|c| !keys.contains(c))
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    format!(
        "INSERT INTO {table} ({}) VALUES ({}) ON CONFLICT ({key}) DO UPDATE SET {}",
        all.join(", "),
        marks.join(", "),
        sets.join(", ")
    )
}

impl Store {
    async fn kyc_upsert(
        &self,
        table: &str,
        cols: &str,
        key: &str,
        args: &[Arg<'_>],
    ) -> CoreResult<()> {
        self.db
            .execute(&upsert_sql(table, cols, key), args)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn kyc_rows<R>(&self, table: &str, cols: &str, customer_id: &str) -> CoreResult<Vec<R>>
    where
        R: Send + Unpin + for<'r> sqlx::FromRow<'r, SqliteRow> + for<'r> sqlx::FromRow<'r, PgRow>,
    {
        let sql = format!(
            "SELECT {OWNER_COLS}, {cols} FROM {table} WHERE customer_id = $1 {NEWEST}, {}",
            tie(cols)
        );
        self.db
            .fetch_all(&sql, &[Arg::Text(customer_id)])
            .await
            .map_err(map_err)
    }
}

/// The last ordering key: the item's id, or the bank for statuses.
fn tie(cols: &str) -> &'static str {
    if cols.starts_with("id") {
        "id DESC"
    } else {
        "bank_id"
    }
}

#[async_trait]
impl KycRepo for Store {
    async fn upsert_kyc_document(&self, d: &KycDocument) -> CoreResult<()> {
        let mut args = owner_args(&d.owner).to_vec();
        args.extend([
            Arg::Text(&d.id),
            Arg::Text(&d.kind),
            Arg::Text(&d.number),
            Arg::OptInt(d.issue_date.map(to_micros)),
            Arg::Text(&d.issue_place),
            Arg::OptInt(d.expiry_date.map(to_micros)),
        ]);
        self.kyc_upsert("obp_kyc_documents", DOC_COLS, "id", &args)
            .await
    }

    async fn upsert_kyc_media(&self, m: &KycMedia) -> CoreResult<()> {
        let mut args = owner_args(&m.owner).to_vec();
        args.extend([
            Arg::Text(&m.id),
            Arg::Text(&m.kind),
            Arg::Text(&m.url),
            Arg::OptInt(m.date.map(to_micros)),
            Arg::Text(&m.relates_to_kyc_document_id),
            Arg::Text(&m.relates_to_kyc_check_id),
        ]);
        self.kyc_upsert("obp_kyc_media", MEDIA_COLS, "id", &args)
            .await
    }

    async fn upsert_kyc_check(&self, c: &KycCheck) -> CoreResult<()> {
        let mut args = owner_args(&c.owner).to_vec();
        args.extend([
            Arg::Text(&c.id),
            Arg::OptInt(c.date.map(to_micros)),
            Arg::Text(&c.how),
            Arg::Text(&c.staff_user_id),
            Arg::Text(&c.staff_name),
            Arg::Int(flag(c.satisfied)),
            Arg::Text(&c.comments),
        ]);
        self.kyc_upsert("obp_kyc_checks", CHECK_COLS, "id", &args)
            .await
    }

    async fn upsert_kyc_status(&self, s: &KycStatus) -> CoreResult<()> {
        let mut args = owner_args(&s.owner).to_vec();
        args.extend([Arg::Int(flag(s.ok)), Arg::OptInt(s.date.map(to_micros))]);
        self.kyc_upsert(
            "obp_kyc_statuses",
            STATUS_COLS,
            "bank_id, customer_id",
            &args,
        )
        .await
    }

    async fn kyc_documents(&self, customer_id: &str) -> CoreResult<Vec<KycDocument>> {
        let rows: Vec<DocRow> = self
            .kyc_rows("obp_kyc_documents", DOC_COLS, customer_id)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| KycDocument {
                id: r.id,
                owner: r.owner.into(),
                kind: r.doc_type,
                number: r.number,
                issue_date: time(r.issue_date),
                issue_place: r.issue_place,
                expiry_date: time(r.expiry_date),
            })
            .collect())
    }

    async fn kyc_media(&self, customer_id: &str) -> CoreResult<Vec<KycMedia>> {
        let rows: Vec<MediaRow> = self
            .kyc_rows("obp_kyc_media", MEDIA_COLS, customer_id)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| KycMedia {
                id: r.id,
                owner: r.owner.into(),
                kind: r.media_type,
                url: r.url,
                date: time(r.media_date),
                relates_to_kyc_document_id: r.relates_to_kyc_document_id,
                relates_to_kyc_check_id: r.relates_to_kyc_check_id,
            })
            .collect())
    }

    async fn kyc_checks(&self, customer_id: &str) -> CoreResult<Vec<KycCheck>> {
        let rows: Vec<CheckRow> = self
            .kyc_rows("obp_kyc_checks", CHECK_COLS, customer_id)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| KycCheck {
                id: r.id,
                owner: r.owner.into(),
                date: time(r.check_date),
                how: r.how,
                staff_user_id: r.staff_user_id,
                staff_name: r.staff_name,
                satisfied: r.satisfied != 0,
                comments: r.comments,
            })
            .collect())
    }

    async fn kyc_statuses(&self, customer_id: &str) -> CoreResult<Vec<KycStatus>> {
        let rows: Vec<StatusRow> = self
            .kyc_rows("obp_kyc_statuses", STATUS_COLS, customer_id)
            .await?;
        Ok(rows.into_iter().map(status).collect())
    }

    async fn latest_kyc_status_of_person(&self, person_id: &str) -> CoreResult<Option<KycStatus>> {
        let sql = "SELECT s.bank_id, s.customer_id, s.customer_number, s.updated_at, s.ok, s.status_date \
             FROM obp_kyc_statuses s JOIN obp_customers c ON c.customer_id = s.customer_id \
             WHERE c.person_id = $1 ORDER BY s.updated_at DESC, s.bank_id LIMIT 1";
        let row: Option<StatusRow> = self
            .db
            .fetch_optional(sql, &[Arg::Text(person_id)])
            .await
            .map_err(map_err)?;
        Ok(row.map(status))
    }
}

fn status(r: StatusRow) -> KycStatus {
    KycStatus {
        owner: r.owner.into(),
        ok: r.ok != 0,
        date: time(r.status_date),
    }
}

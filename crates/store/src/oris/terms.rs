//! Terms and the staff's signatures: finhub_core::oris::terms.

use super::{bad, flag};
use crate::{map_err, on_db, Store};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use finhub_core::clock::{from_micros, to_micros};
use finhub_core::oris::terms::{MemberConsent, Term, TermRepo, TermType};
use finhub_core::CoreResult;

pub(crate) const TERM_COLS: &str =
    "term_id, term_type, title, content, version, required, initiation_date, created_at";

#[derive(sqlx::FromRow)]
pub(crate) struct TermRow {
    term_id: String,
    term_type: String,
    title: String,
    content: String,
    version: String,
    required: i64,
    initiation_date: Option<i64>,
    created_at: i64,
}

impl TermRow {
    pub(crate) fn into_term(self) -> CoreResult<Term> {
        Ok(Term {
            term_type: TermType::parse(&self.term_type).ok_or_else(|| bad("term type"))?,
            term_id: self.term_id,
            title: self.title,
            content: self.content,
            version: self.version,
            required: self.required != 0,
            initiation_date: self.initiation_date.map(from_micros),
            created_at: from_micros(self.created_at),
        })
    }
}

const CONSENT_COLS: &str = "consent_id, member_id, term_id, consent_at";

#[derive(sqlx::FromRow)]
struct ConsentRow {
    consent_id: String,
    member_id: String,
    term_id: String,
    consent_at: i64,
}

impl ConsentRow {
    fn into_consent(self) -> MemberConsent {
        MemberConsent {
            consent_id: self.consent_id,
            member_id: self.member_id,
            term_id: self.term_id,
            consent_at: from_micros(self.consent_at),
        }
    }
}

#[async_trait]
impl TermRepo for Store {
    async fn terms(&self) -> CoreResult<Vec<Term>> {
        let sql = format!("SELECT {TERM_COLS} FROM oris_terms ORDER BY created_at, term_id");
        let rows = on_db!(&self.db, p => sqlx::query_as::<_, TermRow>(&sql).fetch_all(p).await)
            .map_err(map_err)?;
        rows.into_iter().map(TermRow::into_term).collect()
    }

    async fn term(&self, term_id: &str) -> CoreResult<Option<Term>> {
        let sql = format!("SELECT {TERM_COLS} FROM oris_terms WHERE term_id = $1");
        let row = on_db!(&self.db, p => sqlx::query_as::<_, TermRow>(&sql)
            .bind(term_id).fetch_optional(p).await)
        .map_err(map_err)?;
        row.map(TermRow::into_term).transpose()
    }

    async fn member_consent(
        &self,
        member_id: &str,
        term_id: &str,
    ) -> CoreResult<Option<MemberConsent>> {
        let sql = format!(
            "SELECT {CONSENT_COLS} FROM oris_member_consents WHERE member_id = $1 AND term_id = $2"
        );
        let row = on_db!(&self.db, p => sqlx::query_as::<_, ConsentRow>(&sql)
            .bind(member_id).bind(term_id).fetch_optional(p).await)
        .map_err(map_err)?;
        Ok(row.map(ConsentRow::into_consent))
    }

    async fn insert_member_consent(&self, c: &MemberConsent) -> CoreResult<(MemberConsent, bool)> {
        // The unique key decides a repeat, not a read before the write.
        let sql = format!(
            "INSERT INTO oris_member_consents ({CONSENT_COLS}) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (member_id, term_id) DO NOTHING"
        );
        let done = on_db!(&self.db, p => sqlx::query(&sql)
            .bind(&c.consent_id).bind(&c.member_id).bind(&c.term_id).bind(to_micros(c.consent_at))
            .execute(p).await.map(|r| r.rows_affected()))
        .map_err(map_err)?;
        let held = self
            .member_consent(&c.member_id, &c.term_id)
            .await?
            .ok_or(finhub_core::CoreError::NotFound("consent"))?;
        Ok((held, done == 1))
    }

    async fn insert_term(&self, t: &Term) -> CoreResult<()> {
        let sql =
            format!("INSERT INTO oris_terms ({TERM_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
        on_db!(&self.db, p => sqlx::query(&sql)
            .bind(&t.term_id).bind(t.term_type.code()).bind(&t.title).bind(&t.content)
            .bind(&t.version).bind(flag(t.required)).bind(t.initiation_date.map(to_micros))
            .bind(to_micros(t.created_at))
            .execute(p).await.map(|_| ()).map_err(map_err))
    }

    async fn update_term(&self, t: &Term, now: DateTime<Utc>) -> CoreResult<bool> {
        let sql = "UPDATE oris_terms SET term_type = $2, title = $3, content = $4, \
                   version = $5, required = $6 \
                   WHERE term_id = $1 AND (initiation_date IS NULL OR initiation_date > $7)";
        let n = on_db!(&self.db, p => sqlx::query(sql)
            .bind(&t.term_id).bind(t.term_type.code()).bind(&t.title).bind(&t.content)
            .bind(&t.version).bind(flag(t.required)).bind(to_micros(now))
            .execute(p).await.map(|r| r.rows_affected()))
        .map_err(map_err)?;
        Ok(n == 1)
    }

    async fn delete_term(&self, term_id: &str, now: DateTime<Utc>) -> CoreResult<bool> {
        let sql = "DELETE FROM oris_terms \
                   WHERE term_id = $1 AND (initiation_date IS NULL OR initiation_date > $2) \
                   AND NOT EXISTS (SELECT 1 FROM oris_member_consents c WHERE c.term_id = $1)";
        let n = on_db!(&self.db, p => sqlx::query(sql)
            .bind(term_id).bind(to_micros(now))
            .execute(p).await.map(|r| r.rows_affected()))
        .map_err(map_err)?;
        Ok(n == 1)
    }

    async fn set_initiation_date(&self, term_id: &str, at: DateTime<Utc>) -> CoreResult<bool> {
        let sql = "UPDATE oris_terms SET initiation_date = $2 \
                   WHERE term_id = $1 AND initiation_date IS NULL";
        let n = on_db!(&self.db, p => sqlx::query(sql)
            .bind(term_id).bind(to_micros(at))
            .execute(p).await.map(|r| r.rows_affected()))
        .map_err(map_err)?;
        Ok(n == 1)
    }

    async fn withdraw_initiation_date(
        &self,
        term_id: &str,
        now: DateTime<Utc>,
    ) -> CoreResult<bool> {
        let sql = "UPDATE oris_terms SET initiation_date = NULL \
                   WHERE term_id = $1 AND (initiation_date IS NULL OR initiation_date > $2)";
        let n = on_db!(&self.db, p => sqlx::query(sql)
            .bind(term_id).bind(to_micros(now))
            .execute(p).await.map(|r| r.rows_affected()))
        .map_err(map_err)?;
        Ok(n == 1)
    }
}

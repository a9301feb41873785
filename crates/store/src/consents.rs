//! Transmission requests (전송요구): finhub_core::consent.

use crate::{map_err, on_db, Store};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use finhub_core::clock::from_micros;
use finhub_core::consent::{Consent, ConsentRepo};
use finhub_core::{CoreError, CoreResult};

const COLS: &str = "consent_id, client_id, receiver_org, person_id, sender_org, scopes, \
    account_ids, purpose, end_date, hold_until, is_scheduled, fnd_cycle, add_cycle, memo, \
    merchant, tx_id, created_at, revoked_at";

#[derive(sqlx::FromRow)]
struct ConsentRow {
    consent_id: String,
    client_id: String,
    receiver_org: String,
    person_id: String,
    sender_org: String,
    scopes: String,
    account_ids: String,
    purpose: String,
    end_date: String,
    hold_until: String,
    is_scheduled: i64,
    fnd_cycle: Option<String>,
    add_cycle: Option<String>,
    memo: i64,
    merchant: i64,
    tx_id: Option<String>,
    created_at: i64,
    revoked_at: Option<i64>,
}

fn bad(what: &str) -> CoreError {
    CoreError::Internal(format!("stored consent has a bad {what}"))
}

fn day(s: &str) -> CoreResult<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| bad("date"))
}

impl ConsentRow {
    fn into_consent(self) -> CoreResult<Consent> {
        let list = |s: &str| serde_json::from_str::<Vec<String>>(s).map_err(|_| bad("list"));
        Ok(Consent {
            scopes: list(&self.scopes)?,
            account_ids: list(&self.account_ids)?,
            end_date: day(&self.end_date)?,
            hold_until: day(&self.hold_until)?,
            consent_id: self.consent_id,
            client_id: self.client_id,
            receiver_org: self.receiver_org,
            person_id: self.person_id,
            sender_org: self.sender_org,
            purpose: self.purpose,
            is_scheduled: self.is_scheduled != 0,
            fnd_cycle: self.fnd_cycle,
            add_cycle: self.add_cycle,
            memo: self.memo != 0,
            merchant: self.merchant != 0,
            tx_id: self.tx_id,
            created_at: from_micros(self.created_at),
            revoked_at: self.revoked_at.map(from_micros),
        })
    }
}

fn json(v: &[String]) -> String {
    serde_json::to_string(v).expect("strings serialize")
}

#[async_trait]
impl ConsentRepo for Store {
    async fn insert_consent(&self, c: &Consent) -> CoreResult<()> {
        let sql = format!(
            "INSERT INTO consents ({COLS}) VALUES ({})",
            crate::sql::placeholders(1, 18)
        );
        let date = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
        on_db!(&self.db, p => sqlx::query(&sql)
            .bind(&c.consent_id).bind(&c.client_id).bind(&c.receiver_org).bind(&c.person_id)
            .bind(&c.sender_org).bind(json(&c.scopes)).bind(json(&c.account_ids)).bind(&c.purpose)
            .bind(date(c.end_date)).bind(date(c.hold_until)).bind(i64::from(c.is_scheduled))
            .bind(&c.fnd_cycle).bind(&c.add_cycle).bind(i64::from(c.memo))
            .bind(i64::from(c.merchant)).bind(&c.tx_id).bind(c.created_at.timestamp_micros())
            .bind(c.revoked_at.map(|t| t.timestamp_micros()))
            .execute(p).await.map(|_| ()).map_err(map_err))
    }

    async fn consent(&self, consent_id: &str) -> CoreResult<Option<Consent>> {
        // A consent changes only when it is revoked, which drops the copy
        // (crate::cache); its tokens are revoked with it.
        if let Some(c) = self.caches.consents.get(consent_id) {
            return Ok(Some(c));
        }
        let gen = self.caches.consents.generation();
        let sql = format!("SELECT {COLS} FROM consents WHERE consent_id = $1");
        let row = on_db!(&self.db, p => sqlx::query_as::<_, ConsentRow>(&sql)
            .bind(consent_id).fetch_optional(p).await)
        .map_err(map_err)?;
        let consent = row.map(ConsentRow::into_consent).transpose()?;
        if let Some(c) = &consent {
            self.caches
                .consents
                .fill(c.consent_id.clone(), c.clone(), gen);
        }
        Ok(consent)
    }

    async fn consents_of_person(&self, person_id: &str) -> CoreResult<Vec<Consent>> {
        let sql = format!(
            "SELECT {COLS} FROM consents WHERE person_id = $1 ORDER BY created_at DESC, consent_id"
        );
        let rows = on_db!(&self.db, p => sqlx::query_as::<_, ConsentRow>(&sql)
            .bind(person_id).fetch_all(p).await)
        .map_err(map_err)?;
        rows.into_iter().map(ConsentRow::into_consent).collect()
    }

    async fn revoke_consent(&self, consent_id: &str, at: DateTime<Utc>) -> CoreResult<bool> {
        let n = on_db!(&self.db, p => sqlx::query(
            "UPDATE consents SET revoked_at = $1 WHERE consent_id = $2 AND revoked_at IS NULL")
            .bind(at.timestamp_micros()).bind(consent_id)
            .execute(p).await.map(|r| r.rows_affected()))
        .map_err(map_err)?;
        self.caches.consents.remove(consent_id);
        Ok(n == 1)
    }
}

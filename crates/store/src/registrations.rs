//! Registrations of people's accounts by client organisations, user numbers
//! and client contract accounts.

use crate::{map_err, on_db, Store};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use finhub_core::clock::{from_micros, to_micros};
use finhub_core::registration::{
    ClientContract, ClientLimits, NewRegistration, RegisterResult, Registration, RegistrationRepo,
    RegistrationStatus, Service,
};
use finhub_core::{CoreError, CoreResult};

const COLS: &str = "org_code, handle, person_id, account_id, alias, email, inquiry_agreed_at, \
                    transfer_agreed_at, status, registered_at, cancelled_at";

/// How often a unique-constraint race is retried before giving up.
const MAX_ATTEMPTS: usize = 8;

#[derive(sqlx::FromRow)]
struct RegistrationRow {
    org_code: String,
    handle: String,
    person_id: String,
    account_id: String,
    alias: String,
    email: Option<String>,
    inquiry_agreed_at: Option<i64>,
    transfer_agreed_at: Option<i64>,
    status: String,
    registered_at: i64,
    cancelled_at: Option<i64>,
}

impl TryFrom<RegistrationRow> for Registration {
    type Error = CoreError;
    fn try_from(r: RegistrationRow) -> CoreResult<Self> {
        Ok(Registration {
            status: RegistrationStatus::parse(&r.status).ok_or_else(|| {
                CoreError::Internal(format!("stored registration status {:?}", r.status))
            })?,
            org_code: r.org_code,
            handle: r.handle,
            person_id: r.person_id,
            account_id: r.account_id,
            alias: r.alias,
            email: r.email,
            inquiry_agreed_at: r.inquiry_agreed_at.map(from_micros),
            transfer_agreed_at: r.transfer_agreed_at.map(from_micros),
            registered_at: from_micros(r.registered_at),
            cancelled_at: r.cancelled_at.map(from_micros),
        })
    }
}

#[derive(sqlx::FromRow)]
struct ContractRow {
    org_code: String,
    client_id: String,
    account_id: String,
    pass_phrase: String,
    limits: String,
}

fn consent_col(s: Service) -> &'static str {
    match s {
        Service::Inquiry => "inquiry_agreed_at",
        Service::Transfer => "transfer_agreed_at",
    }
}

impl Store {
    async fn fetch_registrations(
        &self,
        sql: &str,
        binds: &[&str],
    ) -> CoreResult<Vec<Registration>> {
        let rows = on_db!(&self.db, p => {
            let mut q = sqlx::query_as::<_, RegistrationRow>(sql);
            for b in binds { q = q.bind(*b); }
            q.fetch_all(p).await
        })
        .map_err(map_err)?;
        rows.into_iter().map(Registration::try_from).collect()
    }
}

impl Store {
    /// Add a service to an existing registration; a cancelled one comes back
    /// with only the new service. None when a racing change got there first.
    async fn add_service(
        &self,
        new: &NewRegistration<'_>,
        existing: &Registration,
    ) -> CoreResult<Option<Registration>> {
        let col = consent_col(new.service);
        let at_us = to_micros(new.at);
        let sql = if existing.is_active() {
            format!(
                "UPDATE registrations SET {col} = $1, email = COALESCE($2, email) \
                 WHERE org_code = $3 AND handle = $4 AND status = 'active' AND {col} IS NULL"
            )
        } else {
            "UPDATE registrations SET status = 'active', cancelled_at = NULL, \
             inquiry_agreed_at = NULL, transfer_agreed_at = NULL, email = COALESCE($2, email), \
             registered_at = $1 WHERE org_code = $3 AND handle = $4 AND status = 'cancelled'"
                .to_owned()
        };
        let (org_code, email) = (new.org_code, new.email);
        let n = on_db!(&self.db, p => sqlx::query(&sql).bind(at_us).bind(email)
            .bind(org_code).bind(&existing.handle).execute(p).await.map(|r| r.rows_affected()));
        self.caches.registrations.clear();
        if n.map_err(map_err)? == 0 {
            return Ok(None);
        }
        if !existing.is_active() {
            let set =
                format!("UPDATE registrations SET {col} = $1 WHERE org_code = $2 AND handle = $3");
            let r = on_db!(&self.db, p => sqlx::query(&set).bind(at_us).bind(org_code)
                .bind(&existing.handle).execute(p).await.map(|_| ()));
            self.caches.registrations.clear();
            r.map_err(map_err)?;
        }
        self.registration(org_code, &existing.handle).await
    }

    /// A new registration under `handle`. None when the handle or the
    /// account was taken by a racing insert (the unique keys decide).
    async fn insert_registration(
        &self,
        new: &NewRegistration<'_>,
        handle: String,
    ) -> CoreResult<Option<Registration>> {
        let sql = format!(
            "INSERT INTO registrations ({COLS}) VALUES ($1, $2, $3, $4, '', $5, $6, $7, 'active', $8, NULL)"
        );
        let at_us = to_micros(new.at);
        let (inq, trf) = match new.service {
            Service::Inquiry => (Some(at_us), None),
            Service::Transfer => (None, Some(at_us)),
        };
        let NewRegistration {
            org_code,
            person_id,
            account_id,
            email,
            ..
        } = *new;
        let r = on_db!(&self.db, p => sqlx::query(&sql)
            .bind(org_code).bind(&handle).bind(person_id).bind(account_id).bind(email)
            .bind(inq).bind(trf).bind(at_us).execute(p).await.map(|_| ()));
        self.caches.registrations.clear();
        match r.map_err(map_err) {
            Ok(_) => self.registration(org_code, &handle).await,
            Err(CoreError::Conflict(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

#[async_trait]
impl RegistrationRepo for Store {
    async fn user_number(&self, person_id: &str) -> CoreResult<i64> {
        for _ in 0..MAX_ATTEMPTS {
            let got: Option<i64> = on_db!(&self.db, p => sqlx::query_scalar(
                "SELECT user_no FROM user_numbers WHERE person_id = $1")
                .bind(person_id).fetch_optional(p).await)
            .map_err(map_err)?;
            if let Some(n) = got {
                return Ok(n);
            }
            // The next number is decided by the unique constraint: a racing
            // insert of the same number fails and this loop tries again.
            let r = on_db!(&self.db, p => sqlx::query(
                "INSERT INTO user_numbers (person_id, user_no) \
                 SELECT $1, CAST(COALESCE(MAX(user_no), 1100000000) + 1 AS BIGINT) FROM user_numbers WHERE TRUE \
                 ON CONFLICT (person_id) DO NOTHING")
                .bind(person_id).execute(p).await.map(|_| ()));
            match r.map_err(map_err) {
                Ok(_) | Err(CoreError::Conflict(_)) => continue,
                Err(e) => return Err(e),
            }
        }
        Err(CoreError::Unavailable("user number contention".into()))
    }

    async fn person_by_user_number(&self, user_no: i64) -> CoreResult<Option<String>> {
        on_db!(&self.db, p => sqlx::query_scalar("SELECT person_id FROM user_numbers WHERE user_no = $1")
            .bind(user_no).fetch_optional(p).await)
        .map_err(map_err)
    }

    async fn register(
        &self,
        new: NewRegistration<'_>,
        new_handle: &(dyn Fn() -> String + Send + Sync),
    ) -> CoreResult<(Registration, RegisterResult)> {
        for _ in 0..MAX_ATTEMPTS {
            match self
                .registration_of_account(new.org_code, new.account_id)
                .await?
            {
                Some(existing) if existing.has(new.service) => {
                    return Ok((existing, RegisterResult::AlreadyRegistered));
                }
                Some(existing) => {
                    if let Some(reg) = self.add_service(&new, &existing).await? {
                        return Ok((reg, RegisterResult::Added));
                    }
                }
                None => {
                    if let Some(reg) = self.insert_registration(&new, new_handle()).await? {
                        return Ok((reg, RegisterResult::Created));
                    }
                }
            }
            // Raced with another change, or the handle was taken: look again.
        }
        Err(CoreError::Unavailable("registration contention".into()))
    }

    async fn registration(&self, org_code: &str, handle: &str) -> CoreResult<Option<Registration>> {
        let key = crate::registration_key(org_code, handle);
        let cache = &self.caches.registrations;
        if let Some(r) = cache.get(&key) {
            return Ok(Some(r));
        }
        let gen = cache.generation();
        let sql = format!("SELECT {COLS} FROM registrations WHERE org_code = $1 AND handle = $2");
        let reg = self
            .fetch_registrations(&sql, &[org_code, handle])
            .await?
            .pop();
        if let Some(r) = &reg {
            cache.fill(key, r.clone(), gen);
        }
        Ok(reg)
    }

    async fn registration_of_account(
        &self,
        org_code: &str,
        account_id: &str,
    ) -> CoreResult<Option<Registration>> {
        let sql =
            format!("SELECT {COLS} FROM registrations WHERE org_code = $1 AND account_id = $2");
        Ok(self
            .fetch_registrations(&sql, &[org_code, account_id])
            .await?
            .pop())
    }

    async fn registrations_of_person(
        &self,
        org_code: &str,
        person_id: &str,
    ) -> CoreResult<Vec<Registration>> {
        let sql = format!(
            "SELECT {COLS} FROM registrations WHERE org_code = $1 AND person_id = $2 \
             ORDER BY registered_at, handle"
        );
        self.fetch_registrations(&sql, &[org_code, person_id]).await
    }

    async fn set_email(&self, org_code: &str, handle: &str, email: &str) -> CoreResult<bool> {
        let n = on_db!(&self.db, p => sqlx::query(
            "UPDATE registrations SET email = $1 WHERE org_code = $2 AND handle = $3 AND status = 'active'")
            .bind(email).bind(org_code).bind(handle).execute(p).await.map(|r| r.rows_affected()));
        self.caches.registrations.clear();
        Ok(n.map_err(map_err)? > 0)
    }

    async fn cancel_service(
        &self,
        org_code: &str,
        handle: &str,
        service: Service,
        at: DateTime<Utc>,
    ) -> CoreResult<bool> {
        let col = consent_col(service);
        let sql = format!(
            "UPDATE registrations SET {col} = NULL WHERE org_code = $1 AND handle = $2 \
             AND status = 'active' AND {col} IS NOT NULL"
        );
        let n = on_db!(&self.db, p => sqlx::query(&sql).bind(org_code).bind(handle)
            .execute(p).await.map(|r| r.rows_affected()));
        self.caches.registrations.clear();
        if n.map_err(map_err)? == 0 {
            return Ok(false);
        }
        let r = on_db!(&self.db, p => sqlx::query(
            "UPDATE registrations SET status = 'cancelled', cancelled_at = $1 WHERE org_code = $2 \
             AND handle = $3 AND inquiry_agreed_at IS NULL AND transfer_agreed_at IS NULL")
            .bind(to_micros(at)).bind(org_code).bind(handle).execute(p).await.map(|_| ()));
        self.caches.registrations.clear();
        r.map_err(map_err)?;
        Ok(true)
    }

    async fn cancel_person(
        &self,
        org_code: &str,
        person_id: &str,
        at: DateTime<Utc>,
    ) -> CoreResult<u64> {
        let n = on_db!(&self.db, p => sqlx::query(
            "UPDATE registrations SET status = 'cancelled', cancelled_at = $1, inquiry_agreed_at = NULL, \
             transfer_agreed_at = NULL WHERE org_code = $2 AND person_id = $3 AND status = 'active'")
            .bind(to_micros(at)).bind(org_code).bind(person_id).execute(p).await.map(|r| r.rows_affected()));
        self.caches.registrations.clear();
        n.map_err(map_err)
    }

    async fn insert_contract(&self, c: &ClientContract) -> CoreResult<()> {
        let limits =
            serde_json::to_string(&c.limits).map_err(|e| CoreError::Internal(e.to_string()))?;
        let r = on_db!(&self.db, p => sqlx::query(
            "INSERT INTO client_contracts (org_code, client_id, account_id, pass_phrase, limits) \
             VALUES ($1, $2, $3, $4, $5)")
            .bind(&c.org_code).bind(&c.client_id).bind(&c.account_id).bind(&c.pass_phrase).bind(&limits)
            .execute(p).await.map(|_| ()));
        self.caches.contracts.remove(c.org_code.as_str());
        r.map_err(map_err)
    }

    async fn contract(&self, org_code: &str) -> CoreResult<Option<ClientContract>> {
        let cache = &self.caches.contracts;
        if let Some(c) = cache.get(org_code) {
            return Ok(Some(c));
        }
        let gen = cache.generation();
        let row = on_db!(&self.db, p => sqlx::query_as::<_, ContractRow>(
            "SELECT org_code, client_id, account_id, pass_phrase, limits FROM client_contracts WHERE org_code = $1")
            .bind(org_code).fetch_optional(p).await)
        .map_err(map_err)?;
        let contract = row
            .map(|r| {
                let limits: ClientLimits = serde_json::from_str(&r.limits)
                    .map_err(|e| CoreError::Internal(format!("stored limits: {e}")))?;
                Ok(ClientContract {
                    org_code: r.org_code,
                    client_id: r.client_id,
                    account_id: r.account_id,
                    pass_phrase: r.pass_phrase,
                    limits,
                })
            })
            .transpose()?;
        if let Some(c) = &contract {
            cache.fill(org_code.to_owned(), c.clone(), gen);
        }
        Ok(contract)
    }

    async fn set_limits(&self, org_code: &str, limits: &ClientLimits) -> CoreResult<bool> {
        let json = serde_json::to_string(limits).map_err(|e| CoreError::Internal(e.to_string()))?;
        let n = on_db!(&self.db, p => sqlx::query("UPDATE client_contracts SET limits = $1 WHERE org_code = $2")
            .bind(&json).bind(org_code).execute(p).await.map(|r| r.rows_affected()));
        self.caches.contracts.remove(org_code);
        Ok(n.map_err(map_err)? > 0)
    }
}

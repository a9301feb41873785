//! SQL behind `OAuthRepo`: clients, pending authorizations, codes and tokens.

use crate::{map_err, on_db, Store};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use finhub_core::clock::{from_micros, to_micros};
use finhub_core::oauth::{
    AccessTokenRecord, AuthCode, AuthRequest, Client, OAuthRepo, Profile, RefreshToken,
};
use finhub_core::{CoreError, CoreResult};

fn to_json(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

fn from_json(s: &str) -> CoreResult<Vec<String>> {
    serde_json::from_str(s)
        .map_err(|_| CoreError::Internal(format!("stored list {s:?} is not valid")))
}

const CLIENT_COLS: &str =
    "client_id, secret_hash, name, profile, org_code, redirect_uris, scopes, created_at, disabled";

#[derive(sqlx::FromRow)]
struct ClientRow {
    client_id: String,
    secret_hash: String,
    name: String,
    profile: String,
    org_code: String,
    redirect_uris: String,
    scopes: String,
    created_at: i64,
    disabled: i64,
}

impl TryFrom<ClientRow> for Client {
    type Error = CoreError;
    fn try_from(r: ClientRow) -> CoreResult<Client> {
        Ok(Client {
            profile: Profile::parse(&r.profile).ok_or_else(|| {
                CoreError::Internal(format!("stored profile {:?} is not valid", r.profile))
            })?,
            redirect_uris: from_json(&r.redirect_uris)?,
            scopes: from_json(&r.scopes)?,
            created_at: from_micros(r.created_at),
            disabled: r.disabled != 0,
            client_id: r.client_id,
            secret_hash: r.secret_hash,
            name: r.name,
            org_code: r.org_code,
        })
    }
}

const REQUEST_COLS: &str =
    "request_id, client_id, redirect_uri, scopes, state, code_challenge, extra, person_id, expires_at";

#[derive(sqlx::FromRow)]
struct RequestRow {
    request_id: String,
    client_id: String,
    redirect_uri: String,
    scopes: String,
    state: Option<String>,
    code_challenge: Option<String>,
    extra: String,
    person_id: Option<String>,
    expires_at: i64,
}

impl TryFrom<RequestRow> for AuthRequest {
    type Error = CoreError;
    fn try_from(r: RequestRow) -> CoreResult<AuthRequest> {
        Ok(AuthRequest {
            scopes: from_json(&r.scopes)?,
            extra: serde_json::from_str(&r.extra)
                .map_err(|_| CoreError::Internal("stored auth request extra is not JSON".into()))?,
            expires_at: from_micros(r.expires_at),
            request_id: r.request_id,
            client_id: r.client_id,
            redirect_uri: r.redirect_uri,
            state: r.state,
            code_challenge: r.code_challenge,
            person_id: r.person_id,
        })
    }
}

const CODE_COLS: &str = "code_hash, client_id, person_id, redirect_uri, scopes, account_ids, \
    code_challenge, expires_at, family_id";

#[derive(sqlx::FromRow)]
struct CodeRow {
    code_hash: String,
    client_id: String,
    person_id: String,
    redirect_uri: String,
    scopes: String,
    account_ids: String,
    code_challenge: Option<String>,
    expires_at: i64,
    family_id: String,
}

impl TryFrom<CodeRow> for AuthCode {
    type Error = CoreError;
    fn try_from(r: CodeRow) -> CoreResult<AuthCode> {
        Ok(AuthCode {
            scopes: from_json(&r.scopes)?,
            account_ids: from_json(&r.account_ids)?,
            expires_at: from_micros(r.expires_at),
            code_hash: r.code_hash,
            client_id: r.client_id,
            person_id: r.person_id,
            redirect_uri: r.redirect_uri,
            code_challenge: r.code_challenge,
            family_id: r.family_id,
        })
    }
}

const REFRESH_COLS: &str =
    "token_hash, family_id, client_id, person_id, scopes, account_ids, expires_at, used, revoked";

#[derive(sqlx::FromRow)]
struct RefreshRow {
    token_hash: String,
    family_id: String,
    client_id: String,
    person_id: Option<String>,
    scopes: String,
    account_ids: String,
    expires_at: i64,
    used: i64,
    revoked: i64,
}

impl TryFrom<RefreshRow> for RefreshToken {
    type Error = CoreError;
    fn try_from(r: RefreshRow) -> CoreResult<RefreshToken> {
        Ok(RefreshToken {
            scopes: from_json(&r.scopes)?,
            account_ids: from_json(&r.account_ids)?,
            expires_at: from_micros(r.expires_at),
            used: r.used != 0,
            revoked: r.revoked != 0,
            token_hash: r.token_hash,
            family_id: r.family_id,
            client_id: r.client_id,
            person_id: r.person_id,
        })
    }
}

const ACCESS_COLS: &str = "jti, client_id, person_id, family_id, expires_at, revoked";

#[derive(sqlx::FromRow)]
struct AccessRow {
    jti: String,
    client_id: String,
    person_id: Option<String>,
    family_id: Option<String>,
    expires_at: i64,
    revoked: i64,
}

impl From<AccessRow> for AccessTokenRecord {
    fn from(r: AccessRow) -> AccessTokenRecord {
        AccessTokenRecord {
            jti: r.jti,
            client_id: r.client_id,
            person_id: r.person_id,
            family_id: r.family_id,
            expires_at: from_micros(r.expires_at),
            revoked: r.revoked != 0,
        }
    }
}

#[async_trait]
impl OAuthRepo for Store {
    async fn insert_client(&self, c: &Client) -> CoreResult<()> {
        let sql = format!(
            "INSERT INTO oauth_clients ({CLIENT_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        );
        on_db!(&self.db, p => sqlx::query(&sql)
            .bind(&c.client_id).bind(&c.secret_hash).bind(&c.name).bind(c.profile.as_str())
            .bind(&c.org_code).bind(to_json(&c.redirect_uris)).bind(to_json(&c.scopes))
            .bind(to_micros(c.created_at)).bind(i64::from(c.disabled))
            .execute(p).await.map(|_| ()).map_err(map_err))
    }

    async fn client(&self, client_id: &str) -> CoreResult<Option<Client>> {
        let sql = format!("SELECT {CLIENT_COLS} FROM oauth_clients WHERE client_id = $1");
        let row = on_db!(&self.db, p => sqlx::query_as::<_, ClientRow>(&sql).bind(client_id).fetch_optional(p).await)
            .map_err(map_err)?;
        row.map(Client::try_from).transpose()
    }

    async fn list_clients(&self) -> CoreResult<Vec<Client>> {
        let sql = format!("SELECT {CLIENT_COLS} FROM oauth_clients ORDER BY created_at, client_id");
        let rows = on_db!(&self.db, p => sqlx::query_as::<_, ClientRow>(&sql).fetch_all(p).await)
            .map_err(map_err)?;
        rows.into_iter().map(Client::try_from).collect()
    }

    async fn shared_secret(&self, name: &str, fresh: &str) -> CoreResult<String> {
        self.setting_or_insert(name, fresh).await
    }

    async fn app_schemes(&self, client_id: &str) -> CoreResult<Vec<String>> {
        let v: Option<String> = on_db!(&self.db, p => sqlx::query_scalar(
            "SELECT app_schemes FROM oauth_clients WHERE client_id = $1")
            .bind(client_id).fetch_optional(p).await)
        .map_err(map_err)?;
        v.map(|s| from_json(&s))
            .transpose()
            .map(Option::unwrap_or_default)
    }

    async fn set_app_schemes(&self, client_id: &str, schemes: &[String]) -> CoreResult<()> {
        on_db!(&self.db, p => sqlx::query("UPDATE oauth_clients SET app_schemes = $1 WHERE client_id = $2")
            .bind(to_json(schemes)).bind(client_id).execute(p).await.map(|_| ()).map_err(map_err))
    }

    async fn insert_auth_request(&self, r: &AuthRequest) -> CoreResult<()> {
        let sql = format!("INSERT INTO oauth_auth_requests ({REQUEST_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)");
        on_db!(&self.db, p => sqlx::query(&sql)
            .bind(&r.request_id).bind(&r.client_id).bind(&r.redirect_uri).bind(to_json(&r.scopes))
            .bind(&r.state).bind(&r.code_challenge).bind(r.extra.to_string()).bind(&r.person_id)
            .bind(to_micros(r.expires_at))
            .execute(p).await.map(|_| ()).map_err(map_err))
    }

    async fn auth_request(&self, request_id: &str) -> CoreResult<Option<AuthRequest>> {
        let sql = format!("SELECT {REQUEST_COLS} FROM oauth_auth_requests WHERE request_id = $1");
        let row = on_db!(&self.db, p => sqlx::query_as::<_, RequestRow>(&sql).bind(request_id).fetch_optional(p).await)
            .map_err(map_err)?;
        row.map(AuthRequest::try_from).transpose()
    }

    async fn set_auth_request_person(&self, request_id: &str, person_id: &str) -> CoreResult<()> {
        on_db!(&self.db, p => sqlx::query("UPDATE oauth_auth_requests SET person_id = $1 WHERE request_id = $2")
            .bind(person_id).bind(request_id).execute(p).await.map(|_| ()).map_err(map_err))
    }

    async fn delete_auth_request(&self, request_id: &str) -> CoreResult<()> {
        on_db!(&self.db, p => sqlx::query("DELETE FROM oauth_auth_requests WHERE request_id = $1")
            .bind(request_id).execute(p).await.map(|_| ()).map_err(map_err))
    }

    async fn take_auth_request(&self, request_id: &str) -> CoreResult<Option<AuthRequest>> {
        let sql = format!(
            "DELETE FROM oauth_auth_requests WHERE request_id = $1 RETURNING {REQUEST_COLS}"
        );
        let row = on_db!(&self.db, p => sqlx::query_as::<_, RequestRow>(&sql).bind(request_id).fetch_optional(p).await)
            .map_err(map_err)?;
        row.map(AuthRequest::try_from).transpose()
    }

    async fn insert_code(&self, c: &AuthCode) -> CoreResult<()> {
        let sql = format!(
            "INSERT INTO oauth_auth_codes ({CODE_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        );
        on_db!(&self.db, p => sqlx::query(&sql)
            .bind(&c.code_hash).bind(&c.client_id).bind(&c.person_id).bind(&c.redirect_uri)
            .bind(to_json(&c.scopes)).bind(to_json(&c.account_ids)).bind(&c.code_challenge)
            .bind(to_micros(c.expires_at)).bind(&c.family_id)
            .execute(p).await.map(|_| ()).map_err(map_err))
    }

    async fn take_code(&self, code_hash: &str) -> CoreResult<Option<AuthCode>> {
        // One statement: two concurrent exchanges cannot both get the row.
        let sql =
            format!("DELETE FROM oauth_auth_codes WHERE code_hash = $1 RETURNING {CODE_COLS}");
        let row = on_db!(&self.db, p => sqlx::query_as::<_, CodeRow>(&sql).bind(code_hash).fetch_optional(p).await)
            .map_err(map_err)?;
        row.map(AuthCode::try_from).transpose()
    }

    async fn insert_refresh(&self, r: &RefreshToken) -> CoreResult<()> {
        let sql = format!("INSERT INTO oauth_refresh_tokens ({REFRESH_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)");
        on_db!(&self.db, p => sqlx::query(&sql)
            .bind(&r.token_hash).bind(&r.family_id).bind(&r.client_id).bind(&r.person_id)
            .bind(to_json(&r.scopes)).bind(to_json(&r.account_ids)).bind(to_micros(r.expires_at))
            .bind(i64::from(r.used)).bind(i64::from(r.revoked))
            .execute(p).await.map(|_| ()).map_err(map_err))
    }

    async fn refresh(&self, token_hash: &str) -> CoreResult<Option<RefreshToken>> {
        let sql = format!("SELECT {REFRESH_COLS} FROM oauth_refresh_tokens WHERE token_hash = $1");
        let row = on_db!(&self.db, p => sqlx::query_as::<_, RefreshRow>(&sql).bind(token_hash).fetch_optional(p).await)
            .map_err(map_err)?;
        row.map(RefreshToken::try_from).transpose()
    }

    async fn spend_refresh(&self, token_hash: &str) -> CoreResult<bool> {
        let n = on_db!(&self.db, p => sqlx::query(
            "UPDATE oauth_refresh_tokens SET used = 1 WHERE token_hash = $1 AND used = 0 AND revoked = 0")
            .bind(token_hash).execute(p).await.map(|r| r.rows_affected()))
        .map_err(map_err)?;
        Ok(n == 1)
    }

    async fn family_accounts(&self, family_id: &str) -> CoreResult<Vec<String>> {
        // Every token of a family carries the same grant.
        let v: Option<String> = on_db!(&self.db, p => sqlx::query_scalar(
            "SELECT account_ids FROM oauth_refresh_tokens WHERE family_id = $1 LIMIT 1")
            .bind(family_id).fetch_optional(p).await)
        .map_err(map_err)?;
        v.map(|s| from_json(&s))
            .transpose()
            .map(Option::unwrap_or_default)
    }

    async fn revoke_family(&self, family_id: &str) -> CoreResult<Vec<String>> {
        on_db!(&self.db, p => {
            let mut tx = p.begin().await.map_err(map_err)?;
            sqlx::query("UPDATE oauth_refresh_tokens SET revoked = 1 WHERE family_id = $1")
                .bind(family_id).execute(&mut *tx).await.map_err(map_err)?;
            let jtis: Vec<String> = sqlx::query_scalar(
                "UPDATE oauth_access_tokens SET revoked = 1 WHERE family_id = $1 RETURNING jti")
                .bind(family_id).fetch_all(&mut *tx).await.map_err(map_err)?;
            tx.commit().await.map_err(map_err)?;
            Ok(jtis)
        })
    }

    async fn insert_access(&self, a: &AccessTokenRecord) -> CoreResult<()> {
        let sql = format!(
            "INSERT INTO oauth_access_tokens ({ACCESS_COLS}) VALUES ($1, $2, $3, $4, $5, $6)"
        );
        on_db!(&self.db, p => sqlx::query(&sql)
            .bind(&a.jti).bind(&a.client_id).bind(&a.person_id).bind(&a.family_id)
            .bind(to_micros(a.expires_at)).bind(i64::from(a.revoked))
            .execute(p).await.map(|_| ()).map_err(map_err))
    }

    async fn access(&self, jti: &str) -> CoreResult<Option<AccessTokenRecord>> {
        let sql = format!("SELECT {ACCESS_COLS} FROM oauth_access_tokens WHERE jti = $1");
        let row = on_db!(&self.db, p => sqlx::query_as::<_, AccessRow>(&sql).bind(jti).fetch_optional(p).await)
            .map_err(map_err)?;
        Ok(row.map(AccessTokenRecord::from))
    }

    async fn revoke_access(&self, jti: &str) -> CoreResult<()> {
        on_db!(&self.db, p => sqlx::query("UPDATE oauth_access_tokens SET revoked = 1 WHERE jti = $1")
            .bind(jti).execute(p).await.map(|_| ()).map_err(map_err))
    }

    async fn revoked_unexpired(
        &self,
        now: DateTime<Utc>,
    ) -> CoreResult<Vec<(String, DateTime<Utc>)>> {
        let rows: Vec<(String, i64)> = on_db!(&self.db, p => sqlx::query_as(
            "SELECT jti, expires_at FROM oauth_access_tokens WHERE revoked = 1 AND expires_at > $1")
            .bind(to_micros(now)).fetch_all(p).await)
        .map_err(map_err)?;
        Ok(rows.into_iter().map(|(j, e)| (j, from_micros(e))).collect())
    }
}

//! Users, DirectLogin tokens and entitlements: finhub_core::obp::users.

use crate::sql::{Arg, Tx};
use crate::{map_err, Store};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use finhub_core::clock::{from_micros, to_micros};
use finhub_core::obp::users::{Entitlement, User, UserRepo};
use finhub_core::CoreResult;

const USER_COLS: &str = "user_id, username, email, first_name, last_name, provider, \
                         password_hash, person_id, created_at";

#[derive(sqlx::FromRow)]
struct UserRow {
    user_id: String,
    username: String,
    email: String,
    first_name: String,
    last_name: String,
    provider: String,
    password_hash: String,
    person_id: Option<String>,
    created_at: i64,
}

impl From<UserRow> for User {
    fn from(r: UserRow) -> User {
        User {
            user_id: r.user_id,
            username: r.username,
            email: r.email,
            first_name: r.first_name,
            last_name: r.last_name,
            provider: r.provider,
            password_hash: r.password_hash,
            person_id: r.person_id,
            created_at: from_micros(r.created_at),
        }
    }
}

#[derive(sqlx::FromRow)]
struct EntitlementRow {
    entitlement_id: String,
    user_id: String,
    role_name: String,
    bank_id: String,
}

const INSERT_ENTITLEMENT: &str = "INSERT INTO obp_entitlements \
     (entitlement_id, user_id, role_name, bank_id) VALUES ($1, $2, $3, $4) \
     ON CONFLICT (user_id, role_name, bank_id) DO NOTHING";

fn entitlement_args(e: &Entitlement) -> [Arg<'_>; 4] {
    [
        Arg::Text(&e.entitlement_id),
        Arg::Text(&e.user_id),
        Arg::Text(&e.role_name),
        Arg::Text(&e.bank_id),
    ]
}

impl Store {
    async fn one_user(&self, column: &str, value: &str) -> CoreResult<Option<User>> {
        let sql = format!("SELECT {USER_COLS} FROM obp_users WHERE {column} = $1");
        let row: Option<UserRow> =
            (self.db.fetch_optional(&sql, &[Arg::Text(value)]).await).map_err(map_err)?;
        Ok(row.map(User::from))
    }
}

#[async_trait]
impl UserRepo for Store {
    async fn insert_user(&self, u: &User, grants: &[Entitlement]) -> CoreResult<bool> {
        let sql = format!(
            "INSERT INTO obp_users ({USER_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (username) DO NOTHING"
        );
        let args = [
            Arg::Text(&u.user_id),
            Arg::Text(&u.username),
            Arg::Text(&u.email),
            Arg::Text(&u.first_name),
            Arg::Text(&u.last_name),
            Arg::Text(&u.provider),
            Arg::Text(&u.password_hash),
            Arg::OptText(u.person_id.as_deref()),
            Arg::Int(to_micros(u.created_at)),
        ];
        let mut tx = Tx::begin(&self.db).await.map_err(map_err)?;
        if tx.changed(&sql, &args).await.map_err(map_err)? == 0 {
            return Ok(false);
        }
        for e in grants {
            (tx.changed(INSERT_ENTITLEMENT, &entitlement_args(e)).await).map_err(map_err)?;
        }
        tx.commit().await.map_err(map_err)?;
        Ok(true)
    }

    async fn user(&self, user_id: &str) -> CoreResult<Option<User>> {
        self.one_user("user_id", user_id).await
    }

    async fn user_by_username(&self, username: &str) -> CoreResult<Option<User>> {
        self.one_user("username", username).await
    }

    async fn set_user_person(&self, user_id: &str, person_id: &str) -> CoreResult<()> {
        let sql = "UPDATE obp_users SET person_id = $2 WHERE user_id = $1";
        let args = [Arg::Text(user_id), Arg::Text(person_id)];
        self.db.execute(sql, &args).await.map_err(map_err).map(drop)
    }

    async fn obp_consumer_usable(&self, client_id: &str) -> CoreResult<bool> {
        let sql = "SELECT client_id FROM oauth_clients \
                   WHERE client_id = $1 AND profile = 'obp' AND disabled = 0";
        let row: Option<(String,)> =
            (self.db.fetch_optional(sql, &[Arg::Text(client_id)]).await).map_err(map_err)?;
        Ok(row.is_some())
    }

    async fn insert_token(
        &self,
        sha256: &str,
        user_id: &str,
        consumer: &str,
        expires: DateTime<Utc>,
    ) -> CoreResult<()> {
        let sql = "INSERT INTO obp_tokens (token_sha256, user_id, consumer_key, expires_at) \
                   VALUES ($1, $2, $3, $4)";
        let args = [
            Arg::Text(sha256),
            Arg::Text(user_id),
            Arg::Text(consumer),
            Arg::Int(to_micros(expires)),
        ];
        self.db.execute(sql, &args).await.map_err(map_err).map(drop)
    }

    async fn token_user(&self, sha256: &str, now: DateTime<Utc>) -> CoreResult<Option<User>> {
        let cols = USER_COLS.replace(", ", ", u.");
        let sql = format!(
            "SELECT u.{cols} FROM obp_tokens t JOIN obp_users u ON u.user_id = t.user_id \
             WHERE t.token_sha256 = $1 AND t.expires_at > $2"
        );
        let args = [Arg::Text(sha256), Arg::Int(to_micros(now))];
        let row: Option<UserRow> = self.db.fetch_optional(&sql, &args).await.map_err(map_err)?;
        Ok(row.map(User::from))
    }

    async fn entitlements(&self, user_id: &str) -> CoreResult<Vec<Entitlement>> {
        let sql = "SELECT entitlement_id, user_id, role_name, bank_id FROM obp_entitlements \
                   WHERE user_id = $1 ORDER BY role_name, bank_id";
        let rows: Vec<EntitlementRow> = self
            .db
            .fetch_all(sql, &[Arg::Text(user_id)])
            .await
            .map_err(map_err)?;
        Ok(rows
            .into_iter()
            .map(|r| Entitlement {
                entitlement_id: r.entitlement_id,
                user_id: r.user_id,
                role_name: r.role_name,
                bank_id: r.bank_id,
            })
            .collect())
    }

    async fn insert_entitlement(&self, e: &Entitlement) -> CoreResult<bool> {
        let n = (self
            .db
            .execute(INSERT_ENTITLEMENT, &entitlement_args(e))
            .await)
            .map_err(map_err)?;
        Ok(n > 0)
    }
}

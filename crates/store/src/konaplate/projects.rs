//! Projects, access keys, crypto keys and merchants.

use super::bad;
use crate::sql::{Arg, Tx};
use crate::{map_err, Store};
use async_trait::async_trait;
use finhub_core::clock::{from_micros, to_micros};
use finhub_core::konaplate::ids::{AccessKeyId, AspId, CryptoKeyId, MerchantId};
use finhub_core::konaplate::project::{
    AccessKey, CryptoKey, KeyStatus, KeyType, Merchant, Project, ProjectRepo,
};
use finhub_core::CoreResult;
use secrecy::ExposeSecret;

const PROJECT_COLS: &str = "project_id, name, asp_id, created_at";
const KEY_COLS: &str = "access_key, project_id, secret, key_type, status, created_at";
const CRYPTO_COLS: &str = "crypto_key_id, project_id, status, server_public_pem, \
                           server_private_pem, client_public_pem, created_at";

#[derive(sqlx::FromRow)]
struct ProjectRow {
    project_id: String,
    name: String,
    asp_id: String,
    created_at: i64,
}

impl TryFrom<ProjectRow> for Project {
    type Error = finhub_core::CoreError;
    fn try_from(r: ProjectRow) -> CoreResult<Project> {
        Ok(Project {
            project_id: r.project_id,
            name: r.name,
            asp_id: AspId::parse(&r.asp_id).map_err(|_| bad("asp_id"))?,
            created_at: from_micros(r.created_at),
        })
    }
}

#[derive(sqlx::FromRow)]
struct KeyRow {
    access_key: String,
    project_id: String,
    secret: String,
    key_type: String,
    status: String,
    created_at: i64,
}

impl TryFrom<KeyRow> for AccessKey {
    type Error = finhub_core::CoreError;
    fn try_from(r: KeyRow) -> CoreResult<AccessKey> {
        Ok(AccessKey {
            access_key: AccessKeyId::parse(&r.access_key).map_err(|_| bad("access_key"))?,
            project_id: r.project_id,
            secret: r.secret.into(),
            key_type: KeyType::parse(&r.key_type).ok_or_else(|| bad("key_type"))?,
            status: KeyStatus::parse(&r.status).ok_or_else(|| bad("status"))?,
            created_at: from_micros(r.created_at),
        })
    }
}

#[derive(sqlx::FromRow)]
struct CryptoRow {
    crypto_key_id: String,
    project_id: String,
    status: String,
    server_public_pem: String,
    server_private_pem: String,
    client_public_pem: String,
    created_at: i64,
}

impl TryFrom<CryptoRow> for CryptoKey {
    type Error = finhub_core::CoreError;
    fn try_from(r: CryptoRow) -> CoreResult<CryptoKey> {
        Ok(CryptoKey {
            crypto_key_id: CryptoKeyId::parse(&r.crypto_key_id)
                .map_err(|_| bad("crypto_key_id"))?,
            project_id: r.project_id,
            status: KeyStatus::parse(&r.status).ok_or_else(|| bad("status"))?,
            server_public_pem: r.server_public_pem,
            server_private_pem: r.server_private_pem.into(),
            client_public_pem: r.client_public_pem,
            created_at: from_micros(r.created_at),
        })
    }
}

#[derive(sqlx::FromRow)]
struct MerchantRow {
    project_id: String,
    merchant_id: String,
    merchant_name: String,
    account_id: String,
}

fn all<R, T>(rows: Vec<R>) -> CoreResult<Vec<T>>
where
    T: TryFrom<R, Error = finhub_core::CoreError>,
{
    rows.into_iter().map(T::try_from).collect()
}

impl Store {
    async fn kona_project_where(&self, column: &str, value: &str) -> CoreResult<Option<Project>> {
        let sql = format!("SELECT {PROJECT_COLS} FROM kona_projects WHERE {column} = $1");
        let row: Option<ProjectRow> =
            (self.db.fetch_optional(&sql, &[Arg::Text(value)]).await).map_err(map_err)?;
        row.map(Project::try_from).transpose()
    }
}

#[async_trait]
impl ProjectRepo for Store {
    async fn insert_project(&self, p: &Project) -> CoreResult<bool> {
        let sql = format!(
            "INSERT INTO kona_projects ({PROJECT_COLS}) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (asp_id) DO NOTHING"
        );
        let args = [
            Arg::Text(&p.project_id),
            Arg::Text(&p.name),
            Arg::Text(p.asp_id.as_str()),
            Arg::Int(to_micros(p.created_at)),
        ];
        Ok(self.db.execute(&sql, &args).await.map_err(map_err)? == 1)
    }

    async fn project(&self, project_id: &str) -> CoreResult<Option<Project>> {
        self.kona_project_where("project_id", project_id).await
    }

    async fn project_by_asp(&self, asp_id: &str) -> CoreResult<Option<Project>> {
        self.kona_project_where("asp_id", asp_id).await
    }

    async fn projects(&self) -> CoreResult<Vec<Project>> {
        let sql =
            format!("SELECT {PROJECT_COLS} FROM kona_projects ORDER BY created_at, project_id");
        let rows: Vec<ProjectRow> = self.db.fetch_all(&sql, &[]).await.map_err(map_err)?;
        all(rows)
    }

    async fn insert_access_key(&self, k: &AccessKey) -> CoreResult<()> {
        let sql =
            format!("INSERT INTO kona_access_keys ({KEY_COLS}) VALUES ($1, $2, $3, $4, $5, $6)");
        let args = [
            Arg::Text(k.access_key.as_str()),
            Arg::Text(&k.project_id),
            Arg::Text(k.secret.expose_secret()),
            Arg::Text(k.key_type.as_str()),
            Arg::Text(k.status.as_str()),
            Arg::Int(to_micros(k.created_at)),
        ];
        self.db
            .execute(&sql, &args)
            .await
            .map_err(map_err)
            .map(drop)
    }

    async fn access_key(&self, access_key: &str) -> CoreResult<Option<AccessKey>> {
        let sql = format!("SELECT {KEY_COLS} FROM kona_access_keys WHERE access_key = $1");
        let row: Option<KeyRow> =
            (self.db.fetch_optional(&sql, &[Arg::Text(access_key)]).await).map_err(map_err)?;
        row.map(AccessKey::try_from).transpose()
    }

    async fn access_keys(&self, project_id: &str) -> CoreResult<Vec<AccessKey>> {
        let sql = format!(
            "SELECT {KEY_COLS} FROM kona_access_keys WHERE project_id = $1 ORDER BY created_at, access_key"
        );
        let rows: Vec<KeyRow> =
            (self.db.fetch_all(&sql, &[Arg::Text(project_id)]).await).map_err(map_err)?;
        all(rows)
    }

    async fn set_access_key_status(&self, access_key: &str, s: KeyStatus) -> CoreResult<()> {
        let sql = "UPDATE kona_access_keys SET status = $2 WHERE access_key = $1";
        let args = [Arg::Text(access_key), Arg::Text(s.as_str())];
        self.db.execute(sql, &args).await.map_err(map_err).map(drop)
    }

    async fn insert_crypto_key(&self, k: &CryptoKey) -> CoreResult<bool> {
        let mut tx = Tx::begin(&self.db).await.map_err(map_err)?;
        // The project row is the lock: two adds at once count one after the other.
        let lock = format!(
            "SELECT project_id FROM kona_projects WHERE project_id = $1{}",
            tx.lock()
        );
        let _: Option<(String,)> =
            (tx.fetch_optional(&lock, &[Arg::Text(&k.project_id)]).await).map_err(map_err)?;
        let count =
            "SELECT COUNT(*) FROM kona_crypto_keys WHERE project_id = $1 AND status <> 'discarded'";
        let (live,): (i64,) = (tx.fetch_optional(count, &[Arg::Text(&k.project_id)]).await)
            .map_err(map_err)?
            .unwrap_or((0,));
        if live >= 2 {
            return Ok(false);
        }
        let sql = format!(
            "INSERT INTO kona_crypto_keys ({CRYPTO_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
        );
        let args = [
            Arg::Text(k.crypto_key_id.as_str()),
            Arg::Text(&k.project_id),
            Arg::Text(k.status.as_str()),
            Arg::Text(&k.server_public_pem),
            Arg::Text(k.server_private_pem.expose_secret()),
            Arg::Text(&k.client_public_pem),
            Arg::Int(to_micros(k.created_at)),
        ];
        tx.changed(&sql, &args).await.map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        Ok(true)
    }

    async fn crypto_key(&self, crypto_key_id: &str) -> CoreResult<Option<CryptoKey>> {
        let sql = format!("SELECT {CRYPTO_COLS} FROM kona_crypto_keys WHERE crypto_key_id = $1");
        let row: Option<CryptoRow> = (self
            .db
            .fetch_optional(&sql, &[Arg::Text(crypto_key_id)])
            .await)
            .map_err(map_err)?;
        row.map(CryptoKey::try_from).transpose()
    }

    async fn crypto_keys(&self, project_id: &str) -> CoreResult<Vec<CryptoKey>> {
        let sql = format!(
            "SELECT {CRYPTO_COLS} FROM kona_crypto_keys WHERE project_id = $1 \
             ORDER BY created_at, crypto_key_id"
        );
        let rows: Vec<CryptoRow> =
            (self.db.fetch_all(&sql, &[Arg::Text(project_id)]).await).map_err(map_err)?;
        all(rows)
    }

    async fn discard_crypto_key(&self, crypto_key_id: &str) -> CoreResult<()> {
        let sql = "UPDATE kona_crypto_keys SET status = 'discarded' WHERE crypto_key_id = $1";
        (self.db.execute(sql, &[Arg::Text(crypto_key_id)]).await)
            .map_err(map_err)
            .map(drop)
    }

    async fn insert_merchant(&self, m: &Merchant) -> CoreResult<()> {
        let sql =
            "INSERT INTO kona_merchants (project_id, merchant_id, merchant_name, account_id) \
                   VALUES ($1, $2, $3, $4)";
        let args = [
            Arg::Text(&m.project_id),
            Arg::Text(m.merchant_id.as_str()),
            Arg::Text(&m.merchant_name),
            Arg::Text(&m.account_id),
        ];
        self.db.execute(sql, &args).await.map_err(map_err).map(drop)
    }

    async fn merchants(&self, project_id: &str) -> CoreResult<Vec<Merchant>> {
        let sql = "SELECT project_id, merchant_id, merchant_name, account_id FROM kona_merchants \
                   WHERE project_id = $1 ORDER BY merchant_id";
        let rows: Vec<MerchantRow> =
            (self.db.fetch_all(sql, &[Arg::Text(project_id)]).await).map_err(map_err)?;
        rows.into_iter()
            .map(|r| {
                Ok(Merchant {
                    project_id: r.project_id,
                    merchant_id: MerchantId::parse(&r.merchant_id)
                        .map_err(|_| bad("merchant_id"))?,
                    merchant_name: r.merchant_name,
                    account_id: r.account_id,
                })
            })
            .collect()
    }
}

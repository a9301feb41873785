//! Projects and their keys (konaplate-sandbox.md §1): a project is one
//! service provider's world. Its ASP id, access keys (with the secret that
//! signs `X-KM-Tran-Token`) and crypto keys (RSA pairs for the JWE) are the
//! transport's credentials; its card products and merchants are fixed.

use super::ids::{AccessKeyId, AspId, CryptoKeyId, MerchantId, ServiceId};
use super::refusal::{KonaResult, Refusal};
use super::Kona;
use crate::account::AccountKind;
use crate::money::Money;
use crate::CoreResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use secrecy::SecretString;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    Sandbox,
    Uat,
    Si,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyStatus {
    Active,
    Inactive,
    Discarded,
}

words!(KeyType { Sandbox = "sandbox", Uat = "uat", Si = "si" });
words!(KeyStatus { Active = "active", Inactive = "inactive", Discarded = "discarded" });

#[derive(Debug, Clone)]
pub struct Project {
    pub project_id: String,
    pub name: String,
    pub asp_id: AspId,
    pub created_at: DateTime<Utc>,
}

/// An access key and the secret its requests are signed with. The secret
/// must be readable to verify an HMAC, so it is kept, never printed.
#[derive(Debug, Clone)]
pub struct AccessKey {
    pub access_key: AccessKeyId,
    pub project_id: String,
    pub secret: SecretString,
    pub key_type: KeyType,
    pub status: KeyStatus,
    pub created_at: DateTime<Utc>,
}

/// A crypto key: the server pair (requests are encrypted to its public
/// half) and the client's public key (answers are encrypted to it).
#[derive(Debug, Clone)]
pub struct CryptoKey {
    pub crypto_key_id: CryptoKeyId,
    pub project_id: String,
    pub status: KeyStatus,
    pub server_public_pem: String,
    pub server_private_pem: SecretString,
    pub client_public_pem: String,
    pub created_at: DateTime<Utc>,
}

/// An RSA pair as PEM: SPKI public, unencrypted PKCS#8 private.
#[derive(Debug, Clone)]
pub struct KeyPair {
    pub public_pem: String,
    pub private_pem: SecretString,
}

/// Makes RSA-2048 pairs and checks public keys; the face's crypto provides it.
pub trait KeySmith: Send + Sync {
    fn generate(&self) -> CoreResult<KeyPair>;
    /// Is this an RSA public key of at least 2048 bits in SPKI PEM?
    fn public_key_ok(&self, pem: &str) -> bool;
}

/// A card product of every project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Service {
    pub service_id: &'static str,
    pub service_name: &'static str,
    pub service_type: &'static str,
    pub is_delivery_required: bool,
}

/// The products every project holds: the first mobile one carries the
/// portal test data's id.
pub const SERVICES: &[Service] = &[
    Service {
        service_id: "000170000002000",
        service_name: "코나 모바일 선불카드",
        service_type: "PREPAID",
        is_delivery_required: false,
    },
    Service {
        service_id: "000170000002001",
        service_name: "코나 실물 선불카드",
        service_type: "PREPAID",
        is_delivery_required: true,
    },
];

pub fn service(id: &ServiceId) -> Option<&'static Service> {
    SERVICES.iter().find(|s| s.service_id == id.as_str())
}

/// The first mobile product: members' basic cards are issued on it.
pub fn basic_service() -> &'static Service {
    &SERVICES[0]
}

/// The merchants every project gets, each with its own settlement account.
pub const MERCHANTS: &[(&str, &str)] = &[
    ("410195430033901", "코나 테스트 가맹점"),
    ("410195430033902", "코나 온라인몰"),
];

#[derive(Debug, Clone)]
pub struct Merchant {
    pub project_id: String,
    pub merchant_id: MerchantId,
    pub merchant_name: String,
    /// Its settlement account in the world, at the platform.
    pub account_id: String,
}

/// What `create_project` answers: the only time the secrets are shown.
#[derive(Debug, Clone)]
pub struct Created {
    pub project: Project,
    pub access_key: AccessKey,
    pub crypto_key: CryptoKey,
    /// Set when the client pair was generated here.
    pub client_private_pem: Option<SecretString>,
    pub merchants: Vec<Merchant>,
}

#[async_trait]
pub trait ProjectRepo: Send + Sync {
    /// False when the ASP id is taken (the caller draws another).
    async fn insert_project(&self, p: &Project) -> CoreResult<bool>;
    async fn project(&self, project_id: &str) -> CoreResult<Option<Project>>;
    async fn project_by_asp(&self, asp_id: &str) -> CoreResult<Option<Project>>;
    async fn projects(&self) -> CoreResult<Vec<Project>>;
    async fn insert_access_key(&self, k: &AccessKey) -> CoreResult<()>;
    async fn access_key(&self, access_key: &str) -> CoreResult<Option<AccessKey>>;
    async fn access_keys(&self, project_id: &str) -> CoreResult<Vec<AccessKey>>;
    async fn set_access_key_status(&self, access_key: &str, s: KeyStatus) -> CoreResult<()>;
    /// False when the project already holds two live keys (checked in the
    /// same transaction as the insert).
    async fn insert_crypto_key(&self, k: &CryptoKey) -> CoreResult<bool>;
    async fn crypto_key(&self, crypto_key_id: &str) -> CoreResult<Option<CryptoKey>>;
    async fn crypto_keys(&self, project_id: &str) -> CoreResult<Vec<CryptoKey>>;
    async fn discard_crypto_key(&self, crypto_key_id: &str) -> CoreResult<()>;
    async fn insert_merchant(&self, m: &Merchant) -> CoreResult<()>;
    async fn merchants(&self, project_id: &str) -> CoreResult<Vec<Merchant>>;
}

impl Kona {
    /// A project with its first access key, its first crypto key (the client
    /// pair generated unless `client_public_pem` is given) and its merchants.
    pub async fn create_project(&self, name: &str, key_type: KeyType) -> KonaResult<Created> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(Refusal::invalid("name"));
        }
        let project = loop {
            let p = Project {
                project_id: crate::ids::new_id(),
                name: name.to_owned(),
                asp_id: AspId::generate(),
                created_at: self.world.clock.now(),
            };
            if self.repo.insert_project(&p).await? {
                break p;
            }
        };
        let access_key = self.add_access_key(&project.project_id, key_type).await?;
        let (crypto_key, client_private_pem) =
            self.add_crypto_key(&project.project_id, None).await?;
        let mut merchants = Vec::new();
        for (id, merchant_name) in MERCHANTS {
            merchants.push(self.open_merchant(&project, id, merchant_name).await?);
        }
        Ok(Created {
            project,
            access_key,
            crypto_key,
            client_private_pem,
            merchants,
        })
    }

    async fn open_merchant(&self, p: &Project, id: &str, name: &str) -> KonaResult<Merchant> {
        let account = (self.world)
            .open_institution_account(
                &self.platform_org(),
                name,
                AccountKind::Settlement,
                Money::krw(0),
            )
            .await?;
        let m = Merchant {
            project_id: p.project_id.clone(),
            merchant_id: MerchantId::parse(id).map_err(|_| Refusal::invalid("merchantId"))?,
            merchant_name: name.to_owned(),
            account_id: account.account_id,
        };
        self.repo.insert_merchant(&m).await?;
        Ok(m)
    }

    pub async fn project(&self, project_id: &str) -> KonaResult<Project> {
        (self.repo.project(project_id).await?).ok_or(Refusal::NotFound("project"))
    }

    pub async fn add_access_key(
        &self,
        project_id: &str,
        key_type: KeyType,
    ) -> KonaResult<AccessKey> {
        self.project(project_id).await?;
        let k = AccessKey {
            access_key: AccessKeyId::generate(),
            project_id: project_id.to_owned(),
            secret: super::ids::secret_key().into(),
            key_type,
            status: KeyStatus::Active,
            created_at: self.world.clock.now(),
        };
        self.repo.insert_access_key(&k).await?;
        Ok(k)
    }

    /// `active` ⇄ `inactive`, either → `discarded`; discarded is final.
    pub async fn set_access_key_status(
        &self,
        project_id: &str,
        access_key: &str,
        to: KeyStatus,
    ) -> KonaResult<AccessKey> {
        let k = (self.repo.access_key(access_key).await?)
            .filter(|k| k.project_id == project_id)
            .ok_or(Refusal::NotFound("access key"))?;
        if k.status == KeyStatus::Discarded {
            return Err(Refusal::Conflict("a discarded key cannot change".into()));
        }
        self.repo.set_access_key_status(access_key, to).await?;
        Ok(AccessKey { status: to, ..k })
    }

    /// A new crypto key; at most two that are not discarded.
    pub async fn add_crypto_key(
        &self,
        project_id: &str,
        client_public_pem: Option<&str>,
    ) -> KonaResult<(CryptoKey, Option<SecretString>)> {
        self.project(project_id).await?;
        let (client_public, client_private) = match client_public_pem {
            Some(pem) if self.keys.public_key_ok(pem) => (pem.trim().to_owned(), None),
            Some(_) => return Err(Refusal::invalid("client_public_key")),
            None => {
                let pair = self.keys.generate()?;
                (pair.public_pem, Some(pair.private_pem))
            }
        };
        let server = self.keys.generate()?;
        let k = CryptoKey {
            crypto_key_id: CryptoKeyId::generate(),
            project_id: project_id.to_owned(),
            status: KeyStatus::Active,
            server_public_pem: server.public_pem,
            server_private_pem: server.private_pem,
            client_public_pem: client_public,
            created_at: self.world.clock.now(),
        };
        if !self.repo.insert_crypto_key(&k).await? {
            return Err(Refusal::Conflict(
                "the project already holds two crypto keys that are not discarded".into(),
            ));
        }
        Ok((k, client_private))
    }

    pub async fn discard_crypto_key(&self, project_id: &str, id: &str) -> KonaResult<CryptoKey> {
        let k = (self.repo.crypto_key(id).await?)
            .filter(|k| k.project_id == project_id)
            .ok_or(Refusal::NotFound("crypto key"))?;
        self.repo.discard_crypto_key(id).await?;
        Ok(CryptoKey {
            status: KeyStatus::Discarded,
            ..k
        })
    }

    /// The project's merchant of this id.
    pub async fn merchant(&self, project_id: &str, id: &str) -> KonaResult<Option<Merchant>> {
        let all = self.repo.merchants(project_id).await?;
        Ok(all.into_iter().find(|m| m.merchant_id.as_str() == id))
    }
}

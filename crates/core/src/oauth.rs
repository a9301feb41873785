//! OAuth clients, grants and tokens as the world records them. The
//! authorization server's logic lives in finhub-oauth; storage in finhub-store.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::CoreResult;

/// Which standard a client speaks; it decides request rules and response shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Profile {
    Kftc,
    Mydata,
    Konaplate,
    Oris,
    Obp,
}

impl Profile {
    pub const ALL: [Profile; 5] = [
        Self::Kftc,
        Self::Mydata,
        Self::Konaplate,
        Self::Oris,
        Self::Obp,
    ];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Kftc => "kftc",
            Self::Mydata => "mydata",
            Self::Konaplate => "konaplate",
            Self::Oris => "oris",
            Self::Obp => "obp",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Client {
    pub client_id: String,
    /// argon2 PHC string; the secret itself is never stored.
    #[serde(skip_serializing)]
    pub secret_hash: String,
    pub name: String,
    pub profile: Profile,
    /// The owning organisation's code (for kftc: the 10-character client_use_code).
    pub org_code: String,
    pub redirect_uris: Vec<String>,
    pub scopes: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub disabled: bool,
}

/// A pending authorization-code request, from the authorize page to the code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthRequest {
    pub request_id: String,
    pub client_id: String,
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    pub state: Option<String>,
    pub code_challenge: Option<String>,
    pub extra: serde_json::Value,
    /// Set once the person has logged in.
    pub person_id: Option<String>,
    pub expires_at: DateTime<Utc>,
}

/// An issued authorization code (stored by its hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthCode {
    pub code_hash: String,
    pub client_id: String,
    pub person_id: String,
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    pub account_ids: Vec<String>,
    pub code_challenge: Option<String>,
    /// The refresh family the tokens it buys will belong to, chosen at
    /// consent time so what the consent set up (a MyData transmission
    /// request) is keyed by it before the code is exchanged.
    pub family_id: String,
    pub expires_at: DateTime<Utc>,
}

/// A refresh token (stored by its hash). Tokens of one family descend from
/// one authorization; reuse of a spent one revokes the family.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefreshToken {
    pub token_hash: String,
    pub family_id: String,
    pub client_id: String,
    pub person_id: Option<String>,
    pub scopes: Vec<String>,
    pub account_ids: Vec<String>,
    pub expires_at: DateTime<Utc>,
    pub used: bool,
    pub revoked: bool,
}

/// An issued access token, recorded so it can be revoked by id or family.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessTokenRecord {
    pub jti: String,
    pub client_id: String,
    pub person_id: Option<String>,
    pub family_id: Option<String>,
    pub expires_at: DateTime<Utc>,
    pub revoked: bool,
}

#[async_trait]
pub trait OAuthRepo: Send + Sync {
    /// A duplicate client_id is a `Conflict`.
    async fn insert_client(&self, c: &Client) -> CoreResult<()>;
    async fn client(&self, client_id: &str) -> CoreResult<Option<Client>>;
    async fn list_clients(&self) -> CoreResult<Vec<Client>>;
    /// A named secret every node shares (a sandbox CA's key): the one kept,
    /// or `fresh` kept now when there is none.
    async fn shared_secret(&self, name: &str, fresh: &str) -> CoreResult<String>;
    /// The app schemes a client registered (none: any is accepted).
    async fn app_schemes(&self, client_id: &str) -> CoreResult<Vec<String>>;
    async fn set_app_schemes(&self, client_id: &str, schemes: &[String]) -> CoreResult<()>;

    async fn insert_auth_request(&self, r: &AuthRequest) -> CoreResult<()>;
    async fn auth_request(&self, request_id: &str) -> CoreResult<Option<AuthRequest>>;
    async fn set_auth_request_person(&self, request_id: &str, person_id: &str) -> CoreResult<()>;
    async fn delete_auth_request(&self, request_id: &str) -> CoreResult<()>;
    /// Remove and return a pending request, so it is answered at most once.
    /// Stores should override this with one atomic statement.
    async fn take_auth_request(&self, request_id: &str) -> CoreResult<Option<AuthRequest>> {
        let r = self.auth_request(request_id).await?;
        if r.is_some() {
            self.delete_auth_request(request_id).await?;
        }
        Ok(r)
    }

    async fn insert_code(&self, c: &AuthCode) -> CoreResult<()>;
    /// Remove and return the code in one step, so it is used at most once.
    async fn take_code(&self, code_hash: &str) -> CoreResult<Option<AuthCode>>;

    async fn insert_refresh(&self, r: &RefreshToken) -> CoreResult<()>;
    async fn refresh(&self, token_hash: &str) -> CoreResult<Option<RefreshToken>>;
    /// Mark used only if it was unused; false means it was spent already (reuse).
    async fn spend_refresh(&self, token_hash: &str) -> CoreResult<bool>;
    /// The accounts the person granted to a refresh family (empty when unknown).
    async fn family_accounts(&self, family_id: &str) -> CoreResult<Vec<String>>;
    /// Revoke every refresh and access token of a family; returns the access jtis revoked.
    async fn revoke_family(&self, family_id: &str) -> CoreResult<Vec<String>>;

    async fn insert_access(&self, a: &AccessTokenRecord) -> CoreResult<()>;
    async fn access(&self, jti: &str) -> CoreResult<Option<AccessTokenRecord>>;
    async fn revoke_access(&self, jti: &str) -> CoreResult<()>;
    /// Revoked access tokens not yet expired, to rebuild the in-memory set at start.
    async fn revoked_unexpired(
        &self,
        now: DateTime<Utc>,
    ) -> CoreResult<Vec<(String, DateTime<Utc>)>>;
}

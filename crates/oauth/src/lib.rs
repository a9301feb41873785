//! finhub-oauth: the one OAuth 2.0 authorization server every face shares.
//!
//! Access tokens are signed JWTs (HS256), checked without a database round
//! trip; revocation is an in-memory set loaded at start and written through
//! on every revoke, so it is never stale in this process.
//!
//! `router` serves `/oauth/2.0/{authorize, authorize/login, authorize/consent,
//! token, revoke}`. Rules by module: clients.rs (registration, secret checks
//! and the guessing throttle), grants.rs (the grants, rotation, revocation),
//! pkce.rs, login.rs (people's passwords), pages.rs (HTML); HTTP in
//! routes.rs, authorize.rs, signin.rs and params.rs. Every rule that
//! differs by standard (required parameters, PKCE, token lifetimes, the
//! consent page, the token's audience and fields, the error envelope) is a
//! hook of the client's `ProfileAdapter` (profile/), the only module that
//! tells profiles apart.

mod authorize;
mod clients;
mod grants;
mod headless;
mod lang;
mod login;
mod pages;
mod params;
pub mod pkce;
mod profile;
mod revocation;
mod routes;
mod secrets;
mod signin;
mod throttle;
mod token;

pub use clients::{check_app_schemes, parse_scope, valid_redirect_uri, NewClient};
pub use finhub_core::oauth::{Client, Profile};
pub use grants::{requested_scopes, CodeExchange, Grant, TokenResponse};
pub use headless::{headless_consent, HeadlessConsent, HeadlessError};
pub use lang::{Lang, Words};
pub use login::{hash_password, SANDBOX_PASSWORD};
pub use pages::{mask_number, scope_words};
pub use params::parse_token_request;
pub use profile::{
    revoke_ok, rfc6749_error, AccountChoice, AccountPicker, ConsentAsk, ConsentPage, Issued,
    OAuthError, OwnGrant, PrepareAsk, ProfileAdapter, Profiles, Question, QuestionKind, ScopeAsk,
};
pub use revocation::RevocationSet;
pub use routes::router;
pub use throttle::{MAX_FAILURES, WINDOW_SECS};
pub use token::{AccessClaims, TokenError, TokenSigner};

use finhub_core::clock::Clock;
use finhub_core::oauth::OAuthRepo;
use std::sync::Arc;

/// Settings of the authorization server.
#[derive(Debug, Clone)]
pub struct OAuthConfig {
    pub issuer: String,
    /// Access-token lifetimes; each profile's adapter picks one
    /// (`ProfileAdapter::access_ttl_secs`). KFTC issues 90-day tokens.
    pub access_ttl_secs: i64,
    pub kftc_access_ttl_secs: i64,
    /// MyData: access at most 90 days, refresh a year (mydata.md §5.6).
    pub mydata_access_ttl_secs: i64,
    pub refresh_ttl_secs: i64,
    pub mydata_refresh_ttl_secs: i64,
    pub code_ttl_secs: i64,
}

impl Default for OAuthConfig {
    fn default() -> Self {
        OAuthConfig {
            issuer: "https://finhub.local".into(),
            access_ttl_secs: 3600,
            kftc_access_ttl_secs: 7_776_000,
            mydata_access_ttl_secs: 90 * 24 * 3600,
            refresh_ttl_secs: 90 * 24 * 3600,
            mydata_refresh_ttl_secs: 365 * 24 * 3600,
            code_ttl_secs: 600,
        }
    }
}

/// The authorization server's state, shared by every face.
#[derive(Clone)]
pub struct OAuth {
    pub repo: Arc<dyn OAuthRepo>,
    pub signer: Arc<TokenSigner>,
    pub revoked: RevocationSet,
    pub clock: Clock,
    pub config: OAuthConfig,
    /// Failed client-secret and password guesses, per id.
    pub(crate) throttle: throttle::Throttle,
}

impl OAuth {
    /// `signing_key` is the server's persistent secret (at least 32 bytes).
    pub async fn new(
        repo: Arc<dyn OAuthRepo>,
        signing_key: &[u8],
        clock: Clock,
        config: OAuthConfig,
    ) -> finhub_core::CoreResult<OAuth> {
        let oauth = OAuth {
            repo,
            signer: Arc::new(TokenSigner::new(signing_key, &config.issuer)),
            revoked: RevocationSet::default(),
            clock,
            config,
            throttle: throttle::Throttle::default(),
        };
        oauth.reload_revocations().await?;
        Ok(oauth)
    }

    /// Read the revoked ids (at start, and again when another node revoked
    /// some: the store's fence runs this before the request that could use
    /// them).
    pub async fn reload_revocations(&self) -> finhub_core::CoreResult<()> {
        for (jti, exp) in self.repo.revoked_unexpired(self.clock.now()).await? {
            self.revoked.insert(jti, exp.timestamp());
        }
        Ok(())
    }

    /// Forget revoked ids whose tokens have expired anyway, every `every`
    /// seconds, so the in-memory set stays bounded by live tokens.
    pub fn spawn_revocation_purge(
        &self,
        every: std::time::Duration,
    ) -> tokio::task::JoinHandle<()> {
        let revoked = self.revoked.clone();
        let clock = self.clock.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            loop {
                tick.tick().await;
                revoked.purge(clock.now().timestamp());
            }
        })
    }

    /// Check a bearer token: signature, expiry (by the world's clock) and revocation.
    pub fn verify_access(&self, token: &str) -> Result<AccessClaims, TokenError> {
        let claims = self.signer.verify(token)?;
        if claims.exp <= self.clock.now().timestamp() {
            return Err(TokenError::Expired);
        }
        if self.revoked.contains(&claims.jti) {
            return Err(TokenError::Revoked);
        }
        Ok(claims)
    }
}

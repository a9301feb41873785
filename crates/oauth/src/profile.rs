//! What each standard decides about the shared OAuth endpoints: extra token
//! fields, the token's audience, and the error envelope. Faces implement
//! `ProfileAdapter`; the assembly registers one per profile. A profile with
//! no adapter answers in plain RFC 6749 form.

use crate::token::AccessClaims;
use async_trait::async_trait;
use axum::response::Response;
use finhub_core::oauth::{Client, Profile};
use finhub_core::CoreError;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// RFC 6749 §5.2 errors (plus the server-side ones of §4.1.2.1).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OAuthError {
    #[error("invalid_request: {0}")]
    InvalidRequest(String),
    #[error("invalid_client")]
    InvalidClient,
    #[error("invalid_grant: {0}")]
    InvalidGrant(String),
    #[error("unauthorized_client: {0}")]
    UnauthorizedClient(String),
    #[error("unsupported_grant_type")]
    UnsupportedGrantType,
    #[error("invalid_scope: {0}")]
    InvalidScope(String),
    #[error("access_denied")]
    AccessDenied,
    #[error("unsupported_response_type")]
    UnsupportedResponseType,
    #[error("slow_down")]
    SlowDown,
    #[error("temporarily_unavailable")]
    TemporarilyUnavailable,
    #[error("server_error")]
    ServerError,
}

impl OAuthError {
    /// The RFC 6749 `error` value.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidRequest(_) => "invalid_request",
            Self::InvalidClient => "invalid_client",
            Self::InvalidGrant(_) => "invalid_grant",
            Self::UnauthorizedClient(_) => "unauthorized_client",
            Self::UnsupportedGrantType => "unsupported_grant_type",
            Self::InvalidScope(_) => "invalid_scope",
            Self::AccessDenied => "access_denied",
            Self::UnsupportedResponseType => "unsupported_response_type",
            Self::SlowDown => "slow_down",
            Self::TemporarilyUnavailable => "temporarily_unavailable",
            Self::ServerError => "server_error",
        }
    }

    /// A human-readable `error_description`.
    pub fn description(&self) -> String {
        match self {
            Self::InvalidRequest(d)
            | Self::InvalidGrant(d)
            | Self::UnauthorizedClient(d)
            | Self::InvalidScope(d) => d.clone(),
            Self::InvalidClient => "client authentication failed".into(),
            Self::UnsupportedGrantType => "grant_type is not supported".into(),
            Self::AccessDenied => "the resource owner denied the request".into(),
            Self::UnsupportedResponseType => "response_type must be code".into(),
            Self::SlowDown => "too many attempts; wait and retry".into(),
            Self::TemporarilyUnavailable => "the server is temporarily unavailable".into(),
            Self::ServerError => "the server could not complete the request".into(),
        }
    }
}

impl From<CoreError> for OAuthError {
    fn from(e: CoreError) -> Self {
        match e {
            CoreError::Unavailable(_) => OAuthError::TemporarilyUnavailable,
            CoreError::Invalid(m) => OAuthError::InvalidRequest(m),
            _ => OAuthError::ServerError,
        }
    }
}

#[async_trait]
pub trait ProfileAdapter: Send + Sync {
    fn profile(&self) -> Profile;

    /// The `aud` claim of a token issued to `client` (for `person_id` when 3-legged).
    /// KFTC: the client_use_code, or the person's user_seq_no.
    async fn audience(
        &self,
        client: &Client,
        person_id: Option<&str>,
    ) -> Result<String, CoreError> {
        let _ = person_id;
        Ok(client.client_id.clone())
    }

    /// Fields added to a successful token response (KFTC: `user_seq_no`, `client_use_code`).
    async fn token_extras(
        &self,
        client: &Client,
        claims: &AccessClaims,
    ) -> Result<Map<String, Value>, CoreError> {
        let _ = (client, claims);
        Ok(Map::new())
    }

    /// What the person's consent sets up in this standard before the code is
    /// issued (KFTC: 사용자인증 registers the chosen accounts and gives them
    /// fintech_use_nums, so `user/me` lists them after the token exchange).
    async fn on_consent(&self, client: &Client, grant: &crate::Grant) -> Result<(), CoreError> {
        let _ = (client, grant);
        Ok(())
    }

    /// Render an error of the token or revoke endpoint in this standard's envelope.
    fn error_response(&self, err: &OAuthError) -> Response {
        crate::profile::rfc6749_error(err)
    }

    /// The answer to a successful revoke (RFC 7009: 200 and no content to
    /// speak of; KFTC: its `rsp_code` envelope).
    fn revoke_response(&self) -> Response {
        crate::profile::revoke_ok()
    }

    /// Extra fields for a newly created client (KFTC: its contract account,
    /// `cntr_account_num`, `cntr_bank_code_std`, `wd_pass_phrase`), created
    /// when the sandbox registers the client.
    async fn provision_client(&self, client: &Client) -> Result<Map<String, Value>, CoreError> {
        let _ = client;
        Ok(Map::new())
    }

    /// Scopes a 2-legged (client_credentials) token may carry; None allows any
    /// of the client's scopes. KFTC allows only `oob` and `sa`: user scopes
    /// need the user's own authorization.
    fn client_credentials_scopes(&self) -> Option<&'static [&'static str]> {
        None
    }

    /// The organisation code to give a new client of this profile when none
    /// is supplied (KFTC: a client_use_code like `M202600001`).
    fn new_org_code(&self, seq: u64) -> String {
        format!(
            "{}{:07}",
            &self.profile().as_str()[..3].to_uppercase(),
            seq % 10_000_000
        )
    }
}

/// The adapters the assembly registered, by profile.
#[derive(Clone, Default)]
pub struct Profiles {
    adapters: HashMap<Profile, Arc<dyn ProfileAdapter>>,
}

impl Profiles {
    pub fn with(mut self, adapter: Arc<dyn ProfileAdapter>) -> Self {
        self.adapters.insert(adapter.profile(), adapter);
        self
    }
    pub fn get(&self, p: Profile) -> Option<&Arc<dyn ProfileAdapter>> {
        self.adapters.get(&p)
    }
}

/// The plain RFC 6749 JSON error, with 400 (401 for invalid_client).
pub fn rfc6749_error(err: &OAuthError) -> Response {
    use axum::http::{header, StatusCode};
    use axum::response::IntoResponse;
    let status = match err {
        OAuthError::InvalidClient => StatusCode::UNAUTHORIZED,
        OAuthError::ServerError => StatusCode::INTERNAL_SERVER_ERROR,
        OAuthError::TemporarilyUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        OAuthError::SlowDown => StatusCode::TOO_MANY_REQUESTS,
        _ => StatusCode::BAD_REQUEST,
    };
    let body = serde_json::json!({"error": err.code(), "error_description": err.description()});
    let mut res = (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        axum::Json(body),
    )
        .into_response();
    // RFC 6749 §5.2: a 401 names the authentication scheme.
    if status == StatusCode::UNAUTHORIZED {
        res.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Basic realm=\"finhub\""),
        );
    }
    res
}

/// RFC 7009 §2.2: 200 whether or not the token was known.
pub fn revoke_ok() -> Response {
    use axum::http::{header, StatusCode};
    use axum::response::IntoResponse;
    (
        StatusCode::OK,
        [(header::CACHE_CONTROL, "no-store")],
        axum::Json(serde_json::json!({})),
    )
        .into_response()
}

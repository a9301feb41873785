//! The errors of the token and revoke endpoints, and their plain RFC 6749
//! and RFC 7009 renderings (the default of every profile's envelope).

use axum::response::Response;
use finhub_core::CoreError;

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
    /// The person may not give this consent (MyData: not the CI the operator named).
    #[error("unauthorized_user: {0}")]
    UnauthorizedUser(String),
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
            Self::UnauthorizedUser(_) => "unauthorized_user",
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
            | Self::UnauthorizedUser(d)
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

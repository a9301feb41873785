//! The sandbox's one error envelope, `{"error": "<code>", "message": "..."}`,
//! and the mapping from the core's errors and axum's rejections.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use finhub_core::CoreError;

#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("{0}")]
    BadRequest(String),
    #[error("a valid admin key is required: Authorization: Bearer <admin key>")]
    Unauthorized,
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("the request body is too large")]
    PayloadTooLarge,
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{0}")]
    Unprocessable(String),
    #[error("the store is unavailable; retry")]
    Unavailable,
    #[error("the server could not complete the request")]
    Internal,
}

impl SandboxError {
    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::BadRequest(_) => "bad_request",
            Self::Unauthorized => "unauthorized",
            Self::NotFound(_) => "not_found",
            Self::Conflict(_) => "conflict",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedMediaType(_) => "unsupported_media_type",
            Self::Unprocessable(_) => "invalid_field",
            Self::Unavailable => "unavailable",
            Self::Internal => "internal",
        }
    }

    pub fn invalid(msg: impl Into<String>) -> Self {
        Self::Unprocessable(msg.into())
    }
}

impl IntoResponse for SandboxError {
    fn into_response(self) -> Response {
        let mut resp = finhub_http::json_error(self.status(), self.code(), self.to_string());
        if matches!(self, Self::Unauthorized) {
            resp.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer realm=\"finhub-sandbox\""),
            );
        }
        resp
    }
}

impl From<CoreError> for SandboxError {
    fn from(e: CoreError) -> Self {
        match e {
            CoreError::NotFound(what) => Self::NotFound(format!("{what} not found")),
            CoreError::Invalid(m) => Self::Unprocessable(m),
            CoreError::Conflict(c) => Self::Conflict(conflict_message(&c)),
            CoreError::IdempotencyMismatch => {
                Self::Conflict("idempotency key reused with different content".into())
            }
            CoreError::Rejected(r) => Self::Unprocessable(format!("rejected: {r:?}")),
            CoreError::Unavailable(m) => {
                tracing::warn!(error = %m, "store unavailable");
                Self::Unavailable
            }
            CoreError::Internal(m) => {
                tracing::error!(error = %m, "internal error");
                Self::Internal
            }
        }
    }
}

/// Name what clashed without echoing database text.
fn conflict_message(constraint: &str) -> String {
    match constraint {
        "people_ci_key" => "a person with this ci exists already".into(),
        "people_phone_key" => "a person with this phone number exists already".into(),
        "accounts_number_key" => "an account with this number exists already".into(),
        other => format!("duplicate ({other})"),
    }
}

/// axum's JSON rejections keep their status (400 syntax, 415 content type,
/// 422 data, 413 size) but answer in the envelope.
impl From<JsonRejection> for SandboxError {
    fn from(r: JsonRejection) -> Self {
        match r.status() {
            StatusCode::PAYLOAD_TOO_LARGE => Self::PayloadTooLarge,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                Self::UnsupportedMediaType("expected Content-Type: application/json".into())
            }
            StatusCode::UNPROCESSABLE_ENTITY => Self::Unprocessable(r.body_text()),
            _ => Self::BadRequest(r.body_text()),
        }
    }
}

impl From<QueryRejection> for SandboxError {
    fn from(r: QueryRejection) -> Self {
        Self::BadRequest(r.body_text())
    }
}

impl From<PathRejection> for SandboxError {
    fn from(r: PathRejection) -> Self {
        Self::BadRequest(r.body_text())
    }
}

//! The face's one error: a code of the catalogue, with the field it names.
//! Every error answer is `{"response": {code, description}}`, never
//! encrypted (the transport adds the correlation id).

use crate::codes::{self, Code};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use finhub_core::konaplate::Refusal;
use serde_json::json;

#[derive(Debug, Clone)]
pub struct KonaError {
    pub code: Code,
    pub detail: Option<String>,
}

pub type KonaResult<T> = Result<T, KonaError>;

impl KonaError {
    pub fn new(code: Code) -> Self {
        KonaError { code, detail: None }
    }
    pub fn with(code: Code, detail: impl Into<String>) -> Self {
        KonaError {
            code,
            detail: Some(detail.into()),
        }
    }
    pub fn description(&self) -> String {
        match &self.detail {
            Some(d) => format!("{} {d}", self.code.message),
            None => self.code.message.to_owned(),
        }
    }
}

impl From<Refusal> for KonaError {
    fn from(r: Refusal) -> Self {
        if let Refusal::Store(e) = &r {
            tracing::error!(error = %e, "konaplate: store error");
        }
        let (code, field) = codes::of(&r);
        KonaError {
            code,
            detail: field.map(str::to_owned),
        }
    }
}

impl From<finhub_core::CoreError> for KonaError {
    fn from(e: finhub_core::CoreError) -> Self {
        Refusal::Store(e).into()
    }
}

impl IntoResponse for KonaError {
    fn into_response(self) -> Response {
        let body = json!({"response": {"code": self.code.code, "description": self.description()}});
        (self.code.status, Json(body)).into_response()
    }
}

/// How a refusal of the shell (413, 408, 504, 500) looks in this face.
pub fn shell_error(status: StatusCode, _message: &str) -> Response {
    let code = match status {
        StatusCode::PAYLOAD_TOO_LARGE => Code {
            status,
            ..codes::INVALID
        },
        StatusCode::NOT_FOUND => codes::NOT_FOUND,
        s if s.is_server_error() => Code {
            status: s,
            ..codes::INTERNAL
        },
        s => Code {
            status: s,
            ..codes::INVALID
        },
    };
    KonaError::new(code).into_response()
}

/// Every answer's `response` object (the schema of the documents).
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Outcome {
    /// `000_000` on success, else the `GGG_NNN` code.
    pub code: String,
    pub description: String,
}

/// The error body: only `response`.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Envelope {
    pub response: Outcome,
}

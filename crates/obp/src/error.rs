//! The face's one error type: OBP's `{"code": <status>, "message":
//! "OBP-NNNNN: ..."}`, from the service's refusals, the store's failures and
//! the shell's own refusals.

use crate::codes::{self, Code};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use finhub_core::obp::Refusal;
use finhub_core::CoreError;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObpError {
    pub status: StatusCode,
    pub message: String,
}

pub type ObpResult<T> = Result<T, ObpError>;

/// OBP's error body.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// The HTTP status of the answer.
    pub code: u16,
    /// `OBP-NNNNN: ` and the text, often with context appended.
    pub message: String,
}

impl ObpError {
    /// The code's own text and status.
    pub fn new(code: Code) -> ObpError {
        ObpError {
            status: code.status(),
            message: format!("{}: {}", code.code, code.text),
        }
    }

    /// Context appended to the code's text (`Current BankId is X`).
    pub fn more(mut self, suffix: impl AsRef<str>) -> ObpError {
        self.message.push_str(suffix.as_ref());
        self
    }

    pub fn at(mut self, status: StatusCode) -> ObpError {
        self.status = status;
        self
    }

    /// A message OBP raises without a code: OBP masks it as OBP-50005
    /// (`display_internal_errors=false`); finhub keeps the text after it.
    pub fn uncoded(status: StatusCode, text: &str) -> ObpError {
        ObpError::new(codes::UNSPECIFIED)
            .at(status)
            .more(format!(" {text}"))
    }

    /// OBP-10001 naming the body type it expected.
    pub fn json(type_name: &str) -> ObpError {
        ObpError::new(codes::INVALID_JSON)
            .more(format!(" The Json body should be the {type_name} "))
    }

    pub fn bank_not_found(bank_id: &str) -> ObpError {
        ObpError::new(codes::BANK_NOT_FOUND).more(format!(" Current BankId is {bank_id}"))
    }

    pub fn customer_not_found(customer_id: &str) -> ObpError {
        ObpError::new(codes::CUSTOMER_NOT_FOUND)
            .more(format!(". Current CustomerId({customer_id})"))
    }

    pub fn user_not_found(user_id: &str) -> ObpError {
        ObpError::new(codes::USER_NOT_FOUND).more(format!(" Current USER_ID({user_id})"))
    }

    /// Has this message OBP's code `code` (bare or chained)?
    pub fn has(&self, code: Code) -> bool {
        self.message.contains(code.code)
    }
}

impl IntoResponse for ObpError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            code: self.status.as_u16(),
            message: self.message,
        };
        let login = body.message.contains(codes::NOT_LOGGED_IN.code);
        let mut resp = (self.status, Json(body)).into_response();
        if login {
            resp.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(
                    "OAuth realm=\"finhub\", Bearer realm=\"finhub\", DirectLogin realm=\"finhub\"",
                ),
            );
        }
        resp
    }
}

impl From<CoreError> for ObpError {
    fn from(e: CoreError) -> ObpError {
        match e {
            CoreError::Invalid(m) => ObpError::new(codes::INVALID_JSON).more(format!(" {m}")),
            CoreError::NotFound(what) => {
                ObpError::new(codes::CONNECTOR).more(format!(" No {what}."))
            }
            CoreError::Unavailable(_) => {
                ObpError::new(codes::UNKNOWN).at(StatusCode::SERVICE_UNAVAILABLE)
            }
            other => {
                tracing::error!(error = %other, "OBP request failed in the store");
                ObpError::new(codes::UNKNOWN).at(StatusCode::INTERNAL_SERVER_ERROR)
            }
        }
    }
}

/// The usual code of each refusal; a handler names a different one where
/// its endpoint's reference does (OBP-20057 for an unknown link user).
impl From<Refusal> for ObpError {
    fn from(r: Refusal) -> ObpError {
        match r {
            Refusal::UsernameTaken => ObpError::uncoded(
                StatusCode::CONFLICT,
                "User with the same username already exists.",
            ),
            Refusal::WeakPassword => ObpError::new(codes::WEAK_PASSWORD),
            Refusal::UnknownUser => ObpError::new(codes::USER_NOT_FOUND),
            Refusal::UnknownConsumer => ObpError::new(codes::INVALID_CONSUMER),
            Refusal::BadCredentials => ObpError::new(codes::BAD_CREDENTIALS),
            Refusal::EntitlementHeld => ObpError::new(codes::ENTITLEMENT_HELD),
            Refusal::CustomerNumberTaken => ObpError::new(codes::CUSTOMER_NUMBER_TAKEN),
            Refusal::AlreadyLinked => ObpError::new(codes::ALREADY_LINKED),
            Refusal::AccountIdTaken => ObpError::new(codes::ACCOUNT_ID_TAKEN),
            Refusal::RoutingTaken => ObpError::new(codes::ROUTING_TAKEN),
            Refusal::NotFound("customer") => ObpError::new(codes::CUSTOMER_NOT_FOUND),
            Refusal::NotFound(what) => ObpError::new(codes::CONNECTOR).more(format!(" No {what}.")),
            Refusal::Invalid(m) => ObpError::new(codes::INVALID_JSON).more(format!(" {m}")),
            Refusal::Store(e) => e.into(),
        }
    }
}

/// How a refusal of the shell (413, 408, 504, 500) looks in OBP.
pub fn shell_error(status: StatusCode, message: &str) -> Response {
    ObpError::new(codes::UNKNOWN)
        .at(status)
        .more(format!(" {message}"))
        .into_response()
}

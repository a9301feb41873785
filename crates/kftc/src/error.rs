//! The face's one error type, rendered as KFTC does: HTTP 200 with the
//! envelope and a non-A0000 rsp_code; gateway (O-code) errors carry only
//! rsp_code and rsp_message.

use crate::codes::{BankRsp, Rsp};
use crate::format::dtm17;
use crate::wire::{BankPart, Envelope, GatewayError};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use finhub_core::ledger::Rejection;
use finhub_core::CoreError;

#[derive(Debug, Clone, thiserror::Error)]
#[error("{} {:?}", rsp.code(), detail)]
pub struct KftcError {
    pub rsp: Rsp,
    /// Shown in brackets after the base message.
    pub detail: Option<String>,
    /// The bank_* group, for bank-level failures.
    pub bank: Option<Box<BankPart>>,
}

pub type KResult<T> = Result<T, KftcError>;

tokio::task_local! {
    /// The world's clock for the request being answered, so error envelopes
    /// are stamped with the same (possibly moved) time as successes.
    pub(crate) static CLOCK: finhub_core::clock::Clock;
}

fn now() -> chrono::DateTime<chrono::Utc> {
    CLOCK
        .try_with(|c| c.now())
        .unwrap_or_else(|_| chrono::Utc::now())
}

impl KftcError {
    pub fn new(rsp: Rsp) -> Self {
        KftcError {
            rsp,
            detail: None,
            bank: None,
        }
    }
    pub fn detail(rsp: Rsp, detail: impl Into<String>) -> Self {
        KftcError {
            rsp,
            detail: Some(detail.into()),
            bank: None,
        }
    }
    /// A request format error naming what is wrong.
    pub fn format(detail: impl Into<String>) -> Self {
        Self::detail(Rsp::A0004, detail)
    }
    /// A participating bank refused (A0002 with its bank_rsp_code).
    pub fn bank(bank: BankRsp, bank_code: &str, bank_tran_id: &str, date: &str) -> Self {
        KftcError {
            rsp: Rsp::A0002,
            detail: None,
            bank: Some(Box::new(BankPart::new(bank_code, bank_tran_id, date, bank))),
        }
    }
    pub fn message(&self) -> String {
        match &self.detail {
            Some(d) if self.rsp == Rsp::O0001 => format!("{}([{d}])", self.rsp.message()),
            Some(d) => format!("{} [{d}]", self.rsp.message()),
            None => self.rsp.message().to_owned(),
        }
    }
}

/// A core failure that reached the edge: a store outage or a bug, never the
/// caller's fault; answered as KFTC's internal error, never a 500.
impl From<CoreError> for KftcError {
    fn from(e: CoreError) -> Self {
        match e {
            CoreError::Invalid(m) => KftcError::format(m),
            CoreError::IdempotencyMismatch => KftcError::new(Rsp::A0326),
            CoreError::Rejected(Rejection::ZeroAmount) => KftcError::format("tran_amt"),
            other => {
                tracing::error!(error = %other, "kftc: internal error");
                KftcError::new(Rsp::A0003)
            }
        }
    }
}

/// An error answer: the envelope, then the bank_* group when a bank refused.
#[derive(serde::Serialize)]
struct ErrorBody {
    #[serde(flatten)]
    env: Envelope,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    bank: Option<Box<BankPart>>,
}

impl IntoResponse for KftcError {
    fn into_response(self) -> Response {
        let message = self.message();
        if self.rsp.is_gateway() {
            return Json(GatewayError {
                rsp_code: self.rsp.code().to_owned(),
                rsp_message: message,
            })
            .into_response();
        }
        let env = Envelope {
            api_tran_id: crate::wire::new_api_tran_id(),
            api_tran_dtm: dtm17(now()),
            rsp_code: self.rsp.code().to_owned(),
            rsp_message: message,
        };
        Json(ErrorBody {
            env,
            bank: self.bank,
        })
        .into_response()
    }
}

/// The face's envelope for a refusal the HTTP shell makes before or around
/// a handler (body too large or too slow, timeout, panic): the shell's status
/// stays, the body is KFTC's, A0004 for the request's fault, A0003 for ours.
pub fn shell_error(status: StatusCode, message: &str) -> Response {
    let rsp = if status.is_server_error() {
        Rsp::A0003
    } else {
        Rsp::A0004
    };
    let mut resp = KftcError::detail(rsp, message).into_response();
    *resp.status_mut() = status;
    resp
}

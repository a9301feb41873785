//! The face's one error type: `{"rsp_code","rsp_msg"}` with the HTTP status
//! the code implies. Core errors are mapped here, once.

use crate::codes::Rsp;
use crate::wire::Head;
use axum::response::{IntoResponse, Response};
use axum::Json;
use finhub_core::CoreError;

#[derive(Debug, Clone, thiserror::Error)]
#[error("{} {}", rsp.code(), msg)]
pub struct MydataError {
    pub rsp: Rsp,
    pub msg: String,
}

pub type MResult<T> = Result<T, MydataError>;

impl MydataError {
    pub fn new(rsp: Rsp) -> Self {
        MydataError {
            rsp,
            msg: rsp.message().to_owned(),
        }
    }
    /// The code's message with what exactly is wrong.
    pub fn detail(rsp: Rsp, detail: impl std::fmt::Display) -> Self {
        MydataError {
            rsp,
            msg: format!("{}({detail})", rsp.message()),
        }
    }
    /// 40001 naming the parameter.
    pub fn param(detail: impl std::fmt::Display) -> Self {
        Self::detail(Rsp::BadParam, detail)
    }
}

impl From<CoreError> for MydataError {
    fn from(e: CoreError) -> Self {
        match e {
            CoreError::NotFound(what) => MydataError::detail(Rsp::NoAsset, what),
            CoreError::Invalid(m) => MydataError::param(m),
            other => {
                tracing::error!(error = %other, "mydata request failed");
                MydataError::new(Rsp::System)
            }
        }
    }
}

impl IntoResponse for MydataError {
    fn into_response(self) -> Response {
        let head = Head {
            rsp_code: self.rsp.code().into(),
            rsp_msg: self.msg,
        };
        (self.rsp.status(), Json(head)).into_response()
    }
}

/// How a refusal of the shell (413, 408, 504, 500) looks in this face.
pub fn shell_error(status: axum::http::StatusCode, message: &str) -> Response {
    use axum::http::StatusCode as S;
    let rsp = match status {
        S::PAYLOAD_TOO_LARGE | S::REQUEST_TIMEOUT => Rsp::BadParam,
        S::NOT_FOUND => Rsp::NoEndpoint,
        S::METHOD_NOT_ALLOWED => Rsp::MethodNotAllowed,
        S::GATEWAY_TIMEOUT => return timeout(message),
        _ => Rsp::System,
    };
    let mut r = MydataError::detail(rsp, message).into_response();
    if rsp == Rsp::BadParam {
        *r.status_mut() = status;
    }
    r
}

fn timeout(message: &str) -> Response {
    let head = Head {
        rsp_code: "50003".into(),
        rsp_msg: format!("처리 시간 초과({message})"),
    };
    (axum::http::StatusCode::GATEWAY_TIMEOUT, Json(head)).into_response()
}

//! The face's one error type: `{code, message}` (plus `missingConsentType`
//! with CONSENT_REQUIRED), from the registry's refusals, the store's
//! failures and the shell's own refusals.

use crate::codes::Code;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use finhub_core::oris::terms::TermType;
use finhub_core::oris::Refusal;
use finhub_core::CoreError;
use serde::Serialize;
use std::borrow::Cow;

#[derive(Debug, Clone)]
pub struct OrisError {
    pub code: Code,
    pub message: Cow<'static, str>,
    pub missing: Option<TermType>,
    /// The code's own status unless a framework refusal says otherwise.
    pub status: Option<StatusCode>,
}

pub type OrisResult<T> = Result<T, OrisError>;

/// The registry's error body.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    pub code: &'static str,
    pub message: String,
    /// Only with CONSENT_REQUIRED: 개인정보제3자제공 or 개인정보보호서약서.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing_consent_type: Option<&'static str>,
}

impl OrisError {
    pub fn new(code: Code) -> OrisError {
        OrisError {
            code,
            message: Cow::Borrowed(code.message()),
            missing: None,
            status: None,
        }
    }

    pub fn with(code: Code, message: impl Into<Cow<'static, str>>) -> OrisError {
        OrisError {
            message: message.into(),
            ..OrisError::new(code)
        }
    }

    /// INVALID_REQUEST saying what was wrong.
    pub fn invalid(message: impl Into<Cow<'static, str>>) -> OrisError {
        OrisError::with(Code::InvalidRequest, message)
    }

    /// BAD_REQUEST with one of Spring's messages.
    pub fn bad(message: impl Into<Cow<'static, str>>) -> OrisError {
        OrisError::with(Code::BadRequest, message)
    }

    pub fn consent_required(t: TermType) -> OrisError {
        OrisError {
            missing: Some(t),
            ..OrisError::with(
                Code::ConsentRequired,
                format!("Consent is required for {}", t.code()),
            )
        }
    }

    pub fn status(&self) -> StatusCode {
        self.status.unwrap_or_else(|| self.code.status())
    }

    pub fn at(mut self, status: StatusCode) -> OrisError {
        self.status = Some(status);
        self
    }
}

impl IntoResponse for OrisError {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = ErrorBody {
            code: self.code.as_str(),
            message: self.message.into_owned(),
            missing_consent_type: self.missing.map(TermType::code),
        };
        (status, Json(body)).into_response()
    }
}

impl From<CoreError> for OrisError {
    fn from(e: CoreError) -> OrisError {
        match e {
            CoreError::Unavailable(_) => OrisError::with(
                Code::Error,
                "The registry is temporarily unavailable; retry.",
            )
            .at(StatusCode::SERVICE_UNAVAILABLE),
            CoreError::Invalid(m) => OrisError::invalid(m),
            e => {
                tracing::error!(error = %e, "ORIS request failed");
                OrisError::new(Code::Error)
            }
        }
    }
}

impl From<Refusal> for OrisError {
    fn from(r: Refusal) -> OrisError {
        match r {
            Refusal::Invalid(m) => OrisError::invalid(m),
            Refusal::Conflict(m) => OrisError::invalid(m).at(StatusCode::CONFLICT),
            Refusal::ConsentRequired(t) => OrisError::consent_required(t),
            Refusal::Store(e) => e.into(),
            r => OrisError::new(code_of(&r)),
        }
    }
}

/// The published code of each refusal.
fn code_of(r: &Refusal) -> Code {
    use Refusal as R;
    match r {
        R::Invalid(_) | R::Conflict(_) => Code::InvalidRequest,
        R::Unauthorized => Code::Unauthorized,
        R::Forbidden => Code::Forbidden,
        R::SessionEnded => Code::AccessTokenInvalid,
        R::SessionExpired => Code::AccessTokenExpired,
        R::ScopeMissing => Code::AccessTokenNotEnoughPermission,
        R::AgencyNotFound => Code::AgencyNotFound,
        R::AgencyNotActive => Code::AgencyNotActive,
        R::AgencyNotApproved => Code::AgencyNotApproved,
        R::AgencyNotMatch => Code::AgencyNotMatch,
        R::AgencyAccessDenied => Code::AgencyAccessDenied,
        R::AgencyCodeDuplicated => Code::AgencyCodeDuplicated,
        R::MemberNotFound => Code::MemberNotFound,
        R::MemberNotActive => Code::MemberNotActive,
        R::MemberNotMatch => Code::MemberNotMatch,
        R::PasswordNotMatch => Code::MemberPasswordNotMatch,
        R::EmailDuplicated => Code::MemberEmailDuplicated,
        R::PasswordReset => Code::MemberPasswordReset,
        R::PasswordResetWithOld => Code::MemberPasswordResetWithOld,
        R::PasswordFormat => Code::MemberPasswordInvalidFormat,
        R::PasswordFailLimit => Code::MemberPasswordFailLimitExceeded,
        R::PasswordExpired => Code::MemberPasswordExpired,
        R::AccountLocked => Code::MemberAccountLocked,
        R::PasswordReused => Code::MemberPasswordReused,
        R::MemberAccessDenied => Code::MemberAccessDenied,
        R::ApiKeyNotFound => Code::ApiKeyNotFound,
        R::UserNotFound => Code::UserNotFound,
        R::UserNotActive => Code::UserNotActive,
        R::AccountNotFound => Code::AccountNotFound,
        R::RemittanceNotFound => Code::RemittanceNotFound,
        R::RemittanceExists => Code::RemittanceAlreadyExists,
        R::RemittanceCanceled => Code::RemittanceAlreadyCanceled,
        R::YearMismatch => Code::RemittanceAccountYearMismatch,
        R::ThreadNotFound => Code::ThreadNotFound,
        R::ThreadAccessDenied => Code::ThreadAccessDenied,
        R::PostNotFound => Code::PostNotFound,
        R::PostAccessDenied => Code::PostAccessDenied,
        R::CommentNotFound => Code::CommentNotFound,
        R::CommentAccessDenied => Code::CommentAccessDenied,
        R::FileNotFound => Code::FileNotFound,
        R::FileAccessDenied => Code::FileAccessDenied,
        R::FileAttached => Code::FileAlreadyAttached,
        R::FileDeleteFailed => Code::FileDeleteFailed,
        R::TermNotFound => Code::TermNotFound,
        R::TermCannotUpdate => Code::TermCannotUpdate,
        R::TermCannotDelete => Code::TermCannotDelete,
        R::TermCannotSetDate => Code::TermCannotSetInitiationDate,
        R::TermCannotWithdrawDate => Code::TermCannotWithdrawInitiationDate,
        R::TermTypeNotFound => Code::TermTypeNotFound,
        R::ConsentRequired(_) => Code::ConsentRequired,
        R::ConsentNotFound => Code::ConsentNotFound,
        R::ConsentNotMatch => Code::ConsentNotMatch,
        R::GroupNotFound => Code::GroupNotFound,
        R::GroupUpdateForbidden => Code::GroupUpdateForbidden,
        R::GroupDeleteForbidden => Code::GroupDeleteForbidden,
        R::BatchNotFound => Code::BatchNotFound,
        R::BatchChunkNotFound => Code::BatchChunkNotFound,
        R::Store(_) => Code::Error,
    }
}

/// How a refusal of the shell (413, 408, 404, 405, 504, 500) looks here.
pub fn shell_error(status: StatusCode, message: &str) -> Response {
    let code = match status {
        s if s.is_client_error() => Code::BadRequest,
        _ => Code::Error,
    };
    OrisError::with(code, message.to_owned())
        .at(status)
        .into_response()
}

//! The registry's published error codes, one catalogue, typed until
//! rendered: each code's wire word, HTTP status and default message.
//! Statuses follow oris-remittance.md §4 (seen where the guide shows them;
//! the lock codes 423, as oris-sandbox.md fixes).

use axum::http::StatusCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Code {
    Error,
    BadRequest,
    InvalidRequest,
    Unauthorized,
    Forbidden,
    AccessTokenRequired,
    AccessTokenExpired,
    AccessTokenInvalid,
    AccessTokenNotEnoughPermission,
    AgencyNotFound,
    AgencyNotActive,
    AgencyNotApproved,
    AgencyNotMatch,
    AgencyAccessDenied,
    AgencyCodeDuplicated,
    MemberNotFound,
    MemberNotActive,
    MemberNotMatch,
    MemberPasswordNotMatch,
    MemberEmailDuplicated,
    MemberPasswordReset,
    MemberPasswordResetWithOld,
    MemberPasswordInvalidFormat,
    MemberPasswordFailLimitExceeded,
    MemberPasswordExpired,
    MemberAccountLocked,
    MemberPasswordReused,
    MemberAccessDenied,
    ApiKeyNotFound,
    UserNotFound,
    UserNotActive,
    AccountNotFound,
    RemittanceNotFound,
    RemittanceAlreadyExists,
    RemittanceAlreadyCanceled,
    RemittanceAccountYearMismatch,
    ThreadNotFound,
    ThreadAccessDenied,
    PostNotFound,
    PostAccessDenied,
    CommentNotFound,
    CommentAccessDenied,
    FileNotFound,
    FileAccessDenied,
    FileAlreadyAttached,
    FileDeleteFailed,
    TermNotFound,
    TermCannotUpdate,
    TermCannotDelete,
    TermCannotSetInitiationDate,
    TermCannotWithdrawInitiationDate,
    TermTypeNotFound,
    ConsentRequired,
    ConsentNotFound,
    ConsentNotMatch,
    GroupNotFound,
    GroupUpdateForbidden,
    GroupDeleteForbidden,
    BatchNotFound,
    BatchChunkNotFound,
}

impl Code {
    /// Every code, in the guide's order.
    pub const ALL: [Code; 60] = [
        Code::Error,
        Code::BadRequest,
        Code::InvalidRequest,
        Code::Unauthorized,
        Code::Forbidden,
        Code::AccessTokenRequired,
        Code::AccessTokenExpired,
        Code::AccessTokenInvalid,
        Code::AccessTokenNotEnoughPermission,
        Code::AgencyNotFound,
        Code::AgencyNotActive,
        Code::AgencyNotApproved,
        Code::AgencyNotMatch,
        Code::AgencyAccessDenied,
        Code::AgencyCodeDuplicated,
        Code::MemberNotFound,
        Code::MemberNotActive,
        Code::MemberNotMatch,
        Code::MemberPasswordNotMatch,
        Code::MemberEmailDuplicated,
        Code::MemberPasswordReset,
        Code::MemberPasswordResetWithOld,
        Code::MemberPasswordInvalidFormat,
        Code::MemberPasswordFailLimitExceeded,
        Code::MemberPasswordExpired,
        Code::MemberAccountLocked,
        Code::MemberPasswordReused,
        Code::MemberAccessDenied,
        Code::ApiKeyNotFound,
        Code::UserNotFound,
        Code::UserNotActive,
        Code::AccountNotFound,
        Code::RemittanceNotFound,
        Code::RemittanceAlreadyExists,
        Code::RemittanceAlreadyCanceled,
        Code::RemittanceAccountYearMismatch,
        Code::ThreadNotFound,
        Code::ThreadAccessDenied,
        Code::PostNotFound,
        Code::PostAccessDenied,
        Code::CommentNotFound,
        Code::CommentAccessDenied,
        Code::FileNotFound,
        Code::FileAccessDenied,
        Code::FileAlreadyAttached,
        Code::FileDeleteFailed,
        Code::TermNotFound,
        Code::TermCannotUpdate,
        Code::TermCannotDelete,
        Code::TermCannotSetInitiationDate,
        Code::TermCannotWithdrawInitiationDate,
        Code::TermTypeNotFound,
        Code::ConsentRequired,
        Code::ConsentNotFound,
        Code::ConsentNotMatch,
        Code::GroupNotFound,
        Code::GroupUpdateForbidden,
        Code::GroupDeleteForbidden,
        Code::BatchNotFound,
        Code::BatchChunkNotFound,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::Error => "ERROR",
            Code::BadRequest => "BAD_REQUEST",
            Code::InvalidRequest => "INVALID_REQUEST",
            Code::Unauthorized => "UNAUTHORIZED",
            Code::Forbidden => "FORBIDDEN",
            Code::AccessTokenRequired => "ACCESS_TOKEN_REQUIRED",
            Code::AccessTokenExpired => "ACCESS_TOKEN_EXPIRED",
            Code::AccessTokenInvalid => "ACCESS_TOKEN_INVALID",
            Code::AccessTokenNotEnoughPermission => "ACCESS_TOKEN_NOT_ENOUGH_PERMISSION",
            Code::AgencyNotFound => "AGENCY_NOT_FOUND",
            Code::AgencyNotActive => "AGENCY_NOT_ACTIVE",
            Code::AgencyNotApproved => "AGENCY_NOT_APPROVED",
            Code::AgencyNotMatch => "AGENCY_NOT_MATCH",
            Code::AgencyAccessDenied => "AGENCY_ACCESS_DENIED",
            Code::AgencyCodeDuplicated => "AGENCY_CODE_DUPLICATED",
            Code::MemberNotFound => "MEMBER_NOT_FOUND",
            Code::MemberNotActive => "MEMBER_NOT_ACTIVE",
            Code::MemberNotMatch => "MEMBER_NOT_MATCH",
            Code::MemberPasswordNotMatch => "MEMBER_PASSWORD_NOT_MATCH",
            Code::MemberEmailDuplicated => "MEMBER_EMAIL_DUPLICATED",
            Code::MemberPasswordReset => "MEMBER_PASSWORD_RESET",
            Code::MemberPasswordResetWithOld => "MEMBER_PASSWORD_RESET_WITH_OLD",
            Code::MemberPasswordInvalidFormat => "MEMBER_PASSWORD_INVALID_FORMAT",
            Code::MemberPasswordFailLimitExceeded => "MEMBER_PASSWORD_FAIL_LIMIT_EXCEEDED",
            Code::MemberPasswordExpired => "MEMBER_PASSWORD_EXPIRED",
            Code::MemberAccountLocked => "MEMBER_ACCOUNT_LOCKED",
            Code::MemberPasswordReused => "MEMBER_PASSWORD_REUSED",
            Code::MemberAccessDenied => "MEMBER_ACCESS_DENIED",
            Code::ApiKeyNotFound => "API_KEY_NOT_FOUND",
            Code::UserNotFound => "USER_NOT_FOUND",
            Code::UserNotActive => "USER_NOT_ACTIVE",
            Code::AccountNotFound => "ACCOUNT_NOT_FOUND",
            Code::RemittanceNotFound => "REMITTANCE_NOT_FOUND",
            Code::RemittanceAlreadyExists => "REMITTANCE_ALREADY_EXISTS",
            Code::RemittanceAlreadyCanceled => "REMITTANCE_ALREADY_CANCELED",
            Code::RemittanceAccountYearMismatch => "REMITTANCE_ACCOUNT_YEAR_MISMATCH",
            Code::ThreadNotFound => "THREAD_NOT_FOUND",
            Code::ThreadAccessDenied => "THREAD_ACCESS_DENIED",
            Code::PostNotFound => "POST_NOT_FOUND",
            Code::PostAccessDenied => "POST_ACCESS_DENIED",
            Code::CommentNotFound => "COMMENT_NOT_FOUND",
            Code::CommentAccessDenied => "COMMENT_ACCESS_DENIED",
            Code::FileNotFound => "FILE_NOT_FOUND",
            Code::FileAccessDenied => "FILE_ACCESS_DENIED",
            Code::FileAlreadyAttached => "FILE_ALREADY_ATTACHED",
            Code::FileDeleteFailed => "FILE_DELETE_FAILED",
            Code::TermNotFound => "TERM_NOT_FOUND",
            Code::TermCannotUpdate => "TERM_CANNOT_UPDATE",
            Code::TermCannotDelete => "TERM_CANNOT_DELETE",
            Code::TermCannotSetInitiationDate => "TERM_CANNOT_SET_INITIATION_DATE",
            Code::TermCannotWithdrawInitiationDate => "TERM_CANNOT_WITHDRAW_INITIATION_DATE",
            Code::TermTypeNotFound => "TERM_TYPE_NOT_FOUND",
            Code::ConsentRequired => "CONSENT_REQUIRED",
            Code::ConsentNotFound => "CONSENT_NOT_FOUND",
            Code::ConsentNotMatch => "CONSENT_NOT_MATCH",
            Code::GroupNotFound => "GROUP_NOT_FOUND",
            Code::GroupUpdateForbidden => "GROUP_UPDATE_FORBIDDEN",
            Code::GroupDeleteForbidden => "GROUP_DELETE_FORBIDDEN",
            Code::BatchNotFound => "BATCH_NOT_FOUND",
            Code::BatchChunkNotFound => "BATCH_CHUNK_NOT_FOUND",
        }
    }

    pub fn status(self) -> StatusCode {
        match self {
            Code::Error => StatusCode::INTERNAL_SERVER_ERROR,
            Code::BadRequest
            | Code::InvalidRequest
            | Code::MemberPasswordResetWithOld
            | Code::MemberPasswordInvalidFormat
            | Code::MemberPasswordReused
            | Code::TermCannotSetInitiationDate => StatusCode::BAD_REQUEST,
            Code::Unauthorized
            | Code::AccessTokenRequired
            | Code::AccessTokenExpired
            | Code::AccessTokenInvalid
            | Code::MemberPasswordNotMatch
            | Code::ApiKeyNotFound
            | Code::AccountNotFound => StatusCode::UNAUTHORIZED,
            Code::Forbidden
            | Code::AccessTokenNotEnoughPermission
            | Code::AgencyNotActive
            | Code::AgencyNotApproved
            | Code::AgencyNotMatch
            | Code::AgencyAccessDenied
            | Code::MemberNotActive
            | Code::MemberNotMatch
            | Code::MemberPasswordReset
            | Code::MemberPasswordExpired
            | Code::MemberAccessDenied
            | Code::UserNotActive
            | Code::ThreadAccessDenied
            | Code::PostAccessDenied
            | Code::CommentAccessDenied
            | Code::FileAccessDenied
            | Code::ConsentRequired
            | Code::GroupUpdateForbidden => StatusCode::FORBIDDEN,
            Code::AgencyNotFound
            | Code::MemberNotFound
            | Code::UserNotFound
            | Code::RemittanceNotFound
            | Code::ThreadNotFound
            | Code::PostNotFound
            | Code::CommentNotFound
            | Code::FileNotFound
            | Code::TermNotFound
            | Code::TermTypeNotFound
            | Code::ConsentNotFound
            | Code::GroupNotFound
            | Code::BatchNotFound
            | Code::BatchChunkNotFound => StatusCode::NOT_FOUND,
            Code::AgencyCodeDuplicated
            | Code::MemberEmailDuplicated
            | Code::RemittanceAlreadyExists
            | Code::RemittanceAlreadyCanceled
            | Code::RemittanceAccountYearMismatch
            | Code::FileAlreadyAttached
            | Code::FileDeleteFailed
            | Code::TermCannotUpdate
            | Code::TermCannotDelete
            | Code::TermCannotWithdrawInitiationDate
            | Code::ConsentNotMatch
            | Code::GroupDeleteForbidden => StatusCode::CONFLICT,
            Code::MemberPasswordFailLimitExceeded | Code::MemberAccountLocked => StatusCode::LOCKED,
        }
    }

    /// The English message a refusal carries unless it says more.
    pub fn message(self) -> &'static str {
        match self {
            Code::Error => "요청에 실패했습니다.",
            Code::BadRequest => "Invalid argument",
            Code::InvalidRequest => "Invalid request.",
            Code::Unauthorized => "Authentication failed.",
            Code::Forbidden => "Access is denied.",
            Code::AccessTokenRequired => "Access token is required for authentication.",
            Code::AccessTokenExpired => "Access token has expired.",
            Code::AccessTokenInvalid => "Invalid access token signature.",
            Code::AccessTokenNotEnoughPermission => "Access token does not have enough permission.",
            Code::AgencyNotFound => "Agency not found.",
            Code::AgencyNotActive => "Agency is not active.",
            Code::AgencyNotApproved => "Agency is not approved.",
            Code::AgencyNotMatch => "Agency does not match.",
            Code::AgencyAccessDenied => "Access to the agency is denied.",
            Code::AgencyCodeDuplicated => "Agency code is already in use.",
            Code::MemberNotFound => "Member not found.",
            Code::MemberNotActive => "Member is not active.",
            Code::MemberNotMatch => "Member does not match.",
            Code::MemberPasswordNotMatch => "Password does not match.",
            Code::MemberEmailDuplicated => "Email is already registered.",
            Code::MemberPasswordReset => "Password was reset; change it before signing in.",
            Code::MemberPasswordResetWithOld => "New password must differ from the current one.",
            Code::MemberPasswordInvalidFormat => {
                "Password must be 9-20 characters with letters, digits and symbols."
            }
            Code::MemberPasswordFailLimitExceeded => {
                "Password failure limit exceeded; the account is locked."
            }
            Code::MemberPasswordExpired => "Password has expired; change it.",
            Code::MemberAccountLocked => "Account is locked.",
            Code::MemberPasswordReused => "Password was used recently.",
            Code::MemberAccessDenied => "Member does not have the permission.",
            Code::ApiKeyNotFound => "API key not found.",
            Code::UserNotFound => "User not found.",
            Code::UserNotActive => "User is not active.",
            Code::AccountNotFound => "Account not found.",
            Code::RemittanceNotFound => "Remittance not found.",
            Code::RemittanceAlreadyExists => "Remittance already exists.",
            Code::RemittanceAlreadyCanceled => "Remittance is already canceled.",
            Code::RemittanceAccountYearMismatch => {
                "A correction cannot move a remittance into another account year."
            }
            Code::ThreadNotFound => "Thread not found.",
            Code::ThreadAccessDenied => "Access to the thread is denied.",
            Code::PostNotFound => "Post not found.",
            Code::PostAccessDenied => "Access to the post is denied.",
            Code::CommentNotFound => "Comment not found.",
            Code::CommentAccessDenied => "Access to the comment is denied.",
            Code::FileNotFound => "File not found.",
            Code::FileAccessDenied => "Access to the file is denied.",
            Code::FileAlreadyAttached => "File is already attached.",
            Code::FileDeleteFailed => "File cannot be deleted.",
            Code::TermNotFound => "Term not found.",
            Code::TermCannotUpdate => "A term in force cannot be updated.",
            Code::TermCannotDelete => "The term cannot be deleted.",
            Code::TermCannotSetInitiationDate => "The initiation date cannot be set.",
            Code::TermCannotWithdrawInitiationDate => "The initiation date cannot be withdrawn.",
            Code::TermTypeNotFound => "Term type not found.",
            Code::ConsentRequired => "Consent is required.",
            Code::ConsentNotFound => "Consent not found.",
            Code::ConsentNotMatch => "Consent does not match.",
            Code::GroupNotFound => "Group not found.",
            Code::GroupUpdateForbidden => "A built-in group cannot be updated.",
            Code::GroupDeleteForbidden => "The group cannot be deleted.",
            Code::BatchNotFound => "Batch not found.",
            Code::BatchChunkNotFound => "Batch chunk not found.",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_has_the_guides_sixty_distinct_words() {
        let words: std::collections::HashSet<_> = Code::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(words.len(), 60);
        assert_eq!(Code::AccessTokenRequired.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(Code::ConsentRequired.status(), StatusCode::FORBIDDEN);
    }
}

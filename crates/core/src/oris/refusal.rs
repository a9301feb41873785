//! Why the registry refused a request. The ORIS face renders each as its
//! published code; the names here are the registry's rules, not wire text.

use super::terms::TermType;
use crate::CoreError;

pub type OrisResult<T> = Result<T, Refusal>;

#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// A business rule on the request's values (INVALID_REQUEST).
    #[error("{0}")]
    Invalid(String),
    /// A business rule against what is already held (INVALID_REQUEST, 409).
    #[error("{0}")]
    Conflict(String),
    /// Wrong credentials, said without saying which part.
    #[error("unauthorized")]
    Unauthorized,
    /// The operator's own calls, by anyone else.
    #[error("forbidden")]
    Forbidden,
    /// The session behind a token was ended (logout, rotation).
    #[error("session ended")]
    SessionEnded,
    /// A refresh token past its end.
    #[error("session expired")]
    SessionExpired,
    /// The token's scopes lack the call's.
    #[error("scope missing")]
    ScopeMissing,
    #[error("agency not found")]
    AgencyNotFound,
    #[error("agency not active")]
    AgencyNotActive,
    #[error("agency not approved")]
    AgencyNotApproved,
    #[error("agency not match")]
    AgencyNotMatch,
    #[error("agency access denied")]
    AgencyAccessDenied,
    #[error("agency code duplicated")]
    AgencyCodeDuplicated,
    #[error("member not found")]
    MemberNotFound,
    #[error("member not active")]
    MemberNotActive,
    #[error("member not match")]
    MemberNotMatch,
    #[error("password does not match")]
    PasswordNotMatch,
    #[error("email duplicated")]
    EmailDuplicated,
    #[error("password was reset")]
    PasswordReset,
    #[error("new password equals the current one")]
    PasswordResetWithOld,
    #[error("password format")]
    PasswordFormat,
    #[error("password failure limit exceeded")]
    PasswordFailLimit,
    #[error("password expired")]
    PasswordExpired,
    #[error("account locked")]
    AccountLocked,
    #[error("password reused")]
    PasswordReused,
    #[error("member access denied")]
    MemberAccessDenied,
    #[error("api key not found")]
    ApiKeyNotFound,
    #[error("user not found")]
    UserNotFound,
    #[error("user not active")]
    UserNotActive,
    /// A login e-mail no member has.
    #[error("account not found")]
    AccountNotFound,
    #[error("remittance not found")]
    RemittanceNotFound,
    #[error("remittance already exists")]
    RemittanceExists,
    #[error("remittance already canceled")]
    RemittanceCanceled,
    #[error("remittance account year mismatch")]
    YearMismatch,
    #[error("thread not found")]
    ThreadNotFound,
    #[error("thread access denied")]
    ThreadAccessDenied,
    #[error("post not found")]
    PostNotFound,
    #[error("post access denied")]
    PostAccessDenied,
    #[error("comment not found")]
    CommentNotFound,
    #[error("comment access denied")]
    CommentAccessDenied,
    #[error("file not found")]
    FileNotFound,
    #[error("file access denied")]
    FileAccessDenied,
    #[error("file already attached")]
    FileAttached,
    #[error("file delete failed")]
    FileDeleteFailed,
    #[error("term not found")]
    TermNotFound,
    #[error("term cannot be updated")]
    TermCannotUpdate,
    #[error("term cannot be deleted")]
    TermCannotDelete,
    #[error("term initiation date cannot be set")]
    TermCannotSetDate,
    #[error("term initiation date cannot be withdrawn")]
    TermCannotWithdrawDate,
    #[error("term type not found")]
    TermTypeNotFound,
    /// The consent of this type is missing for the term in force.
    #[error("consent required: {0:?}")]
    ConsentRequired(TermType),
    #[error("consent not found")]
    ConsentNotFound,
    #[error("consent not match")]
    ConsentNotMatch,
    #[error("group not found")]
    GroupNotFound,
    #[error("group update forbidden")]
    GroupUpdateForbidden,
    #[error("group delete forbidden")]
    GroupDeleteForbidden,
    #[error("batch not found")]
    BatchNotFound,
    #[error("batch chunk not found")]
    BatchChunkNotFound,
    /// The store failed (unavailable, or an internal fault).
    #[error(transparent)]
    Store(#[from] CoreError),
}

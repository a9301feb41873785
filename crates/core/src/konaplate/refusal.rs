//! Why the platform refused a request. The Konaplate face renders each as
//! its `GGG_NNN` code; the names here are the platform's rules, not wire text.

use crate::CoreError;

pub type KonaResult<T> = Result<T, Refusal>;

#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// A value that is empty, malformed or not allowed; names the field.
    #[error("invalid {0}")]
    Invalid(String),
    /// A required value that is absent or null; names the field.
    #[error("missing {0}")]
    Missing(String),
    /// A value of the wrong length; names the field and the rule.
    #[error("wrong length of {0}")]
    Length(String),

    #[error("member already registered")]
    MemberExists,
    #[error("member not found")]
    MemberNotFound,
    #[error("password does not match")]
    PasswordMismatch,
    #[error("card data is not valid")]
    CardDataInvalid,
    #[error("card holds a balance")]
    CardHasBalance,
    #[error("the basic card cannot be discarded")]
    BasicCard,
    #[error("a sub card is discarded with its main card")]
    SubCard,
    #[error("member is not active")]
    MemberNotActive,
    #[error("too many password failures")]
    PasswordLocked,
    #[error("terms id is not valid or not agreed")]
    TermsInvalid,
    #[error("member is blocked")]
    MemberBlocked,
    #[error("mandatory terms cannot be withdrawn")]
    MandatoryTerms,
    #[error("no dormant member matches")]
    DormantNotFound,
    #[error("membership cannot be cancelled")]
    CannotUnregister,

    #[error("an ARS registration is in progress")]
    ArsInProgress,
    #[error("the ARS authentication failed")]
    ArsFailed,
    #[error("the account cannot be used")]
    AccountInvalid,
    #[error("no such ARS registration")]
    RegistrationNotFound,
    #[error("account holder does not match the member")]
    HolderMismatch,
    #[error("account holder's name is not available")]
    HolderNameUnavailable,
    #[error("the money transfer is pending")]
    TransferPending,

    #[error("card data does not match")]
    CardInfo,
    #[error("the application can be cancelled only on its day")]
    CancelDayPassed,
    #[error("the application cannot be cancelled in its state")]
    CancelStatus,
    #[error("the application is not ready for its physical card")]
    IssueNotReady,
    #[error("no such card application")]
    IssueNotFound,
    #[error("the mobile card is already terminated")]
    DigitalTerminated,
    #[error("no such par")]
    ParNotFound,
    #[error("card already terminated")]
    CardTerminated,
    #[error("card is not active")]
    CardNotActive,
    #[error("this product needs delivery")]
    DeliveryRequired,
    #[error("no account info for the card")]
    NoAccountInfo,
    #[error("card is not suspended")]
    NotSuspended,
    #[error("card is not within its renewal period")]
    NotRenewable,
    #[error("the product does not allow this issue type")]
    IssueTypeInvalid,

    #[error("bank account not found")]
    BankAccountNotFound,
    #[error("balance or limit exceeded")]
    LimitExceeded,
    #[error("withdrawal from the bank failed")]
    WithdrawFailed,
    #[error("recharge already cancelled")]
    AlreadyCancelled,
    #[error("recharge not found")]
    RechargeNotFound,
    #[error("amount must be more than zero")]
    AmountNotPositive,
    #[error("card balance is lower than the amount to cancel")]
    BalanceBelowCancel,

    /// A sandbox call on something that is not there (404).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A sandbox change the object's state does not allow (409).
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Store(#[from] CoreError),
}

impl Refusal {
    pub fn invalid(field: &str) -> Self {
        Self::Invalid(field.to_owned())
    }
    pub fn missing(field: &str) -> Self {
        Self::Missing(field.to_owned())
    }
}

//! What the OBP service refuses, before the face names it with OBP's code
//! and words (the face decides the code: one condition, e.g. an unknown
//! user, is OBP-20005 on one endpoint and OBP-20057 on another).

use crate::CoreError;

#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error("the username is taken")]
    UsernameTaken,
    #[error("the password is too weak")]
    WeakPassword,
    #[error("the user is unknown")]
    UnknownUser,
    #[error("the consumer key is unknown or disabled")]
    UnknownConsumer,
    #[error("wrong username or password")]
    BadCredentials,
    #[error("the user holds that entitlement already")]
    EntitlementHeld,
    #[error("the customer number is taken at the bank")]
    CustomerNumberTaken,
    #[error("the user and customer are linked already")]
    AlreadyLinked,
    #[error("the account id is taken at the bank")]
    AccountIdTaken,
    #[error("the account routing is taken at the bank")]
    RoutingTaken,
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] CoreError),
}

pub type ObpResult<T> = Result<T, Refusal>;

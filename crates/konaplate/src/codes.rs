//! The `GGG_NNN` codes (konaplate-prepaid.md §7, konaplate-sandbox.md §3):
//! one catalogue, each code with its HTTP status and message.

use axum::http::StatusCode;
use finhub_core::konaplate::Refusal;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    pub code: &'static str,
    pub status: StatusCode,
    pub message: &'static str,
}

const fn c(code: &'static str, status: u16, message: &'static str) -> Code {
    let status = match StatusCode::from_u16(status) {
        Ok(s) => s,
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR,
    };
    Code {
        code,
        status,
        message,
    }
}

pub const SUCCESS: Code = c("000_000", 200, "Success.");
pub const INVALID: Code = c("000_002", 400, "Invalid input parameter.");
pub const MISSING: Code = c("000_003", 400, "Missing required values.");
pub const LENGTH: Code = c("000_015", 400, "The length of value does not match.");
pub const ASP_ID: Code = c("000_101", 401, "Invalid ASP ID.");
pub const ACCESS_KEY: Code = c("000_102", 401, "Invalid access key.");
pub const TRAN_TOKEN: Code = c("000_103", 401, "Tran token verification failed.");
pub const TRAN_TIME: Code = c("000_104", 400, "Invalid tran time.");
pub const DECRYPTION: Code = c("000_105", 400, "Decryption failed.");
pub const NOT_FOUND: Code = c("000_106", 404, "API not found.");
pub const INTERNAL: Code = c("000_999", 500, "Internal server error.");
pub const UNAVAILABLE: Code = c("000_998", 503, "Service temporarily unavailable.");

pub const MEMBER_EXISTS: Code = c("001_001", 400, "User already exists.");
pub const MEMBER_NOT_FOUND: Code = c("001_006", 400, "Wallet user not found.");
pub const PIN_MISMATCH: Code = c("001_045", 400, "Wallet pin didn't match.");
pub const CARD_DATA: Code = c("001_047", 400, "Invalid card info");
pub const HAS_BALANCE: Code = c("001_052", 400, "Active card has balance");
pub const BASIC_CARD: Code = c("001_059", 400, "Can not delete basic card");
pub const SUB_CARD: Code = c(
    "001_061",
    400,
    "Cannot delete Sub card directly, Sub Card will be automatically deleted when Main card deleted.",
);
pub const NOT_ACTIVE: Code = c("001_068", 400, "Wallet login failed. User not active.");
pub const LOCKED: Code = c(
    "001_069",
    400,
    "Wallet login failed. User login attempt crossed please reset password.",
);
pub const TERMS: Code = c(
    "001_079",
    400,
    "Terms and conditions management service failed. Terms and conditions ID is not valid.",
);
pub const BLOCKED: Code = c(
    "001_080",
    400,
    "User is blocked forgiven data and asp configuration.",
);
pub const MANDATORY: Code = c(
    "001_081",
    400,
    "Mandatory terms and conditions cannot be deleted.",
);
pub const NO_DORMANT: Code = c("001_087", 400, "Dormancy user not found.");
pub const NO_UNREGISTER: Code = c("001_090", 400, "Membership cannot be cancelled.");

pub const ARS_RUNNING: Code = c(
    "002_013",
    400,
    "Ars auth and bank account register is still in progress.",
);
pub const ARS_FAILED: Code = c(
    "002_014",
    400,
    "Bank account register failed due to ARS auth failed.",
);
pub const BAD_ACCOUNT: Code = c("002_016", 400, "Invalid account.");
pub const NO_REGISTRATION: Code = c("002_019", 400, "Not found ars bank account register error.");
pub const HOLDER: Code = c("002_020", 400, "Account holder does not match the member.");
pub const OWNER_NAME: Code = c("002_033", 400, "Getting acc owner name error.");
pub const TRANSFER_PENDING: Code = c("002_034", 400, "Money transfer pending error.");

pub const CARD_INFO: Code = c("003_001", 400, "Invalid card info.");
pub const CANCEL_DAY: Code = c("003_002", 400, "Card issue is not cancelable due to day.");
pub const CANCEL_STATUS: Code = c(
    "003_003",
    400,
    "Card issue is not cancelable due to status.",
);
pub const NOT_READY: Code = c(
    "003_012",
    400,
    "Indicated card issue is not ready to active.",
);
pub const ISSUE_NOT_FOUND: Code = c("003_013", 400, "Indicated card issue not found error.");
pub const DIGITAL_GONE: Code = c("003_014", 400, "Digital card is already terminated error.");
pub const NO_PAR: Code = c("003_021", 400, "Cannot find par");
pub const TERMINATED: Code = c("003_022", 400, "Card already terminated");
pub const CARD_NOT_ACTIVE: Code = c("003_023", 400, "Card is not active.");
pub const DELIVERY: Code = c(
    "003_024",
    400,
    "Card delivery should be required in case of normal type.",
);
pub const NO_ACCOUNT_INFO: Code = c("003_024", 400, "Don't have account info");
pub const NOT_SUSPENDED: Code = c("003_025", 400, "Card is not suspended.");
pub const NOT_RENEWABLE: Code = c("003_026", 400, "Card is not within its renewal period.");
pub const ISSUE_TYPE: Code = c(
    "003_061",
    400,
    "Not valid card issue type with the service.",
);

pub const NO_BANK_ACCOUNT: Code = c("007_001", 400, "Bank account not found.");
pub const OVER_LIMIT: Code = c("007_003", 400, "Credit limit exceeded.");
pub const WITHDRAW: Code = c("007_004", 400, "Withdraw failure from PG.");
pub const CANCELLED: Code = c("007_005", 400, "Recharge already cancelled.");
pub const NO_RECHARGE: Code = c("007_006", 400, "Recharge not found.");
pub const NOT_POSITIVE: Code = c("007_007", 400, "Recharge amount should be more than zero.");
pub const BELOW_CANCEL: Code = c(
    "007_008",
    400,
    "Card balance is lower than the amount to cancel.",
);

/// The code a refusal answers with, and the field it names if any.
pub fn of(r: &Refusal) -> (Code, Option<&str>) {
    use Refusal as R;
    let code = match r {
        R::Invalid(f) => return (INVALID, Some(f)),
        R::Missing(f) => return (MISSING, Some(f)),
        R::Length(f) => return (LENGTH, Some(f)),
        R::MemberExists => MEMBER_EXISTS,
        R::MemberNotFound => MEMBER_NOT_FOUND,
        R::PasswordMismatch => PIN_MISMATCH,
        R::CardDataInvalid => CARD_DATA,
        R::CardHasBalance => HAS_BALANCE,
        R::BasicCard => BASIC_CARD,
        R::SubCard => SUB_CARD,
        R::MemberNotActive => NOT_ACTIVE,
        R::PasswordLocked => LOCKED,
        R::TermsInvalid => TERMS,
        R::MemberBlocked => BLOCKED,
        R::MandatoryTerms => MANDATORY,
        R::DormantNotFound => NO_DORMANT,
        R::CannotUnregister => NO_UNREGISTER,
        R::ArsInProgress => ARS_RUNNING,
        R::ArsFailed => ARS_FAILED,
        R::AccountInvalid => BAD_ACCOUNT,
        R::RegistrationNotFound => NO_REGISTRATION,
        R::HolderMismatch => HOLDER,
        R::HolderNameUnavailable => OWNER_NAME,
        R::TransferPending => TRANSFER_PENDING,
        R::CardInfo => CARD_INFO,
        R::CancelDayPassed => CANCEL_DAY,
        R::CancelStatus => CANCEL_STATUS,
        R::IssueNotReady => NOT_READY,
        R::IssueNotFound => ISSUE_NOT_FOUND,
        R::DigitalTerminated => DIGITAL_GONE,
        R::ParNotFound => NO_PAR,
        R::CardTerminated => TERMINATED,
        R::CardNotActive => CARD_NOT_ACTIVE,
        R::DeliveryRequired => DELIVERY,
        R::NoAccountInfo => NO_ACCOUNT_INFO,
        R::NotSuspended => NOT_SUSPENDED,
        R::NotRenewable => NOT_RENEWABLE,
        R::IssueTypeInvalid => ISSUE_TYPE,
        R::BankAccountNotFound => NO_BANK_ACCOUNT,
        R::LimitExceeded => OVER_LIMIT,
        R::WithdrawFailed => WITHDRAW,
        R::AlreadyCancelled => CANCELLED,
        R::RechargeNotFound => NO_RECHARGE,
        R::AmountNotPositive => NOT_POSITIVE,
        R::BalanceBelowCancel => BELOW_CANCEL,
        R::NotFound(_) | R::Conflict(_) => INVALID,
        R::Store(e) => return (store(e), None),
    };
    (code, None)
}

fn store(e: &finhub_core::CoreError) -> Code {
    use finhub_core::CoreError as E;
    match e {
        E::Unavailable(_) => UNAVAILABLE,
        E::Invalid(_) => INVALID,
        _ => INTERNAL,
    }
}

//! Telecom contracts (통신): one Telecom account per contract at the
//! carrier. Monthly charges and micro-payments (소액결제) lower it; bill
//! payments from the person's bank account (or card) raise it back, so what
//! is owed is its negative balance, as with a card.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TelecomService {
    Mobile,
    Internet,
    Tv,
    Landline,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TelecomStatus {
    Active,
    Suspended,
    Terminated,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TelecomTerms {
    /// The line's number as shown to others, masked: `010-****-1234`.
    pub telecom_num: String,
    pub service: TelecomService,
    pub status: TelecomStatus,
    /// Day of the month the bill is charged (청구일).
    pub bill_day: u32,
    /// Day of the month the bill is paid.
    pub pay_day: u32,
    /// The person's account (bank, or a card) bills are paid from.
    pub pay_account_id: Option<String>,
    /// The most micro-payments may add up to in a month.
    pub micro_limit_minor: i64,
}

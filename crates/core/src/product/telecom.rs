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

/// What a telecom posting's memo says. On the contract: a month's charge
/// (counterparty the carrier), a micro-payment (counterparty the merchant),
/// a bill payment; on the bank account the payment reads the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TelecomMemo {
    /// `통신요금 202611`: the month's service charge.
    Charge { month: u32 },
    /// `소액결제 {title}`: a micro-payment for `title` (`게임 아이템`).
    Micro { title: String },
    /// `요금납부 202611`: the bill of that month paid.
    Payment { month: u32 },
}

impl TelecomMemo {
    pub fn encode(&self) -> String {
        match self {
            TelecomMemo::Charge { month } => format!("통신요금 {month}"),
            TelecomMemo::Micro { title } => format!("소액결제 {title}"),
            TelecomMemo::Payment { month } => format!("요금납부 {month}"),
        }
    }

    pub fn decode(s: &str) -> Option<Self> {
        let month = |m: &str| {
            (m.len() == 6 && crate::product::digits(m))
                .then(|| m.parse().ok())
                .flatten()
        };
        if let Some(m) = s.strip_prefix("통신요금 ") {
            return Some(TelecomMemo::Charge { month: month(m)? });
        }
        if let Some(m) = s.strip_prefix("요금납부 ") {
            return Some(TelecomMemo::Payment { month: month(m)? });
        }
        let title = s.strip_prefix("소액결제 ")?;
        Some(TelecomMemo::Micro {
            title: title.to_owned(),
        })
    }
}

//! E-finance (전자금융): prepaid instruments (선불전자지급수단, 전금-001..004)
//! are Prepaid accounts at the e-finance company; payment accounts
//! (간편결제 계정, 전금-101..103) are Payment accounts that payments pass
//! through, from a registered method to the merchant.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChargeOption {
    /// Charge when the balance falls below a base amount.
    BelowBase,
    /// Charge on a day of the month.
    Monthly,
}

/// An automatic charge (자동충전, 전금-003) from the person's bank account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoCharge {
    /// The bank account it charges from.
    pub account_id: String,
    pub option: ChargeOption,
    /// Day of the month (Monthly).
    pub day: Option<u32>,
    /// The balance below which it charges (BelowBase).
    pub base_minor: Option<i64>,
    pub amount_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EfinPrepaidTerms {
    /// The instrument's id (`fob_id`), shared by its accounts.
    pub fob_id: String,
    pub fob_name: String,
    pub reg_date: NaiveDate,
    /// The most it may hold.
    pub limit_minor: i64,
    /// May be withdrawn back to a bank account (기명식).
    pub withdrawable: bool,
    /// Part of the balance that is reward money (적립금), not charged money.
    pub reserve_minor: i64,
    /// Reward money expiring within the next month.
    pub reserve_due_minor: i64,
    /// Charged money expiring within the next month.
    pub exp_due_minor: i64,
    pub auto_charge: Vec<AutoCharge>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayType {
    /// A bank account (계좌).
    Account,
    /// A card.
    Card,
    /// The company's own prepaid money.
    Prepaid,
}

/// A payment method registered on a payment account (전금-102).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayMethod {
    /// The institution of the method.
    pub org_code: String,
    pub pay_type: PayType,
    /// The world account it draws from.
    pub account_id: String,
    pub primary: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayAccountTerms {
    pub reg_date: NaiveDate,
    /// Payments are enabled on it.
    pub payable: bool,
    pub methods: Vec<PayMethod>,
}

/// What an e-finance posting's memo says. A prepaid instrument: charged
/// from a bank account (`충전`, `자동충전`), spent at a merchant
/// (counterparty the merchant), reward money credited (`적립`), withdrawn
/// back (`출금`). A payment account: each payment arrives from its method
/// (`결제 {merchant}`) and leaves to the merchant (`결제`, counterparty the
/// merchant) in one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EfinMemo {
    Charge,
    AutoCharge,
    Spend,
    Reward,
    Withdraw,
    /// A payment passing through a payment account, for `merchant`.
    Pay {
        merchant: String,
    },
}

impl EfinMemo {
    pub fn encode(&self) -> String {
        match self {
            EfinMemo::Charge => "충전".into(),
            EfinMemo::AutoCharge => "자동충전".into(),
            EfinMemo::Spend => "결제".into(),
            EfinMemo::Reward => "적립".into(),
            EfinMemo::Withdraw => "출금".into(),
            EfinMemo::Pay { merchant } => format!("결제 {merchant}"),
        }
    }

    pub fn decode(s: &str) -> Option<Self> {
        Some(match s {
            "충전" => EfinMemo::Charge,
            "자동충전" => EfinMemo::AutoCharge,
            "결제" => EfinMemo::Spend,
            "적립" => EfinMemo::Reward,
            "출금" => EfinMemo::Withdraw,
            _ => EfinMemo::Pay {
                merchant: s.strip_prefix("결제 ")?.to_owned(),
            },
        })
    }
}

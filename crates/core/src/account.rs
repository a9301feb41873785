//! Accounts: what an institution holds for a person (or for itself).

use crate::money::Currency;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    /// Demand deposit (수시입출식).
    Demand,
    /// Time deposit or instalment savings (예적금).
    Savings,
    /// Investment fund / securities (수익증권).
    Fund,
    Loan,
    Card,
    Prepaid,
    Insurance,
    /// A securities account at an investment firm (pension savings too).
    Securities,
    /// An individual retirement pension account (개인형 IRP).
    Irp,
    /// A telecom contract: charges and micro-payments lower it, bill
    /// payments from the person's bank account raise it back (like a card).
    Telecom,
    /// An e-finance payment account (전금-101): payments pass through it,
    /// from a registered method to the merchant.
    Payment,
    /// A fintech's contract account at its bank (약정계좌).
    Contract,
    /// An institution's own account that funds what it issues.
    Settlement,
}

impl AccountKind {
    pub const ALL: [AccountKind; 13] = [
        Self::Demand,
        Self::Savings,
        Self::Fund,
        Self::Loan,
        Self::Card,
        Self::Prepaid,
        Self::Insurance,
        Self::Securities,
        Self::Irp,
        Self::Telecom,
        Self::Payment,
        Self::Contract,
        Self::Settlement,
    ];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Demand => "demand",
            Self::Savings => "savings",
            Self::Fund => "fund",
            Self::Loan => "loan",
            Self::Card => "card",
            Self::Prepaid => "prepaid",
            Self::Insurance => "insurance",
            Self::Securities => "securities",
            Self::Irp => "irp",
            Self::Telecom => "telecom",
            Self::Payment => "payment",
            Self::Contract => "contract",
            Self::Settlement => "settlement",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    Active,
    Dormant,
    Closed,
}

impl AccountStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Dormant => "dormant",
            Self::Closed => "closed",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Active, Self::Dormant, Self::Closed]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// Lowest balance a settlement account may reach: it is the mirror of all
/// money its institution issued, so it runs deeply negative by design.
pub const SETTLEMENT_FLOOR: i64 = -(1 << 62);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub account_id: String,
    pub org_code: String,
    pub account_num: String,
    pub kind: AccountKind,
    pub product_name: String,
    pub currency: Currency,
    /// The person holding it; None for institution-held accounts.
    pub person_id: Option<String>,
    pub holder_name: String,
    pub opened_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub maturity_date: Option<chrono::NaiveDate>,
    pub status: AccountStatus,
    /// Minor units; the balance never goes below it (0, or minus an overdraft line).
    pub floor_minor: i64,
    pub balance_minor: i64,
    pub last_tran_at: Option<DateTime<Utc>>,
}

impl Account {
    pub fn available_minor(&self) -> i64 {
        (self.balance_minor - self.floor_minor).max(0)
    }
}

/// An account to open. Its opening balance, if any, is moved from the
/// institution's settlement account in the same database transaction.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub account_id: String,
    pub org_code: String,
    pub account_num: String,
    pub kind: AccountKind,
    pub product_name: String,
    pub currency: Currency,
    pub person_id: Option<String>,
    pub holder_name: String,
    pub opened_at: DateTime<Utc>,
    pub maturity_date: Option<chrono::NaiveDate>,
    pub floor_minor: i64,
    pub opening_balance_minor: i64,
}

impl NewAccount {
    pub fn validate(&self) -> Result<(), String> {
        if self.account_num.is_empty() || self.account_num.len() > 40 {
            return Err("account number must be 1 to 40 characters".into());
        }
        if self.opening_balance_minor < 0 {
            return Err("opening balance cannot be negative".into());
        }
        if self.floor_minor > 0 {
            return Err("balance floor cannot be positive".into());
        }
        if self.product_name.chars().count() > 100 {
            return Err("product name is longer than 100 characters".into());
        }
        Ok(())
    }
}

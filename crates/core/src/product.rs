//! What a product is beyond its balance: the terms an institution keeps for
//! an account (rates, maturity, a card's number and points, a fund's units,
//! a securities account's holdings). The balance and the history stay in the
//! ledger; the terms are one record per account, changed rarely.
//!
//! Rates are in thousandths of a percent (`4_500` = 4.5 %), units and
//! quantities in thousandths (`1_000` = one unit), money in minor units, so
//! nothing here is a float. Faces render them in their standard's formats.

pub mod efin;
pub mod insurance;
pub mod lending;
pub mod telecom;

pub use efin::{EfinPrepaidTerms, PayAccountTerms};
pub use insurance::InsuranceTerms;
pub use lending::{BondTerms, LeaseTerms, LendingTerms};
pub use telecom::TelecomTerms;

use crate::error::CoreResult;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The terms of one account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductRecord {
    pub account_id: String,
    pub terms: ProductTerms,
    /// When the terms last changed: what a "changed since" read compares.
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ProductTerms {
    /// Demand and time deposits, instalment savings (AccountKind Demand, Savings).
    Deposit(DepositTerms),
    /// A bank's investment-product (fund) account (AccountKind Fund).
    Fund(FundTerms),
    /// Bank loans and card loans (AccountKind Loan; the balance is negative).
    Loan(LoanTerms),
    /// A credit or check card (AccountKind Card; the balance is what is owed, negative).
    Card(CardTerms),
    /// A prepaid card (AccountKind Prepaid).
    Prepaid(PrepaidTerms),
    /// A securities account, a pension savings account among them (AccountKind Securities).
    Securities(SecuritiesTerms),
    /// An individual retirement pension account (AccountKind Irp).
    Irp(IrpTerms),
    /// An insurance or guarantee-insurance policy (AccountKind Insurance).
    Insurance(InsuranceTerms),
    /// An e-finance prepaid instrument (AccountKind Prepaid at an efin company).
    EfinPrepaid(EfinPrepaidTerms),
    /// An e-finance payment account (AccountKind Payment).
    PayAccount(PayAccountTerms),
    /// A telecom contract (AccountKind Telecom).
    Telecom(TelecomTerms),
    /// An operating lease (AccountKind Loan at an installment-finance company).
    Lease(LeaseTerms),
    /// A P2P loan (AccountKind Loan at a P2P company).
    Lending(LendingTerms),
    /// A bond or a money lender's loan (AccountKind Loan at a bond or usury company).
    Bond(BondTerms),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SavingMethod {
    Demand,
    LumpSum,
    Instalment,
    FreeInstalment,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepositTerms {
    pub saving_method: SavingMethod,
    pub rate_milli: i64,
    /// The agreed amount (time deposits, instalment targets).
    pub commit_minor: Option<i64>,
    /// The agreed monthly payment of instalment savings.
    pub monthly_minor: Option<i64>,
    /// An overdraft line is attached (the account floor is below zero).
    pub overdraft: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaidIn {
    Free,
    Instalment,
    LumpSum,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundTerms {
    /// KOFIA standard fund code (12 characters).
    pub fund_code: String,
    pub paid_in: PaidIn,
    /// Units held, in thousandths.
    pub units_milli: i64,
    /// Price per 1,000 units in minor units (the fund's 기준가).
    pub nav_minor: i64,
    /// What was paid in, before gains.
    pub principal_minor: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoanType {
    Credit,
    Mortgage,
    Jeonse,
    /// A card company's cash advance (short term).
    CashAdvance,
    /// A card company's card loan (long term).
    CardLoan,
    /// An insurer's policy loan (보험계약대출), secured on a policy.
    Policy,
    /// An installment-finance loan (할부금융: a car, goods).
    Instalment,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RepayMethod {
    /// Equal payments of principal and interest (원리금균등).
    EqualPayment,
    /// Equal principal parts (원금균등).
    EqualPrincipal,
    /// Interest monthly, principal at maturity (만기일시).
    Bullet,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoanTerms {
    pub loan_type: LoanType,
    pub rate_milli: i64,
    pub principal_minor: i64,
    pub repay_method: RepayMethod,
    /// Day of the month repayments are collected.
    pub repay_day: Option<u32>,
    /// The person's account repayments are collected from.
    pub repay_account_id: Option<String>,
    pub exp_date: NaiveDate,
    /// What secures it: a policy loan's policy (its account id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secured_by: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CardType {
    Credit,
    Check,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointBalance {
    pub name: String,
    pub remain: i64,
    /// Points that expire within the next two months.
    pub expiring: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revolving {
    pub start_date: NaiveDate,
    pub min_pay_rate_milli: i64,
    pub agreed_pay_rate_milli: i64,
    /// Carried over, not yet repaid.
    pub remained_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardTerms {
    /// As printed on statements, masked: `9410-12**-****-3456`.
    pub masked_num: String,
    pub card_type: CardType,
    /// A family card issued on the holder's account.
    pub family: bool,
    /// `VISA`, `MASTER`, `AMEX`, `JCB`, `UNION`, `LOCAL`.
    pub brand: String,
    pub annual_fee_minor: i64,
    pub issue_date: NaiveDate,
    /// The person's bank account the bill is paid from.
    pub settle_account_id: Option<String>,
    pub transit: bool,
    pub cash_card: bool,
    /// Day of the month the bill is paid.
    pub pay_day: u32,
    pub points: Vec<PointBalance>,
    pub revolving: Option<Revolving>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrepaidTerms {
    /// The most the card may hold.
    pub limit_minor: i64,
    /// Part of the balance that expires within two months.
    pub expiring_minor: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecuritiesKind {
    Brokerage,
    Cma,
    /// 연금저축: a pension savings account, with pension terms.
    PensionSavings,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holding {
    /// Exchange code (`005930`) or standard fund code.
    pub code: String,
    pub name: String,
    /// `stock`, `fund`, `bond`, `etf`, `els`, `rp`.
    pub class: String,
    pub qty_milli: i64,
    /// Price per unit now, and what was paid per unit on average.
    pub price_minor: i64,
    pub avg_price_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PensionTerms {
    pub paid_in_minor: i64,
    pub withdrawn_minor: i64,
    pub last_paid_in: Option<NaiveDate>,
    pub receive_start: Option<NaiveDate>,
    pub annual_pay_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecuritiesTerms {
    pub kind: SecuritiesKind,
    pub tax_benefit: bool,
    pub credit_loan_minor: i64,
    pub mortgage_minor: i64,
    pub holdings: Vec<Holding>,
    pub pension: Option<PensionTerms>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IrpProductKind {
    PrincipalGuaranteed,
    NotGuaranteed,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IrpProduct {
    pub name: String,
    pub kind: IrpProductKind,
    pub eval_minor: i64,
    pub principal_minor: i64,
    pub units_milli: Option<i64>,
    pub open_date: NaiveDate,
    pub exp_date: Option<NaiveDate>,
    pub rate_milli: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IrpTerms {
    pub employer_minor: i64,
    pub employee_minor: i64,
    pub first_deposit: Option<NaiveDate>,
    pub receive_start: Option<NaiveDate>,
    pub products: Vec<IrpProduct>,
}

/// Only ASCII digits, at least one (what memo numbers are made of).
pub(crate) fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

#[async_trait]
pub trait ProductRepo: Send + Sync {
    /// Insert or replace the terms of an account.
    async fn put_terms(&self, rec: &ProductRecord) -> CoreResult<()>;
    async fn terms(&self, account_id: &str) -> CoreResult<Option<ProductRecord>>;
    /// The terms of many accounts at once (those without terms are left out).
    async fn terms_of(&self, account_ids: &[String]) -> CoreResult<Vec<ProductRecord>>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memos_round_trip_and_refuse_what_is_not_theirs() {
        use super::efin::EfinMemo;
        use super::insurance::PremiumMemo;
        use super::telecom::TelecomMemo;
        let p = PremiumMemo {
            month: 202611,
            instalment: 12,
        };
        assert_eq!(p.encode(), "보험료 202611 12회");
        assert_eq!(PremiumMemo::decode(&p.encode()), Some(p));
        assert_eq!(PremiumMemo::decode("보험료 2026 1회"), None);
        for t in [
            TelecomMemo::Charge { month: 202611 },
            TelecomMemo::Payment { month: 202610 },
            TelecomMemo::Micro {
                title: "게임 아이템".into(),
            },
        ] {
            assert_eq!(TelecomMemo::decode(&t.encode()), Some(t));
        }
        assert_eq!(TelecomMemo::decode("통신요금 11월"), None);
        for e in [
            EfinMemo::Charge,
            EfinMemo::Spend,
            EfinMemo::Pay {
                merchant: "스타벅스".into(),
            },
        ] {
            assert_eq!(EfinMemo::decode(&e.encode()), Some(e));
        }
        assert_eq!(EfinMemo::decode("이체"), None);
    }

    #[test]
    fn terms_round_trip_through_json_with_their_tag() {
        let t = ProductTerms::Prepaid(PrepaidTerms {
            limit_minor: 2_000_000,
            expiring_minor: 0,
        });
        let s = serde_json::to_string(&t).unwrap();
        assert!(s.contains(r#""type":"prepaid""#), "{s}");
        assert_eq!(serde_json::from_str::<ProductTerms>(&s).unwrap(), t);
    }
}

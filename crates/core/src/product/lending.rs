//! Lending beyond banks and card companies: operating leases (운용리스) of
//! installment-finance companies, P2P loans, and bonds (채권) held by debt
//! buyers and money lenders. Their loans are Loan accounts whose balance is
//! what is owed, negative; instalment and policy loans are plain
//! `LoanTerms` (LoanType::Instalment, LoanType::Policy).

use super::LoanTerms;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// An operating lease: the lessee pays rent, owes no principal. A Loan
/// account whose floor is minus the rents of the whole term; rents paid
/// from the bank account are movements into it. It opens with one
/// `LoanMemo::Drawdown` line of that floor, so its balance is minus the
/// rents still due; each rent is a `LoanMemo::Repayment` with interest 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaseTerms {
    /// What is leased (`그랜저 2.5 가솔린`).
    pub item: String,
    pub issue_date: NaiveDate,
    pub exp_date: NaiveDate,
    pub monthly_minor: i64,
    pub repay_day: u32,
    pub repay_account_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LendingKind {
    /// 개인신용.
    Credit,
    /// 부동산담보.
    RealEstate,
    /// 기타담보.
    OtherSecured,
}

/// A P2P loan (온라인투자연계금융).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LendingTerms {
    pub kind: LendingKind,
    pub loan: LoanTerms,
    /// Loan-to-value of a secured loan, in thousandths of a percent.
    pub ltv_milli: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BondKind {
    /// A loan's claim bought from its lender.
    Loan,
    /// A card bill's claim.
    Card,
    /// A telecom bill's claim.
    Telecom,
    Other,
}

/// A bond: a claim on the person the holder took over from its first
/// lender, or a money lender's own loan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BondTerms {
    pub kind: BondKind,
    pub loan: LoanTerms,
    pub takeover_date: NaiveDate,
    /// Who lent first (an org code of the world, or one outside it).
    pub init_org_code: String,
    /// Who held it last before the holder.
    pub prev_org_code: Option<String>,
    /// Under debt adjustment (채무조정).
    pub debt_mgmt: bool,
}

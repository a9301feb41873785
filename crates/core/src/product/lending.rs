//! Lending beyond banks and card companies: operating leases (운용리스) of
//! installment-finance companies, P2P loans, and bonds (채권) held by debt
//! buyers and money lenders. Their loans are Loan accounts whose balance is
//! what is owed, negative; instalment and policy loans are plain
//! `LoanTerms` (LoanType::Instalment, LoanType::Policy).
//!
//! How each lives in the ledger (what the MyData face reads):
//! - an instalment loan, a P2P loan, a bond: opened with floor minus the
//!   principal; the drawdown is one entry of `LoanMemo::Drawdown` taking the
//!   balance to minus the principal; each repayment one entry from the
//!   person's bank account whose loan leg is the principal part, memo
//!   `LoanMemo::Repayment` naming principal and interest (the interest leg
//!   goes to the lender's settlement account in the same entry). A bond's
//!   "drawdown" is its takeover: what was owed when the holder took it over.
//! - an operating lease: opened with floor minus the rents of the whole term
//!   (`LeaseTerms::total_rent_minor`); at its start one entry of
//!   `LoanMemo::Drawdown` books that whole sum (the balance starts at the
//!   floor); each rent is an entry from the bank account into it, memo
//!   `LoanMemo::Repayment { principal_minor: rent, interest_minor: 0 }`. Its
//!   balance is minus the rents still due.

use super::{LoanTerms, RepayMethod};
use chrono::{Datelike, NaiveDate};
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

impl LeaseTerms {
    /// Whole months from the lease's start to its end (at least one).
    pub fn months(&self) -> u32 {
        months_between(self.issue_date, self.exp_date).max(1)
    }
    /// The rents of the whole term: the lease account's floor, negated.
    pub fn total_rent_minor(&self) -> i64 {
        self.monthly_minor.saturating_mul(i64::from(self.months()))
    }
}

/// Whole calendar months from `from` to `to` (0 when `to` is not later).
pub fn months_between(from: NaiveDate, to: NaiveDate) -> u32 {
    let m = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    let m = if to.day() < from.day() { m - 1 } else { m };
    u32::try_from(m).unwrap_or(0)
}

/// The number of the repayment due on (or last due before) `at`, counting
/// the loan's repayment days: `repay_day` (28 at most) of each month from the
/// month after the loan's `opened` day. At least 1.
pub fn repay_count(opened: NaiveDate, repay_day: u32, at: NaiveDate) -> u32 {
    let day = repay_day.clamp(1, 28);
    let months = (at.year() - opened.year()) * 12 + at.month() as i32 - opened.month() as i32;
    let not_yet = i32::from(at.day() < day);
    u32::try_from(months - not_yet).unwrap_or(0).max(1)
}

/// The next scheduled repayment of a loan: its principal and interest parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Instalment {
    pub principal_minor: i64,
    pub interest_minor: i64,
}

/// A month's interest on `owed` at a yearly rate in thousandths of a
/// percent, rounded down.
pub fn monthly_interest(owed_minor: i64, rate_milli: i64) -> i64 {
    let i = i128::from(owed_minor.max(0)) * i128::from(rate_milli) / (100_000 * 12);
    i64::try_from(i).unwrap_or(i64::MAX)
}

/// The next instalment of a loan owing `owed_minor` with `remaining`
/// repayments left (this one included), by its repayment method: a month's
/// interest always; principal all at the last one (bullet), an equal share
/// of what is owed over the repayments left (equal principal: on schedule,
/// the original principal over the term), or the annuity payment less
/// the interest (equal payments). Integer arithmetic throughout: money is
/// never a float.
pub fn next_instalment(t: &LoanTerms, owed_minor: i64, remaining: u32) -> Instalment {
    let owed = owed_minor.max(0);
    let interest_minor = monthly_interest(owed, t.rate_milli);
    let n = remaining.max(1);
    let principal = match t.repay_method {
        _ if n == 1 => owed,
        RepayMethod::Bullet => 0,
        RepayMethod::EqualPrincipal => owed / i64::from(n),
        RepayMethod::EqualPayment => annuity(owed, t.rate_milli, n) - interest_minor,
    };
    Instalment {
        principal_minor: principal.clamp(0, owed),
        interest_minor,
    }
}

/// The equal payment that repays `owed` in `n` months at the yearly rate:
/// owed · r(1+r)^n / ((1+r)^n − 1), in fixed point (10^12). Past a growth of
/// a million the payment is the interest to the unit, so the power stops
/// there (no overflow for any term or rate the terms may hold).
fn annuity(owed: i64, rate_milli: i64, n: u32) -> i64 {
    const S: i128 = 1_000_000_000_000;
    let r = i128::from(rate_milli.clamp(0, 1_000_000)) * S / (100_000 * 12);
    if r == 0 {
        return owed / i64::from(n.max(1));
    }
    let mut grow = S;
    for _ in 0..n.max(1) {
        grow = grow * (S + r) / S;
        if grow > S * 1_000_000 {
            break;
        }
    }
    let interest = i128::from(owed.max(0)) * r / S;
    i64::try_from(interest * grow / (grow - S)).unwrap_or(owed)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::product::LoanType;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn loan(method: RepayMethod, principal: i64, rate_milli: i64) -> LoanTerms {
        LoanTerms {
            loan_type: LoanType::Instalment,
            rate_milli,
            principal_minor: principal,
            repay_method: method,
            repay_day: Some(25),
            repay_account_id: None,
            exp_date: d(2029, 1, 25),
            secured_by: None,
        }
    }

    #[test]
    fn months_count_whole_calendar_months() {
        assert_eq!(months_between(d(2026, 1, 15), d(2029, 1, 15)), 36);
        assert_eq!(months_between(d(2026, 1, 15), d(2029, 1, 14)), 35);
        assert_eq!(months_between(d(2026, 1, 15), d(2025, 1, 15)), 0);
        let lease = LeaseTerms {
            item: "그랜저".into(),
            issue_date: d(2026, 1, 15),
            exp_date: d(2029, 1, 15),
            monthly_minor: 650_000,
            repay_day: 15,
            repay_account_id: None,
        };
        assert_eq!(lease.months(), 36);
        assert_eq!(lease.total_rent_minor(), 23_400_000);
    }

    #[test]
    fn repayments_are_counted_from_the_month_after_the_opening() {
        assert_eq!(repay_count(d(2026, 1, 5), 25, d(2026, 2, 25)), 1);
        assert_eq!(repay_count(d(2026, 1, 5), 25, d(2026, 3, 25)), 2);
        assert_eq!(repay_count(d(2026, 1, 15), 10, d(2026, 2, 10)), 1);
        // Between two repayment days: the last one due.
        assert_eq!(repay_count(d(2026, 1, 15), 10, d(2026, 3, 9)), 1);
        assert_eq!(repay_count(d(2026, 1, 15), 10, d(2026, 3, 12)), 2);
        assert_eq!(repay_count(d(2026, 1, 15), 10, d(2026, 1, 20)), 1);
    }

    #[test]
    fn instalments_follow_the_repayment_method() {
        // 12 % a year on 1,200,000 is 12,000 a month.
        let bullet = loan(RepayMethod::Bullet, 1_200_000, 12_000);
        let i = next_instalment(&bullet, 1_200_000, 12);
        assert_eq!((i.principal_minor, i.interest_minor), (0, 12_000));
        let last = next_instalment(&bullet, 1_200_000, 1);
        assert_eq!(last.principal_minor, 1_200_000);
        let even = loan(RepayMethod::EqualPrincipal, 1_200_000, 12_000);
        assert_eq!(
            next_instalment(&even, 1_200_000, 12).principal_minor,
            100_000
        );
        // 1,200,000 over 12 months at 1 % a month: 106,618.55 a month.
        let annuity = loan(RepayMethod::EqualPayment, 1_200_000, 12_000);
        let i = next_instalment(&annuity, 1_200_000, 12);
        assert_eq!(i.interest_minor, 12_000);
        assert_eq!(i.principal_minor + i.interest_minor, 106_618);
        // A term of centuries and a usurious rate still give a payment.
        let long = loan(RepayMethod::EqualPayment, i64::MAX / 2, 999_999);
        let i = next_instalment(&long, i64::MAX / 2, 100_000);
        assert!(i.principal_minor >= 0 && i.interest_minor > 0);
        let free = loan(RepayMethod::EqualPayment, 1_200_000, 0);
        assert_eq!(
            next_instalment(&free, 1_200_000, 12).principal_minor,
            100_000
        );
    }
}

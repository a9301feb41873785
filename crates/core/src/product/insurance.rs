//! Insurance policies (보험) and guarantee insurances (보증보험): one
//! Insurance account per policy at the insurer. Premiums paid from the
//! person's bank account are ledger movements into it, so the account's
//! postings are the policy's payment history; its balance is what was paid.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InsuranceLine {
    /// 종신·정기 life cover.
    Life,
    /// 건강·상해·질병 health cover.
    Health,
    /// 연금 annuity.
    Annuity,
    /// 저축 savings.
    Savings,
    /// 자동차 car.
    Car,
    /// 화재·배상 etc. (general non-life).
    General,
    /// 보증보험 (guarantee insurers only).
    Guarantee,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyStatus {
    /// 정상: in force, premiums being paid.
    Normal,
    /// 납입완료: in force, fully paid.
    PaidUp,
    /// 실효: lapsed for missed premiums.
    Lapsed,
    /// 만기: matured.
    Matured,
}

/// One insured person of a policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Insured {
    /// `01`, `02`, ... within the policy.
    pub no: String,
    pub name: String,
    pub primary: bool,
}

/// A rider (특약) or the main contract of a policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rider {
    /// The insured (`Insured::no`) it covers.
    pub insured_no: String,
    pub name: String,
    pub status: PolicyStatus,
    pub exp_date: NaiveDate,
    pub face_minor: i64,
    /// The main contract (주계약) rather than an optional rider.
    pub required: bool,
}

/// One coverage (보장) of a policy (보험-012).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    pub insured_no: String,
    /// Standard coverage code, 5 characters.
    pub code: String,
    /// The insurer's serial of the coverage.
    pub num: String,
    pub name: String,
    pub amount_minor: i64,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// Still covering (false: ended or suspended).
    pub active: bool,
}

/// A car policy's car (보험-004).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CarCover {
    /// The plate, `12가3456`.
    pub car_number: String,
    pub car_name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// The age rider as printed (`만 26세 이상`).
    pub age_limit: String,
    /// The driver limit as printed (`부부한정`).
    pub driver_limit: String,
    /// Own-damage cover (자기차량손해) is included.
    pub own_damage: bool,
    /// Deductible rate in thousandths of a percent and its cap.
    pub self_pay_rate_milli: i64,
    pub self_pay_minor: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayCycle {
    Monthly,
    Quarterly,
    Yearly,
    /// One payment (lump sum; most guarantee insurances, car policies).
    Once,
}

/// How premiums are paid (보험-005).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PremiumPlan {
    pub cycle: PayCycle,
    /// Premiums in all.
    pub count: u32,
    /// Day of the month premiums are collected.
    pub pay_day: u32,
    pub end_date: NaiveDate,
    pub premium_minor: i64,
    /// The person's bank account premiums are collected from (자동이체).
    pub account_id: Option<String>,
    /// Automatic premium loan (자동대출납입) is on.
    pub auto_loan: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InsuranceTerms {
    pub line: InsuranceLine,
    pub status: PolicyStatus,
    pub issue_date: NaiveDate,
    /// `9999-12-31` for whole-life cover.
    pub exp_date: NaiveDate,
    /// Sum insured (가입금액).
    pub face_minor: i64,
    pub renewable: bool,
    pub variable: bool,
    pub universal: bool,
    /// A policy loan may be taken on it.
    pub loanable: bool,
    pub pension_start: Option<NaiveDate>,
    pub insured: Vec<Insured>,
    pub riders: Vec<Rider>,
    pub coverages: Vec<Coverage>,
    pub car: Option<CarCover>,
    pub premium: PremiumPlan,
}

/// What a premium's posting memo says: the month it pays for and which
/// premium of the plan it is. `보험료 202611 12회`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PremiumMemo {
    /// `YYYYMM` as a number (`202611`).
    pub month: u32,
    pub instalment: u32,
}

impl PremiumMemo {
    pub fn encode(&self) -> String {
        format!("보험료 {} {}회", self.month, self.instalment)
    }

    pub fn decode(s: &str) -> Option<Self> {
        let (month, n) = s.strip_prefix("보험료 ")?.split_once(' ')?;
        let n = n.strip_suffix('회')?;
        if month.len() != 6 || !crate::product::digits(month) || !crate::product::digits(n) {
            return None;
        }
        Some(PremiumMemo {
            month: month.parse().ok()?,
            instalment: n.parse().ok()?,
        })
    }
}

//! 보험 (보험-001..012) and 보증보험 (보증보험-001..003): insurers' policies, riders,
//! coverages, car policies, premiums and policy loans; guarantee insurers'
//! policies. A policy is an Insurance account with `InsuranceTerms`; its
//! ledger postings are its premiums (each an entry from the person's bank
//! account, memo `PremiumMemo`), so a premium paid shows at once here and in
//! the bank account's history. A policy loan is a Loan account at the
//! insurer whose `LoanTerms::secured_by` names the policy.
//!
//! The standard's code lists for these fields were not recovered (mydata.md
//! §10): the codes are finhub's, listed on each field and in the tags.

mod ginsu;
mod loans;
mod policies;

use crate::common::{api, Api};
use crate::extract::Caller;
use crate::history::{HistoryCall, HistoryFields};
use crate::params::num_or_str;
use crate::sync::AssetCall;
use crate::MydataState;
use axum::routing::{get, post};
use axum::Router;
use chrono::{Datelike, NaiveDate};
use finhub_core::account::{Account, AccountKind, AccountStatus};
use finhub_core::institution::InstitutionKind;
use finhub_core::ledger::{EntryKind, Posting};
use finhub_core::product::insurance::{
    InsuranceLine, Insured, PayCycle, PolicyStatus, PremiumMemo, PremiumPlan,
};
use finhub_core::product::{InsuranceTerms, ProductTerms};
use serde::Deserialize;
use utoipa::ToSchema;

const INSU: &[InstitutionKind] = &[InstitutionKind::Insurance];
const GINSU: &[InstitutionKind] = &[InstitutionKind::Guarantee];

/// The APIs this module serves, as 공통-001 lists them.
pub(crate) const APIS: &[Api] = &[
    api("보험-001", "IS01", "/insurances", INSU),
    api("보험-002", "IS02", "/insurances/basic", INSU),
    api("보험-003", "IS03", "/insurances/contracts", INSU),
    api("보험-004", "IS04", "/insurances/car", INSU),
    api("보험-005", "IS05", "/insurances/payment", INSU),
    api("보험-006", "IS06", "/insurances/transactions", INSU),
    api("보험-007", "IS07", "/insurances/car/transactions", INSU),
    api("보험-008", "IS11", "/loans", INSU),
    api("보험-009", "IS12", "/loans/basic", INSU),
    api("보험-010", "IS13", "/loans/detail", INSU),
    api("보험-011", "IS14", "/loans/transactions", INSU),
    api("보험-012", "IS08", "/insurances/coverages", INSU),
    api("보증보험-001", "GI01", "/insurances", GINSU),
    api("보증보험-002", "GI02", "/insurances/basic", GINSU),
    api("보증보험-003", "GI03", "/insurances/transactions", GINSU),
];

pub(crate) fn routes() -> Router<MydataState> {
    Router::new()
        .route("/v1/insu/insurances", get(policies::list))
        .route("/v1/insu/insurances/basic", post(policies::basic))
        .route("/v1/insu/insurances/contracts", post(policies::contracts))
        .route("/v1/insu/insurances/car", post(policies::car))
        .route("/v1/insu/insurances/payment", post(policies::payment))
        .route(
            "/v1/insu/insurances/transactions",
            post(policies::transactions),
        )
        .route(
            "/v1/insu/insurances/car/transactions",
            post(policies::car_transactions),
        )
        .route("/v1/insu/insurances/coverages", post(policies::coverages))
        .route("/v1/insu/loans", get(loans::list))
        .route("/v1/insu/loans/basic", post(loans::basic))
        .route("/v1/insu/loans/detail", post(loans::detail))
        .route("/v1/insu/loans/transactions", post(loans::transactions))
        .route("/v1/ginsu/insurances", get(ginsu::list))
        .route("/v1/ginsu/insurances/basic", post(ginsu::basic))
        .route(
            "/v1/ginsu/insurances/transactions",
            post(ginsu::transactions),
        )
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        policies::list,
        policies::basic,
        policies::contracts,
        policies::car,
        policies::payment,
        policies::transactions,
        policies::car_transactions,
        policies::coverages,
        loans::list,
        loans::basic,
        loans::detail,
        loans::transactions,
        ginsu::list,
        ginsu::basic,
        ginsu::transactions
    ),
    components(schemas(
        InsuRequest,
        InsuContractRequest,
        InsuHistoryRequest,
        InsuCarHistoryRequest,
        InsuLoanRequest,
        InsuLoanHistoryRequest,
        policies::InsuList,
        policies::InsuItem,
        policies::InsuBasic,
        policies::InsuInsured,
        policies::InsuContracts,
        policies::InsuContract,
        policies::InsuCar,
        policies::InsuCarItem,
        policies::InsuPayment,
        policies::InsuTransactions,
        policies::InsuTransaction,
        policies::InsuCarTransactions,
        policies::InsuCarTransaction,
        policies::InsuCoverages,
        policies::InsuCoverage,
        loans::InsuLoans,
        loans::InsuLoanItem,
        loans::InsuLoanBasic,
        loans::InsuLoanTransactions,
        loans::InsuLoanTransaction,
        loans::InsuLoanInterest,
        ginsu::GinsuBasic,
        ginsu::GinsuInsured,
        ginsu::GinsuTransactions,
        ginsu::GinsuTransaction
    )),
    tags(
        (name = "insu", description = "보험 (보험-001..012, mydata.md §10). Scopes: `insu.list` \
for 보험-001 and 보험-008, `insu.insurance` for the policy APIs, `insu.loan` for the policy-loan \
APIs. The standard's code lists were not recovered, so the codes are finhub's: `insu_type` `01` \
life, `02` health, `03` annuity, `04` savings, `05` car, `06` general non-life, `07` guarantee; \
`insu_status` / `contract_status` `01` in force, `02` paid up, `03` lapsed, `04` matured, `05` \
closed; `pay_cycle` `1M`, `3M`, `1Y`, `00` one payment; `pay_due` `01` for a number of years, \
`03` whole life, `04` lump sum; `pay_method` `01` automatic transfer from a bank account, `02` \
card, `03` paid directly. A premium is one ledger entry from the person's bank account, so it \
shows in 보험-006 and in that account's 은행-004 at once. 보험-011 adds the bank's `trans_type` \
and `trans_amt` (as 은행-010) so a drawdown line reads as one."),
        (name = "ginsu", description = "보증보험 (보증보험-001..003). The standard gives these \
APIs in outline (mydata.md §11): finhub follows their field names and the style of the \
insurance APIs (amounts JSON numbers in whole won, dates YYYYMMDD, the same codes as the \
`insu` tag), and adds `currency_code` beside each amount as 보험-002 and 보험-006 do. Scopes: \
`ginsu.list` for 보증보험-001, `ginsu.insurance` for the rest.")
    )
)]
pub(crate) struct Doc;

// ---- requests ----

/// The body of 보험-002, 004, 005, 012 and 보증보험-002.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct InsuRequest {
    pub org_code: Option<String>,
    /// The policy number, as 보험-001 gives it.
    pub insu_num: Option<String>,
    #[serde(deserialize_with = "num_or_str")]
    #[schema(value_type = Option<i64>)]
    pub search_timestamp: Option<String>,
}

/// The body of 보험-003.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct InsuContractRequest {
    pub org_code: Option<String>,
    pub insu_num: Option<String>,
    /// The insured (`insured_no` of 보험-002) whose contracts to show.
    pub insured_no: Option<String>,
    #[serde(deserialize_with = "num_or_str")]
    #[schema(value_type = Option<i64>)]
    pub search_timestamp: Option<String>,
}

/// The body of 보험-006 and 보증보험-003.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct InsuHistoryRequest {
    pub org_code: Option<String>,
    pub insu_num: Option<String>,
    #[serde(flatten)]
    pub history: HistoryFields,
}

/// The body of 보험-007.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct InsuCarHistoryRequest {
    pub org_code: Option<String>,
    pub insu_num: Option<String>,
    /// The car's plate, as 보험-004 gives it.
    pub car_number: Option<String>,
    #[serde(flatten)]
    pub history: HistoryFields,
}

/// The body of 보험-009 and 010.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct InsuLoanRequest {
    pub org_code: Option<String>,
    /// The loan's account number without `-`, as 보험-008 gives it.
    pub account_num: Option<String>,
    #[serde(deserialize_with = "num_or_str")]
    #[schema(value_type = Option<i64>)]
    pub search_timestamp: Option<String>,
}

/// The body of 보험-011.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct InsuLoanHistoryRequest {
    pub org_code: Option<String>,
    pub account_num: Option<String>,
    #[serde(flatten)]
    pub history: HistoryFields,
}

const POLICY: &[AccountKind] = &[AccountKind::Insurance];

impl InsuRequest {
    fn call<'a>(&'a self, scope: &'a str) -> AssetCall<'a> {
        AssetCall {
            scope,
            kinds: POLICY,
            org_code: self.org_code.as_deref(),
            asset: self.insu_num.as_deref(),
            search_timestamp: self.search_timestamp.as_deref(),
            next_page: None,
        }
    }
}

impl InsuHistoryRequest {
    fn call<'a>(&'a self, scope: &'a str) -> HistoryCall<'a> {
        HistoryCall {
            scope,
            kinds: POLICY,
            org_code: self.org_code.as_deref(),
            asset: self.insu_num.as_deref(),
            fields: &self.history,
        }
    }
}

// ---- terms and codes ----

/// A policy's terms; a policy opened without any (through the sandbox) reads
/// as a general policy in force with its holder the one insured and no plan.
pub(crate) fn policy_terms(a: &Account, terms: Option<&ProductTerms>) -> InsuranceTerms {
    if let Some(ProductTerms::Insurance(t)) = terms {
        return t.clone();
    }
    let issued = crate::card::held::kst_date(a.opened_at);
    let whole_life = NaiveDate::from_ymd_opt(9999, 12, 31).expect("a date");
    InsuranceTerms {
        line: InsuranceLine::General,
        status: PolicyStatus::Normal,
        issue_date: issued,
        exp_date: a.maturity_date.unwrap_or(whole_life),
        face_minor: 0,
        renewable: false,
        variable: false,
        universal: false,
        loanable: false,
        pension_start: None,
        insured: vec![Insured {
            no: "01".into(),
            name: a.holder_name.clone(),
            primary: true,
        }],
        riders: vec![],
        coverages: vec![],
        car: None,
        premium: PremiumPlan {
            cycle: PayCycle::Once,
            count: 1,
            pay_day: issued.day().min(28),
            end_date: issued,
            premium_minor: 0,
            account_id: None,
            auto_loan: false,
        },
    }
}

/// `insu_type` aN(2), finhub's: the policy's line.
pub(crate) fn insu_type(line: InsuranceLine) -> &'static str {
    match line {
        InsuranceLine::Life => "01",
        InsuranceLine::Health => "02",
        InsuranceLine::Annuity => "03",
        InsuranceLine::Savings => "04",
        InsuranceLine::Car => "05",
        InsuranceLine::General => "06",
        InsuranceLine::Guarantee => "07",
    }
}

/// `insu_status` / `contract_status` aN(2), finhub's.
pub(crate) fn status_code(s: PolicyStatus) -> &'static str {
    match s {
        PolicyStatus::Normal => "01",
        PolicyStatus::PaidUp => "02",
        PolicyStatus::Lapsed => "03",
        PolicyStatus::Matured => "04",
    }
}

/// A listed policy's status: its terms', or `05` once the account is closed.
pub(crate) fn insu_status(a: &Account, t: &InsuranceTerms) -> &'static str {
    if a.status == AccountStatus::Closed {
        "05"
    } else {
        status_code(t.status)
    }
}

/// `pay_cycle` aN(2): `1M` as the standard's mock, `3M`, `1Y`, `00` once.
pub(crate) fn pay_cycle(c: PayCycle) -> &'static str {
    match c {
        PayCycle::Monthly => "1M",
        PayCycle::Quarterly => "3M",
        PayCycle::Yearly => "1Y",
        PayCycle::Once => "00",
    }
}

/// `pay_due` aN(2), the kind of payment period: `04` lump sum, `03` whole
/// life (premiums to `9999-12-31`), `01` a number of years.
pub(crate) fn pay_due(p: &PremiumPlan) -> &'static str {
    match p.cycle {
        PayCycle::Once => "04",
        _ if p.end_date.year() == 9999 => "03",
        _ => "01",
    }
}

/// `pay_method` aN(2) of a premium line: `02` a card's, `01` an automatic
/// transfer when the plan names the bank account, else `03` paid directly.
pub(crate) fn pay_method(p: &Posting, plan: &PremiumPlan) -> &'static str {
    match p.kind {
        EntryKind::Card => "02",
        _ if plan.account_id.is_some() => "01",
        _ => "03",
    }
}

/// Which premium a line is: its memo's month and instalment; a line
/// without one (an opening, a refund) is of its own month, instalment 0.
pub(crate) fn premium_of(p: &Posting) -> PremiumMemo {
    PremiumMemo::decode(&p.memo).unwrap_or_else(|| {
        let d = crate::card::held::kst_date(p.at);
        PremiumMemo {
            month: d.year() as u32 * 100 + d.month(),
            instalment: 0,
        }
    })
}

/// The person's account premiums are collected from (org code of 8 and
/// number without `-`), if the plan names one of theirs.
pub(crate) async fn pay_account(
    state: &MydataState,
    caller: &Caller,
    plan: &PremiumPlan,
) -> crate::error::MResult<(Option<String>, Option<String>)> {
    let acct = crate::card::held::own_account(state, caller, plan.account_id.as_deref()).await?;
    Ok(acct.unzip())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn posting(kind: EntryKind, memo: &str) -> Posting {
        Posting {
            entry_id: 1,
            account_id: "a".into(),
            seq: 3,
            at: Utc.with_ymd_and_hms(2026, 11, 30, 16, 0, 0).unwrap(),
            kind,
            amount_minor: 52_000,
            balance_after_minor: 520_000,
            memo: memo.into(),
            counterparty: "홍길동".into(),
        }
    }

    fn plan(cycle: PayCycle, end: (i32, u32, u32), account: Option<&str>) -> PremiumPlan {
        PremiumPlan {
            cycle,
            count: 120,
            pay_day: 25,
            end_date: NaiveDate::from_ymd_opt(end.0, end.1, end.2).unwrap(),
            premium_minor: 52_000,
            account_id: account.map(str::to_owned),
            auto_loan: false,
        }
    }

    #[test]
    fn a_premium_line_reads_its_memo_else_its_kst_month() {
        let m = premium_of(&posting(EntryKind::Transfer, "보험료 202611 12회"));
        assert_eq!((m.month, m.instalment), (202611, 12));
        // 16:00 UTC on 30 November is 1 December in KST.
        let m = premium_of(&posting(EntryKind::Opening, "개설"));
        assert_eq!((m.month, m.instalment), (202612, 0));
    }

    #[test]
    fn payment_codes_follow_the_plan() {
        let monthly = plan(PayCycle::Monthly, (2036, 1, 25), Some("acct"));
        assert_eq!((pay_cycle(monthly.cycle), pay_due(&monthly)), ("1M", "01"));
        let life = plan(PayCycle::Yearly, (9999, 12, 31), None);
        assert_eq!((pay_cycle(life.cycle), pay_due(&life)), ("1Y", "03"));
        let once = plan(PayCycle::Once, (2026, 1, 25), None);
        assert_eq!((pay_cycle(once.cycle), pay_due(&once)), ("00", "04"));
        let p = posting(EntryKind::Transfer, "");
        assert_eq!(pay_method(&p, &monthly), "01");
        assert_eq!(pay_method(&p, &life), "03");
        assert_eq!(pay_method(&posting(EntryKind::Card, ""), &life), "02");
    }
}

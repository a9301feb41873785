//! An insurer's policies: 보험-001 the list, 002 basic information, 003 the
//! main contract and riders of an insured, 004 a car policy's car, 005 how
//! premiums are paid, 006 the premiums paid (the policy's ledger postings),
//! 007 a car policy's premiums, 012 the coverages.

use super::{
    insu_status, insu_type, pay_account, pay_cycle, pay_due, pay_method, policy_terms, premium_of,
    status_code, InsuCarHistoryRequest, InsuContractRequest, InsuHistoryRequest, InsuRequest,
    POLICY,
};
use crate::bank::AccountsQuery;
use crate::codes::Rsp;
use crate::error::{MResult, MydataError};
use crate::extract::{Caller, MJson, MQuery};
use crate::history::{self, amt, date, date_of, dtime, HistoryCall};
use crate::sync::{self, AssetCall, ListCall};
use crate::wire::{Reply, Synced};
use crate::MydataState;
use axum::extract::State;
use finhub_core::account::Account;
use finhub_core::ledger::Posting;
use finhub_core::money::Currency;
use finhub_core::product::insurance::{PolicyStatus, PremiumPlan};
use finhub_core::product::{InsuranceTerms, ProductTerms};
use serde::Serialize;
use serde_json::Number;
use utoipa::ToSchema;

const INSURANCE: &str = "insu.insurance";

// ---- 보험-001 ----

#[derive(Debug, Serialize, ToSchema)]
pub struct InsuList {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_timestamp: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page: Option<String>,
    pub insu_cnt: usize,
    pub insu_list: Vec<InsuItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InsuItem {
    /// aN(20) the policy number (the account number without `-`).
    pub insu_num: String,
    pub is_consent: bool,
    /// AH(300).
    pub prod_name: String,
    /// aN(2) `01` life, `02` health, `03` annuity, `04` savings, `05` car,
    /// `06` general, `07` guarantee (finhub's codes).
    pub insu_type: String,
    /// aN(2) `01` in force, `02` paid up, `03` lapsed, `04` matured, `05`
    /// closed (finhub's codes).
    pub insu_status: String,
}

fn item(caller: &Caller, a: &Account, terms: Option<&ProductTerms>) -> InsuItem {
    let t = policy_terms(a, terms);
    InsuItem {
        insu_num: crate::assets::asset_id(a),
        is_consent: caller.consent.holds(&a.account_id),
        prod_name: a.product_name.clone(),
        insu_type: insu_type(t.line).into(),
        insu_status: insu_status(a, &t).into(),
    }
}

/// The policies at the token's insurer (or guarantee insurer) under a list
/// scope: one page, `00001` when nothing on it changed.
pub(crate) async fn policy_list(
    s: &MydataState,
    caller: &Caller,
    q: &AccountsQuery,
    scope: &str,
) -> MResult<Synced<InsuList>> {
    let call = ListCall {
        scope,
        kinds: POLICY,
        org_code: q.org_code.as_deref(),
        search_timestamp: q.search_timestamp.as_deref(),
        next_page: q.next_page.as_deref(),
        limit: q.limit.as_deref(),
    };
    let l = sync::list(s, caller, call).await?;
    let list: Vec<InsuItem> = l
        .page
        .iter()
        .map(|a| item(caller, a, l.terms_of(a)))
        .collect();
    Ok(l.answer(|search_timestamp| InsuList {
        search_timestamp,
        next_page: l.next_page.clone(),
        insu_cnt: list.len(),
        insu_list: list,
    }))
}

/// 보험-001 보험 목록 조회: every policy the person holds at the token's
/// insurer (and any closed since the consent), `is_consent` each; paged by
/// `limit`/`next_page`.
#[utoipa::path(get, path = "/v1/insu/insurances", tag = "insu", params(AccountsQuery),
    responses((status = 200, description = "보험 목록 (보험-001)", body = InsuList)))]
pub async fn list(
    State(s): State<MydataState>,
    caller: Caller,
    MQuery(q): MQuery<AccountsQuery>,
) -> MResult<Synced<InsuList>> {
    policy_list(&s, &caller, &q, "insu.list").await
}

// ---- 보험-002 ----

#[derive(Debug, Serialize, ToSchema)]
pub struct InsuBasic {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_timestamp: Option<i64>,
    pub is_renewable: bool,
    /// DATE the contract date.
    pub issue_date: String,
    /// DATE maturity (`99991231` whole life).
    pub exp_date: String,
    /// F(18,3) the sum insured.
    #[schema(value_type = f64)]
    pub face_amt: Number,
    pub currency_code: String,
    pub is_variable: bool,
    pub is_universal: bool,
    /// Annuities: DATE receiving starts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pension_rcv_start_date: Option<String>,
    /// Annuities: `1M` (finhub's annuities pay monthly).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pension_rcv_cycle: Option<String>,
    /// A policy loan may be taken on it.
    pub is_loanable: bool,
    pub insured_cnt: usize,
    pub insured_list: Vec<InsuInsured>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InsuInsured {
    /// aN(≤10) `01`, `02`, ...
    pub insured_no: String,
    pub insured_name: String,
    pub is_primary: bool,
}

/// 보험-002 보험 기본정보 조회: the policy's terms and its insured.
#[utoipa::path(post, path = "/v1/insu/insurances/basic", tag = "insu",
    request_body = InsuRequest,
    responses((status = 200, description = "보험 기본정보 (보험-002)", body = InsuBasic)))]
pub async fn basic(
    State(s): State<MydataState>,
    caller: Caller,
    MJson(r): MJson<InsuRequest>,
) -> MResult<Synced<InsuBasic>> {
    let h = sync::held(&s, &caller, r.call(INSURANCE)).await?;
    let t = policy_terms(&h.account, h.terms());
    let c = h.account.currency;
    let insured: Vec<InsuInsured> = t
        .insured
        .iter()
        .map(|i| InsuInsured {
            insured_no: i.no.clone(),
            insured_name: i.name.clone(),
            is_primary: i.primary,
        })
        .collect();
    Ok(h.basic(|search_timestamp| InsuBasic {
        search_timestamp,
        is_renewable: t.renewable,
        issue_date: date(t.issue_date),
        exp_date: date(t.exp_date),
        face_amt: amt(t.face_minor, c),
        currency_code: c.to_string(),
        is_variable: t.variable,
        is_universal: t.universal,
        pension_rcv_start_date: t.pension_start.map(date),
        pension_rcv_cycle: t.pension_start.map(|_| "1M".to_owned()),
        is_loanable: t.loanable,
        insured_cnt: insured.len(),
        insured_list: insured,
    }))
}

// ---- 보험-003 ----

#[derive(Debug, Serialize, ToSchema)]
pub struct InsuContracts {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_timestamp: Option<i64>,
    pub contract_cnt: usize,
    pub contract_list: Vec<InsuContract>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InsuContract {
    /// AH(300).
    pub contract_name: String,
    /// aN(2), the codes of `insu_status`.
    pub contract_status: String,
    pub contract_exp_date: String,
    #[schema(value_type = f64)]
    pub contract_face_amt: Number,
    pub currency_code: String,
    /// The main contract (주계약) rather than an optional rider.
    pub is_required: bool,
}

/// 보험-003 보험 특약정보 조회: the main contract and riders covering one
/// insured (`insured_no` missing 40001; not an insured of the policy 40402).
#[utoipa::path(post, path = "/v1/insu/insurances/contracts", tag = "insu",
    request_body = InsuContractRequest,
    responses((status = 200, description = "보험 특약정보 (보험-003)", body = InsuContracts)))]
pub async fn contracts(
    State(s): State<MydataState>,
    caller: Caller,
    MJson(r): MJson<InsuContractRequest>,
) -> MResult<Synced<InsuContracts>> {
    let call = AssetCall {
        scope: INSURANCE,
        kinds: POLICY,
        org_code: r.org_code.as_deref(),
        asset: r.insu_num.as_deref(),
        search_timestamp: r.search_timestamp.as_deref(),
        next_page: None,
    };
    caller.require(INSURANCE)?;
    caller.org(call.org_code)?;
    let no = r
        .insured_no
        .as_deref()
        .filter(|n| !n.is_empty())
        .ok_or_else(|| MydataError::param("insured_no 누락"))?;
    let h = sync::held(&s, &caller, call).await?;
    let t = policy_terms(&h.account, h.terms());
    if !t.insured.iter().any(|i| i.no == no) {
        return Err(MydataError::detail(Rsp::NoAsset, "피보험자 없음"));
    }
    let c = h.account.currency;
    let list: Vec<InsuContract> = t
        .riders
        .iter()
        .filter(|x| x.insured_no == no)
        .map(|x| InsuContract {
            contract_name: x.name.clone(),
            contract_status: status_code(x.status).into(),
            contract_exp_date: date(x.exp_date),
            contract_face_amt: amt(x.face_minor, c),
            currency_code: c.to_string(),
            is_required: x.required,
        })
        .collect();
    Ok(h.basic(|search_timestamp| InsuContracts {
        search_timestamp,
        contract_cnt: list.len(),
        contract_list: list,
    }))
}

// ---- 보험-004 ----

#[derive(Debug, Serialize, ToSchema)]
pub struct InsuCar {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_timestamp: Option<i64>,
    pub car_insu_cnt: usize,
    pub car_insu_list: Vec<InsuCarItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InsuCarItem {
    /// AH(60) the plate.
    pub car_number: String,
    /// aN(2) `01` private car (개인용): finhub's policies insure private cars.
    pub car_insu_type: String,
    pub car_name: String,
    pub start_date: String,
    pub end_date: String,
    /// AH(60) the age rider as printed.
    pub contract_age: String,
    /// AH(60) the driver limit as printed.
    pub contract_driver: String,
    pub is_own_dmg_coverage: bool,
    /// aN(2) the deductible rate in whole percent (`20` = 20 %; `00` none),
    /// finhub's reading of the code.
    pub self_pay_rate: String,
    /// N(15) the deductible's cap.
    pub self_pay_amt: i64,
}

/// A car policy's terms, else 40402 (the policy has no car information).
fn car_policy(h: &sync::Held) -> MResult<InsuranceTerms> {
    let t = policy_terms(&h.account, h.terms());
    if t.car.is_none() {
        return Err(MydataError::detail(Rsp::NoAsset, "자동차보험 아님"));
    }
    Ok(t)
}

/// 보험-004 자동차보험 정보 조회: a car policy's car. A policy that is not a
/// car policy is 404 `40402`.
#[utoipa::path(post, path = "/v1/insu/insurances/car", tag = "insu",
    request_body = InsuRequest,
    responses((status = 200, description = "자동차보험 정보 (보험-004)", body = InsuCar)))]
pub async fn car(
    State(s): State<MydataState>,
    caller: Caller,
    MJson(r): MJson<InsuRequest>,
) -> MResult<Synced<InsuCar>> {
    let h = sync::held(&s, &caller, r.call(INSURANCE)).await?;
    let t = car_policy(&h)?;
    let list: Vec<InsuCarItem> = t
        .car
        .iter()
        .map(|c| InsuCarItem {
            car_number: c.car_number.clone(),
            car_insu_type: "01".into(),
            car_name: c.car_name.clone(),
            start_date: date(c.start_date),
            end_date: date(c.end_date),
            contract_age: c.age_limit.clone(),
            contract_driver: c.driver_limit.clone(),
            is_own_dmg_coverage: c.own_damage,
            self_pay_rate: format!("{:02}", (c.self_pay_rate_milli / 1_000).clamp(0, 99)),
            self_pay_amt: c.self_pay_minor,
        })
        .collect();
    Ok(h.basic(|search_timestamp| InsuCar {
        search_timestamp,
        car_insu_cnt: list.len(),
        car_insu_list: list,
    }))
}

// ---- 보험-005 ----

#[derive(Debug, Serialize, ToSchema)]
pub struct InsuPayment {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_timestamp: Option<i64>,
    /// aN(2) `01` a number of years, `03` whole life, `04` lump sum.
    pub pay_due: String,
    /// aN(2) `1M`, `3M`, `1Y`, `00` one payment.
    pub pay_cycle: String,
    /// N(5) premiums in all.
    pub pay_cnt: u32,
    /// aN(8) the bank premiums are collected from (automatic transfer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pay_org_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pay_account_num: Option<String>,
    /// aN(2) the day of the month premiums are collected.
    pub pay_date: String,
    pub pay_end_date: String,
    /// F(18,3) one premium.
    #[schema(value_type = f64)]
    pub pay_amt: Number,
    pub currency_code: String,
    /// Automatic premium loan (자동대출납입) is on.
    pub is_auto_pay: bool,
}

/// 보험-005 보험 납입정보 조회: the premium plan and the bank account it is
/// collected from.
#[utoipa::path(post, path = "/v1/insu/insurances/payment", tag = "insu",
    request_body = InsuRequest,
    responses((status = 200, description = "보험 납입정보 (보험-005)", body = InsuPayment)))]
pub async fn payment(
    State(s): State<MydataState>,
    caller: Caller,
    MJson(r): MJson<InsuRequest>,
) -> MResult<Synced<InsuPayment>> {
    let h = sync::held(&s, &caller, r.call(INSURANCE)).await?;
    let p = policy_terms(&h.account, h.terms()).premium;
    let (pay_org_code, pay_account_num) = pay_account(&s, &caller, &p).await?;
    let c = h.account.currency;
    Ok(h.basic(|search_timestamp| InsuPayment {
        search_timestamp,
        pay_due: pay_due(&p).into(),
        pay_cycle: pay_cycle(p.cycle).into(),
        pay_cnt: p.count,
        pay_org_code,
        pay_account_num,
        pay_date: format!("{:02}", p.pay_day),
        pay_end_date: date(p.end_date),
        pay_amt: amt(p.premium_minor, c),
        currency_code: c.to_string(),
        is_auto_pay: p.auto_loan,
    }))
}

// ---- 보험-006 ----

#[derive(Debug, Serialize, ToSchema)]
pub struct InsuTransactions {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page: Option<String>,
    pub trans_cnt: usize,
    pub trans_list: Vec<InsuTransaction>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InsuTransaction {
    /// DATE paid on (KST).
    pub trans_date: String,
    /// N(6) `YYYYMM` the month the premium is for.
    pub trans_applied_month: u32,
    /// N(3) which premium of the plan (0: a line that is not a numbered
    /// premium, such as an opening balance or a refund).
    pub paid_in_cnt: u32,
    /// F(18,3) paid (negative: paid back).
    #[schema(value_type = f64)]
    pub paid_amt: Number,
    pub currency_code: String,
    /// aN(2) `01` automatic transfer, `02` card, `03` paid directly.
    pub pay_method: String,
}

pub(crate) fn premium_line(p: &Posting, plan: &PremiumPlan, c: Currency) -> InsuTransaction {
    let m = premium_of(p);
    InsuTransaction {
        trans_date: date_of(p.at),
        trans_applied_month: m.month,
        paid_in_cnt: m.instalment,
        paid_amt: amt(p.amount_minor, c),
        currency_code: c.to_string(),
        pay_method: pay_method(p, plan).into(),
    }
}

/// The policy's terms read after a history page.
async fn terms_of(s: &MydataState, a: &Account) -> MResult<InsuranceTerms> {
    let record = s.repo.terms(&a.account_id).await?;
    Ok(policy_terms(a, record.as_ref().map(|r| &r.terms)))
}

/// 보험-006 보험 거래내역 조회: the premiums paid in the window (the
/// policy's ledger postings), newest first, paged.
#[utoipa::path(post, path = "/v1/insu/insurances/transactions", tag = "insu",
    request_body = InsuHistoryRequest,
    responses((status = 200, description = "보험 거래내역 (보험-006)", body = InsuTransactions)))]
pub async fn transactions(
    State(s): State<MydataState>,
    caller: Caller,
    MJson(r): MJson<InsuHistoryRequest>,
) -> MResult<Reply<InsuTransactions>> {
    let h = history::history(&s, &caller, r.call(INSURANCE)).await?;
    let t = terms_of(&s, &h.account).await?;
    let c = h.account.currency;
    let list: Vec<InsuTransaction> = h
        .lines
        .iter()
        .map(|p| premium_line(p, &t.premium, c))
        .collect();
    Ok(Reply::ok(InsuTransactions {
        next_page: h.next_page,
        trans_cnt: list.len(),
        trans_list: list,
    }))
}

// ---- 보험-007 ----

#[derive(Debug, Serialize, ToSchema)]
pub struct InsuCarTransactions {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page: Option<String>,
    pub trans_cnt: usize,
    pub trans_list: Vec<InsuCarTransaction>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InsuCarTransaction {
    pub trans_dtime: String,
    /// aN(64) the line's number in the policy's ledger.
    pub trans_no: String,
    /// N(15) the car premium of the whole term (premium × premiums).
    pub face_amt: i64,
    pub paid_in_cnt: u32,
    /// N(15).
    pub paid_amt: i64,
    pub pay_method: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pay_org_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pay_account_num: Option<String>,
}

/// 보험-007 자동차보험 거래내역 조회: a car policy's premiums. `car_number`
/// missing 40001; not the policy's car (or not a car policy) 40402.
#[utoipa::path(post, path = "/v1/insu/insurances/car/transactions", tag = "insu",
    request_body = InsuCarHistoryRequest,
    responses((status = 200, description = "자동차보험 거래내역 (보험-007)",
        body = InsuCarTransactions)))]
pub async fn car_transactions(
    State(s): State<MydataState>,
    caller: Caller,
    MJson(r): MJson<InsuCarHistoryRequest>,
) -> MResult<Reply<InsuCarTransactions>> {
    caller.require(INSURANCE)?;
    caller.org(r.org_code.as_deref())?;
    let car_number = r
        .car_number
        .as_deref()
        .filter(|n| !n.is_empty())
        .ok_or_else(|| MydataError::param("car_number 누락"))?;
    let call = HistoryCall {
        scope: INSURANCE,
        kinds: POLICY,
        org_code: r.org_code.as_deref(),
        asset: r.insu_num.as_deref(),
        fields: &r.history,
    };
    let h = history::history(&s, &caller, call).await?;
    let t = terms_of(&s, &h.account).await?;
    if t.car.as_ref().is_none_or(|c| c.car_number != car_number) {
        return Err(MydataError::detail(Rsp::NoAsset, "차량번호 없음"));
    }
    let (pay_org_code, pay_account_num) = pay_account(&s, &caller, &t.premium).await?;
    let face = t
        .premium
        .premium_minor
        .saturating_mul(i64::from(t.premium.count.max(1)));
    let list: Vec<InsuCarTransaction> = h
        .lines
        .iter()
        .map(|p| InsuCarTransaction {
            trans_dtime: dtime(p.at),
            trans_no: p.seq.to_string(),
            face_amt: face,
            paid_in_cnt: premium_of(p).instalment,
            paid_amt: p.amount_minor,
            pay_method: pay_method(p, &t.premium).into(),
            pay_org_code: pay_org_code.clone(),
            pay_account_num: pay_account_num.clone(),
        })
        .collect();
    Ok(Reply::ok(InsuCarTransactions {
        next_page: h.next_page,
        trans_cnt: list.len(),
        trans_list: list,
    }))
}

// ---- 보험-012 ----

#[derive(Debug, Serialize, ToSchema)]
pub struct InsuCoverages {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_timestamp: Option<i64>,
    pub coverage_cnt: usize,
    pub coverage_list: Vec<InsuCoverage>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InsuCoverage {
    /// aN(1) whom it covers: `1` an insured person (finhub's code).
    pub subject: String,
    /// aN(2) the insured's relation to the policyholder: `01` self (the
    /// primary insured), `99` another person (finhub's codes).
    pub relation: String,
    /// aN(1) `1` covering, `2` ended or suspended.
    pub status: String,
    /// aN(5) the standard coverage code.
    pub coverage_code: String,
    /// N(1) `1` fixed benefit (정액), `2` indemnity (실손, by its name).
    #[serde(rename = "type")]
    pub kind: String,
    /// aN(20) the insurer's serial of the coverage.
    pub coverage_num: String,
    pub coverage_name: String,
    /// N the amount covered.
    pub coverage_amt: i64,
    pub start_date: String,
    pub end_date: String,
}

/// 보험-012 보험 보장정보 조회: what the policy covers, per insured.
#[utoipa::path(post, path = "/v1/insu/insurances/coverages", tag = "insu",
    request_body = InsuRequest,
    responses((status = 200, description = "보험 보장정보 (보험-012)", body = InsuCoverages)))]
pub async fn coverages(
    State(s): State<MydataState>,
    caller: Caller,
    MJson(r): MJson<InsuRequest>,
) -> MResult<Synced<InsuCoverages>> {
    let h = sync::held(&s, &caller, r.call(INSURANCE)).await?;
    let t = policy_terms(&h.account, h.terms());
    let primary = |no: &str| t.insured.iter().any(|i| i.no == no && i.primary);
    let ended = matches!(t.status, PolicyStatus::Lapsed | PolicyStatus::Matured);
    let list: Vec<InsuCoverage> = t
        .coverages
        .iter()
        .map(|c| InsuCoverage {
            subject: "1".into(),
            relation: if primary(&c.insured_no) { "01" } else { "99" }.into(),
            status: if c.active && !ended { "1" } else { "2" }.into(),
            coverage_code: c.code.clone(),
            kind: if c.name.contains("실손") { "2" } else { "1" }.into(),
            coverage_num: c.num.clone(),
            coverage_name: c.name.clone(),
            coverage_amt: c.amount_minor,
            start_date: date(c.start_date),
            end_date: date(c.end_date),
        })
        .collect();
    Ok(h.basic(|search_timestamp| InsuCoverages {
        search_timestamp,
        coverage_cnt: list.len(),
        coverage_list: list,
    }))
}

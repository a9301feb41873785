//! An insurer's loans (보험-008..011): policy loans (약관대출), each a Loan
//! account at the insurer whose terms name the policy it is secured by.
//! What is owed is the account's (negative) balance; drawdown and
//! repayments are its ledger postings (`LoanMemo`), read as the bank's are.

use super::{InsuLoanHistoryRequest, InsuLoanRequest};
use crate::bank::{
    account_status, loan_parts, loan_terms, repay_method, AccountsQuery, LoanDetail,
};
use crate::card::held::own_account;
use crate::error::MResult;
use crate::extract::{Caller, MJson, MQuery};
use crate::history::{self, amt, date, date_of, dtime, rate, HistoryCall};
use crate::sync::{self, AssetCall, ListCall};
use crate::wire::{Reply, Synced};
use crate::MydataState;
use axum::extract::State;
use chrono::{Duration, Months};
use finhub_core::account::{Account, AccountKind};
use finhub_core::ledger::Posting;
use finhub_core::money::Currency;
use finhub_core::product::{LoanTerms, LoanType, ProductTerms};
use serde::Serialize;
use serde_json::Number;
use utoipa::ToSchema;

const LOAN: &[AccountKind] = &[AccountKind::Loan];
const LOAN_SCOPE: &str = "insu.loan";

impl InsuLoanRequest {
    fn call(&self) -> AssetCall<'_> {
        AssetCall {
            scope: LOAN_SCOPE,
            kinds: LOAN,
            org_code: self.org_code.as_deref(),
            asset: self.account_num.as_deref(),
            search_timestamp: self.search_timestamp.as_deref(),
            next_page: None,
        }
    }
}

// ---- 보험-008 ----

#[derive(Debug, Serialize, ToSchema)]
pub struct InsuLoans {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_timestamp: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page: Option<String>,
    pub loan_cnt: usize,
    pub loan_list: Vec<InsuLoanItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InsuLoanItem {
    pub prod_name: String,
    /// aN(20) the account number without `-`.
    pub account_num: String,
    pub is_consent: bool,
    /// aN(4) `3400` policy loan (보험계약대출, finhub's code), else the
    /// bank's: `3100` credit, `3150` mortgage, `3999` other.
    pub account_type: String,
    /// aN(2) `01` normal, `02` dormant, `03` closed.
    pub account_status: String,
}

/// `account_type` of an insurer's loan.
fn loan_type_code(t: &LoanTerms) -> &'static str {
    match t.loan_type {
        LoanType::Policy => "3400",
        LoanType::Credit => "3100",
        LoanType::Mortgage => "3150",
        _ => "3999",
    }
}

fn item(caller: &Caller, a: &Account, terms: Option<&ProductTerms>) -> InsuLoanItem {
    InsuLoanItem {
        prod_name: a.product_name.clone(),
        account_num: crate::assets::asset_id(a),
        is_consent: caller.consent.holds(&a.account_id),
        account_type: loan_type_code(&loan_terms(a, terms)).into(),
        account_status: account_status(a.status).into(),
    }
}

/// 보험-008 대출상품 목록 조회: the person's loans at the token's insurer
/// (and any closed since the consent), `is_consent` each, paged.
#[utoipa::path(get, path = "/v1/insu/loans", tag = "insu", params(AccountsQuery),
    responses((status = 200, description = "대출상품 목록 (보험-008)", body = InsuLoans)))]
pub async fn list(
    State(s): State<MydataState>,
    caller: Caller,
    MQuery(q): MQuery<AccountsQuery>,
) -> MResult<Synced<InsuLoans>> {
    let call = ListCall {
        scope: "insu.list",
        kinds: LOAN,
        org_code: q.org_code.as_deref(),
        search_timestamp: q.search_timestamp.as_deref(),
        next_page: q.next_page.as_deref(),
        limit: q.limit.as_deref(),
    };
    let l = sync::list(&s, &caller, call).await?;
    let list: Vec<InsuLoanItem> = l
        .page
        .iter()
        .map(|a| item(&caller, a, l.terms_of(a)))
        .collect();
    Ok(l.answer(|search_timestamp| InsuLoans {
        search_timestamp,
        next_page: l.next_page.clone(),
        loan_cnt: list.len(),
        loan_list: list,
    }))
}

// ---- 보험-009 ----

#[derive(Debug, Serialize, ToSchema)]
pub struct InsuLoanBasic {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_timestamp: Option<i64>,
    pub loan_start_date: String,
    pub loan_exp_date: String,
    /// aN(2) `01` bullet, `02` equal principal, `03` equal payment.
    pub repay_method: String,
    /// aN(20) the policy the loan is secured by (its `insu_num`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub insu_num: Option<String>,
    /// aN(2) the day of the month repayments fall due.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repay_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repay_org_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repay_account_num: Option<String>,
}

/// The policy a loan is secured by, if it is the person's.
async fn security(s: &MydataState, caller: &Caller, t: &LoanTerms) -> MResult<Option<String>> {
    let Some(id) = t.secured_by.as_deref() else {
        return Ok(None);
    };
    let a = s.world.repo.account(id).await?;
    Ok(
        a.filter(|a| a.person_id.as_deref() == Some(caller.person()))
            .map(|a| crate::assets::asset_id(&a)),
    )
}

/// 보험-009 대출상품 기본정보 조회: the loan's dates, repayment and the
/// policy it is secured by.
#[utoipa::path(post, path = "/v1/insu/loans/basic", tag = "insu",
    request_body = InsuLoanRequest,
    responses((status = 200, description = "대출상품 기본정보 (보험-009)", body = InsuLoanBasic)))]
pub async fn basic(
    State(s): State<MydataState>,
    caller: Caller,
    MJson(r): MJson<InsuLoanRequest>,
) -> MResult<Synced<InsuLoanBasic>> {
    let h = sync::held(&s, &caller, r.call()).await?;
    let t = loan_terms(&h.account, h.terms());
    let insu_num = security(&s, &caller, &t).await?;
    let repay = own_account(&s, &caller, t.repay_account_id.as_deref()).await?;
    let (repay_org_code, repay_account_num) = repay.unzip();
    Ok(h.basic(|search_timestamp| InsuLoanBasic {
        search_timestamp,
        loan_start_date: date_of(h.account.opened_at),
        loan_exp_date: date(t.exp_date),
        repay_method: repay_method(t.repay_method).into(),
        insu_num,
        repay_date: t.repay_day.map(|d| format!("{d:02}")),
        repay_org_code,
        repay_account_num,
    }))
}

// ---- 보험-010 ----

/// 보험-010 대출상품 추가정보 조회: what is owed, from the ledger.
#[utoipa::path(post, path = "/v1/insu/loans/detail", tag = "insu",
    request_body = InsuLoanRequest,
    responses((status = 200, description = "대출상품 추가정보 (보험-010)", body = LoanDetail)))]
pub async fn detail(
    State(s): State<MydataState>,
    caller: Caller,
    MJson(r): MJson<InsuLoanRequest>,
) -> MResult<Synced<LoanDetail>> {
    let h = sync::held(&s, &caller, r.call()).await?;
    let t = loan_terms(&h.account, h.terms());
    Ok(LoanDetail::answer(&h, &t, caller.today))
}

// ---- 보험-011 ----

#[derive(Debug, Serialize, ToSchema)]
pub struct InsuLoanTransactions {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page: Option<String>,
    pub trans_cnt: usize,
    pub trans_list: Vec<InsuLoanTransaction>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InsuLoanTransaction {
    pub trans_no: String,
    pub trans_dtime: String,
    /// `01` drawdown, `02` repayment, `99` other (as 은행-010; finhub adds
    /// it so a drawdown line reads as one).
    pub trans_type: String,
    /// What moved (as 은행-010).
    #[schema(value_type = f64)]
    pub trans_amt: Number,
    pub currency_code: String,
    /// F(18,3) principal repaid.
    #[schema(value_type = f64)]
    pub loan_paid_amt: Number,
    /// F(18,3) interest paid.
    #[schema(value_type = f64)]
    pub int_paid_amt: Number,
    pub int_cnt: usize,
    pub int_list: Vec<InsuLoanInterest>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InsuLoanInterest {
    pub int_start_date: String,
    pub int_end_date: String,
    /// F(5,3) percent.
    pub int_rate: f64,
    /// aN(2) `01` normal interest.
    pub int_type: String,
}

/// One line: the bank's reading of a loan posting (its `LoanMemo`, else its
/// kind and sign), the interest as the month before the line.
fn line(p: &Posting, t: &LoanTerms, c: Currency) -> InsuLoanTransaction {
    let (kind, amount, interest) = loan_parts(p, t);
    let principal = if kind == "02" { amount - interest } else { 0 };
    let day = crate::card::held::kst_date(p.at);
    let pieces: Vec<InsuLoanInterest> = (interest > 0)
        .then(|| InsuLoanInterest {
            int_start_date: date(day.checked_sub_months(Months::new(1)).unwrap_or(day)),
            int_end_date: date(day - Duration::days(1)),
            int_rate: rate(t.rate_milli),
            int_type: "01".into(),
        })
        .into_iter()
        .collect();
    InsuLoanTransaction {
        trans_no: p.seq.to_string(),
        trans_dtime: dtime(p.at),
        trans_type: kind.into(),
        trans_amt: amt(amount, c),
        currency_code: c.to_string(),
        loan_paid_amt: amt(principal, c),
        int_paid_amt: amt(interest, c),
        int_cnt: pieces.len(),
        int_list: pieces,
    }
}

/// 보험-011 대출상품 거래내역 조회: the loan's ledger postings in the window,
/// newest first, paged, each repayment split into principal and interest.
#[utoipa::path(post, path = "/v1/insu/loans/transactions", tag = "insu",
    request_body = InsuLoanHistoryRequest,
    responses((status = 200, description = "대출상품 거래내역 (보험-011)",
        body = InsuLoanTransactions)))]
pub async fn transactions(
    State(s): State<MydataState>,
    caller: Caller,
    MJson(r): MJson<InsuLoanHistoryRequest>,
) -> MResult<Reply<InsuLoanTransactions>> {
    let call = HistoryCall {
        scope: LOAN_SCOPE,
        kinds: LOAN,
        org_code: r.org_code.as_deref(),
        asset: r.account_num.as_deref(),
        fields: &r.history,
    };
    let h = history::history(&s, &caller, call).await?;
    let record = s.repo.terms(&h.account.account_id).await?;
    let t = loan_terms(&h.account, record.as_ref().map(|r| &r.terms));
    let c = h.account.currency;
    let list: Vec<InsuLoanTransaction> = h.lines.iter().map(|p| line(p, &t, c)).collect();
    Ok(Reply::ok(InsuLoanTransactions {
        next_page: h.next_page,
        trans_cnt: list.len(),
        trans_list: list,
    }))
}

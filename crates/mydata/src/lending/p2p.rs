//! P2P-001..004: a P2P lender's (온라인투자연계금융업자) loans. A P2P loan is a
//! Loan account with `ProductTerms::Lending`; one without terms reads as a
//! personal credit loan with the bank's default terms (`bank::loan_terms`).
//! The next repayment's parts are core's schedule (`next_instalment`).

use crate::bank::{self, loan_line, AccountsQuery};
use crate::card::held::kst_date;
use crate::error::MResult;
use crate::extract::{Caller, MJson, MQuery};
use crate::history::{self, amt, date, date_of, dtime, rate, HistoryCall, HistoryFields};
use crate::params::num_or_str;
use crate::sync::{self, AssetCall, ListCall};
use crate::wire::{Reply, Synced};
use crate::MydataState;
use axum::extract::State;
use axum::routing::{get, post};
use axum::Router;
use finhub_core::account::{Account, AccountKind};
use finhub_core::merchant::LoanMemo;
use finhub_core::product::lending::{next_instalment, repay_count, LendingKind};
use finhub_core::product::{LendingTerms, ProductTerms};
use serde::{Deserialize, Serialize};
use serde_json::Number;
use utoipa::{OpenApi, ToSchema};

const LOAN: &[AccountKind] = &[AccountKind::Loan];
const LIST: &str = "p2p.list";
const SCOPE: &str = "p2p.lending";

pub(super) fn routes() -> Router<MydataState> {
    Router::new()
        .route("/v1/p2p/lendings", get(lendings))
        .route("/v1/p2p/lendings/basic", post(basic))
        .route("/v1/p2p/lendings/detail", post(detail))
        .route("/v1/p2p/lendings/transactions", post(transactions))
}

#[derive(OpenApi)]
#[openapi(
    paths(lendings, basic, detail, transactions),
    components(schemas(
        LendingRequest,
        LendingHistoryRequest,
        Lendings,
        LendingItem,
        LendingBasic,
        LendingDetail,
        LendingTransactions,
        LendingTransaction
    )),
    tags((name = "p2p", description = "P2P업권 (P2P-001..004). The standard gives these in outline \
(mydata.md §11; field names as a 2022 collector's DTOs name them), so the codes are finhub's, in the \
style of the bank loan APIs: `type` `01` personal credit, `02` real-estate secured, `03` other \
secured; `repay_method` as 첨부4 (`01` bullet, `02` equal principal, `03` equal payment); P2P-004 \
lists repayments only (a drawdown is no repayment), `repay_cnt` the number of the repayment day it \
fell on since the loan began, `repay_type` `01` a repayment, `02` the one that cleared the loan \
before its maturity. P2P-003's `principal_amt`/`int_amt` are the next repayment's scheduled parts."))
)]
pub(super) struct Doc;

/// A P2P loan's terms; without any, a personal credit loan on the bank's defaults.
fn terms_of(a: &Account, terms: Option<&ProductTerms>) -> LendingTerms {
    match terms {
        Some(ProductTerms::Lending(l)) => l.clone(),
        other => LendingTerms {
            kind: LendingKind::Credit,
            loan: bank::loan_terms(a, other),
            ltv_milli: None,
        },
    }
}

fn lending_type(k: LendingKind) -> &'static str {
    match k {
        LendingKind::Credit => "01",
        LendingKind::RealEstate => "02",
        LendingKind::OtherSecured => "03",
    }
}

// ---- requests ----

/// The body of P2P-002 and P2P-003.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct LendingRequest {
    pub org_code: Option<String>,
    /// aN(20) the loan contract number (P2P-001's `lending_id`).
    pub lending_id: Option<String>,
    #[serde(deserialize_with = "num_or_str")]
    #[schema(value_type = Option<i64>)]
    pub search_timestamp: Option<String>,
}

/// The body of P2P-004.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct LendingHistoryRequest {
    pub org_code: Option<String>,
    pub lending_id: Option<String>,
    #[serde(flatten)]
    pub history: HistoryFields,
}

impl LendingRequest {
    fn call(&self) -> AssetCall<'_> {
        AssetCall {
            scope: SCOPE,
            kinds: LOAN,
            org_code: self.org_code.as_deref(),
            asset: self.lending_id.as_deref(),
            search_timestamp: self.search_timestamp.as_deref(),
            next_page: None,
        }
    }
}

// ---- P2P-001 ----

#[derive(Debug, Serialize, ToSchema)]
pub struct Lendings {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_timestamp: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page: Option<String>,
    pub lending_cnt: usize,
    pub lending_list: Vec<LendingItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LendingItem {
    /// aN(20) the loan contract number without `-`.
    pub lending_id: String,
    pub is_consent: bool,
    /// aN(2) `01` personal credit, `02` real-estate secured, `03` other secured.
    #[serde(rename = "type")]
    pub lending_type: String,
    /// F(18,3) the amount lent.
    #[schema(value_type = f64)]
    pub lending_amt: Number,
    /// DATE the loan's day.
    pub issue_date: String,
}

/// P2P-001: every P2P loan the person holds at the lender.
#[utoipa::path(get, path = "/v1/p2p/lendings", tag = "p2p", params(AccountsQuery),
    responses((status = 200, description = "P2P 대출 목록 조회 (P2P-001)", body = Lendings)))]
pub(super) async fn lendings(
    State(s): State<MydataState>,
    caller: Caller,
    MQuery(q): MQuery<AccountsQuery>,
) -> MResult<Synced<Lendings>> {
    let call = ListCall {
        scope: LIST,
        kinds: LOAN,
        org_code: q.org_code.as_deref(),
        search_timestamp: q.search_timestamp.as_deref(),
        next_page: q.next_page.as_deref(),
        limit: q.limit.as_deref(),
    };
    let l = sync::list(&s, &caller, call).await?;
    let list: Vec<LendingItem> = l
        .page
        .iter()
        .map(|a| {
            let t = terms_of(a, l.terms_of(a));
            LendingItem {
                lending_id: crate::assets::asset_id(a),
                is_consent: caller.consent.holds(&a.account_id),
                lending_type: lending_type(t.kind).into(),
                lending_amt: amt(t.loan.principal_minor, a.currency),
                issue_date: date_of(a.opened_at),
            }
        })
        .collect();
    Ok(l.answer(|search_timestamp| Lendings {
        search_timestamp,
        next_page: l.next_page.clone(),
        lending_cnt: list.len(),
        lending_list: list,
    }))
}

// ---- P2P-002 ----

#[derive(Debug, Serialize, ToSchema)]
pub struct LendingBasic {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_timestamp: Option<i64>,
    /// DATE maturity.
    pub exp_date: String,
    /// F(5,3) percent.
    pub offered_rate: f64,
    /// aN(2) `01` bullet, `02` equal principal, `03` equal payment.
    pub repay_method: String,
    /// F(5,2) percent: a real-estate secured loan's loan-to-value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ltv_rate: Option<f64>,
}

/// P2P-002: a P2P loan's basic information.
#[utoipa::path(post, path = "/v1/p2p/lendings/basic", tag = "p2p", request_body = LendingRequest,
    responses((status = 200, description = "P2P 대출 기본정보 조회 (P2P-002)", body = LendingBasic)))]
pub(super) async fn basic(
    State(s): State<MydataState>,
    caller: Caller,
    MJson(r): MJson<LendingRequest>,
) -> MResult<Synced<LendingBasic>> {
    let h = sync::held(&s, &caller, r.call()).await?;
    let t = terms_of(&h.account, h.terms());
    Ok(h.basic(|search_timestamp| LendingBasic {
        search_timestamp,
        exp_date: date(t.loan.exp_date),
        offered_rate: rate(t.loan.rate_milli),
        repay_method: bank::repay_method(t.loan.repay_method).into(),
        ltv_rate: t.ltv_milli.map(rate),
    }))
}

// ---- P2P-003 ----

#[derive(Debug, Serialize, ToSchema)]
pub struct LendingDetail {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_timestamp: Option<i64>,
    /// F(18,3) still owed.
    #[schema(value_type = f64)]
    pub balance_amt: Number,
    /// N(3) the number of the next repayment; omitted once nothing is owed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_repay_cnt: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_repay_date: Option<String>,
    /// F(18,3) the next repayment's scheduled principal.
    #[schema(value_type = f64)]
    pub principal_amt: Number,
    /// F(18,3) the next repayment's scheduled interest.
    #[schema(value_type = f64)]
    pub int_amt: Number,
}

/// P2P-003: what is owed and the next repayment, from the ledger.
#[utoipa::path(post, path = "/v1/p2p/lendings/detail", tag = "p2p", request_body = LendingRequest,
    responses((status = 200, description = "P2P 대출 추가정보 조회 (P2P-003)", body = LendingDetail)))]
pub(super) async fn detail(
    State(s): State<MydataState>,
    caller: Caller,
    MJson(r): MJson<LendingRequest>,
) -> MResult<Synced<LendingDetail>> {
    let h = sync::held(&s, &caller, r.call()).await?;
    let a = &h.account;
    let t = terms_of(a, h.terms()).loan;
    let owed = bank::outstanding(a.balance_minor);
    let next = (owed > 0)
        .then(|| bank::next_repay_date(&t, caller.today))
        .flatten();
    let opened = kst_date(a.opened_at);
    let day = t.repay_day.unwrap_or(28);
    let cnt = next.map(|n| repay_count(opened, day, n));
    let left = cnt.map_or(1, |c| {
        repay_count(opened, day, t.exp_date).saturating_sub(c) + 1
    });
    let due = next_instalment(&t, owed, left);
    let c = a.currency;
    Ok(h.detail(|search_timestamp| LendingDetail {
        search_timestamp,
        balance_amt: amt(owed, c),
        next_repay_cnt: cnt,
        next_repay_date: next.map(date),
        principal_amt: amt(due.principal_minor, c),
        int_amt: amt(due.interest_minor, c),
    }))
}

// ---- P2P-004 ----

#[derive(Debug, Serialize, ToSchema)]
pub struct LendingTransactions {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page: Option<String>,
    pub trans_cnt: usize,
    pub trans_list: Vec<LendingTransaction>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LendingTransaction {
    pub trans_dtime: String,
    /// N(3) the repayment's number.
    pub repay_cnt: u32,
    /// aN(2) `01` a repayment, `02` the early repayment that cleared the loan.
    pub repay_type: String,
    /// F(18,3) what was repaid.
    #[schema(value_type = f64)]
    pub trans_amt: Number,
    #[schema(value_type = f64)]
    pub principal_amt: Number,
    #[schema(value_type = f64)]
    pub int_amt: Number,
}

/// P2P-004: a P2P loan's repayments, newest first, paged (a page may hold
/// fewer lines than the limit: the drawdown is no repayment).
#[utoipa::path(post, path = "/v1/p2p/lendings/transactions", tag = "p2p",
    request_body = LendingHistoryRequest,
    responses((status = 200, description = "P2P 대출 거래내역 조회 (P2P-004)", body = LendingTransactions)))]
pub(super) async fn transactions(
    State(s): State<MydataState>,
    caller: Caller,
    MJson(r): MJson<LendingHistoryRequest>,
) -> MResult<Reply<LendingTransactions>> {
    let call = HistoryCall {
        scope: SCOPE,
        kinds: LOAN,
        org_code: r.org_code.as_deref(),
        asset: r.lending_id.as_deref(),
        fields: &r.history,
    };
    let h = history::history(&s, &caller, call).await?;
    let record = s.repo.terms(&h.account.account_id).await?;
    let t = terms_of(&h.account, record.as_ref().map(|r| &r.terms)).loan;
    let opened = kst_date(h.account.opened_at);
    let day = t.repay_day.unwrap_or(28);
    let c = h.account.currency;
    let list: Vec<LendingTransaction> = h
        .lines
        .iter()
        .filter(|p| !matches!(LoanMemo::decode(&p.memo), Some(LoanMemo::Drawdown)))
        .filter(|p| p.amount_minor > 0)
        .map(|p| {
            let l = loan_line(p, &t, c);
            let on = kst_date(p.at);
            let cleared = p.balance_after_minor >= 0 && on < t.exp_date;
            LendingTransaction {
                trans_dtime: dtime(p.at),
                repay_cnt: repay_count(opened, day, on),
                repay_type: if cleared { "02" } else { "01" }.into(),
                trans_amt: l.trans_amt,
                principal_amt: l.principal_amt,
                int_amt: l.int_amt,
            }
        })
        .collect();
    Ok(Reply::ok(LendingTransactions {
        next_page: h.next_page,
        trans_cnt: list.len(),
        trans_list: list,
    }))
}

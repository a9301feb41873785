//! A guarantee insurer's policies (보증보험-001..003, mydata.md §11 in
//! outline): the list as the insurance list, basic information, and the
//! premiums paid. A guarantee policy is an Insurance account at the
//! guarantee insurer, its premiums ledger entries as an insurer's are.

use super::policies::{policy_list, premium_line, InsuList};
use super::{pay_due, policy_terms, InsuHistoryRequest, InsuRequest};
use crate::bank::AccountsQuery;
use crate::error::MResult;
use crate::extract::{Caller, MJson, MQuery};
use crate::history::{self, amt, date};
use crate::sync;
use crate::wire::{Reply, Synced};
use crate::MydataState;
use axum::extract::State;
use serde::Serialize;
use serde_json::Number;
use utoipa::ToSchema;

const INSURANCE: &str = "ginsu.insurance";

/// 보증보험-001 보증보험 목록 조회: the person's guarantee insurances at the
/// token's guarantee insurer, `is_consent` each, as 보험-001 lists policies.
#[utoipa::path(get, path = "/v1/ginsu/insurances", tag = "ginsu", params(AccountsQuery),
    responses((status = 200, description = "보증보험 목록 (보증보험-001)", body = InsuList)))]
pub async fn list(
    State(s): State<MydataState>,
    caller: Caller,
    MQuery(q): MQuery<AccountsQuery>,
) -> MResult<Synced<InsuList>> {
    policy_list(&s, &caller, &q, "ginsu.list").await
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GinsuBasic {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_timestamp: Option<i64>,
    /// DATE the contract date.
    pub issue_date: String,
    /// DATE the end of the guarantee.
    pub exp_date: String,
    /// The amount guaranteed.
    #[schema(value_type = f64)]
    pub face_amt: Number,
    pub currency_code: String,
    /// aN(2) `01` a number of years, `03` whole life, `04` lump sum.
    pub pay_due: String,
    /// One premium (a lump-sum policy: the whole premium).
    #[schema(value_type = f64)]
    pub pay_amt: Number,
    pub insured_cnt: usize,
    pub insured_list: Vec<GinsuInsured>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GinsuInsured {
    pub insured_name: String,
}

/// 보증보험-002 보증보험 기본정보 조회: the guarantee's dates, amount and
/// premium, and whom it insures.
#[utoipa::path(post, path = "/v1/ginsu/insurances/basic", tag = "ginsu",
    request_body = InsuRequest,
    responses((status = 200, description = "보증보험 기본정보 (보증보험-002)", body = GinsuBasic)))]
pub async fn basic(
    State(s): State<MydataState>,
    caller: Caller,
    MJson(r): MJson<InsuRequest>,
) -> MResult<Synced<GinsuBasic>> {
    let h = sync::held(&s, &caller, r.call(INSURANCE)).await?;
    let t = policy_terms(&h.account, h.terms());
    let c = h.account.currency;
    let insured: Vec<GinsuInsured> = t
        .insured
        .iter()
        .map(|i| GinsuInsured {
            insured_name: i.name.clone(),
        })
        .collect();
    Ok(h.basic(|search_timestamp| GinsuBasic {
        search_timestamp,
        issue_date: date(t.issue_date),
        exp_date: date(t.exp_date),
        face_amt: amt(t.face_minor, c),
        currency_code: c.to_string(),
        pay_due: pay_due(&t.premium).into(),
        pay_amt: amt(t.premium.premium_minor, c),
        insured_cnt: insured.len(),
        insured_list: insured,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GinsuTransactions {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page: Option<String>,
    pub trans_cnt: usize,
    pub trans_list: Vec<GinsuTransaction>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GinsuTransaction {
    /// Which premium of the plan (0: not a numbered premium).
    pub paid_in_cnt: u32,
    /// DATE paid on (KST).
    pub trans_date: String,
    #[schema(value_type = f64)]
    pub paid_amt: Number,
    pub currency_code: String,
    /// aN(2) `01` automatic transfer, `02` card, `03` paid directly.
    pub pay_method: String,
}

/// 보증보험-003 보증보험 거래내역 조회: the premiums paid in the window (the
/// policy's ledger postings), newest first, paged.
#[utoipa::path(post, path = "/v1/ginsu/insurances/transactions", tag = "ginsu",
    request_body = InsuHistoryRequest,
    responses((status = 200, description = "보증보험 거래내역 (보증보험-003)",
        body = GinsuTransactions)))]
pub async fn transactions(
    State(s): State<MydataState>,
    caller: Caller,
    MJson(r): MJson<InsuHistoryRequest>,
) -> MResult<Reply<GinsuTransactions>> {
    let h = history::history(&s, &caller, r.call(INSURANCE)).await?;
    let record = s.repo.terms(&h.account.account_id).await?;
    let t = policy_terms(&h.account, record.as_ref().map(|r| &r.terms));
    let c = h.account.currency;
    let list: Vec<GinsuTransaction> = h
        .lines
        .iter()
        .map(|p| {
            let l = premium_line(p, &t.premium, c);
            GinsuTransaction {
                paid_in_cnt: l.paid_in_cnt,
                trans_date: l.trans_date,
                paid_amt: l.paid_amt,
                currency_code: l.currency_code,
                pay_method: l.pay_method,
            }
        })
        .collect();
    Ok(Reply::ok(GinsuTransactions {
        next_page: h.next_page,
        trans_cnt: list.len(),
        trans_list: list,
    }))
}

//! 선불-001..004, the prepaid-card APIs card companies and banks both serve
//! (`/v1/card/prepaid...`, `/v1/bank/prepaid...`): one set of handlers, the
//! industry choosing the scopes. A prepaid card is a world account
//! (AccountKind::Prepaid) with PrepaidTerms; charges and payments are its
//! postings, payments (kind Card, memo `CardMemo`) read like card approvals.

use crate::card::held::CardUse;
use crate::card::{ApprovalHead, DomesticUse};
use crate::error::MResult;
use crate::extract::{Caller, MJson, MQuery};
use crate::history::{self, date_of, dtime, History, HistoryCall, HistoryFields};
use crate::params::num_or_str;
use crate::sync::{self, AssetCall, ListCall};
use crate::wire::{Reply, Synced};
use crate::MydataState;
use axum::extract::State;
use axum::routing::{get, post};
use axum::Router;
use finhub_core::account::AccountKind;
use finhub_core::ledger::Posting;
use finhub_core::product::ProductTerms;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

/// Which industry's prefix the call came in on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Industry {
    Card,
    Bank,
}

impl Industry {
    /// The scope of the list (선불-001).
    fn list_scope(self) -> &'static str {
        match self {
            Industry::Card => "card.list",
            Industry::Bank => "bank.list",
        }
    }
    /// The scope of one card's balance, transactions and payments.
    fn scope(self) -> &'static str {
        match self {
            Industry::Card => "card.prepaid",
            Industry::Bank => "bank.prepaid",
        }
    }
}

pub(crate) fn routes() -> Router<MydataState> {
    Router::new()
        .route("/v1/card/prepaid", get(card_list))
        .route("/v1/card/prepaid/balance", post(card_balance))
        .route("/v1/card/prepaid/transactions", post(card_transactions))
        .route("/v1/card/prepaid/approval", post(card_approval))
        .route("/v1/bank/prepaid", get(bank_list))
        .route("/v1/bank/prepaid/balance", post(bank_balance))
        .route("/v1/bank/prepaid/transactions", post(bank_transactions))
        .route("/v1/bank/prepaid/approval", post(bank_approval))
}

#[derive(OpenApi)]
#[openapi(
    paths(
        card_list,
        card_balance,
        card_transactions,
        card_approval,
        bank_list,
        bank_balance,
        bank_transactions,
        bank_approval
    ),
    components(schemas(
        PrepaidList,
        PrepaidItem,
        BalanceBody,
        PrepaidBalance,
        HistoryBody,
        PrepaidTransactions,
        PrepaidTransaction,
        PrepaidApprovals,
        PrepaidApproval
    )),
    tags((name = "prepaid", description = "선불카드 (선불-001..004), served by card companies \
under /v1/card and by banks under /v1/bank. Transaction types (첨부9, inferred): 5101 charge, \
5201 money taken out (refund to the bank, withdrawal); payments (5501, 5502) are 선불-004."))
)]
pub(crate) struct Doc;

const PREPAID: &[AccountKind] = &[AccountKind::Prepaid];

/// The most a prepaid card may hold, from its terms.
fn limit_of(terms: Option<&ProductTerms>) -> Option<i64> {
    match terms {
        Some(ProductTerms::Prepaid(t)) => Some(t.limit_minor),
        _ => None,
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
struct ListQuery {
    org_code: Option<String>,
    search_timestamp: Option<String>,
    next_page: Option<String>,
    limit: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
struct PrepaidList {
    /// N(14) only on the first page.
    #[serde(skip_serializing_if = "Option::is_none")]
    search_timestamp: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_page: Option<String>,
    pp_cnt: usize,
    pp_list: Vec<PrepaidItem>,
}

#[derive(Debug, Serialize, ToSchema)]
struct PrepaidItem {
    /// aNS(40) the id the prepaid APIs take.
    pp_id: String,
    /// AH(300).
    pp_name: String,
    is_consent: bool,
    /// DATE issued.
    reg_date: String,
    /// N(5) the most the card may hold, in 10,000 won.
    #[serde(skip_serializing_if = "Option::is_none")]
    limit_amt: Option<i64>,
}

async fn list(
    state: MydataState,
    caller: Caller,
    q: ListQuery,
    industry: Industry,
) -> MResult<Synced<PrepaidList>> {
    let call = ListCall {
        scope: industry.list_scope(),
        kinds: PREPAID,
        org_code: q.org_code.as_deref(),
        search_timestamp: q.search_timestamp.as_deref(),
        next_page: q.next_page.as_deref(),
        limit: q.limit.as_deref(),
    };
    let l = sync::list(&state, &caller, call).await?;
    let items: Vec<PrepaidItem> = l
        .page
        .iter()
        .map(|a| PrepaidItem {
            pp_id: crate::assets::asset_id(a),
            pp_name: a.product_name.clone(),
            is_consent: caller.consent.holds(&a.account_id),
            reg_date: date_of(a.opened_at),
            limit_amt: limit_of(l.terms_of(a)).map(|m| m / 10_000),
        })
        .collect();
    Ok(l.answer(|search_timestamp| PrepaidList {
        search_timestamp,
        next_page: l.next_page.clone(),
        pp_cnt: items.len(),
        pp_list: items,
    }))
}

/// 선불-001 at a card company.
#[utoipa::path(get, path = "/v1/card/prepaid", tag = "prepaid", params(ListQuery),
    responses((status = 200, description = "선불카드 목록 (선불-001)", body = PrepaidList)))]
async fn card_list(
    State(state): State<MydataState>,
    caller: Caller,
    MQuery(q): MQuery<ListQuery>,
) -> MResult<Synced<PrepaidList>> {
    list(state, caller, q, Industry::Card).await
}

/// 선불-001 at a bank.
#[utoipa::path(get, path = "/v1/bank/prepaid", tag = "prepaid", params(ListQuery),
    responses((status = 200, description = "선불카드 목록 (선불-001)", body = PrepaidList)))]
async fn bank_list(
    State(state): State<MydataState>,
    caller: Caller,
    MQuery(q): MQuery<ListQuery>,
) -> MResult<Synced<PrepaidList>> {
    list(state, caller, q, Industry::Bank).await
}

#[derive(Debug, Default, Deserialize, ToSchema)]
struct BalanceBody {
    org_code: Option<String>,
    /// aN(64) from 선불-001.
    pp_id: Option<String>,
    /// N(14), number or string.
    #[serde(default, deserialize_with = "num_or_str")]
    #[schema(value_type = Option<i64>)]
    search_timestamp: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
struct PrepaidBalance {
    #[serde(skip_serializing_if = "Option::is_none")]
    search_timestamp: Option<i64>,
    /// F(18,3) everything the card holds.
    total_balance_amt: i64,
    /// F(18,3) the charged part.
    charge_balance_amt: i64,
    /// F(18,3) expiring within two months.
    exp_due_amt: i64,
}

async fn balance(
    state: MydataState,
    caller: Caller,
    b: BalanceBody,
    industry: Industry,
) -> MResult<Synced<PrepaidBalance>> {
    let call = AssetCall {
        scope: industry.scope(),
        kinds: PREPAID,
        org_code: b.org_code.as_deref(),
        asset: b.pp_id.as_deref(),
        search_timestamp: b.search_timestamp.as_deref(),
        next_page: None,
    };
    let h = sync::held(&state, &caller, call).await?;
    let balance = h.account.balance_minor;
    let expiring = match h.terms() {
        Some(ProductTerms::Prepaid(t)) => t.expiring_minor.min(balance),
        _ => 0,
    };
    Ok(h.detail(|search_timestamp| PrepaidBalance {
        search_timestamp,
        total_balance_amt: balance,
        charge_balance_amt: balance,
        exp_due_amt: expiring,
    }))
}

/// 선불-002 at a card company.
#[utoipa::path(post, path = "/v1/card/prepaid/balance", tag = "prepaid", request_body = BalanceBody,
    responses((status = 200, description = "선불카드 잔액정보 (선불-002)", body = PrepaidBalance)))]
async fn card_balance(
    State(state): State<MydataState>,
    caller: Caller,
    MJson(b): MJson<BalanceBody>,
) -> MResult<Synced<PrepaidBalance>> {
    balance(state, caller, b, Industry::Card).await
}

/// 선불-002 at a bank.
#[utoipa::path(post, path = "/v1/bank/prepaid/balance", tag = "prepaid", request_body = BalanceBody,
    responses((status = 200, description = "선불카드 잔액정보 (선불-002)", body = PrepaidBalance)))]
async fn bank_balance(
    State(state): State<MydataState>,
    caller: Caller,
    MJson(b): MJson<BalanceBody>,
) -> MResult<Synced<PrepaidBalance>> {
    balance(state, caller, b, Industry::Bank).await
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
struct HistoryBody {
    org_code: Option<String>,
    /// aN(64) from 선불-001.
    pp_id: Option<String>,
    #[serde(flatten)]
    history: HistoryFields,
}

/// One page of the card's postings in the window, newest first.
async fn page(
    state: &MydataState,
    caller: &Caller,
    b: &HistoryBody,
    industry: Industry,
) -> MResult<History> {
    let call = HistoryCall {
        scope: industry.scope(),
        kinds: PREPAID,
        org_code: b.org_code.as_deref(),
        asset: b.pp_id.as_deref(),
        fields: &b.history,
    };
    history::history(state, caller, call).await
}

#[derive(Debug, Serialize, ToSchema)]
struct PrepaidTransactions {
    #[serde(skip_serializing_if = "Option::is_none")]
    next_page: Option<String>,
    trans_cnt: usize,
    trans_list: Vec<PrepaidTransaction>,
}

#[derive(Debug, Serialize, ToSchema, PartialEq)]
struct PrepaidTransaction {
    /// aN(4) `5101` charge, `5201` money taken out.
    trans_type: String,
    /// DTIME.
    trans_dtime: String,
    trans_no: String,
    /// N(15).
    trans_amt: i64,
    /// F(18,3) the balance after.
    balance_amt: i64,
}

/// A posting that is not a payment, as 선불-003 lists it.
fn transaction(p: &Posting) -> Option<PrepaidTransaction> {
    if CardUse::of(p).is_some() {
        return None;
    }
    Some(PrepaidTransaction {
        trans_type: if p.amount_minor > 0 { "5101" } else { "5201" }.into(),
        trans_dtime: dtime(p.at),
        trans_no: format!("{:012}", p.entry_id),
        trans_amt: p.amount_minor.abs(),
        balance_amt: p.balance_after_minor,
    })
}

async fn transactions(
    state: MydataState,
    caller: Caller,
    b: HistoryBody,
    industry: Industry,
) -> MResult<Reply<PrepaidTransactions>> {
    let h = page(&state, &caller, &b, industry).await?;
    let list: Vec<PrepaidTransaction> = h.lines.iter().filter_map(transaction).collect();
    Ok(Reply::ok(PrepaidTransactions {
        next_page: h.next_page,
        trans_cnt: list.len(),
        trans_list: list,
    }))
}

/// 선불-003 at a card company.
#[utoipa::path(post, path = "/v1/card/prepaid/transactions", tag = "prepaid", request_body = HistoryBody,
    responses((status = 200, description = "선불카드 거래내역 (선불-003)", body = PrepaidTransactions)))]
async fn card_transactions(
    State(state): State<MydataState>,
    caller: Caller,
    MJson(b): MJson<HistoryBody>,
) -> MResult<Reply<PrepaidTransactions>> {
    transactions(state, caller, b, Industry::Card).await
}

/// 선불-003 at a bank.
#[utoipa::path(post, path = "/v1/bank/prepaid/transactions", tag = "prepaid", request_body = HistoryBody,
    responses((status = 200, description = "선불카드 거래내역 (선불-003)", body = PrepaidTransactions)))]
async fn bank_transactions(
    State(state): State<MydataState>,
    caller: Caller,
    MJson(b): MJson<HistoryBody>,
) -> MResult<Reply<PrepaidTransactions>> {
    transactions(state, caller, b, Industry::Bank).await
}

#[derive(Debug, Serialize, ToSchema)]
struct PrepaidApprovals {
    #[serde(skip_serializing_if = "Option::is_none")]
    next_page: Option<String>,
    approved_cnt: usize,
    approved_list: Vec<PrepaidApproval>,
}

/// A card approval's fields without `pay_type`.
#[derive(Debug, Serialize, ToSchema)]
struct PrepaidApproval {
    #[serde(flatten)]
    head: ApprovalHead,
    #[serde(flatten)]
    usage: DomesticUse,
}

async fn approvals(
    state: MydataState,
    caller: Caller,
    b: HistoryBody,
    industry: Industry,
) -> MResult<Reply<PrepaidApprovals>> {
    let h = page(&state, &caller, &b, industry).await?;
    let merchant = caller.consent.merchant;
    let list: Vec<PrepaidApproval> = h
        .lines
        .iter()
        .filter_map(CardUse::of)
        .map(|u| PrepaidApproval {
            head: ApprovalHead::of(&u),
            usage: DomesticUse::of(&u, merchant),
        })
        .collect();
    Ok(Reply::ok(PrepaidApprovals {
        next_page: h.next_page,
        approved_cnt: list.len(),
        approved_list: list,
    }))
}

/// 선불-004 at a card company.
#[utoipa::path(post, path = "/v1/card/prepaid/approval", tag = "prepaid", request_body = HistoryBody,
    responses((status = 200, description = "선불카드 승인내역 (선불-004)", body = PrepaidApprovals)))]
async fn card_approval(
    State(state): State<MydataState>,
    caller: Caller,
    MJson(b): MJson<HistoryBody>,
) -> MResult<Reply<PrepaidApprovals>> {
    approvals(state, caller, b, Industry::Card).await
}

/// 선불-004 at a bank.
#[utoipa::path(post, path = "/v1/bank/prepaid/approval", tag = "prepaid", request_body = HistoryBody,
    responses((status = 200, description = "선불카드 승인내역 (선불-004)", body = PrepaidApprovals)))]
async fn bank_approval(
    State(state): State<MydataState>,
    caller: Caller,
    MJson(b): MJson<HistoryBody>,
) -> MResult<Reply<PrepaidApprovals>> {
    approvals(state, caller, b, Industry::Bank).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use finhub_core::ledger::EntryKind;

    fn posting(kind: EntryKind, amount: i64) -> Posting {
        Posting {
            entry_id: 9,
            account_id: "pp".into(),
            seq: 3,
            at: Utc.with_ymd_and_hms(2026, 11, 2, 0, 0, 0).unwrap(),
            kind,
            amount_minor: amount,
            balance_after_minor: 50_000,
            memo: "일시불".into(),
            counterparty: "GS25 역삼점".into(),
        }
    }

    #[test]
    fn charges_and_withdrawals_are_transactions_payments_are_not() {
        let t = transaction(&posting(EntryKind::Charge, 30_000)).unwrap();
        assert_eq!((t.trans_type.as_str(), t.trans_amt), ("5101", 30_000));
        assert_eq!(
            (t.trans_dtime.as_str(), t.balance_amt),
            ("20261102090000", 50_000)
        );
        let out = transaction(&posting(EntryKind::Transfer, -10_000)).unwrap();
        assert_eq!(out.trans_type, "5201");
        assert!(transaction(&posting(EntryKind::Card, -4_500)).is_none());
        assert!(transaction(&posting(EntryKind::Refund, 4_500)).is_none());
    }

    #[test]
    fn each_industry_has_its_scopes() {
        assert_eq!(Industry::Card.list_scope(), "card.list");
        assert_eq!(Industry::Bank.scope(), "bank.prepaid");
    }

    #[test]
    fn bodies_take_numbers_or_strings() {
        let b: HistoryBody = serde_json::from_str(r#"{"pp_id":"1","limit":20}"#).unwrap();
        assert_eq!(b.history.limit.as_deref(), Some("20"));
        let b: BalanceBody = serde_json::from_str(r#"{"search_timestamp":"0"}"#).unwrap();
        assert_eq!(b.search_timestamp.as_deref(), Some("0"));
    }
}

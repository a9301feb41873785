//! 선불-001..004, the prepaid-card APIs card companies and banks both serve
//! (`/v1/card/prepaid...`, `/v1/bank/prepaid...`): one set of handlers, the
//! industry choosing the scopes. A prepaid card is a world account
//! (AccountKind::Prepaid) with PrepaidTerms; charges and payments are its
//! postings, payments (kind Card, memo `CardMemo`) read like card approvals.

use crate::card::held::{self, date8, dtime, kst_date, CardUse};
use crate::card::{ApprovalHead, DomesticUse};
use crate::error::MResult;
use crate::extract::{Caller, MJson, MQuery};
use crate::params::{limit, num_or_str, page_of, search_timestamp, Cursor, Window};
use crate::wire::{Reply, Synced};
use crate::MydataState;
use axum::extract::State;
use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, Utc};
use finhub_core::account::{Account, AccountKind};
use finhub_core::ledger::Posting;
use finhub_core::product::{PrepaidTerms, ProductTerms};
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

struct HeldPrepaid {
    acct: Account,
    terms: Option<PrepaidTerms>,
    consented: bool,
    changed: DateTime<Utc>,
}

async fn with_terms(
    state: &MydataState,
    caller: &Caller,
    accts: Vec<Account>,
) -> MResult<Vec<HeldPrepaid>> {
    let ids: Vec<String> = accts.iter().map(|a| a.account_id.clone()).collect();
    let records = state.repo.terms_of(&ids).await?;
    Ok(accts
        .into_iter()
        .map(|acct| {
            let rec = records.iter().find(|r| r.account_id == acct.account_id);
            let (terms, updated) = match rec.map(|r| (&r.terms, r.updated_at)) {
                Some((ProductTerms::Prepaid(t), at)) => (Some(t.clone()), Some(at)),
                _ => (None, None),
            };
            let changed = [
                Some(acct.opened_at),
                acct.closed_at,
                acct.last_tran_at,
                updated,
            ]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(acct.opened_at);
            HeldPrepaid {
                consented: caller.consent.holds(&acct.account_id),
                acct,
                terms,
                changed,
            }
        })
        .collect())
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
    caller.require(industry.list_scope())?;
    caller.org(q.org_code.as_deref())?;
    let limit = limit(q.limit.as_deref())?;
    let offset = Cursor::offset(q.next_page.as_deref())?;
    let first = offset == 0;
    let since = search_timestamp(q.search_timestamp.as_deref())?.filter(|_| first);
    let accts = caller.holdings(&state, &[AccountKind::Prepaid]).await?;
    let cards = with_terms(&state, &caller, accts).await?;
    let modified = cards
        .iter()
        .map(|c| c.changed)
        .chain([caller.consent.created_at])
        .max()
        .unwrap_or(caller.consent.created_at);
    let items = cards
        .iter()
        .map(|c| PrepaidItem {
            pp_id: crate::assets::asset_id(&c.acct),
            pp_name: c.acct.product_name.clone(),
            is_consent: c.consented,
            reg_date: date8(kst_date(c.acct.opened_at)),
            limit_amt: c.terms.as_ref().map(|t| t.limit_minor / 10_000),
        })
        .collect();
    let (page, next_page) = page_of(items, offset, limit);
    Ok(held::synced(&state, since, modified, |ts| PrepaidList {
        search_timestamp: first.then_some(ts),
        next_page,
        pp_cnt: page.len(),
        pp_list: page,
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
    search_timestamp: i64,
    /// F(18,3) everything the card holds.
    total_balance_amt: i64,
    /// F(18,3) the charged part.
    charge_balance_amt: i64,
    /// F(18,3) expiring within two months.
    exp_due_amt: i64,
}

/// The prepaid card a request names: unknown 40402, outside the consent 40105, closed 40305.
async fn one(state: &MydataState, caller: &Caller, pp_id: Option<&str>) -> MResult<HeldPrepaid> {
    let acct = caller.asset(state, &[AccountKind::Prepaid], pp_id).await?;
    let mut v = with_terms(state, caller, vec![acct]).await?;
    Ok(v.remove(0))
}

async fn balance(
    state: MydataState,
    caller: Caller,
    b: BalanceBody,
    industry: Industry,
) -> MResult<Synced<PrepaidBalance>> {
    caller.require(industry.scope())?;
    caller.org(b.org_code.as_deref())?;
    let since = search_timestamp(b.search_timestamp.as_deref())?;
    let card = one(&state, &caller, b.pp_id.as_deref()).await?;
    let balance = card.acct.balance_minor;
    let expiring = card
        .terms
        .as_ref()
        .map_or(0, |t| t.expiring_minor.min(balance));
    Ok(held::synced(&state, since, card.changed, |ts| {
        PrepaidBalance {
            search_timestamp: ts,
            total_balance_amt: balance,
            charge_balance_amt: balance,
            exp_due_amt: expiring,
        }
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
struct HistoryBody {
    org_code: Option<String>,
    pp_id: Option<String>,
    /// DATE `YYYYMMDD`, KST.
    from_date: Option<String>,
    /// DATE, included.
    to_date: Option<String>,
    next_page: Option<String>,
    /// N(3) 1..500, number or string.
    #[serde(default, deserialize_with = "num_or_str")]
    #[schema(value_type = Option<i64>)]
    limit: Option<String>,
}

/// One page of the card's postings in the window, newest first.
async fn history(
    state: &MydataState,
    caller: &Caller,
    b: &HistoryBody,
    industry: Industry,
) -> MResult<(Vec<Posting>, Option<String>)> {
    caller.require(industry.scope())?;
    caller.org(b.org_code.as_deref())?;
    let limit = limit(b.limit.as_deref())?;
    let window = Window::parse(b.from_date.as_deref(), b.to_date.as_deref(), caller.today)?;
    let card = one(state, caller, b.pp_id.as_deref()).await?;
    held::postings_page(
        state,
        &card.acct.account_id,
        window,
        b.next_page.as_deref(),
        limit,
    )
    .await
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
    let (page, next_page) = history(&state, &caller, &b, industry).await?;
    let list: Vec<PrepaidTransaction> = page.iter().filter_map(transaction).collect();
    Ok(Reply::ok(PrepaidTransactions {
        next_page,
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
    let (page, next_page) = history(&state, &caller, &b, industry).await?;
    let merchant = caller.consent.merchant;
    let list: Vec<PrepaidApproval> = page
        .iter()
        .filter_map(CardUse::of)
        .map(|u| PrepaidApproval {
            head: ApprovalHead::of(&u),
            usage: DomesticUse::of(&u, merchant),
        })
        .collect();
    Ok(Reply::ok(PrepaidApprovals {
        next_page,
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
    use chrono::TimeZone;
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
        assert_eq!(b.limit.as_deref(), Some("20"));
        let b: BalanceBody = serde_json::from_str(r#"{"search_timestamp":"0"}"#).unwrap();
        assert_eq!(b.search_timestamp.as_deref(), Some("0"));
    }
}

//! 전금-001..004: an e-finance company's prepaid instruments — the list,
//! the balance, the automatic charges and the history. The instrument's
//! ledger postings are its history; its terms say how much of the balance
//! is reward money and what expires.

use super::{is_payment, regno, trans_type};
use crate::codes::Rsp;
use crate::error::{MResult, MydataError};
use crate::extract::{Caller, MJson, MQuery};
use crate::history::{self, date, dtime, HistoryCall, HistoryFields};
use crate::params::num_or_str;
use crate::sync::{self, AssetCall, ListCall};
use crate::wire::{Reply, Synced};
use crate::MydataState;
use axum::extract::State;
use axum::routing::{get, post};
use axum::Router;
use finhub_core::account::{Account, AccountKind};
use finhub_core::ledger::Posting;
use finhub_core::product::efin::{AutoCharge, ChargeOption, EfinMemo};
use finhub_core::product::{EfinPrepaidTerms, ProductTerms};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

const PREPAID: &[AccountKind] = &[AccountKind::Prepaid];
const LIST_SCOPE: &str = "efin.list";
const SCOPE: &str = "efin.prepaid";

pub(super) fn routes() -> Router<MydataState> {
    Router::new()
        .route("/v1/efin/prepaid", get(list))
        .route("/v1/efin/prepaid/balance", post(balance))
        .route("/v1/efin/prepaid/charge", post(charge))
        .route("/v1/efin/prepaid/transactions", post(transactions))
}

#[derive(OpenApi)]
#[openapi(
    paths(list, balance, charge, transactions),
    components(schemas(
        FobList,
        FobItem,
        FobAccount,
        FobBody,
        FobBalance,
        ChargeList,
        ChargeItem,
        FobHistoryBody,
        FobTransactions,
        FobTransaction
    )),
    tags((name = "efin", description = "전자금융업권 (전금-001..004 prepaid instruments, \
전금-101..103 payment accounts). Where the spec is silent finhub follows the prepaid-card APIs \
(선불-001..004): `limit_amt` in 10,000 won; `account_id` is the instrument's account number and \
the balance, charge and history APIs take it with `fob_id` (40402 when they do not match); \
`is_charge` says an automatic charge is set (전금-003 lists it). Transaction types (첨부9, \
inferred): 5101 charge, 5102 automatic charge, 5103 reward money, 5201 withdrawal, 5501 payment, \
5502 payment cancelled. `charge_option` 01 below a base balance, 02 on a day of the month. \
Payment accounts: `account_id` is the account number as the company writes it, `sub_key` the \
same without `-`; `pay_type` 01 bank account, 02 card, 03 the company's prepaid money; \
`pay_id` the method's number masked."))
)]
pub(super) struct Doc;

/// The instrument's terms, when it is an e-finance instrument.
fn efin_terms(terms: Option<&ProductTerms>) -> Option<&EfinPrepaidTerms> {
    match terms {
        Some(ProductTerms::EfinPrepaid(t)) => Some(t),
        _ => None,
    }
}

/// The request's `fob_id` (40001 when missing) names the instrument the
/// `account_id` is (40402 when it does not).
fn check_fob<'t>(
    fob_id: Option<&str>,
    terms: Option<&'t ProductTerms>,
) -> MResult<&'t EfinPrepaidTerms> {
    let fob = fob_id
        .filter(|f| !f.is_empty())
        .ok_or_else(|| MydataError::param("fob_id 누락"))?;
    efin_terms(terms)
        .filter(|t| t.fob_id == fob)
        .ok_or_else(|| MydataError::new(Rsp::NoAsset))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
struct ListQuery {
    org_code: Option<String>,
    search_timestamp: Option<String>,
    next_page: Option<String>,
    limit: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
struct FobList {
    /// N(14) only on the first page.
    #[serde(skip_serializing_if = "Option::is_none")]
    search_timestamp: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_page: Option<String>,
    fob_cnt: usize,
    fob_list: Vec<FobItem>,
}

#[derive(Debug, Serialize, ToSchema, PartialEq)]
struct FobItem {
    /// aNS(64) the instrument's id.
    fob_id: String,
    /// AH(300).
    fob_name: String,
    /// Whether the consent holds (one of) its accounts.
    is_consent: bool,
    /// DATE registered.
    reg_date: String,
    /// N(5) the most it may hold, in 10,000 won.
    limit_amt: i64,
    /// An automatic charge is set (전금-003).
    is_charge: bool,
    /// It may be withdrawn back to a bank account.
    is_withdrawable: bool,
    account_cnt: usize,
    account_list: Vec<FobAccount>,
}

#[derive(Debug, Serialize, ToSchema, PartialEq)]
struct FobAccount {
    /// aNS(64) the id the balance, charge and history APIs take.
    account_id: String,
}

/// The page's instruments, accounts sharing a `fob_id` under one item.
fn fob_items(
    page: &[Account],
    terms: impl Fn(&Account) -> Option<EfinPrepaidTerms>,
    consented: impl Fn(&Account) -> bool,
) -> Vec<FobItem> {
    let mut items: Vec<FobItem> = Vec::new();
    for a in page {
        let Some(t) = terms(a) else { continue };
        let account = FobAccount {
            account_id: crate::assets::asset_id(a),
        };
        if let Some(item) = items.iter_mut().find(|i| i.fob_id == t.fob_id) {
            item.is_consent |= consented(a);
            item.account_list.push(account);
            item.account_cnt = item.account_list.len();
            continue;
        }
        items.push(FobItem {
            fob_id: t.fob_id.clone(),
            fob_name: t.fob_name.clone(),
            is_consent: consented(a),
            reg_date: date(t.reg_date),
            limit_amt: t.limit_minor / 10_000,
            is_charge: !t.auto_charge.is_empty(),
            is_withdrawable: t.withdrawable,
            account_cnt: 1,
            account_list: vec![account],
        });
    }
    items
}

/// 전금-001.
#[utoipa::path(get, path = "/v1/efin/prepaid", tag = "efin", params(ListQuery),
    responses((status = 200, description = "선불전자지급수단 목록 (전금-001)", body = FobList)))]
async fn list(
    State(state): State<MydataState>,
    caller: Caller,
    MQuery(q): MQuery<ListQuery>,
) -> MResult<Synced<FobList>> {
    let call = ListCall {
        scope: LIST_SCOPE,
        kinds: PREPAID,
        org_code: q.org_code.as_deref(),
        search_timestamp: q.search_timestamp.as_deref(),
        next_page: q.next_page.as_deref(),
        limit: q.limit.as_deref(),
    };
    let l = sync::list(&state, &caller, call).await?;
    let items = fob_items(
        &l.page,
        |a| efin_terms(l.terms_of(a)).cloned(),
        |a| caller.consent.holds(&a.account_id),
    );
    Ok(l.answer(|search_timestamp| FobList {
        search_timestamp,
        next_page: l.next_page.clone(),
        fob_cnt: items.len(),
        fob_list: items,
    }))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
struct FobBody {
    org_code: Option<String>,
    /// aNS(64) from 전금-001.
    fob_id: Option<String>,
    /// aNS(64) from 전금-001's `account_list`.
    account_id: Option<String>,
    /// N(14), number or string.
    #[serde(default, deserialize_with = "num_or_str")]
    #[schema(value_type = Option<i64>)]
    search_timestamp: Option<String>,
}

impl FobBody {
    fn call(&self) -> AssetCall<'_> {
        AssetCall {
            scope: SCOPE,
            kinds: PREPAID,
            org_code: self.org_code.as_deref(),
            asset: self.account_id.as_deref(),
            search_timestamp: self.search_timestamp.as_deref(),
            next_page: None,
        }
    }
}

#[derive(Debug, Serialize, ToSchema, PartialEq)]
struct FobBalance {
    #[serde(skip_serializing_if = "Option::is_none")]
    search_timestamp: Option<i64>,
    /// F(18,3) everything it holds.
    total_balance_amt: i64,
    /// F(18,3) the charged part.
    charge_balance_amt: i64,
    /// F(18,3) the reward part (적립금).
    reserve_balance_amt: i64,
    /// F(18,3) what may be withdrawn now (charged money of a withdrawable instrument).
    withdrawable_amt: i64,
    /// F(18,3) reward money expiring within a month.
    reserve_due_amt: i64,
    /// F(18,3) charged money expiring within a month.
    exp_due_amt: i64,
}

/// The balance split as 전금-002 shows it: reward money is the terms'
/// part of the balance (never more than it), the rest is charged money.
fn split(balance: i64, t: &EfinPrepaidTerms) -> FobBalance {
    let reserve = t.reserve_minor.clamp(0, balance.max(0));
    let charged = balance - reserve;
    FobBalance {
        search_timestamp: None,
        total_balance_amt: balance,
        charge_balance_amt: charged,
        reserve_balance_amt: reserve,
        withdrawable_amt: if t.withdrawable { charged.max(0) } else { 0 },
        reserve_due_amt: t.reserve_due_minor.clamp(0, reserve),
        exp_due_amt: t.exp_due_minor.clamp(0, charged.max(0)),
    }
}

/// 전금-002.
#[utoipa::path(post, path = "/v1/efin/prepaid/balance", tag = "efin", request_body = FobBody,
    responses((status = 200, description = "선불전자지급수단 잔액정보 (전금-002)", body = FobBalance)))]
async fn balance(
    State(state): State<MydataState>,
    caller: Caller,
    MJson(b): MJson<FobBody>,
) -> MResult<Synced<FobBalance>> {
    let h = sync::held(&state, &caller, b.call()).await?;
    let t = check_fob(b.fob_id.as_deref(), h.terms())?;
    let body = split(h.account.balance_minor, t);
    Ok(h.detail(|search_timestamp| FobBalance {
        search_timestamp,
        ..body
    }))
}

#[derive(Debug, Serialize, ToSchema)]
struct ChargeList {
    #[serde(skip_serializing_if = "Option::is_none")]
    search_timestamp: Option<i64>,
    charge_cnt: usize,
    charge_list: Vec<ChargeItem>,
}

#[derive(Debug, Serialize, ToSchema, PartialEq)]
struct ChargeItem {
    /// aN(10) the bank it charges from.
    charge_org_code: String,
    /// aN(20) that bank account's number, without `-`.
    charge_account_num: String,
    /// aN(2) `01` below a base balance, `02` on a day of the month.
    charge_option: String,
    /// N(2) the day of the month (`02`).
    #[serde(skip_serializing_if = "Option::is_none")]
    charge_day: Option<u32>,
    /// N(15) the balance below which it charges (`01`).
    #[serde(skip_serializing_if = "Option::is_none")]
    charge_base_amt: Option<i64>,
    /// N(15) what one charge adds.
    charge_amt: i64,
}

fn charge_item(c: &AutoCharge, from: &Account) -> ChargeItem {
    ChargeItem {
        charge_org_code: from.org_code.clone(),
        charge_account_num: from.account_num.replace('-', ""),
        charge_option: match c.option {
            ChargeOption::BelowBase => "01",
            ChargeOption::Monthly => "02",
        }
        .into(),
        charge_day: c.day.filter(|_| c.option == ChargeOption::Monthly),
        charge_base_amt: c.base_minor.filter(|_| c.option == ChargeOption::BelowBase),
        charge_amt: c.amount_minor,
    }
}

/// 전금-003.
#[utoipa::path(post, path = "/v1/efin/prepaid/charge", tag = "efin", request_body = FobBody,
    responses((status = 200, description = "선불전자지급수단 자동충전정보 (전금-003)", body = ChargeList)))]
async fn charge(
    State(state): State<MydataState>,
    caller: Caller,
    MJson(b): MJson<FobBody>,
) -> MResult<Synced<ChargeList>> {
    let h = sync::held(&state, &caller, b.call()).await?;
    let t = check_fob(b.fob_id.as_deref(), h.terms())?;
    let mut list = Vec::with_capacity(t.auto_charge.len());
    for c in &t.auto_charge {
        // A charge whose bank account the world no longer has is not shown.
        if let Some(from) = state.world.repo.account(&c.account_id).await? {
            list.push(charge_item(c, &from));
        }
    }
    Ok(h.basic(|search_timestamp| ChargeList {
        search_timestamp,
        charge_cnt: list.len(),
        charge_list: list,
    }))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
struct FobHistoryBody {
    org_code: Option<String>,
    /// aNS(64) from 전금-001.
    fob_id: Option<String>,
    /// aNS(64) from 전금-001's `account_list`.
    account_id: Option<String>,
    #[serde(flatten)]
    history: HistoryFields,
}

#[derive(Debug, Serialize, ToSchema)]
struct FobTransactions {
    #[serde(skip_serializing_if = "Option::is_none")]
    next_page: Option<String>,
    trans_cnt: usize,
    trans_list: Vec<FobTransaction>,
}

#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub(super) struct FobTransaction {
    /// aN(4) see the tag's description.
    pub trans_type: String,
    /// DTIME.
    pub trans_dtime: String,
    pub trans_no: String,
    /// N(15).
    pub trans_amt: i64,
    /// F(18,3) the balance after.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub balance_amt: Option<i64>,
    /// AH(90) only with the consent to memos.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trans_memo: Option<String>,
    /// AH(75) payments only, with the consent to merchant names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merchant_name: Option<String>,
    /// aN(12) with `-`, with the same consent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merchant_regno: Option<String>,
    /// Charges: whether it was an automatic (scheduled) charge.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_scheduled: Option<bool>,
}

/// What the consent lets a history line show besides its amounts.
#[derive(Debug, Clone, Copy)]
pub(super) struct Shown {
    pub memo: bool,
    pub merchant: bool,
}

impl Shown {
    pub fn of(caller: &Caller) -> Shown {
        Shown {
            memo: caller.consent.memo,
            merchant: caller.consent.merchant,
        }
    }
}

/// A prepaid instrument's posting as 전금-004 lists it.
pub(super) fn transaction(p: &Posting, shown: Shown, merchant: Option<&str>) -> FobTransaction {
    let memo = EfinMemo::decode(&p.memo);
    let merchant = merchant.filter(|_| shown.merchant);
    FobTransaction {
        trans_type: trans_type(p).into(),
        trans_dtime: dtime(p.at),
        trans_no: format!("{:012}", p.entry_id),
        trans_amt: p.amount_minor.abs(),
        balance_amt: Some(p.balance_after_minor),
        trans_memo: (shown.memo && !p.memo.is_empty()).then(|| p.memo.chars().take(90).collect()),
        merchant_name: merchant.map(str::to_owned),
        merchant_regno: merchant.and_then(regno),
        is_scheduled: match memo {
            Some(EfinMemo::Charge) => Some(false),
            Some(EfinMemo::AutoCharge) => Some(true),
            _ => None,
        },
    }
}

/// 전금-004.
#[utoipa::path(post, path = "/v1/efin/prepaid/transactions", tag = "efin", request_body = FobHistoryBody,
    responses((status = 200, description = "선불 거래내역 (전금-004)", body = FobTransactions)))]
async fn transactions(
    State(state): State<MydataState>,
    caller: Caller,
    MJson(b): MJson<FobHistoryBody>,
) -> MResult<Reply<FobTransactions>> {
    let call = HistoryCall {
        scope: SCOPE,
        kinds: PREPAID,
        org_code: b.org_code.as_deref(),
        asset: b.account_id.as_deref(),
        fields: &b.history,
    };
    let h = history::history(&state, &caller, call).await?;
    let record = state.repo.terms(&h.account.account_id).await?;
    check_fob(b.fob_id.as_deref(), record.as_ref().map(|r| &r.terms))?;
    let shown = Shown::of(&caller);
    let list: Vec<FobTransaction> = h
        .lines
        .iter()
        .map(|p| {
            let merchant = is_payment(p).then_some(p.counterparty.as_str());
            transaction(p, shown, merchant)
        })
        .collect();
    Ok(Reply::ok(FobTransactions {
        next_page: h.next_page,
        trans_cnt: list.len(),
        trans_list: list,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn terms(reserve: i64, withdrawable: bool) -> EfinPrepaidTerms {
        EfinPrepaidTerms {
            fob_id: "F1".into(),
            fob_name: "머니".into(),
            reg_date: NaiveDate::from_ymd_opt(2024, 1, 2).unwrap(),
            limit_minor: 2_000_000,
            withdrawable,
            reserve_minor: reserve,
            reserve_due_minor: 500,
            exp_due_minor: 1_000,
            auto_charge: vec![],
        }
    }

    #[test]
    fn reward_money_is_never_more_than_the_balance() {
        let b = split(30_000, &terms(2_000, true));
        assert_eq!(
            (
                b.charge_balance_amt,
                b.reserve_balance_amt,
                b.withdrawable_amt
            ),
            (28_000, 2_000, 28_000)
        );
        assert_eq!((b.reserve_due_amt, b.exp_due_amt), (500, 1_000));
        let low = split(300, &terms(2_000, false));
        assert_eq!(
            (
                low.charge_balance_amt,
                low.reserve_balance_amt,
                low.reserve_due_amt
            ),
            (0, 300, 300)
        );
        assert_eq!((low.withdrawable_amt, low.exp_due_amt), (0, 0));
    }

    #[test]
    fn the_fob_id_must_be_given_and_match() {
        let t = ProductTerms::EfinPrepaid(terms(0, true));
        assert!(check_fob(Some("F1"), Some(&t)).is_ok());
        assert_eq!(check_fob(None, Some(&t)).unwrap_err().rsp, Rsp::BadParam);
        assert_eq!(
            check_fob(Some("F2"), Some(&t)).unwrap_err().rsp,
            Rsp::NoAsset
        );
        assert_eq!(check_fob(Some("F1"), None).unwrap_err().rsp, Rsp::NoAsset);
    }
}

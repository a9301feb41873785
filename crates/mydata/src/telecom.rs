//! 통신 (통신-001..004): telecom contracts, bills, bill payments and
//! micro-payments, over the shared list, asset and history plumbing.
//!
//! A contract is a Telecom account at the carrier with `TelecomTerms`,
//! `mgmt_id` its asset id. Its postings say what happened (`TelecomMemo`):
//! the month's charge (`통신요금 M`) and micro-payments (`소액결제 …`) lower
//! it, the bill's payment (`요금납부 M`) raises it. The bill of month M is
//! derived from them: the charge of M plus the micro-payments made in M
//! (KST), charged on the day the charge was posted.

use crate::codes::Rsp;
use crate::common::{api, Api};
use crate::error::{MResult, MydataError};
use crate::extract::{Caller, MJson, MQuery};
use crate::history::{self, date_of, HistoryCall, HistoryFields};
use crate::params::{self, RETENTION_YEARS};
use crate::sync::{self, ListCall};
use crate::wire::{Reply, Synced};
use crate::MydataState;
use axum::extract::State;
use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use finhub_core::account::{Account, AccountKind, AccountStatus};
use finhub_core::clock::kst;
use finhub_core::institution::InstitutionKind;
use finhub_core::ledger::Posting;
use finhub_core::product::telecom::{TelecomMemo, TelecomService, TelecomStatus};
use finhub_core::product::{ProductTerms, TelecomTerms};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

const TELECOM: &[InstitutionKind] = &[InstitutionKind::Telecom];
const KINDS: &[AccountKind] = &[AccountKind::Telecom];
const LIST_SCOPE: &str = "telecom.list";
const SCOPE: &str = "telecom.mgmt";

/// The APIs this module serves, as 공통-001 lists them.
pub(crate) const APIS: &[Api] = &[
    api("통신-001", "TC01", "/telecoms", TELECOM),
    api("통신-002", "TC02", "/telecoms/bills", TELECOM),
    api("통신-003", "TC03", "/telecoms/transactions", TELECOM),
    api("통신-004", "TC04", "/telecoms/paid-transactions", TELECOM),
];

pub(crate) fn routes() -> Router<MydataState> {
    Router::new()
        .route("/v1/telecom/telecoms", get(list))
        .route("/v1/telecom/telecoms/bills", post(bills))
        .route("/v1/telecom/telecoms/transactions", post(transactions))
        .route(
            "/v1/telecom/telecoms/paid-transactions",
            post(paid_transactions),
        )
}

#[derive(OpenApi)]
#[openapi(
    paths(list, bills, transactions, paid_transactions),
    components(schemas(
        TelecomList,
        TelecomItem,
        BillBody,
        BillList,
        BillItem,
        MgmtHistoryBody,
        PaymentList,
        PaymentItem,
        MicroList,
        MicroItem
    )),
    tags((name = "telecom", description = "통신업권 (통신-001..004). Where the spec is silent \
finhub follows the card industry's style: `type` 01 mobile, 02 internet, 03 TV, 04 landline; \
`status` 01 in use, 02 suspended, 03 terminated. 통신-002 (POST, as chapter 4 says; the 2021 \
client's GET is not served) takes `charge_month` (YYYYMM) and an optional `mgmt_id`: without it, \
the bills of every consented contract. A bill is the month's charge plus the micro-payments of \
that month, `charge_date` the day it was charged. 통신-003 lists bill payments (`trans_month` \
the bill's month; `pay_method` 01 bank account, 02 card, 03 other, from the contract's payment \
account); 통신-004 micro-payments (`trans_amt` negative for a cancellation, merchant fields only \
with the consent to merchant names)."))
)]
pub(crate) struct Doc;

fn terms_of(terms: Option<&ProductTerms>) -> Option<&TelecomTerms> {
    match terms {
        Some(ProductTerms::Telecom(t)) => Some(t),
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
struct TelecomList {
    /// N(14) only on the first page.
    #[serde(skip_serializing_if = "Option::is_none")]
    search_timestamp: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_page: Option<String>,
    telecom_cnt: usize,
    telecom_list: Vec<TelecomItem>,
}

#[derive(Debug, Serialize, ToSchema, PartialEq)]
struct TelecomItem {
    /// aNS(64) the id 통신-002..004 take.
    mgmt_id: String,
    is_consent: bool,
    /// AH(20) the line's number, masked.
    telecom_num: String,
    /// aN(2) the service.
    #[serde(rename = "type")]
    kind: String,
    /// aN(2) the contract's state.
    status: String,
}

fn service_code(s: TelecomService) -> &'static str {
    match s {
        TelecomService::Mobile => "01",
        TelecomService::Internet => "02",
        TelecomService::Tv => "03",
        TelecomService::Landline => "04",
    }
}

/// The contract's state: a closed account is terminated whatever its terms say.
fn status_code(a: &Account, t: &TelecomTerms) -> &'static str {
    match (a.status, t.status) {
        (AccountStatus::Closed, _) | (_, TelecomStatus::Terminated) => "03",
        (_, TelecomStatus::Suspended) => "02",
        (_, TelecomStatus::Active) => "01",
    }
}

/// 통신-001.
#[utoipa::path(get, path = "/v1/telecom/telecoms", tag = "telecom", params(ListQuery),
    responses((status = 200, description = "통신 계약 목록 (통신-001)", body = TelecomList)))]
async fn list(
    State(state): State<MydataState>,
    caller: Caller,
    MQuery(q): MQuery<ListQuery>,
) -> MResult<Synced<TelecomList>> {
    let call = ListCall {
        scope: LIST_SCOPE,
        kinds: KINDS,
        org_code: q.org_code.as_deref(),
        search_timestamp: q.search_timestamp.as_deref(),
        next_page: q.next_page.as_deref(),
        limit: q.limit.as_deref(),
    };
    let l = sync::list(&state, &caller, call).await?;
    let items: Vec<TelecomItem> = l
        .page
        .iter()
        .filter_map(|a| {
            let t = terms_of(l.terms_of(a))?;
            Some(TelecomItem {
                mgmt_id: crate::assets::asset_id(a),
                is_consent: caller.consent.holds(&a.account_id),
                telecom_num: t.telecom_num.clone(),
                kind: service_code(t.service).into(),
                status: status_code(a, t).into(),
            })
        })
        .collect();
    Ok(l.answer(|search_timestamp| TelecomList {
        search_timestamp,
        next_page: l.next_page.clone(),
        telecom_cnt: items.len(),
        telecom_list: items,
    }))
}

/// A calendar month, `YYYYMM` as a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Month(u32);

impl Month {
    fn of(d: NaiveDate) -> Month {
        Month(d.year() as u32 * 100 + d.month())
    }
    fn next(self) -> Month {
        match self.0 % 100 {
            12 => Month((self.0 / 100 + 1) * 100 + 1),
            _ => Month(self.0 + 1),
        }
    }
    fn first(self) -> NaiveDate {
        NaiveDate::from_ymd_opt((self.0 / 100) as i32, self.0 % 100, 1).expect("a month")
    }
    /// The month's first instant, KST, in UTC.
    fn start(self) -> DateTime<Utc> {
        let midnight = self.first().and_hms_opt(0, 0, 0).expect("midnight");
        kst()
            .from_local_datetime(&midnight)
            .single()
            .expect("KST has no gaps")
            .with_timezone(&Utc)
    }
}

fn kst_month(t: DateTime<Utc>) -> Month {
    Month::of(t.with_timezone(&kst()).date_naive())
}

#[derive(Debug, Default, Deserialize, ToSchema)]
struct BillBody {
    org_code: Option<String>,
    /// aNS(64) from 통신-001; absent: every consented contract.
    mgmt_id: Option<String>,
    /// N(6) `YYYYMM`, number or string.
    #[serde(default, deserialize_with = "crate::params::num_or_str")]
    #[schema(value_type = Option<i64>)]
    charge_month: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
struct BillList {
    bill_cnt: usize,
    bill_list: Vec<BillItem>,
}

#[derive(Debug, Serialize, ToSchema, PartialEq)]
struct BillItem {
    /// The contract billed.
    mgmt_id: String,
    /// N(6) `YYYYMM`.
    charge_month: u32,
    /// N(15) what the month's bill asks.
    charge_amt: i64,
    /// DATE charged.
    charge_date: String,
}

/// The bill of `month` out of a contract's postings from its start to two
/// months on: none until the month's charge is posted.
fn bill_of(mgmt_id: &str, month: Month, posts: &[Posting]) -> Option<BillItem> {
    let mut charged: Option<DateTime<Utc>> = None;
    let mut amount = 0;
    for p in posts {
        match TelecomMemo::decode(&p.memo) {
            Some(TelecomMemo::Charge { month: m }) if m == month.0 => {
                charged = charged.max(Some(p.at));
                amount -= p.amount_minor;
            }
            Some(TelecomMemo::Micro { .. }) if kst_month(p.at) == month => {
                amount -= p.amount_minor;
            }
            _ => {}
        }
    }
    Some(BillItem {
        mgmt_id: mgmt_id.to_owned(),
        charge_month: month.0,
        charge_amt: amount,
        charge_date: date_of(charged?),
    })
}

/// `charge_month`: a `YYYYMM` month no older than five years (40001, 40304).
fn charge_month(v: Option<&str>, today: NaiveDate) -> MResult<Month> {
    let (y, m) = params::month(v, "charge_month")?;
    let month = Month(y as u32 * 100 + m);
    let oldest = Month::of(today).0 - RETENTION_YEARS as u32 * 100;
    if month.0 < oldest {
        return Err(MydataError::new(Rsp::TooOld));
    }
    Ok(month)
}

/// The contracts a bill request names: the one given (40402, 40105,
/// 40305), else every consented contract at the carrier.
async fn billed(
    state: &MydataState,
    caller: &Caller,
    mgmt_id: Option<&str>,
) -> MResult<Vec<Account>> {
    if let Some(id) = mgmt_id.filter(|m| !m.is_empty()) {
        return Ok(vec![caller.asset(state, KINDS, Some(id)).await?]);
    }
    let mut held = caller.holdings(state, KINDS).await?;
    held.retain(|a| caller.consent.holds(&a.account_id) && a.status != AccountStatus::Closed);
    Ok(held)
}

/// 통신-002.
#[utoipa::path(post, path = "/v1/telecom/telecoms/bills", tag = "telecom", request_body = BillBody,
    responses((status = 200, description = "청구 정보 (통신-002)", body = BillList)))]
async fn bills(
    State(state): State<MydataState>,
    caller: Caller,
    MJson(b): MJson<BillBody>,
) -> MResult<Reply<BillList>> {
    caller.require(SCOPE)?;
    caller.org(b.org_code.as_deref())?;
    let month = charge_month(b.charge_month.as_deref(), caller.today)?;
    let contracts = billed(&state, &caller, b.mgmt_id.as_deref()).await?;
    let (from, to) = (month.start(), month.next().next().start());
    let mut list = Vec::new();
    for a in &contracts {
        let posts = crate::card::held::all_postings(&state, &a.account_id, from, to).await?;
        list.extend(bill_of(&crate::assets::asset_id(a), month, &posts));
    }
    Ok(Reply::ok(BillList {
        bill_cnt: list.len(),
        bill_list: list,
    }))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
struct MgmtHistoryBody {
    org_code: Option<String>,
    /// aNS(64) from 통신-001.
    mgmt_id: Option<String>,
    #[serde(flatten)]
    history: HistoryFields,
}

impl MgmtHistoryBody {
    fn call(&self) -> HistoryCall<'_> {
        HistoryCall {
            scope: SCOPE,
            kinds: KINDS,
            org_code: self.org_code.as_deref(),
            asset: self.mgmt_id.as_deref(),
            fields: &self.history,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
struct PaymentList {
    #[serde(skip_serializing_if = "Option::is_none")]
    next_page: Option<String>,
    trans_cnt: usize,
    trans_list: Vec<PaymentItem>,
}

#[derive(Debug, Serialize, ToSchema, PartialEq)]
struct PaymentItem {
    /// DATE paid.
    trans_date: String,
    /// N(6) the month of the bill paid.
    trans_month: u32,
    /// N(15).
    paid_amt: i64,
    /// aN(2) `01` bank account, `02` card, `03` other.
    pay_method: String,
}

/// How the contract's bills are paid, from the account its terms name.
async fn pay_method(state: &MydataState, t: Option<&TelecomTerms>) -> MResult<&'static str> {
    let Some(id) = t.and_then(|t| t.pay_account_id.as_deref()) else {
        return Ok("03");
    };
    Ok(match state.world.repo.account(id).await? {
        Some(a) if a.kind == AccountKind::Card => "02",
        Some(_) => "01",
        None => "03",
    })
}

fn payment_item(p: &Posting, method: &str) -> Option<PaymentItem> {
    let Some(TelecomMemo::Payment { month }) = TelecomMemo::decode(&p.memo) else {
        return None;
    };
    Some(PaymentItem {
        trans_date: date_of(p.at),
        trans_month: month,
        paid_amt: p.amount_minor,
        pay_method: method.to_owned(),
    })
}

/// 통신-003.
#[utoipa::path(post, path = "/v1/telecom/telecoms/transactions", tag = "telecom",
    request_body = MgmtHistoryBody,
    responses((status = 200, description = "통신 거래내역(납입내역) (통신-003)", body = PaymentList)))]
async fn transactions(
    State(state): State<MydataState>,
    caller: Caller,
    MJson(b): MJson<MgmtHistoryBody>,
) -> MResult<Reply<PaymentList>> {
    let h = history::history(&state, &caller, b.call()).await?;
    let record = state.repo.terms(&h.account.account_id).await?;
    let method = pay_method(&state, terms_of(record.as_ref().map(|r| &r.terms))).await?;
    let list: Vec<PaymentItem> = h
        .lines
        .iter()
        .filter_map(|p| payment_item(p, method))
        .collect();
    Ok(Reply::ok(PaymentList {
        next_page: h.next_page,
        trans_cnt: list.len(),
        trans_list: list,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
struct MicroList {
    #[serde(skip_serializing_if = "Option::is_none")]
    next_page: Option<String>,
    trans_cnt: usize,
    trans_list: Vec<MicroItem>,
}

#[derive(Debug, Serialize, ToSchema, PartialEq)]
struct MicroItem {
    /// DATE.
    trans_date: String,
    /// N(15), negative for a cancellation.
    trans_amt: i64,
    /// aN(12) the merchant's business number, with the consent to merchant names.
    #[serde(skip_serializing_if = "Option::is_none")]
    org_regno: Option<String>,
    /// AH(75) with the same consent.
    #[serde(skip_serializing_if = "Option::is_none")]
    merchant_name: Option<String>,
    /// AH(300) what was bought.
    trans_title: String,
}

fn micro_item(p: &Posting, merchant: bool) -> Option<MicroItem> {
    let Some(TelecomMemo::Micro { title }) = TelecomMemo::decode(&p.memo) else {
        return None;
    };
    let name = merchant.then(|| p.counterparty.clone());
    Some(MicroItem {
        trans_date: date_of(p.at),
        trans_amt: -p.amount_minor,
        org_regno: name.as_deref().and_then(crate::efin::regno),
        merchant_name: name,
        trans_title: title,
    })
}

/// 통신-004.
#[utoipa::path(post, path = "/v1/telecom/telecoms/paid-transactions", tag = "telecom",
    request_body = MgmtHistoryBody,
    responses((status = 200, description = "통신 결제내역 (통신-004)", body = MicroList)))]
async fn paid_transactions(
    State(state): State<MydataState>,
    caller: Caller,
    MJson(b): MJson<MgmtHistoryBody>,
) -> MResult<Reply<MicroList>> {
    let h = history::history(&state, &caller, b.call()).await?;
    let merchant = caller.consent.merchant;
    let list: Vec<MicroItem> = h
        .lines
        .iter()
        .filter_map(|p| micro_item(p, merchant))
        .collect();
    Ok(Reply::ok(MicroList {
        next_page: h.next_page,
        trans_cnt: list.len(),
        trans_list: list,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use finhub_core::ledger::EntryKind;

    fn kst_at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        kst()
            .with_ymd_and_hms(y, m, d, h, 0, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn posting(memo: &str, amount: i64, at: DateTime<Utc>) -> Posting {
        Posting {
            entry_id: 7,
            account_id: "tc".into(),
            seq: 1,
            at,
            kind: EntryKind::Charge,
            amount_minor: amount,
            balance_after_minor: 0,
            memo: memo.into(),
            counterparty: "넥슨".into(),
        }
    }

    #[test]
    fn a_bill_is_the_months_charge_and_its_micro_payments() {
        let posts = [
            posting("소액결제 게임 아이템", -5_000, kst_at(2026, 10, 31, 23)),
            posting("소액결제 게임 아이템", -3_000, kst_at(2026, 11, 1, 0)),
            posting("소액결제 게임 아이템", 1_000, kst_at(2026, 11, 20, 9)),
            posting("통신요금 202611", -55_000, kst_at(2026, 12, 1, 9)),
            posting("요금납부 202610", 60_000, kst_at(2026, 11, 25, 9)),
            posting("통신요금 202610", -52_000, kst_at(2026, 11, 1, 9)),
        ];
        let b = bill_of("m1", Month(202611), &posts).unwrap();
        assert_eq!((b.charge_amt, b.charge_date.as_str()), (57_000, "20261201"));
        assert!(bill_of("m1", Month(202612), &posts).is_none());
    }

    #[test]
    fn months_roll_over_the_year_and_old_ones_are_refused() {
        assert_eq!(Month(202612).next(), Month(202701));
        assert_eq!(Month(202611).start(), kst_at(2026, 11, 1, 0));
        let today = NaiveDate::from_ymd_opt(2026, 12, 10).unwrap();
        assert_eq!(charge_month(Some("202611"), today).unwrap(), Month(202611));
        let err = |v| charge_month(Some(v), today).unwrap_err().rsp;
        assert_eq!(err("202113"), Rsp::BadParam);
        assert_eq!(err("202111"), Rsp::TooOld);
        assert!(charge_month(None, today).is_err());
    }

    #[test]
    fn payments_and_micro_payments_read_their_memos() {
        let at = kst_at(2026, 11, 25, 9);
        let p = payment_item(&posting("요금납부 202610", 60_000, at), "01").unwrap();
        assert_eq!(
            (p.trans_month, p.paid_amt, p.trans_date.as_str()),
            (202610, 60_000, "20261125")
        );
        assert!(payment_item(&posting("통신요금 202610", -1, at), "01").is_none());
        let m = micro_item(&posting("소액결제 게임 아이템", -5_000, at), true).unwrap();
        assert_eq!(
            (m.trans_amt, m.merchant_name.as_deref()),
            (5_000, Some("넥슨"))
        );
        assert_eq!(m.trans_title, "게임 아이템");
        assert_eq!(
            micro_item(&posting("소액결제 x", -1, at), false)
                .unwrap()
                .merchant_name,
            None
        );
    }
}

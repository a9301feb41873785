//! 전금-101..103: an e-finance company's payment accounts (간편결제 계정) —
//! the list, the registered payment methods and the payments. A payment
//! enters the account from its method (memo `결제 {merchant}`) and leaves
//! to the merchant in the same entry; the arriving leg is the payment.

use super::mask;
use super::prepaid::{transaction, FobTransaction, Shown};
use crate::error::MResult;
use crate::extract::{Caller, MJson, MQuery};
use crate::history::{self, date, date_of, HistoryCall, HistoryFields};
use crate::params::num_or_str;
use crate::sync::{self, AssetCall, ListCall};
use crate::wire::{Reply, Synced};
use crate::MydataState;
use axum::extract::State;
use axum::routing::{get, post};
use axum::Router;
use finhub_core::account::AccountKind;
use finhub_core::ledger::Posting;
use finhub_core::product::efin::{EfinMemo, PayMethod, PayType};
use finhub_core::product::{PayAccountTerms, ProductTerms};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

const PAYMENT: &[AccountKind] = &[AccountKind::Payment];
const LIST_SCOPE: &str = "efin.list";
const SCOPE: &str = "efin.paid";

pub(super) fn routes() -> Router<MydataState> {
    Router::new()
        .route("/v1/efin/paid", get(list))
        .route("/v1/efin/paid/methods", post(methods))
        .route("/v1/efin/paid/transactions", post(transactions))
}

#[derive(OpenApi)]
#[openapi(
    paths(list, methods, transactions),
    components(schemas(
        PaidList,
        PaidItem,
        SubKeyBody,
        MethodList,
        MethodItem,
        PaidHistoryBody,
        PaidTransactions
    ))
)]
pub(super) struct Doc;

fn pay_terms(terms: Option<&ProductTerms>) -> Option<&PayAccountTerms> {
    match terms {
        Some(ProductTerms::PayAccount(t)) => Some(t),
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
struct PaidList {
    /// N(14) only on the first page.
    #[serde(skip_serializing_if = "Option::is_none")]
    search_timestamp: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_page: Option<String>,
    account_cnt: usize,
    account_list: Vec<PaidItem>,
}

#[derive(Debug, Serialize, ToSchema, PartialEq)]
struct PaidItem {
    /// aNS(64) the id 전금-102 and 전금-103 take.
    sub_key: String,
    /// aNS(64) the account as the company writes it.
    account_id: String,
    is_consent: bool,
    /// DATE registered.
    reg_date: String,
    /// Payments are enabled on it.
    is_pay: bool,
}

/// 전금-101.
#[utoipa::path(get, path = "/v1/efin/paid", tag = "efin", params(ListQuery),
    responses((status = 200, description = "계정 목록 (전금-101)", body = PaidList)))]
async fn list(
    State(state): State<MydataState>,
    caller: Caller,
    MQuery(q): MQuery<ListQuery>,
) -> MResult<Synced<PaidList>> {
    let call = ListCall {
        scope: LIST_SCOPE,
        kinds: PAYMENT,
        org_code: q.org_code.as_deref(),
        search_timestamp: q.search_timestamp.as_deref(),
        next_page: q.next_page.as_deref(),
        limit: q.limit.as_deref(),
    };
    let l = sync::list(&state, &caller, call).await?;
    let items: Vec<PaidItem> = l
        .page
        .iter()
        .map(|a| {
            let t = pay_terms(l.terms_of(a));
            PaidItem {
                sub_key: crate::assets::asset_id(a),
                account_id: a.account_num.clone(),
                is_consent: caller.consent.holds(&a.account_id),
                reg_date: t.map_or_else(|| date_of(a.opened_at), |t| date(t.reg_date)),
                is_pay: t.is_some_and(|t| t.payable),
            }
        })
        .collect();
    Ok(l.answer(|search_timestamp| PaidList {
        search_timestamp,
        next_page: l.next_page.clone(),
        account_cnt: items.len(),
        account_list: items,
    }))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
struct SubKeyBody {
    org_code: Option<String>,
    /// aNS(64) from 전금-101.
    sub_key: Option<String>,
    /// N(14), number or string.
    #[serde(default, deserialize_with = "num_or_str")]
    #[schema(value_type = Option<i64>)]
    search_timestamp: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
struct MethodList {
    #[serde(skip_serializing_if = "Option::is_none")]
    search_timestamp: Option<i64>,
    pay_cnt: usize,
    pay_list: Vec<MethodItem>,
}

#[derive(Debug, Serialize, ToSchema, PartialEq)]
struct MethodItem {
    /// aN(10) the method's institution.
    pay_org_code: String,
    /// aN(2) `01` bank account, `02` card, `03` prepaid money.
    pay_type: String,
    /// aNS(64) the method's number, masked.
    pay_id: String,
    /// The method payments use unless told otherwise.
    is_primary: bool,
}

fn method_item(m: &PayMethod, num: &str) -> MethodItem {
    MethodItem {
        pay_org_code: m.org_code.clone(),
        pay_type: match m.pay_type {
            PayType::Account => "01",
            PayType::Card => "02",
            PayType::Prepaid => "03",
        }
        .into(),
        pay_id: mask(num),
        is_primary: m.primary,
    }
}

/// 전금-102.
#[utoipa::path(post, path = "/v1/efin/paid/methods", tag = "efin", request_body = SubKeyBody,
    responses((status = 200, description = "결제수단 등록 정보 (전금-102)", body = MethodList)))]
async fn methods(
    State(state): State<MydataState>,
    caller: Caller,
    MJson(b): MJson<SubKeyBody>,
) -> MResult<Synced<MethodList>> {
    let call = AssetCall {
        scope: SCOPE,
        kinds: PAYMENT,
        org_code: b.org_code.as_deref(),
        asset: b.sub_key.as_deref(),
        search_timestamp: b.search_timestamp.as_deref(),
        next_page: None,
    };
    let h = sync::held(&state, &caller, call).await?;
    let methods = pay_terms(h.terms()).map_or(&[][..], |t| &t.methods);
    let mut list = Vec::with_capacity(methods.len());
    for m in methods {
        // A method whose account the world no longer has is not shown.
        if let Some(a) = state.world.repo.account(&m.account_id).await? {
            list.push(method_item(m, &a.account_num));
        }
    }
    Ok(h.basic(|search_timestamp| MethodList {
        search_timestamp,
        pay_cnt: list.len(),
        pay_list: list,
    }))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
struct PaidHistoryBody {
    org_code: Option<String>,
    /// aNS(64) from 전금-101.
    sub_key: Option<String>,
    #[serde(flatten)]
    history: HistoryFields,
}

#[derive(Debug, Serialize, ToSchema)]
struct PaidTransactions {
    #[serde(skip_serializing_if = "Option::is_none")]
    next_page: Option<String>,
    trans_cnt: usize,
    trans_list: Vec<FobTransaction>,
}

/// A payment account's posting as 전금-103 lists it: the arriving legs,
/// with the merchant the memo names; the account holds nothing, so no
/// balance.
fn payment(p: &Posting, shown: Shown) -> Option<FobTransaction> {
    let Some(EfinMemo::Pay { merchant }) = EfinMemo::decode(&p.memo) else {
        return None;
    };
    let mut t = transaction(p, shown, Some(&merchant));
    t.balance_amt = None;
    Some(t)
}

/// 전금-103.
#[utoipa::path(post, path = "/v1/efin/paid/transactions", tag = "efin", request_body = PaidHistoryBody,
    responses((status = 200, description = "결제내역 (전금-103)", body = PaidTransactions)))]
async fn transactions(
    State(state): State<MydataState>,
    caller: Caller,
    MJson(b): MJson<PaidHistoryBody>,
) -> MResult<Reply<PaidTransactions>> {
    let call = HistoryCall {
        scope: SCOPE,
        kinds: PAYMENT,
        org_code: b.org_code.as_deref(),
        asset: b.sub_key.as_deref(),
        fields: &b.history,
    };
    let h = history::history(&state, &caller, call).await?;
    let shown = Shown::of(&caller);
    let list: Vec<FobTransaction> = h.lines.iter().filter_map(|p| payment(p, shown)).collect();
    Ok(Reply::ok(PaidTransactions {
        next_page: h.next_page,
        trans_cnt: list.len(),
        trans_list: list,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use finhub_core::ledger::EntryKind;

    fn posting(memo: &str, amount: i64) -> Posting {
        Posting {
            entry_id: 41,
            account_id: "pay".into(),
            seq: 3,
            at: Utc.with_ymd_and_hms(2026, 11, 2, 0, 0, 0).unwrap(),
            kind: EntryKind::Card,
            amount_minor: amount,
            balance_after_minor: 0,
            memo: memo.into(),
            counterparty: "쿠팡".into(),
        }
    }

    #[test]
    fn only_the_arriving_leg_of_a_payment_is_listed() {
        let shown = Shown {
            memo: false,
            merchant: true,
        };
        let t = payment(&posting("결제 쿠팡", 15_900), shown).unwrap();
        assert_eq!(
            (
                t.trans_type.as_str(),
                t.trans_amt,
                t.merchant_name.as_deref()
            ),
            ("5501", 15_900, Some("쿠팡"))
        );
        assert_eq!((t.balance_amt, t.trans_memo), (None, None));
        assert!(payment(&posting("결제", -15_900), shown).is_none());
        let hidden = Shown {
            memo: true,
            merchant: false,
        };
        let t = payment(&posting("결제 쿠팡", 15_900), hidden).unwrap();
        assert_eq!(t.merchant_name, None);
        assert_eq!(t.trans_memo.as_deref(), Some("결제 쿠팡"));
    }
}

//! 카드-008 domestic and 카드-009 overseas approvals of one card, and the
//! approval field groups the prepaid-card payments (선불-004) share.

use super::cards::card_type_code;
use super::held::{card_terms, path_id, CardUse, UseStatus};
use crate::error::MResult;
use crate::extract::{Caller, MQuery};
use crate::history::{self, dtime, HistoryCall, HistoryFields};
use crate::wire::Reply;
use crate::MydataState;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use finhub_core::account::AccountKind;
use finhub_core::money::Currency;
use finhub_core::product::CardType;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Default, Deserialize, IntoParams)]
pub(crate) struct ApprovalQuery {
    pub org_code: Option<String>,
    /// DATE `YYYYMMDD`, KST.
    pub from_date: Option<String>,
    /// DATE `YYYYMMDD`, included.
    pub to_date: Option<String>,
    pub next_page: Option<String>,
    /// N(3) 1..500.
    pub limit: Option<String>,
}

/// The fields every approval line starts with.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub(crate) struct ApprovalHead {
    /// aN(21) approval number.
    pub approved_num: String,
    /// DTIME.
    pub approved_dtime: String,
    /// aN(2) `01` approved, `02` cancelled.
    pub status: String,
    /// DTIME the cancellation's time (status `02`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trans_dtime: Option<String>,
}

impl ApprovalHead {
    pub fn of(u: &CardUse) -> ApprovalHead {
        let cancelled = u.status == UseStatus::Cancelled;
        ApprovalHead {
            approved_num: u.approved_num(),
            approved_dtime: dtime(u.at),
            status: if cancelled { "02" } else { "01" }.into(),
            trans_dtime: cancelled.then(|| dtime(u.at)),
        }
    }
}

/// Merchant and won amount of a domestic approval (카드-008, 선불-004).
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub(crate) struct DomesticUse {
    /// AH(75) only with the consent to merchant names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merchant_name: Option<String>,
    /// aN(12) business number with `-`, with the same consent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merchant_regno: Option<String>,
    /// N(15) the full amount, instalments too.
    pub approved_amt: i64,
    /// N(5) left out for lump sums.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_install_cnt: Option<u32>,
}

impl DomesticUse {
    pub fn of(u: &CardUse, merchant: bool) -> DomesticUse {
        DomesticUse {
            merchant_name: merchant.then(|| u.merchant_name.clone()),
            merchant_regno: merchant
                .then(|| u.merchant().and_then(|m| m.business_num))
                .flatten()
                .map(str::to_owned),
            approved_amt: u.amount,
            total_install_cnt: u.instalments(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct DomesticApproval {
    #[serde(flatten)]
    pub head: ApprovalHead,
    /// aN(2) `01` credit, `02` check.
    pub pay_type: String,
    #[serde(flatten)]
    pub usage: DomesticUse,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct DomesticApprovals {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page: Option<String>,
    pub approved_cnt: usize,
    pub approved_list: Vec<DomesticApproval>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct OverseasApproval {
    #[serde(flatten)]
    pub head: ApprovalHead,
    pub pay_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merchant_name: Option<String>,
    /// F(18,3) in the merchant's currency.
    pub approved_amt: f64,
    /// A(2) ISO 3166-1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country_code: Option<String>,
    /// A(3) ISO 4217.
    pub currency_code: String,
    /// N(15) the won charged.
    pub krw_amt: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct OverseasApprovals {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page: Option<String>,
    pub approved_cnt: usize,
    pub approved_list: Vec<OverseasApproval>,
}

/// A foreign amount in minor units as the decimal number F(18,3) shows.
fn foreign_amount(currency: &str, minor: i64) -> f64 {
    let exp = Currency::parse(currency).map_or(2, |c| c.exponent());
    minor as f64 / 10f64.powi(exp as i32)
}

fn overseas_item(u: &CardUse, pay_type: &str, merchant: bool) -> Option<OverseasApproval> {
    let (currency, minor) = u.memo.overseas.as_ref()?;
    Some(OverseasApproval {
        head: ApprovalHead::of(u),
        pay_type: pay_type.into(),
        merchant_name: merchant.then(|| u.merchant_name.clone()),
        approved_amt: foreign_amount(currency, *minor),
        country_code: u.merchant().and_then(|m| m.country).map(str::to_owned),
        currency_code: currency.clone(),
        krw_amt: u.amount,
    })
}

/// The card's use in the window, one page of its postings, newest first;
/// a page may hold fewer lines than `limit` while `next_page` says more follow.
async fn uses(
    state: &MydataState,
    caller: &Caller,
    card_id: &str,
    q: ApprovalQuery,
) -> MResult<(Vec<CardUse>, CardType, Option<String>)> {
    let fields = HistoryFields {
        from_date: q.from_date,
        to_date: q.to_date,
        next_page: q.next_page,
        limit: q.limit,
    };
    let call = HistoryCall {
        scope: "card.card",
        kinds: &[AccountKind::Card],
        org_code: q.org_code.as_deref(),
        asset: Some(card_id),
        fields: &fields,
    };
    let h = history::history(state, caller, call).await?;
    let record = state.repo.terms(&h.account.account_id).await?;
    let card_type = card_terms(&h.account, record.as_ref().map(|r| &r.terms)).card_type;
    let uses = h.lines.iter().filter_map(CardUse::of).collect();
    Ok((uses, card_type, h.next_page))
}

/// 카드-008: the card's domestic approvals and cancellations, newest first.
#[utoipa::path(get, path = "/v1/card/cards/{card_id}/approval-domestic", tag = "card",
    params(("card_id" = String, Path, description = "aN(64) from 카드-001"), ApprovalQuery),
    responses((status = 200, description = "국내 승인내역 (카드-008)", body = DomesticApprovals)))]
pub(crate) async fn domestic(
    State(state): State<MydataState>,
    caller: Caller,
    card_id: Result<Path<String>, PathRejection>,
    MQuery(q): MQuery<ApprovalQuery>,
) -> MResult<Reply<DomesticApprovals>> {
    let (uses, card_type, next_page) = uses(&state, &caller, &path_id(card_id)?, q).await?;
    let merchant = caller.consent.merchant;
    let list: Vec<DomesticApproval> = uses
        .iter()
        .filter(|u| u.memo.overseas.is_none())
        .map(|u| DomesticApproval {
            head: ApprovalHead::of(u),
            pay_type: pay_type(card_type).into(),
            usage: DomesticUse::of(u, merchant),
        })
        .collect();
    Ok(Reply::ok(DomesticApprovals {
        next_page,
        approved_cnt: list.len(),
        approved_list: list,
    }))
}

/// 카드-009: the card's overseas approvals and cancellations, newest first.
#[utoipa::path(get, path = "/v1/card/cards/{card_id}/approval-overseas", tag = "card",
    params(("card_id" = String, Path, description = "aN(64) from 카드-001"), ApprovalQuery),
    responses((status = 200, description = "해외 승인내역 (카드-009)", body = OverseasApprovals)))]
pub(crate) async fn overseas(
    State(state): State<MydataState>,
    caller: Caller,
    card_id: Result<Path<String>, PathRejection>,
    MQuery(q): MQuery<ApprovalQuery>,
) -> MResult<Reply<OverseasApprovals>> {
    let (uses, card_type, next_page) = uses(&state, &caller, &path_id(card_id)?, q).await?;
    let merchant = caller.consent.merchant;
    let list: Vec<OverseasApproval> = uses
        .iter()
        .filter_map(|u| overseas_item(u, pay_type(card_type), merchant))
        .collect();
    Ok(Reply::ok(OverseasApprovals {
        next_page,
        approved_cnt: list.len(),
        approved_list: list,
    }))
}

/// `pay_type`: the card kind's code, `01` credit, `02` check.
fn pay_type(t: CardType) -> &'static str {
    card_type_code(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use finhub_core::merchant::CardMemo;

    fn card_use(status: UseStatus, name: &str, memo: CardMemo) -> CardUse {
        CardUse {
            entry_id: 7,
            at: Utc.with_ymd_and_hms(2026, 11, 2, 3, 4, 5).unwrap(),
            status,
            amount: 36_000,
            merchant_name: name.into(),
            memo,
        }
    }

    #[test]
    fn merchant_fields_follow_the_consent() {
        let memo = CardMemo {
            installments: 3,
            overseas: None,
        };
        let u = card_use(UseStatus::Approved, "쿠팡", memo);
        let with = DomesticUse::of(&u, true);
        assert_eq!(with.merchant_name.as_deref(), Some("쿠팡"));
        assert_eq!(with.merchant_regno.as_deref(), Some("120-88-12012"));
        assert_eq!(
            (with.approved_amt, with.total_install_cnt),
            (36_000, Some(3))
        );
        let without = DomesticUse::of(&u, false);
        assert_eq!(
            (&without.merchant_name, &without.merchant_regno),
            (&None, &None)
        );
        let json = serde_json::to_value(&without).unwrap();
        assert!(json.get("merchant_name").is_none(), "{json}");
    }

    #[test]
    fn cancellations_carry_their_time() {
        let u = card_use(UseStatus::Cancelled, "쿠팡", CardMemo::lump_sum());
        let h = ApprovalHead::of(&u);
        assert_eq!(h.status, "02");
        assert_eq!(h.trans_dtime.as_deref(), Some("20261102120405"));
        let a = ApprovalHead::of(&card_use(UseStatus::Approved, "x", CardMemo::lump_sum()));
        assert_eq!((a.status.as_str(), a.trans_dtime), ("01", None));
    }

    #[test]
    fn overseas_lines_show_the_foreign_amount() {
        let memo = CardMemo {
            installments: 0,
            overseas: Some(("USD".into(), 2_499)),
        };
        let u = card_use(UseStatus::Approved, "NETFLIX.COM", memo);
        let o = overseas_item(&u, "01", false).unwrap();
        assert_eq!((o.approved_amt, o.krw_amt), (24.99, 36_000));
        assert_eq!(o.country_code.as_deref(), Some("US"));
        assert_eq!(o.currency_code, "USD");
        assert!(o.merchant_name.is_none());
        let jpy = CardMemo {
            installments: 0,
            overseas: Some(("JPY".into(), 5_400)),
        };
        let o = overseas_item(&card_use(UseStatus::Approved, "?", jpy), "02", true).unwrap();
        assert_eq!((o.approved_amt, o.country_code), (5_400.0, None));
        assert!(overseas_item(
            &card_use(UseStatus::Approved, "x", CardMemo::lump_sum()),
            "01",
            true
        )
        .is_none());
    }
}

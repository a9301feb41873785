//! 카드-001 card list, 카드-002 card basic, 카드-003 points.

use super::held::{self, card_terms, path_id, HeldCard};
use crate::error::MResult;
use crate::extract::{Caller, MQuery};
use crate::history::date;
use crate::sync::{self, latest, AssetCall, ListCall, Sync};
use crate::wire::Synced;
use crate::MydataState;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use finhub_core::account::{Account, AccountKind};
use finhub_core::product::{CardTerms, CardType};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

/// The query of the card APIs that take no window.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub(crate) struct CardQuery {
    /// aN(10) the card company's org code.
    pub org_code: Option<String>,
    /// N(14) the timestamp of the last answer, `0` at first.
    pub search_timestamp: Option<String>,
    /// aNS(1000) the cursor of the previous page.
    pub next_page: Option<String>,
    /// N(3) 1..500.
    pub limit: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CardList {
    /// N(14) only on the first page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_timestamp: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page: Option<String>,
    pub card_cnt: usize,
    pub card_list: Vec<CardItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CardItem {
    /// aN(64) the id the card APIs take.
    pub card_id: String,
    /// aNS(19) masked card number.
    pub card_num: String,
    pub is_consent: bool,
    /// AH(300) product name.
    pub card_name: String,
    /// aN(1) `1` the holder's own card, `2` a family card.
    pub card_member: String,
    /// aN(2) `01` credit, `02` check.
    pub card_type: String,
}

/// `01` credit, `02` check (debit).
pub(crate) fn card_type_code(t: CardType) -> &'static str {
    match t {
        CardType::Credit => "01",
        CardType::Check => "02",
    }
}

fn item(a: &Account, t: &CardTerms, is_consent: bool) -> CardItem {
    CardItem {
        card_id: crate::assets::asset_id(a),
        card_num: t.masked_num.clone(),
        is_consent,
        card_name: a.product_name.clone(),
        card_member: if t.family { "2" } else { "1" }.into(),
        card_type: card_type_code(t.card_type).into(),
    }
}

/// 카드-001: every card the person holds here, each with `is_consent`.
#[utoipa::path(get, path = "/v1/card/cards", tag = "card", params(CardQuery),
    responses((status = 200, description = "카드 목록 (카드-001)", body = CardList)))]
pub(crate) async fn list(
    State(state): State<MydataState>,
    caller: Caller,
    MQuery(q): MQuery<CardQuery>,
) -> MResult<Synced<CardList>> {
    let call = ListCall {
        scope: "card.list",
        kinds: &[AccountKind::Card],
        org_code: q.org_code.as_deref(),
        search_timestamp: q.search_timestamp.as_deref(),
        next_page: q.next_page.as_deref(),
        limit: q.limit.as_deref(),
    };
    let l = sync::list(&state, &caller, call).await?;
    let items: Vec<CardItem> = l
        .page
        .iter()
        .map(|a| {
            let t = card_terms(a, l.terms_of(a));
            item(a, &t, caller.consent.holds(&a.account_id))
        })
        .collect();
    Ok(l.answer(|search_timestamp| CardList {
        search_timestamp,
        next_page: l.next_page.clone(),
        card_cnt: items.len(),
        card_list: items,
    }))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub(crate) struct BasicQuery {
    pub org_code: Option<String>,
    pub search_timestamp: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CardBasic {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_timestamp: Option<i64>,
    /// aN(2) `01` credit, `02` check.
    pub card_type: String,
    /// Transit (교통) function.
    pub is_trans_payable: bool,
    pub is_cash_card: bool,
    /// aN(8) the settlement bank's org code without its industry prefix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub linked_bank_code: Option<String>,
    /// aN(20) the settlement account, digits only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_num: Option<String>,
    /// aN(3) `VISA`, `MASTER`, `AMEX`, `JCB`, `UNION`, `LOCAL`.
    pub card_brand: String,
    /// N(15) won a year.
    pub annual_fee: i64,
    /// DATE.
    pub issue_date: String,
}

/// 카드-002: one card's basic information.
#[utoipa::path(get, path = "/v1/card/cards/{card_id}", tag = "card",
    params(("card_id" = String, Path, description = "aN(64) from 카드-001"), BasicQuery),
    responses((status = 200, description = "카드 기본정보 (카드-002)", body = CardBasic)))]
pub(crate) async fn basic(
    State(state): State<MydataState>,
    caller: Caller,
    card_id: Result<Path<String>, PathRejection>,
    MQuery(q): MQuery<BasicQuery>,
) -> MResult<Synced<CardBasic>> {
    let card_id = path_id(card_id)?;
    let call = AssetCall {
        scope: "card.card",
        kinds: &[AccountKind::Card],
        org_code: q.org_code.as_deref(),
        asset: Some(&card_id),
        search_timestamp: q.search_timestamp.as_deref(),
        next_page: None,
    };
    let h = sync::held(&state, &caller, call).await?;
    let t = card_terms(&h.account, h.terms());
    let settle = held::own_account(&state, &caller, t.settle_account_id.as_deref()).await?;
    let (linked_bank_code, account_num) = settle.unzip();
    Ok(h.basic(|search_timestamp| CardBasic {
        search_timestamp,
        card_type: card_type_code(t.card_type).into(),
        is_trans_payable: t.transit,
        is_cash_card: t.cash_card,
        linked_bank_code,
        account_num,
        card_brand: t.brand.clone(),
        annual_fee: t.annual_fee_minor,
        issue_date: date(t.issue_date),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PointList {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_timestamp: Option<i64>,
    pub point_cnt: usize,
    pub point_list: Vec<PointItem>,
}

#[derive(Debug, Serialize, ToSchema, PartialEq, Eq)]
pub(crate) struct PointItem {
    /// AH(60) the point programme.
    pub point_name: String,
    /// N(12).
    pub remain_point_amt: i64,
    /// N(12) expiring within two months.
    pub expiring_point_amt: i64,
}

/// The points of the consented cards, one line per programme.
fn point_lines(cards: &[HeldCard]) -> Vec<PointItem> {
    let mut by_name: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
    for p in cards
        .iter()
        .filter(|c| c.consented)
        .flat_map(|c| &c.terms.points)
    {
        let e = by_name.entry(&p.name).or_default();
        e.0 = e.0.saturating_add(p.remain);
        e.1 = e.1.saturating_add(p.expiring);
    }
    by_name
        .into_iter()
        .map(|(name, (remain, expiring))| PointItem {
            point_name: name.to_owned(),
            remain_point_amt: remain,
            expiring_point_amt: expiring,
        })
        .collect()
}

/// 카드-003: the points of the consented cards.
#[utoipa::path(get, path = "/v1/card/points", tag = "card", params(BasicQuery),
    responses((status = 200, description = "포인트 정보 (카드-003)", body = PointList)))]
pub(crate) async fn points(
    State(state): State<MydataState>,
    caller: Caller,
    MQuery(q): MQuery<BasicQuery>,
) -> MResult<Synced<PointList>> {
    caller.require("card.point")?;
    caller.org(q.org_code.as_deref())?;
    let sync = Sync::parse(q.search_timestamp.as_deref(), state.world.clock.now())?;
    let cards = held::cards(&state, &caller).await?;
    let modified = latest(
        cards
            .iter()
            .map(|c| Some(c.changed))
            .chain([Some(caller.consent.created_at)]),
    );
    let lines = point_lines(&cards);
    Ok(sync.answer(modified, |search_timestamp| PointList {
        search_timestamp,
        point_cnt: lines.len(),
        point_list: lines,
    }))
}

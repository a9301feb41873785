//! 카드-001 card list, 카드-002 card basic, 카드-003 points.

use super::held::{self, date8, path_id, HeldCard};
use crate::error::MResult;
use crate::extract::{Caller, MQuery};
use crate::params::{limit, page_of, search_timestamp, Cursor};
use crate::wire::Synced;
use crate::MydataState;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use finhub_core::product::CardType;
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

fn item(c: &HeldCard) -> CardItem {
    CardItem {
        card_id: crate::assets::asset_id(&c.acct),
        card_num: c.terms.masked_num.clone(),
        is_consent: c.consented,
        card_name: c.acct.product_name.clone(),
        card_member: if c.terms.family { "2" } else { "1" }.into(),
        card_type: card_type_code(c.terms.card_type).into(),
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
    caller.require("card.list")?;
    caller.org(q.org_code.as_deref())?;
    let limit = limit(q.limit.as_deref())?;
    let offset = Cursor::offset(q.next_page.as_deref())?;
    let since = search_timestamp(q.search_timestamp.as_deref())?;
    let cards = held::cards(&state, &caller).await?;
    // The list moves when a card is added, changed or removed, and with the consent.
    let modified = cards
        .iter()
        .map(|c| c.changed)
        .chain([caller.consent.created_at])
        .max()
        .unwrap_or(caller.consent.created_at);
    let first = offset == 0;
    let since = since.filter(|_| first);
    let (page, next_page) = page_of(cards.iter().map(item).collect(), offset, limit);
    Ok(held::synced(&state, since, modified, |ts| CardList {
        search_timestamp: first.then_some(ts),
        next_page,
        card_cnt: page.len(),
        card_list: page,
    }))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub(crate) struct BasicQuery {
    pub org_code: Option<String>,
    pub search_timestamp: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CardBasic {
    pub search_timestamp: i64,
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
    caller.require("card.card")?;
    caller.org(q.org_code.as_deref())?;
    let since = search_timestamp(q.search_timestamp.as_deref())?;
    let card = held::card(&state, &caller, &path_id(card_id)?).await?;
    let t = &card.terms;
    let settle = held::own_account(&state, &caller, t.settle_account_id.as_deref()).await?;
    let (linked_bank_code, account_num) = settle.unzip();
    Ok(held::synced(&state, since, card.changed, |ts| CardBasic {
        search_timestamp: ts,
        card_type: card_type_code(t.card_type).into(),
        is_trans_payable: t.transit,
        is_cash_card: t.cash_card,
        linked_bank_code,
        account_num,
        card_brand: t.brand.clone(),
        annual_fee: t.annual_fee_minor,
        issue_date: date8(t.issue_date),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PointList {
    pub search_timestamp: i64,
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
    let since = search_timestamp(q.search_timestamp.as_deref())?;
    let cards = held::cards(&state, &caller).await?;
    let modified = cards
        .iter()
        .map(|c| c.changed)
        .chain([caller.consent.created_at])
        .max()
        .unwrap_or(caller.consent.created_at);
    let lines = point_lines(&cards);
    Ok(held::synced(&state, since, modified, |ts| PointList {
        search_timestamp: ts,
        point_cnt: lines.len(),
        point_list: lines,
    }))
}

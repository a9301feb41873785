//! C8–C15, C17, C18: a card after issue. C8, C15 and C18 answer
//! encrypted when the request names a crypto key (the transport does it).

use super::issue::printed;
use super::{card_no, opt_card_no, opt_par, par, service_name};
use crate::error::KonaResult;
use crate::extract::{Checked, Ctx, Fields};
use crate::wire::{dt14, Out};
use crate::KonaState;
use axum::extract::State;
use finhub_core::konaplate::cards::manage::{CardRef, Found};
use finhub_core::konaplate::cards::{Card, Deduction, Limits};
use finhub_core::konaplate::Refusal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// C8.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct CardListRequest {
    pub user_id: u64,
    /// 27 characters: only this card.
    pub par: Option<String>,
    /// 16 digits: only the card of this plastic.
    pub physical_card_no: Option<String>,
}

/// C9: a card's printed data.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct CardDataRequest {
    /// 16 digits.
    pub card_no: String,
    /// YYMM, 4 digits.
    pub expiry_date: String,
    /// 3 digits.
    #[serde(rename = "cardCVC")]
    pub card_cvc: String,
}

/// C10: the card by `par` or by `cardNo` (one of the two).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct CardStatusRequest {
    pub user_id: u64,
    /// 27 characters.
    pub par: Option<String>,
    /// 16 digits.
    pub card_no: Option<String>,
    /// `SUSPEND` or `RESUME`.
    pub status: String,
}

/// C11, C13, C17: a member's card.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct UserCardRequest {
    pub user_id: u64,
    /// 27 characters.
    pub par: String,
}

/// C12: 0..9,999,999,999 won each, 0 = none.
#[derive(Debug, Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct LimitsInfo {
    #[schema(maximum = 9_999_999_999_u64)]
    pub once: u64,
    #[schema(maximum = 9_999_999_999_u64)]
    pub day: u64,
    #[schema(maximum = 9_999_999_999_u64)]
    pub month: u64,
}

/// C12.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct LimitsRequest {
    pub user_id: u64,
    /// 27 characters.
    pub par: String,
    pub limits: LimitsInfo,
}

/// C14.
#[derive(Debug, Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct DeductionRequest {
    /// 27 characters.
    pub par: String,
}

/// C15, C18.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct CardNoRequest {
    /// 16 digits.
    pub card_no: String,
}

/// Per-payment limits; 0 = none.
#[derive(Debug, Serialize, ToSchema)]
pub struct CardLimits {
    pub day: i64,
    pub once: i64,
    pub month: i64,
}

impl From<Limits> for CardLimits {
    fn from(l: Limits) -> Self {
        CardLimits {
            day: l.day,
            once: l.once,
            month: l.month,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CardDataInfo {
    pub par: String,
    pub limits: CardLimits,
    pub balance: i64,
    pub pending_amount: i64,
    pub is_named: bool,
    pub is_main: bool,
    pub service_id: String,
    pub service_name: &'static str,
    /// YYMMDD.
    pub expiry_date: String,
    pub card_apply_no: Option<String>,
    pub mobile_card_no: Option<String>,
    pub physical_card_no: Option<String>,
    /// `ACTIVE` or `SUSPENDED`.
    pub mobile_card_status: &'static str,
    pub physical_card_status: Option<&'static str>,
}

/// C8.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CardList {
    pub card_data_info: Vec<CardDataInfo>,
}

/// C9.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UnregisteredCard {
    pub par: String,
    pub service_id: String,
    pub service_name: &'static str,
    pub card_status: &'static str,
    pub balance: i64,
    pub is_registered: bool,
}

/// C10, C11: the card and the state it is now in.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CardState {
    pub par: String,
    pub card_status: &'static str,
}

/// C12.
#[derive(Debug, Serialize, ToSchema)]
pub struct LimitsSet {
    pub par: String,
    pub limits: CardLimits,
}

/// C13, C14: `deductionDate` yyyyMMdd as a number, `created` 14 digits.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeductionInfo {
    pub par: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deduction_date: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
}

/// C15: `userId` 0 when the card is nobody's in the project.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CardUser {
    pub user_id: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub balance: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_name: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card_status: Option<&'static str>,
}

/// C17.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MainCard {
    pub par: String,
    pub is_main: bool,
}

/// C18: `connectType` is `FIXED`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VirtualAccountInfo {
    pub account_no: String,
    pub bank_code: String,
    pub connect_type: &'static str,
}

fn no_text(n: &Option<finhub_core::konaplate::ids::CardNo>) -> Option<String> {
    n.as_ref().map(|n| n.as_str().to_owned())
}

fn data_info(c: Card, balance: i64) -> CardDataInfo {
    CardDataInfo {
        par: c.par.as_str().to_owned(),
        limits: c.limits.into(),
        balance,
        pending_amount: 0,
        is_named: c.is_named,
        is_main: c.is_main,
        service_id: c.service_id.as_str().to_owned(),
        service_name: service_name(&c.service_id),
        expiry_date: c.expiry_yymmdd(),
        card_apply_no: c.card_apply_no.as_ref().map(|n| n.as_str().to_owned()),
        mobile_card_no: no_text(&c.mobile_card_no),
        physical_card_no: no_text(&c.physical_card_no),
        mobile_card_status: c.status.as_str(),
        physical_card_status: c.physical_card_no.as_ref().map(|_| c.status.as_str()),
    }
}

/// C8 `{userId, par?, physicalCardNo?}`: the member's cards that are not
/// terminated.
#[utoipa::path(post, path = "/api/v1/user/card/list", tag = "cards",
    request_body = CardListRequest,
    responses((status = 200, body = CardList), (status = 400, body = crate::error::Envelope)))]
pub async fn list(State(s): State<KonaState>, ctx: Ctx) -> KonaResult<Out<CardList>> {
    let f = ctx.fields();
    let user = f.user_id()?;
    let (par, physical) = (opt_par(&f)?, opt_card_no(&f, "physicalCardNo")?);
    let cards = (s.kona)
        .list_cards(ctx.project_id(), user, par.as_ref(), physical.as_ref())
        .await?;
    let card_data_info = cards.into_iter().map(|(c, b)| data_info(c, b)).collect();
    Ok(Out(CardList { card_data_info }))
}

/// C9 `{cardNo, expiryDate (YYMM), cardCVC}`: a card by its printed data.
#[utoipa::path(post, path = "/api/v1/unregister/card/info", tag = "cards",
    request_body = CardDataRequest,
    responses((status = 200, body = UnregisteredCard), (status = 400, body = crate::error::Envelope)))]
pub async fn unregistered(
    State(s): State<KonaState>,
    ctx: Ctx,
) -> KonaResult<Out<UnregisteredCard>> {
    let data = printed(&ctx.fields(), "cardNo", "expiryDate", "cardCVC")?;
    let out = match s.kona.card_by_data(ctx.project_id(), &data).await? {
        Found::PreIssued(p) => UnregisteredCard {
            par: p.par.as_str().to_owned(),
            service_name: service_name(&p.service_id),
            service_id: p.service_id.as_str().to_owned(),
            card_status: "INACTIVE",
            balance: 0,
            is_registered: false,
        },
        Found::Card(c, balance) => UnregisteredCard {
            par: c.par.as_str().to_owned(),
            service_name: service_name(&c.service_id),
            service_id: c.service_id.as_str().to_owned(),
            card_status: c.status.as_str(),
            balance,
            is_registered: true,
        },
    };
    Ok(Out(out))
}

/// C10 `{userId, par | cardNo, status: SUSPEND | RESUME}`.
#[utoipa::path(post, path = "/api/v1/card/status", tag = "cards",
    request_body = CardStatusRequest,
    responses((status = 200, body = CardState), (status = 400, body = crate::error::Envelope)))]
pub async fn status(State(s): State<KonaState>, ctx: Ctx) -> KonaResult<Out<CardState>> {
    let f = ctx.fields();
    let user = f.user_id()?;
    let (par, no) = (opt_par(&f)?, opt_card_no(&f, "cardNo")?);
    let suspend = match f.text("status")? {
        "SUSPEND" => true,
        "RESUME" => false,
        _ => return Err(Refusal::invalid("status").into()),
    };
    let r = match (&par, &no) {
        (Some(p), _) => CardRef::Par(p),
        (None, Some(n)) => CardRef::No(n),
        (None, None) => return Err(Refusal::missing("par").into()),
    };
    let card = s
        .kona
        .set_card_status(ctx.project_id(), user, r, suspend)
        .await?;
    Ok(Out(CardState {
        par: card.par.as_str().to_owned(),
        card_status: card.status.as_str(),
    }))
}

/// C11 `{userId, par}`: discard a card (not the basic card, `001_059`; not
/// with a balance, `001_052`); a main card's sub cards go with it.
#[utoipa::path(post, path = "/api/v1/card/terminate", tag = "cards",
    request_body = UserCardRequest,
    responses((status = 200, body = CardState), (status = 400, body = crate::error::Envelope)))]
pub async fn terminate(State(s): State<KonaState>, ctx: Ctx) -> KonaResult<Out<CardState>> {
    let f = ctx.fields();
    let (user, par) = (f.user_id()?, par(&f)?);
    let card = s.kona.terminate_card(ctx.project_id(), user, &par).await?;
    Ok(Out(CardState {
        par: card.par.as_str().to_owned(),
        card_status: card.status.as_str(),
    }))
}

fn limit(f: &Fields<'_>, name: &str) -> Checked<i64> {
    let n = f.number(name)?;
    if n > 9_999_999_999 {
        return Err(Refusal::invalid(name));
    }
    i64::try_from(n).map_err(|_| Refusal::invalid(name))
}

/// C12 `{userId, par, limits{once, day, month}}` (0 = none).
#[utoipa::path(post, path = "/api/v1/card/payment/limit/update", tag = "cards",
    request_body = LimitsRequest,
    responses((status = 200, body = LimitsSet), (status = 400, body = crate::error::Envelope)))]
pub async fn limits(State(s): State<KonaState>, ctx: Ctx) -> KonaResult<Out<LimitsSet>> {
    let f = ctx.fields();
    let (user, par) = (f.user_id()?, par(&f)?);
    let l = f
        .object("limits")?
        .ok_or_else(|| Refusal::missing("limits"))?;
    let limits = Limits {
        once: limit(&l, "once")?,
        day: limit(&l, "day")?,
        month: limit(&l, "month")?,
    };
    let card = s
        .kona
        .set_card_limits(ctx.project_id(), user, &par, limits)
        .await?;
    Ok(Out(LimitsSet {
        par: card.par.as_str().to_owned(),
        limits: card.limits.into(),
    }))
}

fn deduction_info(par: String, d: Option<Deduction>) -> DeductionInfo {
    DeductionInfo {
        par,
        deduction_date: d.as_ref().and_then(|d| d.deduction_date.parse().ok()),
        created: d.map(|d| dt14(d.created_at)),
    }
}

/// C13 `{userId, par}`: apply for the income-tax deduction; needs the
/// DEDUCT term (604150) agreed (`001_079`).
#[utoipa::path(post, path = "/api/v1/cards/deduction/apply", tag = "cards",
    request_body = UserCardRequest,
    responses((status = 200, body = DeductionInfo), (status = 400, body = crate::error::Envelope)))]
pub async fn apply_deduction(
    State(s): State<KonaState>,
    ctx: Ctx,
) -> KonaResult<Out<DeductionInfo>> {
    let f = ctx.fields();
    let (user, par) = (f.user_id()?, par(&f)?);
    let d = s.kona.apply_deduction(ctx.project_id(), user, &par).await?;
    Ok(Out(deduction_info(par.as_str().to_owned(), Some(d))))
}

/// C14 `{par}`: the card's deduction application, if any.
#[utoipa::path(post, path = "/api/v1/cards/deduction", tag = "cards",
    request_body = DeductionRequest,
    responses((status = 200, body = DeductionInfo), (status = 400, body = crate::error::Envelope)))]
pub async fn deduction(State(s): State<KonaState>, ctx: Ctx) -> KonaResult<Out<DeductionInfo>> {
    let par = par(&ctx.fields())?;
    let d = s.kona.deduction_of(ctx.project_id(), &par).await?;
    Ok(Out(deduction_info(par.as_str().to_owned(), d)))
}

/// C15 `{cardNo}`: the member a card number is mapped to in the project.
#[utoipa::path(post, path = "/api/v1/user/card/info", tag = "cards",
    request_body = CardNoRequest,
    responses((status = 200, body = CardUser), (status = 400, body = crate::error::Envelope)))]
pub async fn card_user(State(s): State<KonaState>, ctx: Ctx) -> KonaResult<Out<CardUser>> {
    let no = card_no(&ctx.fields(), "cardNo")?;
    let out = match s.kona.card_user(ctx.project_id(), &no).await? {
        None => CardUser {
            user_id: 0,
            balance: None,
            service_id: None,
            service_name: None,
            card_status: None,
        },
        Some((c, balance)) => CardUser {
            user_id: c.user_id.0,
            balance: Some(balance),
            service_name: Some(service_name(&c.service_id)),
            service_id: Some(c.service_id.as_str().to_owned()),
            card_status: Some(c.status.as_str()),
        },
    };
    Ok(Out(out))
}

/// C17 `{userId, par}`: the member's one main card.
#[utoipa::path(post, path = "/api/v1/card/main", tag = "cards",
    request_body = UserCardRequest,
    responses((status = 200, body = MainCard), (status = 400, body = crate::error::Envelope)))]
pub async fn main_card(State(s): State<KonaState>, ctx: Ctx) -> KonaResult<Out<MainCard>> {
    let f = ctx.fields();
    let (user, par) = (f.user_id()?, par(&f)?);
    let card = s.kona.set_main(ctx.project_id(), user, &par).await?;
    Ok(Out(MainCard {
        par: card.par.as_str().to_owned(),
        is_main: card.is_main,
    }))
}

/// C18 `{cardNo}`: the card's fixed virtual account.
#[utoipa::path(post, path = "/api/v1/card/virtual-account/inquiry", tag = "cards",
    request_body = CardNoRequest,
    responses((status = 200, body = VirtualAccountInfo), (status = 400, body = crate::error::Envelope)))]
pub async fn virtual_account(
    State(s): State<KonaState>,
    ctx: Ctx,
) -> KonaResult<Out<VirtualAccountInfo>> {
    let no = card_no(&ctx.fields(), "cardNo")?;
    let v = s.kona.card_virtual_account(ctx.project_id(), &no).await?;
    Ok(Out(VirtualAccountInfo {
        account_no: v.account_no,
        bank_code: v.bank_code,
        connect_type: "FIXED",
    }))
}

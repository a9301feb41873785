//! C1–C7 and P1: card applications, their delivery and physical cards.
//! Every application issues its mobile card at once; the courier's steps
//! are the sandbox's (`PUT …/card-applications/{cardApplyNo}/delivery`).

use super::{apply_no, card_no, par, service_name, MemberRef};
use crate::error::KonaResult;
use crate::extract::{Checked, Ctx, Fields};
use crate::members::AddressInfo;
use crate::wire::{done, Out};
use crate::KonaState;
use axum::extract::State;
use finhub_core::konaplate::cards::applications::Apply;
use finhub_core::konaplate::cards::{Application, Card, PhysicalData};
use finhub_core::konaplate::ids::{ServiceId, UserId};
use finhub_core::konaplate::members::Address;
use finhub_core::konaplate::Refusal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// C1 and P1: a card of `serviceId` for `userInfo.userId`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct CardIssueRequest {
    pub user_info: MemberRef,
    /// 15 characters.
    pub service_id: String,
    /// `true` for a delivery product, with `addressInfo`.
    pub is_delivery_required: Option<bool>,
    /// Required when `isDeliveryRequired` is `true`.
    pub address_info: Option<AddressInfo>,
}

/// C3 and C4: a new card in place of `par`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct CardReplaceRequest {
    pub user_info: MemberRef,
    /// The card replaced, 27 characters.
    pub par: String,
    /// 15 characters; the old card's product when absent.
    pub service_id: Option<String>,
    pub is_delivery_required: Option<bool>,
    /// Required when `isDeliveryRequired` is `true`.
    pub address_info: Option<AddressInfo>,
}

/// C2 and C5.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct CardApplicationRequest {
    pub user_id: u64,
    /// 22 characters.
    pub card_apply_no: String,
}

/// C7.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct PhysicalRegisterRequest {
    pub user_id: u64,
    /// 16 digits.
    pub physical_card_no: String,
    /// YYMM, 4 digits.
    pub physical_card_exp_date: String,
    /// 3 digits.
    #[serde(rename = "physicalCardCVC")]
    pub physical_card_cvc: String,
    /// 22 characters: the delivery application whose card this is.
    pub card_apply_no: Option<String>,
}

/// C1, C3, C4: the application and its mobile card.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CardIssued {
    /// 22 characters.
    pub card_apply_no: String,
    pub mobile_card_no: Option<String>,
    #[serde(rename = "mobileCardCVC")]
    pub mobile_card_cvc: Option<String>,
    /// 27 characters.
    pub mobile_card_par: String,
}

/// C2: the discarded mobile card.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CancelledCard {
    pub mobile_card_no: Option<String>,
    pub par: String,
}

/// C5: `READY`, `RECEIPT`, `PRE_SHIPPING`, `SHIPPING`, `ARRIVAL`, `LOST`,
/// `RETURN` or `CANCEL`.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryStatus {
    pub status: &'static str,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Digital {
    pub card_no: Option<String>,
    pub par: String,
    pub service_id: String,
    pub service_name: &'static str,
    #[serde(rename = "mobileCardCVC")]
    pub mobile_card_cvc: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IssuedCard {
    pub card_apply_no: String,
    /// `ISSUE` or `REISSUE`.
    pub issue_type: &'static str,
    pub digital: Digital,
    pub status: &'static str,
}

/// C6.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IssuedCardList {
    pub issued_card_list: Vec<IssuedCard>,
}

/// C7: the mobile card and the one PAR of the pair.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegisteredCard {
    pub mobile_card_no: Option<String>,
    pub par: String,
}

fn issued(app: &Application, card: &Card) -> CardIssued {
    CardIssued {
        card_apply_no: app.card_apply_no.as_str().to_owned(),
        mobile_card_no: card.mobile_card_no.as_ref().map(|n| n.as_str().to_owned()),
        mobile_card_cvc: card.mobile_cvc.clone(),
        mobile_card_par: card.par.as_str().to_owned(),
    }
}

/// `userInfo{userId}`, or a bare `userId` as lenient clients send it.
fn user_info(f: &Fields<'_>) -> Checked<UserId> {
    match f.object("userInfo")? {
        Some(u) => u.user_id(),
        None => (f.opt_number("userId")?)
            .map(UserId)
            .ok_or_else(|| Refusal::missing("userInfo")),
    }
}

fn address(f: Fields<'_>) -> Checked<Address> {
    let address = f.text_range("address", 1, 255)?.to_owned();
    let address_detail = f
        .opt_text_range("addressDetail", 1, 255)?
        .map(str::to_owned);
    let zip_code = match f.opt_text("zipCode")? {
        None | Some("") => None,
        Some(_) => Some(f.digits("zipCode", 5)?.to_owned()),
    };
    Ok(Address {
        address,
        address_detail,
        zip_code,
    })
}

fn service_id(f: &Fields<'_>) -> Checked<Option<ServiceId>> {
    (f.opt_text("serviceId")?)
        .map(|s| ServiceId::parse(s).map_err(|_| Refusal::invalid("serviceId")))
        .transpose()
}

/// The request of C1, C3 and C4.
fn application(ctx: &Ctx) -> Checked<Apply<'_>> {
    let f = ctx.fields();
    Ok(Apply {
        project_id: ctx.project_id(),
        user_id: user_info(&f)?,
        service_id: service_id(&f)?,
        is_delivery_required: f.opt_bool("isDeliveryRequired")?.unwrap_or(false),
        address: f.object("addressInfo")?.map(address).transpose()?,
    })
}

/// C1: issue a card of `serviceId`. A mobile product's card is ready at
/// once; a delivery product needs `isDeliveryRequired: true` and
/// `addressInfo` (`003_024`), issues its mobile card too and starts `READY`.
#[utoipa::path(post, path = "/api/v1/prepay-card/issue/delivery", tag = "cards",
    request_body = CardIssueRequest,
    responses((status = 200, body = CardIssued), (status = 400, body = crate::error::Envelope)))]
pub async fn issue(State(s): State<KonaState>, ctx: Ctx) -> KonaResult<Out<CardIssued>> {
    let a = application(&ctx)?;
    if a.service_id.is_none() {
        return Err(Refusal::missing("serviceId").into());
    }
    let (app, card) = s.kona.apply_card(a).await?;
    Ok(Out(issued(&app, &card)))
}

/// C3: replace a SUSPENDED card (`par`; `003_025` otherwise). The new card
/// takes the old one's balance in one movement; the old card ends.
#[utoipa::path(post, path = "/api/v1/prepay-card/reissue/delivery", tag = "cards",
    request_body = CardReplaceRequest,
    responses((status = 200, body = CardIssued), (status = 400, body = crate::error::Envelope)))]
pub async fn reissue(State(s): State<KonaState>, ctx: Ctx) -> KonaResult<Out<CardIssued>> {
    let a = application(&ctx)?;
    let old = par(&ctx.fields())?;
    let (app, card) = s.kona.reissue_card(a, &old).await?;
    Ok(Out(issued(&app, &card)))
}

/// C4: renew a card within 60 days of its expiry (`003_026` otherwise).
#[utoipa::path(post, path = "/api/v1/prepay-card/renew/delivery", tag = "cards",
    request_body = CardReplaceRequest,
    responses((status = 200, body = CardIssued), (status = 400, body = crate::error::Envelope)))]
pub async fn renew(State(s): State<KonaState>, ctx: Ctx) -> KonaResult<Out<CardIssued>> {
    let a = application(&ctx)?;
    let old = par(&ctx.fields())?;
    let (app, card) = s.kona.renew_card(a, &old).await?;
    Ok(Out(issued(&app, &card)))
}

/// C2 `{userId, cardApplyNo}`: cancel on the application's day (KST,
/// `003_002`) and before `PRE_SHIPPING` (`003_003`); its mobile card ends.
#[utoipa::path(post, path = "/api/v1/card/delivery/cancel", tag = "cards",
    request_body = CardApplicationRequest,
    responses((status = 200, body = CancelledCard), (status = 400, body = crate::error::Envelope)))]
pub async fn cancel(State(s): State<KonaState>, ctx: Ctx) -> KonaResult<Out<CancelledCard>> {
    let f = ctx.fields();
    let (user, no) = (f.user_id()?, apply_no(&f)?);
    let card = s
        .kona
        .cancel_application(ctx.project_id(), user, &no)
        .await?;
    Ok(Out(CancelledCard {
        mobile_card_no: card.mobile_card_no.map(|n| n.as_str().to_owned()),
        par: card.par.as_str().to_owned(),
    }))
}

/// C5 `{userId, cardApplyNo}`: where the delivery is.
#[utoipa::path(post, path = "/api/v1/card/delivery/inquiry", tag = "cards",
    request_body = CardApplicationRequest,
    responses((status = 200, body = DeliveryStatus), (status = 400, body = crate::error::Envelope)))]
pub async fn delivery(State(s): State<KonaState>, ctx: Ctx) -> KonaResult<Out<DeliveryStatus>> {
    let f = ctx.fields();
    let (user, no) = (f.user_id()?, apply_no(&f)?);
    let d = s.kona.delivery_status(ctx.project_id(), user, &no).await?;
    Ok(Out(DeliveryStatus { status: d.as_str() }))
}

/// C6 `{userId}`: delivery applications whose mobile card waits for its
/// physical card.
#[utoipa::path(post, path = "/api/v1/issued-cards/pre-issue/waiting/physical", tag = "cards",
    request_body = MemberRef,
    responses((status = 200, body = IssuedCardList), (status = 400, body = crate::error::Envelope)))]
pub async fn linkable(State(s): State<KonaState>, ctx: Ctx) -> KonaResult<Out<IssuedCardList>> {
    let user = ctx.fields().user_id()?;
    let list = s.kona.linkable_applications(ctx.project_id(), user).await?;
    let issued_card_list = (list.into_iter())
        .map(|(app, card)| IssuedCard {
            card_apply_no: app.card_apply_no.as_str().to_owned(),
            issue_type: app.issue_type.as_str(),
            digital: Digital {
                card_no: card.mobile_card_no.map(|n| n.as_str().to_owned()),
                par: card.par.as_str().to_owned(),
                service_id: card.service_id.as_str().to_owned(),
                service_name: service_name(&card.service_id),
                mobile_card_cvc: card.mobile_cvc,
            },
            status: app.status.as_str(),
        })
        .collect();
    Ok(Out(IssuedCardList { issued_card_list }))
}

/// A plastic card's printed data under the request's names.
pub(super) fn printed(f: &Fields<'_>, no: &str, exp: &str, cvc: &str) -> Checked<PhysicalData> {
    Ok(PhysicalData {
        card_no: card_no(f, no)?,
        expiry: f.digits(exp, 4)?.to_owned(),
        cvc: f.digits(cvc, 3)?.to_owned(),
    })
}

/// C7 `{userId, physicalCardNo, physicalCardExpDate (YYMM), physicalCardCVC,
/// cardApplyNo?}`: with an application, link its delivered card
/// (`003_013`, `003_012`, `003_014`, `003_001`); without, register a
/// pre-issued card and issue its mobile card.
#[utoipa::path(post, path = "/api/v1/prepay-card/physical/register", tag = "cards",
    request_body = PhysicalRegisterRequest,
    responses((status = 200, body = RegisteredCard), (status = 400, body = crate::error::Envelope)))]
pub async fn register(State(s): State<KonaState>, ctx: Ctx) -> KonaResult<Out<RegisteredCard>> {
    let f = ctx.fields();
    let user = f.user_id()?;
    let data = printed(
        &f,
        "physicalCardNo",
        "physicalCardExpDate",
        "physicalCardCVC",
    )?;
    let no = match f.opt_text("cardApplyNo")? {
        None | Some("") => None,
        Some(_) => Some(apply_no(&f)?),
    };
    let card = (s.kona)
        .register_physical(ctx.project_id(), user, &data, no.as_ref())
        .await?;
    Ok(Out(RegisteredCard {
        mobile_card_no: card.mobile_card_no.map(|n| n.as_str().to_owned()),
        par: card.par.as_str().to_owned(),
    }))
}

/// P1: a debit card issue, as C1 is asked. Every product of a project is
/// prepaid, so a known product answers `003_061`.
#[utoipa::path(post, path = "/api/v1/direct-card/issue/delivery", tag = "cards",
    request_body = CardIssueRequest,
    responses((status = 400, body = crate::error::Envelope)))]
pub async fn debit(State(s): State<KonaState>, ctx: Ctx) -> KonaResult<Out<Value>> {
    let a = application(&ctx)?;
    let id = a.service_id.ok_or_else(|| Refusal::missing("serviceId"))?;
    s.kona.issue_debit(a.project_id, a.user_id, &id).await?;
    Ok(done())
}

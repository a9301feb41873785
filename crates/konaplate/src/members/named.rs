//! L1 named card, L2 corporate identification, L3 its status.

use super::par;
use crate::error::KonaResult;
use crate::extract::Ctx;
use crate::wire::{dt17, Out};
use crate::KonaState;
use axum::extract::State;
use finhub_core::konaplate::members::{CorpApplication, CorpRequest};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

type St = State<KonaState>;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NamedCardRequest {
    pub user_id: u64,
    /// 27 characters.
    pub par: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NamedCard {
    pub par: String,
    pub is_named: bool,
    /// What the card may hold, in won.
    pub max_balance: i64,
}

/// L1: the card becomes named (the member's own registered account).
#[utoipa::path(post, path = "/api/v1/user/namedcard", tag = "members",
    request_body = NamedCardRequest,
    responses((status = 200, body = NamedCard), (status = 400, body = crate::error::Envelope)))]
pub async fn named_card(State(s): St, ctx: Ctx) -> KonaResult<Out<NamedCard>> {
    let f = ctx.fields();
    let user_id = f.user_id()?;
    let par = par(&f)?;
    let card = s.kona.name_card(ctx.project_id(), user_id, &par).await?;
    Ok(Out(NamedCard {
        par: card.par.as_str().to_owned(),
        is_named: card.is_named,
        max_balance: card.max_balance_minor(),
    }))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CorpRequestBody {
    pub user_id: u64,
    pub par: String,
    /// 1..80.
    pub corporation_name: String,
    /// 10 digits.
    pub biz_license_no: String,
    /// 1..20.
    pub registration_number: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CorpAnswer {
    pub par: String,
    /// `REQUESTED`.
    pub status: &'static str,
    pub corporation_name: String,
    pub biz_license_no: String,
}

/// L2: request a corporate card's identification.
#[utoipa::path(post, path = "/api/v1/user/namedcard/corp", tag = "members",
    request_body = CorpRequestBody,
    responses((status = 200, body = CorpAnswer), (status = 400, body = crate::error::Envelope)))]
pub async fn named_card_corp(State(s): St, ctx: Ctx) -> KonaResult<Out<CorpAnswer>> {
    let f = ctx.fields();
    let user_id = f.user_id()?;
    let par = par(&f)?;
    let a = CorpApplication {
        corporation_name: f.text_range("corporationName", 1, 80)?.to_owned(),
        biz_license_no: f.digits("bizLicenseNo", 10)?.to_owned(),
        registration_number: f.text_range("registrationNumber", 1, 20)?.to_owned(),
    };
    let r = (s
        .kona
        .request_corp_identification(ctx.project_id(), user_id, &par, a))
    .await?;
    Ok(Out(CorpAnswer {
        par: r.par,
        status: r.status.as_str(),
        corporation_name: r.corporation_name,
        biz_license_no: r.biz_license_no,
    }))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ParRequest {
    pub par: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CorpInquiry {
    pub par: String,
    /// `REQUESTED` / `APPROVED` / `REJECTED`.
    pub status: &'static str,
    pub corporation_name: String,
    pub biz_license_no: String,
    /// 17 digits (KST).
    pub updated_date_time: String,
}

fn inquiry(r: CorpRequest) -> CorpInquiry {
    CorpInquiry {
        par: r.par,
        status: r.status.as_str(),
        corporation_name: r.corporation_name,
        biz_license_no: r.biz_license_no,
        updated_date_time: dt17(r.updated_at),
    }
}

/// L3: a corporate card's identification status.
#[utoipa::path(post, path = "/api/v1/user/namedcard/corp/inquiry", tag = "members",
    request_body = ParRequest,
    responses((status = 200, body = CorpInquiry), (status = 400, body = crate::error::Envelope)))]
pub async fn corp_inquiry(State(s): St, ctx: Ctx) -> KonaResult<Out<CorpInquiry>> {
    let par = par(&ctx.fields())?;
    let r = s.kona.corp_identification(ctx.project_id(), &par).await?;
    Ok(Out(inquiry(r)))
}

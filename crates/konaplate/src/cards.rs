//! Cards (C1–C18, P1): issuance and delivery, physical cards, search,
//! states, limits, tax deduction, main card, virtual accounts.
//!
//! - `issue`: C1–C7 and P1, the applications and their physical cards.
//! - `manage`: C8–C15, C17, C18, a card's life after issue.
//! - here: C16, the products, and the field groups both share.

mod issue;
mod manage;

use crate::error::KonaResult;
use crate::extract::{Checked, Ctx, Fields};
use crate::wire::Out;
use crate::{at, KonaState};
use axum::routing::post;
use axum::Router;
use finhub_core::konaplate::ids::{CardApplyNo, CardNo, Par, ServiceId};
use finhub_core::konaplate::project::{Service, SERVICES};
use finhub_core::konaplate::Refusal;
use serde::Serialize;
use utoipa::ToSchema;

pub fn routes() -> Router<KonaState> {
    Router::new()
        .route(at("C1"), post(issue::issue))
        .route(at("C2"), post(issue::cancel))
        .route(at("C3"), post(issue::reissue))
        .route(at("C4"), post(issue::renew))
        .route(at("C5"), post(issue::delivery))
        .route(at("C6"), post(issue::linkable))
        .route(at("C7"), post(issue::register))
        .route(at("P1"), post(issue::debit))
        .route(at("C8"), post(manage::list))
        .route(at("C9"), post(manage::unregistered))
        .route(at("C10"), post(manage::status))
        .route(at("C11"), post(manage::terminate))
        .route(at("C12"), post(manage::limits))
        .route(at("C13"), post(manage::apply_deduction))
        .route(at("C14"), post(manage::deduction))
        .route(at("C15"), post(manage::card_user))
        .route(at("C16"), post(service_list))
        .route(at("C17"), post(manage::main_card))
        .route(at("C18"), post(manage::virtual_account))
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        service_list,
        issue::issue,
        issue::cancel,
        issue::reissue,
        issue::renew,
        issue::delivery,
        issue::linkable,
        issue::register,
        issue::debit,
        manage::list,
        manage::unregistered,
        manage::status,
        manage::terminate,
        manage::limits,
        manage::apply_deduction,
        manage::deduction,
        manage::card_user,
        manage::main_card,
        manage::virtual_account
    ),
    components(schemas(
        MemberRef,
        ServiceListRequest,
        issue::CardIssueRequest,
        issue::CardReplaceRequest,
        issue::CardApplicationRequest,
        issue::PhysicalRegisterRequest,
        manage::CardListRequest,
        manage::CardDataRequest,
        manage::CardStatusRequest,
        manage::UserCardRequest,
        manage::LimitsRequest,
        manage::LimitsInfo,
        manage::DeductionRequest,
        manage::CardNoRequest,
        ServiceList,
        ServiceInfo,
        issue::CardIssued,
        issue::CancelledCard,
        issue::DeliveryStatus,
        issue::IssuedCardList,
        issue::IssuedCard,
        issue::Digital,
        issue::RegisteredCard,
        manage::CardList,
        manage::CardDataInfo,
        manage::CardLimits,
        manage::UnregisteredCard,
        manage::CardState,
        manage::LimitsSet,
        manage::DeductionInfo,
        manage::CardUser,
        manage::MainCard,
        manage::VirtualAccountInfo
    ))
)]
pub struct Doc;

/// The product's name, as the answers show it.
fn service_name(id: &ServiceId) -> &'static str {
    finhub_core::konaplate::project::service(id).map_or("", |s| s.service_name)
}

/// A required PAR (27 characters).
fn par(f: &Fields<'_>) -> Checked<Par> {
    Par::parse(f.text_len("par", 27)?).map_err(|_| Refusal::invalid("par"))
}

/// An optional PAR; empty counts as absent.
fn opt_par(f: &Fields<'_>) -> Checked<Option<Par>> {
    match f.opt_text("par")? {
        None | Some("") => Ok(None),
        Some(_) => par(f).map(Some),
    }
}

/// A required card number (16 digits) under `name`.
fn card_no(f: &Fields<'_>, name: &str) -> Checked<CardNo> {
    CardNo::parse(f.digits(name, 16)?).map_err(|_| Refusal::invalid(name))
}

/// An optional card number; empty counts as absent.
fn opt_card_no(f: &Fields<'_>, name: &str) -> Checked<Option<CardNo>> {
    match f.opt_text(name)? {
        None | Some("") => Ok(None),
        Some(_) => card_no(f, name).map(Some),
    }
}

/// A required `cardApplyNo` (22 characters).
fn apply_no(f: &Fields<'_>) -> Checked<CardApplyNo> {
    let s = f.text_len("cardApplyNo", 22)?;
    CardApplyNo::parse(s).map_err(|_| Refusal::invalid("cardApplyNo"))
}

/// `{userId}`: the C6 request, and `userInfo` in C1, C3, C4 and P1.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct MemberRef {
    pub user_id: u64,
}

#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct ServiceListRequest {
    /// Product ids (15 characters); empty or absent lists every product.
    pub service_id_list: Option<Vec<String>>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServiceInfo {
    pub service_id: &'static str,
    pub service_name: &'static str,
    pub service_type: &'static str,
    pub is_delivery_required: bool,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServiceList {
    pub service_infos: Vec<ServiceInfo>,
}

fn info(s: &Service) -> ServiceInfo {
    ServiceInfo {
        service_id: s.service_id,
        service_name: s.service_name,
        service_type: s.service_type,
        is_delivery_required: s.is_delivery_required,
    }
}

/// The ids asked for, each a well-formed product id.
fn asked(ctx: &Ctx) -> Checked<Vec<ServiceId>> {
    let f = ctx.fields();
    let Some(list) = f.opt_array("serviceIdList")? else {
        return Ok(Vec::new());
    };
    (list.iter())
        .map(|v| {
            let s = v
                .as_str()
                .ok_or_else(|| Refusal::invalid("serviceIdList"))?;
            ServiceId::parse(s).map_err(|_| Refusal::invalid("serviceIdList"))
        })
        .collect()
}

/// C16: the project's card products (every product when none is named).
#[utoipa::path(post, path = "/api/v1/service/info/list", tag = "cards",
    request_body = ServiceListRequest,
    responses((status = 200, body = ServiceList), (status = 400, body = crate::error::Envelope)))]
pub async fn service_list(ctx: Ctx) -> KonaResult<Out<ServiceList>> {
    let ids = asked(&ctx)?;
    let infos = (SERVICES.iter())
        .filter(|s| ids.is_empty() || ids.iter().any(|i| i.as_str() == s.service_id))
        .map(info)
        .collect();
    Ok(Out(ServiceList {
        service_infos: infos,
    }))
}

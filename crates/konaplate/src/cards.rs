//! Cards (C1–C18, P1): issuance and delivery, physical cards, search,
//! states, limits, tax deduction, main card, virtual accounts.

use crate::error::KonaResult;
use crate::extract::{Checked, Ctx};
use crate::wire::Out;
use crate::{at, KonaState};
use axum::routing::post;
use axum::Router;
use finhub_core::konaplate::ids::ServiceId;
use finhub_core::konaplate::project::{Service, SERVICES};
use finhub_core::konaplate::Refusal;
use serde::Serialize;
use utoipa::ToSchema;

pub fn routes() -> Router<KonaState> {
    Router::new().route(at("C16"), post(service_list))
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(service_list),
    components(schemas(ServiceListRequest, ServiceList, ServiceInfo))
)]
pub struct Doc;

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

//! The OpenAPI 3.1 document of this face, generated from the wire types and
//! the handlers' annotations, so it cannot drift from what is served.

use axum::Json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "finhub KFTC Open Banking v2.0", version = "2.0"),
    paths(
        crate::users::register,
        crate::users::me,
        crate::users::close,
        crate::users::list,
        crate::users::update,
        crate::users::info,
        crate::users::cancel,
        crate::inquiry::balance_fin_num,
        crate::inquiry::balance_acnt_num,
        crate::inquiry::transactions_fin_num,
        crate::inquiry::transactions_acnt_num,
        crate::inquiry::real_name,
        crate::inquiry::receive,
        crate::transfer::withdraw_fin_num,
        crate::transfer::withdraw_acnt_num,
        crate::transfer::deposit_fin_num,
        crate::transfer::deposit_acnt_num,
        crate::transfer::result,
        crate::manage::bank_status,
        crate::manage::fee,
        crate::manage::count,
        crate::manage::wd_limit,
        crate::manage::fds_detect,
        crate::manage::terms,
    ),
    components(schemas(
        crate::wire::GatewayError,
        crate::wire::Envelope,
        crate::wire::BankPart
    ))
)]
struct KftcApi;

/// The document as a value (for the assembly to merge or serve elsewhere).
pub fn openapi() -> utoipa::openapi::OpenApi {
    KftcApi::openapi()
}

pub async fn serve() -> Json<utoipa::openapi::OpenApi> {
    Json(openapi())
}

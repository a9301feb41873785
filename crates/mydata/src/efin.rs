//! 전자금융 (전금-001..004, 101..103): prepaid instruments and payment
//! accounts of e-finance companies.

use crate::common::Api;
use crate::MydataState;
use axum::Router;

/// The APIs this module serves, as 공통-001 lists them.
pub(crate) const APIS: &[Api] = &[];

pub(crate) fn routes() -> Router<MydataState> {
    Router::new()
}

#[derive(utoipa::OpenApi)]
#[openapi()]
pub(crate) struct Doc;

//! 할부금융 (할부금융-001..006), P2P (P2P-001..004), 채권 (채권-001..003, for
//! the bond and usury industries): loans, leases and bonds beyond banks and
//! card companies.

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

//! 통신 (통신-001..004): telecom contracts, bills, bill payments and
//! micro-payments.

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

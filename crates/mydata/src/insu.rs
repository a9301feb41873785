//! 보험 (보험-001..012) and 보증보험 (보증보험-001..003): insurers' policies, riders,
//! coverages, car policies, premiums and policy loans; guarantee insurers'
//! policies. A policy is an Insurance account; its postings are its premiums.

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

//! The support APIs (지원, mydata.md §12), for a support client's `manage`
//! token (`Manager`): the portal's (지원-002..006: institutions, services,
//! statistics) and the participant's (지원-102..104: provider status, a
//! person's consents, a request to re-send statistics). The token itself
//! (지원-001/101) is the OAuth server's `POST /mgmts/oauth/2.0/token`.
//!
//! - `orgs`: 지원-002, 지원-006 and 지원-102, from the world's institutions
//!   and the mydata clients' organisations.
//! - `services`: 지원-003 and 지원-103, from the clients and the consents.
//! - `stats`: 지원-004, 지원-005 (kept) and 지원-104.

mod orgs;
mod services;
mod stats;

use crate::MydataState;
use axum::routing::{get, post};
use axum::Router;

pub(crate) fn routes() -> Router<MydataState> {
    Router::new()
        .route("/v1/mgmts/orgs", get(orgs::orgs))
        .route("/v1/mgmts/orgs_for_ca", get(orgs::orgs_for_ca))
        .route("/v1/mgmts/status", get(orgs::status))
        .route("/v1/mgmts/services", get(services::services))
        .route("/v1/mgmts/consents", post(services::consents))
        .route("/v1/mgmts/statistics/mydata", post(stats::operator))
        .route("/v1/mgmts/statistics/provider", post(stats::provider))
        .route("/v1/mgmts/req-statistics", get(stats::resend))
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        orgs::orgs,
        orgs::orgs_for_ca,
        orgs::status,
        services::services,
        services::consents,
        stats::operator,
        stats::provider,
        stats::resend,
    ),
    components(schemas(
        orgs::OrgsBody,
        orgs::OrgItem,
        orgs::OrgsForCaBody,
        orgs::CaOrgItem,
        orgs::StatusBody,
        services::ServicesBody,
        services::ServiceOrg,
        services::ServiceItem,
        services::RedirectUri,
        services::AppScheme,
        services::ConsentsRequest,
        services::ConsentsBody,
        services::ConsentService,
        services::ConsentItem,
        stats::OperatorStats,
        stats::OperatorStatDate,
        stats::OrgStat,
        stats::ProviderStats,
        stats::ProviderStatDate,
        stats::ServiceStat,
        stats::ApiTypeStat,
        stats::TmSlot,
    )),
    tags((name = "support", description = "지원 API: a `manage` token (client_credentials of a \
support client, a mydata client registered with the single scope `manage`) at \
`POST /mgmts/oauth/2.0/token`. A service token here is 401 `40104`; no or a bad token 401 `40101`."))
)]
pub(crate) struct Doc;

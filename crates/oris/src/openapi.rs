//! The face's OpenAPI document: each area's `Doc` merged, bearer security,
//! and the `{code, message}` error body.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "finhub ORIS: overseas-remittance registry (해외송금 통합관리시스템)",
        version = "v1",
        description = "Agencies report each person's overseas remittances; remitters read theirs \
across every agency. Errors are `{code, message}` (plus `missingConsentType` with \
CONSENT_REQUIRED). Date-times are KST with six fractional digits; amounts are JSON numbers. \
Scopes: `inquiry` (reads), `report` (R1-R3, B1, B3), `admin` (G, M2-M4, K, P, T2, T3)."
    ),
    components(schemas(crate::error::ErrorBody))
)]
struct Root;

/// The refusals every call may meet, documented once.
const GATES: &[(&str, &str)] = &[
    ("400", "BAD_REQUEST (Spring's refusals), INVALID_REQUEST"),
    (
        "401",
        "ACCESS_TOKEN_REQUIRED, ACCESS_TOKEN_INVALID, ACCESS_TOKEN_EXPIRED",
    ),
    (
        "403",
        "ACCESS_TOKEN_NOT_ENOUGH_PERMISSION, AGENCY_NOT_APPROVED, AGENCY_NOT_ACTIVE, \
        MEMBER_NOT_ACTIVE, CONSENT_REQUIRED (개인정보보호서약서), MEMBER_ACCESS_DENIED",
    ),
    ("415", "a body that is not application/json"),
    (
        "503",
        "ERROR: the registry is temporarily unavailable; retry",
    ),
];

pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = Root::openapi();
    for part in [
        crate::auth::Doc::openapi(),
        crate::agencies::Doc::openapi(),
        crate::members::Doc::openapi(),
        crate::groups::Doc::openapi(),
        crate::users::Doc::openapi(),
        crate::remittances::Doc::openapi(),
        crate::batches::Doc::openapi(),
        crate::terms::Doc::openapi(),
        crate::boards::Doc::openapi(),
        crate::files::Doc::openapi(),
    ] {
        doc.merge(part);
    }
    // What any call may answer besides its own outcomes: the gates, the
    // framework's refusals and the shell's (413, 408 on a body).
    finhub_http::openapi::error_responses(&mut doc, GATES, "ErrorBody");
    finhub_http::openapi::body_refusals(&mut doc, "ErrorBody", "1 MiB");
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .bearer_format("JWT")
                .build(),
        ),
    );
    doc
}

//! The face's OpenAPI document: each area's `Doc` merged, the DirectLogin
//! and bearer security schemes, and the `{code, message}` error body.

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "finhub OBP: Open Bank Project v4.0.0 Customer, KYC and Onboarding",
        version = "v4.0.0",
        description = "Every path is also served under /obp/v3.1.0 and under the version it was \
born in (v2.0.0: Create User, entitlements, KYC, social media; v1.4.0: /customer/ messages \
and CRM events; v3.0.0: customers of the current user). Errors are `{\"code\": <status>, \
\"message\": \"OBP-NNNNN: …\"}`; every answer carries `Correlation-Id`. Dates are \
yyyy-MM-dd'T'HH:mm:ss'Z'; money is `{currency, amount}` strings. Bodies are read more leniently \
than OBP's own extraction: a listed field that is missing is empty (\"\", [], 0, false, no date) \
and unknown fields are ignored; only JSON that does not parse, a field of the wrong type or a \
date in another format is OBP-10001. Messages OBP raises without a code are OBP-50005 with \
the text kept after it. Log in with DirectLogin (`POST /my/logins/direct`) or a bearer token \
of finhub's OAuth server for an `obp` client."
    ),
    components(schemas(crate::error::ErrorBody))
)]
struct Root;

pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = Root::openapi();
    for part in [
        crate::login::Doc::openapi(),
        crate::users::Doc::openapi(),
        crate::customers::Doc::openapi(),
        crate::attributes::Doc::openapi(),
        crate::profile::Doc::openapi(),
        crate::links::Doc::openapi(),
        crate::kyc::Doc::openapi(),
        crate::accounts::Doc::openapi(),
        crate::engage::Doc::openapi(),
    ] {
        doc.merge(part);
    }
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "directLogin",
        SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("DirectLogin"))),
    );
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
    );
    doc
}

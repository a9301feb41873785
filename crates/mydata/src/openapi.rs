//! The OpenAPI document of this face, generated from the wire types and the
//! handlers' annotations: each industry module's `Doc`, merged.

use finhub_http::openapi::{bearer_everywhere, body_refusals, error_responses, header_everywhere};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "finhub Financial MyData (information provider and support APIs)",
        version = "v1",
        description = "금융분야 마이데이터 표준API, provider side. Every information API takes \
`x-api-tran-id` (25 characters) and answers it back; errors are `{rsp_code, rsp_msg}` with the \
HTTP status the code's first three digits give."
    ),
    components(schemas(crate::wire::Head))
)]
struct MydataApi;

pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = MydataApi::openapi();
    for part in [
        crate::bank::Doc::openapi(),
        crate::card::Doc::openapi(),
        crate::invest::Doc::openapi(),
        crate::insu::Doc::openapi(),
        crate::efin::Doc::openapi(),
        crate::telecom::Doc::openapi(),
        crate::lending::Doc::openapi(),
        crate::common::Doc::openapi(),
        crate::support::Doc::openapi(),
    ] {
        doc.merge(part);
    }
    bearer_everywhere(&mut doc);
    header_everywhere(&mut doc, "x-api-tran-id", true, Some(TRAN_ID_PATTERN));
    header_everywhere(&mut doc, "x-api-type", false, None);
    error_responses(&mut doc, ERRORS, "Head");
    body_refusals(&mut doc, "Head", "1 MiB");
    doc
}

/// `x-api-tran-id`: the caller's org code, the kind letter, 14 characters.
const TRAN_ID_PATTERN: &str = "^[A-Za-z0-9]{10}[MSRCPA][A-Za-z0-9]{14}$";

/// What any API may answer besides its success: the rsp_code's first three
/// digits are the status (mydata.md §4.1).
const ERRORS: &[(&str, &str)] = &[
    ("400", "40001 bad parameter, 40002 bad header, 40003 version"),
    ("401", "40101 bad, expired or revoked token; 40104 scope; 40105 asset outside the consent; 40106 consent ended"),
    ("403", "40301 call not allowed, 40303 wrong org_code, 40304 older than five years, 40305 asset not in a normal state"),
    ("404", "40401 no such API, 40402 no such asset, 40403 no such customer"),
    ("405", "40501 method not allowed"),
    ("429", "42901 over the quota, or limit above 500"),
    ("500", "50001 system failure, 50005 the institution is not available"),
    ("504", "50003 processing timeout"),
];

//! The OpenAPI document of this face, generated from the wire types and the
//! handlers' annotations: each industry module's `Doc`, merged.

use finhub_http::openapi::bearer_everywhere;
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
        crate::common::Doc::openapi(),
        crate::support::Doc::openapi(),
    ] {
        doc.merge(part);
    }
    bearer_everywhere(&mut doc);
    doc
}

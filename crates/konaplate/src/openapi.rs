//! The face's OpenAPI document: each area's `Doc` merged, every operation
//! given the `X-KM-*` request headers, and the error envelope.

use utoipa::openapi::path::{Operation, Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::{ContentBuilder, ObjectBuilder, Ref, Required, ResponseBuilder, Type};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "finhub Konaplate: prepaid-card and membership platform",
        version = "v1",
        description = "Every API is a POST of JSON, served at the root and again under /open-api. \
Each request carries X-KM-User-AspId, X-KM-Correlation-Id (unique per request: a repeat gets the \
first answer, the same id on another API is 000_002), X-KM-Access-Key, X-KM-Tran-Time \
(yyyyMMddHHmmss within 5 minutes of real time) in X-KM-Time-Zone (KST, UTC or GMT) and \
X-KM-Tran-Token = KMV1:<yyyyMMddHHmmssSSS>:<Base64 HMAC-SHA256(secret key, body bytes)>. \
A body may be {\"encData\": <compact JWE>} to the server key named by X-KM-Crypto-Key-Id \
(RSA-OAEP-256 or RSA-OAEP, A128GCM or A256GCM); the answers of APIs marked encrypted then come \
back as {\"encData\": …} to the client public key. Every answer holds \
response{code, description}; 000_000 is success."
    ),
    components(schemas(crate::error::Envelope))
)]
struct Root;

/// A header: its name, what it is, and its length bounds if fixed.
type Header = (&'static str, &'static str, Option<(usize, usize)>);

const HEADERS: [Header; 7] = [
    (
        "X-KM-User-AspId",
        "The project's ASP id (15 characters).",
        Some((15, 15)),
    ),
    (
        "X-KM-Correlation-Id",
        "The request's identity, unique per project.",
        None,
    ),
    (
        "X-KM-Access-Key",
        "An active access key of the project.",
        None,
    ),
    (
        "X-KM-Tran-Time",
        "yyyyMMddHHmmss in X-KM-Time-Zone.",
        Some((14, 14)),
    ),
    ("X-KM-Time-Zone", "KST, UTC or GMT.", None),
    (
        "X-KM-Tran-Token",
        "KMV1:<17 digits>:<Base64 HMAC-SHA256 of the body>.",
        None,
    ),
    (
        "X-KM-Crypto-Key-Id",
        "The crypto key of an encrypted body (optional).",
        None,
    ),
];

fn header(name: &str, about: &str, len: Option<(usize, usize)>) -> Parameter {
    let mut schema = ObjectBuilder::new().schema_type(Type::String);
    if let Some((min, max)) = len {
        schema = schema.min_length(Some(min)).max_length(Some(max));
    }
    let required = if name == "X-KM-Crypto-Key-Id" {
        Required::False
    } else {
        Required::True
    };
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Header)
        .required(required)
        .description(Some(about))
        .schema(Some(schema))
        .build()
}

/// The transport's answers every API shares: the `X-KM-*` headers and
/// the refusals of the transport (400, 401), in the error envelope.
fn with_transport(op: &mut Operation) {
    let params = op.parameters.get_or_insert_with(Vec::new);
    params.extend(HEADERS.iter().map(|(n, a, l)| header(n, a, *l)));
    for (status, about) in [
        ("400", "Invalid input, time, or encrypted body (000_002, 000_003, 000_015, 000_104, 000_105, and the API's own codes)."),
        ("401", "ASP id, access key or Tran-Token refused (000_101, 000_102, 000_103)."),
    ] {
        op.responses.responses.entry(status.to_owned()).or_insert_with(|| {
            ResponseBuilder::new()
                .description(about)
                .content(
                    "application/json",
                    ContentBuilder::new().schema(Some(Ref::from_schema_name("Envelope"))).build(),
                )
                .build()
                .into()
        });
    }
}

pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = Root::openapi();
    for part in [
        crate::members::Doc::openapi(),
        crate::bank::Doc::openapi(),
        crate::charging::Doc::openapi(),
        crate::cards::Doc::openapi(),
    ] {
        doc.merge(part);
    }
    for item in doc.paths.paths.values_mut() {
        if let Some(op) = item.post.as_mut() {
            with_transport(op);
        }
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_api_of_the_catalogue_is_documented_with_its_body_and_headers() {
        let doc = serde_json::to_value(openapi()).unwrap();
        let mut missing = Vec::new();
        for api in crate::catalogue::APIS {
            let op = &doc["paths"][api.path]["post"];
            if !op["requestBody"]["content"]["application/json"]["schema"].is_object() {
                missing.push(api.id);
            }
            let params = op["parameters"].as_array().map(Vec::len).unwrap_or(0);
            assert_eq!(params, HEADERS.len(), "{}: the X-KM headers", api.id);
            assert!(op["responses"]["401"].is_object(), "{}", api.id);
        }
        assert!(
            missing.is_empty(),
            "no request body documented: {missing:?}"
        );
    }
}

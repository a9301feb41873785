//! The OpenAPI 3.1 document of this face, generated from the wire types and
//! the handlers' annotations, so it cannot drift from what is served.

use finhub_http::openapi::{bearer_everywhere, body_refusals, ok_or_errors};
use serde_json::json;
use utoipa::openapi::extensions::Extensions;
use utoipa::openapi::schema::{AdditionalProperties, Object, ObjectBuilder, Type};
use utoipa::openapi::{RefOr, Schema};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "finhub KFTC Open Banking v2.0", version = "2.0"),
    paths(
        crate::users::register,
        crate::users::me,
        crate::users::close,
        crate::users::list,
        crate::users::update,
        crate::users::info,
        crate::users::cancel,
        crate::inquiry::balance_fin_num,
        crate::inquiry::balance_acnt_num,
        crate::inquiry::transactions_fin_num,
        crate::inquiry::transactions_acnt_num,
        crate::inquiry::real_name,
        crate::inquiry::receive,
        crate::transfer::withdraw_fin_num,
        crate::transfer::withdraw_acnt_num,
        crate::transfer::deposit_fin_num,
        crate::transfer::deposit_acnt_num,
        crate::transfer::result,
        crate::manage::bank_status,
        crate::manage::fee,
        crate::manage::count,
        crate::manage::wd_limit,
        crate::manage::fds_detect,
        crate::manage::terms,
    ),
    components(schemas(
        crate::wire::GatewayError,
        crate::wire::Envelope,
        crate::wire::BankPart
    ))
)]
struct KftcApi;

/// The document as served: the generated one plus what every operation
/// shares and the annotations do not say. KFTC answers errors with HTTP 200
/// (spec: "HTTP status"), so each 200 is the success body *or* an error
/// envelope (A-code, or an O-code gateway error of two fields); the shell's
/// refusals (413 body too large, 408 body too slow) come in the envelope too;
/// every route wants a bearer token.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = KftcApi::openapi();
    let schemas = &mut doc.components.get_or_insert_with(Default::default).schemas;
    schemas.insert(
        "ErrorEnvelope".into(),
        RefOr::T(Schema::Object(error_envelope())),
    );
    schemas.insert(
        "GatewayError".into(),
        RefOr::T(Schema::Object(gateway_error())),
    );
    bearer_everywhere(&mut doc);
    ok_or_errors(&mut doc, &["ErrorEnvelope", "GatewayError"]);
    body_refusals(&mut doc, "ErrorEnvelope", "1 MiB");
    doc
}

fn string(pattern: Option<&str>) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(pattern)
}

/// An A-code error: the envelope with any rsp_code but A0000.
fn error_envelope() -> Object {
    // JSON Schema's `not`, which utoipa has no field for.
    let not_ok = Extensions::from_iter([("not", json!({"const": "A0000"}))]);
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .description(Some(
            "An error: rsp_code other than A0000; bank_* fields when a bank refused.",
        ))
        .required("api_tran_id")
        .required("api_tran_dtm")
        .required("rsp_code")
        .required("rsp_message")
        .property("api_tran_id", string(None))
        .property("api_tran_dtm", string(Some("^[0-9]{17}$")))
        .property(
            "rsp_code",
            string(Some("^A[0-9]{4}$")).extensions(Some(not_ok)),
        )
        .property("rsp_message", string(None))
        .build()
}

/// A gateway error (token, scope, path, method): only rsp_code and rsp_message.
fn gateway_error() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .description(Some(
            "A gateway error (token, scope, path, method): only these two fields.",
        ))
        .required("rsp_code")
        .required("rsp_message")
        .property("rsp_code", string(Some("^O[0-9]{4}$")))
        .property("rsp_message", string(None))
        .additional_properties(Some(AdditionalProperties::<Schema>::FreeForm(false)))
        .build()
}

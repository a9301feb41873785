//! The OpenAPI 3.1 document of this face, generated from the wire types and
//! the handlers' annotations, so it cannot drift from what is served.

use axum::Json;
use serde_json::{json, Value};
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

/// The document as generated from the annotations.
pub fn openapi() -> utoipa::openapi::OpenApi {
    KftcApi::openapi()
}

/// The document as served: the generated one plus what every operation
/// shares and the annotations do not say. KFTC answers errors with HTTP 200
/// (spec: "HTTP status"), so each 200 is the success body *or* an error
/// envelope (A-code, or an O-code gateway error of two fields); the shell's
/// refusals (413 body too large, 408 body too slow) come in the envelope too;
/// every route wants a bearer token.
pub fn document() -> Value {
    let mut doc = serde_json::to_value(openapi()).unwrap_or_default();
    let error = json!({
        "type": "object",
        "description": "An error: rsp_code other than A0000; bank_* fields when a bank refused.",
        "required": ["api_tran_id", "api_tran_dtm", "rsp_code", "rsp_message"],
        "properties": {
            "api_tran_id": {"type": "string"},
            "api_tran_dtm": {"type": "string", "pattern": "^[0-9]{17}$"},
            "rsp_code": {"type": "string", "pattern": "^A[0-9]{4}$", "not": {"const": "A0000"}},
            "rsp_message": {"type": "string"}
        }
    });
    let gateway = json!({
        "type": "object",
        "description": "A gateway error (token, scope, path, method): only these two fields.",
        "required": ["rsp_code", "rsp_message"],
        "properties": {
            "rsp_code": {"type": "string", "pattern": "^O[0-9]{4}$"},
            "rsp_message": {"type": "string"}
        },
        "additionalProperties": false
    });
    let refusal = |why: &str| {
        json!({"description": why, "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}}})
    };
    if let Some(c) = doc
        .pointer_mut("/components")
        .and_then(Value::as_object_mut)
    {
        let schemas = c.entry("schemas").or_insert_with(|| json!({}));
        schemas["ErrorEnvelope"] = error;
        schemas["GatewayError"] = gateway;
        c.insert(
            "securitySchemes".into(),
            json!({"bearer": {"type": "http", "scheme": "bearer"}}),
        );
    }
    doc["security"] = json!([{"bearer": []}]);
    if let Some(paths) = doc.pointer_mut("/paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for (method, op) in item.iter_mut() {
                let Some(responses) = op.pointer_mut("/responses").and_then(Value::as_object_mut)
                else {
                    continue;
                };
                if let Some(schema) = responses
                    .get_mut("200")
                    .and_then(|r| r.pointer_mut("/content/application~1json/schema"))
                {
                    let ok = schema.take();
                    *schema = json!({"anyOf": [ok,
                        {"$ref": "#/components/schemas/ErrorEnvelope"},
                        {"$ref": "#/components/schemas/GatewayError"}]});
                }
                if method == "post" {
                    responses.insert("413".into(), refusal("The request body is over 1 MiB."));
                    responses.insert(
                        "408".into(),
                        refusal("The request body did not arrive in time."),
                    );
                }
            }
        }
    }
    doc
}

pub async fn serve() -> Json<Value> {
    Json(document())
}

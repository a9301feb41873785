//! Raw input at the OBP face: bodies past the shell's limit, JSON that
//! does not parse (deep nesting, invalid UTF-8, wrong types, dates in
//! another format), unknown routes and methods, and CORS preflight — each
//! in OBP's `{code, message}` body with a Correlation-Id, never a 500.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use finhub_testkit::obp::{assert_obp, customer_body, obp_app, V4};
use serde_json::json;

const MIB: usize = 1 << 20;

#[tokio::test]
async fn a_body_past_the_limit_is_413_in_obps_body() {
    let app = obp_app().await;
    let big = format!("{{\"username\":\"{}\"}}", "x".repeat(MIB));
    let req = Request::post(format!("{V4}/users"))
        .header("content-type", "application/json")
        .body(Body::from(big))
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text);
    assert_eq!(r.body["code"], json!(413), "{}", r.text);
    assert!(
        r.body["message"].as_str().unwrap().starts_with("OBP-"),
        "{}",
        r.text
    );
}

#[tokio::test]
async fn json_that_does_not_parse_is_obp_10001() {
    let app = obp_app().await;
    let staff = app.obp_staff("staff", &["CanCreateCustomer"]).await;
    let create = format!("{V4}/banks/004/customers");
    let deep = format!(
        "{{\"legal_name\":{}{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let mut utf8 = b"{\"legal_name\":\"".to_vec();
    utf8.extend_from_slice(&[0xff, 0xfe, 0xc3, 0x28]);
    utf8.extend_from_slice(b"\"}");
    let mut wrong_type = customer_body("Kim", "01012345678");
    wrong_type["dependants"] = json!("one");
    let mut bad_date = customer_body("Kim", "01012345678");
    bad_date["date_of_birth"] = json!("1990-03-04");
    for body in [
        "{".to_owned(),
        "[]".to_owned(),
        deep,
        wrong_type.to_string(),
        bad_date.to_string(),
    ] {
        let r = staff.send_raw(Method::POST, &create, &body).await;
        assert_obp(&r, 400, "OBP-10001");
    }
    // Invalid UTF-8, as raw bytes.
    let req = Request::post(&create)
        .header("authorization", staff.auth())
        .header("content-type", "application/json")
        .body(Body::from(utf8))
        .unwrap();
    assert_obp(&app.send(req).await, 400, "OBP-10001");
}

#[tokio::test]
async fn unknown_routes_versions_and_methods_are_obp_10404() {
    let app = obp_app().await;
    for (m, p) in [
        (Method::GET, "/obp/v9.9.9/banks".to_owned()),
        (Method::GET, format!("{V4}/no/such/path")),
        (Method::DELETE, format!("{V4}/banks")),
        (Method::GET, "/obp/v1.4.0/users/current".to_owned()),
        (Method::GET, "/my/nothing".to_owned()),
    ] {
        let r = app.call(&m, &p, None, None).await;
        assert_obp(&r, 404, "OBP-10404");
        assert!(r.headers.contains_key("correlation-id"), "{p}");
    }
}

#[tokio::test]
async fn options_is_cors_204_and_every_answer_has_a_correlation_id() {
    let app = obp_app().await;
    let r = app
        .call(
            &Method::OPTIONS,
            &format!("{V4}/banks/004/customers"),
            None,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(r.headers["access-control-allow-origin"], "*");
    assert!(r.headers.contains_key("correlation-id"));
    let req = Request::get(format!("{V4}/banks"))
        .header("Correlation-Id", "abc-123")
        .body(Body::empty())
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers["correlation-id"], "abc-123");
    assert!(r.body["banks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|b| b["id"] == "004"));
}

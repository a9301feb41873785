//! Raw input at the ORIS face: its body limits (1 MiB, 16 MiB for batch
//! chunks and files), deep nesting and invalid UTF-8, each refused in the
//! registry's `{code, message}` body, never a 500.

use axum::body::Body;
use axum::http::{HeaderValue, Request, StatusCode};
use finhub_testkit::{spawn_app, Resp};

const MIB: usize = 1 << 20;

fn json_post(path: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post(path)
        .header("content-type", "application/json")
        .body(body.into())
        .unwrap()
}

fn assert_oris_refusal(r: &Resp, status: StatusCode) {
    assert_eq!(r.status, status, "{}", r.text);
    assert!(r.body["code"].is_string(), "{}", r.text);
    assert!(r.body["message"].is_string(), "{}", r.text);
}

#[tokio::test]
async fn bodies_past_their_limit_are_413_in_the_registrys_body() {
    let app = spawn_app().await;
    let big = format!("{{\"email\":\"{}\"}}", "x".repeat(MIB));
    let r = app.send(json_post("/api/oris/v1/auth/login", big)).await;
    assert_oris_refusal(&r, StatusCode::PAYLOAD_TOO_LARGE);
    // A chunk may be up to 16 MiB: 2 MiB passes the shell (and meets the
    // face's own checks), 17 MiB does not.
    let chunk = "/api/oris/v1/batches/01JA0000000000000000000XX1/chunks/0?rowCount=1";
    let r = app.send(json_post(chunk, vec![b' '; 2 * MIB])).await;
    assert_ne!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text);
    assert!(r.status.is_client_error(), "{} {}", r.status, r.text);
    let r = app.send(json_post(chunk, vec![b' '; 17 * MIB])).await;
    assert_oris_refusal(&r, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn deep_nesting_and_invalid_utf8_are_malformed_json() {
    let app = spawn_app().await;
    let deep = format!("{{\"email\":{}{}}}", "[".repeat(10_000), "]".repeat(10_000));
    let mut bad = b"{\"email\":\"".to_vec();
    bad.extend_from_slice(&[0xff, 0xfe, 0xc3, 0x28]);
    bad.extend_from_slice(b"\",\"password\":\"x\"}");
    for body in [deep.into_bytes(), bad] {
        let r = app.send(json_post("/api/oris/v1/auth/login", body)).await;
        assert_oris_refusal(&r, StatusCode::BAD_REQUEST);
        assert_eq!(r.body["code"], "BAD_REQUEST");
        assert_eq!(r.body["message"], "Malformed JSON request");
    }
    let mut req = Request::get("/api/oris/v1/terms")
        .body(Body::empty())
        .unwrap();
    req.headers_mut().insert(
        "authorization",
        HeaderValue::from_bytes(b"Bearer \xff\xfe\xfd").unwrap(),
    );
    let r = app.send(req).await;
    assert_oris_refusal(&r, StatusCode::UNAUTHORIZED);
    assert_eq!(r.body["code"], "ACCESS_TOKEN_REQUIRED");
    let r = app
        .send(
            Request::get("/api/oris/v1/terms?page=%FF")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(r.status.is_client_error(), "{} {}", r.status, r.text);
    assert!(r.body["code"].is_string(), "{}", r.text);
}

//! Raw input at the Konaplate face: oversized, deeply nested, invalid UTF-8
//! and non-JSON bodies, signed or not, and header values that are not
//! text, each refused in `response{code, description}`, never a 500, on
//! both mounts.

use axum::body::Body;
use axum::http::{HeaderValue, Request, StatusCode};
use finhub_testkit::konaplate::{tran_token, KonaRequest};
use finhub_testkit::{spawn_app, Resp};

const MIB: usize = 1 << 20;

fn assert_kona_refusal(r: &Resp, status: StatusCode, code: &str) {
    assert_eq!(r.status, status, "{}", r.text);
    assert_eq!(r.body["response"]["code"], code, "{}", r.text);
    assert!(r.body["response"]["description"].is_string(), "{}", r.text);
    assert_eq!(r.body.as_object().map(|o| o.len()), Some(1), "{}", r.text);
}

const C16: &str = "/api/v1/service/info/list";

fn raw(r: &KonaRequest, body: Vec<u8>) -> Request<Body> {
    let mut b = Request::post(&r.path).header("content-type", "application/json");
    for (k, v) in &r.headers {
        b = b.header(k.as_str(), v.as_str());
    }
    b.body(Body::from(body)).unwrap()
}

#[tokio::test]
async fn bodies_past_the_limit_are_413_in_the_faces_envelope() {
    let app = spawn_app().await;
    let kp = app.kona_project().await;
    let big = format!("{{\"serviceIdList\":[\"{}\"]}}", "x".repeat(MIB));
    for path in [C16.to_owned(), format!("/open-api{C16}")] {
        let r = kp.request(&path, &big);
        let resp = app.send(raw(&r, big.clone().into_bytes())).await;
        assert_kona_refusal(&resp, StatusCode::PAYLOAD_TOO_LARGE, "000_002");
    }
}

#[tokio::test]
async fn signed_bodies_that_are_not_json_are_000_002() {
    let app = spawn_app().await;
    let kp = app.kona_project().await;
    let deep = format!(
        "{{\"serviceIdList\":{}{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let mut bad = b"{\"serviceIdList\":[\"".to_vec();
    bad.extend_from_slice(&[0xff, 0xfe, 0xc3, 0x28]);
    bad.extend_from_slice(b"\"]}");
    let cases: Vec<Vec<u8>> = vec![
        deep.into_bytes(),
        bad,
        b"[1,2,3]".to_vec(),
        b"\"text\"".to_vec(),
        b"{\"serviceIdList\": [1]}".to_vec(),
        b"{\"serviceIdList\": \"000170000002000\"}".to_vec(),
        b"{\"encData\": 12}".to_vec(),
    ];
    for body in cases {
        let mut r = kp.request(C16, "");
        let token = tran_token(&kp.secret_key, &body);
        r.headers.retain(|(k, _)| k != "X-KM-Tran-Token");
        r.headers.push(("X-KM-Tran-Token".into(), token));
        let resp = app.send(raw(&r, body.clone())).await;
        let code = if body.starts_with(b"{\"encData\"") {
            "000_105"
        } else {
            "000_002"
        };
        assert_kona_refusal(&resp, StatusCode::BAD_REQUEST, code);
    }
}

#[tokio::test]
async fn header_values_that_are_not_text_are_refused_in_order() {
    let app = spawn_app().await;
    let kp = app.kona_project().await;
    let r = kp.request(C16, "{}");
    for (name, status, code) in [
        ("X-KM-User-AspId", StatusCode::UNAUTHORIZED, "000_101"),
        ("X-KM-Correlation-Id", StatusCode::BAD_REQUEST, "000_002"),
        ("X-KM-Access-Key", StatusCode::UNAUTHORIZED, "000_102"),
        ("X-KM-Tran-Time", StatusCode::BAD_REQUEST, "000_104"),
        ("X-KM-Tran-Token", StatusCode::UNAUTHORIZED, "000_103"),
    ] {
        let mut req = raw(&r, b"{}".to_vec());
        let v = HeaderValue::from_bytes(&[0xea, 0xb0, 0x80, 0xff]).unwrap();
        req.headers_mut().insert(name, v);
        assert_kona_refusal(&app.send(req).await, status, code);
    }
}

#[tokio::test]
async fn an_unsigned_request_or_another_method_never_reaches_an_api() {
    let app = spawn_app().await;
    let r = app
        .send(Request::post(C16).body(Body::from("{}")).unwrap())
        .await;
    assert_kona_refusal(&r, StatusCode::UNAUTHORIZED, "000_101");
    let r = app
        .send(Request::get(C16).body(Body::empty()).unwrap())
        .await;
    assert_kona_refusal(&r, StatusCode::NOT_FOUND, "000_106");
    let r = app
        .send(
            Request::get("/open-api/api/v1/none")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_kona_refusal(&r, StatusCode::NOT_FOUND, "000_106");
}

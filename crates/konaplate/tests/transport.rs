//! The transport every API shares: header checks in their order, the
//! Tran-Token, JWE both ways, correlation ids as identities, both mounts.

use axum::http::{Method, StatusCode};
use finhub_testkit::konaplate::{assert_kona, tran_token, KonaProject};
use finhub_testkit::{spawn_app, TestApp};
use serde_json::json;

async fn project() -> (TestApp, KonaProject) {
    let app = spawn_app().await;
    let kp = app.kona_project().await;
    (app, kp)
}

fn set(r: &mut finhub_testkit::konaplate::KonaRequest, name: &str, value: Option<&str>) {
    r.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
    if let Some(v) = value {
        r.headers.push((name.to_owned(), v.to_owned()));
    }
}

#[tokio::test]
async fn a_signed_call_answers_with_the_envelope_and_echoes_the_correlation_id() {
    let (app, kp) = project().await;
    let req = kp.plain("C16", &json!({"serviceIdList": [kp.services[0]]}));
    let r = app.kona_send(&req).await;
    assert_kona(&r, StatusCode::OK, "000_000");
    assert_eq!(
        r.body["serviceInfos"][0]["serviceId"],
        kp.services[0].as_str()
    );
    assert_eq!(r.body["serviceInfos"].as_array().unwrap().len(), 1);
    let sent = req.header("X-KM-Correlation-Id");
    assert_eq!(r.headers["x-km-correlation-id"], sent);
    // The same API under /open-api.
    let mut again = kp.plain("C16", &json!({}));
    again.path = format!("/open-api{}", again.path);
    let r = app.kona_send(&again).await;
    assert_kona(&r, StatusCode::OK, "000_000");
    assert_eq!(r.body["serviceInfos"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn headers_are_checked_in_order_each_with_its_code() {
    let (app, kp) = project().await;
    let base = kp.plain("C16", &json!({}));
    let cases: Vec<(&str, Option<&str>, StatusCode, &str)> = vec![
        ("X-KM-User-AspId", None, StatusCode::UNAUTHORIZED, "000_101"),
        (
            "X-KM-User-AspId",
            Some("000170000000000"),
            StatusCode::UNAUTHORIZED,
            "000_101",
        ),
        (
            "X-KM-Correlation-Id",
            Some("12345-abc"),
            StatusCode::BAD_REQUEST,
            "000_002",
        ),
        ("X-KM-Access-Key", None, StatusCode::UNAUTHORIZED, "000_102"),
        (
            "X-KM-Time-Zone",
            Some("PST"),
            StatusCode::BAD_REQUEST,
            "000_104",
        ),
        (
            "X-KM-Tran-Time",
            Some("20200101000000"),
            StatusCode::BAD_REQUEST,
            "000_104",
        ),
        (
            "X-KM-Tran-Token",
            Some("KMV1:x"),
            StatusCode::UNAUTHORIZED,
            "000_103",
        ),
    ];
    for (name, value, status, code) in cases {
        let mut r = base.clone();
        set(
            &mut r,
            "X-KM-Correlation-Id",
            Some(&finhub_testkit::konaplate::correlation_id()),
        );
        set(&mut r, name, value);
        let resp = app.kona_send(&r).await;
        assert_kona(&resp, status, code);
        assert!(
            resp.body.get("serviceInfos").is_none(),
            "{name}: {}",
            resp.text
        );
    }
    // Both wrong: the earlier check answers.
    let mut r = base.clone();
    set(&mut r, "X-KM-Access-Key", None);
    set(&mut r, "X-KM-Tran-Token", None);
    assert_kona(
        &app.kona_send(&r).await,
        StatusCode::UNAUTHORIZED,
        "000_102",
    );
}

#[tokio::test]
async fn the_token_covers_the_exact_body_bytes_with_or_without_padding() {
    let (app, kp) = project().await;
    let mut r = kp.plain("C16", &json!({}));
    r.body = "{ }".into();
    assert_kona(
        &app.kona_send(&r).await,
        StatusCode::UNAUTHORIZED,
        "000_103",
    );
    let mut r = kp.request(finhub_konaplate::catalogue::by_id("C16").path, "{ }");
    let token = tran_token(&kp.secret_key, b"{ }");
    set(&mut r, "X-KM-Tran-Token", Some(token.trim_end_matches('=')));
    assert_eq!(token.len(), 67);
    assert_kona(&app.kona_send(&r).await, StatusCode::OK, "000_000");
    let wrong = tran_token("another secret of the same length as it, 0123456", b"{ }");
    set(&mut r, "X-KM-Tran-Token", Some(&wrong));
    set(
        &mut r,
        "X-KM-Correlation-Id",
        Some(&finhub_testkit::konaplate::correlation_id()),
    );
    assert_kona(
        &app.kona_send(&r).await,
        StatusCode::UNAUTHORIZED,
        "000_103",
    );
}

#[tokio::test]
async fn an_inactive_or_foreign_access_key_is_refused() {
    let (app, kp) = project().await;
    let other = app.kona_project().await;
    let mut r = kp.plain("C16", &json!({}));
    set(&mut r, "X-KM-Access-Key", Some(&other.access_key));
    assert_kona(
        &app.kona_send(&r).await,
        StatusCode::UNAUTHORIZED,
        "000_102",
    );
    let path = format!(
        "/sandbox/konaplate/projects/{}/access-keys/{}",
        kp.project_id, kp.access_key
    );
    let off = app
        .kona_sandbox(Method::PUT, &path, Some(&json!({"status": "inactive"})))
        .await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.text);
    assert_kona(
        &kp.call(&app, "C16", &json!({})).await,
        StatusCode::UNAUTHORIZED,
        "000_102",
    );
    let on = app
        .kona_sandbox(Method::PUT, &path, Some(&json!({"status": "active"})))
        .await;
    assert_eq!(on.status, StatusCode::OK);
    assert_kona(
        &kp.call(&app, "C16", &json!({})).await,
        StatusCode::OK,
        "000_000",
    );
    let gone = app
        .kona_sandbox(Method::PUT, &path, Some(&json!({"status": "discarded"})))
        .await;
    assert_eq!(gone.status, StatusCode::OK);
    let back = app
        .kona_sandbox(Method::PUT, &path, Some(&json!({"status": "active"})))
        .await;
    assert_eq!(back.status, StatusCode::CONFLICT, "{}", back.text);
}

#[tokio::test]
async fn a_repeated_correlation_id_gets_the_first_answer_and_another_path_is_refused() {
    let (app, kp) = project().await;
    let first = kp.plain("C16", &json!({"serviceIdList": [kp.services[1]]}));
    let a = app.kona_send(&first).await;
    // The same id with another body: still the first answer.
    let cid = first.header("X-KM-Correlation-Id").to_owned();
    let mut second = kp.plain("C16", &json!({}));
    set(&mut second, "X-KM-Correlation-Id", Some(&cid));
    let b = app.kona_send(&second).await;
    assert_eq!(a.text, b.text);
    assert_eq!(b.body["serviceInfos"].as_array().unwrap().len(), 1);
    let mut open = second.clone();
    open.path = format!("/open-api{}", open.path);
    assert_eq!(app.kona_send(&open).await.text, a.text);
    // The same id on another API is refused, and that API runs nothing.
    let mut elsewhere = kp.plain("U8", &json!({}));
    set(&mut elsewhere, "X-KM-Correlation-Id", Some(&cid));
    let r = app.kona_send(&elsewhere).await;
    assert_kona(&r, StatusCode::BAD_REQUEST, "000_002");
    assert!(
        r.text.contains("X-KM-Correlation-Id") && r.body.get("termsList").is_none(),
        "{}",
        r.text
    );
    // Another project's id space is its own.
    let other = app.kona_project().await;
    let mut theirs = other.plain("C16", &json!({}));
    set(&mut theirs, "X-KM-Correlation-Id", Some(&cid));
    assert_eq!(
        app.kona_send(&theirs).await.body["serviceInfos"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn encrypted_bodies_decrypt_with_the_named_key_and_bad_ones_are_000_105() {
    let (app, kp) = project().await;
    let r = kp
        .call_enc(&app, "C16", &json!({"serviceIdList": [kp.services[0]]}))
        .await;
    assert_kona(&r, StatusCode::OK, "000_000");
    assert_eq!(r.body["serviceInfos"].as_array().unwrap().len(), 1);
    let mut no_key = kp.encrypted("C16", &json!({}));
    set(&mut no_key, "X-KM-Crypto-Key-Id", None);
    assert_kona(
        &app.kona_send(&no_key).await,
        StatusCode::BAD_REQUEST,
        "000_105",
    );
    let mut garbage = kp.request(
        finhub_konaplate::catalogue::by_id("C16").path,
        r#"{"encData":"a.b.c.d.e"}"#,
    );
    garbage
        .headers
        .push(("X-KM-Crypto-Key-Id".into(), kp.crypto_key_id.clone()));
    assert_kona(
        &app.kona_send(&garbage).await,
        StatusCode::BAD_REQUEST,
        "000_105",
    );
    let other = app.kona_project().await;
    let mut foreign = kp.encrypted("C16", &json!({}));
    set(
        &mut foreign,
        "X-KM-Crypto-Key-Id",
        Some(&other.crypto_key_id),
    );
    assert_kona(
        &app.kona_send(&foreign).await,
        StatusCode::BAD_REQUEST,
        "000_105",
    );
    let path = format!(
        "/sandbox/konaplate/projects/{}/crypto-keys/{}",
        kp.project_id, kp.crypto_key_id
    );
    assert_eq!(
        app.kona_sandbox(Method::DELETE, &path, None).await.status,
        StatusCode::OK
    );
    let late = kp.call_enc(&app, "C16", &json!({})).await;
    assert_kona(&late, StatusCode::BAD_REQUEST, "000_105");
}

#[tokio::test]
async fn a_body_that_is_not_json_is_000_002_and_an_unknown_path_000_106() {
    let (app, kp) = project().await;
    let r = kp.request(finhub_konaplate::catalogue::by_id("C16").path, "not json");
    assert_kona(&app.kona_send(&r).await, StatusCode::BAD_REQUEST, "000_002");
    let r = kp.request("/api/v1/no/such/api", "{}");
    assert_kona(&app.kona_send(&r).await, StatusCode::NOT_FOUND, "000_106");
    let r = kp.request("/open-api/api/v9/x", "{}");
    assert_kona(&app.kona_send(&r).await, StatusCode::NOT_FOUND, "000_106");
}

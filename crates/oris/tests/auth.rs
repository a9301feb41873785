//! Sign-in, the pledge gate and the token errors, as an agency meets them.

use axum::http::StatusCode;
use finhub_testkit::oris::{assert_oris, PASSWORD, PLEDGE_TERM, THIRD_PARTY_TERM};
use finhub_testkit::spawn_app;
use serde_json::json;

#[tokio::test]
async fn a_new_member_reads_terms_signs_the_pledge_and_then_gets_in() {
    let app = spawn_app().await;
    let agency = app
        .oris_agency(json!({"org_code": "BA00000004", "agencyCode": "1004",
                            "admin": {"email": "me@kb.example", "password": PASSWORD}}))
        .await;
    assert_eq!(agency.agency_code, "1004");
    let staff = app.oris_member(agency).await;
    let terms = staff.get("/api/oris/v1/terms").await;
    assert_eq!(terms.status, StatusCode::OK, "{}", terms.text);
    let ids: Vec<&str> = terms.body["content"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["termId"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&PLEDGE_TERM) && ids.contains(&THIRD_PARTY_TERM));

    let first = staff
        .post(
            "/api/oris/v1/members/me/consents",
            &json!({"termId": PLEDGE_TERM}),
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    assert_eq!(first.body["termTypeName"], "개인정보보호서약서");
    let again = staff
        .post(
            "/api/oris/v1/members/me/consents",
            &json!({"termId": PLEDGE_TERM}),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body["consentId"], first.body["consentId"]);
    let wrong = staff
        .post(
            "/api/oris/v1/members/me/consents",
            &json!({"termId": THIRD_PARTY_TERM}),
        )
        .await;
    assert_oris(&wrong, StatusCode::CONFLICT, "CONSENT_NOT_MATCH");
    let unknown = staff
        .post(
            "/api/oris/v1/members/me/consents",
            &json!({"termId": "01JA0000000000000000000XX1"}),
        )
        .await;
    assert_oris(&unknown, StatusCode::NOT_FOUND, "TERM_NOT_FOUND");
}

#[tokio::test]
async fn sign_in_answers_the_published_token_fields_and_refusals() {
    let app = spawn_app().await;
    let a = app
        .oris_agency(json!({"agencyName": "한빛송금", "agencyType": "소액해외송금업자"}))
        .await;
    let ok = app.oris_login(&a.email, &a.password, Some("inquiry")).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    let b = &ok.body;
    assert_eq!(b["tokenType"], "Bearer");
    assert_eq!(b["expiresIn"], 1800);
    assert_eq!(b["scope"], "inquiry");
    assert_eq!(b["memberId"], a.member_id.as_str());
    assert_eq!(b["agencyId"], a.agency_id.as_str());
    assert!(b["passwordExpiresAt"].as_str().unwrap().ends_with("+09:00"));

    let r = app.oris_login("nobody@x.example", PASSWORD, None).await;
    assert_oris(&r, StatusCode::UNAUTHORIZED, "ACCOUNT_NOT_FOUND");
    let r = app.oris_login(&a.email, "Wrong!pass1", None).await;
    assert_oris(&r, StatusCode::UNAUTHORIZED, "MEMBER_PASSWORD_NOT_MATCH");
    let r = app
        .oris_login(&a.email, &a.password, Some("inquiry write"))
        .await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "INVALID_REQUEST");
    let r = app
        .call(
            &axum::http::Method::POST,
            "/api/oris/v1/auth/login",
            None,
            Some(&json!({"email": a.email})),
        )
        .await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "BAD_REQUEST");
    assert!(r.body["message"]
        .as_str()
        .unwrap()
        .starts_with("Validation failed for argument at index 0 in method"));
    let r = app
        .post_raw("/api/oris/v1/auth/login", None, "{not json")
        .await;
    assert_eq!(r.status.as_u16() / 100, 4, "{}", r.text);
}

#[tokio::test]
async fn tokens_are_required_signed_and_unforged() {
    let app = spawn_app().await;
    let staff = app.oris_staff(None).await;
    let r = app.get("/api/oris/v1/terms").await;
    assert_oris(&r, StatusCode::UNAUTHORIZED, "ACCESS_TOKEN_REQUIRED");
    assert_eq!(
        r.body["message"],
        "Access token is required for authentication."
    );
    let mut forged = staff.access.clone();
    forged.pop();
    forged.push(if staff.access.ends_with('A') {
        'B'
    } else {
        'A'
    });
    let r = app
        .call(
            &axum::http::Method::GET,
            "/api/oris/v1/terms",
            Some(&format!("Bearer {forged}")),
            None,
        )
        .await;
    assert_oris(&r, StatusCode::UNAUTHORIZED, "ACCESS_TOKEN_INVALID");
    assert_eq!(r.body["message"], "Invalid access token signature.");
    app.clock.advance(chrono::Duration::minutes(31));
    let r = staff.get("/api/oris/v1/terms").await;
    assert_oris(&r, StatusCode::UNAUTHORIZED, "ACCESS_TOKEN_EXPIRED");
}

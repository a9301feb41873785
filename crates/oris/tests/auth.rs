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

mod signin {
    use axum::http::{Method, StatusCode};
    use finhub_testkit::http::Resp;
    use finhub_testkit::TestApp;
    use serde_json::{json, Value};

    pub async fn post(app: &TestApp, path: &str, body: &Value) -> Resp {
        app.call(&Method::POST, path, None, Some(body)).await
    }

    pub async fn refresh(app: &TestApp, token: &str) -> Resp {
        post(
            app,
            "/api/oris/v1/auth/refresh",
            &json!({"refreshToken": token}),
        )
        .await
    }

    pub async fn change(app: &TestApp, email: &str, old: &str, new: &str) -> Resp {
        let body = json!({"email": email, "oldPassword": old, "newPassword": new});
        post(app, "/api/oris/v1/auth/password", &body).await
    }

    pub async fn with_token(app: &TestApp, method: Method, path: &str, token: &str) -> Resp {
        app.call(&method, path, Some(&format!("Bearer {token}")), None)
            .await
    }

    pub fn ok(r: &Resp) {
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_member_and_a_right_one_resets_the_count() {
    let app = spawn_app().await;
    let a = app
        .oris_agency(json!({"org_code": "BA00000004", "admin": {"password": PASSWORD}}))
        .await;
    for _ in 0..4 {
        let r = app.oris_login(&a.email, "Wrong!pass1", None).await;
        assert_oris(&r, StatusCode::UNAUTHORIZED, "MEMBER_PASSWORD_NOT_MATCH");
    }
    signin::ok(&app.oris_login(&a.email, PASSWORD, None).await);
    for _ in 0..4 {
        let r = app.oris_login(&a.email, "Wrong!pass1", None).await;
        assert_oris(&r, StatusCode::UNAUTHORIZED, "MEMBER_PASSWORD_NOT_MATCH");
    }
    let r = app.oris_login(&a.email, "Wrong!pass1", None).await;
    assert_oris(
        &r,
        StatusCode::LOCKED,
        "MEMBER_PASSWORD_FAIL_LIMIT_EXCEEDED",
    );
    let r = app.oris_login(&a.email, PASSWORD, None).await;
    assert_oris(&r, StatusCode::LOCKED, "MEMBER_ACCOUNT_LOCKED");
    let r = app.oris_login(&a.email, "Wrong!pass1", None).await;
    assert_oris(&r, StatusCode::LOCKED, "MEMBER_ACCOUNT_LOCKED");
    // A locked member cannot change the password either: an admin unlocks.
    let r = signin::change(&app, &a.email, PASSWORD, "Another!2027").await;
    assert_oris(&r, StatusCode::LOCKED, "MEMBER_ACCOUNT_LOCKED");
}

#[tokio::test]
async fn a_password_older_than_90_days_must_be_changed_first() {
    let app = spawn_app().await;
    let a = app
        .oris_agency(json!({"org_code": "BA00000004", "admin": {"password": PASSWORD}}))
        .await;
    app.clock.advance(chrono::Duration::days(89));
    signin::ok(&app.oris_login(&a.email, PASSWORD, None).await);
    app.clock.advance(chrono::Duration::days(2));
    let r = app.oris_login(&a.email, PASSWORD, None).await;
    assert_oris(&r, StatusCode::FORBIDDEN, "MEMBER_PASSWORD_EXPIRED");
    let r = signin::change(&app, &a.email, PASSWORD, "Renewed!2026").await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let r = app.oris_login(&a.email, "Renewed!2026", None).await;
    signin::ok(&r);
    let exp = finhub_oris::wire::parse_datetime(r.body["passwordExpiresAt"].as_str().unwrap());
    let left = exp.unwrap() - app.clock.now();
    assert!(left <= chrono::Duration::days(90) && left > chrono::Duration::days(89));
    // The clock moved back: the old change date is in the future, still fine.
    app.clock.advance(chrono::Duration::days(-91));
    signin::ok(&app.oris_login(&a.email, "Renewed!2026", None).await);
}

#[tokio::test]
async fn a_refresh_token_is_rotated_once_and_ends_with_its_session() {
    let app = spawn_app().await;
    let staff = app.oris_staff(None).await;
    let first = signin::refresh(&app, &staff.refresh).await;
    signin::ok(&first);
    assert_eq!(first.body["tokenType"], "Bearer");
    let second = first.body["refreshToken"].as_str().unwrap().to_owned();
    assert_ne!(second, staff.refresh);
    let access = first.body["accessToken"].as_str().unwrap();
    signin::ok(
        &signin::with_token(&app, axum::http::Method::GET, "/api/oris/v1/terms", access).await,
    );
    // The rotated-out token is dead; the new one works once.
    let r = signin::refresh(&app, &staff.refresh).await;
    assert_oris(&r, StatusCode::UNAUTHORIZED, "ACCESS_TOKEN_INVALID");
    let third = signin::refresh(&app, &second).await;
    signin::ok(&third);
    // An access token is not a refresh token.
    let r = signin::refresh(&app, access).await;
    assert_oris(&r, StatusCode::UNAUTHORIZED, "ACCESS_TOKEN_INVALID");
    app.clock.advance(chrono::Duration::hours(13));
    let r = signin::refresh(&app, third.body["refreshToken"].as_str().unwrap()).await;
    assert_oris(&r, StatusCode::UNAUTHORIZED, "ACCESS_TOKEN_EXPIRED");
    let r = signin::refresh(&app, "").await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "BAD_REQUEST");
}

#[tokio::test]
async fn of_two_racing_refreshes_exactly_one_wins() {
    let app = spawn_app().await;
    let staff = app.oris_staff(None).await;
    let (a, b) = tokio::join!(
        signin::refresh(&app, &staff.refresh),
        signin::refresh(&app, &staff.refresh)
    );
    let wins = [&a, &b]
        .iter()
        .filter(|r| r.status == StatusCode::OK)
        .count();
    assert_eq!(wins, 1, "{} / {}", a.text, b.text);
    let lost = if a.status == StatusCode::OK { &b } else { &a };
    assert_oris(lost, StatusCode::UNAUTHORIZED, "ACCESS_TOKEN_INVALID");
    let won = if a.status == StatusCode::OK { &a } else { &b };
    signin::ok(&signin::refresh(&app, won.body["refreshToken"].as_str().unwrap()).await);
}

#[tokio::test]
async fn logout_ends_the_session_and_every_token_of_it() {
    let app = spawn_app().await;
    let staff = app.oris_staff(None).await;
    let other = app.oris_member(staff.agency.clone()).await;
    let r = staff.post("/api/oris/v1/auth/logout", &json!({})).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let r = staff.get("/api/oris/v1/terms").await;
    assert_oris(&r, StatusCode::UNAUTHORIZED, "ACCESS_TOKEN_INVALID");
    let r = signin::refresh(&app, &staff.refresh).await;
    assert_oris(&r, StatusCode::UNAUTHORIZED, "ACCESS_TOKEN_INVALID");
    let r = staff.post("/api/oris/v1/auth/logout", &json!({})).await;
    assert_oris(&r, StatusCode::UNAUTHORIZED, "ACCESS_TOKEN_INVALID");
    // Another session of the same member lives on.
    signin::ok(&other.get("/api/oris/v1/terms").await);
    let r = app.post_raw("/api/oris/v1/auth/logout", None, "").await;
    assert_oris(&r, StatusCode::UNAUTHORIZED, "ACCESS_TOKEN_REQUIRED");
}

#[tokio::test]
async fn a_password_change_checks_the_old_the_policy_and_the_last_three() {
    let app = spawn_app().await;
    let staff = app.oris_staff(None).await;
    let email = staff.agency.email.clone();
    let r = signin::change(&app, "nobody@x.example", PASSWORD, "Another!2027").await;
    assert_oris(&r, StatusCode::UNAUTHORIZED, "ACCOUNT_NOT_FOUND");
    let r = signin::change(&app, &email, "Wrong!pass1", "Another!2027").await;
    assert_oris(&r, StatusCode::UNAUTHORIZED, "MEMBER_PASSWORD_NOT_MATCH");
    let r = signin::change(&app, &email, PASSWORD, "short1!").await;
    assert_oris(
        &r,
        StatusCode::BAD_REQUEST,
        "MEMBER_PASSWORD_INVALID_FORMAT",
    );
    let r = signin::change(&app, &email, PASSWORD, PASSWORD).await;
    assert_oris(
        &r,
        StatusCode::BAD_REQUEST,
        "MEMBER_PASSWORD_RESET_WITH_OLD",
    );
    let r = signin::post(&app, "/api/oris/v1/auth/password", &json!({"email": email})).await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "BAD_REQUEST");

    let steps = ["Second!2026", "Third!2026x", "Fourth!2026"];
    let mut old = PASSWORD;
    for new in steps {
        let r = signin::change(&app, &email, old, new).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
        old = new;
    }
    // The change ended the member's sessions.
    let r = staff.get("/api/oris/v1/terms").await;
    assert_oris(&r, StatusCode::UNAUTHORIZED, "ACCESS_TOKEN_INVALID");
    let r = app.oris_login(&email, PASSWORD, None).await;
    assert_oris(&r, StatusCode::UNAUTHORIZED, "MEMBER_PASSWORD_NOT_MATCH");
    signin::ok(&app.oris_login(&email, "Fourth!2026", None).await);
    for reused in ["Third!2026x", "Second!2026", PASSWORD] {
        let r = signin::change(&app, &email, "Fourth!2026", reused).await;
        assert_oris(&r, StatusCode::BAD_REQUEST, "MEMBER_PASSWORD_REUSED");
    }
    let r = signin::change(&app, &email, "Fourth!2026", "Fifth!2026x").await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    // Four changes on, the first password is no longer among the last three.
    let r = signin::change(&app, &email, "Fifth!2026x", PASSWORD).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
}

#[tokio::test]
async fn racing_wrong_passwords_lock_once_at_the_fifth() {
    let app = spawn_app().await;
    let a = app
        .oris_agency(json!({"org_code": "BA00000004", "admin": {"password": PASSWORD}}))
        .await;
    let wrong = || app.oris_login(&a.email, "Wrong!pass1", None);
    let (r1, r2, r3, r4, r5, r6, r7) = tokio::join!(
        wrong(),
        wrong(),
        wrong(),
        wrong(),
        wrong(),
        wrong(),
        wrong()
    );
    let answers = [r1, r2, r3, r4, r5, r6, r7];
    let count = |code: &str| answers.iter().filter(|r| r.body["code"] == code).count();
    assert_eq!(count("MEMBER_PASSWORD_FAIL_LIMIT_EXCEEDED"), 1);
    assert_eq!(count("MEMBER_PASSWORD_NOT_MATCH"), 4);
    assert_eq!(count("MEMBER_ACCOUNT_LOCKED"), 2);
}

#[tokio::test]
async fn a_nul_in_a_sign_in_is_a_refusal_on_either_engine() {
    let app = spawn_app().await;
    let r = app.oris_login("me\u{0}@kb.example", PASSWORD, None).await;
    assert!(r.status.is_client_error(), "{} {}", r.status, r.text);
    assert!(r.body["code"].is_string(), "{}", r.text);
}

#[tokio::test]
async fn lax_mode_lets_an_inquiry_token_report_and_only_when_configured() {
    use finhub_testkit::FaceOptions;
    let batch = json!({"name": "r.json", "batchType": "REMITTANCE", "expectedRows": 1,
                       "source": {"type": "api"}});
    for lax in [false, true] {
        let app = finhub_testkit::TestApp::builder()
            .faces(FaceOptions {
                oris_lax_scopes: lax,
                ..FaceOptions::default()
            })
            .spawn()
            .await;
        let staff = app.oris_staff(None).await;
        let r = app
            .oris_login(&staff.agency.email, &staff.agency.password, Some("inquiry"))
            .await;
        let token = format!("Bearer {}", r.body["accessToken"].as_str().unwrap());
        let r = app
            .call(
                &axum::http::Method::POST,
                "/api/oris/v1/batches",
                Some(&token),
                Some(&batch),
            )
            .await;
        if lax {
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        } else {
            assert_oris(
                &r,
                StatusCode::FORBIDDEN,
                "ACCESS_TOKEN_NOT_ENOUGH_PERMISSION",
            );
        }
    }
}

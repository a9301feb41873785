//! 개별인증-001…004 through the institution's pages: the authorize
//! parameters and their errors (§4.2), the consent page with its asset
//! choice, end date and purpose, the token fields, refresh and revoke.

use axum::http::{header, StatusCode};
use finhub_core::consent::ConsentRepo;
use finhub_testkit::http::{field_values, Resp};
use finhub_testkit::mydata::{tran_id, Operator};
use finhub_testkit::{spawn_app, Person, TestApp};
use std::collections::HashMap;

const KB: &str = "BA00000004";
const CARD: &str = "CD00000001";
const STATE: &str = "st8xYz";

/// A redirect's query, after checking it goes back to the app.
fn back(r: &Resp) -> HashMap<String, String> {
    assert_eq!(r.status, StatusCode::FOUND, "{r}");
    r.redirect_query()
}

/// An OAuth error body in §4.2's shape.
fn oauth_error(r: &Resp, status: StatusCode, error: &str) {
    assert_eq!(r.status, status, "{r}");
    assert_eq!(r.json()["error"], error, "{r}");
    assert!(r.body["error_description"].is_string(), "{r}");
}

async fn world(app: &TestApp) -> (Operator<'_>, Person, Vec<String>) {
    let op = app.operator("가계부").await;
    let mut p = app
        .sandbox_person("김페이지", "010-3000-0001", 70_000)
        .await;
    app.open_account(&mut p, 1_000).await;
    app.hold(&p.person_id, "BA00000088", "demand").await;
    let card = app.hold(&p.person_id, CARD, "card").await;
    (op, p, vec![card.account_id])
}

#[tokio::test]
async fn the_pages_walk_to_a_code_whose_token_carries_the_choice() {
    let app = spawn_app().await;
    let (op, p, not_here) = world(&app).await;
    let tran = tran_id(&op.client.org);
    let uri = op.authorize_uri(KB, STATE, &[]);
    let (rid, page) = op.sign_in(&uri, &tran, &p).await;
    // KB's deposit accounts only, ticked; the end date and purpose asked.
    let offered = field_values(&page.text, "account_id");
    let mut want = vec![p.accounts[0].id.clone(), p.accounts[1].id.clone()];
    want.sort();
    let mut got = offered.clone();
    got.sort();
    assert_eq!(got, want, "{}", page.text);
    assert!(!page.text.contains(&not_here[0]));
    assert!(page.text.contains("국민은행"), "{}", page.text);
    assert!(page.text.contains("name=\"end_date\""), "{}", page.text);
    assert!(page.text.contains("name=\"purpose\""), "{}", page.text);
    assert!(page.text.contains("(bank.deposit)") && page.text.contains("(bank.list)"));
    let six = field_values(&page.text, "end_date").is_empty();
    assert!(six, "a select, not an input");
    let end = (app.now_kst().date_naive() + chrono::Months::new(6))
        .format("%Y%m%d")
        .to_string();
    assert!(
        page.text.contains(&format!("value=\"{end}\"")),
        "{}",
        page.text
    );

    let r = app
        .post_form(
            "/oauth/2.0/authorize/consent",
            &[
                ("request_id", &rid),
                ("decision", "allow"),
                ("account_id", &p.accounts[1].id),
                ("end_date", &end),
                ("is_scheduled", "true"),
                ("purpose", "가계부 작성"),
            ],
        )
        .await;
    let q = back(&r);
    assert_eq!(q["state"], STATE);
    assert_eq!(q["api_tran_id"], tran);
    assert!(r.location().unwrap().starts_with(finhub_testkit::REDIRECT));

    let t = op.exchange(KB, &q["code"]).await;
    assert_eq!(t.status, StatusCode::OK, "{t}");
    assert_eq!(t.headers["x-api-tran-id"].len(), 25);
    let body = t.json();
    for k in ["token_type", "access_token", "refresh_token", "scope"] {
        assert!(body[k].is_string(), "{k}: {body}");
    }
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 90 * 24 * 3600);
    assert_eq!(body["refresh_token_expires_in"], 365 * 24 * 3600);
    // No scope named: every bank scope the client holds, bank.list first.
    let all = "bank.list bank.deposit bank.invest bank.loan bank.irp bank.prepaid";
    assert_eq!(body["scope"], all);
    let s = op.session(KB, &p.person_id, &t);
    let fam = app.app.oauth.verify_access(&s.access).unwrap().fam.unwrap();
    let c = app.store.consent(&fam).await.unwrap().unwrap();
    assert_eq!(c.account_ids, [p.accounts[1].id.clone()]);
    assert_eq!(c.end_date.format("%Y%m%d").to_string(), end);
    assert_eq!(c.purpose, "가계부 작성");
    assert_eq!(c.sender_org, KB);
}

#[tokio::test]
async fn authorize_errors_follow_the_oauth_error_table() {
    let app = spawn_app().await;
    let (op, p, _) = world(&app).await;
    let tran = tran_id(&op.client.org);
    // An unknown client or redirect_uri: 400 JSON, never a redirect.
    for extra in [
        [("client_id", "nobody")],
        [("redirect_uri", "https://evil.example/cb")],
    ] {
        let r = op
            .open(&op.authorize_uri(KB, STATE, &extra), &tran, &[])
            .await;
        oauth_error(&r, StatusCode::BAD_REQUEST, "invalid_request");
        assert!(r.location().is_none());
    }
    // The rest go back to the app with error, state and api_tran_id.
    for (extra, error) in [
        (vec![("org_code", "")], "invalid_request"),
        (vec![("org_code", "BA99999999")], "invalid_request"),
        (
            vec![("response_type", "token")],
            "unsupported_response_type",
        ),
        (vec![("response_type", "")], "invalid_request"),
        (vec![("scope", "card.card")], "invalid_scope"),
    ] {
        let r = op
            .open(&op.authorize_uri(KB, STATE, &extra), &tran, &[])
            .await;
        let q = back(&r);
        assert_eq!(q["error"], error, "{extra:?}");
        assert_eq!(q["state"], STATE);
        assert_eq!(q["api_tran_id"], tran);
    }
    let r = op.open(&op.authorize_uri(KB, "", &[]), &tran, &[]).await;
    assert_eq!(back(&r)["error"], "invalid_request");
    let r = op
        .open(&op.authorize_uri(KB, STATE, &[]), "short", &[])
        .await;
    let q = back(&r);
    assert_eq!(q["error"], "invalid_request");
    assert_eq!(q["api_tran_id"].len(), 25, "the provider's own id");
    // Any app_scheme for a client registered without app schemes.
    let any = [("app_scheme", "whatever://x")];
    let r = op
        .open(&op.authorize_uri(KB, STATE, &any), &tran, &[])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{r}");
    // Wrong method.
    let r = app.post_form(&op.authorize_uri(KB, STATE, &[]), &[]).await;
    oauth_error(&r, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");

    // Deny: access_denied with the echo; nothing recorded.
    let (rid, _) = op
        .sign_in(&op.authorize_uri(KB, STATE, &[]), &tran, &p)
        .await;
    let r = app
        .post_form(
            "/oauth/2.0/authorize/consent",
            &[("request_id", &rid), ("decision", "deny")],
        )
        .await;
    let q = back(&r);
    assert_eq!(
        (q["error"].as_str(), q["api_tran_id"].as_str()),
        ("access_denied", tran.as_str())
    );
    // x-user-ci of someone else: unauthorized_user after the login.
    let other_ci = [("x-user-ci", "c29tZW9uZS1lbHNl")];
    let page = op
        .open(&op.authorize_uri(KB, STATE, &[]), &tran, &other_ci)
        .await;
    let rid = finhub_testkit::http::field(&page.text, "request_id");
    let r = app
        .post_form(
            "/oauth/2.0/authorize/login",
            &[
                ("request_id", &rid),
                ("login", &p.phone),
                ("password", &p.password),
            ],
        )
        .await;
    assert_eq!(back(&r)["error"], "unauthorized_user");
    // The right CI goes on to the consent page.
    let own_ci = [("x-user-ci", p.ci.as_str())];
    let page = op
        .open(&op.authorize_uri(KB, STATE, &[]), &tran, &own_ci)
        .await;
    let rid = finhub_testkit::http::field(&page.text, "request_id");
    let r = app
        .post_form(
            "/oauth/2.0/authorize/login",
            &[
                ("request_id", &rid),
                ("login", &p.phone),
                ("password", &p.password),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{r}");
    // A bad answer shows the page again.
    let r = app
        .post_form(
            "/oauth/2.0/authorize/consent",
            &[
                ("request_id", &rid),
                ("decision", "allow"),
                ("end_date", "20000101"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{r}");
    assert!(r.text.contains("name=\"request_id\""), "{r}");
    assert!(app
        .store
        .consents_of_person(&p.person_id)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn token_requests_need_org_code_and_tran_id_and_errors_are_400() {
    let app = spawn_app().await;
    let (op, p, _) = world(&app).await;
    let code = op.code(&p.person_id, KB, "bank.deposit", None).await;
    let base = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("client_id", op.client.id.as_str()),
        ("client_secret", op.client.secret.as_str()),
        ("redirect_uri", finhub_testkit::REDIRECT),
    ];
    // No org_code; then no x-api-tran-id: invalid_request, the code unspent.
    let r = app.form("/oauth/2.0/token", &base).await;
    oauth_error(&r, StatusCode::BAD_REQUEST, "invalid_request");
    let mut with_org = base.to_vec();
    with_org.push(("org_code", KB));
    let r = app.form("/oauth/2.0/token", &with_org).await;
    oauth_error(&r, StatusCode::BAD_REQUEST, "invalid_request");
    // A wrong secret is 400 invalid_client in MyData.
    let bad = finhub_testkit::Client {
        secret: "wrong".into(),
        ..op.client.clone()
    };
    let r = app.operator_of(bad).exchange(KB, &code).await;
    oauth_error(&r, StatusCode::BAD_REQUEST, "invalid_client");
    assert!(r.headers.get(header::WWW_AUTHENTICATE).is_none());
    let r = op.exchange(KB, "no-such-code").await;
    oauth_error(&r, StatusCode::BAD_REQUEST, "invalid_grant");
    let r = op
        .form("/oauth/2.0/token", KB, &[("grant_type", "magic")])
        .await;
    oauth_error(&r, StatusCode::BAD_REQUEST, "unsupported_grant_type");
    let r = op.exchange(KB, &code).await;
    assert_eq!(r.status, StatusCode::OK, "{r}");
}

#[tokio::test]
async fn refresh_rotates_and_keeps_the_consent_revoke_ends_both_and_it() {
    let app = spawn_app().await;
    let (op, p, _) = world(&app).await;
    let mut s = op.consent(&p.person_id, KB, "bank.deposit", None).await;
    let fam = app.app.oauth.verify_access(&s.access).unwrap().fam.unwrap();
    let (old_access, old_refresh) = (s.access.clone(), s.refresh.clone());

    let r = s.refresh().await;
    assert_eq!(r.status, StatusCode::OK, "{r}");
    assert_eq!(r.body["scope"], "bank.list bank.deposit");
    assert_eq!(r.body["refresh_token_expires_in"], 365 * 24 * 3600);
    assert_ne!(s.refresh, old_refresh);
    assert_ne!(s.access, old_access);
    let claims = app.app.oauth.verify_access(&s.access).unwrap();
    assert_eq!(claims.fam.as_deref(), Some(fam.as_str()), "same consent");
    assert!(app
        .store
        .consent(&fam)
        .await
        .unwrap()
        .unwrap()
        .revoked_at
        .is_none());

    // Revoke: 00000; access and refresh both dead; the consent revoked.
    let r = s.revoke().await;
    assert_eq!(r.status, StatusCode::OK, "{r}");
    assert_eq!(
        r.json(),
        serde_json::json!({"rsp_code": "00000", "rsp_msg": r.body["rsp_msg"]})
    );
    assert!(r.body["rsp_msg"].is_string());
    assert!(app.app.oauth.verify_access(&s.access).is_err());
    assert!(app.app.oauth.verify_access(&old_access).is_err());
    let again = s.refresh().await;
    oauth_error(&again, StatusCode::BAD_REQUEST, "invalid_grant");
    let c = app.store.consent(&fam).await.unwrap().unwrap();
    assert!(c.revoked_at.is_some());
    // An unknown or already revoked token: 200 00000 too.
    let r = s.revoke().await;
    assert_eq!(r.body["rsp_code"], "00000", "{r}");
    let r = op
        .form("/oauth/2.0/revoke", KB, &[("token", "not-a-token")])
        .await;
    assert_eq!(
        (r.status, r.body["rsp_code"].as_str()),
        (StatusCode::OK, Some("00000"))
    );
}

#[tokio::test]
async fn the_sandbox_clock_expires_access_after_90_days_and_refresh_after_a_year() {
    let app = spawn_app().await;
    let (op, p, _) = world(&app).await;
    let mut s = op.consent(&p.person_id, CARD, "card.card", None).await;
    app.advance(90 * 24 * 3600 + 1).await;
    assert!(app.app.oauth.verify_access(&s.access).is_err());
    let r = s.refresh().await;
    assert_eq!(r.status, StatusCode::OK, "{r}");
    assert!(app.app.oauth.verify_access(&s.access).is_ok());
    app.advance(366 * 24 * 3600).await;
    let r = s.refresh().await;
    oauth_error(&r, StatusCode::BAD_REQUEST, "invalid_grant");
}

//! mydata clients (mydata-sandbox.md §1): org codes, scopes, app schemes,
//! the support client and its `manage` token; institutions' industries (§2).

use axum::http::{Method, StatusCode};
use finhub_testkit::mydata::SCOPES;
use finhub_testkit::{assert_error, spawn_app, TestApp, REDIRECT};
use serde_json::{json, Value};

async fn register(app: &TestApp, body: Value) -> finhub_testkit::Resp {
    app.admin(Method::POST, "/sandbox/clients", Some(body))
        .await
}

async fn client_count(app: &TestApp) -> usize {
    let r = app.admin(Method::GET, "/sandbox/clients", None).await;
    r.body["clients"].as_array().unwrap().len()
}

#[tokio::test]
async fn mydata_clients_have_ten_character_org_codes_and_mydata_scopes() {
    let app = spawn_app().await;
    let op = app.operator("가계부").await;
    let org = &op.client.org;
    assert!(
        org.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()),
        "{org}"
    );
    let r = register(
        &app,
        json!({"profile": "mydata", "name": "x", "scopes": SCOPES.to_vec(),
        "redirect_uris": [REDIRECT], "org_code": "OPERATOR01"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{r}");
    assert_eq!(r.body["org_code"], "OPERATOR01");
    assert_eq!(r.body["scopes"].as_array().unwrap().len(), 34);
    let before = client_count(&app).await;
    for body in [
        json!({"profile": "mydata", "name": "x", "scopes": ["bank.list"], "org_code": "op00000001"}),
        json!({"profile": "mydata", "name": "x", "scopes": ["bank.list"], "org_code": "OP1"}),
        json!({"profile": "mydata", "name": "x", "scopes": ["bank.list", "login"]}),
        json!({"profile": "mydata", "name": "x", "scopes": ["manage", "bank.list"]}),
        json!({"profile": "mydata", "name": "x", "scopes": ["manage"], "redirect_uris": [REDIRECT]}),
        json!({"profile": "mydata", "name": "x", "scopes": ["bank.list"], "app_schemes": ["a b"]}),
    ] {
        let r = register(&app, body.clone()).await;
        assert_error(&r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    }
    assert_eq!(
        client_count(&app).await,
        before,
        "a refused registration writes nothing"
    );
}

#[tokio::test]
async fn a_registered_app_scheme_is_checked_and_none_registered_takes_any() {
    let app = spawn_app().await;
    let r = register(
        &app,
        json!({"profile": "mydata", "name": "앱", "scopes": SCOPES.to_vec(),
        "redirect_uris": [REDIRECT], "app_schemes": ["mydataapp://auth"]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{r}");
    assert_eq!(r.body["app_schemes"], json!(["mydataapp://auth"]));
    let c = finhub_testkit::Client {
        id: r.body["client_id"].as_str().unwrap().into(),
        secret: r.body["client_secret"].as_str().unwrap().into(),
        org: r.body["org_code"].as_str().unwrap().into(),
        cntr: String::new(),
    };
    let op = app.operator_of(c);
    let tran = op.tran_id();
    let good = op.authorize_uri("BA00000004", "s", &[("app_scheme", "mydataapp://auth")]);
    assert_eq!(op.open(&good, &tran, &[]).await.status, StatusCode::OK);
    let bad = op.authorize_uri("BA00000004", "s", &[("app_scheme", "other://x")]);
    let r = op.open(&bad, &tran, &[]).await;
    assert_eq!(r.redirect_query()["error"], "invalid_request");
}

#[tokio::test]
async fn the_support_client_gets_a_manage_token_at_mgmts_and_nothing_else_does() {
    let app = spawn_app().await;
    let s = app.support("포털 연동").await;
    assert_eq!(s.grant["token_type"], "Bearer");
    assert_eq!(s.grant["scope"], "manage");
    assert!(s.grant["expires_in"].as_i64().unwrap() > 0);
    assert!(s.grant.get("refresh_token").is_none(), "{}", s.grant);
    let claims = app.app.oauth.verify_access(&s.token).unwrap();
    assert_eq!(claims.scope, ["manage"]);
    assert!(claims.fam.is_none() && claims.sub.is_none());

    let c = app.support_client("포털 2").await;
    let cc = ("grant_type", "client_credentials");
    for (fields, error) in [
        (vec![cc, ("scope", "bank.list")], "invalid_scope"),
        (vec![cc], "invalid_scope"),
        (
            vec![("grant_type", "password"), ("scope", "manage")],
            "unsupported_grant_type",
        ),
    ] {
        let r = app.support_token_request(&c, &fields).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{r}");
        assert_eq!(r.json()["error"], error, "{fields:?}");
    }
    let wrong = finhub_testkit::Client {
        secret: "nope".into(),
        ..c.clone()
    };
    let r = app
        .support_token_request(&wrong, &[cc, ("scope", "manage")])
        .await;
    assert_eq!(
        (r.status, r.error()),
        (StatusCode::BAD_REQUEST, "invalid_client".into())
    );
    let op = app.operator("서비스").await;
    let r = app
        .support_token_request(&op.client, &[cc, ("scope", "manage")])
        .await;
    assert_eq!(
        (r.status, r.error()),
        (StatusCode::BAD_REQUEST, "unauthorized_client".into())
    );
    assert_eq!(r.headers["x-api-tran-id"].len(), 25);
}

#[tokio::test]
async fn every_institution_names_its_mydata_industry() {
    let app = spawn_app().await;
    let r = app.admin(Method::GET, "/sandbox/institutions", None).await;
    assert_eq!(r.status, StatusCode::OK, "{r}");
    let all = r.body["institutions"].as_array().unwrap();
    let of = |code: &str| {
        all.iter().find(|i| i["org_code"] == code).unwrap()["industry"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(of("BA00000004"), "bank");
    assert_eq!(of("CD00000001"), "card");
    assert_eq!(of("IS00000001"), "insu");
    assert_eq!(of("GI00000001"), "ginsu");
    assert_eq!(of("UR00000001"), "usury");
    for industry in [
        "bank", "card", "invest", "insu", "efin", "capital", "ginsu", "telecom", "p2p", "bond",
        "usury",
    ] {
        assert!(all.iter().any(|i| i["industry"] == industry), "{industry}");
    }
}

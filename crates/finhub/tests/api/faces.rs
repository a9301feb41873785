//! The faces are mounted: each answers its own paths in its own envelope.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use finhub_testkit::*;

#[tokio::test]
async fn kftc_owns_unknown_paths_under_v2_and_the_shell_the_rest() {
    let app = spawn_app().await;
    let r = app.get("/v2.0/no/such/api").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["rsp_code"], "O0005", "{}", r.text);
    let r = app.get("/no/such/api").await;
    assert_error(&r, StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn a_kftc_client_gets_its_contract_account() {
    let app = spawn_app().await;
    let r = app
        .admin_raw(
            Method::POST,
            "/sandbox/clients",
            Some(r#"{"profile":"kftc","name":"핀테크","redirect_uris":["http://localhost:3000/cb"],"scopes":["login","inquiry","transfer","oob"]}"#),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    for key in ["cntr_account_num", "cntr_bank_code_std", "wd_pass_phrase"] {
        assert!(r.body.get(key).is_some(), "{key} missing: {}", r.text);
    }
    assert_eq!(r.body["org_code"].as_str().unwrap().len(), 10, "{}", r.text);

    // Its 2-legged token is a KFTC token (client_use_code in the answer).
    let form = format!(
        "grant_type=client_credentials&client_id={}&client_secret={}&scope=oob",
        r.body["client_id"].as_str().unwrap(),
        r.body["client_secret"].as_str().unwrap()
    );
    let t = app
        .send(
            Request::post("/oauth/2.0/token")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(form))
                .unwrap(),
        )
        .await;
    assert_eq!(t.status, StatusCode::OK, "{}", t.text);
    assert!(t.body["access_token"].is_string(), "{}", t.text);
    assert_eq!(t.body["client_use_code"], r.body["org_code"], "{}", t.text);
}

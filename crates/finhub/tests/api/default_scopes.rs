//! `POST /sandbox/clients` without `scopes` registers the profile's standard
//! scopes, the same ones the demo clients get; an explicit `[]` is still refused.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use finhub_oauth::Profile;
use finhub_testkit::*;
use serde_json::Value;

async fn token(app: &TestApp, client: &Value, scope: &str) -> Resp {
    let form = serde_urlencoded::to_string([
        ("grant_type", "client_credentials"),
        ("client_id", client["client_id"].as_str().unwrap()),
        ("client_secret", client["client_secret"].as_str().unwrap()),
        ("scope", scope),
    ])
    .unwrap();
    app.send(
        Request::post("/oauth/2.0/token")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(form))
            .unwrap(),
    )
    .await
}

async fn create_without_scopes(app: &TestApp, profile: &str) -> Value {
    let body = format!(r#"{{"profile":"{profile}","name":"기본 앱"}}"#);
    let r = app
        .admin_raw(Method::POST, "/sandbox/clients", Some(&body))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.body
}

fn standard(app: &TestApp, p: Profile) -> Vec<String> {
    finhub::sandbox::clients::standard_scopes(&app.app.profiles, p)
}

#[tokio::test]
async fn a_client_without_scopes_gets_the_standard_ones_and_a_token_with_them() {
    let app = spawn_app().await;
    let c = create_without_scopes(&app, "mydata").await;
    let want = standard(&app, Profile::Mydata);
    assert!(!want.is_empty());
    assert_eq!(c["scopes"], serde_json::json!(want), "{c}");
    let t = token(&app, &c, &want.join(" ")).await;
    assert_eq!(t.status, StatusCode::OK, "{}", t.text);
    assert_eq!(t.body["scope"], want.join(" "), "{}", t.text);
}

#[tokio::test]
async fn a_kftc_client_without_scopes_gets_the_kftc_ones() {
    let app = spawn_app().await;
    let c = create_without_scopes(&app, "kftc").await;
    let want = standard(&app, Profile::Kftc);
    assert_eq!(c["scopes"], serde_json::json!(want), "{c}");
    // Its contract account is provisioned as for any KFTC client.
    assert!(c.get("cntr_account_num").is_some(), "{c}");
    // A 2-legged KFTC token carries the standard scopes it may (oob, sa).
    let two_legged: Vec<&str> = ["oob", "sa"]
        .into_iter()
        .filter(|s| want.iter().any(|w| w == s))
        .collect();
    assert_eq!(two_legged, ["oob", "sa"]);
    let t = token(&app, &c, &two_legged.join(" ")).await;
    assert_eq!(t.status, StatusCode::OK, "{}", t.text);
    assert!(t.body["access_token"].is_string(), "{}", t.text);
}

#[tokio::test]
async fn the_demo_clients_get_the_same_standard_scopes() {
    let app = spawn_app().await;
    let s = finhub::sandbox::SandboxState {
        world: app.app.world.clone(),
        store: app.store.clone(),
        oauth: app.app.oauth.clone(),
        profiles: app.app.profiles.clone(),
    };
    let demo = finhub::demo::ensure_demo(&s, 1).await.unwrap();
    assert_eq!(demo.clients.len(), Profile::ALL.len());
    for c in &demo.clients {
        let p = Profile::parse(c["profile"].as_str().unwrap()).unwrap();
        assert_eq!(c["scopes"], serde_json::json!(standard(&app, p)), "{c:?}");
    }
}

#[tokio::test]
async fn explicit_empty_scopes_are_still_refused() {
    let app = spawn_app().await;
    let r = app
        .admin_raw(
            Method::POST,
            "/sandbox/clients",
            Some(r#"{"profile":"kftc","name":"a","scopes":[]}"#),
        )
        .await;
    assert_error(&r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
}

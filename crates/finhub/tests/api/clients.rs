use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use finhub_testkit::*;

async fn client_count(app: &TestApp) -> usize {
    app.app.oauth.list_clients().await.unwrap().len()
}

#[tokio::test]
async fn registers_a_client_whose_secret_gets_a_token() {
    let app = spawn_app().await;
    let r = app
        .admin_raw(
            Method::POST,
            "/sandbox/clients",
            Some(r#"{"profile":"mydata","name":"가계부 앱","redirect_uris":["https://app.example/cb"],"scopes":["bank.list","card.list"]}"#),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["profile"], "mydata");
    assert_eq!(r.body["name"], "가계부 앱");
    assert!(r.body["org_code"].as_str().is_some_and(|s| !s.is_empty()));
    assert_eq!(
        r.body["scopes"],
        serde_json::json!(["bank.list", "card.list"])
    );
    let id = r.body["client_id"].as_str().unwrap().to_owned();
    let secret = r.body["client_secret"].as_str().unwrap().to_owned();

    let form = format!(
        "grant_type=client_credentials&client_id={id}&client_secret={secret}&scope=bank.list"
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
    let token = t.body["access_token"].as_str().unwrap();
    let claims = app.app.oauth.verify_access(token).unwrap();
    assert_eq!(claims.client_id, id);

    let r = app.admin_raw(Method::GET, "/sandbox/clients", None).await;
    assert_eq!(r.status, StatusCode::OK);
    let listed = r.body["clients"].as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["client_id"], id.as_str());
    assert!(listed[0].get("client_secret").is_none());
    assert!(!r.text.contains(&secret));
}

#[tokio::test]
async fn bad_client_requests_register_nothing() {
    let app = spawn_app().await;
    let cases: &[(&str, StatusCode)] = &[
        ("{", StatusCode::BAD_REQUEST),
        (
            r#"{"name":"a","scopes":["x"]}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            r#"{"profile":"kftc","scopes":["x"]}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            r#"{"profile":"swift","name":"a","scopes":["x"]}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            r#"{"profile":"kftc","name":"a","scopes":"login"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            r#"{"profile":"kftc","name":"a","scopes":[]}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            r#"{"profile":"kftc","name":"","scopes":["login"]}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            r#"{"profile":"kftc","name":"a","scopes":["login"],"redirect_uris":["not a uri"]}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            r#"{"profile":"kftc","name":"a","scopes":["bad scope"]}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ];
    for (body, status) in cases {
        let r = app
            .admin_raw(Method::POST, "/sandbox/clients", Some(body))
            .await;
        assert_eq!(r.status, *status, "{body}: {}", r.text);
        assert!(
            r.body["error"].is_string() && r.body["message"].is_string(),
            "{}",
            r.text
        );
    }
    let r = app
        .send(
            Request::post("/sandbox/clients")
                .header("content-type", "application/json")
                .body(Body::from(
                    r#"{"profile":"kftc","name":"a","scopes":["login"]}"#,
                ))
                .unwrap(),
        )
        .await;
    assert_error(&r, StatusCode::UNAUTHORIZED, "unauthorized");
    assert_eq!(client_count(&app).await, 0);
}

#[tokio::test]
async fn the_demo_world_is_built_once() {
    let app = spawn_app().await;
    let s = finhub::sandbox::SandboxState {
        world: app.app.world.clone(),
        store: app.store.clone(),
        oauth: app.app.oauth.clone(),
        profiles: app.app.profiles.clone(),
    };
    let demo = finhub::demo::ensure_demo(&s, 5).await.unwrap();
    assert_eq!(demo.seeded.unwrap().people, 5);
    assert_eq!(demo.clients.len(), 5);
    for c in &demo.clients {
        assert!(c["client_secret"].as_str().is_some_and(|s| s.len() >= 32));
    }
    assert_eq!(app.people_count().await, 5);
    let again = finhub::demo::ensure_demo(&s, 5).await.unwrap();
    assert!(again.seeded.is_none() && again.clients.is_empty());
    assert_eq!(app.people_count().await, 5);
    assert_eq!(client_count(&app).await, 5);
    use finhub_core::repo::LedgerRepo;
    let totals = app.store.balance_totals().await.unwrap();
    assert!(totals.iter().all(|(_, sum)| *sum == 0), "{totals:?}");
}

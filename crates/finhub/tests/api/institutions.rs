use axum::http::{Method, StatusCode};
use finhub_core::institution::ServiceStatus;
use finhub_testkit::*;

#[tokio::test]
async fn lists_the_default_institutions() {
    let app = spawn_app().await;
    let r = app
        .admin_raw(Method::GET, "/sandbox/institutions", None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let all = r.body["institutions"].as_array().unwrap();
    let kb = all.iter().find(|i| i["bank_code_std"] == "004").unwrap();
    assert_eq!(kb["org_code"], "BA00000004");
    assert_eq!(kb["status"], "active");
    assert!(all.iter().any(|i| i["kind"] == "card"));
}

#[tokio::test]
async fn sets_an_outage_by_bank_or_org_code() {
    let app = spawn_app().await;
    let r = app
        .admin_raw(
            Method::PUT,
            "/sandbox/institutions/004/status",
            Some(r#"{"status":"outage"}"#),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["status"], "outage");
    let inst = app.app.world.institution("BA00000004").await.unwrap();
    assert_eq!(inst.status, ServiceStatus::Outage);

    let r = app
        .admin_raw(
            Method::PUT,
            "/sandbox/institutions/BA00000004/status",
            Some(r#"{"status":"active"}"#),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let inst = app.app.world.institution("BA00000004").await.unwrap();
    assert_eq!(inst.status, ServiceStatus::Active);
}

#[tokio::test]
async fn bad_status_changes_are_refused() {
    let app = spawn_app().await;
    let r = app
        .admin_raw(
            Method::PUT,
            "/sandbox/institutions/004/status",
            Some(r#"{"status":"broken"}"#),
        )
        .await;
    assert_error(&r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    let r = app
        .admin_raw(
            Method::PUT,
            "/sandbox/institutions/004/status",
            Some(r#"{"status":1}"#),
        )
        .await;
    assert_error(&r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    let r = app
        .admin_raw(
            Method::PUT,
            "/sandbox/institutions/999/status",
            Some(r#"{"status":"outage"}"#),
        )
        .await;
    assert_error(&r, StatusCode::NOT_FOUND, "not_found");
    let inst = app.app.world.institution("BA00000004").await.unwrap();
    assert_eq!(inst.status, ServiceStatus::Active);
}

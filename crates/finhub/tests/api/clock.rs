use axum::http::{Method, StatusCode};
use chrono::{DateTime, Utc};
use finhub_testkit::*;

fn parse(v: &serde_json::Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(v.as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

#[tokio::test]
async fn the_clock_moves_forward_and_can_be_set() {
    let app = spawn_app().await;
    let before = app.app.world.clock.now();
    let r = app
        .admin_raw(
            Method::POST,
            "/sandbox/clock",
            Some(r#"{"advance_seconds":86400}"#),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let after = parse(&r.body["now"]);
    assert!((after - before).num_seconds() >= 86399);
    assert!((app.app.world.clock.now() - before).num_seconds() >= 86400);

    let r = app
        .admin_raw(
            Method::POST,
            "/sandbox/clock",
            Some(r#"{"now":"2030-01-02T03:04:05Z"}"#),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let at: DateTime<Utc> = "2030-01-02T03:04:05Z".parse().unwrap();
    assert!((parse(&r.body["now"]) - at).num_seconds().abs() < 2);
    assert!((app.app.world.clock.now() - at).num_seconds().abs() < 2);

    let r = app.admin_raw(Method::GET, "/sandbox/clock", None).await;
    assert!((parse(&r.body["now"]) - at).num_seconds().abs() < 2);
}

#[tokio::test]
async fn bad_clock_changes_leave_it_alone() {
    let app = spawn_app().await;
    for body in [
        r#"{}"#,
        r#"{"advance_seconds":1,"now":"2030-01-01T00:00:00Z"}"#,
        r#"{"advance_seconds":"soon"}"#,
        r#"{"advance_seconds":99999999999999}"#,
        r#"{"now":"tomorrow"}"#,
        r#"{"now":"9999-01-01T00:00:00Z"}"#,
    ] {
        let r = app
            .admin_raw(Method::POST, "/sandbox/clock", Some(body))
            .await;
        assert_error(&r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    }
    let drift = (app.app.world.clock.now() - Utc::now()).num_seconds().abs();
    assert!(drift < 2, "clock moved by {drift}s");
}

//! The seed's error enum: every code is produced by some test of the face,
//! and a store that is gone answers `ERROR` in the registry's body.

use axum::http::StatusCode;
use finhub_oris::codes::Code;
use finhub_testkit::oris::assert_oris;
use finhub_testkit::spawn_app;

#[tokio::test]
async fn a_store_that_is_gone_is_error_with_503_and_nothing_else() {
    let app = spawn_app().await;
    let staff = app.oris_staff(None).await;
    app.store.db().close().await;
    let r = staff.get("/api/oris/v1/terms").await;
    assert_oris(&r, StatusCode::SERVICE_UNAVAILABLE, "ERROR");
    let r = app.oris_login("a@b.example", "Sandbox!2026", None).await;
    assert_oris(&r, StatusCode::SERVICE_UNAVAILABLE, "ERROR");
}

/// Each code's word appears, quoted, among the assertions of the face's
/// tests (these files and the assembled server's ORIS suites).
#[test]
fn every_code_of_the_enum_is_asserted_by_a_test() {
    let here = concat!(env!("CARGO_MANIFEST_DIR"), "/tests");
    let server = concat!(env!("CARGO_MANIFEST_DIR"), "/../finhub/tests");
    let mut text = String::new();
    for dir in [
        here.to_owned(),
        format!("{server}/authz"),
        format!("{server}/input"),
    ] {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if dir == here || name == "oris.rs" {
                text.push_str(&std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    let missing: Vec<&str> = Code::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|w| !text.contains(&format!("\"{w}\"")))
        .collect();
    assert!(missing.is_empty(), "codes no test asserts: {missing:?}");
}

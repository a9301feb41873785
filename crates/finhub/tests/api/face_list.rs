//! What the assembly derives from its list of faces: every document at
//! `/openapi/{face}.json` and in the `/openapi` index, the docs page over
//! them (served from the binary, nothing from outside), and each face's
//! prefixes answered by its own fallback.

use axum::http::{header, StatusCode};
use finhub_testkit::*;
use serde_json::Value;

fn face_names(app: &TestApp) -> Vec<&'static str> {
    let store = &app.store;
    finhub::app::faces(store, &app.app.world, &app.app.oauth, &Default::default())
        .iter()
        .map(|f| f.name)
        .collect()
}

#[tokio::test]
async fn the_kftc_document_is_served_as_the_face_builds_it() {
    let app = spawn_app().await;
    let r = app.get("/openapi/kftc.json").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.headers[header::CONTENT_TYPE], "application/json");
    let want = serde_json::to_value(finhub_kftc::openapi()).unwrap();
    assert_eq!(r.body, want);
    assert!(r.body["openapi"].as_str().unwrap().starts_with("3.1"));
}

#[tokio::test]
async fn the_index_lists_every_face_with_its_document_and_prefixes() {
    let app = spawn_app().await;
    let names = face_names(&app);
    assert!(names.contains(&"kftc"));
    let r = app.get("/openapi").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let listed = r.body["faces"].as_array().unwrap();
    let listed_names: Vec<&str> = listed.iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(listed_names, names);
    for f in listed {
        let url = f["url"].as_str().unwrap();
        assert_eq!(
            url,
            format!("/openapi/{}.json", f["name"].as_str().unwrap())
        );
        let doc = app.get(url).await;
        assert_eq!(doc.status, StatusCode::OK, "{url}");
        assert!(doc.body["paths"].is_object(), "{url}");
    }
    let kftc = listed.iter().find(|f| f["name"] == "kftc").unwrap();
    assert_eq!(kftc["prefixes"], serde_json::json!(["/v2.0/"]));
}

#[tokio::test]
async fn the_docs_page_names_every_document_and_loads_nothing_from_outside() {
    let app = spawn_app().await;
    for path in ["/docs", "/docs/"] {
        let r = app.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text);
        let ct = r.headers[header::CONTENT_TYPE].to_str().unwrap();
        assert!(ct.starts_with("text/html"), "{ct}");
        for name in face_names(&app) {
            assert!(
                r.text.contains(&format!("/openapi/{name}.json")),
                "{}",
                r.text
            );
        }
        assert!(
            !r.text.contains("http://") && !r.text.contains("https://"),
            "{}",
            r.text
        );
        assert!(
            !r.text.contains("//cdn") && !r.text.contains("src=\"//"),
            "{}",
            r.text
        );
    }
}

/// Every file the page refers to is served here.
#[tokio::test]
async fn the_docs_assets_are_served_locally() {
    let app = spawn_app().await;
    let page = app.get("/docs").await.text;
    let refs: Vec<&str> = page
        .split(['"', '\''])
        .filter(|s| s.starts_with("/docs/"))
        .collect();
    assert!(
        refs.iter().any(|r| r.ends_with("swagger-ui-bundle.js")),
        "{page}"
    );
    assert!(refs.iter().any(|r| r.ends_with(".css")), "{page}");
    for path in refs {
        let r = app.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert!(!r.text.is_empty(), "{path}");
    }
    let r = app.get("/docs/swagger-ui-bundle.js").await;
    let ct = r.headers[header::CONTENT_TYPE].to_str().unwrap();
    assert!(ct.contains("javascript"), "{ct}");
    let r = app.get("/docs/no-such-file.js").await;
    assert_error(&r, StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn prefixes_come_from_the_list() {
    let app = spawn_app().await;
    // Under a face's prefix, its own fallback answers.
    let r = app.get("/v2.0/x").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["rsp_code"], "O0005", "{}", r.text);
    // Elsewhere, the shell's JSON 404.
    let r = app.get("/nope").await;
    assert_error(&r, StatusCode::NOT_FOUND, "not_found");
    assert_eq!(r.body.get("rsp_code"), None::<&Value>);
}

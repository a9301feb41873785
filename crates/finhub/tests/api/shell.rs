use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use finhub_testkit::*;

#[tokio::test]
async fn healthz_answers_ok_with_a_request_id() {
    let app = spawn_app().await;
    let r = app.get("/healthz").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["status"], "ok");
    assert!(r.headers.get("x-request-id").is_some());
}

#[tokio::test]
async fn request_id_is_on_every_response_and_kept_when_given() {
    let app = spawn_app().await;
    for r in [
        app.get("/healthz").await,
        app.get("/no/such/path").await,
        app.get("/sandbox/people").await,
        app.admin_raw(Method::POST, "/sandbox/people", Some("{"))
            .await,
        app.admin_raw(Method::GET, "/sandbox/institutions", None)
            .await,
    ] {
        assert!(
            r.headers.get("x-request-id").is_some_and(|v| !v.is_empty()),
            "{} {}",
            r.status,
            r.text
        );
    }
    let r = app
        .send(
            Request::get("/healthz")
                .header("x-request-id", "my-trace-1")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.headers.get("x-request-id").unwrap(), "my-trace-1");
}

#[tokio::test]
async fn unknown_paths_are_json_404() {
    let app = spawn_app().await;
    let r = app.get("/nowhere").await;
    assert_error(&r, StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn metrics_expose_the_request_counter() {
    let app = spawn_app().await;
    app.get("/healthz").await;
    let r = app.get("/metrics").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("finhub_http_requests_total"), "{}", r.text);
    assert!(r.text.contains("path=\"/healthz\""), "{}", r.text);
    assert!(
        r.text.contains("finhub_http_request_duration_seconds"),
        "{}",
        r.text
    );
}

#[tokio::test]
async fn serves_over_a_real_port() {
    let app = spawn_app().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let router = app.router();
    let server = tokio::spawn(async move {
        axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await
    });
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut out = String::new();
    stream.read_to_string(&mut out).await.unwrap();
    assert!(out.starts_with("HTTP/1.1 200"), "{out}");
    assert!(out.to_ascii_lowercase().contains("x-request-id"), "{out}");
    tx.send(()).unwrap();
    server.await.unwrap().unwrap();
}

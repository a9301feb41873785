//! The layers around the assembled router, outermost first:
//! request id → sensitive headers → trace → guard (body size and deadline,
//! error envelopes) → panic → timeout, plus route metrics and a JSON 404
//! fallback.

use crate::error::{code_for, json_error};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, Response as HttpResponse, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use http_body::{Body as HttpBody, Frame, SizeHint};
use std::any::Any;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::sensitive_headers::{
    SetSensitiveRequestHeadersLayer, SetSensitiveResponseHeadersLayer,
};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tracing::Span;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// A face's envelope for a refusal the shell makes (413, 408, 504, 500, ...):
/// the status stays, the body is the face's own error shape.
pub type FaceError = fn(StatusCode, &str) -> Response;

#[derive(Debug, Clone)]
pub struct ShellConfig {
    pub body_limit_bytes: usize,
    pub timeout: Duration,
    /// The whole request body must arrive within this (a client that stops
    /// sending, or trickles, is answered 408 and let go).
    pub body_timeout: Duration,
    /// Path prefix → the face answering there; the first match wins,
    /// other paths get the shell's own envelope.
    pub envelopes: Vec<(&'static str, FaceError)>,
    /// Path prefix → a body limit of its own (the first match wins); other
    /// paths have `body_limit_bytes`.
    pub body_limits: Vec<(&'static str, usize)>,
}

impl Default for ShellConfig {
    fn default() -> Self {
        ShellConfig {
            body_limit_bytes: 1 << 20,
            timeout: Duration::from_secs(30),
            body_timeout: Duration::from_secs(10),
            envelopes: Vec::new(),
            body_limits: Vec::new(),
        }
    }
}

/// Wrap the fully assembled router (every face merged, state applied).
/// This fallback answers unknown paths outside every face's prefixes (under
/// them, the face's own fallback does: see `face::router`).
pub fn wrap(router: Router, cfg: &ShellConfig) -> Router {
    crate::metrics::handle();
    let sensitive: std::sync::Arc<[HeaderName]> = vec![
        header::AUTHORIZATION,
        header::PROXY_AUTHORIZATION,
        header::COOKIE,
    ]
    .into();
    // Router::layer applies bottom-up: the last call is the outermost layer.
    // Each call also brings the body types back to axum's, so the layers compose.
    router
        .route_layer(middleware::from_fn(crate::metrics::track))
        .fallback(not_found)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::GATEWAY_TIMEOUT,
            cfg.timeout,
        ))
        .layer(CatchPanicLayer::custom(on_panic))
        .layer(middleware::from_fn_with_state(Arc::new(cfg.clone()), guard))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
                .layer(PropagateRequestIdLayer::new(REQUEST_ID))
                .layer(SetSensitiveRequestHeadersLayer::from_shared(sensitive))
                .layer(SetSensitiveResponseHeadersLayer::new([header::SET_COOKIE]))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(make_span)
                        .on_request(())
                        .on_response(on_response)
                        .on_failure(()),
                ),
        )
}

/// The span of one request: method, path (never the query, which may carry
/// codes) and request id. Headers and bodies are never recorded.
fn make_span(req: &Request) -> Span {
    let request_id = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    tracing::info_span!(
        "http",
        method = %req.method(),
        path = %req.uri().path(),
        request_id = %request_id,
    )
}

fn on_response(resp: &Response, latency: Duration, _span: &Span) {
    tracing::info!(
        status = resp.status().as_u16(),
        latency_ms = latency.as_millis() as u64,
        "response"
    );
}

async fn not_found(req: Request) -> Response {
    let start = Instant::now();
    let resp = json_error(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("no route for {} {}", req.method(), req.uri().path()),
    );
    crate::metrics::record(req.method().as_str(), "unmatched", 404, start);
    resp
}

const TRIP_NONE: u8 = 0;
const TRIP_TOO_LARGE: u8 = 1;
const TRIP_TIMED_OUT: u8 = 2;

/// Bound the request body (size and arrival deadline) and put the shell's
/// refusals and bare error responses (405, 413, 408, 504, 500, ...) into the
/// envelope of the face the path belongs to. Responses a handler shaped are
/// left alone, unless the body it read was cut off: then the refusal wins,
/// whatever the handler made of the broken body.
async fn guard(State(cfg): State<Arc<ShellConfig>>, req: Request, next: Next) -> Response {
    let face = cfg
        .envelopes
        .iter()
        .find(|(prefix, _)| req.uri().path().starts_with(prefix))
        .map(|(_, f)| *f);
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    // The declared length, or the body's own known size (in-process callers).
    let known = declared.unwrap_or(req.body().size_hint().lower());
    let limit = cfg
        .body_limits
        .iter()
        .find(|(prefix, _)| req.uri().path().starts_with(prefix))
        .map_or(cfg.body_limit_bytes, |(_, n)| *n);
    if known > limit as u64 {
        return refusal(face, StatusCode::PAYLOAD_TOO_LARGE);
    }
    let trip = Arc::new(AtomicU8::new(TRIP_NONE));
    let req = if req.body().is_end_stream() {
        req
    } else {
        let (deadline, t) = (cfg.body_timeout, trip.clone());
        req.map(move |b| Body::new(GuardedBody::new(b, limit, deadline, t)))
    };
    let resp = next.run(req).await;
    match trip.load(Ordering::Acquire) {
        TRIP_TOO_LARGE => return refusal(face, StatusCode::PAYLOAD_TOO_LARGE),
        TRIP_TIMED_OUT => return refusal(face, StatusCode::REQUEST_TIMEOUT),
        _ => {}
    }
    let status = resp.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return resp;
    }
    let plain = match resp.headers().get(header::CONTENT_TYPE) {
        None => true,
        Some(ct) => ct.as_bytes().starts_with(b"text/plain"),
    };
    if !plain {
        return resp;
    }
    let (mut parts, _) = resp.into_parts();
    let mut fresh = envelope(face, status);
    // Keep headers such as Allow on a 405.
    parts.headers.remove(header::CONTENT_TYPE);
    parts.headers.remove(header::CONTENT_LENGTH);
    for (k, v) in parts.headers.iter() {
        fresh.headers_mut().insert(k.clone(), v.clone());
    }
    fresh
}

fn message(status: StatusCode) -> String {
    match status {
        StatusCode::PAYLOAD_TOO_LARGE => "the request body is too large".to_owned(),
        StatusCode::REQUEST_TIMEOUT => "the request body did not arrive in time".to_owned(),
        StatusCode::GATEWAY_TIMEOUT => "the request took too long".to_owned(),
        StatusCode::METHOD_NOT_ALLOWED => "method not allowed on this path".to_owned(),
        s if s.is_server_error() => "the server could not complete the request".to_owned(),
        s => s.canonical_reason().unwrap_or("error").to_owned(),
    }
}

fn envelope(face: Option<FaceError>, status: StatusCode) -> Response {
    match face {
        Some(f) => f(status, &message(status)),
        None => json_error(status, code_for(status), message(status)),
    }
}

/// A refusal before or while reading the body: the rest of the body is not
/// read, so the connection cannot be reused.
fn refusal(face: Option<FaceError>, status: StatusCode) -> Response {
    let mut resp = envelope(face, status);
    resp.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    resp
}

/// A request body with a size limit and an arrival deadline. Going over
/// either ends the body with an error and records which, for `guard`.
struct GuardedBody {
    inner: Body,
    left: usize,
    deadline: Pin<Box<tokio::time::Sleep>>,
    trip: Arc<AtomicU8>,
}

impl GuardedBody {
    fn new(inner: Body, limit: usize, within: Duration, trip: Arc<AtomicU8>) -> Self {
        GuardedBody {
            inner,
            left: limit,
            deadline: Box::pin(tokio::time::sleep(within)),
            trip,
        }
    }
    fn cut(&self, why: u8, msg: &'static str) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        self.trip.store(why, Ordering::Release);
        Poll::Ready(Some(Err(axum::Error::new(msg))))
    }
}

impl HttpBody for GuardedBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                let n = frame.data_ref().map_or(0, Bytes::len);
                if n > this.left {
                    return this.cut(TRIP_TOO_LARGE, "request body too large");
                }
                this.left -= n;
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Pending => {
                if this.deadline.as_mut().poll(cx).is_ready() {
                    return this.cut(TRIP_TIMED_OUT, "request body timed out");
                }
                Poll::Pending
            }
            done => done,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// A panic answers 500 in JSON; its message goes to the log, never the client.
fn on_panic(err: Box<dyn Any + Send + 'static>) -> HttpResponse<Body> {
    let detail = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("unknown");
    tracing::error!(panic = %detail, "handler panicked");
    // Plain text: `guard` renders it in the face's envelope.
    let mut resp = (
        StatusCode::INTERNAL_SERVER_ERROR,
        "the server could not complete the request",
    )
        .into_response();
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::{get, post};
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    fn app() -> Router {
        let r = Router::new()
            .route("/ok", get(|| async { "ok" }))
            .route("/echo", post(|body: String| async move { body }))
            .route("/big/echo", post(|body: String| async move { body }))
            .route(
                "/boom",
                get(|| async {
                    if true {
                        panic!("secret detail");
                    }
                    "never"
                }),
            )
            .route(
                "/slow",
                get(|| async {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    "late"
                }),
            );
        wrap(
            r,
            &ShellConfig {
                body_limit_bytes: 16,
                timeout: Duration::from_millis(200),
                body_limits: vec![("/big/", 128)],
                ..Default::default()
            },
        )
    }

    async fn call(req: Request) -> (StatusCode, axum::http::HeaderMap, String) {
        let resp = app().oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = resp.into_body().collect().await.unwrap().to_bytes();
        (status, headers, String::from_utf8_lossy(&body).into_owned())
    }

    fn get_req(path: &str) -> Request {
        Request::builder().uri(path).body(Body::empty()).unwrap()
    }

    #[tokio::test]
    async fn request_id_is_set_or_propagated() {
        let (s, h, _) = call(get_req("/ok")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(!h.get(&REQUEST_ID).unwrap().is_empty());
        let req = Request::builder()
            .uri("/ok")
            .header("x-request-id", "abc-123")
            .body(Body::empty())
            .unwrap();
        let (_, h, _) = call(req).await;
        assert_eq!(h.get(&REQUEST_ID).unwrap(), "abc-123");
    }

    fn post_req(uri: &str, n: usize, declared: bool) -> Request {
        let mut b = Request::builder().method("POST").uri(uri);
        if declared {
            b = b.header("content-length", n.to_string());
        }
        b.body(Body::new(http_body_util::StreamBody::new(
            futures::stream::iter([Ok::<_, std::io::Error>(http_body::Frame::data(
                axum::body::Bytes::from("x".repeat(n)),
            ))]),
        )))
        .unwrap()
    }

    #[tokio::test]
    async fn a_prefix_may_take_bodies_past_the_default_limit_up_to_its_own() {
        for declared in [true, false] {
            let (s, _, b) = call(post_req("/big/echo", 100, declared)).await;
            assert_eq!((s, b.len()), (StatusCode::OK, 100));
            let (s, _, _) = call(post_req("/big/echo", 200, declared)).await;
            assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
            let (s, _, _) = call(post_req("/echo", 100, declared)).await;
            assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
        }
    }

    #[tokio::test]
    async fn shell_errors_are_json() {
        let (s, h, b) = call(get_req("/nope")).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        assert!(b.contains("\"not_found\""), "{b}");
        assert!(h.get(&REQUEST_ID).is_some());

        let big = Request::builder()
            .method("POST")
            .uri("/echo")
            .header("content-length", "100")
            .body(Body::from("x".repeat(100)))
            .unwrap();
        let (s, _, b) = call(big).await;
        assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(b.contains("payload_too_large"), "{b}");

        let (s, _, b) = call(get_req("/boom")).await;
        assert_eq!(s, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(b.contains("\"internal\"") && !b.contains("secret"), "{b}");

        let (s, _, b) = call(get_req("/slow")).await;
        assert_eq!(s, StatusCode::GATEWAY_TIMEOUT);
        assert!(b.contains("timeout"), "{b}");

        let wrong = Request::builder()
            .method("DELETE")
            .uri("/ok")
            .body(Body::empty())
            .unwrap();
        let (s, h, b) = call(wrong).await;
        assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED);
        assert!(b.contains("method_not_allowed"), "{b}");
        assert!(h.get(header::ALLOW).is_some());
    }

    #[tokio::test]
    async fn metrics_count_routes() {
        call(get_req("/ok")).await;
        let text = crate::metrics::handle().render();
        assert!(text.contains(crate::metrics::REQUESTS_TOTAL), "{text}");
        assert!(text.contains("path=\"/ok\""), "{text}");
    }
}

//! `GET /healthz` (the store answers, and the node is not draining) and
//! `GET /metrics` (Prometheus text).

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures::future::BoxFuture;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Set once SIGTERM arrived and the node drains: the process has one server.
static DRAINING: AtomicBool = AtomicBool::new(false);

pub(crate) fn start_draining() {
    DRAINING.store(true, Ordering::SeqCst);
}

/// A cheap round trip to the store; the assembly passes `Store::ping`.
pub type Ping = Arc<dyn Fn() -> BoxFuture<'static, Result<(), String>> + Send + Sync>;

pub fn health_router(ping: Ping) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .with_state(ping)
}

async fn healthz(State(ping): State<Ping>) -> Response {
    if DRAINING.load(Ordering::SeqCst) {
        let body = axum::Json(serde_json::json!({"status": "draining"}));
        return (StatusCode::SERVICE_UNAVAILABLE, body).into_response();
    }
    match ping().await {
        Ok(()) => (
            StatusCode::OK,
            axum::Json(serde_json::json!({"status": "ok"})),
        )
            .into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(serde_json::json!({"status": "unavailable"})),
            )
                .into_response()
        }
    }
}

async fn metrics() -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        crate::metrics::handle().render(),
    )
        .into_response()
}

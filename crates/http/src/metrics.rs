//! Prometheus metrics: one recorder per process, a request counter and a
//! latency histogram labelled by method, matched route and status.

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::Instant;

pub const REQUESTS_TOTAL: &str = "finhub_http_requests_total";
pub const REQUEST_DURATION: &str = "finhub_http_request_duration_seconds";

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process-wide recorder, installed on first use.
pub fn handle() -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Full(REQUEST_DURATION.to_owned()),
                &[
                    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
                ],
            )
            .expect("non-empty buckets");
        match builder.install_recorder() {
            Ok(h) => h,
            // Another recorder is installed already (an embedding program's):
            // keep ours local so /metrics still renders.
            Err(_) => PrometheusBuilder::new().build_recorder().handle(),
        }
    })
}

/// Count the request by its route template, not its concrete path, so ids
/// never become label values.
pub async fn track(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().as_str().to_owned();
    let path = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let resp = next.run(req).await;
    record(&method, &path, resp.status().as_u16(), start);
    resp
}

pub fn record(method: &str, path: &str, status: u16, start: Instant) {
    let labels = [
        ("method", method.to_owned()),
        ("path", path.to_owned()),
        ("status", status.to_string()),
    ];
    metrics::counter!(REQUESTS_TOTAL, &labels).increment(1);
    metrics::histogram!(REQUEST_DURATION, &labels).record(start.elapsed().as_secs_f64());
}

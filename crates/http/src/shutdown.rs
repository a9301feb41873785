//! Resolve on SIGTERM or Ctrl-C, for `axum::serve(..).with_graceful_shutdown`.

pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => tracing::info!("ctrl-c received, shutting down"),
        _ = term => tracing::info!("SIGTERM received, shutting down"),
    }
}

/// SIGTERM or Ctrl-C, then `drain` more seconds of serving while /healthz
/// answers 503 (a load balancer's health check takes the node out of its
/// pool), then resolve: the listener closes and open requests finish.
pub async fn drain_then_stop(drain: std::time::Duration) {
    shutdown_signal().await;
    if drain.is_zero() {
        return;
    }
    crate::health::start_draining();
    tracing::info!(seconds = drain.as_secs(), "draining: /healthz answers 503");
    tokio::time::sleep(drain).await;
}

//! The ceiling: a bare axum route returning a small JSON body, served the way
//! `finhub serve` serves (multi-threaded tokio, axum, hyper), with no state.

use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

pub async fn serve(port: u16) -> std::io::Result<()> {
    let app = Router::new().route(
        "/ceiling",
        get(|| async {
            Json(json!({
                "api_tran_id": "2ffd133a-d17a-431d-a6a5",
                "rsp_code": "A0000",
                "rsp_message": "",
                "balance_amt": "1000000"
            }))
        }),
    );
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    eprintln!("ceiling listening on {}", listener.local_addr()?);
    axum::serve(listener, app).await
}

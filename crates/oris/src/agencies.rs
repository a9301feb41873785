//! Agencies (G1–G3) and their API keys (K1).

use crate::OrisState;
use axum::Router;
use utoipa::OpenApi;

pub fn routes() -> Router<OrisState> {
    Router::new()
}

#[derive(OpenApi)]
#[openapi()]
pub struct Doc;

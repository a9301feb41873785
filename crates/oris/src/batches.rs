//! Bulk reporting (B1–B6).

use crate::OrisState;
use axum::Router;
use utoipa::OpenApi;

pub fn routes() -> Router<OrisState> {
    Router::new()
}

#[derive(OpenApi)]
#[openapi()]
pub struct Doc;

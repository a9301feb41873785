//! The bank area.

use crate::KonaState;
use axum::Router;

pub fn routes() -> Router<KonaState> {
    Router::new()
}

#[derive(utoipa::OpenApi)]
#[openapi()]
pub struct Doc;

//! (to be written)

use crate::MydataState;
use axum::Router;

pub(crate) fn routes() -> Router<MydataState> {
    Router::new()
}

#[derive(utoipa::OpenApi)]
#[openapi()]
pub(crate) struct Doc;

//! (to be filled)

use crate::{ObpState, Version};
use axum::Router;

pub fn routes(_v: Version) -> Router<ObpState> {
    Router::new()
}

#[derive(utoipa::OpenApi)]
#[openapi()]
pub struct Doc;

//! Every sandbox route requires `Authorization: Bearer <admin key>`.

use super::error::SandboxError;
use crate::admin_key::AdminKey;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use finhub_http::BearerToken;

pub async fn require_admin(State(key): State<AdminKey>, req: Request, next: Next) -> Response {
    match BearerToken::from_headers(req.headers()) {
        Ok(t) if key.verify(t.as_str()) => next.run(req).await,
        _ => SandboxError::Unauthorized.into_response(),
    }
}

//! The members switches of the Konaplate sandbox.

use crate::sandbox::SandboxState;
use axum::Router;

pub fn routes() -> Router<SandboxState> {
    Router::new()
}

//! The Konaplate platform's sandbox (konaplate-sandbox.md §1, §2): projects
//! with their access keys and crypto keys, and the switches that stand in
//! for what happens outside the API (members, physical cards, delivery).

mod cards;
mod members;
mod projects;

pub use projects::create_project;

use super::error::SandboxError;
use super::SandboxState;
use axum::routing::{delete, get, post, put};
use axum::Router;
use finhub_core::konaplate::{Kona, Refusal};
use std::sync::Arc;

/// The platform over the sandbox's store (the face holds its own, over the
/// same store: nothing here is cached).
pub fn kona(s: &SandboxState) -> Kona {
    Kona::new(
        Arc::new(s.store.clone()),
        s.world.clone(),
        Arc::new(finhub_konaplate::crypto::Josekit),
    )
}

impl From<Refusal> for SandboxError {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::NotFound(what) => Self::NotFound(format!("{what} not found")),
            Refusal::Conflict(m) => Self::Conflict(m),
            Refusal::Store(e) => e.into(),
            Refusal::Invalid(f) | Refusal::Missing(f) | Refusal::Length(f) => {
                Self::invalid(format!("{f} is not valid"))
            }
            r => Self::invalid(r.to_string()),
        }
    }
}

const P: &str = "/sandbox/konaplate/projects";

pub fn routes() -> Router<SandboxState> {
    Router::new()
        .route(P, get(projects::list).post(projects::create))
        .route(&format!("{P}/{{project_id}}"), get(projects::one))
        .route(
            &format!("{P}/{{project_id}}/access-keys"),
            post(projects::add_access_key),
        )
        .route(
            &format!("{P}/{{project_id}}/access-keys/{{access_key}}"),
            put(projects::set_access_key),
        )
        .route(
            &format!("{P}/{{project_id}}/crypto-keys"),
            post(projects::add_crypto_key),
        )
        .route(
            &format!("{P}/{{project_id}}/crypto-keys/{{crypto_key_id}}"),
            delete(projects::discard_crypto_key),
        )
        .merge(members::routes())
        .merge(cards::routes())
}

//! The sandbox admin API under /sandbox: shape the world a test needs.
//! Every route requires the admin key; errors use one JSON envelope.

mod assets;
mod auth;
pub mod authorize;
pub mod clients;
mod clock;
pub mod error;
pub mod extract;
mod institutions;
pub mod integrated;
pub mod konaplate;
mod oris;
pub mod people;

use crate::admin_key::AdminKey;
use axum::routing::{get, post, put};
use axum::{middleware, Router};
use finhub_core::world::World;
use finhub_oauth::{OAuth, Profiles};
use finhub_store::Store;

#[derive(Clone)]
pub struct SandboxState {
    pub world: World,
    pub store: Store,
    pub oauth: OAuth,
    pub profiles: Profiles,
}

pub fn router(state: SandboxState, admin: AdminKey) -> Router {
    Router::new()
        .route("/sandbox/clients", get(clients::list).post(clients::create))
        .route("/sandbox/authorize", post(authorize::authorize))
        .route("/sandbox/integrated-auth", post(integrated::sign))
        .route("/sandbox/institutions", get(institutions::list))
        .route(
            "/sandbox/institutions/{code}/status",
            put(institutions::set_status),
        )
        .route("/sandbox/people", get(people::list).post(people::create))
        .route(
            "/sandbox/people/{person_id}/accounts",
            post(people::open_account),
        )
        .route("/sandbox/people/{person_id}/assets", get(assets::list))
        .route("/sandbox/oris/agencies", post(oris::create_agency))
        .route(
            "/sandbox/oris/users/{user_id}/status",
            put(oris::set_user_status),
        )
        .merge(konaplate::routes())
        .route(
            "/sandbox/clock",
            get(clock::get_clock).post(clock::set_clock),
        )
        .route_layer(middleware::from_fn_with_state(admin, auth::require_admin))
        .with_state(state)
}

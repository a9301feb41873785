//! finhub-konaplate: the Konaplate-style prepaid-card and membership
//! platform face (코나아이 KONA PLATE Open API). Every API is a `POST` of
//! JSON, at the root and again under `/open-api`, behind one transport:
//! the `X-KM-*` headers, the `X-KM-Tran-Token` HMAC, the JWE body and the
//! correlation id as the request's identity.
//!
//! - `catalogue`: every API's id, path and encryption marks.
//! - `transport`, `crypto`: the header checks in order, signatures, JWE.
//! - `extract`, `wire`, `codes`, `error`: fields with the reference's
//!   codes, the `response{code, description}` envelope, KST dates.
//! - One module per area: `members` (U1–U13, L1–L3), `bank` (B1–B10),
//!   `charging` (R1–R6, P2, P3), `cards` (C1–C18, P1).
//! - The `/sandbox/konaplate/...` routes are the binary's, over the same
//!   `Kona`.

mod bank;
mod cards;
pub mod catalogue;
mod charging;
pub mod codes;
pub mod crypto;
pub mod error;
pub mod extract;
mod members;
mod openapi;
pub mod transport;
pub mod wire;

pub use error::shell_error;
pub use openapi::openapi;

use axum::http::{Method, Uri};
use axum::Router;
use finhub_core::konaplate::charging::RECOVER_GRACE_SECS;
use finhub_core::konaplate::{Kona, KonaRepo};
use finhub_core::world::World;
use finhub_http::Face;
use std::sync::Arc;

#[derive(Clone)]
pub struct KonaState {
    pub kona: Kona,
    pub keyring: crypto::Keyring,
}

impl KonaState {
    pub fn new(world: World, repo: Arc<dyn KonaRepo>) -> KonaState {
        KonaState {
            kona: Kona::new(repo, world, Arc::new(crypto::Josekit)),
            keyring: crypto::Keyring::default(),
        }
    }
}

/// The path of a catalogue API, for the areas' routes.
fn at(id: &str) -> &'static str {
    catalogue::by_id(id).path
}

/// The Konaplate face over the one world: what `finhub::app` lists.
/// Money requests a stopped server left half-done are finished in the
/// background.
pub fn face(state: KonaState) -> Face {
    recover_at_start(&state.kona);
    Face {
        name: "konaplate",
        router: routes(state),
        adapter: None,
        prefixes: vec!["/api/v1/", "/api/v2/", "/open-api/"],
        shell_error,
        openapi: openapi(),
        body_limits: vec![],
    }
}

/// One recovery pass now and one once the grace has passed: moves claimed
/// just before the stop only look stale then, and no R- or P-call (which
/// runs a pass too) may come.
fn recover_at_start(kona: &Kona) {
    // Outside a runtime (a document-only assembly) there is nothing to run.
    if tokio::runtime::Handle::try_current().is_err() {
        return;
    }
    let kona = kona.clone();
    let grace = RECOVER_GRACE_SECS.unsigned_abs() + 1;
    tokio::spawn(async move {
        for wait in [0, grace] {
            tokio::time::sleep(std::time::Duration::from_secs(wait)).await;
            match kona.recover_moves().await {
                Ok(r) => {
                    if r.completed + r.failed > 0 {
                        tracing::info!(
                            completed = r.completed,
                            failed = r.failed,
                            "konaplate: recovered unfinished money requests"
                        );
                    }
                    for e in r.errors {
                        tracing::warn!(error = %e, "konaplate: a money request stays unfinished");
                    }
                }
                Err(e) => tracing::warn!(error = %e, "konaplate: recovery pass failed"),
            }
        }
    });
}

fn apis() -> Router<KonaState> {
    Router::new()
        .merge(members::routes())
        .merge(bank::routes())
        .merge(charging::routes())
        .merge(cards::routes())
}

fn routes(state: KonaState) -> Router {
    let apis = apis().route_layer(axum::middleware::from_fn_with_state(
        state.clone(),
        transport::transport,
    ));
    Router::new()
        .merge(apis.clone())
        .nest(catalogue::OPEN_API, apis)
        .fallback(|_: Method, _: Uri| async move { error::KonaError::new(codes::NOT_FOUND) })
        .with_state(state)
}

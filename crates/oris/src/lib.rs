//! finhub-oris: the ORIS overseas-remittance registry face (해외송금
//! 통합관리시스템) at `/api/oris/v1/...`. Agencies' staff sign in, report
//! each person's remittances, and read a remitter's history across every
//! agency once the remitter has consented.
//!
//! - `caller`, `token`: bearer tokens, sessions and the per-call gates.
//! - `extract`, `wire`, `codes`, `error`: Spring's refusals, KST date-times,
//!   USD numbers, `content[]` + `page`, the `{code, message}` body.
//! - One module per area: `auth` (A), `agencies` (G, K), `members` (M),
//!   `groups` (P), `users` (U), `remittances` (R), `batches` (B), `terms`
//!   (T, M5), `boards` (N1–N3), `files` (N4).
//! - The `/sandbox/oris/...` routes are the binary's (behind its admin key),
//!   over the same `Registry`.

mod agencies;
mod auth;
mod batches;
mod boards;
pub mod caller;
pub mod codes;
pub mod error;
pub mod extract;
mod files;
mod groups;
mod members;
mod openapi;
mod remittances;
mod terms;
pub mod token;
mod users;
pub mod wire;

pub use error::shell_error;
pub use openapi::openapi;

use axum::http::{Method, Uri};
use axum::Router;
use finhub_core::oris::{OrisRepo, Registry};
use finhub_core::world::World;
use finhub_http::Face;
use std::sync::Arc;
use tokio::sync::OnceCell;

/// The base path of every registry API.
pub const BASE: &str = "/api/oris/v1";

/// The largest chunk or file body (B5's `limits.maxChunkBytes`).
pub const MAX_UPLOAD_BYTES: usize = 16 * 1024 * 1024;

#[derive(Clone)]
pub struct OrisState {
    pub registry: Registry,
    signer: Arc<OnceCell<token::Signer>>,
}

impl OrisState {
    pub fn new(world: World, repo: Arc<dyn OrisRepo>) -> OrisState {
        OrisState {
            registry: Registry::new(repo, world),
            signer: Arc::new(OnceCell::new()),
        }
    }

    /// The token signer, its key read from the store once.
    pub async fn signer(&self) -> error::OrisResult<&token::Signer> {
        self.signer
            .get_or_try_init(|| async {
                let key = self.registry.repo.signing_key().await?;
                Ok::<_, error::OrisError>(token::Signer::new(&key))
            })
            .await
    }
}

/// The ORIS face over the one world: what `finhub::app` lists. With
/// `lax_scopes` an `inquiry` token may call everything (configuration only).
/// Batches a stopped server left PROCESSING resume in the background.
pub fn face(world: World, repo: Arc<dyn OrisRepo>, lax_scopes: bool) -> Face {
    let mut state = OrisState::new(world, repo);
    state.registry.lax_scopes = lax_scopes;
    batches::resume(&state);
    Face {
        name: "oris",
        router: routes(state),
        adapter: None,
        prefixes: vec!["/api/oris/"],
        shell_error,
        openapi: openapi(),
        // Batch chunks (maxChunkBytes) and board files are larger than the
        // shell's default limit.
        body_limits: vec![
            ("/api/oris/v1/batches/", MAX_UPLOAD_BYTES),
            ("/api/oris/v1/files", MAX_UPLOAD_BYTES),
        ],
    }
}

fn routes(state: OrisState) -> Router {
    Router::new()
        .merge(auth::routes())
        .merge(agencies::routes())
        .merge(members::routes())
        .merge(groups::routes())
        .merge(users::routes())
        .merge(remittances::routes())
        .merge(batches::routes())
        .merge(terms::routes())
        .merge(boards::routes())
        .merge(files::routes())
        .fallback(|m: Method, u: Uri| async move {
            shell_error(
                axum::http::StatusCode::NOT_FOUND,
                &format!("No endpoint {m} {}.", u.path()),
            )
        })
        .method_not_allowed_fallback(|m: Method| async move {
            shell_error(
                axum::http::StatusCode::METHOD_NOT_ALLOWED,
                &format!("Request method '{m}' is not supported"),
            )
        })
        // The shell bounds every body (1 MiB, 16 MiB for uploads); axum's own
        // 2 MB default for `Bytes` and `Multipart` would refuse big chunks.
        .layer(axum::extract::DefaultBodyLimit::max(MAX_UPLOAD_BYTES))
        .with_state(state)
}

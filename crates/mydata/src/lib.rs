//! finhub-mydata: the Korean financial MyData face, provider side. finhub
//! plays every information provider of the world at once; the token's
//! consent (전송요구) says for which institution and person a call is.
//!
//! - `/v1/{industry}/...`: the information APIs, one module per industry
//!   (bank, card, invest, insu, efin, telecom, lending) over the shared parts: `extract` (headers, token,
//!   consent, asset checks), `params` (paging, timestamps, windows), `wire`
//!   (the `rsp_code`/`rsp_msg` envelope) and `codes`.
//! - `/v1/{industry}/apis` and `/consents`, IRP and prepaid-card APIs: `common`.
//! - `/mgmts/...`, `/v1/mgmts/...`: the support APIs (`support`).
//! - The OAuth endpoints are the shared server's, with this face's profile
//!   adapter (`adapter`).
//!
//! Every answer echoes the request's `x-api-tran-id` header.

pub mod adapter;
pub mod assets;
pub mod bank;
mod card;
pub mod codes;
pub mod common;
mod efin;
pub mod error;
pub mod extract;
pub mod history;
mod insu;
mod invest;
mod lending;
mod openapi;
pub mod params;
mod prepaid;
pub mod scopes;
mod support;
pub mod sync;
mod telecom;
pub mod wire;

pub use error::shell_error;
pub use openapi::openapi;

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use finhub_core::consent::ConsentRepo;
use finhub_core::product::ProductRepo;
use finhub_core::stats::StatsRepo;
use finhub_core::world::World;
use finhub_http::Face;
use finhub_oauth::OAuth;
use std::sync::Arc;

/// The storage this face needs beyond the world's.
pub trait MydataRepo: ProductRepo + ConsentRepo + StatsRepo {}
impl<T: ProductRepo + ConsentRepo + StatsRepo> MydataRepo for T {}

#[derive(Clone)]
pub struct MydataState {
    pub world: World,
    pub oauth: OAuth,
    pub repo: Arc<dyn MydataRepo>,
}

/// The MyData face over the one world: what `finhub::app` lists.
pub fn face(world: World, oauth: OAuth, repo: Arc<dyn MydataRepo>) -> Face {
    face_of(MydataState { world, oauth, repo })
}

fn face_of(state: MydataState) -> Face {
    Face {
        name: "mydata",
        router: routes(state.clone()),
        adapter: Some(adapter::adapter(state)),
        prefixes: vec!["/v1/", "/mgmts/"],
        shell_error,
        openapi: openapi(),
        body_limits: Vec::new(),
    }
}

/// Every route of the face; unknown paths under its prefixes are 40401.
fn routes(state: MydataState) -> Router {
    Router::new()
        .merge(bank::routes())
        .merge(card::routes())
        .merge(invest::routes())
        .merge(insu::routes())
        .merge(efin::routes())
        .merge(telecom::routes())
        .merge(lending::routes())
        .merge(common::routes())
        .merge(support::routes())
        .fallback(|| async { error::MydataError::new(codes::Rsp::NoEndpoint) })
        .method_not_allowed_fallback(|| async {
            error::MydataError::new(codes::Rsp::MethodNotAllowed)
        })
        .layer(axum::middleware::from_fn(echo_tran_id))
        .with_state(state)
}

/// The provider echoes the request's `x-api-tran-id` on every answer.
async fn echo_tran_id(req: Request, next: Next) -> Response {
    let id: Option<HeaderValue> = req.headers().get("x-api-tran-id").cloned();
    let mut res = next.run(req).await;
    if let Some(id) = id {
        res.headers_mut().insert("x-api-tran-id", id);
    }
    res
}

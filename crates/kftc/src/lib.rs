//! finhub-kftc: the KFTC Open Banking v2.0 face (OBI-003..029 under `/v2.0/`),
//! a thin translator over the one world. `face()` is all the assembly needs:
//! the routes, the KFTC profile adapter for the OAuth endpoints
//! (`/oauth/2.0/*`, served by finhub-oauth), the prefix, the shell-error
//! envelope and the OpenAPI document.
//!
//! Conventions: errors are HTTP 200 with the KFTC envelope; amounts, counts
//! and dates are strings; times are KST. Contract-account pass phrases are
//! stored as given (a sandbox-visible fixed phrase, `NONE` by default).

mod adapter;
pub mod codes;
pub mod error;
mod extract;
pub mod format;
#[doc(hidden)]
pub mod fuzzing;
mod inquiry;
mod manage;
mod openapi;
pub mod parse;
mod refusal;
mod service;
mod transfer;
mod users;
pub mod wire;

pub use adapter::{
    adapter, KftcAdapter, CONTRACT_BANK_CODE, CONTRACT_OPENING_KRW, DEFAULT_PASS_PHRASE,
};
pub use error::shell_error;
pub use openapi::openapi;

use axum::routing::{get, post};
use axum::Router;
use finhub_core::fraud::TransferLog;
use finhub_core::registration::RegistrationRepo;
use finhub_core::usage::UsageRepo;
use finhub_core::world::World;
use finhub_http::Face;
use finhub_oauth::OAuth;
use std::sync::Arc;

/// The storage this face needs beyond the world's.
pub trait KftcRepo: RegistrationRepo + UsageRepo + TransferLog {}
impl<T: RegistrationRepo + UsageRepo + TransferLog> KftcRepo for T {}

/// The face's state: the world, the authorization server (to check bearer
/// tokens) and the registration, usage and transfer-log storage.
#[derive(Clone)]
pub struct KftcState {
    pub world: World,
    pub oauth: OAuth,
    pub repo: Arc<dyn KftcRepo>,
}

/// The KFTC face over the one world: what `finhub::app` lists.
pub fn face(world: World, oauth: OAuth, repo: Arc<dyn KftcRepo>) -> Face {
    face_of(KftcState { world, oauth, repo })
}

fn face_of(state: KftcState) -> Face {
    Face {
        name: "kftc",
        router: routes(state.clone()),
        adapter: Some(adapter(state)),
        prefixes: vec!["/v2.0/"],
        shell_error,
        openapi: openapi(),
        body_limits: Vec::new(),
    }
}

/// The face mounted on its own, without the assembly: its routes and its
/// document at `/openapi/kftc.json` (this crate's tests use it).
pub fn router(state: KftcState) -> Router {
    let face = face_of(state);
    face.router
        .clone()
        .merge(finhub_http::face::document_route(&face))
}

/// Every `/v2.0/*` route. A wrong method answers O0010 and an unknown path
/// O0005, both with HTTP 200 as KFTC does.
fn routes(state: KftcState) -> Router {
    use error::KftcError;
    let method = || async { KftcError::new(codes::Rsp::O0010) };
    Router::new()
        .route("/v2.0/user/register", post(users::register))
        .route("/v2.0/user/me", get(users::me))
        .route("/v2.0/user/close", post(users::close))
        .route("/v2.0/account/list", get(users::list))
        .route("/v2.0/account/update", post(users::update))
        .route("/v2.0/account/info", post(users::info))
        .route("/v2.0/account/cancel", post(users::cancel))
        .route(
            "/v2.0/account/balance/fin_num",
            get(inquiry::balance_fin_num),
        )
        .route(
            "/v2.0/account/balance/acnt_num",
            post(inquiry::balance_acnt_num),
        )
        .route(
            "/v2.0/account/transaction_list/fin_num",
            get(inquiry::transactions_fin_num),
        )
        .route(
            "/v2.0/account/transaction_list/acnt_num",
            post(inquiry::transactions_acnt_num),
        )
        .route("/v2.0/inquiry/real_name", post(inquiry::real_name))
        .route("/v2.0/inquiry/receive", post(inquiry::receive))
        .route(
            "/v2.0/transfer/withdraw/fin_num",
            post(transfer::withdraw_fin_num),
        )
        .route(
            "/v2.0/transfer/withdraw/acnt_num",
            post(transfer::withdraw_acnt_num),
        )
        .route(
            "/v2.0/transfer/deposit/fin_num",
            post(transfer::deposit_fin_num),
        )
        .route(
            "/v2.0/transfer/deposit/acnt_num",
            post(transfer::deposit_acnt_num),
        )
        .route("/v2.0/transfer/result", post(transfer::result))
        .route("/v2.0/bank/status", get(manage::bank_status))
        .route("/v2.0/manage/fee", get(manage::fee))
        .route("/v2.0/manage/count", get(manage::count))
        .route("/v2.0/manage/wd_limit", get(manage::wd_limit))
        .route("/v2.0/inquiry/fds_detect", get(manage::fds_detect))
        .route("/v2.0/manage/terms", get(manage::terms))
        .method_not_allowed_fallback(method)
        .fallback(|| async { KftcError::new(codes::Rsp::O0005) })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            with_clock,
        ))
        .with_state(state)
}

/// Run the request with the world's clock in scope (see `error::CLOCK`).
async fn with_clock(
    axum::extract::State(state): axum::extract::State<KftcState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    error::CLOCK
        .scope(state.world.clock.clone(), next.run(req))
        .await
}

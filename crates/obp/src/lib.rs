//! finhub-obp: the Open Bank Project v4.0.0 face (Customer, KYC and
//! Onboarding APIs) at `/obp/v{1.4.0,2.0.0,3.0.0,3.1.0,4.0.0}/...` and
//! DirectLogin at `/my/logins/direct`.
//!
//! - `caller`: DirectLogin tokens and OAuth bearer tokens, and the gates
//!   every endpoint runs in OBP's order (login → bank → roles → body →
//!   lookups).
//! - `extract`, `wire`, `codes`, `error`: lenient bodies, OBP dates and
//!   money, the `OBP-NNNNN` codes and the `{code, message}` body.
//! - One module per area: `login` and `users` (DirectLogin, Create User,
//!   entitlements, banks), `customers`, `attributes`, `profile` (addresses,
//!   tax residences, social media), `links`, `kyc`, `accounts`, `engage`
//!   (meetings, messages, CRM events, credit-limit requests).
//! - Each area's `routes(v)` adds its endpoints to version `v`'s router;
//!   [`Version::serves`] says where an endpoint is served.

mod accounts;
mod attributes;
pub mod caller;
pub mod codes;
mod customers;
mod engage;
pub mod error;
pub mod extract;
mod kyc;
mod links;
mod login;
mod openapi;
mod profile;
mod users;
pub mod wire;

pub use error::shell_error;
pub use openapi::openapi;

use axum::extract::Request;
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{post, MethodRouter};
use axum::Router;
use finhub_core::obp::{Obp, ObpConfig, ObpRepo};
use finhub_core::world::World;
use finhub_http::Face;
use finhub_oauth::OAuth;
use std::sync::Arc;

#[derive(Clone)]
pub struct ObpState {
    pub obp: Obp,
    pub oauth: OAuth,
}

/// The OBP API versions finhub serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V140,
    V200,
    V300,
    V310,
    V400,
}

impl Version {
    pub const ALL: [Version; 5] = [
        Version::V140,
        Version::V200,
        Version::V300,
        Version::V310,
        Version::V400,
    ];

    pub fn prefix(self) -> &'static str {
        match self {
            Version::V140 => "/obp/v1.4.0",
            Version::V200 => "/obp/v2.0.0",
            Version::V300 => "/obp/v3.0.0",
            Version::V310 => "/obp/v3.1.0",
            Version::V400 => "/obp/v4.0.0",
        }
    }

    /// Every endpoint is served under v3.1.0 and v4.0.0, and under the
    /// version it was born in (obp-sandbox.md, "Version prefixes").
    pub fn serves(self, born: Version) -> bool {
        matches!(self, Version::V310 | Version::V400) || self == born
    }
}

/// `router.at(v, born, path, handler)`: add the route when `v` serves it.
pub(crate) trait Mount {
    fn at(self, v: Version, born: Version, path: &str, r: MethodRouter<ObpState>) -> Self;
}

impl Mount for Router<ObpState> {
    fn at(self, v: Version, born: Version, path: &str, r: MethodRouter<ObpState>) -> Self {
        if v.serves(born) {
            self.route(path, r)
        } else {
            self
        }
    }
}

/// The OBP face over the one world: what `finhub::app` lists.
pub fn face(world: World, oauth: OAuth, repo: Arc<dyn ObpRepo>, config: ObpConfig) -> Face {
    let state = ObpState {
        obp: Obp::new(repo, world, config),
        oauth,
    };
    Face {
        name: "obp",
        router: routes(state),
        adapter: None,
        prefixes: vec!["/obp/", "/my/"],
        shell_error,
        openapi: openapi(),
        body_limits: Vec::new(),
    }
}

fn routes(state: ObpState) -> Router {
    let mut r = Router::new().route("/my/logins/direct", post(login::direct));
    for v in Version::ALL {
        r = r.nest(v.prefix(), version_routes(v));
    }
    r.fallback(not_found)
        .method_not_allowed_fallback(not_found)
        .layer(middleware::from_fn(conventions))
        .with_state(state)
}

fn version_routes(v: Version) -> Router<ObpState> {
    Router::new()
        .merge(login::routes(v))
        .merge(users::routes(v))
        .merge(customers::routes(v))
        .merge(attributes::routes(v))
        .merge(profile::routes(v))
        .merge(links::routes(v))
        .merge(kyc::routes(v))
        .merge(accounts::routes(v))
        .merge(engage::routes(v))
        .method_not_allowed_fallback(not_found)
}

/// OBP-10404: an unknown version, route, or method on a known path.
async fn not_found() -> Response {
    error::ObpError::new(codes::INVALID_URI).into_response()
}

const CORRELATION_ID: HeaderName = HeaderName::from_static("correlation-id");

/// Every answer carries a `Correlation-Id` (the request's, or a new one);
/// `OPTIONS` on any path is CORS's 204.
async fn conventions(req: Request, next: Next) -> Response {
    let id = (req.headers().get(&CORRELATION_ID).cloned())
        .unwrap_or_else(|| HeaderValue::from_str(&uuid::Uuid::new_v4().to_string()).expect("uuid"));
    let mut resp = if req.method() == Method::OPTIONS {
        let h = [
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
            (
                header::ACCESS_CONTROL_ALLOW_METHODS,
                "GET, POST, OPTIONS, PUT, PATCH, DELETE",
            ),
            (header::ACCESS_CONTROL_ALLOW_HEADERS, "*"),
        ];
        (StatusCode::NO_CONTENT, h).into_response()
    } else {
        next.run(req).await
    };
    resp.headers_mut().insert(CORRELATION_ID, id);
    resp.headers_mut()
        .entry(header::ACCESS_CONTROL_ALLOW_ORIGIN)
        .or_insert(HeaderValue::from_static("*"));
    resp
}

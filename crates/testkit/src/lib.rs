//! finhub's test kit (dev-only): one `spawn_app()` over the real assembly
//! (`finhub::assemble`) on a fresh store per test, typed requests and
//! answers, and each face's client vocabulary, written once.
//!
//! - [`spawn_app`] / [`TestApp::builder`]: the server, in process or served
//!   on a free port; options (admin key, shell, OAuth config, clock, a store
//!   of the test's own) go through the builder.
//! - [`http`]: [`Resp`], the in-process driver [`Http`] (a `TestApp` derefs
//!   to it), form/query/page helpers.
//! - [`net`]: [`net::Conn`], a kept-alive HTTP/1.1 client for a bound port.
//! - sandbox and OAuth flows as `TestApp` methods ([`Client`], [`Person`]).
//! - [`ledger`]: a transfer request and the ledger invariants, for store tests.
//! - [`kftc`]: the KFTC face (client and token, register, transfer bodies,
//!   `tran_id`, `dtime`). Later faces add their module beside it.
//! - [`mydata`]: the MyData face (an operator's client with every scope, the
//!   headless consent and token exchange, `tran_id`, `md_get`/`md_post`).
//! - [`konaplate`]: the Konaplate face (a project through the sandbox,
//!   signed requests, JWE both ways, `assert_kona`).
//! - [`oris`]: the ORIS registry (an agency through the sandbox, its staff
//!   signed in with the pledge signed, bearer calls, `assert_oris`).

mod app;
pub mod http;
pub mod kftc;
pub mod konaplate;
pub mod ledger;
pub mod mydata;
pub mod net;
pub mod obp;
pub mod oris;
mod sandbox;

pub use app::{spawn_app, Builder, TestApp};
pub use finhub::app::FaceOptions;
pub use http::{Http, Resp};
pub use sandbox::{assert_error, Acc, Authorize, Client, Person, UserToken};

/// The admin key every test server starts with (unless the builder says otherwise).
pub const ADMIN_KEY: &str = "test-admin-key-0123456789";
/// The redirect URI the kit's clients register.
pub const REDIRECT: &str = "https://app.example/callback";

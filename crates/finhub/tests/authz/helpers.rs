//! The suite's server: the kit's assembled app with the tracing output
//! captured and the world's clock at a fixed instant.

pub use finhub_testkit::http::{form_body, query_string};
pub use finhub_testkit::kftc::{deposit_body_at, register_body, tran_id, DepositItem, Withdraw};
pub use finhub_testkit::*;

/// 12:00 KST, so dates and windows do not depend on when the test runs.
pub const START: &str = "2030-06-14T03:00:00Z";
/// KFTC access tokens live 90 days; a minute past that.
pub const PAST_EXPIRY_SECS: i64 = finhub_testkit::kftc::TOKEN_TTL_SECS + 60;

/// The assembled server over a fresh store, logs captured, clock at START.
pub async fn authz_app() -> TestApp {
    crate::logs::capture();
    TestApp::builder().now(START).spawn().await
}

//! finhub-http: what every face shares — the JSON error envelope, the bearer
//! token parser, the shell around the assembled router (request ids,
//! tracing, limits, timeouts, panics, metrics, health, graceful shutdown),
//! the `Face` value the assembly is built from, and the docs page.

pub mod bearer;
pub mod docs;
pub mod error;
pub mod face;
pub mod health;
pub mod metrics;
pub mod openapi;
pub mod serve;
pub mod shell;
pub mod shutdown;

pub use bearer::{BearerError, BearerToken};
pub use error::{json_error, ErrorEnvelope};
pub use face::Face;
pub use health::{health_router, Ping};
pub use serve::{serve, ServeConfig};
pub use shell::{wrap, FaceError, ShellConfig, REQUEST_ID};
pub use shutdown::{drain_then_stop, shutdown_signal};

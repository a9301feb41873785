//! finhub-http: what every face shares — the JSON error envelope, the bearer
//! token parser, and the shell around the assembled router (request ids,
//! tracing, limits, timeouts, panics, metrics, health, graceful shutdown).

pub mod bearer;
pub mod error;
pub mod health;
pub mod metrics;
pub mod serve;
pub mod shell;
pub mod shutdown;

pub use bearer::{BearerError, BearerToken};
pub use error::{json_error, ErrorEnvelope};
pub use health::{health_router, Ping};
pub use serve::{serve, ServeConfig};
pub use shell::{wrap, FaceError, ShellConfig, REQUEST_ID};
pub use shutdown::shutdown_signal;

//! The finhub server: configuration, the admin key, the sandbox admin API
//! and `assemble()`, which joins every face into one router.

pub mod admin_key;
pub mod app;
pub mod config;
pub mod demo;
pub mod konaplate_cli;
pub mod sandbox;

pub use app::{assemble, bootstrap_world, App, AssembleOptions};
pub use config::LogFormat;

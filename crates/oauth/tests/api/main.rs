//! The authorization server driven through its real router, on a fresh
//! store per test (SQLite, or PostgreSQL when FINHUB_TEST_DATABASE_URL is set).

// Scenario tests read top to bottom in the order things happen; split, they would hide it.
#![allow(clippy::too_many_lines)]

mod clients;
mod consent_hooks;
mod errors;
mod flow;
mod helpers;
mod hooks;
mod profiles;

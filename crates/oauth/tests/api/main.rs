//! The authorization server driven through its real router, on a fresh
//! store per test (SQLite, or PostgreSQL when FINHUB_TEST_DATABASE_URL is set).

mod clients;
mod errors;
mod flow;
mod helpers;
mod hooks;
mod profiles;

//! MyData authorization and consent (전송요구) on the assembled server, and
//! the headless consent of both profiles: one binary, one module per area.
//! Each test gets a fresh store (SQLite file, or a PostgreSQL schema when
//! FINHUB_TEST_DATABASE_URL is set).

// Scenario tests read top to bottom in the order things happen; split, they would hide it.
#![allow(clippy::too_many_lines)]

mod clients;
mod headless;
mod integrated;
mod lang;
mod pages;

//! HTTP tests of the assembled server: one binary, one module per area.
//! Each test gets a fresh store (SQLite file, or a PostgreSQL schema when
//! FINHUB_TEST_DATABASE_URL is set).

// Scenario tests read top to bottom in the order things happen; split, they would hide it.
#![allow(clippy::too_many_lines)]

mod accounts;
mod cli;
mod clients;
mod clock;
mod default_scopes;
mod face_list;
mod faces;
mod institutions;
mod people;
mod shell;

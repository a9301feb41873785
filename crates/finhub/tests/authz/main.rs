//! Authorization tests of the assembled server: who may call what, and
//! what they get when they may not. One binary; each test has its own store
//! (SQLite, or a PostgreSQL schema with FINHUB_TEST_DATABASE_URL).
//!
//! - matrix: every KFTC API × every kind of caller, exact rsp_code per cell
//! - oauth: token refresh and revoke × client credentials (run on the matrix's world)
//! - sandbox: the admin API × keys
//! - mydata: the MyData face × operators, institutions, people and dead tokens
//! - mydata_assets: every seeded asset of every industry × consents that do not hold it
//! - obp: the OBP face × logins, each role, and roles held at another bank
//! - oris: the ORIS registry × agencies, the operator, groups, the pledge, keys and dead tokens
//! - konaplate: every Konaplate API × another project naming A's members, cards and money
//! - isolation: institution B never reads or moves A's data
//! - logs: no secret reaches the tracing output
//! - throttle: client-secret and password guessing through the KFTC face

// Scenario tests read top to bottom in the order things happen; split, they would hide it.
#![allow(clippy::too_many_lines)]

mod fixture;
mod helpers;
mod isolation;
mod konaplate;
mod logs;
mod matrix;
mod mydata;
mod mydata_assets;
mod oauth;
mod obp;
mod oris;
mod sandbox;
mod throttle;

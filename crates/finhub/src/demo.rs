//! The demo world `finhub serve` builds on an empty database: a small seeded
//! population and one ready client per profile.

use crate::sandbox::clients::{register, standard_scopes};
use crate::sandbox::SandboxState;
use finhub_oauth::{NewClient, Profile};
use finhub_seed::{seed_world, SeedOptions, SeedReport};
use serde_json::{Map, Value};

pub const DEMO_PEOPLE: u64 = 20;
pub const DEMO_REDIRECT_URI: &str = "http://localhost:3000/callback";

pub struct Demo {
    pub seeded: Option<SeedReport>,
    /// Each new client's fields, its secret included.
    pub clients: Vec<Map<String, Value>>,
}

/// Seed people when there are none, and register demo clients when there
/// are no clients. A database that has either is left as it is.
pub async fn ensure_demo(s: &SandboxState, people: u64) -> Result<Demo, String> {
    let seeded = if s
        .world
        .repo
        .count_people()
        .await
        .map_err(|e| e.to_string())?
        == 0
    {
        let opts = SeedOptions::demo(people);
        let bar = indicatif::ProgressBar::hidden();
        Some(
            seed_world(&s.store, &opts, &bar)
                .await
                .map_err(|e| e.to_string())?,
        )
    } else {
        None
    };
    let mut clients = Vec::new();
    if s.oauth
        .list_clients()
        .await
        .map_err(|e| e.to_string())?
        .is_empty()
    {
        for p in Profile::ALL {
            let c = register(
                s,
                NewClient {
                    profile: p,
                    name: format!("demo {} app", p.as_str()),
                    redirect_uris: vec![DEMO_REDIRECT_URI.into()],
                    scopes: standard_scopes(&s.profiles, p),
                    org_code: None,
                },
                &s.profiles,
            )
            .await
            .map_err(|e| e.to_string())?;
            clients.push(c);
        }
    }
    Ok(Demo { seeded, clients })
}

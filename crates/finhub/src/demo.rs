//! The demo world `finhub serve` builds on an empty database: a small seeded
//! population and one ready client per profile.

use crate::sandbox::clients::{register, standard_scopes};
use crate::sandbox::SandboxState;
use finhub_core::oris::agencies::{Founded, NewAdmin, NewAgency};
use finhub_core::oris::staff::AgencyType;
use finhub_core::oris::Registry;
use finhub_oauth::{NewClient, Profile};
use finhub_seed::{seed_world, SeedOptions, SeedReport};
use serde_json::{Map, Value};

pub const DEMO_PEOPLE: u64 = 20;
pub const DEMO_REDIRECT_URI: &str = "http://localhost:3000/callback";

pub struct Demo {
    pub seeded: Option<SeedReport>,
    /// Each new client's fields, its secret included.
    pub clients: Vec<Map<String, Value>>,
    /// The ORIS agency made on this start (its admin's password included).
    pub oris: Option<Founded>,
    /// The Konaplate project made on this start, its secrets included.
    pub konaplate: Option<Value>,
}

/// The demo Konaplate project, unless the platform has a project already.
async fn ensure_konaplate(s: &SandboxState) -> Result<Option<Value>, String> {
    use crate::sandbox::konaplate::{create_project, kona};
    let k = kona(s);
    if !k
        .repo
        .projects()
        .await
        .map_err(|e| e.to_string())?
        .is_empty()
    {
        return Ok(None);
    }
    let key_type = finhub_core::konaplate::project::KeyType::Sandbox;
    (create_project(&k, "demo konaplate app", key_type).await)
        .map(Some)
        .map_err(|e| e.to_string())
}

/// The demo ORIS agency: KB국민은행 reporting as agency 1004.
const DEMO_ORIS_ORG: &str = "BA00000004";
const DEMO_ORIS_CODE: &str = "1004";
const DEMO_ORIS_EMAIL: &str = "demo@kb.example";

/// The demo agency, unless the registry has an agency 1004 already.
async fn ensure_oris(s: &SandboxState) -> Result<Option<Founded>, String> {
    let reg = Registry::new(std::sync::Arc::new(s.store.clone()), s.world.clone());
    if reg
        .repo
        .agency_by_code(DEMO_ORIS_CODE)
        .await
        .map_err(|e| e.to_string())?
        .is_some()
    {
        return Ok(None);
    }
    let name = s
        .world
        .institution(DEMO_ORIS_ORG)
        .await
        .map_err(|e| e.to_string())?
        .name;
    let agency = NewAgency {
        agency_code: Some(DEMO_ORIS_CODE.into()),
        agency_name: name,
        agency_type: AgencyType::Bank,
        org_code: Some(DEMO_ORIS_ORG.into()),
    };
    let admin = NewAdmin {
        email: Some(DEMO_ORIS_EMAIL.into()),
        ..NewAdmin::default()
    };
    reg.found_agency(agency, admin)
        .await
        .map(Some)
        .map_err(|e| e.to_string())
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
    let oris = ensure_oris(s).await?;
    let konaplate = ensure_konaplate(s).await?;
    Ok(Demo {
        seeded,
        clients,
        oris,
        konaplate,
    })
}

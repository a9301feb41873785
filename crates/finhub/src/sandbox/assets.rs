//! What a person holds, in MyData terms (mydata-sandbox.md §3): one entry
//! per open product at any institution, with the id the MyData APIs take
//! for it, the consent scope that opens it and the APIs that serve it.
//!
//! An e-finance prepaid instrument's APIs take two ids: its entry carries
//! `fob_id` (from its terms) and `account_id` beside `asset`. `asset` stays
//! the id a consent names it by (its account number, which is also the
//! `account_id` the APIs take), so an entry can be consented as listed.

use super::error::SandboxError;
use super::extract::{Json, Path};
use super::SandboxState;
use axum::extract::State;
use finhub_core::institution::InstitutionKind;
use finhub_core::product::{ProductRepo, ProductTerms};
use finhub_mydata::assets::{asset_apis, asset_id, industry};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Serialize)]
pub struct AssetView {
    pub industry: &'static str,
    pub org_code: String,
    pub scope: &'static str,
    pub asset: String,
    pub product_name: String,
    pub apis: Vec<&'static str>,
    /// E-finance prepaid instruments: the instrument's `fob_id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fob_id: Option<String>,
    /// E-finance prepaid instruments: the `account_id` 전금-002..004 take.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Assets {
    pub person_id: String,
    pub assets: Vec<AssetView>,
}

pub async fn list(
    State(s): State<SandboxState>,
    Path(person_id): Path<String>,
) -> Result<Json<Assets>, SandboxError> {
    if s.world.repo.person(&person_id).await?.is_none() {
        return Err(SandboxError::NotFound(format!("no person {person_id}")));
    }
    let kinds: HashMap<String, InstitutionKind> = s
        .world
        .repo
        .list_institutions()
        .await?
        .into_iter()
        .map(|i| (i.org_code, i.kind))
        .collect();
    let mut held = s.world.repo.accounts_of_person(&person_id).await?;
    held.retain(finhub_core::world::World::is_usable);
    held.sort_by(|a, b| (a.opened_at, &a.account_id).cmp(&(b.opened_at, &b.account_id)));
    let ids: Vec<String> = held.iter().map(|a| a.account_id.clone()).collect();
    let terms: HashMap<String, ProductTerms> = s
        .store
        .terms_of(&ids)
        .await?
        .into_iter()
        .map(|r| (r.account_id, r.terms))
        .collect();
    let assets = held
        .iter()
        .filter_map(|a| {
            let kind = *kinds.get(&a.org_code)?;
            let t = terms.get(&a.account_id);
            let apis = asset_apis(kind, a, t)?;
            let fob_id = match t {
                Some(ProductTerms::EfinPrepaid(e)) => Some(e.fob_id.clone()),
                _ => None,
            };
            Some(AssetView {
                industry: industry(kind),
                org_code: a.org_code.clone(),
                scope: apis.scope,
                asset: asset_id(a),
                product_name: a.product_name.clone(),
                apis: apis.apis.to_vec(),
                account_id: fob_id.is_some().then(|| asset_id(a)),
                fob_id,
            })
        })
        .collect();
    Ok(Json(Assets { person_id, assets }))
}

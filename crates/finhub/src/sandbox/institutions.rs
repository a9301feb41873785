//! Institutions and their service status (an outage makes faces refuse them).

use super::error::SandboxError;
use super::extract::{Json, Path};
use super::SandboxState;
use axum::extract::State;
use finhub_core::institution::{Institution, ServiceStatus};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize)]
pub struct InstitutionView {
    pub org_code: String,
    pub kind: &'static str,
    /// Its MyData industry code (`bank`, `card`, `insu`, `ginsu`, `usury`, ...).
    pub industry: &'static str,
    pub bank_code_std: Option<String>,
    pub name: String,
    pub status: &'static str,
}

impl From<Institution> for InstitutionView {
    fn from(i: Institution) -> Self {
        InstitutionView {
            org_code: i.org_code,
            kind: i.kind.as_str(),
            industry: finhub_mydata::assets::industry(i.kind),
            bank_code_std: i.bank_code,
            name: i.name,
            status: i.status.as_str(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct InstitutionList {
    pub institutions: Vec<InstitutionView>,
}

pub async fn list(State(s): State<SandboxState>) -> Result<Json<InstitutionList>, SandboxError> {
    let all = s.world.repo.list_institutions().await?;
    Ok(Json(InstitutionList {
        institutions: all.into_iter().map(Into::into).collect(),
    }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    pub status: String,
}

pub async fn set_status(
    State(s): State<SandboxState>,
    Path(code): Path<String>,
    Json(c): Json<StatusChange>,
) -> Result<Json<InstitutionView>, SandboxError> {
    let status = ServiceStatus::parse(&c.status).ok_or_else(|| {
        SandboxError::invalid("status must be one of active, outage, not_started, ended")
    })?;
    let inst = s
        .world
        .set_institution_status(&code, status)
        .await
        .map_err(|e| match e {
            finhub_core::CoreError::NotFound(_) => {
                SandboxError::NotFound(format!("no institution with code {code}"))
            }
            e => e.into(),
        })?;
    Ok(Json(inst.into()))
}

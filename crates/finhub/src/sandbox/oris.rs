//! The ORIS registry's sandbox (oris-sandbox.md): a ready agency with its
//! first administrator, and a remitter's state.

use super::error::SandboxError;
use super::extract::{Json, Path};
use super::SandboxState;
use axum::extract::State;
use axum::http::StatusCode;
use finhub_core::institution::InstitutionKind;
use finhub_core::oris::agencies::{Founded, NewAdmin, NewAgency};
use finhub_core::oris::ids::AgencyCode;
use finhub_core::oris::staff::AgencyType;
use finhub_core::oris::{Refusal, Registry};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

fn registry(s: &SandboxState) -> Registry {
    Registry::new(Arc::new(s.store.clone()), s.world.clone())
}

impl From<Refusal> for SandboxError {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::AgencyCodeDuplicated => Self::Conflict("agencyCode is taken".into()),
            Refusal::EmailDuplicated => Self::Conflict("admin.email is taken".into()),
            Refusal::PasswordFormat => Self::invalid(
                "admin.password must be 9-20 characters with letters, digits and symbols",
            ),
            Refusal::UserNotFound => Self::NotFound("no remitter with this userId".into()),
            Refusal::Store(e) => e.into(),
            r => Self::invalid(r.to_string()),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AgencyRequest {
    #[serde(rename = "org_code")]
    pub org_code: Option<String>,
    pub agency_name: Option<String>,
    pub agency_type: Option<String>,
    pub agency_code: Option<String>,
    pub admin: Option<AdminRequest>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdminRequest {
    pub email: Option<String>,
    pub password: Option<String>,
    pub name: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AgencyView {
    pub agency_id: String,
    pub agency_code: String,
    pub agency_name: String,
    pub agency_type: &'static str,
    pub approval_status: &'static str,
    pub active: bool,
    pub created_at: String,
    pub admin: AdminView,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminView {
    pub member_id: String,
    pub email: String,
    pub password: String,
}

/// The agency type an institution of the world reports as.
fn type_of(kind: InstitutionKind) -> Option<AgencyType> {
    match kind {
        InstitutionKind::Bank => Some(AgencyType::Bank),
        InstitutionKind::Card => Some(AgencyType::Card),
        InstitutionKind::Invest => Some(AgencyType::Securities),
        _ => None,
    }
}

async fn new_agency(s: &SandboxState, req: &AgencyRequest) -> Result<NewAgency, SandboxError> {
    let explicit = match req.agency_type.as_deref() {
        Some(t) => Some(AgencyType::parse(t).ok_or_else(|| {
            SandboxError::invalid(
                "agencyType must be 은행, 우정사업본부, 증권사, 카드사, 소액해외송금업자 or 한국은행",
            )
        })?),
        None => None,
    };
    if let Some(c) = &req.agency_code {
        AgencyCode::parse(c).ok_or_else(|| SandboxError::invalid("agencyCode must be 4 digits"))?;
    }
    let (name, ty) = match &req.org_code {
        Some(code) => {
            let inst = s.world.institution(code).await.map_err(|_| {
                SandboxError::invalid(format!("no institution {code} in the world"))
            })?;
            let ty = explicit.or(type_of(inst.kind)).ok_or_else(|| {
                SandboxError::invalid("this institution's kind needs an explicit agencyType")
            })?;
            (req.agency_name.clone().unwrap_or(inst.name), ty)
        }
        None => match (&req.agency_name, explicit) {
            (Some(n), Some(t)) if !n.trim().is_empty() => (n.clone(), t),
            _ => {
                return Err(SandboxError::invalid(
                    "agencyName and agencyType are required without org_code",
                ))
            }
        },
    };
    Ok(NewAgency {
        agency_code: req.agency_code.clone(),
        agency_name: name,
        agency_type: ty,
        org_code: req.org_code.clone(),
    })
}

/// POST /sandbox/oris/agencies: an approved, active agency and its ADMIN
/// member (who has not signed the pledge yet). The password is shown once.
pub async fn create_agency(
    State(s): State<SandboxState>,
    Json(req): Json<AgencyRequest>,
) -> Result<(StatusCode, Json<AgencyView>), SandboxError> {
    let agency = new_agency(&s, &req).await?;
    let admin = req.admin.map_or_else(NewAdmin::default, |a| NewAdmin {
        email: a.email,
        password: a.password,
        name: a.name,
    });
    let Founded {
        agency,
        admin,
        password,
    } = registry(&s).found_agency(agency, admin).await?;
    Ok((
        StatusCode::CREATED,
        Json(AgencyView {
            agency_id: agency.agency_id,
            agency_code: agency.agency_code,
            agency_name: agency.agency_name,
            agency_type: agency.agency_type.as_str(),
            approval_status: agency.approval.as_str(),
            active: agency.active,
            created_at: finhub_oris::wire::datetime(agency.created_at),
            admin: AdminView {
                member_id: admin.member_id,
                email: admin.email,
                password,
            },
        }),
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserStatusRequest {
    pub status: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserStatusView {
    pub user_id: String,
    pub status: &'static str,
}

/// PUT /sandbox/oris/users/{userId}/status `{"status": "INACTIVE"|"ACTIVE"}`:
/// while inactive, R1 and U1 answer USER_NOT_ACTIVE.
pub async fn set_user_status(
    State(s): State<SandboxState>,
    Path(user_id): Path<String>,
    Json(req): Json<UserStatusRequest>,
) -> Result<Json<UserStatusView>, SandboxError> {
    let active = match req.status.as_str() {
        "ACTIVE" => true,
        "INACTIVE" => false,
        _ => return Err(SandboxError::invalid("status must be ACTIVE or INACTIVE")),
    };
    let r = registry(&s).set_remitter_active(&user_id, active).await?;
    Ok(Json(UserStatusView {
        user_id: r.user_id,
        status: if r.active { "ACTIVE" } else { "INACTIVE" },
    }))
}

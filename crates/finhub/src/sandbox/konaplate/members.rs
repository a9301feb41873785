//! The members switch of the Konaplate sandbox (konaplate-sandbox.md §2):
//! a year without use (dormancy) and the fraud list, which no API can do.

use super::{kona, P};
use crate::sandbox::error::SandboxError;
use crate::sandbox::extract::{Json, Path};
use crate::sandbox::SandboxState;
use axum::extract::State;
use axum::routing::put;
use axum::Router;
use finhub_core::konaplate::ids::UserId;
use finhub_core::konaplate::members::MemberStatus;
use serde::Deserialize;
use serde_json::{json, Value};

pub fn routes() -> Router<SandboxState> {
    Router::new().route(
        &format!("{P}/{{project_id}}/members/{{user_id}}/status"),
        put(set_status),
    )
}

#[derive(Debug, Deserialize)]
pub struct StatusRequest {
    pub status: Option<String>,
}

/// `PUT …/members/{userId}/status {"status": "ACTIVE"|"DORMANT"|"BLOCKED"}`.
pub async fn set_status(
    State(s): State<SandboxState>,
    Path((project_id, user_id)): Path<(String, String)>,
    Json(r): Json<StatusRequest>,
) -> Result<Json<Value>, SandboxError> {
    let status = (r.status.as_deref().and_then(MemberStatus::parse))
        .filter(|m| *m != MemberStatus::Cancelled)
        .ok_or_else(|| SandboxError::invalid("status must be ACTIVE, DORMANT or BLOCKED"))?;
    // A userId that is not a number names no member.
    let user_id = (user_id.parse().map(UserId))
        .map_err(|_| SandboxError::NotFound("member not found".into()))?;
    let m = (kona(&s).set_member_status(&project_id, user_id, status)).await?;
    Ok(Json(
        json!({"userId": m.user_id.0, "status": m.status.as_str()}),
    ))
}

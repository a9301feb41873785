//! An agency's staff (M1–M4; M5 is in `terms`). M1 and a member's detail
//! are reads (scope `inquiry`, no group permission, as the guide shows M1);
//! adding, changing, removing, resetting and unlocking want scope `admin`
//! and MEMBER_ADMIN. The path agency is the caller's own, or any for the
//! operator.

use crate::agencies::{bounded, PageQuery};
use crate::auth::required;
use crate::caller::Caller;
use crate::error::OrisResult;
use crate::extract::{validation, Json, Paging, Path, Query, INVALID_ARGUMENT};
use crate::wire::{datetime, opt_datetime, Page, PageInfo};
use crate::OrisState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use finhub_core::oris::members::{MemberChange, NewMember, Roster};
use finhub_core::oris::staff::{Member, MemberStatus, Permission, Scope};
use finhub_core::oris::Need;
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

pub fn routes() -> Router<OrisState> {
    Router::new()
        .route(
            "/api/oris/v1/agencies/{agencyId}/members",
            get(list).post(add),
        )
        .route(
            "/api/oris/v1/agencies/{agencyId}/members/{memberId}",
            get(detail).patch(change).delete(remove),
        )
        .route(
            "/api/oris/v1/agencies/{agencyId}/members/{memberId}/password-reset",
            post(reset),
        )
        .route(
            "/api/oris/v1/agencies/{agencyId}/members/{memberId}/unlock",
            post(unlock),
        )
}

#[derive(OpenApi)]
#[openapi(
    paths(list, add, detail, change, remove, reset, unlock),
    components(schemas(
        MemberItem,
        MemberPage,
        MemberGroup,
        MemberAgency,
        MemberAddRequest,
        MemberChangeRequest,
        PasswordResetResponse
    ))
)]
pub struct Doc;

const READ: Need = Need::of(Scope::Inquiry, None);
const WRITE: Need = Need::of(Scope::Admin, Some(Permission::MemberAdmin));

#[derive(Debug, Serialize, ToSchema)]
pub struct MemberGroup {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MemberAgency {
    pub agency_id: String,
    pub agency_code: String,
    pub agency_type: &'static str,
}

/// M1's item (and M2's answers).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MemberItem {
    pub id: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub department: String,
    pub group: MemberGroup,
    pub description: Option<String>,
    pub agency: MemberAgency,
    /// ACTIVE, INACTIVE, or LOCKED after 5 wrong passwords (until M4 or M3).
    pub status: &'static str,
    /// Set by M3: the member must change the password (A5) before login.
    pub must_change_password: bool,
    pub failed_login_count: u32,
    pub password_changed_at: String,
    pub last_login_at: Option<String>,
    pub created_at: String,
}

fn item(r: &Roster, m: &Member) -> MemberItem {
    let status = match (m.locked, m.status) {
        (true, _) => "LOCKED",
        (false, s) => s.as_str(),
    };
    MemberItem {
        id: m.member_id.clone(),
        name: m.name.clone(),
        email: m.email.clone(),
        phone: m.phone.clone(),
        department: m.department.clone(),
        group: MemberGroup {
            id: m.group_id.clone(),
            name: r.group_of(m).map(|g| g.name.clone()).unwrap_or_default(),
        },
        description: m.description.clone(),
        agency: MemberAgency {
            agency_id: r.agency.agency_id.clone(),
            agency_code: r.agency.agency_code.clone(),
            agency_type: r.agency.agency_type.as_str(),
        },
        status,
        must_change_password: m.must_change,
        failed_login_count: m.failed_logins,
        password_changed_at: datetime(m.password_changed_at),
        last_login_at: opt_datetime(m.last_login_at),
        created_at: datetime(m.created_at),
    }
}

/// The one member a roster holds.
fn only(r: Roster) -> axum::Json<MemberItem> {
    let m = &r.members.items[0];
    axum::Json(item(&r, m))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MemberPage {
    pub content: Vec<MemberItem>,
    pub page: PageInfo,
}

/// M1: the agency's members, oldest first. Scope `inquiry` (as the guide's
/// M1), no group permission: every member may see the colleagues of its
/// own agency; another agency's → AGENCY_ACCESS_DENIED.
#[utoipa::path(get, path = "/api/oris/v1/agencies/{agencyId}/members", tag = "members",
    params(("agencyId" = String, Path), PageQuery), security(("bearer" = [])),
    responses((status = 200, body = MemberPage),
        (status = 400, description = "BAD_REQUEST"),
        (status = 403, description = "AGENCY_ACCESS_DENIED, CONSENT_REQUIRED"),
        (status = 404, description = "AGENCY_NOT_FOUND")))]
pub async fn list(
    State(st): State<OrisState>,
    caller: Caller,
    Path(agency_id): Path<String>,
    Query(q): Query<PageQuery>,
) -> OrisResult<axum::Json<Page<MemberItem>>> {
    let paging = Paging::parse(q.page.as_deref(), q.size.as_deref(), 100)?;
    caller.need(&st, READ).await?;
    let r = st
        .registry
        .members(&caller.principal, &agency_id, paging.offset(), paging.size)
        .await?;
    let content = r.members.items.iter().map(|m| item(&r, m)).collect();
    Ok(axum::Json(Page {
        content,
        page: PageInfo::new(paging, r.members.total),
    }))
}

/// No `Debug`: it holds the first password.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MemberAddRequest {
    pub email: Option<String>,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub department: Option<String>,
    /// A built-in group (ADMIN, MANAGER, VIEWER) or one of the agency's.
    pub group_id: Option<String>,
    /// The first password, set by the admin: it must meet the policy.
    pub password: Option<String>,
    pub description: Option<String>,
}

fn email(v: &str) -> OrisResult<()> {
    bounded("email", v, 320)?;
    match v.split_once('@') {
        Some((a, d)) if !a.is_empty() && d.contains('.') && !v.contains(' ') => Ok(()),
        _ => Err(validation("email must be a well-formed email address")),
    }
}

fn new_member(req: MemberAddRequest) -> OrisResult<NewMember> {
    let v = required(&[
        ("email", &req.email),
        ("name", &req.name),
        ("phone", &req.phone),
        ("department", &req.department),
        ("groupId", &req.group_id),
        ("password", &req.password),
    ])?;
    email(v[0])?;
    for (name, i) in [("name", 1), ("phone", 2), ("department", 3)] {
        bounded(name, v[i], 100)?;
    }
    if let Some(d) = &req.description {
        bounded("description", d, 1000)?;
    }
    Ok(NewMember {
        email: v[0].to_owned(),
        name: v[1].to_owned(),
        phone: v[2].to_owned(),
        department: v[3].to_owned(),
        group_id: v[4].to_owned(),
        password: v[5].to_owned().into(),
        description: req.description.clone(),
    })
}

/// M2 add: 201 with the M1 item. The member is ACTIVE and has not signed
/// the pledge; the operator may add members to any agency.
#[utoipa::path(post, path = "/api/oris/v1/agencies/{agencyId}/members", tag = "members",
    params(("agencyId" = String, Path)), request_body = MemberAddRequest,
    security(("bearer" = [])),
    responses((status = 201, body = MemberItem),
        (status = 400, description = "BAD_REQUEST, MEMBER_PASSWORD_INVALID_FORMAT"),
        (status = 403, description = "ACCESS_TOKEN_NOT_ENOUGH_PERMISSION, MEMBER_ACCESS_DENIED, AGENCY_ACCESS_DENIED"),
        (status = 404, description = "AGENCY_NOT_FOUND, GROUP_NOT_FOUND"),
        (status = 409, description = "MEMBER_EMAIL_DUPLICATED")))]
pub async fn add(
    State(st): State<OrisState>,
    caller: Caller,
    Path(agency_id): Path<String>,
    Json(req): Json<MemberAddRequest>,
) -> OrisResult<(StatusCode, axum::Json<MemberItem>)> {
    let n = new_member(req)?;
    caller.need(&st, WRITE).await?;
    let r = st
        .registry
        .add_member(&caller.principal, &agency_id, n)
        .await?;
    Ok((StatusCode::CREATED, only(r)))
}

/// M2 detail: a member of the path agency; one of another agency →
/// MEMBER_NOT_MATCH.
#[utoipa::path(get, path = "/api/oris/v1/agencies/{agencyId}/members/{memberId}",
    tag = "members",
    params(("agencyId" = String, Path), ("memberId" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = MemberItem),
        (status = 403, description = "AGENCY_ACCESS_DENIED, MEMBER_NOT_MATCH"),
        (status = 404, description = "AGENCY_NOT_FOUND, MEMBER_NOT_FOUND")))]
pub async fn detail(
    State(st): State<OrisState>,
    caller: Caller,
    Path((agency_id, member_id)): Path<(String, String)>,
) -> OrisResult<axum::Json<MemberItem>> {
    caller.need(&st, READ).await?;
    let r = st
        .registry
        .member_of(&caller.principal, &agency_id, &member_id)
        .await?;
    Ok(only(r))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MemberChangeRequest {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub department: Option<String>,
    pub description: Option<String>,
    pub group_id: Option<String>,
    /// ACTIVE or INACTIVE (LOCKED is M4's to lift).
    pub status: Option<String>,
}

fn member_change(req: MemberChangeRequest) -> OrisResult<MemberChange> {
    for (name, v, max) in [
        ("name", &req.name, 100),
        ("phone", &req.phone, 100),
        ("department", &req.department, 100),
        ("description", &req.description, 1000),
    ] {
        if let Some(v) = v {
            bounded(name, v, max)?;
        }
    }
    if req.name.as_deref().is_some_and(|n| n.trim().is_empty()) {
        return Err(validation("name must not be blank"));
    }
    let status = match req.status.as_deref() {
        None => None,
        Some(s) => Some(
            MemberStatus::parse(s).ok_or_else(|| crate::error::OrisError::bad(INVALID_ARGUMENT))?,
        ),
    };
    Ok(MemberChange {
        name: req.name,
        phone: req.phone,
        department: req.department,
        description: req.description,
        group_id: req.group_id,
        status,
    })
}

/// M2 PATCH: what is sent changes (profile, group, status). INACTIVE
/// refuses the member's login and every call at once (MEMBER_NOT_ACTIVE).
#[utoipa::path(patch, path = "/api/oris/v1/agencies/{agencyId}/members/{memberId}",
    tag = "members",
    params(("agencyId" = String, Path), ("memberId" = String, Path)),
    request_body = MemberChangeRequest, security(("bearer" = [])),
    responses((status = 200, body = MemberItem),
        (status = 400, description = "BAD_REQUEST (a status other than ACTIVE/INACTIVE: Invalid argument)"),
        (status = 403, description = "ACCESS_TOKEN_NOT_ENOUGH_PERMISSION, MEMBER_ACCESS_DENIED, AGENCY_ACCESS_DENIED, MEMBER_NOT_MATCH"),
        (status = 404, description = "AGENCY_NOT_FOUND, MEMBER_NOT_FOUND, GROUP_NOT_FOUND")))]
pub async fn change(
    State(st): State<OrisState>,
    caller: Caller,
    Path((agency_id, member_id)): Path<(String, String)>,
    Json(req): Json<MemberChangeRequest>,
) -> OrisResult<axum::Json<MemberItem>> {
    let c = member_change(req)?;
    caller.need(&st, WRITE).await?;
    let r = st
        .registry
        .change_member(&caller.principal, &agency_id, &member_id, c)
        .await?;
    Ok(only(r))
}

/// M2 DELETE: 204; the member's sessions end. A member that other records
/// name (batches, posts) is kept: INVALID_REQUEST, set it INACTIVE instead.
#[utoipa::path(delete, path = "/api/oris/v1/agencies/{agencyId}/members/{memberId}",
    tag = "members",
    params(("agencyId" = String, Path), ("memberId" = String, Path)),
    security(("bearer" = [])),
    responses((status = 204, description = "deleted"),
        (status = 400, description = "INVALID_REQUEST"),
        (status = 403, description = "ACCESS_TOKEN_NOT_ENOUGH_PERMISSION, MEMBER_ACCESS_DENIED, AGENCY_ACCESS_DENIED, MEMBER_NOT_MATCH"),
        (status = 404, description = "AGENCY_NOT_FOUND, MEMBER_NOT_FOUND")))]
pub async fn remove(
    State(st): State<OrisState>,
    caller: Caller,
    Path((agency_id, member_id)): Path<(String, String)>,
) -> OrisResult<StatusCode> {
    caller.need(&st, WRITE).await?;
    st.registry
        .remove_member(&caller.principal, &agency_id, &member_id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PasswordResetResponse {
    /// Shown once. Logging in with it answers MEMBER_PASSWORD_RESET: change
    /// it first with A5 (`oldPassword` = this).
    pub temporary_password: String,
}

/// M3: a temporary password replaces the member's. It also lifts a lock and
/// ends the member's sessions.
#[utoipa::path(post,
    path = "/api/oris/v1/agencies/{agencyId}/members/{memberId}/password-reset",
    tag = "members",
    params(("agencyId" = String, Path), ("memberId" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = PasswordResetResponse),
        (status = 403, description = "ACCESS_TOKEN_NOT_ENOUGH_PERMISSION, MEMBER_ACCESS_DENIED, AGENCY_ACCESS_DENIED, MEMBER_NOT_MATCH"),
        (status = 404, description = "AGENCY_NOT_FOUND, MEMBER_NOT_FOUND")))]
pub async fn reset(
    State(st): State<OrisState>,
    caller: Caller,
    Path((agency_id, member_id)): Path<(String, String)>,
) -> OrisResult<axum::Json<PasswordResetResponse>> {
    caller.need(&st, WRITE).await?;
    let temporary_password = st
        .registry
        .reset_password(&caller.principal, &agency_id, &member_id)
        .await?;
    Ok(axum::Json(PasswordResetResponse {
        temporary_password: temporary_password.reveal().to_owned(),
    }))
}

/// M4: 200 with the member, unlocked and its failure count 0.
#[utoipa::path(post, path = "/api/oris/v1/agencies/{agencyId}/members/{memberId}/unlock",
    tag = "members",
    params(("agencyId" = String, Path), ("memberId" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = MemberItem),
        (status = 403, description = "ACCESS_TOKEN_NOT_ENOUGH_PERMISSION, MEMBER_ACCESS_DENIED, AGENCY_ACCESS_DENIED, MEMBER_NOT_MATCH"),
        (status = 404, description = "AGENCY_NOT_FOUND, MEMBER_NOT_FOUND")))]
pub async fn unlock(
    State(st): State<OrisState>,
    caller: Caller,
    Path((agency_id, member_id)): Path<(String, String)>,
) -> OrisResult<axum::Json<MemberItem>> {
    caller.need(&st, WRITE).await?;
    let r = st
        .registry
        .unlock_member(&caller.principal, &agency_id, &member_id)
        .await?;
    Ok(only(r))
}

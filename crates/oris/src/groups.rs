//! Permission groups (P1): the built-in ADMIN, MANAGER and VIEWER (shared
//! by every agency, `builtIn: true`) and the caller's agency's own. Reads
//! want scope `admin`; changes, also MEMBER_ADMIN.

use crate::agencies::bounded;
use crate::caller::Caller;
use crate::error::{OrisError, OrisResult};
use crate::extract::{validation, Json, Path};
use crate::wire::{datetime, Page, PageInfo};
use crate::OrisState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use finhub_core::oris::groups::GroupSpec;
use finhub_core::oris::staff::{Group, Permission, Scope};
use finhub_core::oris::Need;
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

pub fn routes() -> Router<OrisState> {
    Router::new()
        .route("/api/oris/v1/groups", get(list).post(create))
        .route(
            "/api/oris/v1/groups/{groupId}",
            get(detail).put(update).delete(remove),
        )
}

#[derive(OpenApi)]
#[openapi(
    paths(list, create, detail, update, remove),
    components(schemas(GroupItem, GroupPage, GroupRequest))
)]
pub struct Doc;

const READ: Need = Need::of(Scope::Admin, None);
const WRITE: Need = Need::of(Scope::Admin, Some(Permission::MemberAdmin));

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GroupItem {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub built_in: bool,
    /// REMITTANCE_REPORT, REMITTANCE_READ, USER_READ, BATCH_WRITE,
    /// MEMBER_ADMIN, BOARD_WRITE.
    pub permissions: Vec<&'static str>,
    pub created_at: String,
}

impl From<Group> for GroupItem {
    fn from(g: Group) -> Self {
        GroupItem {
            built_in: g.built_in(),
            permissions: g.permissions.iter().map(|p| p.as_str()).collect(),
            created_at: datetime(g.created_at),
            id: g.group_id,
            name: g.name,
            description: g.description,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupPage {
    pub content: Vec<GroupItem>,
    pub page: PageInfo,
}

/// P1 list: the built-ins first, then the caller's agency's own groups,
/// all on one page.
#[utoipa::path(get, path = "/api/oris/v1/groups", tag = "groups",
    security(("bearer" = [])),
    responses((status = 200, body = GroupPage),
        (status = 403, description = "ACCESS_TOKEN_NOT_ENOUGH_PERMISSION")))]
pub async fn list(
    State(st): State<OrisState>,
    caller: Caller,
) -> OrisResult<axum::Json<Page<GroupItem>>> {
    caller.need(&st, READ).await?;
    let groups = st.registry.groups(&caller.principal).await?;
    let n = groups.len() as u64;
    let paging = crate::extract::Paging {
        page: 0,
        size: u32::try_from(n.max(1)).unwrap_or(u32::MAX),
    };
    Ok(axum::Json(Page {
        content: groups.into_iter().map(GroupItem::from).collect(),
        page: PageInfo::new(paging, n),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct GroupRequest {
    pub name: Option<String>,
    pub description: Option<String>,
    /// Permission words; an unknown one is INVALID_REQUEST.
    pub permissions: Option<Vec<String>>,
}

fn spec(req: GroupRequest) -> OrisResult<GroupSpec> {
    let name = req
        .name
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| validation("name must not be blank"))?;
    bounded("name", &name, 100)?;
    if let Some(d) = &req.description {
        bounded("description", d, 1000)?;
    }
    let mut permissions = Vec::new();
    for w in req
        .permissions
        .ok_or_else(|| validation("permissions must not be null"))?
    {
        let p = Permission::parse(&w)
            .ok_or_else(|| OrisError::invalid(format!("unknown permission {w}")))?;
        if !permissions.contains(&p) {
            permissions.push(p);
        }
    }
    Ok(GroupSpec {
        name,
        description: req.description,
        permissions,
    })
}

/// P1 create: a group of the caller's agency.
#[utoipa::path(post, path = "/api/oris/v1/groups", tag = "groups",
    request_body = GroupRequest, security(("bearer" = [])),
    responses((status = 201, body = GroupItem),
        (status = 400, description = "BAD_REQUEST, INVALID_REQUEST (unknown permission)"),
        (status = 403, description = "ACCESS_TOKEN_NOT_ENOUGH_PERMISSION, MEMBER_ACCESS_DENIED")))]
pub async fn create(
    State(st): State<OrisState>,
    caller: Caller,
    Json(req): Json<GroupRequest>,
) -> OrisResult<(StatusCode, axum::Json<GroupItem>)> {
    let s = spec(req)?;
    caller.need(&st, WRITE).await?;
    let g = st.registry.create_group(&caller.principal, s).await?;
    Ok((StatusCode::CREATED, axum::Json(g.into())))
}

/// P1 detail: a built-in or the caller's agency's group; another agency's
/// → GROUP_NOT_FOUND.
#[utoipa::path(get, path = "/api/oris/v1/groups/{groupId}", tag = "groups",
    params(("groupId" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = GroupItem),
        (status = 404, description = "GROUP_NOT_FOUND")))]
pub async fn detail(
    State(st): State<OrisState>,
    caller: Caller,
    Path(group_id): Path<String>,
) -> OrisResult<axum::Json<GroupItem>> {
    caller.need(&st, READ).await?;
    let g = st
        .registry
        .group_detail(&caller.principal, &group_id)
        .await?;
    Ok(axum::Json(g.into()))
}

/// P1 update: replaces name, description and permissions; the members in
/// it have the new permissions on their next call.
#[utoipa::path(put, path = "/api/oris/v1/groups/{groupId}", tag = "groups",
    params(("groupId" = String, Path)), request_body = GroupRequest,
    security(("bearer" = [])),
    responses((status = 200, body = GroupItem),
        (status = 400, description = "BAD_REQUEST, INVALID_REQUEST"),
        (status = 403, description = "GROUP_UPDATE_FORBIDDEN (a built-in), MEMBER_ACCESS_DENIED"),
        (status = 404, description = "GROUP_NOT_FOUND")))]
pub async fn update(
    State(st): State<OrisState>,
    caller: Caller,
    Path(group_id): Path<String>,
    Json(req): Json<GroupRequest>,
) -> OrisResult<axum::Json<GroupItem>> {
    let s = spec(req)?;
    caller.need(&st, WRITE).await?;
    let g = st
        .registry
        .update_group(&caller.principal, &group_id, s)
        .await?;
    Ok(axum::Json(g.into()))
}

/// P1 delete: 204. A built-in, or a group members are still in →
/// GROUP_DELETE_FORBIDDEN.
#[utoipa::path(delete, path = "/api/oris/v1/groups/{groupId}", tag = "groups",
    params(("groupId" = String, Path)), security(("bearer" = [])),
    responses((status = 204, description = "deleted"),
        (status = 403, description = "MEMBER_ACCESS_DENIED"),
        (status = 404, description = "GROUP_NOT_FOUND"),
        (status = 409, description = "GROUP_DELETE_FORBIDDEN")))]
pub async fn remove(
    State(st): State<OrisState>,
    caller: Caller,
    Path(group_id): Path<String>,
) -> OrisResult<StatusCode> {
    caller.need(&st, WRITE).await?;
    st.registry
        .delete_group(&caller.principal, &group_id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

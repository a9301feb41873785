//! Agencies (G1–G3) and their API keys (K1). G1 and G3 are the operator's
//! (an agency of type 한국은행); G2 and K1 reach the caller's own agency, or
//! any for the operator.

use crate::auth::required;
use crate::caller::Caller;
use crate::codes::Code;
use crate::error::{OrisError, OrisResult};
use crate::extract::{validation, Json, Paging, Path, Query};
use crate::wire::{datetime, opt_datetime, Page, PageInfo};
use crate::OrisState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::Router;
use finhub_core::oris::agencies::{AgencyAction, AgencyApplication, AgencyChange};
use finhub_core::oris::ids::AgencyCode;
use finhub_core::oris::keys::IssuedKey;
use finhub_core::oris::staff::{Agency, AgencyType, ApiKey, Permission, Scope};
use finhub_core::oris::Need;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

pub fn routes() -> Router<OrisState> {
    Router::new()
        .route("/api/oris/v1/agencies", get(list).post(apply))
        .route(
            "/api/oris/v1/agencies/{agencyId}",
            get(detail).patch(change),
        )
        .route("/api/oris/v1/agencies/{agencyId}/{action}", post(act))
        .route(
            "/api/oris/v1/agencies/{agencyId}/api-keys",
            get(keys).post(issue_key),
        )
        .route(
            "/api/oris/v1/agencies/{agencyId}/api-keys/{apiKeyId}",
            delete(revoke_key),
        )
}

#[derive(OpenApi)]
#[openapi(
    paths(list, apply, detail, change, act, keys, issue_key, revoke_key),
    components(schemas(
        AgencyView,
        AgencyPage,
        AgencyApplyRequest,
        AgencyChangeRequest,
        ApiKeyRequest,
        ApiKeyItem,
        ApiKeyPage,
        IssuedApiKey
    ))
)]
pub struct Doc;

/// Reads of agencies and keys want `admin`; changes, also MEMBER_ADMIN.
const READ: Need = Need::of(Scope::Admin, None);
const WRITE: Need = Need::of(Scope::Admin, Some(Permission::MemberAdmin));

/// G2's answer, also G1's items and G3's answer.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AgencyView {
    pub agency_id: String,
    pub agency_code: String,
    pub agency_name: String,
    /// 은행, 우정사업본부, 증권사, 카드사, 소액해외송금업자 or 한국은행.
    pub agency_type: &'static str,
    /// PENDING, APPROVED or REJECTED.
    pub approval_status: &'static str,
    pub active: bool,
    pub created_at: String,
}

impl From<Agency> for AgencyView {
    fn from(a: Agency) -> Self {
        AgencyView {
            agency_type: a.agency_type.as_str(),
            approval_status: a.approval.as_str(),
            created_at: datetime(a.created_at),
            agency_id: a.agency_id,
            agency_code: a.agency_code,
            agency_name: a.agency_name,
            active: a.active,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AgencyPage {
    pub content: Vec<AgencyView>,
    pub page: PageInfo,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct PageQuery {
    /// 0-based.
    pub page: Option<String>,
    /// 1–100, default 10.
    pub size: Option<String>,
}

/// A string field at most `max` characters long.
pub fn bounded(name: &str, v: &str, max: usize) -> OrisResult<()> {
    if v.chars().count() > max {
        return Err(validation(&format!(
            "{name} must be at most {max} characters"
        )));
    }
    Ok(())
}

fn agency_type(v: &str) -> OrisResult<AgencyType> {
    AgencyType::parse(v).ok_or_else(|| {
        validation("agencyType must be one of 은행, 우정사업본부, 증권사, 카드사, 소액해외송금업자, 한국은행")
    })
}

/// G1 list (operator only, else FORBIDDEN): every agency, oldest first.
#[utoipa::path(get, path = "/api/oris/v1/agencies", tag = "agencies", params(PageQuery),
    security(("bearer" = [])),
    responses((status = 200, body = AgencyPage),
        (status = 400, description = "BAD_REQUEST"),
        (status = 401, description = "ACCESS_TOKEN_REQUIRED, ACCESS_TOKEN_INVALID, ACCESS_TOKEN_EXPIRED"),
        (status = 403, description = "ACCESS_TOKEN_NOT_ENOUGH_PERMISSION (scope admin), FORBIDDEN (not the operator)")))]
pub async fn list(
    State(st): State<OrisState>,
    caller: Caller,
    Query(q): Query<PageQuery>,
) -> OrisResult<axum::Json<Page<AgencyView>>> {
    caller.need(&st, READ).await?;
    let paging = Paging::parse(q.page.as_deref(), q.size.as_deref(), 100)?;
    let s = st
        .registry
        .list_agencies(&caller.principal, paging.offset(), paging.size)
        .await?;
    Ok(axum::Json(Page {
        content: s.items.into_iter().map(AgencyView::from).collect(),
        page: PageInfo::new(paging, s.total),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AgencyApplyRequest {
    /// 4 digits, unique.
    pub agency_code: Option<String>,
    pub agency_name: Option<String>,
    pub agency_type: Option<String>,
}

/// G1 apply (operator only): a new agency, `approvalStatus: PENDING` and
/// active; it cannot sign in or report until approved (G3). Its first
/// member is added by the operator with M2.
#[utoipa::path(post, path = "/api/oris/v1/agencies", tag = "agencies",
    request_body = AgencyApplyRequest, security(("bearer" = [])),
    responses((status = 201, body = AgencyView),
        (status = 400, description = "BAD_REQUEST (missing field, agencyCode not 4 digits, unknown agencyType)"),
        (status = 403, description = "ACCESS_TOKEN_NOT_ENOUGH_PERMISSION, MEMBER_ACCESS_DENIED, FORBIDDEN"),
        (status = 409, description = "AGENCY_CODE_DUPLICATED")))]
pub async fn apply(
    State(st): State<OrisState>,
    caller: Caller,
    Json(req): Json<AgencyApplyRequest>,
) -> OrisResult<(StatusCode, axum::Json<AgencyView>)> {
    let v = required(&[
        ("agencyCode", &req.agency_code),
        ("agencyName", &req.agency_name),
        ("agencyType", &req.agency_type),
    ])?;
    let code = AgencyCode::parse(v[0]).ok_or_else(|| validation("agencyCode must be 4 digits"))?;
    bounded("agencyName", v[1], 100)?;
    let app = AgencyApplication {
        agency_code: code.as_str().to_owned(),
        agency_name: v[1].to_owned(),
        agency_type: agency_type(v[2])?,
    };
    caller.need(&st, WRITE).await?;
    let a = st.registry.apply_agency(&caller.principal, app).await?;
    Ok((StatusCode::CREATED, axum::Json(a.into())))
}

/// G2 detail: the caller's own agency, or any for the operator; another
/// agency's → AGENCY_ACCESS_DENIED (whether it exists or not).
#[utoipa::path(get, path = "/api/oris/v1/agencies/{agencyId}", tag = "agencies",
    params(("agencyId" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = AgencyView),
        (status = 403, description = "ACCESS_TOKEN_NOT_ENOUGH_PERMISSION, AGENCY_ACCESS_DENIED"),
        (status = 404, description = "AGENCY_NOT_FOUND (the operator asking)")))]
pub async fn detail(
    State(st): State<OrisState>,
    caller: Caller,
    Path(agency_id): Path<String>,
) -> OrisResult<axum::Json<AgencyView>> {
    caller.need(&st, READ).await?;
    let a = st
        .registry
        .agency_detail(&caller.principal, &agency_id)
        .await?;
    Ok(axum::Json(a.into()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AgencyChangeRequest {
    pub agency_name: Option<String>,
    /// Only the operator may change it (FORBIDDEN otherwise).
    pub agency_type: Option<String>,
}

/// G2 change: the name (the agency's admin or the operator) and the type
/// (the operator only). The code and the approval do not change here.
#[utoipa::path(patch, path = "/api/oris/v1/agencies/{agencyId}", tag = "agencies",
    params(("agencyId" = String, Path)), request_body = AgencyChangeRequest,
    security(("bearer" = [])),
    responses((status = 200, body = AgencyView),
        (status = 400, description = "BAD_REQUEST"),
        (status = 403, description = "ACCESS_TOKEN_NOT_ENOUGH_PERMISSION, MEMBER_ACCESS_DENIED, AGENCY_ACCESS_DENIED, FORBIDDEN (the type, by a non-operator)"),
        (status = 404, description = "AGENCY_NOT_FOUND")))]
pub async fn change(
    State(st): State<OrisState>,
    caller: Caller,
    Path(agency_id): Path<String>,
    Json(req): Json<AgencyChangeRequest>,
) -> OrisResult<axum::Json<AgencyView>> {
    if let Some(n) = &req.agency_name {
        if n.trim().is_empty() {
            return Err(validation("agencyName must not be blank"));
        }
        bounded("agencyName", n, 100)?;
    }
    let c = AgencyChange {
        agency_name: req.agency_name,
        agency_type: req.agency_type.as_deref().map(agency_type).transpose()?,
    };
    caller.need(&st, WRITE).await?;
    let a = st
        .registry
        .change_agency(&caller.principal, &agency_id, c)
        .await?;
    Ok(axum::Json(a.into()))
}

/// G3 (operator only): `approve` and `reject` set `approvalStatus`,
/// `activate` and `deactivate` set `active`; each answers 200 with the
/// agency. Repeating one is harmless. The operator cannot reject or
/// deactivate its own agency (INVALID_REQUEST).
#[utoipa::path(post, path = "/api/oris/v1/agencies/{agencyId}/{action}", tag = "agencies",
    params(("agencyId" = String, Path),
        ("action" = String, Path, description = "approve, reject, activate or deactivate")),
    security(("bearer" = [])),
    responses((status = 200, body = AgencyView),
        (status = 400, description = "INVALID_REQUEST"),
        (status = 403, description = "ACCESS_TOKEN_NOT_ENOUGH_PERMISSION, MEMBER_ACCESS_DENIED, FORBIDDEN"),
        (status = 404, description = "AGENCY_NOT_FOUND, or an unknown action")))]
pub async fn act(
    State(st): State<OrisState>,
    caller: Caller,
    Path((agency_id, action)): Path<(String, String)>,
) -> OrisResult<axum::Json<AgencyView>> {
    let action = AgencyAction::parse(&action).ok_or_else(|| {
        OrisError::bad(format!(
            "No endpoint POST /api/oris/v1/agencies/{agency_id}/{action}."
        ))
        .at(StatusCode::NOT_FOUND)
    })?;
    caller.need(&st, WRITE).await?;
    let a = st
        .registry
        .act_on_agency(&caller.principal, &agency_id, action)
        .await?;
    Ok(axum::Json(a.into()))
}

/// K1's list item: never the secret.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyItem {
    pub api_key_id: String,
    pub name: String,
    /// The key's first 12 characters.
    pub prefix: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    /// Set once the key is deleted (revoked).
    pub revoked_at: Option<String>,
}

impl From<ApiKey> for ApiKeyItem {
    fn from(k: ApiKey) -> Self {
        ApiKeyItem {
            created_at: datetime(k.created_at),
            last_used_at: opt_datetime(k.last_used_at),
            revoked_at: opt_datetime(k.revoked_at),
            api_key_id: k.api_key_id,
            name: k.name,
            prefix: k.prefix,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKeyPage {
    pub content: Vec<ApiKeyItem>,
    pub page: PageInfo,
}

/// K1 list: the agency's keys, oldest first, revoked ones with `revokedAt`.
#[utoipa::path(get, path = "/api/oris/v1/agencies/{agencyId}/api-keys", tag = "agencies",
    params(("agencyId" = String, Path), PageQuery), security(("bearer" = [])),
    responses((status = 200, body = ApiKeyPage),
        (status = 403, description = "ACCESS_TOKEN_NOT_ENOUGH_PERMISSION, MEMBER_ACCESS_DENIED, AGENCY_ACCESS_DENIED"),
        (status = 404, description = "AGENCY_NOT_FOUND")))]
pub async fn keys(
    State(st): State<OrisState>,
    caller: Caller,
    Path(agency_id): Path<String>,
    Query(q): Query<PageQuery>,
) -> OrisResult<axum::Json<Page<ApiKeyItem>>> {
    let paging = Paging::parse(q.page.as_deref(), q.size.as_deref(), 100)?;
    caller.need(&st, WRITE).await?;
    let all = st.registry.api_keys(&caller.principal, &agency_id).await?;
    let total = all.len() as u64;
    let content = all
        .into_iter()
        .skip(paging.offset() as usize)
        .take(paging.size as usize)
        .map(ApiKeyItem::from)
        .collect();
    Ok(axum::Json(Page {
        content,
        page: PageInfo::new(paging, total),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ApiKeyRequest {
    pub name: Option<String>,
}

/// K1 create's answer: the only time `apiKey` and `apiSecret` are shown.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IssuedApiKey {
    pub api_key_id: String,
    pub name: String,
    pub prefix: String,
    pub api_key: String,
    pub api_secret: String,
    pub created_at: String,
}

impl From<IssuedKey> for IssuedApiKey {
    fn from(k: IssuedKey) -> Self {
        IssuedApiKey {
            // Shown this once, in the answer to its creation.
            api_secret: k.reveal_secret().to_owned(),
            created_at: datetime(k.key.created_at),
            api_key_id: k.key.api_key_id,
            name: k.key.name,
            prefix: k.key.prefix,
            api_key: k.api_key,
        }
    }
}

/// K1 create: a key for the agency's systems (A2). The secret is stored
/// only as an argon2 hash, the key as its SHA-256.
#[utoipa::path(post, path = "/api/oris/v1/agencies/{agencyId}/api-keys", tag = "agencies",
    params(("agencyId" = String, Path)), request_body = ApiKeyRequest,
    security(("bearer" = [])),
    responses((status = 201, body = IssuedApiKey),
        (status = 400, description = "BAD_REQUEST"),
        (status = 403, description = "ACCESS_TOKEN_NOT_ENOUGH_PERMISSION, MEMBER_ACCESS_DENIED, AGENCY_ACCESS_DENIED"),
        (status = 404, description = "AGENCY_NOT_FOUND")))]
pub async fn issue_key(
    State(st): State<OrisState>,
    caller: Caller,
    Path(agency_id): Path<String>,
    Json(req): Json<ApiKeyRequest>,
) -> OrisResult<(StatusCode, axum::Json<IssuedApiKey>)> {
    let v = required(&[("name", &req.name)])?;
    bounded("name", v[0], 100)?;
    caller.need(&st, WRITE).await?;
    let k = st
        .registry
        .issue_api_key(&caller.principal, &agency_id, v[0])
        .await?;
    Ok((StatusCode::CREATED, axum::Json(k.into())))
}

/// K1 delete: the key is revoked at once, and the tokens issued for it
/// end. An unknown, already revoked or another agency's key → 404
/// API_KEY_NOT_FOUND.
#[utoipa::path(delete, path = "/api/oris/v1/agencies/{agencyId}/api-keys/{apiKeyId}",
    tag = "agencies",
    params(("agencyId" = String, Path), ("apiKeyId" = String, Path)),
    security(("bearer" = [])),
    responses((status = 204, description = "revoked"),
        (status = 403, description = "ACCESS_TOKEN_NOT_ENOUGH_PERMISSION, MEMBER_ACCESS_DENIED, AGENCY_ACCESS_DENIED"),
        (status = 404, description = "API_KEY_NOT_FOUND, AGENCY_NOT_FOUND")))]
pub async fn revoke_key(
    State(st): State<OrisState>,
    caller: Caller,
    Path((agency_id, key_id)): Path<(String, String)>,
) -> OrisResult<StatusCode> {
    caller.need(&st, WRITE).await?;
    st.registry
        .revoke_api_key(&caller.principal, &agency_id, &key_id)
        .await
        .map_err(|r| {
            let e = OrisError::from(r);
            // At key management an unknown key is a missing resource.
            match e.code {
                Code::ApiKeyNotFound => e.at(StatusCode::NOT_FOUND),
                _ => e,
            }
        })?;
    Ok(StatusCode::NO_CONTENT)
}

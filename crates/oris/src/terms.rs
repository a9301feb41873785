//! Terms (T1–T3) and the member's pledge (M5). Term reads and the pledge
//! itself are reachable before the pledge is signed; nothing else is.

use crate::caller::Caller;
use crate::error::{ErrorBody, OrisResult};
use crate::extract::{validation, Json, Paging, Path, Query};
use crate::wire::{datetime, opt_datetime, parse_datetime, Page, PageInfo};
use crate::OrisState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::Router;
use finhub_core::oris::staff::Scope;
use finhub_core::oris::terms::{Term, TermText, TermType};
use finhub_core::oris::{Need, Refusal};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

pub fn routes() -> Router<OrisState> {
    Router::new()
        .route("/api/oris/v1/terms", get(list).post(create))
        .route(
            "/api/oris/v1/terms/{termId}",
            get(one).put(update).delete(remove),
        )
        .route(
            "/api/oris/v1/terms/{termId}/initiation-date",
            put(set_date).delete(withdraw_date),
        )
        .route("/api/oris/v1/term-types", get(types))
        .route("/api/oris/v1/members/me/consents", post(sign_pledge))
}

#[derive(OpenApi)]
#[openapi(
    paths(
        list,
        one,
        types,
        create,
        update,
        remove,
        set_date,
        withdraw_date,
        sign_pledge
    ),
    components(schemas(
        TermItem,
        TermTypeItem,
        TermPage,
        TermRequest,
        InitiationDateRequest,
        PledgeRequest,
        PledgeResponse
    ))
)]
pub struct Doc;

#[derive(Debug, Serialize, ToSchema)]
pub struct TermTypeItem {
    pub code: &'static str,
    pub name: &'static str,
}

impl From<TermType> for TermTypeItem {
    fn from(t: TermType) -> Self {
        TermTypeItem {
            code: t.code(),
            name: t.name(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TermItem {
    pub term_id: String,
    pub term_type: TermTypeItem,
    pub title: String,
    pub content: String,
    pub version: String,
    pub required: bool,
    pub initiation_date: Option<String>,
    pub created_at: String,
}

impl From<Term> for TermItem {
    fn from(t: Term) -> Self {
        TermItem {
            term_type: t.term_type.into(),
            initiation_date: opt_datetime(t.initiation_date),
            created_at: datetime(t.created_at),
            term_id: t.term_id,
            title: t.title,
            content: t.content,
            version: t.version,
            required: t.required,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TermPage {
    pub content: Vec<TermItem>,
    pub page: PageInfo,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
pub struct TermQuery {
    /// A term type's code.
    pub term_type: Option<String>,
    #[param(value_type = Option<u32>)]
    pub page: Option<String>,
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    pub size: Option<String>,
}

/// T1: the terms a caller may see, newest first: those in force (and, for
/// the operator, drafts and scheduled ones too). Reachable before the
/// pledge is signed.
#[utoipa::path(get, path = "/api/oris/v1/terms", tag = "terms", params(TermQuery),
    security(("bearer" = [])),
    responses((status = 200, body = TermPage),
        (status = 401, description = "ACCESS_TOKEN_REQUIRED, ACCESS_TOKEN_INVALID, ACCESS_TOKEN_EXPIRED", body = ErrorBody),
        (status = 404, description = "TERM_TYPE_NOT_FOUND", body = ErrorBody)))]
pub async fn list(
    State(st): State<OrisState>,
    caller: Caller,
    Query(q): Query<TermQuery>,
) -> OrisResult<axum::Json<Page<TermItem>>> {
    caller.need(&st, Need::any().without_pledge()).await?;
    let paging = Paging::parse(q.page.as_deref(), q.size.as_deref(), 100)?;
    let ty = match q.term_type.as_deref() {
        None | Some("") => None,
        Some(c) => Some(term_type(c)?),
    };
    let terms = st.registry.visible_terms(&caller.principal, ty).await?;
    let total = terms.len() as u64;
    let content = terms
        .into_iter()
        .skip(paging.offset() as usize)
        .take(paging.size as usize)
        .map(TermItem::from)
        .collect();
    Ok(axum::Json(Page {
        content,
        page: PageInfo::new(paging, total),
    }))
}

fn term_type(code: &str) -> OrisResult<TermType> {
    TermType::parse(code).ok_or_else(|| Refusal::TermTypeNotFound.into())
}

/// T1: one term. A draft or a scheduled term is shown to the operator only
/// (anyone else: TERM_NOT_FOUND until it comes into force).
#[utoipa::path(get, path = "/api/oris/v1/terms/{termId}", tag = "terms",
    params(("termId" = String, Path, description = "ULID")), security(("bearer" = [])),
    responses((status = 200, body = TermItem), (status = 404, description = "TERM_NOT_FOUND", body = ErrorBody)))]
pub async fn one(
    State(st): State<OrisState>,
    caller: Caller,
    Path(term_id): Path<String>,
) -> OrisResult<axum::Json<TermItem>> {
    caller.need(&st, Need::any().without_pledge()).await?;
    let t = st
        .registry
        .visible_term(&caller.principal, &term_id)
        .await?;
    Ok(axum::Json(t.into()))
}

/// T1: the term types, as a bare array of `{code, name}`.
#[utoipa::path(get, path = "/api/oris/v1/term-types", tag = "terms",
    security(("bearer" = [])), responses((status = 200, body = [TermTypeItem])))]
pub async fn types(
    State(st): State<OrisState>,
    caller: Caller,
) -> OrisResult<axum::Json<Vec<TermTypeItem>>> {
    caller.need(&st, Need::any().without_pledge()).await?;
    Ok(axum::Json(
        TermType::ALL.into_iter().map(TermTypeItem::from).collect(),
    ))
}

/// T2's body: `termType` is a type's code.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TermRequest {
    #[schema(example = "개인정보보호서약서", value_type = String, min_length = 1)]
    pub term_type: Option<String>,
    #[schema(value_type = String, min_length = 1, pattern = "\\S")]
    pub title: Option<String>,
    #[schema(value_type = String, min_length = 1, pattern = "\\S")]
    pub content: Option<String>,
    #[schema(example = "2.0", value_type = String, min_length = 1, pattern = "\\S")]
    pub version: Option<String>,
    #[schema(value_type = bool)]
    pub required: Option<bool>,
}

impl TermRequest {
    fn text(self) -> OrisResult<TermText> {
        let field = crate::boards::text;
        let code = field(self.term_type, "termType")?;
        let text = TermText {
            title: field(self.title, "title")?,
            content: field(self.content, "content")?,
            version: field(self.version, "version")?,
            required: self
                .required
                .ok_or_else(|| validation("required must not be null"))?,
            term_type: term_type(&code)?,
        };
        Ok(text)
    }
}

/// T2: a new term, a draft (`initiationDate: null`) until T3 dates it.
/// Operator only (scope admin); anyone else FORBIDDEN.
#[utoipa::path(post, path = "/api/oris/v1/terms", tag = "terms", request_body = TermRequest,
    security(("bearer" = [])),
    responses((status = 201, body = TermItem),
        (status = 400, description = "BAD_REQUEST (a field missing or blank)", body = ErrorBody),
        (status = 403, description = "FORBIDDEN (not the operator), ACCESS_TOKEN_NOT_ENOUGH_PERMISSION", body = ErrorBody),
        (status = 404, description = "TERM_TYPE_NOT_FOUND", body = ErrorBody)))]
pub async fn create(
    State(st): State<OrisState>,
    caller: Caller,
    Json(req): Json<TermRequest>,
) -> OrisResult<(StatusCode, axum::Json<TermItem>)> {
    caller.need(&st, Need::of(Scope::Admin, None)).await?;
    let t = st
        .registry
        .create_term(&caller.principal, req.text()?)
        .await?;
    Ok((StatusCode::CREATED, axum::Json(t.into())))
}

/// T2: rewrite a term while it is a draft or scheduled for later (its date
/// stays). Once in force it is locked: TERM_CANNOT_UPDATE.
#[utoipa::path(put, path = "/api/oris/v1/terms/{termId}", tag = "terms",
    params(("termId" = String, Path, description = "ULID")), request_body = TermRequest,
    security(("bearer" = [])),
    responses((status = 200, body = TermItem),
        (status = 403, description = "FORBIDDEN (not the operator)", body = ErrorBody),
        (status = 404, description = "TERM_NOT_FOUND, TERM_TYPE_NOT_FOUND", body = ErrorBody),
        (status = 409, description = "TERM_CANNOT_UPDATE (in force)", body = ErrorBody)))]
pub async fn update(
    State(st): State<OrisState>,
    caller: Caller,
    Path(term_id): Path<String>,
    Json(req): Json<TermRequest>,
) -> OrisResult<axum::Json<TermItem>> {
    caller.need(&st, Need::of(Scope::Admin, None)).await?;
    let text = req.text()?;
    let t = st
        .registry
        .update_term(&caller.principal, &term_id, text)
        .await?;
    Ok(axum::Json(t.into()))
}

/// T2: delete a term that was never in force and that nobody signed
/// (204). Otherwise TERM_CANNOT_DELETE.
#[utoipa::path(delete, path = "/api/oris/v1/terms/{termId}", tag = "terms",
    params(("termId" = String, Path, description = "ULID")), security(("bearer" = [])),
    responses((status = 204, description = "deleted"),
        (status = 403, description = "FORBIDDEN (not the operator)", body = ErrorBody),
        (status = 404, description = "TERM_NOT_FOUND", body = ErrorBody),
        (status = 409, description = "TERM_CANNOT_DELETE (in force, or consented to)", body = ErrorBody)))]
pub async fn remove(
    State(st): State<OrisState>,
    caller: Caller,
    Path(term_id): Path<String>,
) -> OrisResult<StatusCode> {
    caller.need(&st, Need::of(Scope::Admin, None)).await?;
    st.registry.delete_term(&caller.principal, &term_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InitiationDateRequest {
    #[schema(example = "2027-01-01T00:00:00.000000+09:00", value_type = String,
        format = DateTime)]
    pub initiation_date: Option<String>,
}

/// T3: date a draft. The date must be later than now by the world clock,
/// and a term dated already must have its date withdrawn first; otherwise
/// TERM_CANNOT_SET_INITIATION_DATE. From that instant the term is the
/// current one of its type: a new 개인정보보호서약서 makes every member sign
/// again.
#[utoipa::path(put, path = "/api/oris/v1/terms/{termId}/initiation-date", tag = "terms",
    params(("termId" = String, Path, description = "ULID")), request_body = InitiationDateRequest,
    security(("bearer" = [])),
    responses((status = 200, body = TermItem),
        (status = 400, description = "TERM_CANNOT_SET_INITIATION_DATE, BAD_REQUEST", body = ErrorBody),
        (status = 403, description = "FORBIDDEN (not the operator)", body = ErrorBody),
        (status = 404, description = "TERM_NOT_FOUND", body = ErrorBody)))]
pub async fn set_date(
    State(st): State<OrisState>,
    caller: Caller,
    Path(term_id): Path<String>,
    Json(req): Json<InitiationDateRequest>,
) -> OrisResult<axum::Json<TermItem>> {
    caller.need(&st, Need::of(Scope::Admin, None)).await?;
    let raw = req
        .initiation_date
        .ok_or_else(|| validation("initiationDate must not be null"))?;
    let at = parse_datetime(&raw)
        .ok_or_else(|| validation("initiationDate must be an ISO-8601 date-time with an offset"))?;
    let t = st
        .registry
        .set_term_date(&caller.principal, &term_id, at)
        .await?;
    Ok(axum::Json(t.into()))
}

/// T3: withdraw a date not yet reached (200, the term a draft again; a
/// draft answers 200 unchanged). After the date:
/// TERM_CANNOT_WITHDRAW_INITIATION_DATE.
#[utoipa::path(delete, path = "/api/oris/v1/terms/{termId}/initiation-date", tag = "terms",
    params(("termId" = String, Path, description = "ULID")), security(("bearer" = [])),
    responses((status = 200, body = TermItem),
        (status = 403, description = "FORBIDDEN (not the operator)", body = ErrorBody),
        (status = 404, description = "TERM_NOT_FOUND", body = ErrorBody),
        (status = 409, description = "TERM_CANNOT_WITHDRAW_INITIATION_DATE", body = ErrorBody)))]
pub async fn withdraw_date(
    State(st): State<OrisState>,
    caller: Caller,
    Path(term_id): Path<String>,
) -> OrisResult<axum::Json<TermItem>> {
    caller.need(&st, Need::of(Scope::Admin, None)).await?;
    let t = st
        .registry
        .withdraw_term_date(&caller.principal, &term_id)
        .await?;
    Ok(axum::Json(t.into()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PledgeRequest {
    pub term_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PledgeResponse {
    pub consent_id: String,
    pub term_type_name: &'static str,
    pub consent_at: String,
}

/// M5: the signed-in member signs the 개인정보보호서약서 in force. 201 the
/// first time, 200 with the same consent after.
#[utoipa::path(post, path = "/api/oris/v1/members/me/consents", tag = "members",
    request_body = PledgeRequest, security(("bearer" = [])),
    responses((status = 201, body = PledgeResponse), (status = 200, body = PledgeResponse),
        (status = 404, description = "TERM_NOT_FOUND", body = ErrorBody),
        (status = 409, description = "CONSENT_NOT_MATCH (a term of another type)", body = ErrorBody)))]
pub async fn sign_pledge(
    State(st): State<OrisState>,
    caller: Caller,
    Json(req): Json<PledgeRequest>,
) -> OrisResult<(StatusCode, axum::Json<PledgeResponse>)> {
    caller.need(&st, Need::any().without_pledge()).await?;
    let member = caller.member_id()?;
    let term_id = req
        .term_id
        .filter(|t| !t.is_empty())
        .ok_or_else(|| validation("termId must not be blank"))?;
    let (c, new) = st.registry.sign_pledge(member, &term_id).await?;
    let status = if new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        axum::Json(PledgeResponse {
            consent_id: c.consent_id,
            term_type_name: TermType::Pledge.name(),
            consent_at: datetime(c.consent_at),
        }),
    ))
}

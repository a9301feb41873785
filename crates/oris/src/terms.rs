//! Terms (T1–T3) and the member's pledge (M5). Term reads and the pledge
//! itself are reachable before the pledge is signed; nothing else is.

use crate::caller::Caller;
use crate::error::{OrisError, OrisResult};
use crate::extract::{validation, Json, Paging, Query};
use crate::wire::{datetime, opt_datetime, Page, PageInfo};
use crate::OrisState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use finhub_core::oris::terms::{Term, TermType};
use finhub_core::oris::Need;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

pub fn routes() -> Router<OrisState> {
    Router::new()
        .route("/api/oris/v1/terms", get(list))
        .route("/api/oris/v1/members/me/consents", post(sign_pledge))
}

#[derive(OpenApi)]
#[openapi(
    paths(list, sign_pledge),
    components(schemas(TermItem, TermTypeItem, TermPage, PledgeRequest, PledgeResponse))
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
    pub page: Option<String>,
    pub size: Option<String>,
}

/// T1: the terms a caller may see, newest first: those in force (and, for
/// the operator, drafts and scheduled ones too).
#[utoipa::path(get, path = "/api/oris/v1/terms", tag = "terms", params(TermQuery),
    security(("bearer" = [])),
    responses((status = 200, body = TermPage),
        (status = 401, description = "ACCESS_TOKEN_REQUIRED, ACCESS_TOKEN_INVALID, ACCESS_TOKEN_EXPIRED"),
        (status = 404, description = "TERM_TYPE_NOT_FOUND")))]
pub async fn list(
    State(st): State<OrisState>,
    caller: Caller,
    Query(q): Query<TermQuery>,
) -> OrisResult<axum::Json<Page<TermItem>>> {
    caller.need(&st, Need::any().without_pledge()).await?;
    let paging = Paging::parse(q.page.as_deref(), q.size.as_deref(), 100)?;
    let ty = match q.term_type.as_deref() {
        None | Some("") => None,
        Some(c) => Some(
            TermType::parse(c)
                .ok_or_else(|| OrisError::new(crate::codes::Code::TermTypeNotFound))?,
        ),
    };
    let now = st.registry.now();
    let operator = caller.principal.is_operator();
    let mut terms: Vec<Term> = st
        .registry
        .repo
        .terms()
        .await?
        .into_iter()
        .filter(|t| ty.is_none_or(|ty| t.term_type == ty))
        .filter(|t| operator || t.in_force(now))
        .collect();
    terms.sort_by_key(|t| std::cmp::Reverse(t.created_at));
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
        (status = 404, description = "TERM_NOT_FOUND"),
        (status = 409, description = "CONSENT_NOT_MATCH (a term of another type)")))]
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

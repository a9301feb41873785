//! Sign-in and tokens (A1–A5): staff log in with e-mail and password and
//! get an access token (30 min) and a refresh token (12 h) for a session.

use crate::error::{OrisError, OrisResult};
use crate::extract::{validation, Json};
use crate::token::{Issued, Names};
use crate::OrisState;
use axum::extract::State;
use axum::routing::post;
use axum::Router;
use finhub_core::oris::login::SignedIn;
use finhub_core::oris::staff::Scope;
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

pub fn routes() -> Router<OrisState> {
    Router::new().route("/api/oris/v1/auth/login", post(login))
}

#[derive(OpenApi)]
#[openapi(paths(login), components(schemas(LoginRequest, TokenResponse)))]
pub struct Doc;

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub email: Option<String>,
    pub password: Option<String>,
    /// Space-separated subset of `inquiry report admin`; all three when absent.
    pub scope: Option<String>,
}

/// A1's answer (A2 and A3 answer the same shape).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TokenResponse {
    pub access_token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    pub token_type: &'static str,
    pub expires_in: i64,
    pub scope: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member_id: Option<String>,
    pub agency_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password_expires_at: Option<String>,
}

impl TokenResponse {
    pub fn new(issued: Issued, agency_id: String) -> TokenResponse {
        TokenResponse {
            access_token: issued.access,
            refresh_token: issued.refresh,
            token_type: "Bearer",
            expires_in: issued.expires_in,
            scope: issued.scope,
            member_id: None,
            agency_id,
            password_expires_at: None,
        }
    }
}

/// Parse a request's `scope`: an unknown word is INVALID_REQUEST.
pub fn scopes(scope: Option<&str>) -> OrisResult<Vec<Scope>> {
    Scope::parse_list(scope).ok_or_else(|| OrisError::invalid("unknown scope"))
}

/// Both fields of a credential pair, or Spring's validation refusal.
pub fn required<'a>(pairs: &[(&str, &'a Option<String>)]) -> OrisResult<Vec<&'a str>> {
    pairs
        .iter()
        .map(|(name, v)| match v.as_deref() {
            Some(s) if !s.is_empty() => Ok(s),
            _ => Err(validation(&format!("{name} must not be blank"))),
        })
        .collect()
}

/// Tokens for a member's new session.
pub async fn member_tokens(st: &OrisState, s: &SignedIn) -> OrisResult<TokenResponse> {
    let names = Names {
        agency_code: &s.agency.agency_code,
        group_id: Some(&s.member.group_id),
    };
    let issued = st
        .signer()
        .await?
        .issue(&s.session, names, st.registry.now())?;
    let mut r = TokenResponse::new(issued, s.agency.agency_id.clone());
    r.member_id = Some(s.member.member_id.clone());
    r.password_expires_at = Some(crate::wire::datetime(
        s.member.password_changed_at + finhub_core::oris::login::PASSWORD_MAX_AGE,
    ));
    Ok(r)
}

/// A1: member sign-in.
#[utoipa::path(post, path = "/api/oris/v1/auth/login", tag = "auth",
    request_body = LoginRequest,
    responses((status = 200, body = TokenResponse),
        (status = 400, description = "BAD_REQUEST, INVALID_REQUEST (unknown scope)"),
        (status = 401, description = "ACCOUNT_NOT_FOUND, MEMBER_PASSWORD_NOT_MATCH"),
        (status = 403, description = "MEMBER_NOT_ACTIVE, MEMBER_PASSWORD_RESET, MEMBER_PASSWORD_EXPIRED, AGENCY_NOT_APPROVED, AGENCY_NOT_ACTIVE"),
        (status = 423, description = "MEMBER_PASSWORD_FAIL_LIMIT_EXCEEDED, MEMBER_ACCOUNT_LOCKED")))]
pub async fn login(
    State(st): State<OrisState>,
    Json(req): Json<LoginRequest>,
) -> OrisResult<axum::Json<TokenResponse>> {
    let v = required(&[("email", &req.email), ("password", &req.password)])?;
    let scopes = scopes(req.scope.as_deref())?;
    let signed = st.registry.login(v[0], v[1], scopes).await?;
    Ok(axum::Json(member_tokens(&st, &signed).await?))
}

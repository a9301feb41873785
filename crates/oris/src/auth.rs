//! Sign-in and tokens (A1–A5): staff log in with e-mail and password and
//! get an access token (30 min) and a refresh token (12 h) for a session;
//! an agency's system signs in with an API key (no refresh token). Every
//! call reads the session row, so a logout ends its tokens on every node.

use crate::caller::Caller;
use crate::error::{OrisError, OrisResult};
use crate::extract::{validation, Json};
use crate::token::{Issued, Names, REFRESH};
use crate::OrisState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use finhub_core::oris::login::{NewPassword, SignedIn, PASSWORD_MAX_AGE};
use finhub_core::oris::staff::{Member, Scope};
use finhub_core::oris::Principal;
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

pub fn routes() -> Router<OrisState> {
    Router::new()
        .route("/api/oris/v1/auth/login", post(login))
        .route("/api/oris/v1/auth/token", post(token))
        .route("/api/oris/v1/auth/refresh", post(refresh))
        .route("/api/oris/v1/auth/logout", post(logout))
        .route("/api/oris/v1/auth/password", post(change_password))
}

#[derive(OpenApi)]
#[openapi(
    paths(login, token, refresh, logout, change_password),
    components(schemas(
        LoginRequest,
        KeyTokenRequest,
        RefreshRequest,
        PasswordRequest,
        TokenResponse
    ))
)]
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
    let p = Principal {
        session: s.session.clone(),
        agency: s.agency.clone(),
        member: Some(s.member.clone()),
        group: None,
    };
    tokens(st, &p).await
}

/// Tokens for a principal's session: a member's carry its group and the
/// password's expiry; an API key's have no refresh token.
async fn tokens(st: &OrisState, p: &Principal) -> OrisResult<TokenResponse> {
    let member: Option<&Member> = p.member.as_ref();
    let names = Names {
        agency_code: &p.agency.agency_code,
        group_id: member.map(|m| m.group_id.as_str()),
    };
    let issued = st
        .signer()
        .await?
        .issue(&p.session, names, st.registry.now())?;
    let mut r = TokenResponse::new(issued, p.agency.agency_id.clone());
    r.member_id = member.map(|m| m.member_id.clone());
    r.password_expires_at =
        member.map(|m| crate::wire::datetime(m.password_changed_at + PASSWORD_MAX_AGE));
    Ok(r)
}

/// A1: member sign-in. Checked in this order: the e-mail
/// (ACCOUNT_NOT_FOUND), the lock (MEMBER_ACCOUNT_LOCKED: a locked account
/// says nothing of its password), the password (MEMBER_PASSWORD_NOT_MATCH;
/// the 5th consecutive wrong one MEMBER_PASSWORD_FAIL_LIMIT_EXCEEDED and the
/// account locked until an admin's unlock or reset), then the agency
/// (AGENCY_NOT_APPROVED, AGENCY_NOT_ACTIVE), the member (MEMBER_NOT_ACTIVE),
/// an admin's reset (MEMBER_PASSWORD_RESET: change it with A5 first) and the
/// password's age by the world clock (MEMBER_PASSWORD_EXPIRED after 90 days).
/// A right password resets the failure count.
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

/// No `Debug`: it holds a secret.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KeyTokenRequest {
    pub api_key: Option<String>,
    pub api_secret: Option<String>,
    /// Space-separated subset of `inquiry report admin`; all three when absent.
    pub scope: Option<String>,
}

/// A2: an agency's system signs in with an API key (K1). The token speaks
/// for the agency (`sub` is the key's id): the pledge and group gates do
/// not apply, and there is no refresh token (ask again). Calls that only a
/// person may make (staff, keys, groups, agency management) refuse it with
/// MEMBER_ACCESS_DENIED.
#[utoipa::path(post, path = "/api/oris/v1/auth/token", tag = "auth",
    request_body = KeyTokenRequest,
    responses((status = 200, body = TokenResponse),
        (status = 400, description = "BAD_REQUEST, INVALID_REQUEST (unknown scope)"),
        (status = 401, description = "API_KEY_NOT_FOUND (unknown or revoked key), UNAUTHORIZED (wrong secret)"),
        (status = 403, description = "AGENCY_NOT_APPROVED, AGENCY_NOT_ACTIVE")))]
pub async fn token(
    State(st): State<OrisState>,
    Json(req): Json<KeyTokenRequest>,
) -> OrisResult<axum::Json<TokenResponse>> {
    let v = required(&[("apiKey", &req.api_key), ("apiSecret", &req.api_secret)])?;
    let scopes = scopes(req.scope.as_deref())?;
    let s = st.registry.key_login(v[0], v[1], scopes).await?;
    let p = Principal {
        session: s.session,
        agency: s.agency,
        member: None,
        group: None,
    };
    Ok(axum::Json(tokens(&st, &p).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RefreshRequest {
    pub refresh_token: Option<String>,
}

/// A3: a new pair for the session's live refresh token, which it replaces
/// (rotation). The session's end moves 12 h on with each refresh. A
/// rotated-out or logged-out refresh token → ACCESS_TOKEN_INVALID; one past
/// its end → ACCESS_TOKEN_EXPIRED; of two racing refreshes with the same
/// token exactly one wins.
#[utoipa::path(post, path = "/api/oris/v1/auth/refresh", tag = "auth",
    request_body = RefreshRequest,
    responses((status = 200, body = TokenResponse),
        (status = 400, description = "BAD_REQUEST"),
        (status = 401, description = "ACCESS_TOKEN_INVALID, ACCESS_TOKEN_EXPIRED"),
        (status = 403, description = "AGENCY_NOT_APPROVED, AGENCY_NOT_ACTIVE, MEMBER_NOT_ACTIVE")))]
pub async fn refresh(
    State(st): State<OrisState>,
    Json(req): Json<RefreshRequest>,
) -> OrisResult<axum::Json<TokenResponse>> {
    let v = required(&[("refreshToken", &req.refresh_token)])?;
    let claims = st
        .signer()
        .await?
        .verify(v[0], REFRESH, st.registry.now())?;
    let p = st.registry.refresh(&claims.sid, &claims.jti).await?;
    Ok(axum::Json(tokens(&st, &p).await?))
}

/// A4: ends the bearer token's session. Its access and refresh tokens are
/// ACCESS_TOKEN_INVALID from then on, on every node. Any live token may end
/// its own session, whatever its scope or its agency's state.
#[utoipa::path(post, path = "/api/oris/v1/auth/logout", tag = "auth",
    security(("bearer" = [])),
    responses((status = 204, description = "the session ended"),
        (status = 401, description = "ACCESS_TOKEN_REQUIRED, ACCESS_TOKEN_INVALID, ACCESS_TOKEN_EXPIRED")))]
pub async fn logout(State(st): State<OrisState>, caller: Caller) -> OrisResult<StatusCode> {
    st.registry
        .logout(&caller.principal.session.session_id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// No `Debug`: it holds two passwords.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PasswordRequest {
    pub email: Option<String>,
    pub old_password: Option<String>,
    pub new_password: Option<String>,
}

/// A5: change a password, needing no token (also after an admin's reset or
/// after expiry). The old password (the current or the temporary one) is
/// checked as at login: a locked account → MEMBER_ACCOUNT_LOCKED (an admin
/// unlocks or resets it), a wrong one counts toward the lock. The new one
/// must meet the policy (9–20 characters with letters, digits and symbols),
/// differ from the current one (MEMBER_PASSWORD_RESET_WITH_OLD) and from
/// the last 3 replaced ones (MEMBER_PASSWORD_REUSED; a temporary password is
/// not kept among them). It clears the reset flag and the failure count,
/// restarts the 90 days, and ends the member's sessions.
#[utoipa::path(post, path = "/api/oris/v1/auth/password", tag = "auth",
    request_body = PasswordRequest,
    responses((status = 204, description = "changed"),
        (status = 400, description = "BAD_REQUEST, MEMBER_PASSWORD_INVALID_FORMAT, MEMBER_PASSWORD_RESET_WITH_OLD, MEMBER_PASSWORD_REUSED"),
        (status = 401, description = "ACCOUNT_NOT_FOUND, MEMBER_PASSWORD_NOT_MATCH"),
        (status = 423, description = "MEMBER_PASSWORD_FAIL_LIMIT_EXCEEDED, MEMBER_ACCOUNT_LOCKED")))]
pub async fn change_password(
    State(st): State<OrisState>,
    Json(req): Json<PasswordRequest>,
) -> OrisResult<StatusCode> {
    let v = required(&[
        ("email", &req.email),
        ("oldPassword", &req.old_password),
        ("newPassword", &req.new_password),
    ])?;
    let req = NewPassword {
        email: v[0],
        old: v[1],
        new: v[2],
    };
    st.registry.change_password(req).await?;
    Ok(StatusCode::NO_CONTENT)
}

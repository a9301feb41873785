//! Remitters (U1–U8): registered or resolved per identity across every
//! agency, their consents, and (with the remitter's consent) their
//! remittances and yearly limit across every agency.

use crate::caller::Caller;
use crate::error::{OrisError, OrisResult};
use crate::extract::{validation, Json, Path};
use crate::wire::datetime;
use crate::OrisState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use chrono::NaiveDate;
use finhub_core::oris::remit::{IdentityType, Remitter, UserType};
use finhub_core::oris::remitters::{NewRemitter, SecretString};
use finhub_core::oris::staff::{Permission, Scope};
use finhub_core::oris::Need;
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

pub fn routes() -> Router<OrisState> {
    Router::new()
        .route("/api/oris/v1/users", post(register))
        .route("/api/oris/v1/users/{userId}", get(profile))
}

#[derive(OpenApi)]
#[openapi(
    paths(register, profile),
    components(schemas(UserRequest, UserResponse))
)]
pub struct Doc;

/// Reading a remitter: inquiry scope, USER_READ.
pub(crate) const READ_USER: Need = Need::of(Scope::Inquiry, Some(Permission::UserRead));

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserRequest {
    /// 내국인 | 외국인
    pub user_type: String,
    pub user_name: String,
    /// ISO 3166 alpha-2, e.g. KR.
    pub user_country: String,
    /// RRN | PASSPORT | ALIEN_REG
    pub identity_type: String,
    /// Stored only as a keyed hash.
    #[schema(value_type = String)]
    pub identity_number: SecretString,
    /// yyyyMMdd
    pub birth_date: String,
    /// finhub extension: the CI of the world's person this remitter is, so
    /// that a bank agency's report can debit the person's account there.
    #[schema(value_type = Option<String>)]
    pub ci: Option<SecretString>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserResponse {
    pub user_id: String,
    pub user_name: String,
    pub user_type: &'static str,
    pub user_country: String,
    pub created_at: String,
}

impl From<Remitter> for UserResponse {
    fn from(r: Remitter) -> Self {
        UserResponse {
            user_id: r.user_id,
            user_name: r.user_name,
            user_type: r.user_type.as_str(),
            user_country: r.user_country,
            created_at: datetime(r.created_at),
        }
    }
}

impl UserRequest {
    fn parse(self) -> OrisResult<NewRemitter> {
        for (name, v) in [
            ("userType", &self.user_type),
            ("userName", &self.user_name),
            ("userCountry", &self.user_country),
            ("identityType", &self.identity_type),
            ("birthDate", &self.birth_date),
        ] {
            if v.trim().is_empty() {
                return Err(validation(&format!("{name} must not be blank")));
            }
        }
        let user_type = UserType::parse(&self.user_type)
            .ok_or_else(|| OrisError::invalid("userType must be 내국인 or 외국인"))?;
        let identity_type = IdentityType::parse(&self.identity_type)
            .ok_or_else(|| OrisError::invalid("identityType must be RRN, PASSPORT or ALIEN_REG"))?;
        let birth_date = (self.birth_date.len() == 8)
            .then(|| NaiveDate::parse_from_str(&self.birth_date, "%Y%m%d").ok())
            .flatten()
            .ok_or_else(|| OrisError::invalid("birthDate must be yyyyMMdd"))?;
        Ok(NewRemitter {
            user_type,
            user_name: self.user_name,
            user_country: self.user_country,
            identity_type,
            identity_number: self.identity_number,
            birth_date,
            ci: self.ci,
        })
    }
}

/// U1: register a remitter, or resolve the one with this (identityType,
/// identityNumber) whichever agency registered it: 201 the first time,
/// 200 with the same userId after. The number is kept only as a keyed
/// hash. finhub extension: `ci` names the world's person (unknown → 400).
#[utoipa::path(post, path = "/api/oris/v1/users", tag = "users", request_body = UserRequest,
    security(("bearer" = ["inquiry"])),
    responses((status = 201, body = UserResponse), (status = 200, body = UserResponse),
        (status = 400, description = "BAD_REQUEST (fields missing), INVALID_REQUEST"),
        (status = 403, description = "USER_NOT_ACTIVE")))]
pub async fn register(
    State(st): State<OrisState>,
    caller: Caller,
    Json(req): Json<UserRequest>,
) -> OrisResult<(StatusCode, axum::Json<UserResponse>)> {
    caller.need(&st, Need::of(Scope::Inquiry, None)).await?;
    let (r, new) = st.registry.register_remitter(req.parse()?).await?;
    let status = if new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, axum::Json(r.into())))
}

/// U2: the remitter's profile, the shape of U1's answer.
#[utoipa::path(get, path = "/api/oris/v1/users/{userId}", tag = "users",
    params(("userId" = String, Path)), security(("bearer" = ["inquiry"])),
    responses((status = 200, body = UserResponse), (status = 404, description = "USER_NOT_FOUND")))]
pub async fn profile(
    State(st): State<OrisState>,
    caller: Caller,
    Path(user_id): Path<String>,
) -> OrisResult<axum::Json<UserResponse>> {
    caller.need(&st, READ_USER).await?;
    Ok(axum::Json(st.registry.remitter(&user_id).await?.into()))
}

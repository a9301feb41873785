//! Create User, entitlement grants, the current user and its
//! entitlements, and the banks: the paths real OBP clients need.

use crate::caller::{missing_roles, Login};
use crate::codes;
use crate::error::{ErrorBody, ObpError, ObpResult};
use crate::extract::parse;
use crate::{Mount, ObpState, Version};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use bytes::Bytes;
use finhub_core::obp::roles::{self, RoleScope};
use finhub_core::obp::users::{Entitlement, NewUser, User};
use finhub_core::obp::{Obp, Refusal};
use serde::{Deserialize, Serialize};

pub fn routes(v: Version) -> Router<ObpState> {
    use Version::{V200, V400};
    Router::new()
        .at(v, V200, "/users", post(create_user))
        .at(v, V200, "/users/{user_id}/entitlements", post(grant))
        .at(v, V400, "/users/current", get(current_user))
        .at(v, V400, "/my/entitlements", get(my_entitlements))
        .at(v, V400, "/banks", get(banks))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub struct CreateUserJson {
    pub email: String,
    pub username: String,
    pub password: String,
    pub first_name: String,
    pub last_name: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct EntitlementJson {
    pub entitlement_id: String,
    pub role_name: String,
    pub bank_id: String,
}

impl From<Entitlement> for EntitlementJson {
    fn from(e: Entitlement) -> Self {
        EntitlementJson {
            entitlement_id: e.entitlement_id,
            role_name: e.role_name,
            bank_id: e.bank_id,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct EntitlementsJson {
    pub list: Vec<EntitlementJson>,
}

impl EntitlementsJson {
    fn of(held: Vec<Entitlement>) -> Self {
        EntitlementsJson {
            list: held.into_iter().map(EntitlementJson::from).collect(),
        }
    }
}

/// `UserJsonV200`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct UserJsonV200 {
    pub user_id: String,
    pub email: String,
    pub provider_id: String,
    pub provider: String,
    pub username: String,
    pub entitlements: EntitlementsJson,
}

impl UserJsonV200 {
    fn of(u: User, held: Vec<Entitlement>) -> Self {
        UserJsonV200 {
            user_id: u.user_id,
            email: u.email,
            provider_id: u.username.clone(),
            provider: u.provider,
            username: u.username,
            entitlements: EntitlementsJson::of(held),
        }
    }
}

/// Create User (v2.0.0): anonymous registration.
#[utoipa::path(
    post,
    path = "/obp/v4.0.0/users",
    tag = "Onboarding",
    request_body = CreateUserJson,
    description = "Also under /obp/v2.0.0 and /obp/v3.1.0. The new user holds the roles of \
FINHUB_OBP_NEW_USER_ENTITLEMENTS. A duplicate username is 409 `OBP-50005: … User with the same \
username already exists.` (OBP raises it without a code, which it masks as OBP-50005; finhub \
keeps the text after it). Field failures are 400, joined by `; `.",
    responses(
        (status = 201, body = UserJsonV200),
        (status = 400, body = ErrorBody, description = "OBP-10001, OBP-30207, field failures"),
        (status = 409, body = ErrorBody, description = "the username is taken"),
    )
)]
pub async fn create_user(
    State(s): State<ObpState>,
    body: Bytes,
) -> ObpResult<(StatusCode, Json<UserJsonV200>)> {
    let b: CreateUserJson = parse(&body, "CreateUserJson")?;
    let new = NewUser {
        email: b.email,
        username: b.username,
        password: b.password,
        first_name: b.first_name,
        last_name: b.last_name,
    };
    let (user, held) = s.obp.create_user(new).await.map_err(|r| match r {
        Refusal::Invalid(m) => ObpError::uncoded(StatusCode::BAD_REQUEST, &m),
        other => other.into(),
    })?;
    Ok((StatusCode::CREATED, Json(UserJsonV200::of(user, held))))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub struct CreateEntitlementJson {
    pub bank_id: String,
    pub role_name: String,
}

/// Add Entitlement for a User (v2.0.0).
#[utoipa::path(
    post,
    path = "/obp/v4.0.0/users/{user_id}/entitlements",
    tag = "Role",
    request_body = CreateEntitlementJson,
    params(("user_id" = String, Path)),
    description = "Also under /obp/v2.0.0 and /obp/v3.1.0. A super admin \
(FINHUB_OBP_SUPER_ADMIN_USERNAMES) may grant any role; otherwise the caller needs \
CanCreateEntitlementAtOneBank at the body's bank or CanCreateEntitlementAtAnyBank. Checks: \
OBP-20001, OBP-20005, OBP-10001, OBP-10007, OBP-30205/OBP-30206, 403 OBP-20050+OBP-20006, \
OBP-30001 (unknown bank in the body, 400), OBP-30216.",
    responses(
        (status = 201, body = EntitlementJson),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "OBP-20005"),
    )
)]
pub async fn grant(
    State(s): State<ObpState>,
    login: Login,
    Path(user_id): Path<String>,
    body: Bytes,
) -> ObpResult<(StatusCode, Json<EntitlementJson>)> {
    s.obp
        .user(&user_id)
        .await
        .map_err(|_| ObpError::user_not_found(&user_id))?;
    let b: CreateEntitlementJson = parse(&body, "CreateEntitlementJSON")?;
    let scope = roles::scope(&b.role_name).ok_or_else(|| {
        ObpError::new(codes::INCORRECT_ROLE).more(format!(
            " {}. Possible roles are {}",
            b.role_name,
            roles::all_names()
        ))
    })?;
    match (scope, b.bank_id.is_empty()) {
        (RoleScope::Bank, true) => return Err(ObpError::new(codes::BANK_ROLE)),
        (RoleScope::System, false) => return Err(ObpError::new(codes::SYSTEM_ROLE)),
        _ => {}
    }
    may_grant(&s, &login.user, &b.bank_id).await?;
    if !b.bank_id.is_empty() {
        s.bank(&b.bank_id)
            .await
            .map_err(|e| e.at(StatusCode::BAD_REQUEST))?;
    }
    let e = s.obp.grant(&user_id, &b.role_name, &b.bank_id).await?;
    Ok((StatusCode::CREATED, Json(e.into())))
}

const GRANTERS: [&str; 2] = [
    "CanCreateEntitlementAtOneBank",
    "CanCreateEntitlementAtAnyBank",
];

async fn may_grant(s: &ObpState, user: &User, bank_id: &str) -> ObpResult<()> {
    if s.obp.is_super_admin(user) {
        return Ok(());
    }
    let held = s.obp.entitlements(&user.user_id).await?;
    let ok = (!bank_id.is_empty() && Obp::holds(&held, GRANTERS[0], bank_id))
        || Obp::holds(&held, GRANTERS[1], "");
    if ok {
        return Ok(());
    }
    let roles = missing_roles(&GRANTERS, bank_id);
    Err(ObpError::new(codes::NOT_SUPER_ADMIN).more(format!(" or {}", roles.message)))
}

/// Get User (Current).
#[utoipa::path(
    get,
    path = "/obp/v4.0.0/users/current",
    tag = "User",
    description = "Also under /obp/v3.1.0.",
    responses((status = 200, body = UserJsonV200), (status = 401, body = ErrorBody))
)]
pub async fn current_user(
    State(s): State<ObpState>,
    login: Login,
) -> ObpResult<Json<UserJsonV200>> {
    let held = s.obp.entitlements(&login.user.user_id).await?;
    Ok(Json(UserJsonV200::of(login.user, held)))
}

/// Get Entitlements for the current User.
#[utoipa::path(
    get,
    path = "/obp/v4.0.0/my/entitlements",
    tag = "Role",
    description = "Also under /obp/v3.1.0.",
    responses((status = 200, body = EntitlementsJson), (status = 401, body = ErrorBody))
)]
pub async fn my_entitlements(
    State(s): State<ObpState>,
    login: Login,
) -> ObpResult<Json<EntitlementsJson>> {
    let held = s.obp.entitlements(&login.user.user_id).await?;
    Ok(Json(EntitlementsJson::of(held)))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct BankRoutingJson {
    pub scheme: String,
    pub address: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct BankJson {
    pub id: String,
    pub short_name: String,
    pub full_name: String,
    pub logo: String,
    pub website: String,
    pub bank_routings: Vec<BankRoutingJson>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct BanksJson {
    pub banks: Vec<BankJson>,
}

/// Get Banks: every institution with a 3-digit bank code; its BANK_ID is that code.
#[utoipa::path(
    get,
    path = "/obp/v4.0.0/banks",
    tag = "Bank",
    description = "Also under /obp/v3.1.0. No login needed.",
    responses((status = 200, body = BanksJson))
)]
pub async fn banks(State(s): State<ObpState>) -> ObpResult<Json<BanksJson>> {
    let all = s.obp.world.repo.list_institutions().await?;
    let banks = (all.into_iter())
        .filter_map(|i| {
            let code = i.bank_code?;
            Some(BankJson {
                short_name: i.name.clone(),
                full_name: i.name,
                logo: String::new(),
                website: String::new(),
                bank_routings: vec![BankRoutingJson {
                    scheme: "BANK_CODE".into(),
                    address: code.clone(),
                }],
                id: code,
            })
        })
        .collect();
    Ok(Json(BanksJson { banks }))
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(create_user, grant, current_user, my_entitlements, banks))]
pub struct Doc;

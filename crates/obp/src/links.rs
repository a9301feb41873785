//! User–customer links (#9, #15, #31, #32; implemented in v4.0.0): the
//! link makes a user act for that customer's person at that bank.

use crate::caller::Login;
use crate::codes;
use crate::error::{ErrorBody, ObpError, ObpResult};
use crate::extract::parse;
use crate::wire::format_date;
use crate::{Mount, ObpState, Version};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use bytes::Bytes;
use finhub_core::obp::accounts::is_obp_id;
use finhub_core::obp::links::UserCustomerLink;
use finhub_core::obp::Refusal;
use serde::{Deserialize, Serialize};

pub fn routes(v: Version) -> Router<ObpState> {
    use Version::V400;
    Router::new()
        .at(
            v,
            V400,
            "/banks/{bank_id}/user_customer_links",
            post(create_link),
        )
        .at(
            v,
            V400,
            "/banks/{bank_id}/user_customer_links/{user_customer_link_id}",
            delete(delete_link),
        )
        .at(
            v,
            V400,
            "/banks/{bank_id}/user_customer_links/customers/{customer_id}",
            get(links_of_customer),
        )
        .at(
            v,
            V400,
            "/banks/{bank_id}/user_customer_links/users/{user_id}",
            get(links_of_user),
        )
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub struct CreateUserCustomerLinkJson {
    pub user_id: String,
    pub customer_id: String,
}

/// `UserCustomerLinkJson`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct UserCustomerLinkJson {
    pub user_customer_link_id: String,
    pub customer_id: String,
    pub user_id: String,
    /// `yyyy-MM-dd'T'HH:mm:ss'Z'`.
    pub date_inserted: String,
    pub is_active: bool,
}

impl From<UserCustomerLink> for UserCustomerLinkJson {
    fn from(l: UserCustomerLink) -> Self {
        UserCustomerLinkJson {
            user_customer_link_id: l.user_customer_link_id,
            customer_id: l.customer_id,
            user_id: l.user_id,
            date_inserted: format_date(&l.date_inserted),
            is_active: l.is_active,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct UserCustomerLinksJson {
    pub user_customer_links: Vec<UserCustomerLinkJson>,
}

impl UserCustomerLinksJson {
    fn of(links: Vec<UserCustomerLink>) -> Self {
        UserCustomerLinksJson {
            user_customer_links: links.into_iter().map(UserCustomerLinkJson::from).collect(),
        }
    }
}

const CREATE_ROLES: [&str; 2] = [
    "CanCreateUserCustomerLink",
    "CanCreateUserCustomerLinkAtAnyBank",
];

/// Create User Customer Link.
#[utoipa::path(
    post,
    path = "/obp/v4.0.0/banks/{bank_id}/user_customer_links",
    tag = "Customer",
    request_body = CreateUserCustomerLinkJson,
    params(("bank_id" = String, Path)),
    description = "Also under /obp/v3.1.0. Roles: CanCreateUserCustomerLink or \
CanCreateUserCustomerLinkAtAnyBank. Checks: OBP-20001, OBP-30001, OBP-20006, OBP-30111, \
OBP-10001, OBP-20057 (404), an empty customer_id (400, no code in OBP: shown as OBP-50005 \
with OBP's text), OBP-30046, a customer of another bank (400, no code), OBP-30007 (this exact \
user/customer pair exists), OBP-30025.",
    responses(
        (status = 201, body = UserCustomerLinkJson),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "OBP-30001, OBP-20057, OBP-30046"),
    )
)]
pub async fn create_link(
    State(s): State<ObpState>,
    login: Login,
    Path(bank_id): Path<String>,
    body: Bytes,
) -> ObpResult<(StatusCode, Json<UserCustomerLinkJson>)> {
    s.bank(&bank_id).await?;
    s.require(&login.user, &bank_id, &CREATE_ROLES).await?;
    if !is_obp_id(&bank_id) {
        return Err(ObpError::new(codes::BANK_ID_FORMAT));
    }
    let b: CreateUserCustomerLinkJson = parse(&body, "CreateUserCustomerLinkJson")?;
    s.obp.user(&b.user_id).await.map_err(|r| match r {
        Refusal::UnknownUser => ObpError::new(codes::USER_NOT_FOUND_BY_ID),
        other => other.into(),
    })?;
    if b.customer_id.is_empty() {
        let text = "Field customer_id is not defined in the posted json!";
        return Err(ObpError::uncoded(StatusCode::BAD_REQUEST, text));
    }
    let customer = s.obp.customer(&b.customer_id).await.map_err(|r| match r {
        Refusal::NotFound(_) => ObpError::customer_not_found(&b.customer_id),
        other => other.into(),
    })?;
    if customer.bank_id != bank_id {
        let text = format!(
            "Bank of the customer specified by the CUSTOMER_ID({}) has to matches BANK_ID({bank_id}) in URL",
            b.customer_id
        );
        return Err(ObpError::uncoded(StatusCode::BAD_REQUEST, &text));
    }
    let link = s
        .obp
        .create_link(&b.user_id, &customer)
        .await
        .map_err(|r| match r {
            Refusal::AlreadyLinked => ObpError::new(codes::ALREADY_LINKED),
            _ => ObpError::new(codes::CREATE_LINK),
        })?;
    Ok((StatusCode::CREATED, Json(link.into())))
}

/// Delete User Customer Link.
#[utoipa::path(
    delete,
    path = "/obp/v4.0.0/banks/{bank_id}/user_customer_links/{user_customer_link_id}",
    tag = "Customer",
    params(("bank_id" = String, Path), ("user_customer_link_id" = String, Path)),
    description = "Also under /obp/v3.1.0. Role: CanDeleteUserCustomerLink. Checks: \
OBP-20001, OBP-30001, OBP-20006, OBP-30035 (400). The link ends: the user no longer acts for \
the customer.",
    responses(
        (status = 200, body = bool, content_type = "application/json", description = "`true`"),
        (status = 400, body = ErrorBody, description = "OBP-30035"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "OBP-30001"),
    )
)]
pub async fn delete_link(
    State(s): State<ObpState>,
    login: Login,
    Path((bank_id, link_id)): Path<(String, String)>,
) -> ObpResult<Json<bool>> {
    s.bank(&bank_id).await?;
    s.require(&login.user, &bank_id, &["CanDeleteUserCustomerLink"])
        .await?;
    s.obp.delete_link(&link_id).await.map_err(|r| match r {
        Refusal::NotFound(_) => ObpError::new(codes::LINK_NOT_FOUND),
        other => other.into(),
    })?;
    Ok(Json(true))
}

/// Get User Customer Links by Customer.
#[utoipa::path(
    get,
    path = "/obp/v4.0.0/banks/{bank_id}/user_customer_links/customers/{customer_id}",
    tag = "Customer",
    params(("bank_id" = String, Path), ("customer_id" = String, Path)),
    description = "Also under /obp/v3.1.0. Role: CanGetUserCustomerLink. Checks: OBP-20001, \
OBP-30001, OBP-20006. The customer's existence is not checked (an empty list), as in OBP; \
newest first.",
    responses(
        (status = 200, body = UserCustomerLinksJson),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "OBP-30001"),
    )
)]
pub async fn links_of_customer(
    State(s): State<ObpState>,
    login: Login,
    Path((bank_id, customer_id)): Path<(String, String)>,
) -> ObpResult<Json<UserCustomerLinksJson>> {
    s.bank(&bank_id).await?;
    s.require(&login.user, &bank_id, &["CanGetUserCustomerLink"])
        .await?;
    Ok(Json(UserCustomerLinksJson::of(
        s.obp.links_of_customer(&customer_id).await?,
    )))
}

/// Get User Customer Links by User.
#[utoipa::path(
    get,
    path = "/obp/v4.0.0/banks/{bank_id}/user_customer_links/users/{user_id}",
    tag = "Customer",
    params(("bank_id" = String, Path), ("user_id" = String, Path)),
    description = "Also under /obp/v3.1.0. Role: CanGetUserCustomerLink. Checks: OBP-20001, \
OBP-30001, OBP-20006. As in OBP the list is not filtered by BANK_ID (links at every bank) and \
the user's existence is not checked; newest first.",
    responses(
        (status = 200, body = UserCustomerLinksJson),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "OBP-30001"),
    )
)]
pub async fn links_of_user(
    State(s): State<ObpState>,
    login: Login,
    Path((bank_id, user_id)): Path<(String, String)>,
) -> ObpResult<Json<UserCustomerLinksJson>> {
    s.bank(&bank_id).await?;
    s.require(&login.user, &bank_id, &["CanGetUserCustomerLink"])
        .await?;
    Ok(Json(UserCustomerLinksJson::of(
        s.obp.links_of_user(&user_id).await?,
    )))
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(create_link, delete_link, links_of_customer, links_of_user))]
pub struct Doc;

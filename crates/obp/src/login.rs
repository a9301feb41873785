//! DirectLogin: `POST /my/logins/direct` (also under v3.1.0 and v4.0.0,
//! for clients that build it from their base URI).

use crate::caller::{direct_login_value, param, parse_params};
use crate::codes;
use crate::error::{ErrorBody, ObpError, ObpResult};
use crate::{Mount, ObpState, Version};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::routing::post;
use axum::{Json, Router};
use serde::Serialize;

pub fn routes(v: Version) -> Router<ObpState> {
    Router::new().at(v, Version::V400, "/my/logins/direct", post(direct))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TokenJson {
    pub token: String,
}

const NEEDED: [&str; 3] = ["username", "password", "consumer_key"];

/// The header's three parameters, or OBP's refusal of the header.
fn credentials(headers: &HeaderMap) -> ObpResult<[String; 3]> {
    let Some(value) = direct_login_value(headers) else {
        return Err(match headers.get(header::AUTHORIZATION) {
            Some(_) => ObpError::new(codes::INVALID_DIRECT_LOGIN_HEADER),
            None => ObpError::new(codes::MISSING_DIRECT_LOGIN_HEADER),
        });
    };
    let params = parse_params(&value).ok_or_else(|| ObpError::new(codes::DIRECT_LOGIN_FORMAT))?;
    let missing: Vec<&str> = NEEDED
        .iter()
        .copied()
        .filter(|k| param(&params, k).is_none_or(str::is_empty))
        .collect();
    if !missing.is_empty() {
        return Err(
            ObpError::new(codes::DIRECT_LOGIN_MISSING).more(format!(" {}", missing.join(", ")))
        );
    }
    Ok(NEEDED.map(|k| param(&params, k).unwrap_or_default().to_owned()))
}

/// Get a DirectLogin token: 201 `{"token"}`.
#[utoipa::path(
    post,
    path = "/my/logins/direct",
    tag = "Login",
    description = "The header `DirectLogin: username=\"U\", password=\"P\", consumer_key=\"K\"` \
(or `Authorization: DirectLogin …`; values quoted or not). The consumer key is the client_id \
of a client with profile `obp` (`POST /sandbox/clients`); no secret is needed. The same path \
is served under `/obp/v3.1.0` and `/obp/v4.0.0`. Use the token as `DirectLogin: token=T` or \
`Authorization: DirectLogin token=\"T\"`; it lives 7 days.",
    params(("DirectLogin" = Option<String>, Header, description = "username, password, consumer_key")),
    responses(
        (status = 201, body = TokenJson),
        (status = 400, body = ErrorBody, description = "OBP-20082, OBP-20083, OBP-20002"),
        (status = 401, body = ErrorBody, description = "OBP-20008 consumer key, OBP-20004 credentials"),
    )
)]
pub async fn direct(
    State(s): State<ObpState>,
    headers: HeaderMap,
) -> ObpResult<(StatusCode, Json<TokenJson>)> {
    let [username, password, consumer_key] = credentials(&headers)?;
    let token = s
        .obp
        .direct_login(&username, &password, &consumer_key)
        .await?;
    Ok((StatusCode::CREATED, Json(TokenJson { token })))
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(direct))]
pub struct Doc;

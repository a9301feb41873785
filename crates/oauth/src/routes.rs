//! HTTP: the router, the token and revoke endpoints, and what every page
//! answer shares. The authorize page is in authorize.rs, its login and
//! consent forms in signin.rs; the rules live in clients.rs, grants.rs,
//! login.rs and each profile's adapter.

use crate::clients::parse_scope;
use crate::grants::CodeExchange;
use crate::lang::Lang;
use crate::pages;
use crate::params::{client_credentials, Params};
use crate::profile::ScopeAsk;
use crate::{Issued, OAuth, OAuthError, OwnGrant, ProfileAdapter, Profiles, TokenResponse};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use finhub_core::oauth::Client;
use finhub_core::world::World;
use serde_json::{json, Map, Value};
use std::sync::Arc;

pub(crate) struct St {
    pub oauth: OAuth,
    pub world: World,
    pub profiles: Profiles,
}

impl St {
    /// The adapter that decides for `client`.
    pub fn adapter(&self, client: &Client) -> &dyn ProfileAdapter {
        self.profiles.get_or_default(client.profile)
    }
}

/// The authorization server's routes, at the paths KFTC and MyData name.
pub fn router(oauth: OAuth, world: World, profiles: Profiles) -> Router {
    let st = Arc::new(St {
        oauth,
        world,
        profiles,
    });
    Router::new()
        .route("/oauth/2.0/authorize", get(crate::authorize::authorize))
        .route("/oauth/2.0/authorize/login", post(crate::signin::login))
        .route("/oauth/2.0/authorize/consent", post(crate::signin::consent))
        .route("/oauth/2.0/token", post(token))
        .route("/oauth/2.0/revoke", post(revoke))
        .route("/mgmts/oauth/2.0/token", post(support_token))
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn(echo_tran_id))
        .with_state(st)
}

/// A wrong method, in the OAuth error shape (MyData §4.2 names it).
async fn method_not_allowed() -> Response {
    let body = json!({"error": "method_not_allowed",
        "error_description": "this endpoint does not take that method"});
    (StatusCode::METHOD_NOT_ALLOWED, axum::Json(body)).into_response()
}

/// A request's `x-api-tran-id` (MyData's transaction id) comes back on
/// the answer; a standard without one never sends it.
async fn echo_tran_id(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let id = req.headers().get("x-api-tran-id").cloned();
    let mut res = next.run(req).await;
    if let Some(id) = id {
        res.headers_mut().insert("x-api-tran-id", id);
    }
    res
}

/// A form's parameter by name, as the hooks read it (a repeated one reads as absent).
pub(crate) fn reader(q: &Params) -> impl Fn(&str) -> Option<String> + '_ {
    move |name| q.get(name).ok().flatten().map(str::to_owned)
}

/// No `form-action` in the CSP: Chromium applies it to the redirect that
/// follows a form post, so `form-action 'self'` blocks the consent page's
/// 302 to the app's redirect_uri (tests/browser shows it). No referrer
/// either, so the app is not told which page sent the person
/// (RFC 9700 §4.2.4).
pub(crate) fn html(status: StatusCode, body: String) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
            (header::X_FRAME_OPTIONS, "DENY"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
            ),
            (header::REFERRER_POLICY, "no-referrer"),
        ],
        body,
    )
        .into_response()
}

pub(crate) fn error_html(lang: Lang, status: StatusCode, title: &str, msg: &str) -> Response {
    html(status, pages::error_page(lang, title, msg))
}

pub(crate) fn server_trouble(lang: Lang, e: &OAuthError) -> Response {
    let w = lang.words();
    let (status, ko) = match e {
        OAuthError::TemporarilyUnavailable => (StatusCode::SERVICE_UNAVAILABLE, w.unavailable),
        _ => (StatusCode::INTERNAL_SERVER_ERROR, w.later),
    };
    let msg = match lang {
        Lang::Ko => ko.to_owned(),
        Lang::En => e.description(),
    };
    error_html(lang, status, w.later_title, &msg)
}

/// The words of `scopes` on a page, as the client's standard says them.
pub(crate) fn scope_asks(st: &St, client: &Client, scopes: &[String], lang: Lang) -> Vec<ScopeAsk> {
    let adapter = st.adapter(client);
    scopes
        .iter()
        .map(|s| ScopeAsk {
            scope: s.clone(),
            words: adapter.scope_words(s, lang),
        })
        .collect()
}

/// `uri` with `pairs` appended to its query.
pub(crate) fn location(uri: &str, pairs: &[(&str, &str)]) -> String {
    let q = serde_urlencoded::to_string(pairs).unwrap_or_default();
    let sep = if uri.contains('?') { '&' } else { '?' };
    format!("{uri}{sep}{q}")
}

/// A redirect to `uri` with `pairs` appended to its query.
pub(crate) fn redirect_to(uri: &str, pairs: &[(&str, &str)]) -> Response {
    redirect_location(&location(uri, pairs))
}

/// A 302 to `location`.
pub(crate) fn redirect_location(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(v) => (
            StatusCode::FOUND,
            [
                (header::LOCATION, v),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
        )
            .into_response(),
        Err(_) => {
            let w = Lang::default().words();
            error_html(
                Lang::default(),
                StatusCode::BAD_REQUEST,
                w.invalid_request,
                "redirect_uri",
            )
        }
    }
}

/// The error redirect: `error`, `error_description`, the echoed
/// parameters and the state.
pub(crate) fn redirect_error(
    req_uri: &str,
    err: &OAuthError,
    state: Option<&str>,
    echo: &Map<String, Value>,
) -> Response {
    let desc = err.description();
    let mut pairs = vec![("error", err.code()), ("error_description", desc.as_str())];
    for (k, v) in echo {
        if let Some(v) = v.as_str() {
            pairs.push((k, v));
        }
    }
    if let Some(s) = state {
        pairs.push(("state", s));
    }
    redirect_to(req_uri, &pairs)
}

/// The adapter of the client named in the request, for rendering errors.
async fn adapter_for(st: &St, headers: &HeaderMap, body: &[u8]) -> Option<Arc<dyn ProfileAdapter>> {
    let q = Params::parse(body).ok()?;
    let id = match client_credentials(headers, &q) {
        Ok(Some((id, _))) => id,
        _ => q.get("client_id").ok().flatten()?.to_owned(),
    };
    if id.len() > 200 {
        return None;
    }
    let client = st.oauth.repo.client(&id).await.ok().flatten()?;
    st.profiles.get(client.profile).cloned()
}

async fn oauth_error(st: &St, headers: &HeaderMap, body: &[u8], e: &OAuthError) -> Response {
    match adapter_for(st, headers, body).await {
        Some(a) => a.error_response(e),
        None => crate::rfc6749_error(e),
    }
}

async fn authenticated(st: &St, headers: &HeaderMap, q: &Params) -> Result<Client, OAuthError> {
    let (id, secret) = client_credentials(headers, q)?.ok_or(OAuthError::InvalidClient)?;
    st.oauth.authenticate_client(&id, &secret).await
}

async fn token(State(st): State<Arc<St>>, headers: HeaderMap, body: Bytes) -> Response {
    match token_inner(&st, &headers, &body).await {
        Ok(r) => r,
        Err(e) => oauth_error(&st, &headers, &body, &e).await,
    }
}

async fn token_inner(st: &St, headers: &HeaderMap, body: &[u8]) -> Result<Response, OAuthError> {
    let q = Params::parse(body)?;
    let grant_type = q.require("grant_type")?;
    let client = authenticated(st, headers, &q).await?;
    st.adapter(&client)
        .check_token_request(headers, &reader(&q))?;
    let (issued, own_fields) = grant(st, &client, grant_type, &q).await?;
    let mut out = Map::new();
    out.insert("access_token".into(), json!(issued.access_token));
    out.insert("token_type".into(), json!(issued.token_type));
    out.insert("expires_in".into(), json!(issued.expires_in));
    if let Some(rt) = &issued.refresh_token {
        out.insert("refresh_token".into(), json!(rt));
    }
    out.insert("scope".into(), json!(issued.scope));
    out.extend(st.adapter(&client).token_fields(&issued));
    out.extend(own_fields);
    out.extend(
        st.adapter(&client)
            .token_extras(&client, &issued.claims)
            .await?,
    );
    Ok((
        StatusCode::OK,
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::PRAGMA, "no-cache"),
        ],
        axum::Json(Value::Object(out)),
    )
        .into_response())
}

/// Run the grant `grant_type` names for an authenticated client: the
/// tokens, and the fields a standard's own grant adds.
async fn grant(
    st: &St,
    client: &Client,
    grant_type: &str,
    q: &Params,
) -> Result<Issued, OAuthError> {
    let issued = match grant_type {
        "client_credentials" | "authorization_code" | "refresh_token" => {
            rfc6749_grant(st, client, grant_type, q).await?
        }
        _ => {
            let form = q.to_map()?;
            let ask = OwnGrant {
                client,
                grant_type,
                form: &form,
                profiles: &st.profiles,
            };
            return match st.adapter(client).own_grant(ask).await {
                Some(r) => r,
                None => Err(OAuthError::UnsupportedGrantType),
            };
        }
    };
    Ok((issued, Map::new()))
}

/// The grants RFC 6749 defines.
async fn rfc6749_grant(
    st: &St,
    client: &Client,
    grant_type: &str,
    q: &Params,
) -> Result<TokenResponse, OAuthError> {
    let profiles = &st.profiles;
    let scope = q.get("scope")?;
    match grant_type {
        "client_credentials" => {
            if scope.is_none() && st.adapter(client).requires_scope() {
                return Err(OAuthError::InvalidRequest("scope is required".into()));
            }
            st.oauth
                .issue_client_credentials(client, scope, profiles)
                .await
        }
        "authorization_code" => {
            if client.redirect_uris.is_empty() {
                return Err(OAuthError::UnauthorizedClient(
                    "this client is not registered for the authorization_code grant".into(),
                ));
            }
            let x = CodeExchange {
                code: q.require("code")?,
                redirect_uri: q.require("redirect_uri")?,
                code_verifier: q.get("code_verifier")?,
            };
            st.oauth.exchange_code(client, x, profiles).await
        }
        "refresh_token" => {
            let rt = q.require("refresh_token")?;
            if let Some(s) = scope {
                parse_scope(s)
                    .ok_or_else(|| OAuthError::InvalidScope("scope is malformed".into()))?;
            }
            st.oauth.exchange_refresh(client, rt, scope, profiles).await
        }
        _ => Err(OAuthError::UnsupportedGrantType),
    }
}

async fn revoke(State(st): State<Arc<St>>, headers: HeaderMap, body: Bytes) -> Response {
    match revoke_inner(&st, &headers, &body).await {
        Ok(r) => r,
        Err(e) => oauth_error(&st, &headers, &body, &e).await,
    }
}

async fn revoke_inner(st: &St, headers: &HeaderMap, body: &[u8]) -> Result<Response, OAuthError> {
    let q = Params::parse(body)?;
    // RFC 7009 names it `token`; KFTC clients send `access_token`.
    let token = match q.get("token")? {
        Some(t) => t,
        None => q
            .get("access_token")?
            .ok_or_else(|| OAuthError::InvalidRequest("token is required".into()))?,
    };
    let hint = q.get("token_type_hint")?;
    let client = authenticated(st, headers, &q).await?;
    let adapter = st.adapter(&client);
    adapter.check_token_request(headers, &reader(&q))?;
    if let Some(family) = st.oauth.revoke(&client, token, hint).await? {
        adapter.on_revoke(&family).await?;
    }
    Ok(adapter.revoke_response())
}

async fn support_token(State(st): State<Arc<St>>, headers: HeaderMap, body: Bytes) -> Response {
    match support_inner(&st, &headers, &body).await {
        Ok(r) => r,
        Err(e) => oauth_error(&st, &headers, &body, &e).await,
    }
}

/// A support token: client_credentials of a client holding the standard's
/// management scope alone, for that scope, with no refresh token.
async fn support_inner(st: &St, headers: &HeaderMap, body: &[u8]) -> Result<Response, OAuthError> {
    let q = Params::parse(body)?;
    let grant_type = q.require("grant_type")?;
    let client = authenticated(st, headers, &q).await?;
    let adapter = st.adapter(&client);
    let Some(scope) = adapter.management_scope() else {
        return Err(OAuthError::UnauthorizedClient(
            "this client's standard has no support tokens".into(),
        ));
    };
    if client.scopes != [scope] {
        return Err(OAuthError::UnauthorizedClient(format!(
            "a support client is registered with the scope {scope} alone"
        )));
    }
    if grant_type != "client_credentials" {
        return Err(OAuthError::UnsupportedGrantType);
    }
    match q.get("scope")? {
        Some(s) if s == scope => {}
        _ => return Err(OAuthError::InvalidScope(format!("scope must be {scope}"))),
    }
    let issued = st
        .oauth
        .issue_client_credentials(&client, Some(scope), &st.profiles)
        .await?;
    let body = json!({
        "token_type": issued.token_type,
        "access_token": issued.access_token,
        "expires_in": issued.expires_in,
        "scope": issued.scope,
    });
    Ok((
        StatusCode::OK,
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::PRAGMA, "no-cache"),
        ],
        axum::Json(body),
    )
        .into_response())
}

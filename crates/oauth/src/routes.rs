//! HTTP: the authorize pages, token and revoke endpoints. Handlers parse
//! and render; the rules live in clients.rs, grants.rs and login.rs.

use crate::clients::parse_scope;
use crate::grants::{requested_scopes, Grant};
use crate::pages::{self, AccountChoice};
use crate::{pkce, rfc6749_error, OAuth, OAuthError, ProfileAdapter, Profiles};
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::Duration;
use finhub_core::account::{AccountKind, AccountStatus};
use finhub_core::oauth::{AuthRequest, Client, Profile};
use finhub_core::world::World;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::Arc;

struct St {
    oauth: OAuth,
    world: World,
    profiles: Profiles,
}

/// The authorization server's routes, at the paths KFTC and MyData name.
pub fn router(oauth: OAuth, world: World, profiles: Profiles) -> Router {
    let st = Arc::new(St {
        oauth,
        world,
        profiles,
    });
    Router::new()
        .route("/oauth/2.0/authorize", get(authorize))
        .route("/oauth/2.0/authorize/login", post(login))
        .route("/oauth/2.0/authorize/consent", post(consent))
        .route("/oauth/2.0/token", post(token))
        .route("/oauth/2.0/revoke", post(revoke))
        .with_state(st)
}

/// Form or query parameters. RFC 6749 §3.1: a parameter must not repeat,
/// and one sent without a value counts as omitted.
struct Params(Vec<(String, String)>);

impl Params {
    fn parse(raw: &[u8]) -> Result<Params, OAuthError> {
        serde_urlencoded::from_bytes::<Vec<(String, String)>>(raw)
            .map(Params)
            .map_err(|_| OAuthError::InvalidRequest("the parameters are not form-encoded".into()))
    }

    fn get(&self, name: &str) -> Result<Option<&str>, OAuthError> {
        let mut found = self.0.iter().filter(|(k, _)| k == name);
        let first = found.next();
        if found.next().is_some() {
            return Err(OAuthError::InvalidRequest(format!("{name} is repeated")));
        }
        Ok(first.map(|(_, v)| v.as_str()).filter(|v| !v.is_empty()))
    }

    fn require(&self, name: &str) -> Result<&str, OAuthError> {
        self.get(name)?
            .ok_or_else(|| OAuthError::InvalidRequest(format!("{name} is required")))
    }

    fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, v)| k == name && !v.is_empty())
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// No `form-action` in the CSP: Chromium applies it to the redirect that
/// follows a form post, so `form-action 'self'` blocks the consent page's
/// 302 to the app's redirect_uri (tests/browser shows it). No referrer
/// either, so the app is not told which page sent the person
/// (RFC 9700 §4.2.4).
fn html(status: StatusCode, body: String) -> Response {
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

fn error_html(status: StatusCode, title: &str, msg: &str) -> Response {
    html(status, pages::error_page(title, msg))
}

fn server_trouble(e: &OAuthError) -> Response {
    let status = match e {
        OAuthError::TemporarilyUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    error_html(status, "Try again later", &e.description())
}

/// `uri` with `pairs` appended to its query.
fn redirect_to(uri: &str, pairs: &[(&str, &str)]) -> Response {
    let q = serde_urlencoded::to_string(pairs).unwrap_or_default();
    let sep = if uri.contains('?') { '&' } else { '?' };
    let location = format!("{uri}{sep}{q}");
    match HeaderValue::from_str(&location) {
        Ok(v) => (
            StatusCode::FOUND,
            [
                (header::LOCATION, v),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
        )
            .into_response(),
        Err(_) => error_html(StatusCode::BAD_REQUEST, "Bad request", "cannot redirect"),
    }
}

fn redirect_error(req_uri: &str, err: &OAuthError, state: Option<&str>) -> Response {
    let desc = err.description();
    let mut pairs = vec![("error", err.code()), ("error_description", desc.as_str())];
    if let Some(s) = state {
        pairs.push(("state", s));
    }
    redirect_to(req_uri, &pairs)
}

/// Parameters each standard sends on authorize that are kept with the
/// request (and `client_info` echoed back on the redirect).
fn extra_params(p: Profile) -> &'static [&'static str] {
    match p {
        Profile::Kftc => &[
            "client_info",
            "auth_type",
            "lang",
            "edit_option",
            "bg_color",
            "txt_color",
            "btn1_color",
            "btn2_color",
        ],
        Profile::Mydata => &["client_info", "org_code", "app_scheme"],
        _ => &["client_info"],
    }
}

/// Check an authorize request whose client and redirect_uri are known good.
fn check_authorize(
    oauth: &OAuth,
    client: &Client,
    redirect_uri: &str,
    state: Option<&str>,
    q: &Params,
) -> Result<AuthRequest, OAuthError> {
    match q.get("response_type")? {
        None => {
            return Err(OAuthError::InvalidRequest(
                "response_type is required".into(),
            ))
        }
        Some("code") => {}
        Some(_) => return Err(OAuthError::UnsupportedResponseType),
    }
    let scope = q.get("scope")?;
    if scope.is_none() && client.profile == Profile::Kftc {
        return Err(OAuthError::InvalidRequest("scope is required".into()));
    }
    let scopes = requested_scopes(scope, &client.scopes)?;
    if state.is_none() && client.profile == Profile::Kftc {
        return Err(OAuthError::InvalidRequest("state is required".into()));
    }
    let challenge = q.get("code_challenge")?;
    match (challenge, q.get("code_challenge_method")?) {
        (None, None) => {
            if pkce::required_for(client.profile) {
                return Err(OAuthError::InvalidRequest(
                    "code_challenge (PKCE, S256) is required".into(),
                ));
            }
        }
        (Some(c), Some("S256")) => {
            if !pkce::valid_challenge(c) {
                return Err(OAuthError::InvalidRequest(
                    "code_challenge must be 43 base64url characters".into(),
                ));
            }
        }
        (None, Some(_)) => {
            return Err(OAuthError::InvalidRequest(
                "code_challenge_method without code_challenge".into(),
            ))
        }
        (Some(_), _) => {
            return Err(OAuthError::InvalidRequest(
                "code_challenge_method must be S256".into(),
            ))
        }
    }
    let mut extra = Map::new();
    for name in extra_params(client.profile) {
        if let Some(v) = q.get(name)? {
            if v.len() > 1024 {
                return Err(OAuthError::InvalidRequest(format!("{name} is too long")));
            }
            extra.insert((*name).to_owned(), Value::String(v.to_owned()));
        }
    }
    if let Some(t) = extra.get("auth_type").and_then(Value::as_str) {
        if !matches!(t, "0" | "1" | "2") {
            return Err(OAuthError::InvalidRequest(
                "auth_type must be 0, 1 or 2".into(),
            ));
        }
    }
    Ok(AuthRequest {
        request_id: crate::secrets::random_token(32),
        client_id: client.client_id.clone(),
        redirect_uri: redirect_uri.to_owned(),
        scopes,
        state: state.map(str::to_owned),
        code_challenge: challenge.map(str::to_owned),
        extra: Value::Object(extra),
        person_id: None,
        expires_at: oauth.clock.now() + Duration::seconds(oauth.config.code_ttl_secs),
    })
}

async fn authorize(State(st): State<Arc<St>>, RawQuery(raw): RawQuery) -> Response {
    let bad = |msg: &str| error_html(StatusCode::BAD_REQUEST, "Invalid request", msg);
    let q = match Params::parse(raw.unwrap_or_default().as_bytes()) {
        Ok(q) => q,
        Err(_) => return bad("The request could not be read."),
    };
    // Until client and redirect_uri are proven, never redirect (RFC 6749 §4.1.2.1).
    let client_id = match q.get("client_id") {
        Ok(Some(c)) if c.len() <= 200 => c,
        _ => return bad("client_id is missing or invalid."),
    };
    let client = match st.oauth.repo.client(client_id).await {
        Ok(Some(c)) if !c.disabled => c,
        Ok(_) => return bad("Unknown client."),
        Err(e) => return server_trouble(&e.into()),
    };
    let redirect_uri = match q.get("redirect_uri") {
        Ok(Some(u)) if client.redirect_uris.iter().any(|r| r == u) => u.to_owned(),
        _ => return bad("redirect_uri does not match a URI registered for this client."),
    };
    let state = match q.get("state") {
        Ok(s) if s.is_none_or(|s| s.len() <= 1024) => s,
        Ok(_) => {
            return redirect_error(
                &redirect_uri,
                &OAuthError::InvalidRequest("state is too long".into()),
                None,
            )
        }
        Err(e) => return redirect_error(&redirect_uri, &e, None),
    };
    let req = match check_authorize(&st.oauth, &client, &redirect_uri, state, &q) {
        Ok(r) => r,
        Err(e) => return redirect_error(&redirect_uri, &e, state),
    };
    if let Err(e) = st.oauth.repo.insert_auth_request(&req).await {
        return server_trouble(&e.into());
    }
    html(
        StatusCode::OK,
        pages::login_page(
            &client.name,
            &req.request_id,
            &req.scopes,
            None,
            "authorize/login",
            "",
        ),
    )
}

/// A pending request that is still live, with its client.
async fn live_request(st: &St, q: &Params) -> Result<(AuthRequest, Client), Response> {
    let expired = || {
        error_html(
            StatusCode::BAD_REQUEST,
            "Request expired",
            "This sign-in request is unknown or has expired. Start again from the app.",
        )
    };
    let id = match q.get("request_id") {
        Ok(Some(id)) if id.len() <= 100 => id,
        _ => return Err(expired()),
    };
    let req = match st.oauth.repo.auth_request(id).await {
        Ok(Some(r)) if r.expires_at > st.oauth.clock.now() => r,
        Ok(_) => return Err(expired()),
        Err(e) => return Err(server_trouble(&e.into())),
    };
    match st.oauth.repo.client(&req.client_id).await {
        Ok(Some(c)) if !c.disabled => Ok((req, c)),
        Ok(_) => Err(expired()),
        Err(e) => Err(server_trouble(&e.into())),
    }
}

/// The person's accounts a client may be given.
async fn account_choices(st: &St, person_id: &str) -> Result<Vec<AccountChoice>, OAuthError> {
    let accounts = st.world.repo.accounts_of_person(person_id).await?;
    let mut names: HashMap<String, String> = HashMap::new();
    let mut out = Vec::new();
    for a in accounts {
        if a.status == AccountStatus::Closed
            || matches!(a.kind, AccountKind::Settlement | AccountKind::Contract)
        {
            continue;
        }
        if !names.contains_key(&a.org_code) {
            let name = st
                .world
                .repo
                .institution(&a.org_code)
                .await?
                .map(|i| i.name)
                .unwrap_or_else(|| a.org_code.clone());
            names.insert(a.org_code.clone(), name);
        }
        out.push(AccountChoice {
            institution: names[&a.org_code].clone(),
            masked_number: pages::mask_number(&a.account_num),
            product: a.product_name,
            account_id: a.account_id,
        });
    }
    Ok(out)
}

async fn login(State(st): State<Arc<St>>, body: Bytes) -> Response {
    let q = match Params::parse(&body) {
        Ok(q) => q,
        Err(_) => {
            return error_html(
                StatusCode::BAD_REQUEST,
                "Invalid request",
                "The form could not be read.",
            )
        }
    };
    let (req, client) = match live_request(&st, &q).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let typed = q.get("login").ok().flatten().unwrap_or("");
    let again = |status, msg: &str| {
        html(
            status,
            pages::login_page(
                &client.name,
                &req.request_id,
                &req.scopes,
                Some(msg),
                "login",
                typed,
            ),
        )
    };
    let (login_id, password) = match (q.get("login"), q.get("password")) {
        (Ok(Some(l)), Ok(Some(p))) => (l, p),
        _ => {
            return again(
                StatusCode::BAD_REQUEST,
                "Enter your phone number or user id, and your password.",
            )
        }
    };
    let person = match st
        .oauth
        .authenticate_person(&st.world, login_id, password)
        .await
    {
        Ok(p) => p,
        Err(OAuthError::SlowDown) => {
            return again(
                StatusCode::TOO_MANY_REQUESTS,
                "Too many attempts. Wait a minute and try again.",
            )
        }
        Err(OAuthError::AccessDenied) => {
            return again(
                StatusCode::UNAUTHORIZED,
                "The login or password is not correct.",
            )
        }
        Err(e) => return server_trouble(&e),
    };
    if let Err(e) = st
        .oauth
        .repo
        .set_auth_request_person(&req.request_id, &person.person_id)
        .await
    {
        return server_trouble(&e.into());
    }
    match account_choices(&st, &person.person_id).await {
        Ok(choices) => html(
            StatusCode::OK,
            pages::consent_page(
                &client.name,
                &person.name,
                &req.request_id,
                &req.scopes,
                &choices,
                None,
            ),
        ),
        Err(e) => server_trouble(&e),
    }
}

async fn consent(State(st): State<Arc<St>>, body: Bytes) -> Response {
    let q = match Params::parse(&body) {
        Ok(q) => q,
        Err(_) => {
            return error_html(
                StatusCode::BAD_REQUEST,
                "Invalid request",
                "The form could not be read.",
            )
        }
    };
    let (req, client) = match live_request(&st, &q).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let person_id = match &req.person_id {
        Some(p) => p.clone(),
        None => {
            return error_html(
                StatusCode::BAD_REQUEST,
                "Log in first",
                "Log in before you answer the request.",
            )
        }
    };
    let state = req.state.as_deref();
    let answered = || {
        error_html(
            StatusCode::BAD_REQUEST,
            "Already answered",
            "This request has already been answered. Start again from the app.",
        )
    };
    match q.get("decision") {
        Ok(Some("allow")) => {}
        Ok(Some("deny")) => {
            return match st.oauth.repo.take_auth_request(&req.request_id).await {
                Ok(Some(_)) => redirect_error(&req.redirect_uri, &OAuthError::AccessDenied, state),
                Ok(None) => answered(),
                Err(e) => server_trouble(&e.into()),
            };
        }
        _ => {
            return error_html(
                StatusCode::BAD_REQUEST,
                "Invalid request",
                "Choose Allow or Deny.",
            )
        }
    }
    let choices = match account_choices(&st, &person_id).await {
        Ok(c) => c,
        Err(e) => return server_trouble(&e),
    };
    let mut account_ids: Vec<String> = Vec::new();
    for id in q.all("account_id") {
        if !choices.iter().any(|c| c.account_id == id) {
            let person_name = match st.world.repo.person(&person_id).await {
                Ok(Some(p)) => p.name,
                _ => String::new(),
            };
            return html(
                StatusCode::BAD_REQUEST,
                pages::consent_page(
                    &client.name,
                    &person_name,
                    &req.request_id,
                    &req.scopes,
                    &choices,
                    Some("Pick only accounts from the list."),
                ),
            );
        }
        if !account_ids.iter().any(|a| a == id) {
            account_ids.push(id.to_owned());
        }
    }
    let grant = Grant {
        person_id,
        scopes: req.scopes.clone(),
        account_ids,
    };
    // Take first: a request is answered once, even if two submissions race.
    match st.oauth.repo.take_auth_request(&req.request_id).await {
        Ok(Some(_)) => {}
        Ok(None) => return answered(),
        Err(e) => return server_trouble(&e.into()),
    }
    if let Some(adapter) = st.profiles.get(client.profile) {
        if let Err(e) = adapter.on_consent(&client, &grant).await {
            return server_trouble(&e.into());
        }
    }
    let code = match st
        .oauth
        .issue_code(
            &client,
            &req.redirect_uri,
            req.code_challenge.as_deref(),
            &grant,
        )
        .await
    {
        Ok(c) => c,
        Err(e) => return server_trouble(&e),
    };
    let scope = req.scopes.join(" ");
    let mut pairs = vec![("code", code.as_str()), ("scope", scope.as_str())];
    if let Some(ci) = req.extra.get("client_info").and_then(Value::as_str) {
        pairs.push(("client_info", ci));
    }
    if let Some(s) = state {
        pairs.push(("state", s));
    }
    redirect_to(&req.redirect_uri, &pairs)
}

/// Client credentials from HTTP Basic (RFC 6749 §2.3.1) or the form; using
/// both is an error. Returns None when the client sent none.
fn client_credentials(
    headers: &HeaderMap,
    q: &Params,
) -> Result<Option<(String, String)>, OAuthError> {
    let form_id = q.get("client_id")?;
    let form_secret = q.get("client_secret")?;
    let basic = match headers.get(header::AUTHORIZATION) {
        None => None,
        Some(v) => {
            let v = v.to_str().map_err(|_| OAuthError::InvalidClient)?;
            let (scheme, rest) = v.split_once(' ').ok_or(OAuthError::InvalidClient)?;
            if !scheme.eq_ignore_ascii_case("basic") {
                return Err(OAuthError::InvalidClient);
            }
            let raw = STANDARD
                .decode(rest.trim())
                .map_err(|_| OAuthError::InvalidClient)?;
            let raw = String::from_utf8(raw).map_err(|_| OAuthError::InvalidClient)?;
            let (id, secret) = raw.split_once(':').ok_or(OAuthError::InvalidClient)?;
            // Both halves are form-urlencoded before encoding (§2.3.1).
            let dec = |s: &str| percent_decode(s).ok_or(OAuthError::InvalidClient);
            Some((dec(id)?, dec(secret)?))
        }
    };
    match (basic, form_id, form_secret) {
        (Some(_), _, Some(_)) => Err(OAuthError::InvalidRequest(
            "use one client authentication method, not two".into(),
        )),
        (Some((id, _)), Some(fid), None) if fid != id => Err(OAuthError::InvalidRequest(
            "client_id differs from the Authorization header".into(),
        )),
        (Some(b), _, None) => Ok(Some(b)),
        (None, Some(id), Some(secret)) => Ok(Some((id.to_owned(), secret.to_owned()))),
        (None, Some(_), None) | (None, None, Some(_)) | (None, None, None) => Ok(None),
    }
}

/// application/x-www-form-urlencoded decoding of one value; None when the
/// result is not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    fn hex(c: u8) -> Option<u8> {
        (c as char).to_digit(16).map(|d| d as u8)
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => match (hex(b[i + 1]), hex(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// The raw-input half of a token or revoke request, without a store: the
/// form body, the client credentials (HTTP Basic or the form) and the scope
/// syntax. Returns the client id it names; the fuzz targets' entry point.
#[doc(hidden)]
pub fn parse_token_request(headers: &HeaderMap, body: &[u8]) -> Result<String, OAuthError> {
    let q = Params::parse(body)?;
    q.require("grant_type")?;
    q.get("code")?;
    q.get("redirect_uri")?;
    q.get("code_verifier")?;
    q.get("refresh_token")?;
    if let Some(s) = q.get("scope")? {
        parse_scope(s).ok_or_else(|| OAuthError::InvalidScope("scope is malformed".into()))?;
    }
    let (id, _) = client_credentials(headers, &q)?.ok_or(OAuthError::InvalidClient)?;
    Ok(id)
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
        None => rfc6749_error(e),
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
    let profiles = &st.profiles;
    let scope = q.get("scope")?;
    let issued = match grant_type {
        "client_credentials" => {
            if scope.is_none() && client.profile == Profile::Kftc {
                return Err(OAuthError::InvalidRequest("scope is required".into()));
            }
            st.oauth
                .issue_client_credentials(&client, scope, profiles)
                .await?
        }
        "authorization_code" => {
            if client.redirect_uris.is_empty() {
                return Err(OAuthError::UnauthorizedClient(
                    "this client is not registered for the authorization_code grant".into(),
                ));
            }
            let code = q.require("code")?;
            let redirect_uri = q.require("redirect_uri")?;
            let verifier = q.get("code_verifier")?;
            st.oauth
                .exchange_code(&client, code, redirect_uri, verifier, profiles)
                .await?
        }
        "refresh_token" => {
            let rt = q.require("refresh_token")?;
            if let Some(s) = scope {
                parse_scope(s)
                    .ok_or_else(|| OAuthError::InvalidScope("scope is malformed".into()))?;
            }
            st.oauth
                .exchange_refresh(&client, rt, scope, profiles)
                .await?
        }
        _ => return Err(OAuthError::UnsupportedGrantType),
    };
    let mut out = Map::new();
    out.insert("access_token".into(), json!(issued.access_token));
    out.insert("token_type".into(), json!(issued.token_type));
    out.insert("expires_in".into(), json!(issued.expires_in));
    if let Some(rt) = &issued.refresh_token {
        out.insert("refresh_token".into(), json!(rt));
    }
    out.insert("scope".into(), json!(issued.scope));
    if let Some(a) = profiles.get(client.profile) {
        out.extend(a.token_extras(&client, &issued.claims).await?);
    }
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
    st.oauth.revoke(&client, token, hint).await?;
    Ok(match st.profiles.get(client.profile) {
        Some(a) => a.revoke_response(),
        None => crate::profile::revoke_ok(),
    })
}

#[cfg(test)]
mod tests {
    use super::{parse_token_request, percent_decode};
    use axum::http::{HeaderMap, HeaderValue};

    #[test]
    fn basic_credentials_are_form_decoded() {
        assert_eq!(percent_decode("a%2Bb+c%3A").unwrap(), "a+b c:");
        assert_eq!(percent_decode("100%").unwrap(), "100%");
        assert_eq!(percent_decode("%zz&x").unwrap(), "%zz&x");
        assert!(percent_decode("%FF").is_none());
    }

    /// The oauth_token_form fuzz target's seed corpus, as a plain test: the
    /// first line of each file is an optional Authorization header, the rest
    /// the form body.
    #[test]
    fn token_form_corpus() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fuzz/corpus/oauth_token_form");
        let mut accepted = 0;
        for e in std::fs::read_dir(&dir).unwrap() {
            let raw = std::fs::read(e.unwrap().path()).unwrap();
            let (auth, body) = match raw.iter().position(|b| *b == b'\n') {
                Some(i) => (&raw[..i], &raw[i + 1..]),
                None => (&raw[..0], &raw[..]),
            };
            let mut h = HeaderMap::new();
            if let Ok(v) = HeaderValue::from_bytes(auth) {
                if !auth.is_empty() {
                    h.insert("authorization", v);
                }
            }
            accepted += usize::from(parse_token_request(&h, body).is_ok());
        }
        assert!(accepted >= 2, "the corpus holds form and Basic credentials");
    }
}

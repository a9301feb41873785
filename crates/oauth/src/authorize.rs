//! GET /oauth/2.0/authorize: check the request, keep it, show the login page.

use crate::grants::requested_scopes;
use crate::lang::Lang;
use crate::pages::{self, LoginPage};
use crate::params::Params;
use crate::profile::PrepareAsk;
use crate::routes::{error_html, html, reader, redirect_error, scope_asks, server_trouble, St};
use crate::{pkce, OAuth, OAuthError, ProfileAdapter};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::Duration;
use finhub_core::oauth::{AuthRequest, Client};
use serde_json::{Map, Value};
use std::sync::Arc;

pub(crate) async fn authorize(
    State(st): State<Arc<St>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let w = lang.words();
    let q = match Params::parse(raw.unwrap_or_default().as_bytes()) {
        Ok(q) => q,
        Err(_) => return bad(lang, w.unreadable_request),
    };
    let (client, redirect_uri) = match known_client(&st, &q, lang).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let adapter = st.adapter(&client);
    let echo = adapter.redirect_echo(Some(&headers), &reader(&q));
    let state = match q.get("state") {
        Ok(s) if s.is_none_or(|s| s.len() <= 1024) => s,
        Ok(_) => {
            let e = OAuthError::InvalidRequest("state is too long".into());
            return redirect_error(&redirect_uri, &e, None, &echo);
        }
        Err(e) => return redirect_error(&redirect_uri, &e, None, &echo),
    };
    let asked = Asked {
        client: &client,
        redirect_uri: &redirect_uri,
        state,
        headers: Some(&headers),
        echo: echo.clone(),
    };
    let req = match kept_request(&st.oauth, adapter, &asked, &q).await {
        Ok(r) => r,
        Err(e) => return redirect_error(&redirect_uri, &e, state, &echo),
    };
    if let Err(e) = st.oauth.repo.insert_auth_request(&req).await {
        return server_trouble(lang, &e.into());
    }
    let asks = scope_asks(&st, &client, &req.scopes, lang);
    let page = LoginPage {
        lang,
        client_name: &client.name,
        request_id: &req.request_id,
        asks: &asks,
        error: None,
        action: "authorize/login",
        login: "",
    };
    html(StatusCode::OK, pages::login_page(&page))
}

fn bad(lang: Lang, msg: &str) -> Response {
    error_html(
        lang,
        StatusCode::BAD_REQUEST,
        lang.words().invalid_request,
        msg,
    )
}

/// An authorize request that cannot be redirected: the standard's refusal
/// (the client's, or for an unknown client the adapter that claims the
/// request), else the error page.
fn refused(st: &St, client: Option<&Client>, q: &Params, msg: (Lang, &str)) -> Response {
    let (lang, msg) = msg;
    let err = OAuthError::InvalidRequest(msg.to_owned());
    let adapter = match client {
        Some(c) => Some(st.adapter(c)),
        None => st.profiles.claiming(&reader(q)).map(|a| a.as_ref()),
    };
    adapter
        .and_then(|a| a.authorize_refusal(&err))
        .unwrap_or_else(|| bad(lang, msg))
}

/// The client and its registered redirect_uri. Until both are proven, an
/// error is a refusal, never a redirect (RFC 6749 §4.1.2.1).
async fn known_client(st: &St, q: &Params, lang: Lang) -> Result<(Client, String), Response> {
    let w = lang.words();
    let client_id = match q.get("client_id") {
        Ok(Some(c)) if c.len() <= 200 => c,
        _ => return Err(refused(st, None, q, (lang, w.bad_client_id))),
    };
    let client = match st.oauth.repo.client(client_id).await {
        Ok(Some(c)) if !c.disabled => c,
        Ok(_) => return Err(refused(st, None, q, (lang, w.unknown_client))),
        Err(e) => return Err(server_trouble(lang, &e.into())),
    };
    match q.get("redirect_uri") {
        Ok(Some(u)) if client.redirect_uris.iter().any(|r| r == u) => {
            let u = u.to_owned();
            Ok((client, u))
        }
        _ => Err(refused(st, Some(&client), q, (lang, w.bad_redirect_uri))),
    }
}

/// An authorize request whose client and redirect_uri are known good.
pub(crate) struct Asked<'a> {
    pub client: &'a Client,
    pub redirect_uri: &'a str,
    pub state: Option<&'a str>,
    /// The request's headers; None for a headless consent.
    pub headers: Option<&'a HeaderMap>,
    /// The parameters every redirect echoes (`redirect_echo`), kept with it.
    pub echo: Map<String, Value>,
}

/// The request to keep: checked by the client's standard, then prepared by
/// its adapter.
pub(crate) async fn kept_request(
    oauth: &OAuth,
    rules: &dyn ProfileAdapter,
    a: &Asked<'_>,
    q: &Params,
) -> Result<AuthRequest, OAuthError> {
    let mut req = check_authorize(oauth, rules, a, q)?;
    let ask = PrepareAsk {
        client: a.client,
        scope_named: q.get("scope")?.is_some(),
        headers: a.headers,
    };
    rules.prepare_request(ask, &mut req).await?;
    if let Value::Object(extra) = &mut req.extra {
        for (k, v) in &a.echo {
            extra.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    Ok(req)
}

/// Check the rest of the request by the client's standard.
fn check_authorize(
    oauth: &OAuth,
    rules: &dyn ProfileAdapter,
    a: &Asked<'_>,
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
    if scope.is_none() && rules.requires_scope() {
        return Err(OAuthError::InvalidRequest("scope is required".into()));
    }
    let scopes = requested_scopes(scope, &a.client.scopes)?;
    // A headless consent has no app waiting for its state.
    if a.state.is_none() && rules.requires_state() && a.headers.is_some() {
        return Err(OAuthError::InvalidRequest("state is required".into()));
    }
    let challenge = pkce::authorize_challenge(
        q.get("code_challenge")?,
        q.get("code_challenge_method")?,
        rules.requires_pkce(),
    )?;
    let extra = extra_params(rules, q)?;
    Ok(AuthRequest {
        request_id: crate::secrets::random_token(32),
        client_id: a.client.client_id.clone(),
        redirect_uri: a.redirect_uri.to_owned(),
        scopes,
        state: a.state.map(str::to_owned),
        code_challenge: challenge.map(str::to_owned),
        extra: Value::Object(extra),
        person_id: None,
        expires_at: oauth.clock.now() + Duration::seconds(oauth.config.code_ttl_secs),
    })
}

/// The standard's extra parameters sent, each at most 1024 characters.
fn extra_params(rules: &dyn ProfileAdapter, q: &Params) -> Result<Map<String, Value>, OAuthError> {
    let mut extra = Map::new();
    for name in rules.extra_params() {
        if let Some(v) = q.get(name)? {
            if v.len() > 1024 {
                return Err(OAuthError::InvalidRequest(format!("{name} is too long")));
            }
            extra.insert((*name).to_owned(), Value::String(v.to_owned()));
        }
    }
    rules.check_extra_params(&extra)?;
    Ok(extra)
}

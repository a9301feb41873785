//! The authorize page's two forms: POST authorize/login (the person logs
//! in, the consent page follows) and POST authorize/consent (allow or deny;
//! allow issues the code and redirects to the app).

use crate::grants::Grant;
use crate::lang::Lang;
use crate::pages::{self, LoginPage};
use crate::params::Params;
use crate::profile::{AccountChoice, ConsentAsk, ConsentPage};
use crate::routes::{
    error_html, html, location, redirect_error, redirect_location, scope_asks, server_trouble, St,
};
use crate::OAuthError;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use finhub_core::account::{AccountKind, AccountStatus};
use finhub_core::oauth::{AuthRequest, Client};
use finhub_core::party::Person;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// A posted form of a pending request that is still live, with its client,
/// and the language the browser reads.
struct Posted {
    q: Params,
    req: AuthRequest,
    client: Client,
    lang: Lang,
}

async fn posted(st: &St, lang: Lang, body: &[u8]) -> Result<Posted, Response> {
    let w = lang.words();
    let Ok(q) = Params::parse(body) else {
        return Err(error_html(
            lang,
            StatusCode::BAD_REQUEST,
            w.invalid_request,
            w.unreadable_form,
        ));
    };
    let expired = || error_html(lang, StatusCode::BAD_REQUEST, w.expired_title, w.expired);
    let id = match q.get("request_id") {
        Ok(Some(id)) if id.len() <= 100 => id,
        _ => return Err(expired()),
    };
    let req = match st.oauth.repo.auth_request(id).await {
        Ok(Some(r)) if r.expires_at > st.oauth.clock.now() => r,
        Ok(_) => return Err(expired()),
        Err(e) => return Err(server_trouble(lang, &e.into())),
    };
    match st.oauth.repo.client(&req.client_id).await {
        Ok(Some(client)) if !client.disabled => Ok(Posted {
            q,
            req,
            client,
            lang,
        }),
        Ok(_) => Err(expired()),
        Err(e) => Err(server_trouble(lang, &e.into())),
    }
}

/// A form's answer: either way a response (an early one is the error).
type Answer = Result<Response, Response>;

pub(crate) async fn login(State(st): State<Arc<St>>, headers: HeaderMap, body: Bytes) -> Response {
    let lang = Lang::from_headers(&headers);
    login_inner(&st, lang, &body).await.unwrap_or_else(|r| r)
}

async fn login_inner(st: &St, lang: Lang, body: &[u8]) -> Answer {
    let p = posted(st, lang, body).await?;
    let person = log_in(st, &p).await?;
    if let Err(e) = st.adapter(&p.client).check_person(&p.req, &person) {
        return match st.oauth.repo.take_auth_request(&p.req.request_id).await {
            Ok(_) => Err(refuse_to_app(st, &p, &e)),
            Err(e) => Err(server_trouble(lang, &e.into())),
        };
    }
    st.oauth
        .repo
        .set_auth_request_person(&p.req.request_id, &person.person_id)
        .await
        .map_err(|e| server_trouble(lang, &e.into()))?;
    let who = (person.person_id.as_str(), person.name.as_str());
    let page = consent_content(st, &p.client, &p.req, who, lang)
        .await
        .map_err(|e| server_trouble(lang, &e))?;
    let body = pages::consent_page(&page, &p.req.request_id, None);
    Ok(html(StatusCode::OK, body))
}

/// The person the login form names, or the login page again saying why.
async fn log_in(st: &St, p: &Posted) -> Result<Person, Response> {
    let typed = p.q.get("login").ok().flatten().unwrap_or("");
    let w = p.lang.words();
    let asks = scope_asks(st, &p.client, &p.req.scopes, p.lang);
    let again = |status, msg: &str| {
        let page = LoginPage {
            lang: p.lang,
            client_name: &p.client.name,
            request_id: &p.req.request_id,
            asks: &asks,
            error: Some(msg),
            action: "login",
            login: typed,
        };
        html(status, pages::login_page(&page))
    };
    let (login_id, password) = match (p.q.get("login"), p.q.get("password")) {
        (Ok(Some(l)), Ok(Some(pw))) => (l, pw),
        _ => return Err(again(StatusCode::BAD_REQUEST, w.enter_login)),
    };
    match st
        .oauth
        .authenticate_person(&st.world, login_id, password)
        .await
    {
        Ok(person) => Ok(person),
        Err(OAuthError::SlowDown) => Err(again(StatusCode::TOO_MANY_REQUESTS, w.too_many)),
        Err(OAuthError::AccessDenied) => Err(again(StatusCode::UNAUTHORIZED, w.wrong_login)),
        Err(e) => Err(server_trouble(p.lang, &e)),
    }
}

/// The consent page the client's standard shows the person.
pub(crate) async fn consent_content(
    st: &St,
    client: &Client,
    req: &AuthRequest,
    person: (&str, &str),
    lang: Lang,
) -> Result<ConsentPage, OAuthError> {
    let (person_id, person_name) = person;
    let ask = ConsentAsk {
        client,
        person_id,
        person_name,
        scopes: &req.scopes,
        accounts: account_choices(st, person_id).await?,
        extra: &req.extra,
        lang,
    };
    Ok(st.adapter(client).consent_page(ask).await?)
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
            kind: a.kind,
            asset: a.account_id.clone(),
            account_id: a.account_id,
        });
    }
    Ok(out)
}

fn answered(lang: Lang) -> Response {
    let w = lang.words();
    error_html(lang, StatusCode::BAD_REQUEST, w.answered_title, w.answered)
}

pub(crate) async fn consent(
    State(st): State<Arc<St>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let lang = Lang::from_headers(&headers);
    consent_inner(&st, lang, &body).await.unwrap_or_else(|r| r)
}

async fn consent_inner(st: &St, lang: Lang, body: &[u8]) -> Answer {
    let p = posted(st, lang, body).await?;
    let w = lang.words();
    let Some(person_id) = p.req.person_id.clone() else {
        let r = error_html(
            lang,
            StatusCode::BAD_REQUEST,
            w.log_in_first_title,
            w.log_in_first,
        );
        return Err(r);
    };
    allowed(st, &p).await?;
    let page = consent_content(st, &p.client, &p.req, (&person_id, ""), lang)
        .await
        .map_err(|e| server_trouble(lang, &e))?;
    let account_ids = picked_accounts(st, &p, &page, &person_id).await?;
    let answers = page_answers(&p.q, &page);
    let terms = match st.adapter(&p.client).consent_answers(&answers).await {
        Ok(t) => t,
        Err(e) => {
            let msg = format!("{}: {}", w.check_answer, e.description());
            return Err(answer_again(st, &p, &person_id, &msg).await);
        }
    };
    let grant = grant_of(&p.req, &person_id, account_ids, terms);
    // Take first: a request is answered once, even if two submissions race.
    match st.oauth.repo.take_auth_request(&p.req.request_id).await {
        Ok(Some(_)) => {}
        Ok(None) => return Err(answered(lang)),
        Err(e) => return Err(server_trouble(lang, &e.into())),
    }
    let location = consented(st, &p.client, &p.req, &grant)
        .await
        .map_err(|e| server_trouble(lang, &e))?;
    Ok(redirect_location(&location))
}

/// The page's answers as posted, by question.
fn page_answers(q: &Params, page: &ConsentPage) -> Map<String, Value> {
    let mut out = Map::new();
    for question in &page.questions {
        if let Ok(Some(v)) = q.get(&question.name) {
            out.insert(question.name.clone(), Value::String(v.to_owned()));
        }
    }
    out
}

/// What the person granted: the request's scopes, the picked accounts, and
/// as terms the request's kept parameters with the checked answers.
pub(crate) fn grant_of(
    req: &AuthRequest,
    person_id: &str,
    account_ids: Vec<String>,
    answers: Map<String, Value>,
) -> Grant {
    let mut grant = Grant::new(person_id, req.scopes.clone(), account_ids);
    if let Value::Object(kept) = &req.extra {
        grant.terms = kept.clone();
    }
    grant.terms.extend(answers);
    grant
}

/// A request answered Allow: what the standard sets up, then the code; the
/// redirect's location.
pub(crate) async fn consented(
    st: &St,
    client: &Client,
    req: &AuthRequest,
    grant: &Grant,
) -> Result<String, OAuthError> {
    st.adapter(client).on_consent(client, grant).await?;
    let code = st
        .oauth
        .issue_code(
            client,
            &req.redirect_uri,
            req.code_challenge.as_deref(),
            grant,
        )
        .await?;
    Ok(code_location(
        req,
        &code,
        st.adapter(client).echoed_params(),
    ))
}

/// The app told why its request ended, with the echoed parameters kept
/// with it.
fn refuse_to_app(st: &St, p: &Posted, e: &OAuthError) -> Response {
    let mut echo = Map::new();
    for name in st.adapter(&p.client).echoed_params() {
        if let Some(v) = p.req.extra.get(*name) {
            echo.insert((*name).to_owned(), v.clone());
        }
    }
    redirect_error(&p.req.redirect_uri, e, p.req.state.as_deref(), &echo)
}

/// Go on only when the person chose Allow; Deny answers the request with
/// access_denied.
async fn allowed(st: &St, p: &Posted) -> Result<(), Response> {
    match p.q.get("decision") {
        Ok(Some("allow")) => Ok(()),
        Ok(Some("deny")) => Err(
            match st.oauth.repo.take_auth_request(&p.req.request_id).await {
                Ok(Some(_)) => refuse_to_app(st, p, &OAuthError::AccessDenied),
                Ok(None) => answered(p.lang),
                Err(e) => server_trouble(p.lang, &e.into()),
            },
        ),
        _ => {
            let w = p.lang.words();
            Err(error_html(
                p.lang,
                StatusCode::BAD_REQUEST,
                w.invalid_request,
                w.choose,
            ))
        }
    }
}

/// The accounts picked, each once; one the page did not offer shows the
/// page again.
async fn picked_accounts(
    st: &St,
    p: &Posted,
    page: &ConsentPage,
    person_id: &str,
) -> Result<Vec<String>, Response> {
    let mut account_ids: Vec<String> = Vec::new();
    for id in p.q.all("account_id") {
        if !page.offers(id) {
            let msg = p.lang.words().pick_listed;
            return Err(answer_again(st, p, person_id, msg).await);
        }
        if !account_ids.iter().any(|a| a == id) {
            account_ids.push(id.to_owned());
        }
    }
    Ok(account_ids)
}

/// The consent page again, saying what was wrong with the answer.
async fn answer_again(st: &St, p: &Posted, person_id: &str, msg: &str) -> Response {
    let name = match st.world.repo.person(person_id).await {
        Ok(Some(person)) => person.name,
        _ => String::new(),
    };
    match consent_content(st, &p.client, &p.req, (person_id, &name), p.lang).await {
        Ok(page) => {
            let body = pages::consent_page(&page, &p.req.request_id, Some(msg));
            html(StatusCode::BAD_REQUEST, body)
        }
        Err(e) => server_trouble(p.lang, &e),
    }
}

/// Where the app gets its code: the redirect_uri with the code, the scopes,
/// the standard's echoed parameters and the state.
pub(crate) fn code_location(req: &AuthRequest, code: &str, echoed: &[&str]) -> String {
    let scope = req.scopes.join(" ");
    let mut pairs = vec![("code", code), ("scope", scope.as_str())];
    for name in echoed {
        if let Some(v) = req.extra.get(*name).and_then(Value::as_str) {
            pairs.push((name, v));
        }
    }
    if let Some(s) = req.state.as_deref() {
        pairs.push(("state", s));
    }
    location(&req.redirect_uri, &pairs)
}

//! The `mydata` profile's OAuth rules, as the face decides them: the
//! authorize request names the institution (`org_code`), whose industry the
//! scopes narrow to (`{industry}.list` always included); the consent page
//! offers what the person holds there under those scopes, with the end date
//! and purpose; the consent makes the transmission request (전송요구) record,
//! keyed by the token family, before the code is issued.

pub mod ca;
mod integrated;
mod terms;

use crate::assets::{asset_id, industry};
use crate::codes::Rsp;
use crate::params::TranId;
use crate::scopes::{self, assets_at};
use crate::MydataState;
use async_trait::async_trait;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use finhub_core::consent::Consent;
use finhub_core::institution::Institution;
use finhub_core::oauth::{AuthRequest, Client, Profile};
use finhub_core::party::Person;
use finhub_core::CoreError;
use finhub_oauth::{
    mask_number, AccountChoice, AccountPicker, ConsentAsk, ConsentPage, Grant, Issued, Lang,
    OAuthError, OwnGrant, PrepareAsk, ProfileAdapter, ScopeAsk, TokenResponse,
};
use serde_json::{Map, Value};
use std::sync::Arc;
use terms::Terms;

pub struct MydataAdapter {
    state: MydataState,
}

pub fn adapter(state: MydataState) -> Arc<dyn ProfileAdapter> {
    Arc::new(MydataAdapter { state })
}

impl MydataAdapter {
    /// `app_scheme` must be one the client registered, if it registered any.
    async fn check_app_scheme(&self, client: &Client, extra: &Value) -> Result<(), OAuthError> {
        let Some(asked) = extra.get("app_scheme").and_then(Value::as_str) else {
            return Ok(());
        };
        let registered = self.state.oauth.repo.app_schemes(&client.client_id).await?;
        if registered.is_empty() || registered.iter().any(|s| s == asked) {
            Ok(())
        } else {
            Err(OAuthError::InvalidRequest(
                "app_scheme is not one registered for this client".into(),
            ))
        }
    }

    /// The institution a kept request names.
    async fn institution_of(&self, extra: &Value) -> Result<Institution, OAuthError> {
        let org = extra
            .get("org_code")
            .and_then(Value::as_str)
            .ok_or_else(|| OAuthError::InvalidRequest("org_code is required".into()))?;
        self.state
            .world
            .repo
            .institution(org)
            .await?
            .ok_or_else(|| OAuthError::InvalidRequest(format!("org_code {org} is not known")))
    }
}

/// The scopes asked at an institution of `ind`: `{ind}.list` first, then
/// the detailed scopes of that industry. Named scopes must all be of it; a
/// request naming none asks for every scope of the industry the client has.
pub(crate) fn industry_scopes(
    ind: &str,
    asked: &[String],
    named: bool,
) -> Result<Vec<String>, OAuthError> {
    let list = scopes::list_scope(ind);
    let mut out = vec![list.clone()];
    let mut any = false;
    for s in asked {
        match scopes::scope(s) {
            Some(rule) if rule.industry == ind => any = true,
            _ if !named => continue,
            _ => {
                return Err(OAuthError::InvalidScope(format!(
                    "scope {s} is not a scope of the institution's industry ({ind})"
                )))
            }
        }
        if *s != list {
            out.push(s.clone());
        }
    }
    if !any {
        return Err(OAuthError::InvalidScope(format!(
            "the client may ask for no scope of the institution's industry ({ind})"
        )));
    }
    Ok(out)
}

/// The provider's own `x-api-tran-id` for a request that sent none
/// (a browser cannot): its org code, `S`, 14 digits.
fn provider_tran_id(org: &str) -> String {
    use rand::Rng;
    let n: u64 = rand::thread_rng().gen_range(0..100_000_000_000_000);
    format!("{org}S{n:014}")
}

/// The request's `x-api-tran-id`: Ok(None) when absent, an error when malformed.
fn tran_id_of(headers: &HeaderMap) -> Result<Option<String>, OAuthError> {
    match headers.get("x-api-tran-id") {
        None => Ok(None),
        Some(v) => {
            let t = v.to_str().unwrap_or("\u{0}");
            TranId::parse(t).map_err(|_| {
                OAuthError::InvalidRequest(
                    "x-api-tran-id must be 25 letters and digits: org code, kind, 14 more".into(),
                )
            })?;
            Ok(Some(t.to_owned()))
        }
    }
}

/// An organisation code: 10 letters and digits.
fn org_code_like(s: &str) -> bool {
    s.len() == 10 && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// The OAuth error in §4.2's shape: 400 for what the client got wrong
/// (invalid_client too), 500 and 503 for the server's trouble.
pub fn oauth_error(err: &OAuthError) -> Response {
    let (status, code) = match err {
        OAuthError::ServerError => (StatusCode::INTERNAL_SERVER_ERROR, err.code()),
        OAuthError::TemporarilyUnavailable | OAuthError::SlowDown => {
            (StatusCode::SERVICE_UNAVAILABLE, "temporarily_unavailable")
        }
        _ => (StatusCode::BAD_REQUEST, err.code()),
    };
    let body = serde_json::json!({"error": code, "error_description": err.description()});
    let mut res = (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        axum::Json(body),
    )
        .into_response();
    if status == StatusCode::SERVICE_UNAVAILABLE {
        res.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
    }
    res
}

#[async_trait]
impl ProfileAdapter for MydataAdapter {
    fn profile(&self) -> Profile {
        Profile::Mydata
    }

    fn standard_scopes(&self) -> Vec<String> {
        scopes::all().into_iter().map(str::to_owned).collect()
    }

    /// A mydata client holds §5.7's scopes, or `manage` alone (a support
    /// client, with no redirect URIs); its org code is 10 upper-case letters
    /// and digits (the prefix of its `x-api-tran-id`s).
    fn check_new_client(&self, new: &finhub_oauth::NewClient) -> Result<(), OAuthError> {
        if let Some(code) = new.org_code.as_deref() {
            let upper = code
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
            if code.len() != 10 || !upper {
                return Err(OAuthError::InvalidRequest(
                    "a mydata org_code is 10 upper-case letters and digits".into(),
                ));
            }
        }
        if new.scopes == [scopes::MANAGE] && !new.redirect_uris.is_empty() {
            return Err(OAuthError::InvalidRequest(
                "a support client (scope manage) has no redirect URIs".into(),
            ));
        }
        if new.scopes == [scopes::MANAGE] {
            return Ok(());
        }
        match new.scopes.iter().find(|s| scopes::scope(s).is_none()) {
            Some(bad) => Err(OAuthError::InvalidScope(format!(
                "{bad} is not a MyData scope (mydata.md §5.7); manage goes alone"
            ))),
            None => Ok(()),
        }
    }

    fn management_scope(&self) -> Option<&'static str> {
        Some(scopes::MANAGE)
    }

    fn scope_words(&self, scope: &str, lang: Lang) -> String {
        match scopes::words(scope, lang) {
            Some(w) => w.to_owned(),
            None => finhub_oauth::scope_words(scope, lang),
        }
    }

    /// 개별인증-001: `state` is required (§5.1).
    fn requires_state(&self) -> bool {
        true
    }

    /// `api_tran_id` repeats the request's `x-api-tran-id`, since headers do
    /// not survive a redirect; a browser sends none, so the provider makes one.
    fn redirect_echo(
        &self,
        headers: Option<&HeaderMap>,
        query: &dyn Fn(&str) -> Option<String>,
    ) -> Map<String, Value> {
        let sent = headers.and_then(|h| tran_id_of(h).ok().flatten());
        let org = query("org_code").filter(|o| org_code_like(o));
        let id = sent.unwrap_or_else(|| provider_tran_id(org.as_deref().unwrap_or("0000000000")));
        let mut m = Map::new();
        m.insert("api_tran_id".into(), Value::String(id));
        m
    }

    fn claims_authorize(&self, query: &dyn Fn(&str) -> Option<String>) -> bool {
        query("org_code").is_some()
    }

    /// §4.2: a bad client_id or redirect_uri is a 400 JSON answer.
    fn authorize_refusal(&self, err: &OAuthError) -> Option<Response> {
        Some(oauth_error(err))
    }

    /// The CI the operator sent in `x-user-ci` must be the person's.
    fn check_person(&self, req: &AuthRequest, person: &Person) -> Result<(), OAuthError> {
        match req.extra.get("user_ci").and_then(Value::as_str) {
            Some(ci) if ci != person.ci => Err(OAuthError::UnauthorizedUser(
                "the person who logged in is not the one the operator named (x-user-ci)".into(),
            )),
            _ => Ok(()),
        }
    }

    /// 개별인증-002…004 carry `org_code` and `x-api-tran-id`.
    fn check_token_request(
        &self,
        headers: &HeaderMap,
        form: &dyn Fn(&str) -> Option<String>,
    ) -> Result<(), OAuthError> {
        if form("grant_type").as_deref() == Some("client_credentials") {
            return Ok(());
        }
        match form("org_code") {
            Some(o) if org_code_like(&o) => {}
            Some(_) => {
                return Err(OAuthError::InvalidRequest(
                    "org_code is not an org code".into(),
                ))
            }
            None => return Err(OAuthError::InvalidRequest("org_code is required".into())),
        }
        match tran_id_of(headers)? {
            Some(_) => Ok(()),
            None => Err(OAuthError::InvalidRequest(
                "x-api-tran-id is required".into(),
            )),
        }
    }

    /// 통합인증-002: `password` with a consent the sandbox CA signed.
    async fn own_grant(&self, ask: OwnGrant<'_>) -> Option<Result<Issued, OAuthError>> {
        match ask.grant_type {
            "password" => Some(self.integrated(ask).await),
            _ => None,
        }
    }

    fn token_fields(&self, issued: &TokenResponse) -> Map<String, Value> {
        let mut m = Map::new();
        if let Some(secs) = issued.refresh_expires_in {
            m.insert("refresh_token_expires_in".into(), secs.into());
        }
        m
    }

    fn error_response(&self, err: &OAuthError) -> Response {
        oauth_error(err)
    }

    /// 개별인증-004: 200 and `00000` whether or not the token was live.
    fn revoke_response(&self) -> Response {
        let body = serde_json::json!({"rsp_code": Rsp::Ok.code(), "rsp_msg": Rsp::Ok.message()});
        (
            StatusCode::OK,
            [(header::CACHE_CONTROL, "no-store")],
            axum::Json(body),
        )
            .into_response()
    }

    /// Withdrawal ends the transmission request with the tokens.
    async fn on_revoke(&self, family_id: &str) -> Result<(), CoreError> {
        let now = self.state.world.clock.now();
        self.state
            .repo
            .revoke_consent(family_id, now)
            .await
            .map(|_| ())
    }

    async fn prepare_request(
        &self,
        ask: PrepareAsk<'_>,
        req: &mut AuthRequest,
    ) -> Result<(), OAuthError> {
        let inst = self.institution_of(&req.extra).await?;
        if !inst.status.is_available() {
            return Err(OAuthError::TemporarilyUnavailable);
        }
        req.scopes = industry_scopes(industry(inst.kind), &req.scopes, ask.scope_named)?;
        self.check_app_scheme(ask.client, &req.extra).await?;
        let Some(headers) = ask.headers else {
            return Ok(());
        };
        tran_id_of(headers)?;
        let ci = headers
            .get("x-user-ci")
            .map(|v| v.to_str().unwrap_or("\u{0}"));
        if let (Some(ci), Value::Object(extra)) = (ci, &mut req.extra) {
            if ci.is_empty() || ci.len() > 100 {
                return Err(OAuthError::InvalidRequest("x-user-ci is not a CI".into()));
            }
            extra.insert("user_ci".into(), Value::String(ci.to_owned()));
        }
        Ok(())
    }

    async fn consent_page(&self, ask: ConsentAsk<'_>) -> Result<ConsentPage, CoreError> {
        let inst = self
            .institution_of(ask.extra)
            .await
            .map_err(|e| CoreError::Invalid(e.description()))?;
        let held = assets_at(&self.state.world, ask.person_id, &inst, ask.scopes).await?;
        let choices = held
            .iter()
            .map(|a| {
                let asset = asset_id(a);
                AccountChoice {
                    account_id: a.account_id.clone(),
                    institution: inst.name.clone(),
                    masked_number: mask_number(&asset),
                    product: a.product_name.clone(),
                    kind: a.kind,
                    asset,
                }
            })
            .collect();
        let today = self.state.world.clock.now_kst().date_naive();
        let lang = ask.lang;
        let asks = ask.scopes.iter().map(|s| ScopeAsk {
            scope: s.clone(),
            words: self.scope_words(s, lang),
        });
        Ok(ConsentPage {
            lang,
            title: match lang {
                Lang::Ko => format!("{} 전송요구", inst.name),
                Lang::En => format!("{}: send your data", inst.name),
            },
            person_name: ask.person_name.to_owned(),
            client_name: ask.client.name.clone(),
            asks: asks.collect(),
            accounts: Some(AccountPicker {
                legend: lang.pick("전송할 자산", "Assets to send").into(),
                none_text: lang
                    .pick(
                        "이 기관에서 전송할 자산이 없습니다.",
                        "You hold nothing here to send.",
                    )
                    .into(),
                choices,
            }),
            questions: terms::questions(today, lang),
        })
    }

    async fn consent_answers(
        &self,
        answers: &Map<String, Value>,
    ) -> Result<Map<String, Value>, OAuthError> {
        let today = self.state.world.clock.now_kst().date_naive();
        Ok(Terms::parse(answers, today)?.to_map())
    }

    /// The transmission request, keyed by the grant's token family.
    async fn on_consent(&self, client: &Client, grant: &Grant) -> Result<(), CoreError> {
        let today = self.state.world.clock.now_kst().date_naive();
        let t =
            Terms::parse(&grant.terms, today).map_err(|e| CoreError::Invalid(e.description()))?;
        let sender_org = grant
            .terms
            .get("org_code")
            .and_then(Value::as_str)
            .ok_or_else(|| CoreError::Invalid("org_code is required".into()))?;
        let consent = Consent {
            consent_id: grant.family_id.clone(),
            client_id: client.client_id.clone(),
            receiver_org: client.org_code.clone(),
            person_id: grant.person_id.clone(),
            sender_org: sender_org.to_owned(),
            scopes: grant.scopes.clone(),
            account_ids: grant.account_ids.clone(),
            purpose: t.purpose,
            end_date: t.end_date,
            hold_until: t.hold_until,
            is_scheduled: t.is_scheduled,
            fnd_cycle: t.fnd_cycle,
            add_cycle: t.add_cycle,
            memo: true,
            merchant: true,
            tx_id: t.tx_id,
            created_at: self.state.world.clock.now(),
            revoked_at: None,
        };
        self.state.repo.insert_consent(&consent).await
    }
}

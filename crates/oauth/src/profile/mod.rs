//! What each standard decides about the shared OAuth endpoints. Every
//! per-standard rule of the server is a `ProfileAdapter` hook: which
//! authorize parameters are required or kept, token lifetimes, PKCE, the
//! consent page, what a consent registers, the token's audience and extra
//! fields, the error envelope and the revoke answer.
//!
//! A hook's default is the built-in rule of the adapter's profile
//! (defaults.rs: KFTC, MyData, and plain RFC 6749 with PKCE for the rest),
//! so an adapter overrides only what its face decides itself. The assembly
//! registers a face's adapter with `Profiles::with`; a profile with none
//! gets its built-in adapter (`Profiles::get_or_default`). This module is
//! the only place in the crate that tells profiles apart
//! (tests/profile_rules.rs keeps it so).

mod consent;
mod defaults;
mod error;

pub use consent::{
    AccountChoice, AccountPicker, ConsentAsk, ConsentPage, Question, QuestionKind, ScopeAsk,
};
pub use error::{revoke_ok, rfc6749_error, OAuthError};

use crate::lang::Lang;
use crate::token::AccessClaims;
use crate::{OAuthConfig, TokenResponse};
use async_trait::async_trait;
use axum::http::HeaderMap;
use axum::response::Response;
use defaults::rules;
use finhub_core::oauth::{AuthRequest, Client, Profile};
use finhub_core::party::Person;
use finhub_core::CoreError;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::Arc;

#[async_trait]
pub trait ProfileAdapter: Send + Sync {
    fn profile(&self) -> Profile;

    /// Whether authorize and the client_credentials grant need `scope`
    /// (KFTC: yes; RFC 6749 §3.3 lets the server default it).
    fn requires_scope(&self) -> bool {
        rules(self.profile()).requires_scope
    }

    /// Whether authorize needs `state` (KFTC: yes).
    fn requires_state(&self) -> bool {
        rules(self.profile()).requires_state
    }

    /// Authorize parameters kept with the request besides the RFC 6749 ones
    /// (`client_info` is echoed back on the redirect). KFTC: its display
    /// options and `auth_type`; MyData: `org_code`, `app_scheme`.
    fn extra_params(&self) -> &'static [&'static str] {
        rules(self.profile()).extra_params
    }

    /// Check the kept extra parameters (each at most 1024 characters
    /// already). KFTC: `auth_type` is 0, 1 or 2.
    fn check_extra_params(&self, extra: &Map<String, Value>) -> Result<(), OAuthError> {
        (rules(self.profile()).check_extra)(extra)
    }

    /// Adjust a checked authorize request before it is kept (a headless
    /// consent's too): what the standard derives from its parameters.
    /// MyData: `org_code` names the institution, the scopes narrow to its
    /// industry with `{industry}.list` added, `x-api-tran-id` is kept to echo.
    async fn prepare_request(
        &self,
        ask: PrepareAsk<'_>,
        req: &mut AuthRequest,
    ) -> Result<(), OAuthError> {
        let _ = (ask, req);
        Ok(())
    }

    /// Parameters echoed on every redirect to the app, code or error
    /// (KFTC `client_info`, MyData `api_tran_id`); kept with the request.
    fn echoed_params(&self) -> &'static [&'static str] {
        rules(self.profile()).echoed
    }

    /// The echoed parameters' values for an authorize request (its query
    /// read by `query`). Default: each as the query sent it. MyData:
    /// `api_tran_id` is the request's `x-api-tran-id` header (or the
    /// provider's own, since a browser sends none).
    fn redirect_echo(
        &self,
        headers: Option<&HeaderMap>,
        query: &dyn Fn(&str) -> Option<String>,
    ) -> Map<String, Value> {
        let _ = headers;
        let mut out = Map::new();
        for name in self.echoed_params() {
            if let Some(v) = query(name) {
                out.insert((*name).to_owned(), Value::String(v));
            }
        }
        out
    }

    /// Whether an authorize request whose client is unknown speaks this
    /// standard (its query read by `query`), so its refusal is this
    /// adapter's `authorize_refusal`. MyData: it names an `org_code`.
    fn claims_authorize(&self, query: &dyn Fn(&str) -> Option<String>) -> bool {
        let _ = query;
        false
    }

    /// The answer to an authorize request that cannot be redirected (unknown
    /// client, unregistered redirect_uri); None shows the error page.
    /// MyData: 400 with the OAuth error JSON.
    fn authorize_refusal(&self, err: &OAuthError) -> Option<Response> {
        let _ = err;
        None
    }

    /// Whether the person who logged in may answer the request (MyData: the
    /// CI the operator sent in `x-user-ci` is theirs); an error is
    /// redirected to the app.
    fn check_person(&self, req: &AuthRequest, person: &Person) -> Result<(), OAuthError> {
        let _ = (req, person);
        Ok(())
    }

    /// Access-token lifetime, from the server's settings (KFTC: 90 days,
    /// `kftc_access_ttl_secs`). Capped at the longest of the configured
    /// lifetimes, which is how long a revocation is remembered.
    fn access_ttl_secs(&self, cfg: &OAuthConfig) -> i64 {
        (rules(self.profile()).access_ttl_secs)(cfg)
    }

    /// Whether authorize needs a PKCE challenge (S256). KFTC and MyData
    /// clients do not send one; a challenge they do send is still enforced.
    fn requires_pkce(&self) -> bool {
        rules(self.profile()).requires_pkce
    }

    /// What the consent page shows and asks, from the request and the
    /// person's accounts the client could be given. Default: every scope in
    /// words, and the accounts to pick from.
    async fn consent_page(&self, ask: ConsentAsk<'_>) -> Result<ConsentPage, CoreError> {
        Ok(ConsentPage::new(ask))
    }

    /// Check the consent page's answers (`ConsentPage::questions`, posted
    /// value by name; a headless consent's fields the same way) and return
    /// what the grant keeps of them (`Grant::terms`). Default: nothing.
    async fn consent_answers(
        &self,
        answers: &Map<String, Value>,
    ) -> Result<Map<String, Value>, OAuthError> {
        let _ = answers;
        Ok(Map::new())
    }

    /// What `scope` lets the client do, in words, on the login and consent
    /// pages (MyData: §5.7's scopes by name).
    fn scope_words(&self, scope: &str, lang: Lang) -> String {
        crate::pages::scope_words(scope, lang)
    }

    /// The scopes a client of this standard gets when it is registered
    /// without any (KFTC: login inquiry transfer oob sa).
    fn standard_scopes(&self) -> Vec<String> {
        let scopes = rules(self.profile()).standard_scopes;
        scopes.iter().map(|s| s.to_string()).collect()
    }

    /// The `aud` claim of a token issued to `client` (for `person_id` when 3-legged).
    /// KFTC: the client_use_code, or the person's user_seq_no.
    async fn audience(
        &self,
        client: &Client,
        person_id: Option<&str>,
    ) -> Result<String, CoreError> {
        let _ = person_id;
        Ok(client.client_id.clone())
    }

    /// Refresh-token lifetime, from the server's settings (MyData: a year).
    fn refresh_ttl_secs(&self, cfg: &OAuthConfig) -> i64 {
        (rules(self.profile()).refresh_ttl_secs)(cfg)
    }

    /// Check a token or revoke request's own parameters before its grant
    /// runs (`form` reads the form, `headers` the request). MyData:
    /// `org_code` and the `x-api-tran-id` header are required.
    fn check_token_request(
        &self,
        headers: &HeaderMap,
        form: &dyn Fn(&str) -> Option<String>,
    ) -> Result<(), OAuthError> {
        let _ = (headers, form);
        Ok(())
    }

    /// Fields the standard adds about the issue itself (MyData:
    /// `refresh_token_expires_in`).
    fn token_fields(&self, issued: &TokenResponse) -> Map<String, Value> {
        let _ = issued;
        Map::new()
    }

    /// What a revocation of a refresh family ends in this standard (MyData:
    /// the transmission request keyed by it).
    async fn on_revoke(&self, family_id: &str) -> Result<(), CoreError> {
        let _ = family_id;
        Ok(())
    }

    /// A grant type of the standard's own at the token endpoint (MyData
    /// 통합인증-002: `password` with a certificate-signed consent). None
    /// when `grant_type` is not one (the answer is unsupported_grant_type).
    async fn own_grant(&self, ask: OwnGrant<'_>) -> Option<Result<Issued, OAuthError>> {
        let _ = ask;
        None
    }

    /// Fields added to a successful token response (KFTC: `user_seq_no`, `client_use_code`).
    async fn token_extras(
        &self,
        client: &Client,
        claims: &AccessClaims,
    ) -> Result<Map<String, Value>, CoreError> {
        let _ = (client, claims);
        Ok(Map::new())
    }

    /// What the person's consent sets up in this standard before the code is
    /// issued (KFTC: 사용자인증 registers the chosen accounts and gives them
    /// fintech_use_nums, so `user/me` lists them after the token exchange).
    async fn on_consent(&self, client: &Client, grant: &crate::Grant) -> Result<(), CoreError> {
        let _ = (client, grant);
        Ok(())
    }

    /// Render an error of the token or revoke endpoint in this standard's envelope.
    fn error_response(&self, err: &OAuthError) -> Response {
        rfc6749_error(err)
    }

    /// The answer to a successful revoke (RFC 7009: 200 and no content to
    /// speak of; KFTC: its `rsp_code` envelope).
    fn revoke_response(&self) -> Response {
        revoke_ok()
    }

    /// Extra fields for a newly created client (KFTC: its contract account,
    /// `cntr_account_num`, `cntr_bank_code_std`, `wd_pass_phrase`), created
    /// when the sandbox registers the client.
    async fn provision_client(&self, client: &Client) -> Result<Map<String, Value>, CoreError> {
        let _ = client;
        Ok(Map::new())
    }

    /// Check a client about to be registered, beyond the common rules
    /// (MyData: §5.7's scopes, or `manage` alone for a support client; a
    /// 10-character org code).
    fn check_new_client(&self, new: &crate::NewClient) -> Result<(), OAuthError> {
        let _ = new;
        Ok(())
    }

    /// The scope of the standard's support tokens at
    /// `POST /mgmts/oauth/2.0/token` (MyData `manage`), given to a client
    /// registered with that scope alone; None: the standard has none.
    fn management_scope(&self) -> Option<&'static str> {
        None
    }

    /// Scopes a 2-legged (client_credentials) token may carry; None allows any
    /// of the client's scopes. KFTC allows only `oob` and `sa`: user scopes
    /// need the user's own authorization.
    fn client_credentials_scopes(&self) -> Option<&'static [&'static str]> {
        None
    }

    /// The organisation code to give a new client of this profile when none
    /// is supplied (KFTC: a client_use_code like `M202600001`).
    fn new_org_code(&self, seq: u64) -> String {
        format!(
            "{}{:07}",
            &self.profile().as_str()[..3].to_uppercase(),
            seq % 10_000_000
        )
    }
}

/// A token request of a grant type the standard defines itself.
pub struct OwnGrant<'a> {
    pub client: &'a Client,
    pub grant_type: &'a str,
    /// The form, each parameter once.
    pub form: &'a Map<String, Value>,
    /// For issuing (`OAuth::issue_authorized`).
    pub profiles: &'a crate::Profiles,
}

/// Tokens a grant issued, and the fields its answer adds.
pub type Issued = (TokenResponse, Map<String, Value>);

/// What `prepare_request` is told besides the request.
pub struct PrepareAsk<'a> {
    pub client: &'a Client,
    /// Whether the request named its scopes (else it asks for all the client's).
    pub scope_named: bool,
    /// The authorize request's headers; None for a headless consent.
    pub headers: Option<&'a HeaderMap>,
}

/// The adapters the assembly registered, by profile.
#[derive(Clone, Default)]
pub struct Profiles {
    adapters: HashMap<Profile, Arc<dyn ProfileAdapter>>,
}

impl Profiles {
    /// Register a face's adapter; it replaces its profile's built-in one.
    pub fn with(mut self, adapter: Arc<dyn ProfileAdapter>) -> Self {
        self.adapters.insert(adapter.profile(), adapter);
        self
    }

    /// The adapter registered for `p`, if any.
    pub fn get(&self, p: Profile) -> Option<&Arc<dyn ProfileAdapter>> {
        self.adapters.get(&p)
    }

    /// The registered adapter that claims an authorize request of an
    /// unknown client (`ProfileAdapter::claims_authorize`).
    pub fn claiming(
        &self,
        query: &dyn Fn(&str) -> Option<String>,
    ) -> Option<&Arc<dyn ProfileAdapter>> {
        self.adapters.values().find(|a| a.claims_authorize(query))
    }

    /// The adapter that decides for `p`: the registered one, or else the
    /// profile's built-in one.
    pub fn get_or_default(&self, p: Profile) -> &dyn ProfileAdapter {
        match self.adapters.get(&p) {
            Some(a) => a.as_ref(),
            None => defaults::built_in(p),
        }
    }
}

//! The KFTC profile of the shared OAuth server: what KFTC's face decides
//! itself (token audience and extras, what 사용자인증 registers, the O0001
//! error envelope, client_use_code assignment, the contract account every
//! new client gets, the scopes of the 2-legged grant and the standard
//! scopes). KFTC's authorize and token rules that need no face state
//! (scope and state required, its authorize options and `auth_type`,
//! 90-day tokens, no PKCE, the consent page with its account picker) are
//! the built-in rules of `Profile::Kftc` in finhub-oauth, which this
//! adapter keeps by not overriding those hooks.

use crate::codes::{sub, Rsp};
use crate::error::KftcError;
use crate::format::new_fintech_use_num;
use crate::service::check_open;
use crate::KftcState;
use async_trait::async_trait;
use axum::response::{IntoResponse, Response};
use chrono::Datelike;
use finhub_core::account::AccountKind;
use finhub_core::money::Money;
use finhub_core::oauth::{Client, Profile};
use finhub_core::registration::{ClientContract, ClientLimits, NewRegistration, Service};
use finhub_core::CoreError;
use finhub_oauth::{AccessClaims, Grant, OAuthError, ProfileAdapter};
use serde_json::{Map, Value};
use std::sync::Arc;

/// The open-banking testbed bank that holds every client's contract account.
pub const CONTRACT_BANK_ORG: &str = "BA00000097";
pub const CONTRACT_BANK_CODE: &str = "097";
/// The testbed's deposit pass phrase.
pub const DEFAULT_PASS_PHRASE: &str = "NONE";
/// What a new contract account holds, so deposits work out of the box (KRW).
pub const CONTRACT_OPENING_KRW: i64 = 1_000_000_000;

pub struct KftcAdapter {
    state: KftcState,
}

pub fn adapter(state: KftcState) -> Arc<dyn ProfileAdapter> {
    Arc::new(KftcAdapter { state })
}

/// The O0001 sub-code (or other O-code) for each RFC 6749 error.
pub fn oauth_rsp(err: &OAuthError) -> KftcError {
    match err {
        OAuthError::InvalidClient => KftcError::detail(Rsp::O0001, sub::CLIENT),
        OAuthError::InvalidRequest(_) | OAuthError::UnsupportedGrantType => {
            KftcError::detail(Rsp::O0001, sub::PARAMETER)
        }
        OAuthError::InvalidScope(_) => KftcError::detail(Rsp::O0001, sub::PARAMETER),
        OAuthError::UnauthorizedClient(_) => KftcError::new(Rsp::O0011),
        OAuthError::InvalidGrant(_)
        | OAuthError::AccessDenied
        | OAuthError::UnauthorizedUser(_) => KftcError::detail(Rsp::O0001, sub::SESSION),
        OAuthError::UnsupportedResponseType => KftcError::detail(Rsp::O0001, sub::RESPONSE_TYPE),
        // A client locked out for guessing has its credentials refused; §11.3
        // has no throttling code, and 3000103 would blame a missing parameter.
        OAuthError::SlowDown => KftcError::detail(Rsp::O0001, sub::CLIENT),
        // The gateway's "cannot process the request": the store failed, so
        // the client must not be told its parameters were wrong (O0001).
        OAuthError::TemporarilyUnavailable | OAuthError::ServerError => KftcError::new(Rsp::O0007),
    }
}

#[async_trait]
impl ProfileAdapter for KftcAdapter {
    fn profile(&self) -> Profile {
        Profile::Kftc
    }

    /// 사용자인증 registers deposit accounts at banks: the person's cards,
    /// loans and securities are not offered.
    async fn consent_page(
        &self,
        mut ask: finhub_oauth::ConsentAsk<'_>,
    ) -> Result<finhub_oauth::ConsentPage, CoreError> {
        ask.accounts
            .retain(|a| matches!(a.kind, AccountKind::Demand | AccountKind::Savings));
        Ok(finhub_oauth::ConsentPage::new(ask))
    }

    /// client_use_code for 2-legged tokens, user_seq_no for 3-legged ones.
    async fn audience(
        &self,
        client: &Client,
        person_id: Option<&str>,
    ) -> Result<String, CoreError> {
        match person_id {
            Some(p) => Ok(self.state.repo.user_number(p).await?.to_string()),
            None => Ok(client.org_code.clone()),
        }
    }

    async fn token_extras(
        &self,
        client: &Client,
        claims: &AccessClaims,
    ) -> Result<Map<String, Value>, CoreError> {
        let mut m = Map::new();
        match &claims.sub {
            Some(_) => m.insert("user_seq_no".into(), Value::String(claims.aud.clone())),
            None => m.insert(
                "client_use_code".into(),
                Value::String(client.org_code.clone()),
            ),
        };
        Ok(m)
    }

    /// 사용자인증: each account the person picked is registered for the
    /// services the grant carries (inquiry, transfer), as `user/register`
    /// would, so the app finds its fintech_use_nums in `user/me`. Accounts
    /// KFTC cannot serve (not at an available bank, closed) are left out;
    /// one already registered keeps its fintech_use_num.
    async fn on_consent(&self, client: &Client, grant: &Grant) -> Result<(), CoreError> {
        let services: Vec<Service> = grant
            .scopes
            .iter()
            .filter_map(|s| Service::parse(s))
            .collect();
        if services.is_empty() {
            return Ok(());
        }
        let world = &self.state.world;
        for account_id in &grant.account_ids {
            let account = world.account(account_id).await?;
            if account.person_id.as_deref() != Some(grant.person_id.as_str()) {
                continue;
            }
            // The same rules as user/register: a bank with a KFTC code, open.
            let Some(inst) = world.repo.institution(&account.org_code).await? else {
                continue;
            };
            if inst.bank_code.is_none() || check_open(&self.state, &inst, &account, "").is_err() {
                continue;
            }
            for service in &services {
                let org = client.org_code.clone();
                self.state
                    .repo
                    .register(
                        NewRegistration {
                            org_code: &client.org_code,
                            person_id: &grant.person_id,
                            account_id,
                            service: *service,
                            email: None,
                            at: world.clock.now(),
                        },
                        &move || new_fintech_use_num(&org),
                    )
                    .await?;
            }
        }
        Ok(())
    }

    fn error_response(&self, err: &OAuthError) -> Response {
        oauth_rsp(err).into_response()
    }

    /// KFTC answers a revoke with its envelope: `A0000` and an empty message.
    fn revoke_response(&self) -> Response {
        axum::Json(serde_json::json!({
            "rsp_code": Rsp::A0000.code(),
            "rsp_message": Rsp::A0000.message(),
        }))
        .into_response()
    }

    /// Open the client's contract account at the testbed bank 097 and keep
    /// its pass phrase (stored as given: it is a sandbox-visible phrase).
    async fn provision_client(&self, client: &Client) -> Result<Map<String, Value>, CoreError> {
        let account = self
            .state
            .world
            .open_institution_account(
                CONTRACT_BANK_ORG,
                &client.name,
                AccountKind::Contract,
                Money::krw(CONTRACT_OPENING_KRW),
            )
            .await?;
        self.state
            .repo
            .insert_contract(&ClientContract {
                org_code: client.org_code.clone(),
                client_id: client.client_id.clone(),
                account_id: account.account_id.clone(),
                pass_phrase: DEFAULT_PASS_PHRASE.into(),
                limits: ClientLimits::default(),
            })
            .await?;
        let mut m = Map::new();
        m.insert(
            "cntr_account_num".into(),
            Value::String(account.account_num),
        );
        m.insert(
            "cntr_bank_code_std".into(),
            Value::String(CONTRACT_BANK_CODE.into()),
        );
        m.insert(
            "wd_pass_phrase".into(),
            Value::String(DEFAULT_PASS_PHRASE.into()),
        );
        m.insert(
            "client_use_code".into(),
            Value::String(client.org_code.clone()),
        );
        Ok(m)
    }

    fn client_credentials_scopes(&self) -> Option<&'static [&'static str]> {
        Some(&["oob", "sa"])
    }

    /// `M` + the year + a 5-digit sequence, e.g. M202600001.
    fn new_org_code(&self, seq: u64) -> String {
        let year = self.state.world.clock.now_kst().year().clamp(0, 9999);
        format!("M{year:04}{:05}", seq % 100_000)
    }
}

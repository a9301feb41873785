//! The `mydata` profile's OAuth rules, as the face decides them: the
//! authorize request names the institution (`org_code`), whose industry the
//! scopes narrow to (`{industry}.list` always included); the consent page
//! offers what the person holds there under those scopes, with the end date
//! and purpose; the consent makes the transmission request (전송요구) record,
//! keyed by the token family, before the code is issued.

mod terms;

use crate::assets::{asset_id, industry};
use crate::scopes::{self, assets_at};
use crate::MydataState;
use async_trait::async_trait;
use finhub_core::consent::Consent;
use finhub_core::institution::Institution;
use finhub_core::oauth::{AuthRequest, Client, Profile};
use finhub_core::CoreError;
use finhub_oauth::{
    mask_number, AccountChoice, AccountPicker, ConsentAsk, ConsentPage, Grant, OAuthError,
    PrepareAsk, ProfileAdapter, ScopeAsk,
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
fn industry_scopes(ind: &str, asked: &[String], named: bool) -> Result<Vec<String>, OAuthError> {
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

#[async_trait]
impl ProfileAdapter for MydataAdapter {
    fn profile(&self) -> Profile {
        Profile::Mydata
    }

    fn standard_scopes(&self) -> Vec<String> {
        scopes::all().into_iter().map(str::to_owned).collect()
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
        let header = ask
            .headers
            .and_then(|h| h.get("x-api-tran-id"))
            .map(|v| v.to_str().unwrap_or("\u{0}"));
        let tran_id = match header {
            Some(t) => {
                crate::params::TranId::parse(t).map_err(|_| {
                    OAuthError::InvalidRequest("x-api-tran-id is not 25 letters and digits".into())
                })?;
                t.to_owned()
            }
            None => provider_tran_id(&inst.org_code),
        };
        if let Value::Object(extra) = &mut req.extra {
            extra.insert("api_tran_id".into(), Value::String(tran_id));
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
                    asset,
                }
            })
            .collect();
        let today = self.state.world.clock.now_kst().date_naive();
        Ok(ConsentPage {
            title: format!("{} 전송요구", inst.name),
            person_name: ask.person_name.to_owned(),
            client_name: ask.client.name.clone(),
            asks: ask.scopes.iter().map(|s| ScopeAsk::of(s)).collect(),
            accounts: Some(AccountPicker {
                legend: "전송할 자산".into(),
                none_text: "이 기관에서 전송할 자산이 없습니다.".into(),
                choices,
            }),
            questions: terms::questions(today),
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

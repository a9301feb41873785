//! 통합인증-002 on the provider's side: `grant_type=password` with the
//! person's consent signed by the sandbox CA. The signature is checked, the
//! consent becomes the transmission request (its `tx_id` once only), and
//! the tokens are issued for it, echoing `tx_id`.

use super::ca::{self, SignedConsent};
use super::MydataAdapter;
use crate::scopes::assets_at;
use finhub_core::CoreError;
use finhub_oauth::{Grant, Issued, OAuthError, OwnGrant, ProfileAdapter};
use serde_json::{Map, Value};

fn bad(msg: &str) -> OAuthError {
    OAuthError::InvalidRequest(msg.into())
}

fn refused(msg: &str) -> OAuthError {
    OAuthError::InvalidGrant(msg.into())
}

/// The form's fields, checked for presence and their stated lengths.
struct Form<'a> {
    tx_id: &'a str,
    org_code: &'a str,
    ci: &'a str,
    request_type: &'a str,
    password: &'a str,
    consent: &'a str,
}

fn read(form: &Map<String, Value>) -> Result<Form<'_>, OAuthError> {
    let get = |k: &str| form.get(k).and_then(Value::as_str);
    let need = |k: &str| get(k).ok_or_else(|| bad(&format!("{k} is required")));
    let f = Form {
        tx_id: need("tx_id")?,
        org_code: need("org_code")?,
        ci: need("username")?,
        request_type: need("request_type")?,
        password: need("password")?,
        consent: get("consent").unwrap_or(""),
    };
    if !ca::valid_tx_id(f.tx_id) {
        return Err(bad(
            "tx_id is not XX_{org}_{org}_{org}_{org}_{YYYYMMDDhhmmss}_{serial}",
        ));
    }
    if !matches!(f.request_type, "0" | "1") {
        return Err(bad("request_type must be 0 or 1"));
    }
    if need("ca_code")? != ca::CA_CODE {
        return Err(refused(
            "ca_code is not a certificate authority this provider trusts",
        ));
    }
    match (
        need("auth_type")?,
        get("cert_tx_id"),
        get("signed_person_info_req"),
    ) {
        ("1", Some(_), _) | ("0", _, Some(_)) => {}
        _ => {
            return Err(bad(
                "auth_type 1 needs cert_tx_id, 0 signed_person_info_req",
            ))
        }
    }
    if need("consent_type")? != "1" || f.consent.is_empty() {
        return Err(bad("consent_type must be 1, with the consent in the form"));
    }
    let len = |k: &str, n: usize| get(k).and_then(|v| v.parse::<usize>().ok()) == Some(n);
    if !len("password_len", f.password.len()) || !len("consent_len", f.consent.chars().count()) {
        return Err(bad("password_len or consent_len does not match"));
    }
    Ok(f)
}

impl MydataAdapter {
    /// The grant of a signed consent form.
    pub(super) async fn integrated(&self, ask: OwnGrant<'_>) -> Result<Issued, OAuthError> {
        let f = read(ask.form)?;
        let signed = ca::Signed {
            tx_id: f.tx_id,
            org_code: f.org_code,
            client_id: &ask.client.client_id,
            ci: f.ci,
            request_type: f.request_type,
            consent: f.consent,
        };
        let key = ca::key(&self.state.oauth).await?;
        if !signed.verify(&key, f.password) {
            return Err(refused("the consent's signature does not verify"));
        }
        let consent: SignedConsent = serde_json::from_str(f.consent)
            .map_err(|_| bad("consent is not the consent object"))?;
        if consent.snd_org_code != f.org_code || consent.rcv_org_code != ask.client.org_code {
            return Err(refused("the consent is not for this provider and operator"));
        }
        let grant = self.signed_grant(&ask, &f, &consent).await?;
        match self.on_consent(ask.client, &grant).await {
            Err(CoreError::Conflict(_)) => {
                return Err(refused("this consent form (tx_id) was used already"))
            }
            r => r?,
        }
        let issued = self
            .state
            .oauth
            .issue_authorized(ask.client, &grant, ask.profiles)
            .await?;
        let mut fields = Map::new();
        fields.insert("tx_id".into(), f.tx_id.into());
        Ok((issued, fields))
    }

    /// What the signed consent grants: its person, scopes and assets, and
    /// its terms checked as a consent page's answers.
    async fn signed_grant(
        &self,
        ask: &OwnGrant<'_>,
        f: &Form<'_>,
        consent: &SignedConsent,
    ) -> Result<Grant, OAuthError> {
        let world = &self.state.world;
        let person = world.repo.person_by_ci(f.ci).await?.ok_or_else(|| {
            OAuthError::UnauthorizedUser("no customer of this provider has that CI".into())
        })?;
        let inst = world
            .repo
            .institution(f.org_code)
            .await?
            .ok_or_else(|| bad("org_code is not known"))?;
        let (named, assets) = consent.scopes_and_assets();
        let scopes = ca::form_scopes(ask.client, &inst, &named.join(" "), f.request_type == "0")
            .map_err(OAuthError::InvalidScope)?;
        let held = assets_at(world, &person.person_id, &inst, &scopes).await?;
        let picked = ca::chosen(&held, &assets).map_err(|m| refused(&m))?;
        let ids = picked.iter().map(|a| a.account_id.clone()).collect();
        let mut answers = consent.answers();
        answers.insert("request_type".into(), f.request_type.into());
        let mut terms = self.consent_answers(&answers).await?;
        terms.insert("org_code".into(), f.org_code.into());
        terms.insert("tx_id".into(), f.tx_id.into());
        terms.insert("request_type".into(), f.request_type.into());
        let mut grant = Grant::new(&person.person_id, scopes, ids);
        grant.terms = terms;
        Ok(grant)
    }
}

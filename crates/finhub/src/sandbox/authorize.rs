//! `POST /sandbox/authorize`: a person's consent without a browser
//! (mydata-sandbox.md §4), for mydata and kftc clients. It runs the authorize
//! page's checks, the consent page's content and the profile's hooks
//! (`finhub_oauth::headless_consent`), so the record and the code are the
//! ones the pages would make.

use super::error::SandboxError;
use super::extract::Json;
use super::SandboxState;
use axum::extract::State;
use finhub_oauth::{headless_consent, HeadlessConsent, HeadlessError};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorizeBody {
    pub client_id: String,
    pub person_id: String,
    /// MyData: the provider institution; kftc clients send none.
    pub org_code: Option<String>,
    pub scope: String,
    pub redirect_uri: String,
    pub state: Option<String>,
    /// As `GET /sandbox/people/{id}/assets` names them (kftc: account ids);
    /// absent: every asset the scopes open there.
    pub assets: Option<Vec<String>>,
    pub code_challenge: Option<String>,
    pub purpose: Option<String>,
    pub end_date: Option<String>,
    pub is_scheduled: Option<bool>,
    pub fnd_cycle: Option<String>,
    pub add_cycle: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Redirect {
    pub redirect: String,
}

impl From<HeadlessError> for SandboxError {
    fn from(e: HeadlessError) -> Self {
        match e {
            HeadlessError::NotFound(m) => SandboxError::NotFound(m),
            HeadlessError::Invalid(m) => SandboxError::Unprocessable(m),
            HeadlessError::Failed(e) => e.into(),
        }
    }
}

/// The consent page's answers the body gives, by question name.
fn answers(b: &AuthorizeBody) -> Map<String, Value> {
    let mut m = Map::new();
    let texts = [
        ("purpose", &b.purpose),
        ("end_date", &b.end_date),
        ("fnd_cycle", &b.fnd_cycle),
        ("add_cycle", &b.add_cycle),
    ];
    for (k, v) in texts {
        if let Some(v) = v {
            m.insert(k.into(), Value::String(v.clone()));
        }
    }
    if let Some(s) = b.is_scheduled {
        m.insert("is_scheduled".into(), Value::Bool(s));
    }
    m
}

pub async fn authorize(
    State(s): State<SandboxState>,
    Json(b): Json<AuthorizeBody>,
) -> Result<Json<Redirect>, SandboxError> {
    let params: Vec<(&str, &str)> = b
        .org_code
        .as_deref()
        .map(|o| ("org_code", o))
        .into_iter()
        .collect();
    let h = HeadlessConsent {
        client_id: &b.client_id,
        person_id: &b.person_id,
        redirect_uri: &b.redirect_uri,
        scope: Some(&b.scope),
        state: b.state.as_deref(),
        code_challenge: b.code_challenge.as_deref(),
        params: &params,
        assets: b.assets.as_deref(),
        answers: answers(&b),
    };
    let redirect = headless_consent(&s.oauth, &s.world, &s.profiles, h).await?;
    Ok(Json(Redirect { redirect }))
}

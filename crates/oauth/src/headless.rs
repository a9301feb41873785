//! A consent given without a browser (the sandbox's `POST /sandbox/authorize`):
//! the authorize page's checks, the consent page's content and the same
//! hooks, for a person named by id, so it produces exactly what the pages do.

use crate::authorize::{kept_request, Asked};
use crate::lang::Lang;
use crate::params::Params;
use crate::routes::{reader, St};
use crate::signin::{consent_content, consented, grant_of};
use crate::{OAuth, OAuthError, Profiles};
use finhub_core::world::World;
use serde_json::{Map, Value};

/// What a headless consent names.
pub struct HeadlessConsent<'a> {
    pub client_id: &'a str,
    pub person_id: &'a str,
    pub redirect_uri: &'a str,
    pub scope: Option<&'a str>,
    pub state: Option<&'a str>,
    /// An S256 challenge, as the authorize request would send it.
    pub code_challenge: Option<&'a str>,
    /// The standard's own authorize parameters (MyData `org_code`).
    pub params: &'a [(&'a str, &'a str)],
    /// The accounts chosen, named as the page offers them
    /// (`AccountChoice::asset`); None chooses every offered one.
    pub assets: Option<&'a [String]>,
    /// Answers to the page's questions, by name.
    pub answers: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeadlessError {
    /// An unknown client or person.
    #[error("{0}")]
    NotFound(String),
    /// A field the pages would refuse.
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Failed(OAuthError),
}

impl From<OAuthError> for HeadlessError {
    fn from(e: OAuthError) -> Self {
        match e {
            OAuthError::InvalidRequest(_)
            | OAuthError::InvalidScope(_)
            | OAuthError::UnsupportedResponseType
            | OAuthError::AccessDenied => HeadlessError::Invalid(e.description()),
            e => HeadlessError::Failed(e),
        }
    }
}

/// Consent for `h.person_id` as the pages would take it; returns the
/// redirect the app would be sent to (its code, state and echoed parameters).
pub async fn headless_consent(
    oauth: &OAuth,
    world: &World,
    profiles: &Profiles,
    h: HeadlessConsent<'_>,
) -> Result<String, HeadlessError> {
    let st = St {
        oauth: oauth.clone(),
        world: world.clone(),
        profiles: profiles.clone(),
    };
    let client = match oauth
        .repo
        .client(h.client_id)
        .await
        .map_err(OAuthError::from)?
    {
        Some(c) if !c.disabled => c,
        _ => {
            return Err(HeadlessError::NotFound(format!(
                "no client {}",
                h.client_id
            )))
        }
    };
    let Some(person) = world
        .repo
        .person(h.person_id)
        .await
        .map_err(OAuthError::from)?
    else {
        return Err(HeadlessError::NotFound(format!(
            "no person {}",
            h.person_id
        )));
    };
    if !client.redirect_uris.iter().any(|u| u == h.redirect_uri) {
        return Err(HeadlessError::Invalid(
            "redirect_uri is not registered for this client".into(),
        ));
    }
    let q = Params::from_pairs(&authorize_params(&h));
    let asked = Asked {
        client: &client,
        redirect_uri: h.redirect_uri,
        state: h.state,
        headers: None,
        echo: st.adapter(&client).redirect_echo(None, &reader(&q)),
    };
    let mut req = kept_request(oauth, st.adapter(&client), &asked, &q).await?;
    req.person_id = Some(person.person_id.clone());
    let who = (person.person_id.as_str(), person.name.as_str());
    let page = consent_content(&st, &client, &req, who, Lang::default()).await?;
    let account_ids = match h.assets {
        None => page.offered(),
        Some(assets) => chosen(&page, assets)?,
    };
    let terms = st.adapter(&client).consent_answers(&h.answers).await?;
    let grant = grant_of(&req, &person.person_id, account_ids, terms);
    Ok(consented(&st, &client, &req, &grant).await?)
}

/// The authorize request's query, as an app would send it.
fn authorize_params<'a>(h: &HeadlessConsent<'a>) -> Vec<(&'a str, &'a str)> {
    let mut pairs = vec![
        ("response_type", "code"),
        ("client_id", h.client_id),
        ("redirect_uri", h.redirect_uri),
    ];
    let optional = [
        ("scope", h.scope),
        ("state", h.state),
        ("code_challenge", h.code_challenge),
    ];
    pairs.extend(optional.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))));
    if h.code_challenge.is_some() {
        pairs.push(("code_challenge_method", "S256"));
    }
    pairs.extend(h.params.iter().copied());
    pairs
}

/// The accounts `assets` name, each once; every one must be offered.
fn chosen(page: &crate::ConsentPage, assets: &[String]) -> Result<Vec<String>, HeadlessError> {
    let mut out: Vec<String> = Vec::new();
    for asset in assets {
        let Some(choice) = page.offered_asset(asset) else {
            return Err(HeadlessError::Invalid(format!(
                "asset {asset} is not one the person may give under these scopes"
            )));
        };
        if !out.contains(&choice.account_id) {
            out.push(choice.account_id.clone());
        }
    }
    Ok(out)
}

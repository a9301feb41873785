//! Register OAuth clients for any profile. The profile's adapter adds its
//! extras (KFTC: the contract account and withdrawal passphrase).

use super::error::SandboxError;
use super::extract::Json;
use super::SandboxState;
use axum::extract::State;
use axum::http::StatusCode;
use finhub_oauth::{Client, NewClient, OAuthError, Profile, Profiles};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateClient {
    pub profile: String,
    pub name: String,
    #[serde(default)]
    pub redirect_uris: Vec<String>,
    /// Absent: the profile's standard scopes (`standard_scopes`).
    pub scopes: Option<Vec<String>>,
    pub org_code: Option<String>,
    /// MyData: the app schemes 개별인증-001's `app_scheme` may name (none: any).
    pub app_schemes: Option<Vec<String>>,
}

#[derive(Debug, Serialize)]
pub struct ClientView {
    pub client_id: String,
    pub profile: &'static str,
    pub name: String,
    pub org_code: String,
    pub redirect_uris: Vec<String>,
    pub scopes: Vec<String>,
    pub created_at: String,
    pub disabled: bool,
}

impl From<&Client> for ClientView {
    fn from(c: &Client) -> Self {
        ClientView {
            client_id: c.client_id.clone(),
            profile: c.profile.as_str(),
            name: c.name.clone(),
            org_code: c.org_code.clone(),
            redirect_uris: c.redirect_uris.clone(),
            scopes: c.scopes.clone(),
            created_at: c
                .created_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            disabled: c.disabled,
        }
    }
}

impl From<OAuthError> for SandboxError {
    fn from(e: OAuthError) -> Self {
        match e {
            OAuthError::InvalidRequest(m) | OAuthError::InvalidScope(m) => Self::Unprocessable(m),
            OAuthError::TemporarilyUnavailable => Self::Unavailable,
            OAuthError::InvalidClient => Self::Unauthorized,
            other => {
                tracing::error!(error = %other, "client registration failed");
                Self::Internal
            }
        }
    }
}

/// The scopes a client of profile `p` gets when it names none (a demo
/// client, or `POST /sandbox/clients` without `scopes`). Asks `profiles` so
/// that the profile's adapter can be the one to say.
pub fn standard_scopes(profiles: &Profiles, p: Profile) -> Vec<String> {
    profiles.get_or_default(p).standard_scopes()
}

pub fn parse_profile(s: &str) -> Result<Profile, SandboxError> {
    Profile::parse(s).ok_or_else(|| {
        SandboxError::invalid("profile must be one of kftc, mydata, konaplate, oris, obp")
    })
}

/// Register a client and provision what its profile needs. Returns the
/// client's fields, its secret (shown once) and the profile's extras.
pub async fn register(
    s: &SandboxState,
    new: NewClient,
    profiles: &Profiles,
) -> Result<Map<String, Value>, SandboxError> {
    let (client, secret) = s.oauth.create_client(new, profiles).await?;
    let mut out = match serde_json::to_value(ClientView::from(&client)) {
        Ok(Value::Object(m)) => m,
        _ => return Err(SandboxError::Internal),
    };
    out.insert("client_secret".into(), Value::String(secret));
    if let Some(adapter) = profiles.get(client.profile) {
        for (k, v) in adapter.provision_client(&client).await? {
            out.entry(k).or_insert(v);
        }
    }
    Ok(out)
}

pub async fn create(
    State(s): State<SandboxState>,
    Json(b): Json<CreateClient>,
) -> Result<(StatusCode, Json<Map<String, Value>>), SandboxError> {
    let profile = parse_profile(&b.profile)?;
    if let Some(schemes) = &b.app_schemes {
        finhub_oauth::check_app_schemes(schemes)?;
    }
    let profiles = s.profiles.clone();
    let scopes = b
        .scopes
        .unwrap_or_else(|| standard_scopes(&profiles, profile));
    let new = NewClient {
        profile,
        name: b.name,
        redirect_uris: b.redirect_uris,
        scopes,
        org_code: b.org_code,
    };
    let mut out = register(&s, new, &profiles).await?;
    if let Some(schemes) = b.app_schemes {
        let id = out["client_id"].as_str().unwrap_or_default().to_owned();
        s.oauth.set_app_schemes(&id, &schemes).await?;
        out.insert("app_schemes".into(), schemes.into());
    }
    Ok((StatusCode::CREATED, Json(out)))
}

#[derive(Debug, Serialize)]
pub struct ClientList {
    pub clients: Vec<ClientView>,
}

pub async fn list(State(s): State<SandboxState>) -> Result<Json<ClientList>, SandboxError> {
    let all = s.oauth.list_clients().await?;
    Ok(Json(ClientList {
        clients: all.iter().map(ClientView::from).collect(),
    }))
}

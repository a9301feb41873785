//! Client registration and authentication.

use crate::secrets::{hash_secret, random_hex, random_token, verify_secret};
use crate::{OAuth, OAuthError, Profiles};
use finhub_core::clock::{from_micros, to_micros};
use finhub_core::oauth::{Client, Profile};
use finhub_core::CoreError;

/// What it takes to register a client.
#[derive(Debug, Clone)]
pub struct NewClient {
    pub profile: Profile,
    pub name: String,
    pub redirect_uris: Vec<String>,
    pub scopes: Vec<String>,
    /// The owning organisation's code; generated from the profile when absent.
    pub org_code: Option<String>,
}

/// Most redirect URIs and scopes one client may register.
const MAX_LIST: usize = 50;

/// An absolute http(s) URI with a host, no fragment, no spaces (RFC 6749 §3.1.2).
pub fn valid_redirect_uri(uri: &str) -> bool {
    let rest = match uri
        .strip_prefix("https://")
        .or_else(|| uri.strip_prefix("http://"))
    {
        Some(r) => r,
        None => return false,
    };
    let host = rest.split(['/', '?']).next().unwrap_or("");
    uri.len() <= 2000
        && !host.is_empty()
        && !host.starts_with(':')
        && !uri.contains('#')
        && !uri.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// A scope token (RFC 6749 §3.3): printable ASCII except space, `"` and `\`.
pub fn valid_scope_token(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 100
        && s.bytes()
            .all(|b| b == 0x21 || (0x23..=0x5B).contains(&b) || (0x5D..=0x7E).contains(&b))
}

/// Split a space-separated `scope` parameter; None when a token is malformed.
pub fn parse_scope(s: &str) -> Option<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for t in s.split(' ').filter(|t| !t.is_empty()) {
        if !valid_scope_token(t) || out.len() >= MAX_LIST {
            return None;
        }
        if !out.iter().any(|x| x == t) {
            out.push(t.to_owned());
        }
    }
    Some(out)
}

/// Check a new client's name, redirect URIs and scopes; returns the
/// trimmed name and the scopes without repeats.
fn checked(new: &NewClient) -> Result<(String, Vec<String>), OAuthError> {
    let name = new.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(OAuthError::InvalidRequest(
            "name must be 1 to 100 characters".into(),
        ));
    }
    if new.redirect_uris.len() > MAX_LIST {
        return Err(OAuthError::InvalidRequest("too many redirect URIs".into()));
    }
    if let Some(bad) = new.redirect_uris.iter().find(|u| !valid_redirect_uri(u)) {
        return Err(OAuthError::InvalidRequest(format!(
            "redirect URI {bad:?} must be an absolute http(s) URI without a fragment"
        )));
    }
    if new.scopes.is_empty() || new.scopes.len() > MAX_LIST {
        return Err(OAuthError::InvalidScope(
            "a client needs 1 to 50 scopes".into(),
        ));
    }
    if let Some(bad) = new.scopes.iter().find(|s| !valid_scope_token(s)) {
        return Err(OAuthError::InvalidScope(format!(
            "scope {bad:?} is not a valid scope token"
        )));
    }
    let mut scopes: Vec<String> = Vec::with_capacity(new.scopes.len());
    for s in &new.scopes {
        if !scopes.contains(s) {
            scopes.push(s.clone());
        }
    }
    Ok((name, scopes))
}

/// App schemes a client may register: at most 10, each 1 to 100
/// characters without spaces.
pub fn check_app_schemes(schemes: &[String]) -> Result<(), OAuthError> {
    let ok = |s: &String| {
        !s.is_empty() && s.len() <= 100 && !s.chars().any(|c| c.is_whitespace() || c.is_control())
    };
    if schemes.len() > 10 || !schemes.iter().all(ok) {
        return Err(OAuthError::InvalidRequest(
            "app_schemes: at most 10, each 1 to 100 characters without spaces".into(),
        ));
    }
    Ok(())
}

impl OAuth {
    /// Register a client. Returns it with its plain secret, which is shown
    /// once and stored only as an argon2 hash.
    pub async fn create_client(
        &self,
        new: NewClient,
        profiles: &Profiles,
    ) -> Result<(Client, String), OAuthError> {
        let (name, scopes) = checked(&new)?;
        profiles
            .get_or_default(new.profile)
            .check_new_client(&new)?;
        let org_code = self.org_code(&new, profiles).await?;
        let secret = random_token(32);
        let client = Client {
            client_id: random_hex(16),
            secret_hash: hash_secret(secret.clone()).await?,
            name,
            profile: new.profile,
            org_code,
            redirect_uris: new.redirect_uris,
            scopes,
            // Stored in microseconds; keep the returned value equal to the stored one.
            created_at: from_micros(to_micros(self.clock.now())),
            disabled: false,
        };
        self.repo
            .insert_client(&client)
            .await
            .map_err(|e| match e {
                CoreError::Conflict(_) => OAuthError::TemporarilyUnavailable,
                e => e.into(),
            })?;
        Ok((client, secret))
    }

    /// The new client's org_code: the one given, or the profile's next one.
    async fn org_code(&self, new: &NewClient, profiles: &Profiles) -> Result<String, OAuthError> {
        match &new.org_code {
            Some(c) if !c.trim().is_empty() && c.len() <= 40 => Ok(c.trim().to_owned()),
            Some(_) => Err(OAuthError::InvalidRequest(
                "org_code must be 1 to 40 characters".into(),
            )),
            None => {
                let seq = self.repo.list_clients().await?.len() as u64 + 1;
                Ok(profiles.get_or_default(new.profile).new_org_code(seq))
            }
        }
    }

    /// Record the app schemes a client may return to (MyData `app_scheme`).
    pub async fn set_app_schemes(
        &self,
        client_id: &str,
        schemes: &[String],
    ) -> Result<(), OAuthError> {
        check_app_schemes(schemes)?;
        Ok(self.repo.set_app_schemes(client_id, schemes).await?)
    }

    pub async fn list_clients(&self) -> Result<Vec<Client>, OAuthError> {
        Ok(self.repo.list_clients().await?)
    }

    /// Check a client's id and secret. Wrong guesses are counted per
    /// client_id; past the limit the answer is `SlowDown` for a while, even
    /// for the right secret.
    pub async fn authenticate_client(
        &self,
        client_id: &str,
        client_secret: &str,
    ) -> Result<Client, OAuthError> {
        let now = self.clock.now();
        // Its own namespace: a client_id of "person:<id>" must not spend a
        // person's login budget (login.rs keys its entries the same way).
        let key = format!("client:{client_id}");
        if !self.throttle.allowed(&key, now) {
            return Err(OAuthError::SlowDown);
        }
        if client_id.is_empty() || client_id.len() > 200 || client_secret.len() > 500 {
            self.throttle.fail(&key, now);
            return Err(OAuthError::InvalidClient);
        }
        let client = match self.repo.client(client_id).await? {
            Some(c) => c,
            None => {
                self.throttle.fail(&key, now);
                return Err(OAuthError::InvalidClient);
            }
        };
        if !verify_secret(client_secret.to_owned(), client.secret_hash.clone()).await? {
            self.throttle.fail(&key, now);
            return Err(OAuthError::InvalidClient);
        }
        if client.disabled {
            return Err(OAuthError::InvalidClient);
        }
        Ok(client)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_uris_must_be_absolute_http_without_fragment() {
        assert!(valid_redirect_uri("https://app.example/cb"));
        assert!(valid_redirect_uri("http://localhost:8080/cb?x=1"));
        assert!(!valid_redirect_uri("https://app.example/cb#frag"));
        assert!(!valid_redirect_uri("/cb"));
        assert!(!valid_redirect_uri("ftp://x/cb"));
        assert!(!valid_redirect_uri("https:///cb"));
        assert!(!valid_redirect_uri("https://a b/cb"));
    }

    #[test]
    fn scopes_split_on_spaces_and_reject_bad_tokens() {
        assert_eq!(
            parse_scope("login  inquiry login").unwrap(),
            vec!["login".to_string(), "inquiry".to_string()]
        );
        assert!(parse_scope("bad\"quote").is_none());
        assert_eq!(parse_scope("").unwrap(), Vec::<String>::new());
    }
}

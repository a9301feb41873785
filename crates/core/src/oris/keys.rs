//! An agency's API keys (K1): what its systems sign in with (A2). The key
//! is kept as its SHA-256 (looked up), the secret as argon2 (checked); both
//! are shown once, when the key is made.

use super::agencies::person;
use super::login::{hash_password, key_digest};
use super::staff::ApiKey;
use super::{OrisResult, Principal, Refusal, Registry};
use rand::distributions::Alphanumeric;
use rand::Rng;
use secrecy::{ExposeSecret, SecretString};

/// A new key with its clear parts, shown this once.
#[derive(Debug, Clone)]
pub struct IssuedKey {
    pub key: ApiKey,
    pub api_key: String,
    pub api_secret: SecretString,
}

impl IssuedKey {
    /// The secret in clear, for the one answer that shows it.
    pub fn reveal_secret(&self) -> &str {
        self.api_secret.expose_secret()
    }
}

/// How many leading characters of a key a listing shows.
const PREFIX_LEN: usize = 12;

fn random(n: usize) -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(n)
        .map(char::from)
        .collect()
}

impl Registry {
    /// K1 list: the agency's keys, revoked ones too, without secrets.
    pub async fn api_keys(&self, p: &Principal, agency_id: &str) -> OrisResult<Vec<ApiKey>> {
        person(p)?;
        self.reach(p, agency_id).await?;
        Ok(self.repo.api_keys_of(agency_id).await?)
    }

    /// K1 create.
    pub async fn issue_api_key(
        &self,
        p: &Principal,
        agency_id: &str,
        name: &str,
    ) -> OrisResult<IssuedKey> {
        person(p)?;
        self.reach(p, agency_id).await?;
        let api_key = format!("oris_{}", random(32));
        let api_secret = SecretString::from(random(48));
        let key = ApiKey {
            api_key_id: self.new_id(),
            agency_id: agency_id.to_owned(),
            name: name.to_owned(),
            prefix: api_key[..PREFIX_LEN].to_owned(),
            key_hash: key_digest(&api_key),
            secret_hash: hash_password(api_secret.expose_secret()).await?,
            created_at: self.now(),
            last_used_at: None,
            revoked_at: None,
        };
        self.repo.insert_api_key(&key).await?;
        Ok(IssuedKey {
            key,
            api_key,
            api_secret,
        })
    }

    /// K1 delete: the key is revoked and its tokens end. An unknown key, a
    /// revoked one or another agency's → API_KEY_NOT_FOUND.
    pub async fn revoke_api_key(
        &self,
        p: &Principal,
        agency_id: &str,
        api_key_id: &str,
    ) -> OrisResult<()> {
        person(p)?;
        self.reach(p, agency_id).await?;
        let now = self.now();
        if !self.repo.revoke_api_key(agency_id, api_key_id, now).await? {
            return Err(Refusal::ApiKeyNotFound);
        }
        self.repo.revoke_sessions_of(api_key_id, now).await?;
        Ok(())
    }
}

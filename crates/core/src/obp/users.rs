//! OBP users: logins with a username and an argon2-hashed password (not
//! people: creating one creates no person), their DirectLogin tokens (kept
//! as SHA-256, revocable) and their entitlements.

use super::roles::{self, RoleScope};
use super::{new_id, Obp, ObpResult, Refusal};
use crate::CoreResult;
use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

/// How long a DirectLogin token lives.
pub const TOKEN_TTL: Duration = Duration::days(7);

/// `provider` of the users Create User makes (OBP: the server's own URL).
pub const LOCAL_PROVIDER: &str = "finhub";
/// `provider` of the users that stand for an OAuth bearer token's subject.
pub const OAUTH_PROVIDER: &str = "finhub-oauth";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub user_id: String,
    pub username: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub provider: String,
    /// argon2 PHC; empty for OAuth users, who never log in with a password.
    pub password_hash: String,
    /// The person made once for this user's accounts when it has no customer link.
    pub person_id: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Create User's body. (No `Debug`: it holds a password in clear.)
#[derive(Clone, Default)]
pub struct NewUser {
    pub email: String,
    pub username: String,
    pub password: String,
    pub first_name: String,
    pub last_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entitlement {
    pub entitlement_id: String,
    pub user_id: String,
    pub role_name: String,
    /// `""` for a system-level role.
    pub bank_id: String,
}

#[async_trait]
pub trait UserRepo: Send + Sync {
    /// Insert a user with its first entitlements; a taken username is
    /// `Ok(false)` and writes nothing.
    async fn insert_user(&self, user: &User, grants: &[Entitlement]) -> CoreResult<bool>;
    async fn user(&self, user_id: &str) -> CoreResult<Option<User>>;
    async fn user_by_username(&self, username: &str) -> CoreResult<Option<User>>;
    async fn set_user_person(&self, user_id: &str, person_id: &str) -> CoreResult<()>;
    /// Is `client_id` an enabled client of the `obp` profile?
    async fn obp_consumer_usable(&self, client_id: &str) -> CoreResult<bool>;
    async fn insert_token(
        &self,
        sha256: &str,
        user_id: &str,
        consumer: &str,
        expires: DateTime<Utc>,
    ) -> CoreResult<()>;
    /// The user of an unexpired token.
    async fn token_user(&self, sha256: &str, now: DateTime<Utc>) -> CoreResult<Option<User>>;
    async fn entitlements(&self, user_id: &str) -> CoreResult<Vec<Entitlement>>;
    /// Grant; one already held is `Ok(false)`.
    async fn insert_entitlement(&self, e: &Entitlement) -> CoreResult<bool>;
}

/// OBP-30207: at least 10 characters with a digit, an upper-case and a
/// lower-case letter and a special character, or 17 to 512 characters.
pub fn password_is_strong(p: &str) -> bool {
    let n = p.chars().count();
    let mixed = p.chars().any(|c| c.is_ascii_digit())
        && p.chars().any(|c| c.is_uppercase())
        && p.chars().any(|c| c.is_lowercase())
        && p.chars().any(|c| !c.is_alphanumeric());
    (n >= 10 && mixed) || (n > 16 && n <= 512)
}

/// Create User's field checks, after the password and the username's
/// uniqueness (OBP's order); every failure named.
pub fn field_problems(u: &NewUser) -> Vec<String> {
    let mut out = Vec::new();
    let name = u.username.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_whitespace) {
        out.push("The username must be 1 to 100 characters without spaces".to_owned());
    }
    if name.starts_with("oauth.") {
        out.push("The username may not start with oauth.".to_owned());
    }
    let (local, domain) = u.email.split_once('@').unwrap_or(("", ""));
    if local.is_empty() || !domain.contains('.') || u.email.len() > 100 {
        out.push("Invalid email address".to_owned());
    }
    for (what, v) in [("first_name", &u.first_name), ("last_name", &u.last_name)] {
        if v.chars().count() > 100 {
            out.push(format!("The {what} may be at most 100 characters"));
        }
    }
    out
}

pub fn token_digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

impl Obp {
    /// Create User: a weak password, then a taken username, are refused.
    /// The configured new-user roles come with it.
    pub async fn create_user(&self, new: NewUser) -> ObpResult<(User, Vec<Entitlement>)> {
        if !password_is_strong(&new.password) {
            return Err(Refusal::WeakPassword);
        }
        if self.repo.user_by_username(&new.username).await?.is_some() {
            return Err(Refusal::UsernameTaken);
        }
        let problems = field_problems(&new);
        if !problems.is_empty() {
            return Err(Refusal::Invalid(problems.join("; ")));
        }
        let user = User {
            user_id: new_id(),
            username: new.username,
            email: new.email,
            first_name: new.first_name,
            last_name: new.last_name,
            provider: LOCAL_PROVIDER.into(),
            password_hash: crate::password::hash(&new.password).await?,
            person_id: None,
            created_at: self.now(),
        };
        let grants: Vec<Entitlement> = (self.config.new_user_entitlements.iter())
            .map(|role| Entitlement {
                entitlement_id: new_id(),
                user_id: user.user_id.clone(),
                role_name: role.clone(),
                bank_id: String::new(),
            })
            .collect();
        if !self.repo.insert_user(&user, &grants).await? {
            return Err(Refusal::UsernameTaken);
        }
        Ok((user, grants))
    }

    /// DirectLogin: the consumer key first, then the credentials; a new token.
    pub async fn direct_login(
        &self,
        username: &str,
        password: &str,
        consumer_key: &str,
    ) -> ObpResult<String> {
        if !self.repo.obp_consumer_usable(consumer_key).await? {
            return Err(Refusal::UnknownConsumer);
        }
        let user = self.repo.user_by_username(username).await?;
        let hash = user.as_ref().map_or("", |u| u.password_hash.as_str());
        // A user without a password (OAuth) never matches.
        let ok = !hash.is_empty() && crate::password::matches(password, hash).await?;
        let user = user.filter(|_| ok).ok_or(Refusal::BadCredentials)?;
        let token = format!("{}{}", new_id().replace('-', ""), new_id().replace('-', ""));
        let expires = self.now() + TOKEN_TTL;
        (self.repo)
            .insert_token(&token_digest(&token), &user.user_id, consumer_key, expires)
            .await?;
        Ok(token)
    }

    /// The user a DirectLogin token stands for (None: unknown or expired).
    pub async fn token_user(&self, token: &str) -> ObpResult<Option<User>> {
        Ok(self
            .repo
            .token_user(&token_digest(token), self.now())
            .await?)
    }

    /// The user an OAuth bearer token's subject (a person, or the client for
    /// a client-credentials token) acts as, made on its first call.
    pub async fn oauth_user(&self, subject: &str) -> ObpResult<User> {
        let username = format!("oauth.{subject}");
        if let Some(u) = self.repo.user_by_username(&username).await? {
            return Ok(u);
        }
        let user = User {
            user_id: new_id(),
            username: username.clone(),
            email: String::new(),
            first_name: String::new(),
            last_name: String::new(),
            provider: OAUTH_PROVIDER.into(),
            password_hash: String::new(),
            person_id: None,
            created_at: self.now(),
        };
        // A racing first call may have made it: read back the winner.
        self.repo.insert_user(&user, &[]).await?;
        (self.repo.user_by_username(&username).await?).ok_or(Refusal::UnknownUser)
    }

    pub async fn user(&self, user_id: &str) -> ObpResult<User> {
        (self.repo.user(user_id).await?).ok_or(Refusal::UnknownUser)
    }

    pub async fn entitlements(&self, user_id: &str) -> ObpResult<Vec<Entitlement>> {
        Ok(self.repo.entitlements(user_id).await?)
    }

    pub fn is_super_admin(&self, user: &User) -> bool {
        user.provider == LOCAL_PROVIDER
            && self.config.super_admin_usernames.contains(&user.username)
    }

    /// Does `held` include `role` at `bank_id` (system roles at `""`)?
    pub fn holds(held: &[Entitlement], role: &str, bank_id: &str) -> bool {
        let at = match roles::scope(role) {
            Some(RoleScope::System) => "",
            _ => bank_id,
        };
        held.iter().any(|e| e.role_name == role && e.bank_id == at)
    }

    /// Record a grant whose checks the face has made; held already is refused.
    pub async fn grant(&self, user_id: &str, role: &str, bank_id: &str) -> ObpResult<Entitlement> {
        let e = Entitlement {
            entitlement_id: new_id(),
            user_id: user_id.into(),
            role_name: role.into(),
            bank_id: bank_id.into(),
        };
        if !self.repo.insert_entitlement(&e).await? {
            return Err(Refusal::EntitlementHeld);
        }
        Ok(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_rule_has_two_ways_through() {
        assert!(password_is_strong("Abcdef12#x"));
        assert!(!password_is_strong("Abcdef12#")); // 9 characters
        assert!(!password_is_strong("abcdef12#xy")); // no upper case
        assert!(password_is_strong("aaaaaaaaaaaaaaaaa")); // 17 characters
        assert!(!password_is_strong("aaaaaaaaaaaaaaaa")); // 16
        assert!(!password_is_strong(&"a".repeat(513)));
    }

    #[test]
    fn system_roles_are_held_at_the_empty_bank() {
        let held = vec![
            Entitlement {
                entitlement_id: "1".into(),
                user_id: "u".into(),
                role_name: "CanGetCustomer".into(),
                bank_id: "004".into(),
            },
            Entitlement {
                entitlement_id: "2".into(),
                user_id: "u".into(),
                role_name: "CanGetAnyKycMedia".into(),
                bank_id: String::new(),
            },
        ];
        assert!(Obp::holds(&held, "CanGetCustomer", "004"));
        assert!(!Obp::holds(&held, "CanGetCustomer", "088"));
        assert!(Obp::holds(&held, "CanGetAnyKycMedia", "088"));
    }
}

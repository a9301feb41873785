//! People logging in on the authorize page.

use crate::secrets::verify_secret;
use crate::{OAuth, OAuthError};
use finhub_core::party::{normalize_phone, Person};
use finhub_core::world::World;

/// The password of every person who has none stored (sandbox worlds).
pub const SANDBOX_PASSWORD: &str = "finhub";

impl OAuth {
    /// Log a person in by phone number (any dashes) or person_id, and
    /// password. Wrong guesses are throttled like client secrets, per person
    /// (and per login string for logins that name nobody): `SlowDown` once
    /// exhausted, `AccessDenied` for a wrong pair.
    pub async fn authenticate_person(
        &self,
        world: &World,
        login: &str,
        password: &str,
    ) -> Result<Person, OAuthError> {
        let login = login.trim();
        let key = format!("login:{login}");
        let now = self.clock.now();
        if !self.throttle.allowed(&key, now) {
            return Err(OAuthError::SlowDown);
        }
        let found = if login.is_empty() || login.len() > 100 || password.len() > 200 {
            None
        } else {
            let digits = normalize_phone(login);
            let by_phone = if !digits.is_empty()
                && digits.len() == login.chars().filter(|c| *c != '-' && *c != ' ').count()
            {
                world.repo.person_by_phone(&digits).await?
            } else {
                None
            };
            match by_phone {
                Some(p) => Some(p),
                None => world.repo.person(login).await?,
            }
        };
        let person = match found {
            Some(p) => p,
            None => {
                self.throttle.fail(&key, now);
                return Err(OAuthError::AccessDenied);
            }
        };
        // Guesses count per person, not per spelling of the login: dashes in
        // the phone number or the person_id would each get a fresh budget.
        let key = format!("person:{}", person.person_id);
        if !self.throttle.allowed(&key, now) {
            return Err(OAuthError::SlowDown);
        }
        let ok = match world.repo.password_hash(&person.person_id).await? {
            Some(phc) => verify_secret(password.to_owned(), phc).await?,
            None => password == SANDBOX_PASSWORD,
        };
        if !ok {
            self.throttle.fail(&key, now);
            return Err(OAuthError::AccessDenied);
        }
        Ok(person)
    }
}

/// The argon2 hash to store for a person's password (`PartyRepo::set_password_hash`).
pub async fn hash_password(password: &str) -> Result<String, OAuthError> {
    crate::secrets::hash_secret(password.to_owned()).await
}

//! Staff sign-in and the password policy: argon2 hashes, 9–20 characters
//! with letters, digits and symbols.

use super::registry::{agency_usable, REFRESH_TTL};
use super::staff::{Agency, Member, MemberStatus, Scope, Session, Subject};
use super::{OrisResult, Refusal, Registry};
use crate::CoreError;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// A password older than this must be changed (MEMBER_PASSWORD_EXPIRED).
pub const PASSWORD_MAX_AGE: chrono::Duration = chrono::Duration::days(90);

/// A member signed in: the session to issue tokens under.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub member: Member,
    pub agency: Agency,
    pub session: Session,
}

/// The policy: 9–20 characters, with a letter, a digit and a symbol.
pub fn password_meets_policy(p: &str) -> bool {
    let n = p.chars().count();
    (9..=20).contains(&n)
        && p.chars().any(|c| c.is_ascii_alphabetic())
        && p.chars().any(|c| c.is_ascii_digit())
        && p.chars().any(|c| c.is_ascii_punctuation())
        && p.chars().all(|c| c.is_ascii_graphic())
}

/// argon2id PHC string, computed off the reactor.
pub async fn hash_password(p: &str) -> OrisResult<String> {
    let p = p.to_owned();
    blocking(move || {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        Argon2::default()
            .hash_password(p.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| Refusal::Store(CoreError::Internal(e.to_string())))
    })
    .await
}

/// Does `p` match the stored PHC string? A value that does not parse never does.
pub async fn password_matches(p: &str, phc: &str) -> OrisResult<bool> {
    let (p, phc) = (p.to_owned(), phc.to_owned());
    blocking(move || {
        Ok(PasswordHash::new(&phc)
            .map(|h| Argon2::default().verify_password(p.as_bytes(), &h).is_ok())
            .unwrap_or(false))
    })
    .await
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> OrisResult<T> + Send + 'static,
) -> OrisResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Refusal::Store(CoreError::Internal(e.to_string())))?
}

impl Registry {
    /// A1: check the e-mail and password, then open a session.
    pub async fn login(
        &self,
        email: &str,
        password: &str,
        scopes: Vec<Scope>,
    ) -> OrisResult<SignedIn> {
        let member = self
            .repo
            .member_by_email(email)
            .await?
            .ok_or(Refusal::AccountNotFound)?;
        if !password_matches(password, &member.password_hash).await? {
            return Err(Refusal::PasswordNotMatch);
        }
        let agency = self
            .repo
            .agency(&member.agency_id)
            .await?
            .ok_or(Refusal::AgencyNotFound)?;
        agency_usable(&agency)?;
        if member.status != MemberStatus::Active {
            return Err(Refusal::MemberNotActive);
        }
        let session = self
            .open_session(Subject::Member(member.member_id.clone()), &agency, scopes)
            .await?;
        Ok(SignedIn {
            member,
            agency,
            session,
        })
    }

    /// A new session for a subject of `agency`, stored before any token of it.
    pub async fn open_session(
        &self,
        subject: Subject,
        agency: &Agency,
        scopes: Vec<Scope>,
    ) -> OrisResult<Session> {
        let now = self.now();
        let session = Session {
            session_id: self.new_id(),
            subject,
            agency_id: agency.agency_id.clone(),
            scopes,
            refresh_jti: Some(self.new_id()),
            created_at: now,
            expires_at: now + REFRESH_TTL,
            revoked_at: None,
        };
        self.repo.insert_session(&session).await?;
        Ok(session)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_wants_length_letters_digits_and_symbols() {
        assert!(password_meets_policy("Sandbox!2026"));
        assert!(!password_meets_policy("Sandbox2026"));
        assert!(!password_meets_policy("sandbox!!!"));
        assert!(!password_meets_policy("S!2a"));
        assert!(!password_meets_policy("Sandbox!2026Sandbox!2026"));
        assert!(!password_meets_policy("Sand box!2026"));
    }
}

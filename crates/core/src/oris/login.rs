//! Staff sign-in (A1), API-key tokens (A2), refresh with rotation (A3),
//! logout (A4) and the password change (A5); the password policy: argon2
//! hashes, 9–20 characters with letters, digits and symbols.

use super::registry::{agency_usable, ACCESS_TTL, REFRESH_TTL};
use super::staff::{Agency, ApiKey, Member, MemberStatus, PasswordChange, Scope, Session, Subject};
use super::{OrisResult, Principal, Refusal, Registry};
use sha2::{Digest, Sha256};

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
    Ok(crate::password::hash(p).await?)
}

/// Does `p` match the stored PHC string? A value that does not parse never does.
pub async fn password_matches(p: &str, phc: &str) -> OrisResult<bool> {
    Ok(crate::password::matches(p, phc).await?)
}

/// The 5th consecutive wrong password locks the member.
pub const FAIL_LIMIT: u32 = 5;
/// How many replaced passwords may not come back (MEMBER_PASSWORD_REUSED).
pub const HISTORY_DEPTH: u32 = 3;

/// A5's request: no token, the old password proves the member. (No
/// `Debug`: it holds two passwords in clear.)
#[derive(Clone)]
pub struct NewPassword<'a> {
    pub email: &'a str,
    pub old: &'a str,
    pub new: &'a str,
}

/// An API key's session (A2): no refresh token, no member.
#[derive(Debug, Clone)]
pub struct KeySignedIn {
    pub key: ApiKey,
    pub agency: Agency,
    pub session: Session,
}

/// The lookup form of an API key: its SHA-256, hex.
pub fn key_digest(api_key: &str) -> String {
    hex::encode(Sha256::digest(api_key.as_bytes()))
}

impl Registry {
    /// A1. The order: the e-mail (ACCOUNT_NOT_FOUND); the lock, before the
    /// password, so a locked account says nothing of it (MEMBER_ACCOUNT_LOCKED);
    /// the password, a wrong one counted (NOT_MATCH, the 5th
    /// FAIL_LIMIT_EXCEEDED); only then what a stranger must not learn: the
    /// agency (NOT_APPROVED, NOT_ACTIVE), the member (NOT_ACTIVE), an admin's
    /// reset (MEMBER_PASSWORD_RESET) and the password's age (EXPIRED). A right
    /// password resets the count even when a later check refuses.
    pub async fn login(
        &self,
        email: &str,
        password: &str,
        scopes: Vec<Scope>,
    ) -> OrisResult<SignedIn> {
        let mut member = self.account(email).await?;
        self.check_password(&member, password).await?;
        let agency = self
            .repo
            .agency(&member.agency_id)
            .await?
            .ok_or(Refusal::AgencyNotFound)?;
        agency_usable(&agency)?;
        if member.status != MemberStatus::Active {
            return Err(Refusal::MemberNotActive);
        }
        if member.must_change {
            return Err(Refusal::PasswordReset);
        }
        let now = self.now();
        if now >= member.password_changed_at + PASSWORD_MAX_AGE {
            return Err(Refusal::PasswordExpired);
        }
        let session = self
            .open_session(Subject::Member(member.member_id.clone()), &agency, scopes)
            .await?;
        self.repo
            .clear_failures(&member.member_id, Some(now))
            .await?;
        member.failed_logins = 0;
        member.last_login_at = Some(now);
        Ok(SignedIn {
            member,
            agency,
            session,
        })
    }

    async fn account(&self, email: &str) -> OrisResult<Member> {
        self.repo
            .member_by_email(email)
            .await?
            .ok_or(Refusal::AccountNotFound)
    }

    /// The lock, then the password; a wrong one is counted in the store.
    async fn check_password(&self, m: &Member, password: &str) -> OrisResult<()> {
        if m.locked {
            return Err(Refusal::AccountLocked);
        }
        if password_matches(password, &m.password_hash).await? {
            if m.failed_logins > 0 {
                self.repo.clear_failures(&m.member_id, None).await?;
            }
            return Ok(());
        }
        match self.repo.login_failed(&m.member_id, FAIL_LIMIT).await? {
            None => Err(Refusal::AccountLocked),
            Some(true) => Err(Refusal::PasswordFailLimit),
            Some(false) => Err(Refusal::PasswordNotMatch),
        }
    }

    /// A5: the old password (current or temporary) proves the member, as at
    /// login (a locked member is refused; wrong ones count). The new one
    /// must meet the policy, differ from the current one and from the last
    /// three replaced. It clears the reset flag, the count and the lock, and
    /// ends the member's sessions.
    pub async fn change_password(&self, req: NewPassword<'_>) -> OrisResult<()> {
        let member = self.account(req.email).await?;
        self.check_password(&member, req.old).await?;
        if !password_meets_policy(req.new) {
            return Err(Refusal::PasswordFormat);
        }
        if password_matches(req.new, &member.password_hash).await? {
            return Err(Refusal::PasswordResetWithOld);
        }
        for old in self
            .repo
            .password_history(&member.member_id, HISTORY_DEPTH)
            .await?
        {
            if password_matches(req.new, &old).await? {
                return Err(Refusal::PasswordReused);
            }
        }
        let now = self.now();
        self.repo
            .change_password(&PasswordChange {
                member_id: member.member_id.clone(),
                password_hash: hash_password(req.new).await?,
                changed_at: now,
                must_change: false,
                // A temporary password was never the member's own.
                retired_hash: (!member.must_change).then_some(member.password_hash),
            })
            .await?;
        self.repo.revoke_sessions_of(&member.member_id, now).await?;
        Ok(())
    }

    /// A2: an agency's system signs in with its API key. Unknown or revoked
    /// → API_KEY_NOT_FOUND; a wrong secret → UNAUTHORIZED; then the agency.
    pub async fn key_login(
        &self,
        api_key: &str,
        secret: &str,
        scopes: Vec<Scope>,
    ) -> OrisResult<KeySignedIn> {
        let key = self
            .repo
            .api_key_by_hash(&key_digest(api_key))
            .await?
            .filter(|k| k.revoked_at.is_none())
            .ok_or(Refusal::ApiKeyNotFound)?;
        if !password_matches(secret, &key.secret_hash).await? {
            return Err(Refusal::Unauthorized);
        }
        let agency = self
            .repo
            .agency(&key.agency_id)
            .await?
            .ok_or(Refusal::ApiKeyNotFound)?;
        agency_usable(&agency)?;
        let session = self
            .open_session(Subject::ApiKey(key.api_key_id.clone()), &agency, scopes)
            .await?;
        self.repo
            .api_key_used(&key.api_key_id, session.created_at)
            .await?;
        Ok(KeySignedIn {
            key,
            agency,
            session,
        })
    }

    /// A3: the session's live refresh token `jti` swapped for a new one (and
    /// the session's end moved 12 h on). A rotated-out or logged-out token
    /// → ACCESS_TOKEN_INVALID, a session past its end → ACCESS_TOKEN_EXPIRED.
    /// The store's compare-and-set lets one of two racing refreshes win.
    pub async fn refresh(&self, session_id: &str, jti: &str) -> OrisResult<Principal> {
        let now = self.now();
        let session = self
            .repo
            .session(session_id)
            .await?
            .filter(|s| s.revoked_at.is_none())
            .ok_or(Refusal::SessionEnded)?;
        if session.expires_at <= now {
            return Err(Refusal::SessionExpired);
        }
        if session.refresh_jti.as_deref() != Some(jti) {
            return Err(Refusal::SessionEnded);
        }
        let mut p = self.principal(session_id).await?;
        agency_usable(&p.agency)?;
        if p.member
            .as_ref()
            .is_some_and(|m| m.status != MemberStatus::Active)
        {
            return Err(Refusal::MemberNotActive);
        }
        let (new, end) = (self.new_id(), now + REFRESH_TTL);
        if !self.repo.rotate_refresh(session_id, jti, &new, end).await? {
            return Err(Refusal::SessionEnded);
        }
        p.session.refresh_jti = Some(new);
        p.session.expires_at = end;
        Ok(p)
    }

    /// A4: the session ends; its tokens are refused on every node, since
    /// each call reads the session row.
    pub async fn logout(&self, session_id: &str) -> OrisResult<()> {
        Ok(self.repo.revoke_session(session_id, self.now()).await?)
    }

    /// A new session for a subject of `agency`, stored before any token of
    /// it. A member's has a refresh token and lives 12 h; an API key's has
    /// none and lives as long as its one access token.
    pub async fn open_session(
        &self,
        subject: Subject,
        agency: &Agency,
        scopes: Vec<Scope>,
    ) -> OrisResult<Session> {
        let now = self.now();
        let member = matches!(subject, Subject::Member(_));
        let session = Session {
            session_id: self.new_id(),
            subject,
            agency_id: agency.agency_id.clone(),
            scopes,
            refresh_jti: member.then(|| self.new_id()),
            created_at: now,
            expires_at: now + if member { REFRESH_TTL } else { ACCESS_TTL },
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
    fn a_key_is_looked_up_by_its_sha256() {
        let d = key_digest("oris_abc");
        assert_eq!(d.len(), 64);
        assert_eq!(d, key_digest("oris_abc"));
        assert_ne!(d, key_digest("oris_abd"));
    }

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

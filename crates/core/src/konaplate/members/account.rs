//! A member's own record: passwords (U3, U12), changes (U4), cancellation
//! (U5), the lookups (U6, U10, U11), dormancy (U7) and the authentication
//! info (U13).

use super::super::bank::RegisteredAccount;
use super::super::cards::CardStatus;
use super::super::ids::UserId;
use super::super::refusal::{KonaResult, Refusal};
use super::super::Kona;
use super::register::password_rules;
use super::{Address, Member, MemberStatus, MAX_PASSWORD_FAILURES};
use chrono::{DateTime, NaiveDate, Utc};

/// U3: a reset sets the password without the old one and unlocks; a change
/// checks the old one first (a failure counts towards the lock).
#[derive(Debug, Clone)]
pub enum PasswordUpdate {
    Reset { new: String },
    Change { old: String, new: String },
}

/// U4: the fields to change; None keeps the value.
#[derive(Debug, Clone, Default)]
pub struct InfoChange {
    pub ci: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub nationality: Option<String>,
    pub user_name: Option<String>,
    pub mobile_number: Option<String>,
    pub address: Option<Address>,
}

/// U6: how a member asks for their login id.
#[derive(Debug, Clone)]
pub enum FindLogin {
    Person {
        user_name: String,
        birth_date: String,
        mobile_number: String,
    },
    Ci(String),
}

/// U13: what the platform verified of the member.
#[derive(Debug, Clone)]
pub struct AuthInfo {
    pub ci: String,
    pub is_real_name_verified: bool,
    pub is_bank_account_verified: bool,
    /// When the bank account was registered.
    pub verified_at: Option<DateTime<Utc>>,
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

impl Kona {
    /// U3.
    pub async fn update_password(
        &self,
        project_id: &str,
        user_id: UserId,
        u: PasswordUpdate,
    ) -> KonaResult<()> {
        let mut m = self.member(project_id, user_id).await?;
        let new = match &u {
            PasswordUpdate::Reset { new } | PasswordUpdate::Change { new, .. } => new,
        };
        password_rules(new, &m.mobile_number, "newPassword")?;
        if let PasswordUpdate::Change { old, .. } = &u {
            self.check_member_password(&m, old).await?;
        }
        m.password_hash = crate::password::hash(new).await?;
        m.password_failures = 0;
        m.updated_at = self.world.clock.now();
        self.repo.update_member(&m).await?;
        Ok(())
    }

    /// The password against the member's, counting a failure; a locked
    /// member is `001_069` whatever the password.
    async fn check_member_password(&self, m: &Member, password: &str) -> KonaResult<()> {
        if m.password_failures >= MAX_PASSWORD_FAILURES {
            return Err(Refusal::PasswordLocked);
        }
        if crate::password::matches(password, &m.password_hash).await? {
            return Ok(());
        }
        (self.repo)
            .add_password_failure(&m.project_id, m.user_id)
            .await?;
        Err(Refusal::PasswordMismatch)
    }

    /// U12: the member of the login id, when the password is theirs and the
    /// member may log in. A success clears the failure count.
    pub async fn check_password(
        &self,
        project_id: &str,
        login_id: &str,
        password: &str,
    ) -> KonaResult<UserId> {
        let mut m = (self.repo.member_by_login(project_id, login_id).await?)
            .filter(|m| m.status != MemberStatus::Cancelled)
            .ok_or(Refusal::MemberNotFound)?;
        match m.status {
            MemberStatus::Dormant => return Err(Refusal::MemberNotActive),
            MemberStatus::Blocked => return Err(Refusal::MemberBlocked),
            _ => {}
        }
        self.check_member_password(&m, password).await?;
        if m.password_failures > 0 {
            m.password_failures = 0;
            self.repo.update_member(&m).await?;
        }
        Ok(m.user_id)
    }

    /// U4: the member's changed fields. A CI another member of the project
    /// holds is `001_001`.
    pub async fn update_info(
        &self,
        project_id: &str,
        user_id: UserId,
        c: InfoChange,
    ) -> KonaResult<Member> {
        let mut m = self.member(project_id, user_id).await?;
        if let Some(ci) = c.ci {
            let other = self.repo.member_by_ci(project_id, &ci).await?;
            if other.is_some_and(|o| o.user_id != user_id) {
                return Err(Refusal::MemberExists);
            }
            m.ci = ci;
        }
        if let Some(b) = c.birth_date {
            m.birth_date = b.format("%Y%m%d").to_string();
        }
        m.nationality = c.nationality.unwrap_or(m.nationality);
        m.user_name = c.user_name.unwrap_or(m.user_name);
        m.mobile_number = c.mobile_number.unwrap_or(m.mobile_number);
        m.address = c.address.or(m.address);
        m.updated_at = self.world.clock.now();
        self.repo.update_member(&m).await?;
        Ok(m)
    }

    /// U5: refused while a card holds a balance (`001_052`) or is suspended
    /// (`001_090`); the member's cards end with the membership.
    pub async fn unregister(&self, project_id: &str, user_id: UserId) -> KonaResult<()> {
        let mut m = self.member(project_id, user_id).await?;
        let cards: Vec<_> = (self.repo.cards_of(project_id, user_id).await?)
            .into_iter()
            .filter(|c| c.status != CardStatus::Terminated)
            .collect();
        for c in &cards {
            if self.balance_minor(c).await? != 0 {
                return Err(Refusal::CardHasBalance);
            }
        }
        if cards.iter().any(|c| c.status == CardStatus::Suspended) {
            return Err(Refusal::CannotUnregister);
        }
        for mut c in cards {
            c.status = CardStatus::Terminated;
            self.repo.update_card(&c).await?;
        }
        m.status = MemberStatus::Cancelled;
        m.updated_at = self.world.clock.now();
        self.repo.update_member(&m).await?;
        Ok(())
    }

    /// The project's member of this CI, unless cancelled (`001_006`).
    pub async fn member_of_ci(&self, project_id: &str, ci: &str) -> KonaResult<Member> {
        (self.repo.member_by_ci(project_id, ci).await?)
            .filter(|m| m.status != MemberStatus::Cancelled)
            .ok_or(Refusal::MemberNotFound)
    }

    /// U6: the login id of the member who asks (mobile numbers compared on
    /// their digits).
    pub async fn find_login_id(&self, project_id: &str, q: FindLogin) -> KonaResult<String> {
        let m = match q {
            FindLogin::Ci(ci) => self.member_of_ci(project_id, &ci).await?,
            FindLogin::Person {
                user_name,
                birth_date,
                mobile_number,
            } => (self.repo.members_named(project_id, &user_name, &birth_date))
                .await?
                .into_iter()
                .find(|m| {
                    m.status != MemberStatus::Cancelled
                        && digits(&m.mobile_number) == digits(&mobile_number)
                })
                .ok_or(Refusal::MemberNotFound)?,
        };
        Ok(m.login_id)
    }

    /// U7: a dormant member of the CI becomes active.
    pub async fn reactivate(&self, project_id: &str, ci: &str) -> KonaResult<Member> {
        let m = self.member_of_ci(project_id, ci).await?;
        match m.status {
            MemberStatus::Dormant => {}
            MemberStatus::Blocked => return Err(Refusal::MemberBlocked),
            _ => return Err(Refusal::DormantNotFound),
        }
        (self.set_member_status(project_id, m.user_id, MemberStatus::Active)).await
    }

    /// U11: is the login id taken in the project (cancelled members keep
    /// theirs)?
    pub async fn login_id_taken(&self, project_id: &str, login_id: &str) -> KonaResult<bool> {
        Ok((self.repo.member_by_login(project_id, login_id).await?).is_some())
    }

    /// U13: the bank account counts once registered (B5 reached
    /// `BANK_ACC_REGISTERED`); the real name is verified by the same step,
    /// whose B2 check compares the holder with the member.
    pub async fn auth_info(&self, project_id: &str, user_id: UserId) -> KonaResult<AuthInfo> {
        let m = self.member(project_id, user_id).await?;
        let acc: Option<RegisteredAccount> = self.registered_account(project_id, user_id).await?;
        Ok(AuthInfo {
            ci: m.ci,
            is_real_name_verified: acc.is_some(),
            is_bank_account_verified: acc.is_some(),
            verified_at: acc.map(|a| a.created_at),
        })
    }
}

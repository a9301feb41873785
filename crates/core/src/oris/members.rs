//! An agency's staff (M1–M4): listing, adding, changing and removing
//! members, an admin's password reset and unlock. Every call names the
//! agency in its path: the caller's own, or any for the operator.

use super::agencies::{generated_password, person};
use super::login::{hash_password, password_meets_policy};
use super::staff::{Agency, Group, Member, MemberStatus, PasswordChange, Slice};
use super::{OrisResult, Principal, Refusal, Registry};
use crate::CoreError;
use secrecy::{ExposeSecret, SecretString};

/// M2's new member; the admin sets the first password.
#[derive(Debug, Clone)]
pub struct NewMember {
    pub email: String,
    pub name: String,
    pub phone: String,
    pub department: String,
    pub group_id: String,
    pub password: SecretString,
    pub description: Option<String>,
}

/// M2's PATCH; what is None stays.
#[derive(Debug, Clone, Default)]
pub struct MemberChange {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub department: Option<String>,
    pub description: Option<String>,
    pub group_id: Option<String>,
    pub status: Option<MemberStatus>,
}

/// M3's temporary password: shown once, never printed by accident.
#[derive(Debug, Clone)]
pub struct Temporary(SecretString);

impl Temporary {
    pub fn reveal(&self) -> &str {
        self.0.expose_secret()
    }
}

/// Members of one agency with what their items show: the agency and the
/// groups they may be in.
#[derive(Debug, Clone)]
pub struct Roster {
    pub agency: Agency,
    pub groups: Vec<Group>,
    pub members: Slice<Member>,
}

impl Roster {
    /// The group a member is in (the store's foreign key keeps it there).
    pub fn group_of(&self, m: &Member) -> Option<&Group> {
        self.groups.iter().find(|g| g.group_id == m.group_id)
    }

    fn one(agency: Agency, groups: Vec<Group>, m: Member) -> Roster {
        Roster {
            agency,
            groups,
            members: Slice {
                items: vec![m],
                total: 1,
            },
        }
    }
}

impl Registry {
    /// M1: the agency's members, oldest first.
    pub async fn members(
        &self,
        p: &Principal,
        agency_id: &str,
        offset: u64,
        limit: u32,
    ) -> OrisResult<Roster> {
        let agency = self.reach(p, agency_id).await?;
        let groups = self.repo.groups_for(agency_id).await?;
        let members = self.repo.members_of(agency_id, offset, limit).await?;
        Ok(Roster {
            agency,
            groups,
            members,
        })
    }

    /// One member of the path agency: unknown → MEMBER_NOT_FOUND, a member
    /// of another agency → MEMBER_NOT_MATCH.
    pub async fn member_of(
        &self,
        p: &Principal,
        agency_id: &str,
        member_id: &str,
    ) -> OrisResult<Roster> {
        let agency = self.reach(p, agency_id).await?;
        let m = self.path_member(agency_id, member_id).await?;
        let groups = self.repo.groups_for(agency_id).await?;
        Ok(Roster::one(agency, groups, m))
    }

    async fn path_member(&self, agency_id: &str, member_id: &str) -> OrisResult<Member> {
        let m = self
            .repo
            .member(member_id)
            .await?
            .ok_or(Refusal::MemberNotFound)?;
        if m.agency_id != agency_id {
            return Err(Refusal::MemberNotMatch);
        }
        Ok(m)
    }

    /// A group a member of `agency_id` may be in: a built-in or its own.
    async fn group_for(&self, agency_id: &str, group_id: &str) -> OrisResult<Vec<Group>> {
        let groups = self.repo.groups_for(agency_id).await?;
        if !groups.iter().any(|g| g.group_id == group_id) {
            return Err(Refusal::GroupNotFound);
        }
        Ok(groups)
    }

    /// M2 add: active, the password the admin set (it must meet the
    /// policy), no pledge signed yet.
    pub async fn add_member(
        &self,
        p: &Principal,
        agency_id: &str,
        n: NewMember,
    ) -> OrisResult<Roster> {
        person(p)?;
        let agency = self.reach(p, agency_id).await?;
        if !password_meets_policy(n.password.expose_secret()) {
            return Err(Refusal::PasswordFormat);
        }
        let groups = self.group_for(agency_id, &n.group_id).await?;
        let now = self.now();
        let m = Member {
            member_id: self.new_id(),
            agency_id: agency_id.to_owned(),
            email: n.email,
            name: n.name,
            phone: n.phone,
            department: n.department,
            description: n.description,
            group_id: n.group_id,
            status: MemberStatus::Active,
            password_hash: hash_password(n.password.expose_secret()).await?,
            password_changed_at: now,
            must_change: false,
            failed_logins: 0,
            locked: false,
            last_login_at: None,
            created_at: now,
        };
        self.repo.insert_member(&m).await.map_err(|e| match e {
            CoreError::Conflict(_) => Refusal::EmailDuplicated,
            e => Refusal::Store(e),
        })?;
        Ok(Roster::one(agency, groups, m))
    }

    /// M2 PATCH: profile, group and status (INACTIVE refuses the member's
    /// every call and login at once).
    pub async fn change_member(
        &self,
        p: &Principal,
        agency_id: &str,
        member_id: &str,
        c: MemberChange,
    ) -> OrisResult<Roster> {
        person(p)?;
        let agency = self.reach(p, agency_id).await?;
        let mut m = self.path_member(agency_id, member_id).await?;
        let groups = match &c.group_id {
            Some(g) => self.group_for(agency_id, g).await?,
            None => self.repo.groups_for(agency_id).await?,
        };
        let keep = |new: Option<String>, old: &mut String| {
            if let Some(v) = new {
                *old = v;
            }
        };
        keep(c.name, &mut m.name);
        keep(c.phone, &mut m.phone);
        keep(c.department, &mut m.department);
        keep(c.group_id, &mut m.group_id);
        if c.description.is_some() {
            m.description = c.description;
        }
        if let Some(s) = c.status {
            m.status = s;
        }
        self.repo.update_member(&m).await?;
        Ok(Roster::one(agency, groups, m))
    }

    /// M2 DELETE: the member and its sessions end. A member other records
    /// name (batches, posts) stays: INVALID_REQUEST, deactivate it instead.
    pub async fn remove_member(
        &self,
        p: &Principal,
        agency_id: &str,
        member_id: &str,
    ) -> OrisResult<()> {
        person(p)?;
        self.reach(p, agency_id).await?;
        self.path_member(agency_id, member_id).await?;
        let gone = self
            .repo
            .delete_member(member_id)
            .await
            .map_err(|e| match e {
                CoreError::Invalid(_) => Refusal::Invalid(
                    "the member is named by other records; set its status INACTIVE instead".into(),
                ),
                e => Refusal::Store(e),
            })?;
        if !gone {
            return Err(Refusal::MemberNotFound);
        }
        self.repo.revoke_sessions_of(member_id, self.now()).await?;
        Ok(())
    }

    /// M3: a temporary password (shown once) replaces the member's; it
    /// unlocks the member, ends its sessions, and the next login answers
    /// MEMBER_PASSWORD_RESET until A5 changes it.
    pub async fn reset_password(
        &self,
        p: &Principal,
        agency_id: &str,
        member_id: &str,
    ) -> OrisResult<Temporary> {
        person(p)?;
        self.reach(p, agency_id).await?;
        let m = self.path_member(agency_id, member_id).await?;
        let temporary = generated_password();
        let now = self.now();
        self.repo
            .change_password(&PasswordChange {
                member_id: m.member_id.clone(),
                password_hash: hash_password(&temporary).await?,
                changed_at: now,
                must_change: true,
                retired_hash: (!m.must_change).then_some(m.password_hash),
            })
            .await?;
        self.repo.revoke_sessions_of(member_id, now).await?;
        Ok(Temporary(temporary.into()))
    }

    /// M4: the lock off and the failure count back to 0.
    pub async fn unlock_member(
        &self,
        p: &Principal,
        agency_id: &str,
        member_id: &str,
    ) -> OrisResult<Roster> {
        person(p)?;
        let agency = self.reach(p, agency_id).await?;
        let mut m = self.path_member(agency_id, member_id).await?;
        self.repo.clear_failures(member_id, None).await?;
        m.locked = false;
        m.failed_logins = 0;
        let groups = self.repo.groups_for(agency_id).await?;
        Ok(Roster::one(agency, groups, m))
    }
}

//! Agencies: the sandbox's ready-made agency with its first administrator,
//! and the operator's registry of them (G1 list and apply, G2 detail and
//! change, G3 approve, reject, activate, deactivate). Who reaches which
//! agency is decided here: its own members, and the operator's for any.

use super::login::{hash_password, password_meets_policy};
use super::staff::{Agency, AgencyType, Approval, Member, MemberStatus, Slice, ADMIN_GROUP};
use super::{OrisResult, Principal, Refusal, Registry};
use crate::CoreError;
use rand::Rng;

/// G1's application: a new agency, PENDING until the operator approves it.
#[derive(Debug, Clone)]
pub struct AgencyApplication {
    pub agency_code: String,
    pub agency_name: String,
    pub agency_type: AgencyType,
}

/// G2's change; what is None stays.
#[derive(Debug, Clone, Default)]
pub struct AgencyChange {
    pub agency_name: Option<String>,
    pub agency_type: Option<AgencyType>,
}

/// G3's operator actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgencyAction {
    Approve,
    Reject,
    Activate,
    Deactivate,
}

impl AgencyAction {
    pub fn parse(s: &str) -> Option<AgencyAction> {
        match s {
            "approve" => Some(AgencyAction::Approve),
            "reject" => Some(AgencyAction::Reject),
            "activate" => Some(AgencyAction::Activate),
            "deactivate" => Some(AgencyAction::Deactivate),
            _ => None,
        }
    }
}

/// The operator's own calls: anyone else is FORBIDDEN.
pub(crate) fn operator(p: &Principal) -> OrisResult<()> {
    if p.is_operator() {
        Ok(())
    } else {
        Err(Refusal::Forbidden)
    }
}

/// The member behind a call only a person may make; an API key's token
/// (the agency's system) is MEMBER_ACCESS_DENIED there.
pub(crate) fn person(p: &Principal) -> OrisResult<&Member> {
    p.member.as_ref().ok_or(Refusal::MemberAccessDenied)
}

impl Registry {
    /// The agency a call names, if the caller may reach it: another
    /// agency's → AGENCY_ACCESS_DENIED (whether it exists or not), the
    /// operator's unknown one → AGENCY_NOT_FOUND.
    pub(crate) async fn reach(&self, p: &Principal, agency_id: &str) -> OrisResult<Agency> {
        if !p.may_act_on(agency_id) {
            return Err(Refusal::AgencyAccessDenied);
        }
        self.repo
            .agency(agency_id)
            .await?
            .ok_or(Refusal::AgencyNotFound)
    }

    /// G1 list (operator only), oldest first.
    pub async fn list_agencies(
        &self,
        p: &Principal,
        offset: u64,
        limit: u32,
    ) -> OrisResult<Slice<Agency>> {
        operator(p)?;
        Ok(self.repo.agencies(offset, limit).await?)
    }

    /// G1 apply (operator only): the agency is PENDING and active; it
    /// reports nothing until approved.
    pub async fn apply_agency(&self, p: &Principal, a: AgencyApplication) -> OrisResult<Agency> {
        operator(p)?;
        person(p)?;
        let agency = Agency {
            agency_id: self.new_id(),
            agency_code: a.agency_code,
            agency_name: a.agency_name,
            agency_type: a.agency_type,
            org_code: None,
            approval: Approval::Pending,
            active: true,
            created_at: self.now(),
        };
        self.insert_agency(&agency).await?;
        Ok(agency)
    }

    async fn insert_agency(&self, agency: &Agency) -> OrisResult<()> {
        self.repo.insert_agency(agency).await.map_err(|e| match e {
            CoreError::Conflict(_) => Refusal::AgencyCodeDuplicated,
            e => Refusal::Store(e),
        })
    }

    /// G2 detail: the caller's own agency, or any for the operator.
    pub async fn agency_detail(&self, p: &Principal, agency_id: &str) -> OrisResult<Agency> {
        self.reach(p, agency_id).await
    }

    /// G2 change: the name by the agency's own admin; the type only by the
    /// operator (a type is what makes an operator).
    pub async fn change_agency(
        &self,
        p: &Principal,
        agency_id: &str,
        c: AgencyChange,
    ) -> OrisResult<Agency> {
        person(p)?;
        let mut agency = self.reach(p, agency_id).await?;
        if let Some(t) = c.agency_type {
            if t != agency.agency_type {
                operator(p)?;
            }
            agency.agency_type = t;
        }
        if let Some(n) = c.agency_name {
            agency.agency_name = n;
        }
        self.repo.update_agency(&agency).await?;
        Ok(agency)
    }

    /// G3 (operator only). The operator may not reject or deactivate its
    /// own agency: that would leave no one to undo it.
    pub async fn act_on_agency(
        &self,
        p: &Principal,
        agency_id: &str,
        action: AgencyAction,
    ) -> OrisResult<Agency> {
        operator(p)?;
        person(p)?;
        self.reach(p, agency_id).await?;
        let own = agency_id == p.agency.agency_id;
        let (approval, active) = match action {
            AgencyAction::Reject | AgencyAction::Deactivate if own => {
                return Err(Refusal::Invalid(
                    "the operator cannot reject or deactivate its own agency".into(),
                ))
            }
            AgencyAction::Approve => (Some(Approval::Approved), None),
            AgencyAction::Reject => (Some(Approval::Rejected), None),
            AgencyAction::Activate => (None, Some(true)),
            AgencyAction::Deactivate => (None, Some(false)),
        };
        self.repo
            .set_agency_state(agency_id, approval, active)
            .await?;
        self.reach(p, agency_id).await
    }
}

/// A new agency as the sandbox makes it: approved and active.
#[derive(Debug, Clone)]
pub struct NewAgency {
    pub agency_code: Option<String>,
    pub agency_name: String,
    pub agency_type: AgencyType,
    pub org_code: Option<String>,
}

/// Its first member; what is left out is generated.
#[derive(Debug, Clone, Default)]
pub struct NewAdmin {
    pub email: Option<String>,
    pub password: Option<String>,
    pub name: Option<String>,
}

/// The agency made, its administrator and the password (shown once).
#[derive(Debug, Clone)]
pub struct Founded {
    pub agency: Agency,
    pub admin: Member,
    pub password: String,
}

impl Registry {
    /// The sandbox's agency: approved, active, with an ADMIN member who has
    /// not signed the pledge yet.
    pub async fn found_agency(&self, a: NewAgency, admin: NewAdmin) -> OrisResult<Founded> {
        let password = match admin.password {
            Some(p) if !password_meets_policy(&p) => return Err(Refusal::PasswordFormat),
            Some(p) => p,
            None => generated_password(),
        };
        let code = match a.agency_code {
            Some(c) => c,
            None => self.unused_code().await?,
        };
        let now = self.now();
        let agency = Agency {
            agency_id: self.new_id(),
            agency_code: code.clone(),
            agency_name: a.agency_name,
            agency_type: a.agency_type,
            org_code: a.org_code,
            approval: Approval::Approved,
            active: true,
            created_at: now,
        };
        self.insert_agency(&agency).await?;
        let member = Member {
            member_id: self.new_id(),
            agency_id: agency.agency_id.clone(),
            email: admin
                .email
                .unwrap_or_else(|| format!("admin{code}@agency{code}.example")),
            name: admin.name.unwrap_or_else(|| "관리자".to_owned()),
            phone: String::new(),
            department: String::new(),
            description: None,
            group_id: ADMIN_GROUP.to_owned(),
            status: MemberStatus::Active,
            password_hash: hash_password(&password).await?,
            password_changed_at: now,
            must_change: false,
            failed_logins: 0,
            locked: false,
            last_login_at: None,
            created_at: now,
        };
        self.repo
            .insert_member(&member)
            .await
            .map_err(|e| match e {
                CoreError::Conflict(_) => Refusal::EmailDuplicated,
                e => Refusal::Store(e),
            })?;
        Ok(Founded {
            agency,
            admin: member,
            password,
        })
    }

    /// A 4-digit code no agency has (a race is settled by the unique key).
    async fn unused_code(&self) -> OrisResult<String> {
        for _ in 0..50 {
            let code = format!("{:04}", rand::thread_rng().gen_range(2000..10000));
            if self.repo.agency_by_code(&code).await?.is_none() {
                return Ok(code);
            }
        }
        Err(Refusal::AgencyCodeDuplicated)
    }
}

/// A password that meets the policy: 16 characters.
pub(crate) fn generated_password() -> String {
    const ALNUM: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let mut rng = rand::thread_rng();
    let body: String = (0..13)
        .map(|_| ALNUM[rng.gen_range(0..ALNUM.len())] as char)
        .collect();
    format!("{body}!{}a", rng.gen_range(0..10))
}

#[cfg(test)]
mod tests {
    use super::AgencyAction;

    #[test]
    fn the_operator_actions_are_four_words() {
        assert_eq!(AgencyAction::parse("approve"), Some(AgencyAction::Approve));
        assert_eq!(
            AgencyAction::parse("deactivate"),
            Some(AgencyAction::Deactivate)
        );
        assert_eq!(AgencyAction::parse("Approve"), None);
        assert_eq!(AgencyAction::parse("suspend"), None);
    }

    #[test]
    fn generated_passwords_meet_the_policy() {
        for _ in 0..100 {
            assert!(super::password_meets_policy(&super::generated_password()));
        }
    }
}

//! Agencies coming to exist: the sandbox's ready-made agency with its first
//! administrator.

use super::login::{hash_password, password_meets_policy};
use super::staff::{Agency, AgencyType, Approval, Member, MemberStatus, ADMIN_GROUP};
use super::{OrisResult, Refusal, Registry};
use crate::CoreError;
use rand::Rng;

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
        self.repo
            .insert_agency(&agency)
            .await
            .map_err(|e| match e {
                CoreError::Conflict(_) => Refusal::AgencyCodeDuplicated,
                e => Refusal::Store(e),
            })?;
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
fn generated_password() -> String {
    const ALNUM: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let mut rng = rand::thread_rng();
    let body: String = (0..13)
        .map(|_| ALNUM[rng.gen_range(0..ALNUM.len())] as char)
        .collect();
    format!("{body}!{}a", rng.gen_range(0..10))
}

#[cfg(test)]
mod tests {
    #[test]
    fn generated_passwords_meet_the_policy() {
        for _ in 0..100 {
            assert!(super::password_meets_policy(&super::generated_password()));
        }
    }
}

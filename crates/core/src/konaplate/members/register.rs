//! U1: a registration becomes a member of the project, who is a person of
//! the world (the one with that CI, or a new one), with the terms agreed
//! and the basic card issued at once.

use super::super::cards::{Card, NewCard};
use super::super::ids::UserId;
use super::super::project::basic_service;
use super::super::refusal::{KonaResult, Refusal};
use super::super::Kona;
use super::terms::check_registration_terms;
use super::{Address, Agreement, Member, MemberStatus};
use crate::party::{Gender, NewPerson, Person};
use crate::CoreError;
use chrono::NaiveDate;

/// A registration, its fields checked at the edge (types and lengths).
#[derive(Debug, Clone)]
pub struct Registration {
    pub ci: Option<String>,
    pub login_id: String,
    pub login_password: String,
    /// yyyyMMdd, a real date.
    pub birth_date: NaiveDate,
    pub nationality: String,
    /// `Male` / `Female`.
    pub gender: String,
    pub user_name: String,
    pub mobile_number: String,
    pub email: String,
    pub join_channel: Option<String>,
    pub address: Option<Address>,
    pub tc_ids: Vec<u64>,
}

/// The password rules (konaplate-sandbox.md §3): 6 digits, no 3 identical
/// in a row, no 3 consecutive up or down, not part of the mobile number.
/// `field` names it in the refusal (`loginPassword`, `newPassword`).
pub fn password_rules(pw: &str, mobile: &str, field: &str) -> KonaResult<()> {
    let d = pw.as_bytes();
    let bad = || Refusal::invalid(field);
    if d.len() != 6 || !d.iter().all(u8::is_ascii_digit) {
        return Err(bad());
    }
    let runs = d.windows(3).any(|w| {
        let (a, b, c) = (i16::from(w[0]), i16::from(w[1]), i16::from(w[2]));
        (a == b && b == c) || (b - a == c - b && (b - a).abs() == 1)
    });
    let phone: String = mobile.chars().filter(char::is_ascii_digit).collect();
    if runs || phone.contains(pw) {
        return Err(bad());
    }
    Ok(())
}

impl Kona {
    /// U1: the member and their basic card. Duplicates of the login id or
    /// the CI in the project are `001_001`; the unique keys decide a race.
    pub async fn register(&self, project_id: &str, r: Registration) -> KonaResult<(Member, Card)> {
        password_rules(&r.login_password, &r.mobile_number, "loginPassword")?;
        check_registration_terms(&r.tc_ids)?;
        self.refuse_duplicate(project_id, &r.login_id, r.ci.as_deref())
            .await?;
        let person = self.person_for(&r).await?;
        let hash = crate::password::hash(&r.login_password).await?;
        let member = self
            .insert_new_member(project_id, &r, &person, hash)
            .await?;
        let card = (self.issue_card(NewCard {
            project_id,
            user_id: member.user_id,
            person_id: &person.person_id,
            service: basic_service(),
            is_basic: true,
            card_apply_no: None,
            physical: None,
        }))
        .await?;
        Ok((member, card))
    }

    async fn refuse_duplicate(
        &self,
        project_id: &str,
        login_id: &str,
        ci: Option<&str>,
    ) -> KonaResult<()> {
        if self
            .repo
            .member_by_login(project_id, login_id)
            .await?
            .is_some()
        {
            return Err(Refusal::MemberExists);
        }
        if let Some(ci) = ci {
            if self.repo.member_by_ci(project_id, ci).await?.is_some() {
                return Err(Refusal::MemberExists);
            }
        }
        Ok(())
    }

    /// The person of the world with the registration's CI, or a new one
    /// with its name, birth date and phone (without the phone when another
    /// person holds that number: phones are unique in the world).
    async fn person_for(&self, r: &Registration) -> KonaResult<Person> {
        if let Some(ci) = r.ci.as_deref() {
            if let Some(p) = self.world.repo.person_by_ci(ci).await? {
                return Ok(p);
            }
        }
        let mut new = NewPerson {
            name: r.user_name.clone(),
            birth_date: Some(r.birth_date),
            gender: Gender::parse(&r.gender.to_ascii_lowercase()),
            phone: Some(r.mobile_number.clone()),
            email: Some(r.email.clone()),
            ci: (r.ci.clone()).filter(|c| crate::ids::is_valid_ci(c)),
        };
        match self.world.create_person(new.clone()).await {
            Err(CoreError::Conflict(_)) => {
                new.phone = None;
                Ok(self.world.create_person(new).await?)
            }
            r => Ok(r?),
        }
    }

    /// Insert under a fresh user id; a taken id (not a duplicate) draws
    /// another.
    async fn insert_new_member(
        &self,
        project_id: &str,
        r: &Registration,
        person: &Person,
        password_hash: String,
    ) -> KonaResult<Member> {
        let now = self.world.clock.now();
        let mut m = Member {
            user_id: UserId::generate(),
            project_id: project_id.to_owned(),
            person_id: person.person_id.clone(),
            login_id: r.login_id.clone(),
            password_hash,
            ci: r.ci.clone().unwrap_or_else(|| person.ci.clone()),
            birth_date: r.birth_date.format("%Y%m%d").to_string(),
            nationality: r.nationality.clone(),
            gender: r.gender.clone(),
            user_name: r.user_name.clone(),
            mobile_number: r.mobile_number.clone(),
            email: r.email.clone(),
            join_channel: r.join_channel.clone(),
            address: r.address.clone(),
            status: MemberStatus::Active,
            password_failures: 0,
            created_at: now,
            updated_at: now,
        };
        let terms: Vec<Agreement> = (r.tc_ids.iter())
            .map(|&tc_id| Agreement {
                tc_id,
                agreed_at: now,
            })
            .collect();
        for _ in 0..3 {
            if self.repo.insert_member(&m, &terms).await? {
                return Ok(m);
            }
            self.refuse_duplicate(project_id, &m.login_id, Some(&m.ci))
                .await?;
            m.user_id = UserId::generate();
        }
        Err(Refusal::MemberExists)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_follow_the_rules() {
        let ok = |p: &str| password_rules(p, "010-1357-2468", "loginPassword").is_ok();
        assert!(ok("135790"));
        assert!(ok("102938"));
        assert!(!ok("111357"), "three identical");
        assert!(!ok("912357"), "three consecutive up");
        assert!(!ok("135321"), "three consecutive down");
        assert!(!ok("13579"), "five digits");
        assert!(!ok("1357a9"), "not digits");
        assert!(!ok("135724"), "part of the mobile number");
    }
}

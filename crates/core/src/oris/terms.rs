//! Terms with effective dates, and the consents given to them: the remitter's
//! third-party consent and the staff's privacy pledge.

use crate::CoreResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermType {
    /// 개인정보제3자제공: the remitter's consent, for reading their data.
    ThirdParty,
    /// 개인정보보호서약서: the staff pledge, for any member call.
    Pledge,
}

impl TermType {
    pub const ALL: [TermType; 2] = [TermType::ThirdParty, TermType::Pledge];

    pub fn code(self) -> &'static str {
        match self {
            TermType::ThirdParty => "개인정보제3자제공",
            TermType::Pledge => "개인정보보호서약서",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            TermType::ThirdParty => "개인정보제3자제공동의",
            TermType::Pledge => "개인정보보호서약서",
        }
    }

    pub fn parse(code: &str) -> Option<TermType> {
        TermType::ALL.into_iter().find(|t| t.code() == code)
    }
}

#[derive(Debug, Clone)]
pub struct Term {
    pub term_id: String,
    pub term_type: TermType,
    pub title: String,
    pub content: String,
    pub version: String,
    pub required: bool,
    /// None while a draft; in force from this instant.
    pub initiation_date: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl Term {
    pub fn in_force(&self, now: DateTime<Utc>) -> bool {
        self.initiation_date.is_some_and(|d| d <= now)
    }
}

/// The term of a type in force now: the one that came into force last.
pub fn current(terms: &[Term], ty: TermType, now: DateTime<Utc>) -> Option<&Term> {
    terms
        .iter()
        .filter(|t| t.term_type == ty && t.in_force(now))
        .max_by_key(|t| (t.initiation_date, t.created_at))
}

/// A member's signature under a term (the pledge).
#[derive(Debug, Clone)]
pub struct MemberConsent {
    pub consent_id: String,
    pub member_id: String,
    pub term_id: String,
    pub consent_at: DateTime<Utc>,
}

#[async_trait]
pub trait TermRepo: Send + Sync {
    /// Every term, drafts included.
    async fn terms(&self) -> CoreResult<Vec<Term>>;
    async fn term(&self, term_id: &str) -> CoreResult<Option<Term>>;
    async fn member_consent(
        &self,
        member_id: &str,
        term_id: &str,
    ) -> CoreResult<Option<MemberConsent>>;
    /// Records it unless the member already signed this term; answers the
    /// consent on record and whether it is the one just given.
    async fn insert_member_consent(&self, c: &MemberConsent) -> CoreResult<(MemberConsent, bool)>;
}

impl super::Registry {
    /// M5: a member signs a term of the pledge type. The first time answers
    /// `true`; the same term again answers the consent on record.
    pub async fn sign_pledge(
        &self,
        member_id: &str,
        term_id: &str,
    ) -> super::OrisResult<(MemberConsent, bool)> {
        use super::Refusal;
        let term = self
            .repo
            .term(term_id)
            .await?
            .ok_or(Refusal::TermNotFound)?;
        if term.term_type != TermType::Pledge {
            return Err(Refusal::ConsentNotMatch);
        }
        if !term.in_force(self.now()) {
            return Err(Refusal::Invalid("the term is not in force".into()));
        }
        let c = MemberConsent {
            consent_id: self.new_id(),
            member_id: member_id.to_owned(),
            term_id: term.term_id,
            consent_at: self.now(),
        };
        Ok(self.repo.insert_member_consent(&c).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(id: &str, ty: TermType, at: Option<i64>) -> Term {
        Term {
            term_id: id.into(),
            term_type: ty,
            title: String::new(),
            content: String::new(),
            version: "1".into(),
            required: true,
            initiation_date: at.map(|s| DateTime::from_timestamp(s, 0).unwrap()),
            created_at: DateTime::from_timestamp(0, 0).unwrap(),
        }
    }

    #[test]
    fn the_current_term_is_the_newest_in_force() {
        let now = DateTime::from_timestamp(1000, 0).unwrap();
        let terms = vec![
            term("a", TermType::Pledge, Some(10)),
            term("b", TermType::Pledge, Some(500)),
            term("c", TermType::Pledge, Some(2000)),
            term("d", TermType::Pledge, None),
            term("e", TermType::ThirdParty, Some(900)),
        ];
        assert_eq!(current(&terms, TermType::Pledge, now).unwrap().term_id, "b");
        assert_eq!(
            current(&terms, TermType::ThirdParty, now).unwrap().term_id,
            "e"
        );
        let later = DateTime::from_timestamp(3000, 0).unwrap();
        assert_eq!(
            current(&terms, TermType::Pledge, later).unwrap().term_id,
            "c"
        );
    }
}

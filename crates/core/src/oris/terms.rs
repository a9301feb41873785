//! Terms with effective dates, and the consents given to them: the remitter's
//! third-party consent and the staff's privacy pledge.

use super::{OrisResult, Principal, Refusal};
use crate::{CoreError, CoreResult};
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
    async fn insert_term(&self, t: &Term) -> CoreResult<()>;
    /// Rewrites the text of a term not in force at `now`; false when the
    /// term is in force by then (or gone).
    async fn update_term(&self, t: &Term, now: DateTime<Utc>) -> CoreResult<bool>;
    /// Deletes a term not in force at `now` that no member signed; false
    /// otherwise. A consent recorded elsewhere under it is a `Conflict` or
    /// `Invalid` (its foreign key).
    async fn delete_term(&self, term_id: &str, now: DateTime<Utc>) -> CoreResult<bool>;
    /// Dates a draft; false when the term has a date already (or is gone).
    async fn set_initiation_date(&self, term_id: &str, at: DateTime<Utc>) -> CoreResult<bool>;
    /// Clears a date not reached at `now` (a draft stays a draft); false
    /// when the date has been reached (or the term is gone).
    async fn withdraw_initiation_date(&self, term_id: &str, now: DateTime<Utc>)
        -> CoreResult<bool>;
}

/// What T2 writes: a term's text, without its dates.
#[derive(Debug, Clone)]
pub struct TermText {
    pub term_type: TermType,
    pub title: String,
    pub content: String,
    pub version: String,
    pub required: bool,
}

impl super::Registry {
    /// M5: a member signs a term of the pledge type. The first time answers
    /// `true`; the same term again answers the consent on record.
    pub async fn sign_pledge(
        &self,
        member_id: &str,
        term_id: &str,
    ) -> OrisResult<(MemberConsent, bool)> {
        let term = self.term_or_404(term_id).await?;
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

impl super::Registry {
    /// T1: the terms a caller may see, newest first: those in force, and
    /// for the operator drafts and scheduled ones too.
    pub async fn visible_terms(
        &self,
        p: &Principal,
        ty: Option<TermType>,
    ) -> OrisResult<Vec<Term>> {
        let now = self.now();
        let mut terms: Vec<Term> = self
            .repo
            .terms()
            .await?
            .into_iter()
            .filter(|t| ty.is_none_or(|ty| t.term_type == ty))
            .filter(|t| p.is_operator() || t.in_force(now))
            .collect();
        terms.sort_by_key(|t| std::cmp::Reverse((t.created_at, t.term_id.clone())));
        Ok(terms)
    }

    /// One term as T1 shows it: a draft or a scheduled term is the
    /// operator's until it comes into force.
    pub async fn visible_term(&self, p: &Principal, term_id: &str) -> OrisResult<Term> {
        let term = self.term_or_404(term_id).await?;
        if !p.is_operator() && !term.in_force(self.now()) {
            return Err(Refusal::TermNotFound);
        }
        Ok(term)
    }

    /// T2: a new draft (no initiation date).
    pub async fn create_term(&self, p: &Principal, text: TermText) -> OrisResult<Term> {
        operator_only(p)?;
        let now = self.now();
        let term = Term {
            term_id: self.new_id(),
            term_type: text.term_type,
            title: text.title,
            content: text.content,
            version: text.version,
            required: text.required,
            initiation_date: None,
            created_at: now,
        };
        self.repo.insert_term(&term).await?;
        Ok(term)
    }

    /// T2: rewrite a draft or a term scheduled for later; a term in force
    /// is locked.
    pub async fn update_term(
        &self,
        p: &Principal,
        term_id: &str,
        text: TermText,
    ) -> OrisResult<Term> {
        operator_only(p)?;
        let held = self.term_or_404(term_id).await?;
        let term = Term {
            term_type: text.term_type,
            title: text.title,
            content: text.content,
            version: text.version,
            required: text.required,
            ..held
        };
        // The store's condition decides, so a date reached meanwhile wins.
        if !self.repo.update_term(&term, self.now()).await? {
            self.term_or_404(term_id).await?;
            return Err(Refusal::TermCannotUpdate);
        }
        Ok(term)
    }

    /// T2: delete a term never in force and never signed.
    pub async fn delete_term(&self, p: &Principal, term_id: &str) -> OrisResult<()> {
        operator_only(p)?;
        self.term_or_404(term_id).await?;
        match self.repo.delete_term(term_id, self.now()).await {
            Ok(true) => Ok(()),
            Ok(false) | Err(CoreError::Conflict(_) | CoreError::Invalid(_)) => {
                Err(Refusal::TermCannotDelete)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// T3: schedule a draft to come into force at `at`, which must be
    /// later than now by the world clock.
    pub async fn set_term_date(
        &self,
        p: &Principal,
        term_id: &str,
        at: DateTime<Utc>,
    ) -> OrisResult<Term> {
        operator_only(p)?;
        self.term_or_404(term_id).await?;
        if at <= self.now() || !self.repo.set_initiation_date(term_id, at).await? {
            return Err(Refusal::TermCannotSetDate);
        }
        self.term_or_404(term_id).await
    }

    /// T3: withdraw a date not yet reached; the term is a draft again.
    pub async fn withdraw_term_date(&self, p: &Principal, term_id: &str) -> OrisResult<Term> {
        operator_only(p)?;
        self.term_or_404(term_id).await?;
        if !self
            .repo
            .withdraw_initiation_date(term_id, self.now())
            .await?
        {
            return Err(Refusal::TermCannotWithdrawDate);
        }
        self.term_or_404(term_id).await
    }

    async fn term_or_404(&self, term_id: &str) -> OrisResult<Term> {
        if !super::board::storable(term_id) {
            return Err(Refusal::TermNotFound);
        }
        self.repo.term(term_id).await?.ok_or(Refusal::TermNotFound)
    }
}

/// The operator's own calls (T2, T3, `POST /threads`): anyone else is
/// refused.
pub fn operator_only(p: &Principal) -> OrisResult<()> {
    if p.is_operator() {
        Ok(())
    } else {
        Err(Refusal::Forbidden)
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

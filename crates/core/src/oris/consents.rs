//! A remitter's consents (U6–U8) and the consent gate of U3–U5.
//!
//! A consent is recorded by one agency and serves that agency's reads only:
//! 개인정보제3자제공 is consent to provide the remitter's data to the agency
//! that asked, so another agency must record its own.

use super::remit::RemitterConsent;
use super::staff::Agency;
use super::terms::{current, Term, TermType};
use super::{OrisResult, Refusal, Registry};

/// How the consenter (or the legal guardian) was verified.
pub const VERIFICATION_METHODS: [&str; 12] = [
    "FACE_TO_FACE_ID",
    "ID_COPY_REMOTE",
    "MOBILE_PHONE",
    "I_PIN",
    "DIGITAL_CERT",
    "CREDIT_CARD",
    "ONEPASS",
    "MOBILE_ID",
    "SIMPLE_SNS",
    "VIDEO_ID",
    "BIOMETRIC",
    "OTHER",
];

/// U6's fields.
#[derive(Debug, Clone)]
pub struct NewConsent {
    pub term_id: String,
    pub identity_verification_method: String,
    pub consenter_name: Option<String>,
    pub additional_info: Option<String>,
    pub is_under_fourteen: Option<bool>,
}

/// A consent with its term's type.
#[derive(Debug, Clone)]
pub struct HeldConsent {
    pub consent: RemitterConsent,
    pub term_type: TermType,
}

fn check_consent(n: &NewConsent, term: &Term) -> OrisResult<()> {
    if !VERIFICATION_METHODS.contains(&n.identity_verification_method.as_str()) {
        return Err(Refusal::Invalid(format!(
            "identityVerificationMethod must be one of {}",
            VERIFICATION_METHODS.join(", ")
        )));
    }
    let long = |v: &Option<String>, max: usize| v.as_ref().is_some_and(|s| s.chars().count() > max);
    if long(&n.consenter_name, 100) || long(&n.additional_info, 300) {
        return Err(Refusal::Invalid(
            "consenterName is at most 100 characters, additionalInfo at most 300".into(),
        ));
    }
    if term.term_type == TermType::ThirdParty && n.is_under_fourteen.is_none() {
        return Err(Refusal::Invalid(
            "isUnderFourteen is required for the 개인정보제3자제공 consent".into(),
        ));
    }
    Ok(())
}

impl Registry {
    /// U6: the remitter consents, as this agency records it. The same term
    /// again (still in effect) answers the consent on record (`false`).
    pub async fn give_consent(
        &self,
        agency: &Agency,
        user_id: &str,
        n: NewConsent,
    ) -> OrisResult<(HeldConsent, bool)> {
        self.remitter(user_id).await?;
        let term = self
            .repo
            .term(&n.term_id)
            .await?
            .ok_or(Refusal::TermNotFound)?;
        if term.term_type != TermType::ThirdParty {
            // The pledge is the staff's, never a remitter's.
            return Err(Refusal::ConsentNotMatch);
        }
        if !term.in_force(self.now()) {
            return Err(Refusal::Invalid("the term is not in force".into()));
        }
        check_consent(&n, &term)?;
        let c = RemitterConsent {
            consent_id: self.new_id(),
            user_id: user_id.to_owned(),
            term_id: term.term_id,
            agency_id: agency.agency_id.clone(),
            identity_verification_method: n.identity_verification_method,
            consenter_name: n.consenter_name,
            additional_info: n.additional_info,
            is_under_fourteen: n.is_under_fourteen,
            consent_at: self.now(),
            withdrawn_at: None,
        };
        let (consent, new) = self.repo.insert_remitter_consent(&c).await?;
        Ok((
            HeldConsent {
                consent,
                term_type: term.term_type,
            },
            new,
        ))
    }

    /// U7: the remitter's consents this agency recorded, oldest first.
    pub async fn consents(&self, agency: &Agency, user_id: &str) -> OrisResult<Vec<HeldConsent>> {
        self.remitter(user_id).await?;
        let terms = self.repo.terms().await?;
        let held = self
            .repo
            .remitter_consents(user_id, &agency.agency_id)
            .await?;
        Ok(held
            .into_iter()
            .map(|consent| HeldConsent {
                term_type: terms
                    .iter()
                    .find(|t| t.term_id == consent.term_id)
                    .map_or(TermType::ThirdParty, |t| t.term_type),
                consent,
            })
            .collect())
    }

    /// U8: withdraw one. Another remitter's consent is CONSENT_NOT_MATCH;
    /// another agency's is not visible (CONSENT_NOT_FOUND). A withdrawn one
    /// withdrawn again is the same answer.
    pub async fn withdraw_consent(
        &self,
        agency: &Agency,
        user_id: &str,
        consent_id: &str,
    ) -> OrisResult<()> {
        self.remitter(user_id).await?;
        let c = self
            .repo
            .remitter_consent(consent_id)
            .await?
            .filter(|c| c.agency_id == agency.agency_id)
            .ok_or(Refusal::ConsentNotFound)?;
        if c.user_id != user_id {
            return Err(Refusal::ConsentNotMatch);
        }
        Ok(self
            .repo
            .withdraw_remitter_consent(consent_id, self.now())
            .await?)
    }

    /// The gate of U3–U5: the remitter's live consent, recorded by this
    /// agency, to the 개인정보제3자제공 term in force now.
    pub async fn consented(&self, agency: &Agency, user_id: &str) -> OrisResult<()> {
        let terms = self.repo.terms().await?;
        let Some(term) = current(&terms, TermType::ThirdParty, self.now()) else {
            return Ok(());
        };
        let held = self
            .repo
            .remitter_consents(user_id, &agency.agency_id)
            .await?;
        if held
            .iter()
            .any(|c| c.term_id == term.term_id && c.withdrawn_at.is_none())
        {
            Ok(())
        } else {
            Err(Refusal::ConsentRequired(TermType::ThirdParty))
        }
    }
}

//! The terms catalogue (konaplate-sandbox.md §3, ids as the portal's clients
//! send them), U8 (the list, with a member's agreements) and U9 (optional
//! terms agreed or withdrawn).

use super::super::ids::UserId;
use super::super::refusal::{KonaResult, Refusal};
use super::super::Kona;
use super::Agreement;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Required {
    Mandatory,
    Optional,
}

impl Required {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mandatory => "MANDATORY",
            Self::Optional => "OPTIONAL",
        }
    }
}

/// One term of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    pub tc_id: u64,
    pub action_type: Option<&'static str>,
    pub title: &'static str,
    pub url: &'static str,
    pub required: Required,
}

impl Term {
    /// Where the app shows it (`viewPositionType`).
    pub fn view_position(&self) -> &'static str {
        match self.action_type {
            Some("OPEN_BANK") | Some("OPEN_BANK_SPECIFIC") => "OPEN_BANK",
            _ => "JOIN",
        }
    }
}

const fn term(
    tc_id: u64,
    action_type: Option<&'static str>,
    title: &'static str,
    url: &'static str,
    required: Required,
) -> Term {
    Term {
        tc_id,
        action_type,
        title,
        url,
        required,
    }
}

use Required::{Mandatory, Optional};

/// Every project's terms, in display order.
pub const TERMS: &[Term] = &[
    term(
        29184,
        Some("PY"),
        "개인정보 수집 및 이용 동의",
        "https://www.konaplate.com/terms/29184",
        Mandatory,
    ),
    term(
        29186,
        None,
        "전자금융거래 이용약관",
        "https://www.konaplate.com/terms/29186",
        Mandatory,
    ),
    term(
        29187,
        None,
        "선불전자지급수단 이용약관",
        "https://www.konaplate.com/terms/29187",
        Mandatory,
    ),
    term(
        29188,
        Some("OPEN_BANK"),
        "오픈뱅킹 서비스 이용약관",
        "https://www.konaplate.com/terms/29188",
        Mandatory,
    ),
    term(
        601151,
        Some("MKT_NOTI"),
        "마케팅 정보 수신 동의",
        "https://www.konaplate.com/terms/601151",
        Optional,
    ),
    term(
        601152,
        Some("OPEN_BANK_SPECIFIC"),
        "오픈뱅킹 개인정보 제3자 제공 동의",
        "https://www.konaplate.com/terms/601152",
        Optional,
    ),
    term(
        604150,
        Some("DEDUCT"),
        "소득공제 자동 신청 동의",
        "https://www.konaplate.com/terms/604150",
        Optional,
    ),
    term(
        606153,
        Some("COUPON_SHOP"),
        "쿠폰샵 이용 동의",
        "https://www.konaplate.com/terms/606153",
        Optional,
    ),
];

/// The term of this id (`001_079` when there is none).
pub fn term_of(tc_id: u64) -> KonaResult<&'static Term> {
    TERMS
        .iter()
        .find(|t| t.tc_id == tc_id)
        .ok_or(Refusal::TermsInvalid)
}

/// The terms a registration agrees to: every id known (`001_079`), every
/// MANDATORY term among them (`000_003 tcIdList`).
pub fn check_registration_terms(tc_ids: &[u64]) -> KonaResult<()> {
    for id in tc_ids {
        term_of(*id)?;
    }
    let all_mandatory = (TERMS.iter())
        .filter(|t| t.required == Mandatory)
        .all(|t| tc_ids.contains(&t.tc_id));
    if !all_mandatory {
        return Err(Refusal::missing("tcIdList"));
    }
    Ok(())
}

impl Kona {
    /// U8: the catalogue, each term with the member's agreement when a
    /// member is named.
    pub async fn terms(
        &self,
        project_id: &str,
        user_id: Option<UserId>,
    ) -> KonaResult<Vec<(&'static Term, Option<Agreement>)>> {
        let agreed = match user_id {
            Some(u) => {
                self.member(project_id, u).await?;
                self.repo.agreements(project_id, u).await?
            }
            None => Vec::new(),
        };
        Ok((TERMS.iter())
            .map(|t| (t, agreed.iter().find(|a| a.tc_id == t.tc_id).cloned()))
            .collect())
    }

    /// U9: agree to (true) or withdraw (false) each listed term. A MANDATORY
    /// term cannot be withdrawn (`001_081`); nothing changes on a refusal.
    pub async fn update_terms(
        &self,
        project_id: &str,
        user_id: UserId,
        items: &[(u64, bool)],
    ) -> KonaResult<()> {
        self.member(project_id, user_id).await?;
        let now = self.world.clock.now();
        let (mut agree, mut withdraw) = (Vec::new(), Vec::new());
        for &(tc_id, yes) in items {
            let t = term_of(tc_id)?;
            match (yes, t.required) {
                (true, _) => agree.push(Agreement {
                    tc_id,
                    agreed_at: now,
                }),
                (false, Mandatory) => return Err(Refusal::MandatoryTerms),
                (false, Optional) => withdraw.push(tc_id),
            }
        }
        (self.repo)
            .set_agreements(project_id, user_id, &agree, &withdraw)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_needs_every_mandatory_term_and_known_ids() {
        assert!(check_registration_terms(&[29184, 29186, 29187, 29188]).is_ok());
        assert!(matches!(
            check_registration_terms(&[29184, 29186, 29187]),
            Err(Refusal::Missing(f)) if f == "tcIdList"
        ));
        assert!(matches!(
            check_registration_terms(&[29184, 29186, 29187, 29188, 1]),
            Err(Refusal::TermsInvalid)
        ));
    }
}

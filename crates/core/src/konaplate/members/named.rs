//! L1–L3: a card becomes named (it may then hold `NAMED_MAX_MINOR`) when
//! its member's registered bank account is their own; a corporate card's
//! identification is requested (L2) and read back (L3).

use super::super::cards::{Card, CardStatus};
use super::super::ids::UserId;
use super::super::project::service;
use super::super::refusal::{KonaResult, Refusal};
use super::super::Kona;
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CorpStatus {
    Requested,
    Approved,
    Rejected,
}

impl CorpStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Requested => "REQUESTED",
            Self::Approved => "APPROVED",
            Self::Rejected => "REJECTED",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Requested, Self::Approved, Self::Rejected]
            .into_iter()
            .find(|c| c.as_str() == s)
    }
}

/// A corporate card's identification request (one per card; a new one
/// replaces it).
#[derive(Debug, Clone)]
pub struct CorpRequest {
    pub project_id: String,
    pub par: String,
    pub user_id: UserId,
    pub corporation_name: String,
    /// 10 digits.
    pub biz_license_no: String,
    pub registration_number: String,
    pub status: CorpStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What L2 asks, checked at the edge.
#[derive(Debug, Clone)]
pub struct CorpApplication {
    pub corporation_name: String,
    pub biz_license_no: String,
    pub registration_number: String,
}

impl Kona {
    /// The member's live card of this PAR: unknown or another's `003_021`,
    /// terminated `003_022`.
    async fn live_card(&self, project_id: &str, user_id: UserId, par: &str) -> KonaResult<Card> {
        self.member(project_id, user_id).await?;
        let card = self.card_of(project_id, user_id, par).await?;
        if card.status == CardStatus::Terminated {
            return Err(Refusal::CardTerminated);
        }
        Ok(card)
    }

    /// L1: the card is named when the member's registered account is held
    /// by the member's person (`002_020` otherwise); its cap follows in the
    /// card's terms.
    pub async fn name_card(
        &self,
        project_id: &str,
        user_id: UserId,
        par: &str,
    ) -> KonaResult<Card> {
        let mut card = self.live_card(project_id, user_id, par).await?;
        let m = self.member(project_id, user_id).await?;
        let acc =
            (self.registered_account(project_id, user_id).await?).ok_or(Refusal::HolderMismatch)?;
        let holder = self.world.account(&acc.account_id).await?.person_id;
        let person = self.world.repo.person(&m.person_id).await?;
        if person.is_none() || holder.as_deref() != Some(m.person_id.as_str()) {
            return Err(Refusal::HolderMismatch);
        }
        if !card.is_named {
            card.is_named = true;
            self.repo.update_card(&card).await?;
            let svc = service(&card.service_id).ok_or_else(|| Refusal::invalid("serviceId"))?;
            self.put_card_terms(&card, svc, self.world.clock.now())
                .await?;
        }
        Ok(card)
    }

    /// L2: the request is kept as `REQUESTED`.
    pub async fn request_corp_identification(
        &self,
        project_id: &str,
        user_id: UserId,
        par: &str,
        a: CorpApplication,
    ) -> KonaResult<CorpRequest> {
        let card = self.live_card(project_id, user_id, par).await?;
        let now = self.world.clock.now();
        let r = CorpRequest {
            project_id: project_id.to_owned(),
            par: card.par.as_str().to_owned(),
            user_id,
            corporation_name: a.corporation_name,
            biz_license_no: a.biz_license_no,
            registration_number: a.registration_number,
            status: CorpStatus::Requested,
            created_at: now,
            updated_at: now,
        };
        self.repo.put_corp_request(&r).await?;
        Ok(r)
    }

    /// L3: the card's request (`003_021` when the card has none in the
    /// project).
    pub async fn corp_identification(
        &self,
        project_id: &str,
        par: &str,
    ) -> KonaResult<CorpRequest> {
        (self.repo.corp_request(project_id, par).await?).ok_or(Refusal::ParNotFound)
    }
}

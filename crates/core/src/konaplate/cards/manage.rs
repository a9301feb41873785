//! A card's life after issue (C8–C15, C17, C18): search, state, discard,
//! limits, tax deduction, main card and the fixed virtual account.

use super::applications::{today, Deduction, PhysicalData, PreIssued, VirtualAccount};
use super::{Card, CardStatus, Limits};
use crate::konaplate::ids::{CardNo, Par, UserId};
use crate::konaplate::{Kona, KonaResult, Refusal};
use crate::CoreError;

/// The DEDUCT term (U8) a tax-deduction application needs.
pub const DEDUCT_TERM: u64 = 604_150;

/// The bank that holds the cards' virtual accounts (Shinhan).
pub const VIRTUAL_BANK: &str = "088";

/// How C10 names a card: by PAR or by number.
#[derive(Debug, Clone, Copy)]
pub enum CardRef<'a> {
    Par(&'a Par),
    No(&'a CardNo),
}

/// What C9 finds for card data.
#[derive(Debug, Clone)]
pub enum Found {
    /// A plastic card nobody registered yet.
    PreIssued(PreIssued),
    /// A registered card, with its balance.
    Card(Card, i64),
}

/// A virtual account number derived from the PAR: stable per card.
fn virtual_no(par: &Par) -> String {
    use sha2::{Digest, Sha256};
    let d = Sha256::digest(par.as_str().as_bytes());
    let digits: String = d
        .iter()
        .map(|b| char::from(b'0' + b % 10))
        .take(10)
        .collect();
    format!("5620{digits}")
}

/// The card unless terminated (`003_022`).
fn live(card: Card) -> KonaResult<Card> {
    if card.status == CardStatus::Terminated {
        return Err(Refusal::CardTerminated);
    }
    Ok(card)
}

impl Kona {
    /// C8: the member's cards that are not terminated, with their balances;
    /// `par` or `physical` narrow the list to one card.
    pub async fn list_cards(
        &self,
        project_id: &str,
        user_id: UserId,
        par: Option<&Par>,
        physical: Option<&CardNo>,
    ) -> KonaResult<Vec<(Card, i64)>> {
        self.member(project_id, user_id).await?;
        let mut out = Vec::new();
        for c in self.repo.cards_of(project_id, user_id).await? {
            let keep = c.status != CardStatus::Terminated
                && par.is_none_or(|p| *p == c.par)
                && physical.is_none_or(|n| c.physical_card_no.as_ref() == Some(n));
            if keep {
                let balance = self.balance_minor(&c).await?;
                out.push((c, balance));
            }
        }
        Ok(out)
    }

    /// C9: a card by its printed data: a pre-issued card not yet registered,
    /// or a registered one; `003_001` when the data do not match.
    pub async fn card_by_data(&self, project_id: &str, data: &PhysicalData) -> KonaResult<Found> {
        let no = data.card_no.as_str();
        let pre = self.repo.pre_issued(project_id, no).await?;
        if let Some(p) = pre.filter(|p| p.claimed_by.is_none()) {
            if p.expiry == data.expiry && p.cvc == data.cvc {
                return Ok(Found::PreIssued(p));
            }
            return Err(Refusal::CardInfo);
        }
        let card = (self.repo.card_by_number(project_id, no).await?).ok_or(Refusal::CardInfo)?;
        let cvc = if card.physical_card_no.as_ref() == Some(&data.card_no) {
            card.physical_cvc.as_deref()
        } else {
            card.mobile_cvc.as_deref()
        };
        if card.expiry_yymm() != data.expiry || cvc != Some(data.cvc.as_str()) {
            return Err(Refusal::CardInfo);
        }
        let balance = self.balance_minor(&card).await?;
        Ok(Found::Card(card, balance))
    }

    /// C15: the card a number stands for in the project, with its balance;
    /// None when it is nobody's here.
    pub async fn card_user(
        &self,
        project_id: &str,
        no: &CardNo,
    ) -> KonaResult<Option<(Card, i64)>> {
        let Some(card) = self.repo.card_by_number(project_id, no.as_str()).await? else {
            return Ok(None);
        };
        let balance = self.balance_minor(&card).await?;
        Ok(Some((card, balance)))
    }

    async fn card_by_ref(
        &self,
        project_id: &str,
        user_id: UserId,
        r: CardRef<'_>,
    ) -> KonaResult<Card> {
        match r {
            CardRef::Par(p) => self.card_of(project_id, user_id, p.as_str()).await,
            CardRef::No(n) => (self.repo.card_by_number(project_id, n.as_str()).await?)
                .filter(|c| c.user_id == user_id)
                .ok_or(Refusal::CardInfo),
        }
    }

    /// C10: SUSPEND (lost, stopped) or RESUME; a terminated card stays so.
    pub async fn set_card_status(
        &self,
        project_id: &str,
        user_id: UserId,
        r: CardRef<'_>,
        suspend: bool,
    ) -> KonaResult<Card> {
        self.member(project_id, user_id).await?;
        let card = live(self.card_by_ref(project_id, user_id, r).await?)?;
        let status = if suspend {
            CardStatus::Suspended
        } else {
            CardStatus::Active
        };
        let card = Card { status, ..card };
        self.repo.update_card(&card).await?;
        Ok(card)
    }

    /// C11: discard a card. Never the basic card, nor one holding money. A
    /// main card takes the member's other cards (its sub cards) with it,
    /// the basic card excepted, and each must be empty too.
    pub async fn terminate_card(
        &self,
        project_id: &str,
        user_id: UserId,
        par: &Par,
    ) -> KonaResult<Card> {
        self.member(project_id, user_id).await?;
        let card = live(self.card_of(project_id, user_id, par.as_str()).await?)?;
        if card.is_basic {
            return Err(Refusal::BasicCard);
        }
        let mut gone = vec![card.clone()];
        if card.is_main {
            let subs = (self.repo.cards_of(project_id, user_id).await?)
                .into_iter()
                .filter(|c| c.par != card.par && !c.is_basic && c.status != CardStatus::Terminated);
            gone.extend(subs);
        }
        for c in &gone {
            if self.balance_minor(c).await? != 0 {
                return Err(Refusal::CardHasBalance);
            }
        }
        for c in gone {
            let c = Card {
                status: CardStatus::Terminated,
                is_main: false,
                ..c
            };
            self.repo.update_card(&c).await?;
        }
        Ok(Card {
            status: CardStatus::Terminated,
            is_main: false,
            ..card
        })
    }

    /// C12: the card's payment limits (0 = none); payments enforce them.
    pub async fn set_card_limits(
        &self,
        project_id: &str,
        user_id: UserId,
        par: &Par,
        limits: Limits,
    ) -> KonaResult<Card> {
        self.member(project_id, user_id).await?;
        let card = live(self.card_of(project_id, user_id, par.as_str()).await?)?;
        let card = Card { limits, ..card };
        self.repo.update_card(&card).await?;
        Ok(card)
    }

    /// C13: apply for the income-tax deduction of a card; the member must
    /// have agreed to the DEDUCT term. The first application stands.
    pub async fn apply_deduction(
        &self,
        project_id: &str,
        user_id: UserId,
        par: &Par,
    ) -> KonaResult<Deduction> {
        self.member(project_id, user_id).await?;
        live(self.card_of(project_id, user_id, par.as_str()).await?)?;
        let agreed = (self.repo.agreements(project_id, user_id).await?)
            .iter()
            .any(|a| a.tc_id == DEDUCT_TERM);
        if !agreed {
            return Err(Refusal::TermsInvalid);
        }
        let d = Deduction {
            project_id: project_id.to_owned(),
            par: par.clone(),
            user_id,
            deduction_date: today(self).format("%Y%m%d").to_string(),
            created_at: self.world.clock.now(),
        };
        self.repo.insert_deduction(&d).await?;
        (self.repo.deduction(project_id, par.as_str()).await?)
            .ok_or_else(|| CoreError::Internal("a stored deduction is gone".into()).into())
    }

    /// C14: a card's deduction application, if any (`003_021` for a PAR the
    /// project does not know).
    pub async fn deduction_of(&self, project_id: &str, par: &Par) -> KonaResult<Option<Deduction>> {
        (self.repo.card(project_id, par.as_str()).await?).ok_or(Refusal::ParNotFound)?;
        Ok(self.repo.deduction(project_id, par.as_str()).await?)
    }

    /// C17: the member's one main card.
    pub async fn set_main(&self, project_id: &str, user_id: UserId, par: &Par) -> KonaResult<Card> {
        self.member(project_id, user_id).await?;
        let card = live(self.card_of(project_id, user_id, par.as_str()).await?)?;
        self.repo
            .set_main_card(project_id, user_id, par.as_str())
            .await?;
        Ok(Card {
            is_main: true,
            ..card
        })
    }

    /// C18: the card's fixed virtual account, made on first inquiry.
    pub async fn card_virtual_account(
        &self,
        project_id: &str,
        no: &CardNo,
    ) -> KonaResult<VirtualAccount> {
        let card =
            (self.repo.card_by_number(project_id, no.as_str()).await?).ok_or(Refusal::CardInfo)?;
        let card = live(card)?;
        if let Some(v) = self
            .repo
            .virtual_account(project_id, card.par.as_str())
            .await?
        {
            return Ok(v);
        }
        let v = VirtualAccount {
            project_id: project_id.to_owned(),
            account_no: virtual_no(&card.par),
            par: card.par,
            bank_code: VIRTUAL_BANK.to_owned(),
            created_at: self.world.clock.now(),
        };
        self.repo.insert_virtual_account(&v).await?;
        (self
            .repo
            .virtual_account(project_id, v.par.as_str())
            .await?)
            .ok_or_else(|| CoreError::Internal("a stored virtual account is gone".into()).into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn virtual_numbers_are_digits_and_stable_per_par() {
        let p = Par::generate();
        assert_eq!(virtual_no(&p), virtual_no(&p));
        assert_eq!(virtual_no(&p).len(), 14);
        assert!(virtual_no(&p).bytes().all(|b| b.is_ascii_digit()));
    }
}

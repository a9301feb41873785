//! Cards (C1–C18, L1–L3): each card's balance is a Prepaid account of the
//! world at the platform, so charges and payments are ledger entries the
//! other faces read. A card is known by its PAR; its mobile and physical
//! numbers stand for the same balance.

use super::ids::{CardApplyNo, CardNo, Par, ServiceId, UserId};
use super::project::Service;
use super::refusal::{KonaResult, Refusal};
use super::Kona;
use crate::account::AccountKind;
use crate::ledger::Limit;
use crate::money::Currency;
use crate::payments::RuleId;
use crate::product::{EfinPrepaidTerms, ProductRecord, ProductTerms};
use crate::world::OpenAccount;
use crate::CoreResult;
use async_trait::async_trait;
use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};

pub mod applications;
pub mod manage;

pub use applications::{
    Application, ApplyStatus, Deduction, Delivery, IssueType, PhysicalData, PreIssued,
    VirtualAccount,
};

/// What an unnamed card may hold, and a named one.
pub const UNNAMED_MAX_MINOR: i64 = 500_000;
pub const NAMED_MAX_MINOR: i64 = 2_000_000;

/// The rule id a refused cap carries back from the ledger.
pub const CAP_RULE: RuleId = RuleId(1);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardStatus {
    Active,
    Suspended,
    Terminated,
}

impl CardStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "ACTIVE",
            Self::Suspended => "SUSPENDED",
            Self::Terminated => "TERMINATED",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Active, Self::Suspended, Self::Terminated]
            .into_iter()
            .find(|m| m.as_str() == s)
    }
}

/// Per-payment limits (C12); 0 = none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Limits {
    pub once: i64,
    pub day: i64,
    pub month: i64,
}

#[derive(Debug, Clone)]
pub struct Card {
    pub par: Par,
    pub project_id: String,
    pub user_id: UserId,
    /// The card's balance in the world.
    pub account_id: String,
    pub service_id: ServiceId,
    pub mobile_card_no: Option<CardNo>,
    pub mobile_cvc: Option<String>,
    pub physical_card_no: Option<CardNo>,
    pub physical_cvc: Option<String>,
    /// Last day of validity.
    pub expiry: NaiveDate,
    pub status: CardStatus,
    /// Issued at registration; cannot be discarded.
    pub is_basic: bool,
    pub is_main: bool,
    /// Real-name registered (L1): may hold `NAMED_MAX_MINOR`.
    pub is_named: bool,
    pub limits: Limits,
    /// The application it came from (C1, C3, C4).
    pub card_apply_no: Option<CardApplyNo>,
    pub created_at: DateTime<Utc>,
}

impl Card {
    /// What the card may hold.
    pub fn max_balance_minor(&self) -> i64 {
        if self.is_named {
            NAMED_MAX_MINOR
        } else {
            UNNAMED_MAX_MINOR
        }
    }
    /// YYMMDD, as registration answers it.
    pub fn expiry_yymmdd(&self) -> String {
        self.expiry.format("%y%m%d").to_string()
    }
    /// YYMM, as card data is checked.
    pub fn expiry_yymm(&self) -> String {
        self.expiry.format("%y%m").to_string()
    }
}

#[async_trait]
pub trait CardRepo: Send + Sync {
    async fn insert_card(&self, c: &Card) -> CoreResult<()>;
    async fn card(&self, project_id: &str, par: &str) -> CoreResult<Option<Card>>;
    /// By its mobile or its physical number.
    async fn card_by_number(&self, project_id: &str, card_no: &str) -> CoreResult<Option<Card>>;
    /// The card whose prepaid account this is (recovery reads a movement's
    /// card off its ledger entry).
    async fn card_by_account(&self, project_id: &str, account_id: &str)
        -> CoreResult<Option<Card>>;
    /// Every card of the member, terminated ones too, oldest first.
    async fn cards_of(&self, project_id: &str, user_id: UserId) -> CoreResult<Vec<Card>>;
    /// Write every field but the ids back.
    async fn update_card(&self, c: &Card) -> CoreResult<()>;
    /// Make `par` the member's one main card (the others lose the mark).
    async fn set_main_card(&self, project_id: &str, user_id: UserId, par: &str) -> CoreResult<()>;

    async fn insert_application(&self, a: &Application) -> CoreResult<()>;
    async fn application(&self, project_id: &str, no: &str) -> CoreResult<Option<Application>>;
    /// The member's applications, oldest first.
    async fn applications_of(
        &self,
        project_id: &str,
        user_id: UserId,
    ) -> CoreResult<Vec<Application>>;
    async fn update_application(&self, a: &Application) -> CoreResult<()>;

    async fn insert_pre_issued(&self, p: &PreIssued) -> CoreResult<()>;
    async fn pre_issued(&self, project_id: &str, card_no: &str) -> CoreResult<Option<PreIssued>>;
    /// False when another member claimed it first (the update decides).
    async fn claim_pre_issued(
        &self,
        project_id: &str,
        card_no: &str,
        user_id: UserId,
    ) -> CoreResult<bool>;

    /// Keeps the first application of a card.
    async fn insert_deduction(&self, d: &Deduction) -> CoreResult<()>;
    async fn deduction(&self, project_id: &str, par: &str) -> CoreResult<Option<Deduction>>;

    /// Keeps the first account of a card.
    async fn insert_virtual_account(&self, v: &VirtualAccount) -> CoreResult<()>;
    async fn virtual_account(
        &self,
        project_id: &str,
        par: &str,
    ) -> CoreResult<Option<VirtualAccount>>;
}

/// What a new card is.
#[derive(Debug, Clone)]
pub struct NewCard<'a> {
    pub project_id: &'a str,
    pub user_id: UserId,
    pub person_id: &'a str,
    pub service: &'a Service,
    pub is_basic: bool,
    pub card_apply_no: Option<CardApplyNo>,
    /// The physical card it is (C7 without an application); None: a mobile card.
    pub physical: Option<(CardNo, String, NaiveDate)>,
}

/// The counter that follows a card's balance in the ledger, so its cap is
/// checked in the same transaction as the movement: two charges at once
/// cannot both pass. Every movement of a card's account carries it, with
/// the card's signed amount; `max` is the cap for money coming in and
/// unbounded for money going out.
pub fn held(account_id: &str, delta_minor: i64, max_minor: Option<i64>) -> Limit {
    Limit {
        counter: format!("kona:held:{account_id}"),
        period: "all".into(),
        amount_minor: delta_minor,
        max_minor: max_minor.unwrap_or(i64::MAX),
        code: CAP_RULE.tag(),
    }
}

impl Kona {
    /// Issue a card: a fresh Prepaid account at the platform (its terms as an
    /// e-finance instrument, so MyData reads it), and the card record.
    pub async fn issue_card(&self, n: NewCard<'_>) -> KonaResult<Card> {
        self.issue_card_as(n, Par::generate()).await
    }

    /// Issue a card under a PAR chosen before (a pre-issued card keeps its own).
    pub async fn issue_card_as(&self, n: NewCard<'_>, par: Par) -> KonaResult<Card> {
        let now = self.world.clock.now();
        let expiry = card_expiry(now.with_timezone(&crate::clock::kst()).date_naive());
        let mobile_no = CardNo::generate();
        let account = (self.world)
            .open_account(OpenAccount {
                org_code: self.platform_org(),
                person_id: n.person_id.to_owned(),
                kind: AccountKind::Prepaid,
                product_name: Some(n.service.service_name.to_owned()),
                currency: Currency::KRW,
                opening_balance_minor: 0,
                floor_minor: 0,
                account_num: Some(mobile_no.as_str().to_owned()),
            })
            .await?;
        let service_id =
            ServiceId::parse(n.service.service_id).map_err(|_| Refusal::invalid("serviceId"))?;
        let (physical_card_no, physical_cvc, expiry) = match n.physical {
            Some((no, cvc, exp)) => (Some(no), Some(cvc), exp),
            None => (None, None, expiry),
        };
        let card = Card {
            par,
            project_id: n.project_id.to_owned(),
            user_id: n.user_id,
            account_id: account.account_id.clone(),
            service_id,
            mobile_card_no: Some(mobile_no),
            mobile_cvc: Some(super::ids::digits_of(3)),
            physical_card_no,
            physical_cvc,
            expiry,
            status: CardStatus::Active,
            is_basic: n.is_basic,
            is_main: false,
            is_named: false,
            limits: Limits::default(),
            card_apply_no: n.card_apply_no,
            created_at: now,
        };
        self.put_card_terms(&card, n.service, now).await?;
        self.repo.insert_card(&card).await?;
        Ok(card)
    }

    /// The card's terms as an e-finance prepaid instrument.
    pub async fn put_card_terms(
        &self,
        card: &Card,
        service: &Service,
        now: DateTime<Utc>,
    ) -> KonaResult<()> {
        let rec = ProductRecord {
            account_id: card.account_id.clone(),
            terms: ProductTerms::EfinPrepaid(EfinPrepaidTerms {
                fob_id: card.par.as_str().to_owned(),
                fob_name: service.service_name.to_owned(),
                reg_date: card
                    .created_at
                    .with_timezone(&crate::clock::kst())
                    .date_naive(),
                limit_minor: card.max_balance_minor(),
                withdrawable: card.is_named,
                reserve_minor: 0,
                reserve_due_minor: 0,
                exp_due_minor: 0,
                auto_charge: Vec::new(),
            }),
            updated_at: now,
        };
        self.repo.put_terms(&rec).await?;
        Ok(())
    }

    /// The member's card of this PAR (`003_021` when it is not theirs).
    pub async fn card_of(&self, project_id: &str, user_id: UserId, par: &str) -> KonaResult<Card> {
        (self.repo.card(project_id, par).await?)
            .filter(|c| c.user_id == user_id)
            .ok_or(Refusal::ParNotFound)
    }

    /// A card's balance, from its account.
    pub async fn balance_minor(&self, card: &Card) -> KonaResult<i64> {
        Ok(self.world.account(&card.account_id).await?.balance_minor)
    }
}

/// Cards are valid for five years, to the end of the month.
pub fn card_expiry(today: NaiveDate) -> NaiveDate {
    let first = today.with_day(1).unwrap_or(today);
    (first + Months::new(61)).pred_opt().unwrap_or(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_is_the_end_of_a_month_five_years_on() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(
            card_expiry(d),
            NaiveDate::from_ymd_opt(2031, 12, 31).unwrap()
        );
    }

    #[test]
    fn the_held_counter_caps_money_in_only() {
        assert_eq!(held("a", 10, Some(500)).max_minor, 500);
        assert_eq!(held("a", -10, None).max_minor, i64::MAX);
        assert_eq!(
            RuleId::of(&crate::ledger::Rejection::LimitExceeded {
                code: held("a", 1, Some(1)).code,
                remaining_minor: 0
            }),
            Some(CAP_RULE)
        );
    }
}

//! Card applications (C1–C7, P1): every application issues its mobile card
//! at once; a product that needs delivery also follows the courier
//! (`READY → … → ARRIVAL`, moved by the sandbox), and the plastic card it
//! brings is linked to the mobile card (C7), so the pair is one PAR.

use super::{card_expiry, held, Card, CardStatus, NewCard};
use crate::konaplate::ids::{digits_of, CardApplyNo, CardNo, Par, ServiceId, UserId};
use crate::konaplate::members::{Address, Member};
use crate::konaplate::project::{self, Service};
use crate::konaplate::{Kona, KonaResult, Refusal, PLATFORM_NAME};
use crate::ledger::{EntryKind, Leg, Rejection, TransferRequest};
use crate::money::Currency;
use crate::CoreError;
use chrono::{DateTime, Months, NaiveDate, Utc};

/// Where a delivery is. The first five are the courier's way, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Ready,
    Receipt,
    PreShipping,
    Shipping,
    Arrival,
    Lost,
    Return,
    Cancel,
}

const DELIVERIES: [(Delivery, &str); 8] = [
    (Delivery::Ready, "READY"),
    (Delivery::Receipt, "RECEIPT"),
    (Delivery::PreShipping, "PRE_SHIPPING"),
    (Delivery::Shipping, "SHIPPING"),
    (Delivery::Arrival, "ARRIVAL"),
    (Delivery::Lost, "LOST"),
    (Delivery::Return, "RETURN"),
    (Delivery::Cancel, "CANCEL"),
];

impl Delivery {
    pub fn as_str(self) -> &'static str {
        DELIVERIES
            .iter()
            .find(|(d, _)| *d == self)
            .map_or("ETC", |(_, s)| s)
    }
    pub fn parse(s: &str) -> Option<Self> {
        DELIVERIES.iter().find(|(_, w)| *w == s).map(|(d, _)| *d)
    }
    /// The place along the courier's way; None off it.
    pub fn step(self) -> Option<u8> {
        match self {
            Self::Ready => Some(0),
            Self::Receipt => Some(1),
            Self::PreShipping => Some(2),
            Self::Shipping => Some(3),
            Self::Arrival => Some(4),
            _ => None,
        }
    }
    /// Forward along the way (skipping ahead allowed), or off it to LOST or
    /// RETURN before arrival. Nothing leaves LOST, RETURN or CANCEL.
    pub fn can_move_to(self, to: Delivery) -> bool {
        match (self.step(), to.step()) {
            (Some(a), Some(b)) => b > a,
            (Some(a), None) => a < 4 && matches!(to, Self::Lost | Self::Return),
            _ => false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplyStatus {
    /// The mobile card is issued; a physical card may follow.
    DigitalIssued,
    PhysicalRegistered,
    Canceled,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueType {
    Issue,
    /// A replacement (C3) or a renewal (C4).
    Reissue,
}

words!(ApplyStatus { DigitalIssued = "DIGITAL_ISSUED", PhysicalRegistered = "PHYSICAL_REGISTERED",
    Canceled = "CANCELED" });
words!(IssueType { Issue = "ISSUE", Reissue = "REISSUE" });

/// A plastic card's data as printed on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhysicalData {
    pub card_no: CardNo,
    /// YYMM.
    pub expiry: String,
    pub cvc: String,
}

#[derive(Debug, Clone)]
pub struct Application {
    pub card_apply_no: CardApplyNo,
    pub project_id: String,
    pub user_id: UserId,
    pub service_id: ServiceId,
    pub issue_type: IssueType,
    /// The mobile card it issued.
    pub par: Par,
    pub status: ApplyStatus,
    /// None for a mobile product.
    pub delivery: Option<Delivery>,
    pub address: Option<Address>,
    /// The plastic card the courier carries, from SHIPPING on.
    pub physical: Option<PhysicalData>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A plastic card sold unregistered (the portal's test cards).
#[derive(Debug, Clone)]
pub struct PreIssued {
    pub card_no: CardNo,
    pub project_id: String,
    /// The PAR the card keeps once registered.
    pub par: Par,
    pub service_id: ServiceId,
    /// YYMM.
    pub expiry: String,
    pub cvc: String,
    pub claimed_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
}

/// An income-tax deduction application of a card (C13).
#[derive(Debug, Clone)]
pub struct Deduction {
    pub project_id: String,
    pub par: Par,
    pub user_id: UserId,
    /// yyyyMMdd (KST), the day it starts.
    pub deduction_date: String,
    pub created_at: DateTime<Utc>,
}

/// A card's fixed virtual account (C18).
#[derive(Debug, Clone)]
pub struct VirtualAccount {
    pub project_id: String,
    pub par: Par,
    pub account_no: String,
    pub bank_code: String,
    pub created_at: DateTime<Utc>,
}

/// What C1, C3 and C4 ask for, parsed at the edge.
#[derive(Debug, Clone)]
pub struct Apply<'a> {
    pub project_id: &'a str,
    pub user_id: UserId,
    /// Required for C1; C3 and C4 default to the old card's product.
    pub service_id: Option<ServiceId>,
    pub is_delivery_required: bool,
    pub address: Option<Address>,
}

/// The product of this id (every project holds the same ones).
fn product(id: &ServiceId) -> KonaResult<&'static Service> {
    project::service(id).ok_or_else(|| Refusal::invalid("serviceId"))
}

/// A delivery product needs the delivery asked for and an address.
fn delivery_of(a: &Apply<'_>, s: &Service) -> KonaResult<Option<Delivery>> {
    if !s.is_delivery_required {
        return Ok(None);
    }
    if a.is_delivery_required && a.address.is_some() {
        Ok(Some(Delivery::Ready))
    } else {
        Err(Refusal::DeliveryRequired)
    }
}

/// The world's date in KST: same-day rules and expiries are KST dates.
pub(crate) fn today(k: &Kona) -> NaiveDate {
    k.world.clock.now_kst().date_naive()
}

/// The last day of a YYMM month.
pub fn end_of_yymm(yymm: &str) -> Option<NaiveDate> {
    if yymm.len() != 4 || !yymm.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (y, m) = (yymm[..2].parse::<i32>().ok()?, yymm[2..].parse().ok()?);
    let first = NaiveDate::from_ymd_opt(2000 + y, m, 1)?;
    (first + Months::new(1)).pred_opt()
}

/// A fresh plastic card's data: five years, to the end of the month.
fn fresh_physical(k: &Kona) -> PhysicalData {
    PhysicalData {
        card_no: CardNo::generate(),
        expiry: card_expiry(today(k)).format("%y%m").to_string(),
        cvc: digits_of(3),
    }
}

impl Kona {
    /// C1: a card of a product; a delivery product also starts its delivery.
    pub async fn apply_card(&self, a: Apply<'_>) -> KonaResult<(Application, Card)> {
        let member = self.member(a.project_id, a.user_id).await?;
        let id = (a.service_id.as_ref()).ok_or_else(|| Refusal::missing("serviceId"))?;
        let service = product(id)?;
        self.open_application(&a, &member, service, None).await
    }

    /// C3: the replacement of a SUSPENDED card (lost or stopped).
    pub async fn reissue_card(&self, a: Apply<'_>, par: &Par) -> KonaResult<(Application, Card)> {
        let member = self.member(a.project_id, a.user_id).await?;
        let old = self.card_of(a.project_id, a.user_id, par.as_str()).await?;
        if old.status != CardStatus::Suspended {
            return Err(Refusal::NotSuspended);
        }
        self.replace(a, &member, old).await
    }

    /// C4: the renewal of a card within 60 days of its expiry.
    pub async fn renew_card(&self, a: Apply<'_>, par: &Par) -> KonaResult<(Application, Card)> {
        let member = self.member(a.project_id, a.user_id).await?;
        let old = self.card_of(a.project_id, a.user_id, par.as_str()).await?;
        if old.status == CardStatus::Terminated {
            return Err(Refusal::CardTerminated);
        }
        if (old.expiry - today(self)).num_days() > 60 {
            return Err(Refusal::NotRenewable);
        }
        self.replace(a, &member, old).await
    }

    /// A new card in the old one's place: it keeps the old card's marks and
    /// limits, takes its whole balance, and the old card ends.
    async fn replace(
        &self,
        a: Apply<'_>,
        member: &Member,
        old: Card,
    ) -> KonaResult<(Application, Card)> {
        let service = product(a.service_id.as_ref().unwrap_or(&old.service_id))?;
        let (app, new) = self
            .open_application(&a, member, service, Some(&old))
            .await?;
        let new = Card {
            is_named: old.is_named,
            is_main: old.is_main,
            limits: old.limits,
            ..new
        };
        self.repo.update_card(&new).await?;
        if new.is_named {
            self.put_card_terms(&new, service, self.world.clock.now())
                .await?;
        }
        self.move_balance(&old, &new, app.card_apply_no.as_str())
            .await?;
        let old = Card {
            status: CardStatus::Terminated,
            is_main: false,
            ..old
        };
        self.repo.update_card(&old).await?;
        Ok((app, new))
    }

    /// The old card's whole balance to the new one: one ledger movement under
    /// the application's number, each card's cap counter beside it.
    async fn move_balance(&self, old: &Card, new: &Card, key: &str) -> KonaResult<()> {
        let amount = self.balance_minor(old).await?;
        if amount == 0 {
            return Ok(());
        }
        let leg = |c: &Card, amount_minor: i64| Leg {
            account_id: c.account_id.clone(),
            amount_minor,
            currency: Currency::KRW,
            memo: "카드 재발급".into(),
            counterparty: PLATFORM_NAME.into(),
        };
        let req = TransferRequest {
            scope: format!("kona:reissue:{}", old.project_id),
            key: key.to_owned(),
            at: self.world.clock.now(),
            kind: EntryKind::Transfer,
            legs: vec![leg(old, -amount), leg(new, amount)],
            limits: vec![
                held(&old.account_id, -amount, None),
                held(&new.account_id, amount, Some(new.max_balance_minor())),
            ],
            meta: serde_json::Value::Null,
        };
        match self.world.transfer(req).await?.result {
            Ok(_) => Ok(()),
            Err(Rejection::LimitExceeded { .. }) => Err(Refusal::LimitExceeded),
            Err(r) => Err(CoreError::Internal(format!("card balance move refused: {r:?}")).into()),
        }
    }

    /// The application and its mobile card, issued at once.
    async fn open_application(
        &self,
        a: &Apply<'_>,
        member: &Member,
        service: &'static Service,
        old: Option<&Card>,
    ) -> KonaResult<(Application, Card)> {
        let delivery = delivery_of(a, service)?;
        let now = self.world.clock.now();
        let stamp = self
            .world
            .clock
            .now_kst()
            .format("%y%m%d%H%M%S")
            .to_string();
        let no = CardApplyNo::generate(&stamp);
        let card = (self.issue_card(NewCard {
            project_id: a.project_id,
            user_id: a.user_id,
            person_id: &member.person_id,
            service,
            is_basic: old.is_some_and(|o| o.is_basic),
            card_apply_no: Some(no.clone()),
            physical: None,
        }))
        .await?;
        let app = Application {
            card_apply_no: no,
            project_id: a.project_id.to_owned(),
            user_id: a.user_id,
            service_id: card.service_id.clone(),
            issue_type: old.map_or(IssueType::Issue, |_| IssueType::Reissue),
            par: card.par.clone(),
            status: ApplyStatus::DigitalIssued,
            delivery,
            address: delivery.and(a.address.clone()),
            physical: None,
            created_at: now,
            updated_at: now,
        };
        self.repo.insert_application(&app).await?;
        Ok((app, card))
    }

    /// The member's application of this number.
    async fn application_of(
        &self,
        project_id: &str,
        user_id: UserId,
        no: &CardApplyNo,
    ) -> KonaResult<Option<Application>> {
        let app = self.repo.application(project_id, no.as_str()).await?;
        Ok(app.filter(|a| a.user_id == user_id))
    }

    /// C2: only on the application's day (KST) and before PRE_SHIPPING; the
    /// application's mobile card is discarded (it must be empty).
    pub async fn cancel_application(
        &self,
        project_id: &str,
        user_id: UserId,
        no: &CardApplyNo,
    ) -> KonaResult<Card> {
        self.member(project_id, user_id).await?;
        let mut app =
            (self.application_of(project_id, user_id, no).await?).ok_or(Refusal::IssueNotFound)?;
        if app
            .created_at
            .with_timezone(&crate::clock::kst())
            .date_naive()
            != today(self)
        {
            return Err(Refusal::CancelDayPassed);
        }
        let early = (app.delivery).is_none_or(|d| d.step().is_some_and(|s| s < 2));
        if app.status != ApplyStatus::DigitalIssued || !early {
            return Err(Refusal::CancelStatus);
        }
        let card =
            (self.repo.card(project_id, app.par.as_str()).await?).ok_or(Refusal::IssueNotFound)?;
        if self.balance_minor(&card).await? != 0 {
            return Err(Refusal::CardHasBalance);
        }
        let card = Card {
            status: CardStatus::Terminated,
            is_main: false,
            ..card
        };
        self.repo.update_card(&card).await?;
        app.status = ApplyStatus::Canceled;
        app.delivery = app.delivery.map(|_| Delivery::Cancel);
        app.updated_at = self.world.clock.now();
        self.repo.update_application(&app).await?;
        Ok(card)
    }

    /// C5: where the delivery is (`003_001` for an unknown application or
    /// one without a delivery).
    pub async fn delivery_status(
        &self,
        project_id: &str,
        user_id: UserId,
        no: &CardApplyNo,
    ) -> KonaResult<Delivery> {
        self.member(project_id, user_id).await?;
        (self.application_of(project_id, user_id, no).await?)
            .and_then(|a| a.delivery)
            .ok_or(Refusal::CardInfo)
    }

    /// C6: delivery applications whose mobile card is issued, live and not
    /// yet linked to a physical card.
    pub async fn linkable_applications(
        &self,
        project_id: &str,
        user_id: UserId,
    ) -> KonaResult<Vec<(Application, Card)>> {
        self.member(project_id, user_id).await?;
        let mut out = Vec::new();
        for app in self.repo.applications_of(project_id, user_id).await? {
            if app.delivery.is_none() || app.status != ApplyStatus::DigitalIssued {
                continue;
            }
            let card = (self.repo.card(project_id, app.par.as_str()).await?)
                .filter(|c| c.status != CardStatus::Terminated && c.physical_card_no.is_none());
            if let Some(card) = card {
                out.push((app, card));
            }
        }
        Ok(out)
    }

    /// C7: with an application, link the delivered plastic card to its
    /// mobile card; without one, register a pre-issued card of the project
    /// and issue its mobile card. Either way one PAR stands for the pair.
    pub async fn register_physical(
        &self,
        project_id: &str,
        user_id: UserId,
        data: &PhysicalData,
        no: Option<&CardApplyNo>,
    ) -> KonaResult<Card> {
        let member = self.member(project_id, user_id).await?;
        match no {
            Some(no) => self.link_physical(project_id, user_id, data, no).await,
            None => self.register_pre_issued(&member, data).await,
        }
    }

    async fn link_physical(
        &self,
        project_id: &str,
        user_id: UserId,
        data: &PhysicalData,
        no: &CardApplyNo,
    ) -> KonaResult<Card> {
        let mut app =
            (self.application_of(project_id, user_id, no).await?).ok_or(Refusal::IssueNotFound)?;
        let delivered = matches!(app.delivery, Some(Delivery::Shipping | Delivery::Arrival));
        if app.status != ApplyStatus::DigitalIssued || !delivered {
            return Err(Refusal::IssueNotReady);
        }
        let card =
            (self.repo.card(project_id, app.par.as_str()).await?).ok_or(Refusal::IssueNotFound)?;
        if card.status == CardStatus::Terminated {
            return Err(Refusal::DigitalTerminated);
        }
        if app.physical.as_ref() != Some(data) {
            return Err(Refusal::CardInfo);
        }
        let card = Card {
            physical_card_no: Some(data.card_no.clone()),
            physical_cvc: Some(data.cvc.clone()),
            ..card
        };
        self.repo.update_card(&card).await?;
        app.status = ApplyStatus::PhysicalRegistered;
        app.updated_at = self.world.clock.now();
        self.repo.update_application(&app).await?;
        Ok(card)
    }

    async fn register_pre_issued(&self, member: &Member, data: &PhysicalData) -> KonaResult<Card> {
        let project_id = member.project_id.as_str();
        let p = (self
            .repo
            .pre_issued(project_id, data.card_no.as_str())
            .await?)
            .filter(|p| p.claimed_by.is_none() && p.expiry == data.expiry && p.cvc == data.cvc)
            .ok_or(Refusal::CardInfo)?;
        let service = product(&p.service_id)?;
        let expiry = end_of_yymm(&p.expiry).ok_or(Refusal::CardInfo)?;
        let no = p.card_no.as_str();
        if !self
            .repo
            .claim_pre_issued(project_id, no, member.user_id)
            .await?
        {
            return Err(Refusal::CardInfo);
        }
        let n = NewCard {
            project_id,
            user_id: member.user_id,
            person_id: &member.person_id,
            service,
            is_basic: false,
            card_apply_no: None,
            physical: Some((p.card_no.clone(), p.cvc.clone(), expiry)),
        };
        self.issue_card_as(n, p.par).await
    }

    /// P1: a debit card needs a DEBIT product. Every product here is
    /// prepaid, so a known product is the wrong issue type (`003_061`).
    pub async fn issue_debit(
        &self,
        project_id: &str,
        user_id: UserId,
        service_id: &ServiceId,
    ) -> KonaResult<()> {
        self.member(project_id, user_id).await?;
        let service = product(service_id)?;
        debug_assert_ne!(service.service_type, "DEBIT");
        Err(Refusal::IssueTypeInvalid)
    }

    /// Sandbox: a plastic card sold unregistered, on `service_id` or the
    /// first mobile product.
    pub async fn add_pre_issued(
        &self,
        project_id: &str,
        service_id: Option<&str>,
    ) -> KonaResult<PreIssued> {
        self.project(project_id).await?;
        let service = match service_id {
            None => project::basic_service(),
            Some(s) => (ServiceId::parse(s)
                .ok()
                .and_then(|id| project::service(&id)))
            .ok_or_else(|| Refusal::invalid("service_id"))?,
        };
        let data = fresh_physical(self);
        let p = PreIssued {
            card_no: data.card_no,
            project_id: project_id.to_owned(),
            par: Par::generate(),
            service_id: ServiceId::parse(service.service_id)
                .map_err(|_| Refusal::invalid("service_id"))?,
            expiry: data.expiry,
            cvc: data.cvc,
            claimed_by: None,
            created_at: self.world.clock.now(),
        };
        self.repo.insert_pre_issued(&p).await?;
        Ok(p)
    }

    /// Sandbox: the courier's step. The plastic card is made when it ships.
    pub async fn move_delivery(
        &self,
        project_id: &str,
        no: &str,
        to: Delivery,
    ) -> KonaResult<Application> {
        self.project(project_id).await?;
        let mut app = (self.repo.application(project_id, no).await?)
            .ok_or(Refusal::NotFound("card application"))?;
        let Some(at) = app.delivery else {
            return Err(Refusal::Conflict("the application has no delivery".into()));
        };
        if app.status == ApplyStatus::Canceled || at == Delivery::Cancel {
            return Err(Refusal::Conflict("the application is cancelled".into()));
        }
        if !at.can_move_to(to) {
            let why = format!(
                "a delivery cannot move from {} to {}",
                at.as_str(),
                to.as_str()
            );
            return Err(Refusal::Conflict(why));
        }
        if to.step().is_some_and(|s| s >= 3) && app.physical.is_none() {
            app.physical = Some(fresh_physical(self));
        }
        app.delivery = Some(to);
        app.updated_at = self.world.clock.now();
        self.repo.update_application(&app).await?;
        Ok(app)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deliveries_move_forward_or_off_the_way_before_arrival() {
        use Delivery as D;
        assert!(D::Ready.can_move_to(D::Shipping));
        assert!(D::Receipt.can_move_to(D::Lost));
        assert!(!D::Shipping.can_move_to(D::Receipt));
        assert!(!D::Arrival.can_move_to(D::Return));
        assert!(!D::Lost.can_move_to(D::Arrival));
        assert!(!D::Ready.can_move_to(D::Cancel));
        for (d, s) in DELIVERIES {
            assert_eq!(D::parse(s), Some(d));
            assert_eq!(d.as_str(), s);
        }
    }

    #[test]
    fn yymm_ends_its_month() {
        assert_eq!(end_of_yymm("3102"), NaiveDate::from_ymd_opt(2031, 2, 28));
        assert_eq!(end_of_yymm("3113"), None);
        assert_eq!(end_of_yymm("31a2"), None);
    }
}

//! Cards; their applications and the rest in `applications`.

mod applications;

use super::{bad, flag, uid, user};
use crate::sql::Arg;
use crate::{map_err, Store};
use async_trait::async_trait;
use chrono::NaiveDate;
use finhub_core::clock::{from_micros, to_micros};
use finhub_core::konaplate::cards::{
    Application, Card, CardRepo, CardStatus, Deduction, Limits, PreIssued, VirtualAccount,
};
use finhub_core::konaplate::ids::{CardApplyNo, CardNo, Par, ServiceId, UserId};
use finhub_core::CoreResult;

const CARD_COLS: &str = "par, project_id, user_id, account_id, service_id, mobile_card_no, \
     mobile_cvc, physical_card_no, physical_cvc, expiry, status, is_basic, is_main, is_named, \
     limit_once, limit_day, limit_month, card_apply_no, created_at";

#[derive(sqlx::FromRow)]
struct CardRow {
    par: String,
    project_id: String,
    user_id: i64,
    account_id: String,
    service_id: String,
    mobile_card_no: Option<String>,
    mobile_cvc: Option<String>,
    physical_card_no: Option<String>,
    physical_cvc: Option<String>,
    expiry: String,
    status: String,
    is_basic: i64,
    is_main: i64,
    is_named: i64,
    limit_once: i64,
    limit_day: i64,
    limit_month: i64,
    card_apply_no: Option<String>,
    created_at: i64,
}

fn number(v: Option<String>, what: &str) -> CoreResult<Option<CardNo>> {
    v.map(|n| CardNo::parse(&n).map_err(|_| bad(what)))
        .transpose()
}

impl TryFrom<CardRow> for Card {
    type Error = finhub_core::CoreError;
    fn try_from(r: CardRow) -> CoreResult<Card> {
        Ok(Card {
            par: Par::parse(&r.par).map_err(|_| bad("par"))?,
            project_id: r.project_id,
            user_id: user(r.user_id),
            account_id: r.account_id,
            service_id: ServiceId::parse(&r.service_id).map_err(|_| bad("service_id"))?,
            mobile_card_no: number(r.mobile_card_no, "mobile_card_no")?,
            mobile_cvc: r.mobile_cvc,
            physical_card_no: number(r.physical_card_no, "physical_card_no")?,
            physical_cvc: r.physical_cvc,
            expiry: NaiveDate::parse_from_str(&r.expiry, "%Y-%m-%d").map_err(|_| bad("expiry"))?,
            status: CardStatus::parse(&r.status).ok_or_else(|| bad("status"))?,
            is_basic: r.is_basic != 0,
            is_main: r.is_main != 0,
            is_named: r.is_named != 0,
            limits: Limits {
                once: r.limit_once,
                day: r.limit_day,
                month: r.limit_month,
            },
            card_apply_no: (r.card_apply_no)
                .map(|n| CardApplyNo::parse(&n).map_err(|_| bad("card_apply_no")))
                .transpose()?,
            created_at: from_micros(r.created_at),
        })
    }
}

/// The columns' values in CARD_COLS order; `expiry` is passed in, formatted.
fn card_args<'a>(c: &'a Card, expiry: &'a str) -> [Arg<'a>; 19] {
    [
        Arg::Text(c.par.as_str()),
        Arg::Text(&c.project_id),
        Arg::Int(uid(c.user_id)),
        Arg::Text(&c.account_id),
        Arg::Text(c.service_id.as_str()),
        Arg::OptText(c.mobile_card_no.as_ref().map(CardNo::as_str)),
        Arg::OptText(c.mobile_cvc.as_deref()),
        Arg::OptText(c.physical_card_no.as_ref().map(CardNo::as_str)),
        Arg::OptText(c.physical_cvc.as_deref()),
        Arg::Text(expiry),
        Arg::Text(c.status.as_str()),
        Arg::Int(flag(c.is_basic)),
        Arg::Int(flag(c.is_main)),
        Arg::Int(flag(c.is_named)),
        Arg::Int(c.limits.once),
        Arg::Int(c.limits.day),
        Arg::Int(c.limits.month),
        Arg::OptText(c.card_apply_no.as_ref().map(CardApplyNo::as_str)),
        Arg::Int(to_micros(c.created_at)),
    ]
}

impl Store {
    async fn kona_cards_where(&self, filter: &str, args: &[Arg<'_>]) -> CoreResult<Vec<Card>> {
        let sql =
            format!("SELECT {CARD_COLS} FROM kona_cards WHERE {filter} ORDER BY created_at, par");
        let rows: Vec<CardRow> = self.db.fetch_all(&sql, args).await.map_err(map_err)?;
        rows.into_iter().map(Card::try_from).collect()
    }
}

#[async_trait]
impl CardRepo for Store {
    async fn insert_card(&self, c: &Card) -> CoreResult<()> {
        let marks = (1..=19)
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!("INSERT INTO kona_cards ({CARD_COLS}) VALUES ({marks})");
        let expiry = c.expiry.format("%Y-%m-%d").to_string();
        self.db
            .execute(&sql, &card_args(c, &expiry))
            .await
            .map_err(map_err)
            .map(drop)
    }

    async fn card(&self, project_id: &str, par: &str) -> CoreResult<Option<Card>> {
        let args = [Arg::Text(project_id), Arg::Text(par)];
        Ok(self
            .kona_cards_where("project_id = $1 AND par = $2", &args)
            .await?
            .pop())
    }

    async fn card_by_number(&self, project_id: &str, card_no: &str) -> CoreResult<Option<Card>> {
        let args = [Arg::Text(project_id), Arg::Text(card_no)];
        let filter = "project_id = $1 AND (mobile_card_no = $2 OR physical_card_no = $2)";
        Ok(self.kona_cards_where(filter, &args).await?.pop())
    }

    async fn card_by_account(
        &self,
        project_id: &str,
        account_id: &str,
    ) -> CoreResult<Option<Card>> {
        let args = [Arg::Text(project_id), Arg::Text(account_id)];
        let filter = "project_id = $1 AND account_id = $2";
        Ok(self.kona_cards_where(filter, &args).await?.pop())
    }

    async fn cards_of(&self, project_id: &str, user_id: UserId) -> CoreResult<Vec<Card>> {
        let args = [Arg::Text(project_id), Arg::Int(uid(user_id))];
        self.kona_cards_where("project_id = $1 AND user_id = $2", &args)
            .await
    }

    async fn update_card(&self, c: &Card) -> CoreResult<()> {
        let sql = "UPDATE kona_cards SET project_id = $2, user_id = $3, account_id = $4, \
             service_id = $5, mobile_card_no = $6, mobile_cvc = $7, physical_card_no = $8, \
             physical_cvc = $9, expiry = $10, status = $11, is_basic = $12, is_main = $13, \
             is_named = $14, limit_once = $15, limit_day = $16, limit_month = $17, \
             card_apply_no = $18, created_at = $19 WHERE par = $1";
        let expiry = c.expiry.format("%Y-%m-%d").to_string();
        self.db
            .execute(sql, &card_args(c, &expiry))
            .await
            .map_err(map_err)
            .map(drop)
    }

    async fn set_main_card(&self, project_id: &str, user_id: UserId, par: &str) -> CoreResult<()> {
        // One statement: the member never has two main cards, even for a moment.
        let sql = "UPDATE kona_cards SET is_main = CASE WHEN par = $3 THEN 1 ELSE 0 END \
                   WHERE project_id = $1 AND user_id = $2";
        let args = [
            Arg::Text(project_id),
            Arg::Int(uid(user_id)),
            Arg::Text(par),
        ];
        self.db.execute(sql, &args).await.map_err(map_err).map(drop)
    }

    async fn insert_application(&self, a: &Application) -> CoreResult<()> {
        self.kona_insert_application(a).await
    }

    async fn application(&self, project_id: &str, no: &str) -> CoreResult<Option<Application>> {
        self.kona_application(project_id, no).await
    }

    async fn applications_of(
        &self,
        project_id: &str,
        user_id: UserId,
    ) -> CoreResult<Vec<Application>> {
        self.kona_applications_of(project_id, user_id).await
    }

    async fn update_application(&self, a: &Application) -> CoreResult<()> {
        self.kona_update_application(a).await
    }

    async fn insert_pre_issued(&self, p: &PreIssued) -> CoreResult<()> {
        self.kona_insert_pre_issued(p).await
    }

    async fn pre_issued(&self, project_id: &str, card_no: &str) -> CoreResult<Option<PreIssued>> {
        self.kona_pre_issued(project_id, card_no).await
    }

    async fn claim_pre_issued(
        &self,
        project_id: &str,
        card_no: &str,
        user_id: UserId,
    ) -> CoreResult<bool> {
        self.kona_claim_pre_issued(project_id, card_no, user_id)
            .await
    }

    async fn insert_deduction(&self, d: &Deduction) -> CoreResult<()> {
        self.kona_insert_deduction(d).await
    }

    async fn deduction(&self, project_id: &str, par: &str) -> CoreResult<Option<Deduction>> {
        self.kona_deduction(project_id, par).await
    }

    async fn insert_virtual_account(&self, v: &VirtualAccount) -> CoreResult<()> {
        self.kona_insert_virtual_account(v).await
    }

    async fn virtual_account(
        &self,
        project_id: &str,
        par: &str,
    ) -> CoreResult<Option<VirtualAccount>> {
        self.kona_virtual_account(project_id, par).await
    }
}

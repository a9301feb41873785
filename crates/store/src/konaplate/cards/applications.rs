//! Card applications, pre-issued physical cards, tax deductions and virtual
//! accounts: the SQL behind the application half of `CardRepo`.

use super::super::{bad, uid, user};
use crate::sql::Arg;
use crate::{map_err, Store};
use finhub_core::clock::{from_micros, to_micros};
use finhub_core::konaplate::cards::{
    Application, ApplyStatus, Deduction, Delivery, IssueType, PhysicalData, PreIssued,
    VirtualAccount,
};
use finhub_core::konaplate::ids::{CardApplyNo, CardNo, Par, ServiceId, UserId};
use finhub_core::konaplate::members::Address;
use finhub_core::CoreResult;

const APP_COLS: &str = "card_apply_no, project_id, user_id, service_id, issue_type, par, status, \
     delivery, address, address_detail, zip_code, physical_card_no, physical_expiry, \
     physical_cvc, created_at, updated_at";

#[derive(sqlx::FromRow)]
struct AppRow {
    card_apply_no: String,
    project_id: String,
    user_id: i64,
    service_id: String,
    issue_type: String,
    par: String,
    status: String,
    delivery: Option<String>,
    address: Option<String>,
    address_detail: Option<String>,
    zip_code: Option<String>,
    physical_card_no: Option<String>,
    physical_expiry: Option<String>,
    physical_cvc: Option<String>,
    created_at: i64,
    updated_at: i64,
}

fn physical(r: &AppRow) -> CoreResult<Option<PhysicalData>> {
    match (&r.physical_card_no, &r.physical_expiry, &r.physical_cvc) {
        (Some(no), Some(expiry), Some(cvc)) => Ok(Some(PhysicalData {
            card_no: CardNo::parse(no).map_err(|_| bad("physical_card_no"))?,
            expiry: expiry.clone(),
            cvc: cvc.clone(),
        })),
        _ => Ok(None),
    }
}

impl TryFrom<AppRow> for Application {
    type Error = finhub_core::CoreError;
    fn try_from(r: AppRow) -> CoreResult<Application> {
        let physical = physical(&r)?;
        Ok(Application {
            card_apply_no: CardApplyNo::parse(&r.card_apply_no)
                .map_err(|_| bad("card_apply_no"))?,
            project_id: r.project_id,
            user_id: user(r.user_id),
            service_id: ServiceId::parse(&r.service_id).map_err(|_| bad("service_id"))?,
            issue_type: IssueType::parse(&r.issue_type).ok_or_else(|| bad("issue_type"))?,
            par: Par::parse(&r.par).map_err(|_| bad("par"))?,
            status: ApplyStatus::parse(&r.status).ok_or_else(|| bad("status"))?,
            delivery: (r.delivery)
                .map(|d| Delivery::parse(&d).ok_or_else(|| bad("delivery")))
                .transpose()?,
            address: r.address.map(|address| Address {
                address,
                address_detail: r.address_detail,
                zip_code: r.zip_code,
            }),
            physical,
            created_at: from_micros(r.created_at),
            updated_at: from_micros(r.updated_at),
        })
    }
}

fn app_args(a: &Application) -> [Arg<'_>; 16] {
    let addr = a.address.as_ref();
    let p = a.physical.as_ref();
    [
        Arg::Text(a.card_apply_no.as_str()),
        Arg::Text(&a.project_id),
        Arg::Int(uid(a.user_id)),
        Arg::Text(a.service_id.as_str()),
        Arg::Text(a.issue_type.as_str()),
        Arg::Text(a.par.as_str()),
        Arg::Text(a.status.as_str()),
        Arg::OptText(a.delivery.map(Delivery::as_str)),
        Arg::OptText(addr.map(|x| x.address.as_str())),
        Arg::OptText(addr.and_then(|x| x.address_detail.as_deref())),
        Arg::OptText(addr.and_then(|x| x.zip_code.as_deref())),
        Arg::OptText(p.map(|x| x.card_no.as_str())),
        Arg::OptText(p.map(|x| x.expiry.as_str())),
        Arg::OptText(p.map(|x| x.cvc.as_str())),
        Arg::Int(to_micros(a.created_at)),
        Arg::Int(to_micros(a.updated_at)),
    ]
}

const PRE_COLS: &str = "card_no, project_id, par, service_id, expiry, cvc, claimed_by, created_at";

#[derive(sqlx::FromRow)]
struct PreRow {
    card_no: String,
    project_id: String,
    par: String,
    service_id: String,
    expiry: String,
    cvc: String,
    claimed_by: Option<i64>,
    created_at: i64,
}

impl TryFrom<PreRow> for PreIssued {
    type Error = finhub_core::CoreError;
    fn try_from(r: PreRow) -> CoreResult<PreIssued> {
        Ok(PreIssued {
            card_no: CardNo::parse(&r.card_no).map_err(|_| bad("card_no"))?,
            project_id: r.project_id,
            par: Par::parse(&r.par).map_err(|_| bad("par"))?,
            service_id: ServiceId::parse(&r.service_id).map_err(|_| bad("service_id"))?,
            expiry: r.expiry,
            cvc: r.cvc,
            claimed_by: r.claimed_by.map(user),
            created_at: from_micros(r.created_at),
        })
    }
}

#[derive(sqlx::FromRow)]
struct DeductionRow {
    project_id: String,
    par: String,
    user_id: i64,
    deduction_date: String,
    created_at: i64,
}

#[derive(sqlx::FromRow)]
struct VirtualRow {
    project_id: String,
    par: String,
    account_no: String,
    bank_code: String,
    created_at: i64,
}

fn marks(n: usize) -> String {
    (1..=n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Store {
    pub(super) async fn kona_insert_application(&self, a: &Application) -> CoreResult<()> {
        let sql = format!(
            "INSERT INTO kona_card_applications ({APP_COLS}) VALUES ({})",
            marks(16)
        );
        let r = self.db.execute(&sql, &app_args(a)).await;
        r.map_err(map_err).map(drop)
    }

    pub(super) async fn kona_applications_where(
        &self,
        filter: &str,
        args: &[Arg<'_>],
    ) -> CoreResult<Vec<Application>> {
        let sql = format!(
            "SELECT {APP_COLS} FROM kona_card_applications WHERE {filter} \
             ORDER BY created_at, card_apply_no"
        );
        let rows: Vec<AppRow> = self.db.fetch_all(&sql, args).await.map_err(map_err)?;
        rows.into_iter().map(Application::try_from).collect()
    }

    pub(super) async fn kona_application(
        &self,
        project_id: &str,
        no: &str,
    ) -> CoreResult<Option<Application>> {
        let args = [Arg::Text(project_id), Arg::Text(no)];
        let filter = "project_id = $1 AND card_apply_no = $2";
        Ok(self.kona_applications_where(filter, &args).await?.pop())
    }

    pub(super) async fn kona_applications_of(
        &self,
        project_id: &str,
        user_id: UserId,
    ) -> CoreResult<Vec<Application>> {
        let args = [Arg::Text(project_id), Arg::Int(uid(user_id))];
        (self.kona_applications_where("project_id = $1 AND user_id = $2", &args)).await
    }

    pub(super) async fn kona_update_application(&self, a: &Application) -> CoreResult<()> {
        let sql = "UPDATE kona_card_applications SET project_id = $2, user_id = $3, \
             service_id = $4, issue_type = $5, par = $6, status = $7, delivery = $8, \
             address = $9, address_detail = $10, zip_code = $11, physical_card_no = $12, \
             physical_expiry = $13, physical_cvc = $14, created_at = $15, updated_at = $16 \
             WHERE card_apply_no = $1";
        let r = self.db.execute(sql, &app_args(a)).await;
        r.map_err(map_err).map(drop)
    }

    pub(super) async fn kona_insert_pre_issued(&self, p: &PreIssued) -> CoreResult<()> {
        let sql = format!(
            "INSERT INTO kona_physical_cards ({PRE_COLS}) VALUES ({})",
            marks(8)
        );
        let args = [
            Arg::Text(p.card_no.as_str()),
            Arg::Text(&p.project_id),
            Arg::Text(p.par.as_str()),
            Arg::Text(p.service_id.as_str()),
            Arg::Text(&p.expiry),
            Arg::Text(&p.cvc),
            Arg::OptInt(p.claimed_by.map(uid)),
            Arg::Int(to_micros(p.created_at)),
        ];
        self.db
            .execute(&sql, &args)
            .await
            .map_err(map_err)
            .map(drop)
    }

    pub(super) async fn kona_pre_issued(
        &self,
        project_id: &str,
        card_no: &str,
    ) -> CoreResult<Option<PreIssued>> {
        let sql = format!(
            "SELECT {PRE_COLS} FROM kona_physical_cards WHERE project_id = $1 AND card_no = $2"
        );
        let args = [Arg::Text(project_id), Arg::Text(card_no)];
        let row: Option<PreRow> = self.db.fetch_optional(&sql, &args).await.map_err(map_err)?;
        row.map(PreIssued::try_from).transpose()
    }

    pub(super) async fn kona_claim_pre_issued(
        &self,
        project_id: &str,
        card_no: &str,
        user_id: UserId,
    ) -> CoreResult<bool> {
        let sql = "UPDATE kona_physical_cards SET claimed_by = $3 \
                   WHERE project_id = $1 AND card_no = $2 AND claimed_by IS NULL";
        let args = [
            Arg::Text(project_id),
            Arg::Text(card_no),
            Arg::Int(uid(user_id)),
        ];
        Ok(self.db.execute(sql, &args).await.map_err(map_err)? == 1)
    }

    pub(super) async fn kona_insert_deduction(&self, d: &Deduction) -> CoreResult<()> {
        let sql = "INSERT INTO kona_deductions (project_id, par, user_id, deduction_date, \
                   created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (project_id, par) DO NOTHING";
        let args = [
            Arg::Text(&d.project_id),
            Arg::Text(d.par.as_str()),
            Arg::Int(uid(d.user_id)),
            Arg::Text(&d.deduction_date),
            Arg::Int(to_micros(d.created_at)),
        ];
        self.db.execute(sql, &args).await.map_err(map_err).map(drop)
    }

    pub(super) async fn kona_deduction(
        &self,
        project_id: &str,
        par: &str,
    ) -> CoreResult<Option<Deduction>> {
        let sql = "SELECT project_id, par, user_id, deduction_date, created_at \
                   FROM kona_deductions WHERE project_id = $1 AND par = $2";
        let args = [Arg::Text(project_id), Arg::Text(par)];
        let row: Option<DeductionRow> =
            self.db.fetch_optional(sql, &args).await.map_err(map_err)?;
        row.map(|r| {
            Ok(Deduction {
                project_id: r.project_id,
                par: Par::parse(&r.par).map_err(|_| bad("par"))?,
                user_id: user(r.user_id),
                deduction_date: r.deduction_date,
                created_at: from_micros(r.created_at),
            })
        })
        .transpose()
    }

    pub(super) async fn kona_insert_virtual_account(&self, v: &VirtualAccount) -> CoreResult<()> {
        let sql = "INSERT INTO kona_virtual_accounts (project_id, par, account_no, bank_code, \
                   created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (project_id, par) DO NOTHING";
        let args = [
            Arg::Text(&v.project_id),
            Arg::Text(v.par.as_str()),
            Arg::Text(&v.account_no),
            Arg::Text(&v.bank_code),
            Arg::Int(to_micros(v.created_at)),
        ];
        self.db.execute(sql, &args).await.map_err(map_err).map(drop)
    }

    pub(super) async fn kona_virtual_account(
        &self,
        project_id: &str,
        par: &str,
    ) -> CoreResult<Option<VirtualAccount>> {
        let sql = "SELECT project_id, par, account_no, bank_code, created_at \
                   FROM kona_virtual_accounts WHERE project_id = $1 AND par = $2";
        let args = [Arg::Text(project_id), Arg::Text(par)];
        let row: Option<VirtualRow> = self.db.fetch_optional(sql, &args).await.map_err(map_err)?;
        row.map(|r| {
            Ok(VirtualAccount {
                project_id: r.project_id,
                par: Par::parse(&r.par).map_err(|_| bad("par"))?,
                account_no: r.account_no,
                bank_code: r.bank_code,
                created_at: from_micros(r.created_at),
            })
        })
        .transpose()
    }
}

//! Registered bank accounts (B1–B10): real-name passes, ARS codes, the
//! member's ARS slot, registrations and the registered account.

use super::{bad, flag, uid, user};
use crate::rows::{AccountRow, ACCOUNT_COLS};
use crate::sql::{Arg, Tx};
use crate::{map_err, Store};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use finhub_core::account::Account;
use finhub_core::clock::{from_micros, to_micros};
use finhub_core::konaplate::bank::{
    BankRepo, NameCheck, RegStatus, RegisteredAccount, Registration,
};
use finhub_core::konaplate::ids::UserId;
use finhub_core::CoreResult;

const ACC_COLS: &str = "project_id, user_id, account_id, bank_code, bank_account, account_id5, \
     auto_recharge, reg_no, created_at, updated_at";
const REG_COLS: &str = "reg_no, project_id, user_id, account_id, bank_code, bank_account, \
     code_live, started_real, at, status";

#[derive(sqlx::FromRow)]
struct AccRow {
    project_id: String,
    user_id: i64,
    account_id: String,
    bank_code: String,
    bank_account: String,
    account_id5: String,
    auto_recharge: i64,
    reg_no: String,
    created_at: i64,
    updated_at: i64,
}

impl From<AccRow> for RegisteredAccount {
    fn from(r: AccRow) -> Self {
        RegisteredAccount {
            project_id: r.project_id,
            user_id: user(r.user_id),
            account_id: r.account_id,
            bank_code: r.bank_code,
            bank_account: r.bank_account,
            account_id5: r.account_id5,
            auto_recharge: r.auto_recharge != 0,
            reg_no: r.reg_no,
            created_at: from_micros(r.created_at),
            updated_at: from_micros(r.updated_at),
        }
    }
}

#[derive(sqlx::FromRow)]
struct RegRow {
    reg_no: String,
    project_id: String,
    user_id: i64,
    account_id: String,
    bank_code: String,
    bank_account: String,
    code_live: i64,
    started_real: i64,
    at: i64,
    status: Option<String>,
}

impl TryFrom<RegRow> for Registration {
    type Error = finhub_core::CoreError;
    fn try_from(r: RegRow) -> CoreResult<Self> {
        Ok(Registration {
            reg_no: r.reg_no,
            project_id: r.project_id,
            user_id: user(r.user_id),
            account_id: r.account_id,
            bank_code: r.bank_code,
            bank_account: r.bank_account,
            code_live: r.code_live != 0,
            started_real: from_micros(r.started_real),
            at: from_micros(r.at),
            status: (r.status)
                .map(|s| RegStatus::parse(&s).ok_or_else(|| bad("registration status")))
                .transpose()?,
        })
    }
}

impl Store {
    async fn kona_regs_where(
        &self,
        filter: &str,
        args: &[Arg<'_>],
    ) -> CoreResult<Vec<Registration>> {
        let sql = format!(
            "SELECT {REG_COLS} FROM kona_registrations WHERE {filter} ORDER BY started_real"
        );
        let rows: Vec<RegRow> = self.db.fetch_all(&sql, args).await.map_err(map_err)?;
        rows.into_iter().map(Registration::try_from).collect()
    }
}

#[async_trait]
impl BankRepo for Store {
    async fn registered_account(
        &self,
        project_id: &str,
        user_id: UserId,
    ) -> CoreResult<Option<RegisteredAccount>> {
        let sql = format!(
            "SELECT {ACC_COLS} FROM kona_bank_accounts WHERE project_id = $1 AND user_id = $2"
        );
        let row: Option<AccRow> = (self.db)
            .fetch_optional(&sql, &[Arg::Text(project_id), Arg::Int(uid(user_id))])
            .await
            .map_err(map_err)?;
        Ok(row.map(RegisteredAccount::from))
    }

    async fn account_by_digits(&self, org_code: &str, digits: &str) -> CoreResult<Option<Account>> {
        let sql = format!(
            "SELECT {ACCOUNT_COLS} FROM accounts WHERE org_code = $1 \
             AND REPLACE(account_num, '-', '') = $2 ORDER BY opened_at, account_id"
        );
        let row: Option<AccountRow> = (self.db)
            .fetch_optional(&sql, &[Arg::Text(org_code), Arg::Text(digits)])
            .await
            .map_err(map_err)?;
        row.map(Account::try_from).transpose()
    }

    async fn put_name_check(&self, c: &NameCheck) -> CoreResult<()> {
        let sql = "INSERT INTO kona_name_checks (project_id, user_id, bank_code, bank_account, \
                   account_id, checked_at) VALUES ($1, $2, $3, $4, $5, $6) \
                   ON CONFLICT (project_id, user_id, bank_code, bank_account) \
                   DO UPDATE SET account_id = excluded.account_id, checked_at = excluded.checked_at";
        let args = [
            Arg::Text(&c.project_id),
            Arg::Int(uid(c.user_id)),
            Arg::Text(&c.bank_code),
            Arg::Text(&c.digits),
            Arg::Text(&c.account_id),
            Arg::Int(to_micros(c.at)),
        ];
        self.db.execute(sql, &args).await.map_err(map_err).map(drop)
    }

    async fn name_check(
        &self,
        project_id: &str,
        user_id: UserId,
        bank_code: &str,
        digits: &str,
    ) -> CoreResult<Option<String>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            account_id: String,
        }
        let sql = "SELECT account_id FROM kona_name_checks WHERE project_id = $1 \
                   AND user_id = $2 AND bank_code = $3 AND bank_account = $4";
        let args = [
            Arg::Text(project_id),
            Arg::Int(uid(user_id)),
            Arg::Text(bank_code),
            Arg::Text(digits),
        ];
        let row: Option<Row> = self.db.fetch_optional(sql, &args).await.map_err(map_err)?;
        Ok(row.map(|r| r.account_id))
    }

    async fn put_ars_code(
        &self,
        project_id: &str,
        user_id: UserId,
        code: &str,
        expires_at: DateTime<Utc>,
    ) -> CoreResult<()> {
        let sql = "INSERT INTO kona_ars_codes (project_id, user_id, auth_number, expires_at) \
                   VALUES ($1, $2, $3, $4) ON CONFLICT (project_id, user_id) \
                   DO UPDATE SET auth_number = excluded.auth_number, expires_at = excluded.expires_at";
        let args = [
            Arg::Text(project_id),
            Arg::Int(uid(user_id)),
            Arg::Text(code),
            Arg::Int(to_micros(expires_at)),
        ];
        self.db.execute(sql, &args).await.map_err(map_err).map(drop)
    }

    async fn take_ars_code(
        &self,
        project_id: &str,
        user_id: UserId,
        now: DateTime<Utc>,
    ) -> CoreResult<bool> {
        // The delete is the use: two B4s cannot both use one code.
        let sql = "DELETE FROM kona_ars_codes WHERE project_id = $1 AND user_id = $2 \
                   AND expires_at >= $3";
        let args = [
            Arg::Text(project_id),
            Arg::Int(uid(user_id)),
            Arg::Int(to_micros(now)),
        ];
        Ok(self.db.execute(sql, &args).await.map_err(map_err)? == 1)
    }

    async fn claim_ars_slot(
        &self,
        project_id: &str,
        user_id: UserId,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> CoreResult<bool> {
        let sql = "INSERT INTO kona_ars_slots (project_id, user_id, until_real) VALUES ($1, $2, $3) \
                   ON CONFLICT (project_id, user_id) DO UPDATE SET until_real = excluded.until_real \
                   WHERE kona_ars_slots.until_real <= $4";
        let args = [
            Arg::Text(project_id),
            Arg::Int(uid(user_id)),
            Arg::Int(to_micros(until)),
            Arg::Int(to_micros(now)),
        ];
        Ok(self.db.execute(sql, &args).await.map_err(map_err)? == 1)
    }

    async fn insert_registration(&self, r: &Registration) -> CoreResult<()> {
        let sql = format!(
            "INSERT INTO kona_registrations ({REG_COLS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        );
        let args = [
            Arg::Text(&r.reg_no),
            Arg::Text(&r.project_id),
            Arg::Int(uid(r.user_id)),
            Arg::Text(&r.account_id),
            Arg::Text(&r.bank_code),
            Arg::Text(&r.bank_account),
            Arg::Int(flag(r.code_live)),
            Arg::Int(to_micros(r.started_real)),
            Arg::Int(to_micros(r.at)),
            Arg::OptText(r.status.map(RegStatus::as_str)),
        ];
        self.db
            .execute(&sql, &args)
            .await
            .map_err(map_err)
            .map(drop)
    }

    async fn registration(
        &self,
        project_id: &str,
        reg_no: &str,
    ) -> CoreResult<Option<Registration>> {
        let args = [Arg::Text(project_id), Arg::Text(reg_no)];
        Ok(self
            .kona_regs_where("project_id = $1 AND reg_no = $2", &args)
            .await?
            .pop())
    }

    async fn open_registrations(
        &self,
        project_id: &str,
        user_id: UserId,
    ) -> CoreResult<Vec<Registration>> {
        let args = [Arg::Text(project_id), Arg::Int(uid(user_id))];
        let filter = "project_id = $1 AND user_id = $2 AND status IS NULL";
        self.kona_regs_where(filter, &args).await
    }

    async fn settle_registration(
        &self,
        reg_no: &str,
        status: RegStatus,
        account: Option<&RegisteredAccount>,
    ) -> CoreResult<bool> {
        let mut tx = Tx::begin(&self.db).await.map_err(map_err)?;
        let sql = "UPDATE kona_registrations SET status = $2 WHERE reg_no = $1 AND status IS NULL";
        let args = [Arg::Text(reg_no), Arg::Text(status.as_str())];
        if tx.changed(sql, &args).await.map_err(map_err)? == 0 {
            return Ok(false);
        }
        if let Some(a) = account {
            put_account(&mut tx, a).await?;
        }
        tx.commit().await.map_err(map_err)?;
        Ok(true)
    }

    async fn set_auto_recharge(
        &self,
        project_id: &str,
        user_id: UserId,
        at: DateTime<Utc>,
    ) -> CoreResult<()> {
        let sql = "UPDATE kona_bank_accounts SET auto_recharge = 1, updated_at = $3 \
                   WHERE project_id = $1 AND user_id = $2";
        let args = [
            Arg::Text(project_id),
            Arg::Int(uid(user_id)),
            Arg::Int(to_micros(at)),
        ];
        self.db.execute(sql, &args).await.map_err(map_err).map(drop)
    }

    async fn delete_registered_account(
        &self,
        project_id: &str,
        user_id: UserId,
    ) -> CoreResult<bool> {
        let sql = "DELETE FROM kona_bank_accounts WHERE project_id = $1 AND user_id = $2";
        let args = [Arg::Text(project_id), Arg::Int(uid(user_id))];
        Ok(self.db.execute(sql, &args).await.map_err(map_err)? == 1)
    }
}

/// A registration replaces the member's registered account; the same
/// account registered again keeps its first date.
async fn put_account(tx: &mut Tx, a: &RegisteredAccount) -> CoreResult<()> {
    let sql = format!(
        "INSERT INTO kona_bank_accounts ({ACC_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (project_id, user_id) DO UPDATE SET \
         created_at = CASE WHEN kona_bank_accounts.account_id = excluded.account_id \
         THEN kona_bank_accounts.created_at ELSE excluded.created_at END, \
         account_id = excluded.account_id, bank_code = excluded.bank_code, \
         bank_account = excluded.bank_account, account_id5 = excluded.account_id5, \
         auto_recharge = 0, reg_no = excluded.reg_no, updated_at = excluded.updated_at"
    );
    let args = [
        Arg::Text(&a.project_id),
        Arg::Int(uid(a.user_id)),
        Arg::Text(&a.account_id),
        Arg::Text(&a.bank_code),
        Arg::Text(&a.bank_account),
        Arg::Text(&a.account_id5),
        Arg::Int(flag(a.auto_recharge)),
        Arg::Text(&a.reg_no),
        Arg::Int(to_micros(a.created_at)),
        Arg::Int(to_micros(a.updated_at)),
    ];
    tx.changed(&sql, &args).await.map_err(map_err).map(drop)
}

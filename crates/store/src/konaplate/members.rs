//! Members and the terms they agreed to.

use super::{bad, uid, user};
use crate::sql::{Arg, Tx};
use crate::{map_err, Store};
use async_trait::async_trait;
use finhub_core::clock::{from_micros, to_micros};
use finhub_core::konaplate::ids::UserId;
use finhub_core::konaplate::members::{
    Address, Agreement, CorpRequest, CorpStatus, Member, MemberRepo, MemberStatus,
};
use finhub_core::CoreResult;

const MEMBER_COLS: &str = "project_id, user_id, person_id, login_id, password_hash, ci, \
     birth_date, nationality, gender, user_name, mobile_number, email, join_channel, address, \
     address_detail, zip_code, status, password_failures, created_at, updated_at";

#[derive(sqlx::FromRow)]
struct MemberRow {
    project_id: String,
    user_id: i64,
    person_id: String,
    login_id: String,
    password_hash: String,
    ci: String,
    birth_date: String,
    nationality: String,
    gender: String,
    user_name: String,
    mobile_number: String,
    email: String,
    join_channel: Option<String>,
    address: Option<String>,
    address_detail: Option<String>,
    zip_code: Option<String>,
    status: String,
    password_failures: i64,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<MemberRow> for Member {
    type Error = finhub_core::CoreError;
    fn try_from(r: MemberRow) -> CoreResult<Member> {
        Ok(Member {
            user_id: user(r.user_id),
            project_id: r.project_id,
            person_id: r.person_id,
            login_id: r.login_id,
            password_hash: r.password_hash,
            ci: r.ci,
            birth_date: r.birth_date,
            nationality: r.nationality,
            gender: r.gender,
            user_name: r.user_name,
            mobile_number: r.mobile_number,
            email: r.email,
            join_channel: r.join_channel,
            address: r.address.map(|address| Address {
                address,
                address_detail: r.address_detail,
                zip_code: r.zip_code,
            }),
            status: MemberStatus::parse(&r.status).ok_or_else(|| bad("status"))?,
            password_failures: u32::try_from(r.password_failures).unwrap_or(0),
            created_at: from_micros(r.created_at),
            updated_at: from_micros(r.updated_at),
        })
    }
}

fn member_args(m: &Member) -> [Arg<'_>; 20] {
    let a = m.address.as_ref();
    [
        Arg::Text(&m.project_id),
        Arg::Int(uid(m.user_id)),
        Arg::Text(&m.person_id),
        Arg::Text(&m.login_id),
        Arg::Text(&m.password_hash),
        Arg::Text(&m.ci),
        Arg::Text(&m.birth_date),
        Arg::Text(&m.nationality),
        Arg::Text(&m.gender),
        Arg::Text(&m.user_name),
        Arg::Text(&m.mobile_number),
        Arg::Text(&m.email),
        Arg::OptText(m.join_channel.as_deref()),
        Arg::OptText(a.map(|a| a.address.as_str())),
        Arg::OptText(a.and_then(|a| a.address_detail.as_deref())),
        Arg::OptText(a.and_then(|a| a.zip_code.as_deref())),
        Arg::Text(m.status.as_str()),
        Arg::Int(i64::from(m.password_failures)),
        Arg::Int(to_micros(m.created_at)),
        Arg::Int(to_micros(m.updated_at)),
    ]
}

const INSERT_AGREEMENT: &str =
    "INSERT INTO kona_agreements (project_id, user_id, tc_id, agreed_at) \
     VALUES ($1, $2, $3, $4) ON CONFLICT (project_id, user_id, tc_id) DO NOTHING";

fn agreement_args<'a>(project_id: &'a str, user_id: UserId, a: &Agreement) -> [Arg<'a>; 4] {
    [
        Arg::Text(project_id),
        Arg::Int(uid(user_id)),
        Arg::Int(i64::try_from(a.tc_id).unwrap_or(-1)),
        Arg::Int(to_micros(a.agreed_at)),
    ]
}

const CORP_COLS: &str = "project_id, par, user_id, corporation_name, biz_license_no, \
     registration_number, status, created_at, updated_at";

#[derive(sqlx::FromRow)]
struct CorpRow {
    project_id: String,
    par: String,
    user_id: i64,
    corporation_name: String,
    biz_license_no: String,
    registration_number: String,
    status: String,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<CorpRow> for CorpRequest {
    type Error = finhub_core::CoreError;
    fn try_from(r: CorpRow) -> CoreResult<CorpRequest> {
        Ok(CorpRequest {
            project_id: r.project_id,
            par: r.par,
            user_id: user(r.user_id),
            corporation_name: r.corporation_name,
            biz_license_no: r.biz_license_no,
            registration_number: r.registration_number,
            status: CorpStatus::parse(&r.status).ok_or_else(|| bad("corp status"))?,
            created_at: from_micros(r.created_at),
            updated_at: from_micros(r.updated_at),
        })
    }
}

impl Store {
    async fn kona_member_where(
        &self,
        project_id: &str,
        column: &str,
        value: Arg<'_>,
    ) -> CoreResult<Option<Member>> {
        let sql = format!(
            "SELECT {MEMBER_COLS} FROM kona_members WHERE project_id = $1 AND {column} = $2"
        );
        let row: Option<MemberRow> = (self
            .db
            .fetch_optional(&sql, &[Arg::Text(project_id), value])
            .await)
            .map_err(map_err)?;
        row.map(Member::try_from).transpose()
    }
}

#[async_trait]
impl MemberRepo for Store {
    async fn insert_member(&self, m: &Member, terms: &[Agreement]) -> CoreResult<bool> {
        let marks = (1..=20)
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO kona_members ({MEMBER_COLS}) VALUES ({marks}) ON CONFLICT DO NOTHING"
        );
        let mut tx = Tx::begin(&self.db).await.map_err(map_err)?;
        if tx.changed(&sql, &member_args(m)).await.map_err(map_err)? == 0 {
            return Ok(false);
        }
        for a in terms {
            let args = agreement_args(&m.project_id, m.user_id, a);
            tx.changed(INSERT_AGREEMENT, &args).await.map_err(map_err)?;
        }
        tx.commit().await.map_err(map_err)?;
        Ok(true)
    }

    async fn member(&self, project_id: &str, user_id: UserId) -> CoreResult<Option<Member>> {
        self.kona_member_where(project_id, "user_id", Arg::Int(uid(user_id)))
            .await
    }

    async fn member_by_login(
        &self,
        project_id: &str,
        login_id: &str,
    ) -> CoreResult<Option<Member>> {
        self.kona_member_where(project_id, "login_id", Arg::Text(login_id))
            .await
    }

    async fn member_by_ci(&self, project_id: &str, ci: &str) -> CoreResult<Option<Member>> {
        self.kona_member_where(project_id, "ci", Arg::Text(ci))
            .await
    }

    async fn update_member(&self, m: &Member) -> CoreResult<()> {
        let sql = "UPDATE kona_members SET person_id = $3, login_id = $4, password_hash = $5, \
             ci = $6, birth_date = $7, nationality = $8, gender = $9, user_name = $10, \
             mobile_number = $11, email = $12, join_channel = $13, address = $14, \
             address_detail = $15, zip_code = $16, status = $17, password_failures = $18, \
             created_at = $19, updated_at = $20 WHERE project_id = $1 AND user_id = $2";
        self.db
            .execute(sql, &member_args(m))
            .await
            .map_err(map_err)
            .map(drop)
    }

    async fn agreements(&self, project_id: &str, user_id: UserId) -> CoreResult<Vec<Agreement>> {
        let sql =
            "SELECT tc_id, agreed_at FROM kona_agreements WHERE project_id = $1 AND user_id = $2 \
                   ORDER BY tc_id";
        let rows: Vec<(i64, i64)> = (self
            .db
            .fetch_all(sql, &[Arg::Text(project_id), Arg::Int(uid(user_id))])
            .await)
            .map_err(map_err)?;
        Ok(rows
            .into_iter()
            .map(|(tc, at)| Agreement {
                tc_id: u64::try_from(tc).unwrap_or(0),
                agreed_at: from_micros(at),
            })
            .collect())
    }

    async fn set_agreements(
        &self,
        project_id: &str,
        user_id: UserId,
        agree: &[Agreement],
        withdraw: &[u64],
    ) -> CoreResult<()> {
        let mut tx = Tx::begin(&self.db).await.map_err(map_err)?;
        for a in agree {
            let args = agreement_args(project_id, user_id, a);
            tx.changed(INSERT_AGREEMENT, &args).await.map_err(map_err)?;
        }
        let sql =
            "DELETE FROM kona_agreements WHERE project_id = $1 AND user_id = $2 AND tc_id = $3";
        for tc in withdraw {
            let args = [
                Arg::Text(project_id),
                Arg::Int(uid(user_id)),
                Arg::Int(i64::try_from(*tc).unwrap_or(-1)),
            ];
            tx.changed(sql, &args).await.map_err(map_err)?;
        }
        tx.commit().await.map_err(map_err)
    }

    async fn add_password_failure(&self, project_id: &str, user_id: UserId) -> CoreResult<u32> {
        let sql = "UPDATE kona_members SET password_failures = password_failures + 1 \
             WHERE project_id = $1 AND user_id = $2 RETURNING password_failures";
        let row: Option<(i64,)> = (self
            .db
            .fetch_optional(sql, &[Arg::Text(project_id), Arg::Int(uid(user_id))])
            .await)
            .map_err(map_err)?;
        Ok(row.map_or(0, |(n,)| u32::try_from(n).unwrap_or(u32::MAX)))
    }

    async fn members_named(
        &self,
        project_id: &str,
        user_name: &str,
        birth_date: &str,
    ) -> CoreResult<Vec<Member>> {
        let sql = format!(
            "SELECT {MEMBER_COLS} FROM kona_members WHERE project_id = $1 AND user_name = $2 \
             AND birth_date = $3 ORDER BY created_at, user_id"
        );
        let args = [
            Arg::Text(project_id),
            Arg::Text(user_name),
            Arg::Text(birth_date),
        ];
        let rows: Vec<MemberRow> = self.db.fetch_all(&sql, &args).await.map_err(map_err)?;
        rows.into_iter().map(Member::try_from).collect()
    }

    async fn put_corp_request(&self, r: &CorpRequest) -> CoreResult<()> {
        let sql = format!(
            "INSERT INTO kona_corp_requests ({CORP_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, \
             $8, $9) ON CONFLICT (project_id, par) DO UPDATE SET user_id = $3, \
             corporation_name = $4, biz_license_no = $5, registration_number = $6, status = $7, \
             updated_at = $9"
        );
        let args = [
            Arg::Text(&r.project_id),
            Arg::Text(&r.par),
            Arg::Int(uid(r.user_id)),
            Arg::Text(&r.corporation_name),
            Arg::Text(&r.biz_license_no),
            Arg::Text(&r.registration_number),
            Arg::Text(r.status.as_str()),
            Arg::Int(to_micros(r.created_at)),
            Arg::Int(to_micros(r.updated_at)),
        ];
        self.db
            .execute(&sql, &args)
            .await
            .map_err(map_err)
            .map(drop)
    }

    async fn corp_request(&self, project_id: &str, par: &str) -> CoreResult<Option<CorpRequest>> {
        let sql = format!(
            "SELECT {CORP_COLS} FROM kona_corp_requests WHERE project_id = $1 AND par = $2"
        );
        let row: Option<CorpRow> = (self
            .db
            .fetch_optional(&sql, &[Arg::Text(project_id), Arg::Text(par)])
            .await)
            .map_err(map_err)?;
        row.map(CorpRequest::try_from).transpose()
    }
}

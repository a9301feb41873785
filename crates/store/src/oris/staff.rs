//! Agencies, members, groups and sessions: finhub_core::oris::staff.

use super::{bad, flag};
use crate::{map_err, on_db, Store};
use async_trait::async_trait;
use finhub_core::clock::{from_micros, to_micros};
use finhub_core::oris::staff::{
    Agency, AgencyType, Approval, Group, Member, MemberStatus, Permission, Scope, Session,
    StaffRepo, Subject,
};
use finhub_core::CoreResult;

const AGENCY_COLS: &str =
    "agency_id, agency_code, agency_name, agency_type, org_code, approval_status, active, created_at";

#[derive(sqlx::FromRow)]
pub(crate) struct AgencyRow {
    agency_id: String,
    agency_code: String,
    agency_name: String,
    agency_type: String,
    org_code: Option<String>,
    approval_status: String,
    active: i64,
    created_at: i64,
}

impl AgencyRow {
    pub(crate) fn into_agency(self) -> CoreResult<Agency> {
        Ok(Agency {
            agency_type: AgencyType::parse(&self.agency_type).ok_or_else(|| bad("agency type"))?,
            approval: Approval::parse(&self.approval_status).ok_or_else(|| bad("approval"))?,
            agency_id: self.agency_id,
            agency_code: self.agency_code,
            agency_name: self.agency_name,
            org_code: self.org_code,
            active: self.active != 0,
            created_at: from_micros(self.created_at),
        })
    }
}

pub(crate) const MEMBER_COLS: &str = "member_id, agency_id, email, name, phone, department, \
     description, group_id, status, password_hash, password_changed_at, must_change, \
     failed_logins, locked, last_login_at, created_at";

#[derive(sqlx::FromRow)]
pub(crate) struct MemberRow {
    member_id: String,
    agency_id: String,
    email: String,
    name: String,
    phone: String,
    department: String,
    description: Option<String>,
    group_id: String,
    status: String,
    password_hash: String,
    password_changed_at: i64,
    must_change: i64,
    failed_logins: i64,
    locked: i64,
    last_login_at: Option<i64>,
    created_at: i64,
}

impl MemberRow {
    pub(crate) fn into_member(self) -> CoreResult<Member> {
        Ok(Member {
            status: MemberStatus::parse(&self.status).ok_or_else(|| bad("member status"))?,
            failed_logins: u32::try_from(self.failed_logins).map_err(|_| bad("failure count"))?,
            member_id: self.member_id,
            agency_id: self.agency_id,
            email: self.email,
            name: self.name,
            phone: self.phone,
            department: self.department,
            description: self.description,
            group_id: self.group_id,
            password_hash: self.password_hash,
            password_changed_at: from_micros(self.password_changed_at),
            must_change: self.must_change != 0,
            locked: self.locked != 0,
            last_login_at: self.last_login_at.map(from_micros),
            created_at: from_micros(self.created_at),
        })
    }
}

pub(crate) const GROUP_COLS: &str =
    "group_id, agency_id, name, description, permissions, created_at";

#[derive(sqlx::FromRow)]
pub(crate) struct GroupRow {
    group_id: String,
    agency_id: Option<String>,
    name: String,
    description: Option<String>,
    permissions: String,
    created_at: i64,
}

impl GroupRow {
    pub(crate) fn into_group(self) -> CoreResult<Group> {
        let permissions = self
            .permissions
            .split_whitespace()
            .map(|w| Permission::parse(w).ok_or_else(|| bad("permission")))
            .collect::<CoreResult<Vec<_>>>()?;
        Ok(Group {
            group_id: self.group_id,
            agency_id: self.agency_id,
            name: self.name,
            description: self.description,
            permissions,
            created_at: from_micros(self.created_at),
        })
    }
}

const SESSION_COLS: &str = "session_id, subject_kind, subject_id, agency_id, scopes, \
     refresh_jti, created_at, expires_at, revoked_at";

#[derive(sqlx::FromRow)]
struct SessionRow {
    session_id: String,
    subject_kind: String,
    subject_id: String,
    agency_id: String,
    scopes: String,
    refresh_jti: Option<String>,
    created_at: i64,
    expires_at: i64,
    revoked_at: Option<i64>,
}

impl SessionRow {
    fn into_session(self) -> CoreResult<Session> {
        let subject = match self.subject_kind.as_str() {
            "member" => Subject::Member(self.subject_id),
            "api_key" => Subject::ApiKey(self.subject_id),
            _ => return Err(bad("session subject")),
        };
        Ok(Session {
            session_id: self.session_id,
            subject,
            agency_id: self.agency_id,
            scopes: Scope::parse_list(Some(&self.scopes)).ok_or_else(|| bad("scopes"))?,
            refresh_jti: self.refresh_jti,
            created_at: from_micros(self.created_at),
            expires_at: from_micros(self.expires_at),
            revoked_at: self.revoked_at.map(from_micros),
        })
    }
}

fn subject_parts(s: &Subject) -> (&'static str, &str) {
    match s {
        Subject::Member(id) => ("member", id),
        Subject::ApiKey(id) => ("api_key", id),
    }
}

impl Store {
    async fn agency_where(&self, col: &str, value: &str) -> CoreResult<Option<Agency>> {
        let sql = format!("SELECT {AGENCY_COLS} FROM oris_agencies WHERE {col} = $1");
        let row = on_db!(&self.db, p => sqlx::query_as::<_, AgencyRow>(&sql)
            .bind(value).fetch_optional(p).await)
        .map_err(map_err)?;
        row.map(AgencyRow::into_agency).transpose()
    }

    async fn member_where(&self, col: &str, value: &str) -> CoreResult<Option<Member>> {
        let sql = format!("SELECT {MEMBER_COLS} FROM oris_members WHERE {col} = $1");
        let row = on_db!(&self.db, p => sqlx::query_as::<_, MemberRow>(&sql)
            .bind(value).fetch_optional(p).await)
        .map_err(map_err)?;
        row.map(MemberRow::into_member).transpose()
    }
}

#[async_trait]
impl StaffRepo for Store {
    async fn insert_agency(&self, a: &Agency) -> CoreResult<()> {
        let sql = format!(
            "INSERT INTO oris_agencies ({AGENCY_COLS}) VALUES ({})",
            crate::sql::placeholders(1, 8)
        );
        on_db!(&self.db, p => sqlx::query(&sql)
            .bind(&a.agency_id).bind(&a.agency_code).bind(&a.agency_name)
            .bind(a.agency_type.as_str()).bind(&a.org_code).bind(a.approval.as_str())
            .bind(flag(a.active)).bind(to_micros(a.created_at))
            .execute(p).await.map(|_| ()).map_err(map_err))
    }

    async fn agency(&self, agency_id: &str) -> CoreResult<Option<Agency>> {
        self.agency_where("agency_id", agency_id).await
    }

    async fn agency_by_code(&self, code: &str) -> CoreResult<Option<Agency>> {
        self.agency_where("agency_code", code).await
    }

    async fn insert_member(&self, m: &Member) -> CoreResult<()> {
        let sql = format!(
            "INSERT INTO oris_members ({MEMBER_COLS}) VALUES ({})",
            crate::sql::placeholders(1, 16)
        );
        on_db!(&self.db, p => sqlx::query(&sql)
            .bind(&m.member_id).bind(&m.agency_id).bind(&m.email).bind(&m.name)
            .bind(&m.phone).bind(&m.department).bind(&m.description).bind(&m.group_id)
            .bind(m.status.as_str()).bind(&m.password_hash).bind(to_micros(m.password_changed_at))
            .bind(flag(m.must_change)).bind(i64::from(m.failed_logins)).bind(flag(m.locked))
            .bind(m.last_login_at.map(to_micros)).bind(to_micros(m.created_at))
            .execute(p).await.map(|_| ()).map_err(map_err))
    }

    async fn member(&self, member_id: &str) -> CoreResult<Option<Member>> {
        self.member_where("member_id", member_id).await
    }

    async fn member_by_email(&self, email: &str) -> CoreResult<Option<Member>> {
        self.member_where("email", email).await
    }

    async fn group(&self, group_id: &str) -> CoreResult<Option<Group>> {
        let sql = format!("SELECT {GROUP_COLS} FROM oris_groups WHERE group_id = $1");
        let row = on_db!(&self.db, p => sqlx::query_as::<_, GroupRow>(&sql)
            .bind(group_id).fetch_optional(p).await)
        .map_err(map_err)?;
        row.map(GroupRow::into_group).transpose()
    }

    async fn insert_session(&self, s: &Session) -> CoreResult<()> {
        let sql = format!(
            "INSERT INTO oris_sessions ({SESSION_COLS}) VALUES ({})",
            crate::sql::placeholders(1, 9)
        );
        let (kind, id) = subject_parts(&s.subject);
        on_db!(&self.db, p => sqlx::query(&sql)
            .bind(&s.session_id).bind(kind).bind(id).bind(&s.agency_id)
            .bind(Scope::join(&s.scopes)).bind(&s.refresh_jti).bind(to_micros(s.created_at))
            .bind(to_micros(s.expires_at)).bind(s.revoked_at.map(to_micros))
            .execute(p).await.map(|_| ()).map_err(map_err))
    }

    async fn session(&self, session_id: &str) -> CoreResult<Option<Session>> {
        let sql = format!("SELECT {SESSION_COLS} FROM oris_sessions WHERE session_id = $1");
        let row = on_db!(&self.db, p => sqlx::query_as::<_, SessionRow>(&sql)
            .bind(session_id).fetch_optional(p).await)
        .map_err(map_err)?;
        row.map(SessionRow::into_session).transpose()
    }

    async fn signing_key(&self) -> CoreResult<Vec<u8>> {
        use rand::RngCore;
        let mut raw = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut raw);
        let held = self
            .setting_or_insert("oris_signing_key", &hex::encode(raw))
            .await?;
        hex::decode(held).map_err(|_| bad("signing key"))
    }
}

//! Agencies, members, groups and sessions: finhub_core::oris::staff.

use super::{bad, flag};
use crate::{map_err, on_db, Store};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use finhub_core::clock::{from_micros, to_micros};
use finhub_core::oris::staff::{
    Agency, AgencyType, ApiKey, Approval, Group, Member, MemberStatus, PasswordChange, Permission,
    Scope, Session, Slice, StaffRepo, Subject,
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

const KEY_COLS: &str = "api_key_id, agency_id, name, prefix, key_hash, secret_hash, \
     created_at, last_used_at, revoked_at";

#[derive(sqlx::FromRow)]
struct KeyRow {
    api_key_id: String,
    agency_id: String,
    name: String,
    prefix: String,
    key_hash: String,
    secret_hash: String,
    created_at: i64,
    last_used_at: Option<i64>,
    revoked_at: Option<i64>,
}

impl From<KeyRow> for ApiKey {
    fn from(r: KeyRow) -> ApiKey {
        ApiKey {
            api_key_id: r.api_key_id,
            agency_id: r.agency_id,
            name: r.name,
            prefix: r.prefix,
            key_hash: r.key_hash,
            secret_hash: r.secret_hash,
            created_at: from_micros(r.created_at),
            last_used_at: r.last_used_at.map(from_micros),
            revoked_at: r.revoked_at.map(from_micros),
        }
    }
}

fn permission_words(g: &Group) -> String {
    g.permissions
        .iter()
        .map(|p| p.as_str())
        .collect::<Vec<_>>()
        .join(" ")
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

    /// A statement that changes rows: how many it changed.
    async fn changed(&self, sql: &str, args: &[Bind<'_>]) -> CoreResult<u64> {
        on_db!(&self.db, p => {
            let mut q = sqlx::query(sql);
            for a in args {
                q = match a {
                    Bind::Text(s) => q.bind(*s),
                    Bind::OptText(s) => q.bind(*s),
                    Bind::Int(i) => q.bind(*i),
                    Bind::OptInt(i) => q.bind(*i),
                };
            }
            q.execute(p).await.map(|r| r.rows_affected()).map_err(map_err)
        })
    }

    async fn count(&self, sql: &str, value: &str) -> CoreResult<u64> {
        let n: i64 = on_db!(&self.db, p => sqlx::query_scalar(sql)
            .bind(value).fetch_one(p).await)
        .map_err(map_err)?;
        u64::try_from(n).map_err(|_| bad("count"))
    }
}

/// A value bound to a statement run through `Store::changed`.
enum Bind<'a> {
    Text(&'a str),
    OptText(Option<&'a str>),
    Int(i64),
    OptInt(Option<i64>),
}

fn page_args(offset: u64, limit: u32) -> (i64, i64) {
    (i64::from(limit), i64::try_from(offset).unwrap_or(i64::MAX))
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

    async fn agencies(&self, offset: u64, limit: u32) -> CoreResult<Slice<Agency>> {
        let total: i64 = on_db!(&self.db, p => sqlx::query_scalar(
            "SELECT COUNT(*) FROM oris_agencies").fetch_one(p).await)
        .map_err(map_err)?;
        let total = u64::try_from(total).map_err(|_| bad("count"))?;
        let sql = format!(
            "SELECT {AGENCY_COLS} FROM oris_agencies ORDER BY created_at, agency_id \
             LIMIT $1 OFFSET $2"
        );
        let (lim, off) = page_args(offset, limit);
        let rows = on_db!(&self.db, p => sqlx::query_as::<_, AgencyRow>(&sql)
            .bind(lim).bind(off).fetch_all(p).await)
        .map_err(map_err)?;
        let items = rows
            .into_iter()
            .map(AgencyRow::into_agency)
            .collect::<CoreResult<_>>()?;
        Ok(Slice { items, total })
    }

    async fn update_agency(&self, a: &Agency) -> CoreResult<()> {
        let sql = "UPDATE oris_agencies SET agency_name = $2, agency_type = $3 \
                   WHERE agency_id = $1";
        let args = [
            Bind::Text(&a.agency_id),
            Bind::Text(&a.agency_name),
            Bind::Text(a.agency_type.as_str()),
        ];
        self.changed(sql, &args).await.map(|_| ())
    }

    async fn set_agency_state(
        &self,
        agency_id: &str,
        approval: Option<Approval>,
        active: Option<bool>,
    ) -> CoreResult<()> {
        let sql = "UPDATE oris_agencies SET approval_status = COALESCE($2, approval_status), \
                   active = COALESCE($3, active) WHERE agency_id = $1";
        let args = [
            Bind::Text(agency_id),
            Bind::OptText(approval.map(Approval::as_str)),
            Bind::OptInt(active.map(flag)),
        ];
        self.changed(sql, &args).await.map(|_| ())
    }

    async fn login_failed(&self, member_id: &str, limit: u32) -> CoreResult<Option<bool>> {
        // The count is raised in the row (racing failures both count), and a
        // locked row is left alone.
        let sql = "UPDATE oris_members SET failed_logins = failed_logins + 1, \
                   locked = CASE WHEN failed_logins + 1 >= $2 THEN 1 ELSE 0 END \
                   WHERE member_id = $1 AND locked = 0 RETURNING locked";
        let locked: Option<i64> = on_db!(&self.db, p => sqlx::query_scalar(sql)
            .bind(member_id).bind(i64::from(limit)).fetch_optional(p).await)
        .map_err(map_err)?;
        Ok(locked.map(|l| l != 0))
    }

    async fn clear_failures(
        &self,
        member_id: &str,
        login_at: Option<DateTime<Utc>>,
    ) -> CoreResult<()> {
        let sql = "UPDATE oris_members SET failed_logins = 0, locked = 0, \
                   last_login_at = COALESCE($2, last_login_at) WHERE member_id = $1";
        let args = [Bind::Text(member_id), Bind::OptInt(login_at.map(to_micros))];
        self.changed(sql, &args).await.map(|_| ())
    }

    async fn change_password(&self, c: &PasswordChange) -> CoreResult<()> {
        on_db!(&self.db, p => {
            let mut tx = p.begin().await.map_err(map_err)?;
            if let Some(old) = &c.retired_hash {
                sqlx::query("INSERT INTO oris_password_history (member_id, changed_at, \
                             password_hash) VALUES ($1, $2, $3)")
                    .bind(&c.member_id).bind(to_micros(c.changed_at)).bind(old)
                    .execute(&mut *tx).await.map_err(map_err)?;
            }
            sqlx::query("UPDATE oris_members SET password_hash = $2, password_changed_at = $3, \
                         must_change = $4, failed_logins = 0, locked = 0 WHERE member_id = $1")
                .bind(&c.member_id).bind(&c.password_hash).bind(to_micros(c.changed_at))
                .bind(flag(c.must_change))
                .execute(&mut *tx).await.map_err(map_err)?;
            tx.commit().await.map_err(map_err)
        })
    }

    async fn password_history(&self, member_id: &str, n: u32) -> CoreResult<Vec<String>> {
        let sql = "SELECT password_hash FROM oris_password_history WHERE member_id = $1 \
                   ORDER BY changed_at DESC LIMIT $2";
        on_db!(&self.db, p => sqlx::query_scalar(sql)
            .bind(member_id).bind(i64::from(n)).fetch_all(p).await)
        .map_err(map_err)
    }

    async fn members_of(
        &self,
        agency_id: &str,
        offset: u64,
        limit: u32,
    ) -> CoreResult<Slice<Member>> {
        let total = self
            .count(
                "SELECT COUNT(*) FROM oris_members WHERE agency_id = $1",
                agency_id,
            )
            .await?;
        let sql = format!(
            "SELECT {MEMBER_COLS} FROM oris_members WHERE agency_id = $1 \
             ORDER BY created_at, member_id LIMIT $2 OFFSET $3"
        );
        let (lim, off) = page_args(offset, limit);
        let rows = on_db!(&self.db, p => sqlx::query_as::<_, MemberRow>(&sql)
            .bind(agency_id).bind(lim).bind(off).fetch_all(p).await)
        .map_err(map_err)?;
        let items = rows
            .into_iter()
            .map(MemberRow::into_member)
            .collect::<CoreResult<_>>()?;
        Ok(Slice { items, total })
    }

    async fn update_member(&self, m: &Member) -> CoreResult<()> {
        let sql = "UPDATE oris_members SET name = $2, phone = $3, department = $4, \
                   description = $5, group_id = $6, status = $7 WHERE member_id = $1";
        let args = [
            Bind::Text(&m.member_id),
            Bind::Text(&m.name),
            Bind::Text(&m.phone),
            Bind::Text(&m.department),
            Bind::OptText(m.description.as_deref()),
            Bind::Text(&m.group_id),
            Bind::Text(m.status.as_str()),
        ];
        self.changed(sql, &args).await.map(|_| ())
    }

    async fn delete_member(&self, member_id: &str) -> CoreResult<bool> {
        let sql = "DELETE FROM oris_members WHERE member_id = $1";
        Ok(self.changed(sql, &[Bind::Text(member_id)]).await? == 1)
    }

    async fn groups_for(&self, agency_id: &str) -> CoreResult<Vec<Group>> {
        let sql = format!(
            "SELECT {GROUP_COLS} FROM oris_groups WHERE agency_id IS NULL OR agency_id = $1 \
             ORDER BY CASE WHEN agency_id IS NULL THEN 0 ELSE 1 END, created_at, group_id"
        );
        let rows = on_db!(&self.db, p => sqlx::query_as::<_, GroupRow>(&sql)
            .bind(agency_id).fetch_all(p).await)
        .map_err(map_err)?;
        rows.into_iter().map(GroupRow::into_group).collect()
    }

    async fn insert_group(&self, g: &Group) -> CoreResult<()> {
        let sql = format!("INSERT INTO oris_groups ({GROUP_COLS}) VALUES ($1, $2, $3, $4, $5, $6)");
        let words = permission_words(g);
        let args = [
            Bind::Text(&g.group_id),
            Bind::OptText(g.agency_id.as_deref()),
            Bind::Text(&g.name),
            Bind::OptText(g.description.as_deref()),
            Bind::Text(&words),
            Bind::Int(to_micros(g.created_at)),
        ];
        self.changed(&sql, &args).await.map(|_| ())
    }

    async fn update_group(&self, g: &Group) -> CoreResult<()> {
        // Built-ins (no agency) are never written.
        let sql = "UPDATE oris_groups SET name = $2, description = $3, permissions = $4 \
                   WHERE group_id = $1 AND agency_id IS NOT NULL";
        let words = permission_words(g);
        let args = [
            Bind::Text(&g.group_id),
            Bind::Text(&g.name),
            Bind::OptText(g.description.as_deref()),
            Bind::Text(&words),
        ];
        self.changed(sql, &args).await.map(|_| ())
    }

    async fn delete_group(&self, group_id: &str) -> CoreResult<bool> {
        // The members' foreign key settles a member added meanwhile.
        let sql = "DELETE FROM oris_groups WHERE group_id = $1 AND agency_id IS NOT NULL \
                   AND NOT EXISTS (SELECT 1 FROM oris_members WHERE group_id = $1)";
        Ok(self.changed(sql, &[Bind::Text(group_id)]).await? == 1)
    }

    async fn insert_api_key(&self, k: &ApiKey) -> CoreResult<()> {
        let sql = format!(
            "INSERT INTO oris_api_keys ({KEY_COLS}) VALUES ({})",
            crate::sql::placeholders(1, 9)
        );
        let args = [
            Bind::Text(&k.api_key_id),
            Bind::Text(&k.agency_id),
            Bind::Text(&k.name),
            Bind::Text(&k.prefix),
            Bind::Text(&k.key_hash),
            Bind::Text(&k.secret_hash),
            Bind::Int(to_micros(k.created_at)),
            Bind::OptInt(k.last_used_at.map(to_micros)),
            Bind::OptInt(k.revoked_at.map(to_micros)),
        ];
        self.changed(&sql, &args).await.map(|_| ())
    }

    async fn api_keys_of(&self, agency_id: &str) -> CoreResult<Vec<ApiKey>> {
        let sql = format!(
            "SELECT {KEY_COLS} FROM oris_api_keys WHERE agency_id = $1 \
             ORDER BY created_at, api_key_id"
        );
        let rows = on_db!(&self.db, p => sqlx::query_as::<_, KeyRow>(&sql)
            .bind(agency_id).fetch_all(p).await)
        .map_err(map_err)?;
        Ok(rows.into_iter().map(ApiKey::from).collect())
    }

    async fn api_key_by_hash(&self, key_hash: &str) -> CoreResult<Option<ApiKey>> {
        let sql = format!("SELECT {KEY_COLS} FROM oris_api_keys WHERE key_hash = $1");
        let row = on_db!(&self.db, p => sqlx::query_as::<_, KeyRow>(&sql)
            .bind(key_hash).fetch_optional(p).await)
        .map_err(map_err)?;
        Ok(row.map(ApiKey::from))
    }

    async fn revoke_api_key(
        &self,
        agency_id: &str,
        api_key_id: &str,
        at: DateTime<Utc>,
    ) -> CoreResult<bool> {
        let sql = "UPDATE oris_api_keys SET revoked_at = $3 WHERE api_key_id = $1 \
                   AND agency_id = $2 AND revoked_at IS NULL";
        let args = [
            Bind::Text(api_key_id),
            Bind::Text(agency_id),
            Bind::Int(to_micros(at)),
        ];
        Ok(self.changed(sql, &args).await? == 1)
    }

    async fn api_key_used(&self, api_key_id: &str, at: DateTime<Utc>) -> CoreResult<()> {
        let sql = "UPDATE oris_api_keys SET last_used_at = $2 WHERE api_key_id = $1";
        let args = [Bind::Text(api_key_id), Bind::Int(to_micros(at))];
        self.changed(sql, &args).await.map(|_| ())
    }

    async fn rotate_refresh(
        &self,
        session_id: &str,
        old: &str,
        new: &str,
        expires_at: DateTime<Utc>,
    ) -> CoreResult<bool> {
        // Compare-and-set: only the refresh that still holds `old` moves it.
        let sql = "UPDATE oris_sessions SET refresh_jti = $3, expires_at = $4 \
                   WHERE session_id = $1 AND refresh_jti = $2 AND revoked_at IS NULL";
        let args = [
            Bind::Text(session_id),
            Bind::Text(old),
            Bind::Text(new),
            Bind::Int(to_micros(expires_at)),
        ];
        Ok(self.changed(sql, &args).await? == 1)
    }

    async fn revoke_session(&self, session_id: &str, at: DateTime<Utc>) -> CoreResult<()> {
        let sql = "UPDATE oris_sessions SET revoked_at = $2, refresh_jti = NULL \
                   WHERE session_id = $1 AND revoked_at IS NULL";
        let args = [Bind::Text(session_id), Bind::Int(to_micros(at))];
        self.changed(sql, &args).await.map(|_| ())
    }

    async fn revoke_sessions_of(&self, subject_id: &str, at: DateTime<Utc>) -> CoreResult<()> {
        let sql = "UPDATE oris_sessions SET revoked_at = $2, refresh_jti = NULL \
                   WHERE subject_id = $1 AND revoked_at IS NULL";
        let args = [Bind::Text(subject_id), Bind::Int(to_micros(at))];
        self.changed(sql, &args).await.map(|_| ())
    }
}

//! Remitters, their consents and the reports of their remittances:
//! finhub_core::oris::remit. A call's reports are read and written in one
//! transaction (`ReportTx`), many rows per statement.

use super::{bad, flag};
use crate::{map_err, on_db, Db, Store};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use finhub_core::clock::{from_micros, to_micros};
use finhub_core::oris::remit::{
    History, IdentityType, RemitRepo, RemitStatus, Remittance, Remitter, RemitterConsent,
    ReportFilter, ReportTx, ReportWrites, Used, UserType,
};
use finhub_core::CoreResult;
use sqlx::{Postgres, Sqlite, Transaction};

/// Rows per multi-row statement: SQLite's cost per row grows with the
/// statement's length (1,000 rows of 15 values cost 7 times 10 statements of
/// 100), and 100 rows already spare PostgreSQL 99 of 100 round trips.
const ROWS: usize = 100;
/// Values per `IN (..)` list: far under SQLite's 32766 and PostgreSQL's 65535.
const IN_LIST: usize = 1_000;

/// The placeholder mark of a long statement: SQLite looks a `$N` up by
/// name (a linear search per use, quadratic over thousands); PostgreSQL
/// knows `$N` only.
fn mark(sqlite: bool) -> char {
    if sqlite {
        '?'
    } else {
        '$'
    }
}

/// `rows` groups of `n` placeholders, through the store's one writer of
/// them (`sql::push_values`: anonymous `?` on SQLite, `$N` on PostgreSQL).
fn values(m: char, rows: usize, n: usize) -> String {
    let mut sql = String::new();
    crate::sql::push_values(&mut sql, rows, n, m == '$');
    sql
}

/// `n` placeholders without the parentheses (IN lists, one row's values).
fn list(m: char, n: usize) -> String {
    let row = values(m, 1, n);
    row[1..row.len() - 1].to_owned()
}

const REMITTER_COLS: &str = "user_id, user_name, user_type, user_country, identity_type, \
     identity_hash, birth_date, person_id, active, created_at";

#[derive(sqlx::FromRow)]
struct RemitterRow {
    user_id: String,
    user_name: String,
    user_type: String,
    user_country: String,
    identity_type: String,
    identity_hash: String,
    birth_date: String,
    person_id: Option<String>,
    active: i64,
    created_at: i64,
}

impl RemitterRow {
    fn into_remitter(self) -> CoreResult<Remitter> {
        Ok(Remitter {
            user_type: UserType::parse(&self.user_type).ok_or_else(|| bad("user type"))?,
            identity_type: IdentityType::parse(&self.identity_type)
                .ok_or_else(|| bad("identity type"))?,
            birth_date: NaiveDate::parse_from_str(&self.birth_date, "%Y%m%d")
                .map_err(|_| bad("birth date"))?,
            user_id: self.user_id,
            user_name: self.user_name,
            user_country: self.user_country,
            identity_hash: self.identity_hash,
            person_id: self.person_id,
            active: self.active != 0,
            created_at: from_micros(self.created_at),
        })
    }
}

const REMITTANCE_COLS: &str = "bmi, agency_id, user_id, account_year, status, request_date, \
     usd_cents, evidence_submitted, currency, amount, receiver_country, counted_cents, entries, \
     created_at, updated_at";
const REMITTANCE_N: usize = 15;

#[derive(sqlx::FromRow)]
struct RemittanceRow {
    bmi: String,
    agency_id: String,
    user_id: String,
    account_year: i64,
    status: String,
    request_date: i64,
    usd_cents: i64,
    evidence_submitted: i64,
    currency: Option<String>,
    amount: Option<String>,
    receiver_country: Option<String>,
    counted_cents: i64,
    entries: i64,
    created_at: i64,
    updated_at: i64,
}

impl RemittanceRow {
    fn into_remittance(self) -> CoreResult<Remittance> {
        Ok(Remittance {
            status: RemitStatus::parse(&self.status).ok_or_else(|| bad("remittance status"))?,
            account_year: i32::try_from(self.account_year).map_err(|_| bad("account year"))?,
            bmi: self.bmi,
            agency_id: self.agency_id,
            user_id: self.user_id,
            request_date: from_micros(self.request_date),
            usd_cents: self.usd_cents,
            evidence_submitted: self.evidence_submitted != 0,
            currency: self.currency,
            amount: self.amount,
            receiver_country: self.receiver_country,
            counted_cents: self.counted_cents,
            entries: self.entries,
            created_at: from_micros(self.created_at),
            updated_at: from_micros(self.updated_at),
        })
    }
}

fn remittances(rows: Vec<RemittanceRow>) -> CoreResult<Vec<Remittance>> {
    rows.into_iter()
        .map(RemittanceRow::into_remittance)
        .collect()
}

const HISTORY_COLS: &str = "bmi, seq, status, request_date, usd_cents, reason, created_at";
const HISTORY_N: usize = 7;

#[derive(sqlx::FromRow)]
struct HistoryRow {
    bmi: String,
    seq: i64,
    status: String,
    request_date: i64,
    usd_cents: i64,
    reason: Option<String>,
    created_at: i64,
}

impl HistoryRow {
    fn into_history(self) -> CoreResult<History> {
        Ok(History {
            status: RemitStatus::parse(&self.status).ok_or_else(|| bad("history status"))?,
            bmi: self.bmi,
            seq: self.seq,
            request_date: from_micros(self.request_date),
            usd_cents: self.usd_cents,
            reason: self.reason,
            created_at: from_micros(self.created_at),
        })
    }
}

const CONSENT_COLS: &str = "consent_id, user_id, term_id, agency_id, \
     identity_verification_method, consenter_name, additional_info, is_under_fourteen, \
     consent_at, withdrawn_at";

#[derive(sqlx::FromRow)]
struct ConsentRow {
    consent_id: String,
    user_id: String,
    term_id: String,
    agency_id: String,
    identity_verification_method: String,
    consenter_name: Option<String>,
    additional_info: Option<String>,
    is_under_fourteen: Option<i64>,
    consent_at: i64,
    withdrawn_at: Option<i64>,
}

impl ConsentRow {
    fn into_consent(self) -> RemitterConsent {
        RemitterConsent {
            consent_id: self.consent_id,
            user_id: self.user_id,
            term_id: self.term_id,
            agency_id: self.agency_id,
            identity_verification_method: self.identity_verification_method,
            consenter_name: self.consenter_name,
            additional_info: self.additional_info,
            is_under_fourteen: self.is_under_fourteen.map(|v| v != 0),
            consent_at: from_micros(self.consent_at),
            withdrawn_at: self.withdrawn_at.map(from_micros),
        }
    }
}

/// One report call's transaction, on either database.
enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Pg(Transaction<'static, Postgres>),
}

macro_rules! on_tx {
    ($tx:expr, $t:ident => $body:expr) => {
        match $tx {
            Tx::Sqlite($t) => $body,
            Tx::Pg($t) => $body,
        }
    };
}

struct Reports(Tx);

impl Reports {
    fn mark(&self) -> char {
        mark(matches!(self.0, Tx::Sqlite(_)))
    }
}

#[async_trait]
impl ReportTx for Reports {
    async fn claim(&mut self, rows: &[Remittance]) -> CoreResult<Vec<String>> {
        let mut out = Vec::new();
        for part in rows.chunks(ROWS) {
            let sql = format!(
                "INSERT INTO oris_remittances ({REMITTANCE_COLS}) VALUES {} \
                 ON CONFLICT (bmi) DO NOTHING RETURNING bmi",
                values(self.mark(), part.len(), REMITTANCE_N)
            );
            let got: Vec<String> = on_tx!(&mut self.0, t => {
                let mut q = sqlx::query_scalar(&sql);
                for r in part {
                    q = q.bind(&r.bmi).bind(&r.agency_id).bind(&r.user_id)
                        .bind(i64::from(r.account_year)).bind(r.status.as_str())
                        .bind(to_micros(r.request_date)).bind(r.usd_cents)
                        .bind(flag(r.evidence_submitted)).bind(&r.currency).bind(&r.amount)
                        .bind(&r.receiver_country).bind(r.counted_cents).bind(r.entries)
                        .bind(to_micros(r.created_at)).bind(to_micros(r.updated_at));
                }
                q.fetch_all(&mut **t).await
            })
            .map_err(map_err)?;
            out.extend(got);
        }
        Ok(out)
    }

    async fn remittances(&mut self, bmis: &[String]) -> CoreResult<Vec<Remittance>> {
        let mut out = Vec::new();
        for part in bmis.chunks(IN_LIST) {
            let sql = format!(
                "SELECT {REMITTANCE_COLS} FROM oris_remittances WHERE bmi IN ({})",
                list(self.mark(), part.len())
            );
            let rows: Vec<RemittanceRow> = on_tx!(&mut self.0, t => {
                let mut q = sqlx::query_as(&sql);
                for b in part {
                    q = q.bind(b);
                }
                q.fetch_all(&mut **t).await
            })
            .map_err(map_err)?;
            out.extend(remittances(rows)?);
        }
        Ok(out)
    }

    async fn used(&mut self, keys: &[(String, i32)]) -> CoreResult<Vec<(String, i32, Used)>> {
        let mut out = Vec::new();
        for part in keys.chunks(ROWS) {
            let sql = format!(
                "SELECT {TOTAL_COLS} FROM oris_limit_totals t \
                 JOIN (VALUES {}) AS k ON t.user_id = k.column1 AND t.account_year = k.column2",
                values(self.mark(), part.len(), 2)
            );
            let rows: Vec<(String, i64, i64, i64)> = on_tx!(&mut self.0, t => {
                let mut q = sqlx::query_as(&sql);
                for (u, y) in part {
                    q = q.bind(u).bind(i64::from(*y));
                }
                q.fetch_all(&mut **t).await
            })
            .map_err(map_err)?;
            out.extend(rows.into_iter().filter_map(|(u, y, cents, count)| {
                Some((u, i32::try_from(y).ok()?, Used { cents, count }))
            }));
        }
        Ok(out)
    }

    async fn write(&mut self, w: &ReportWrites) -> CoreResult<()> {
        for part in w.histories.chunks(ROWS) {
            let sql = format!(
                "INSERT INTO oris_remittance_histories ({HISTORY_COLS}) VALUES {}",
                values(self.mark(), part.len(), HISTORY_N)
            );
            on_tx!(&mut self.0, t => {
                let mut q = sqlx::query(&sql);
                for h in part {
                    q = q.bind(&h.bmi).bind(h.seq).bind(h.status.as_str())
                        .bind(to_micros(h.request_date)).bind(h.usd_cents).bind(&h.reason)
                        .bind(to_micros(h.created_at));
                }
                q.execute(&mut **t).await.map(|_| ())
            })
            .map_err(map_err)?;
        }
        for part in w.changed.chunks(ROWS) {
            self.update_states(part).await?;
        }
        for part in w.deltas.chunks(ROWS) {
            self.add_totals(part).await?;
        }
        Ok(())
    }

    async fn commit(self: Box<Self>) -> CoreResult<()> {
        match self.0 {
            Tx::Sqlite(t) => t.commit().await,
            Tx::Pg(t) => t.commit().await,
        }
        .map_err(map_err)
    }
}

const TOTAL_COLS: &str = "t.user_id, t.account_year, t.used_cents, t.counted";

/// The columns a report's later entries change, in `update_states` order.
const STATE_N: usize = 10;

impl Reports {
    /// Add each (userId, year)'s change to its total, the row made at need.
    async fn add_totals(&mut self, part: &[(String, i32, Used)]) -> CoreResult<()> {
        let sql = format!(
            "INSERT INTO oris_limit_totals (user_id, account_year, used_cents, counted) \
             VALUES {} ON CONFLICT (user_id, account_year) DO UPDATE SET \
             used_cents = oris_limit_totals.used_cents + excluded.used_cents, \
             counted = oris_limit_totals.counted + excluded.counted",
            values(self.mark(), part.len(), 4)
        );
        on_tx!(&mut self.0, t => {
            let mut q = sqlx::query(&sql);
            for (u, y, d) in part {
                q = q.bind(u).bind(i64::from(*y)).bind(d.cents).bind(d.count);
            }
            q.execute(&mut **t).await.map(|_| ())
        })
        .map_err(map_err)
    }

    /// Many reports' new latest state in one statement (`UPDATE .. FROM
    /// (VALUES ..)`, whose columns both databases name column1..).
    async fn update_states(&mut self, part: &[Remittance]) -> CoreResult<()> {
        let sql = format!(
            "UPDATE oris_remittances SET status = v.column2, request_date = v.column3, \
             usd_cents = v.column4, evidence_submitted = v.column5, currency = v.column6, \
             amount = v.column7, receiver_country = v.column8, counted_cents = v.column9, \
             entries = v.column10, updated_at = v.column11 \
             FROM (VALUES {}) AS v WHERE oris_remittances.bmi = v.column1",
            values(self.mark(), part.len(), STATE_N + 1)
        );
        on_tx!(&mut self.0, t => {
            let mut q = sqlx::query(&sql);
            for r in part {
                q = q.bind(&r.bmi).bind(r.status.as_str()).bind(to_micros(r.request_date))
                    .bind(r.usd_cents).bind(flag(r.evidence_submitted)).bind(&r.currency)
                    .bind(&r.amount).bind(&r.receiver_country).bind(r.counted_cents)
                    .bind(r.entries).bind(to_micros(r.updated_at));
            }
            q.execute(&mut **t).await.map(|_| ())
        })
        .map_err(map_err)
    }
}

/// A page's filters as SQL conditions and their values, numbered from $1.
fn filter_sql(f: &ReportFilter) -> (String, Vec<Bind>) {
    let mut conds = Vec::new();
    let mut binds = Vec::new();
    let mut push = |cond: &str, b: Bind| {
        binds.push(b);
        conds.push(format!("{cond} ${}", binds.len()));
    };
    if let Some(u) = &f.user_id {
        push("user_id =", Bind::Text(u.clone()));
    }
    if let Some(a) = &f.agency_id {
        push("agency_id =", Bind::Text(a.clone()));
    }
    if let Some(s) = f.status {
        push("status =", Bind::Text(s.as_str().to_owned()));
    }
    if let Some(t) = f.from {
        push("request_date >=", Bind::Int(to_micros(t)));
    }
    if let Some(t) = f.to {
        push("request_date <=", Bind::Int(to_micros(t)));
    }
    let sql = if conds.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conds.join(" AND "))
    };
    (sql, binds)
}

enum Bind {
    Text(String),
    Int(i64),
}

impl Store {
    fn mark(&self) -> char {
        mark(matches!(self.db, Db::Sqlite(_)))
    }
}

#[async_trait]
impl RemitRepo for Store {
    async fn insert_remitter(&self, r: &Remitter) -> CoreResult<(Remitter, bool)> {
        // The identity's unique key decides a repeat, not a read before.
        let sql = format!(
            "INSERT INTO oris_remitters ({REMITTER_COLS}) VALUES ({}) \
             ON CONFLICT (identity_hash) DO NOTHING",
            list(self.mark(), 10)
        );
        let done = on_db!(&self.db, p => sqlx::query(&sql)
            .bind(&r.user_id).bind(&r.user_name).bind(r.user_type.as_str()).bind(&r.user_country)
            .bind(r.identity_type.as_str()).bind(&r.identity_hash)
            .bind(r.birth_date.format("%Y%m%d").to_string()).bind(&r.person_id)
            .bind(flag(r.active)).bind(to_micros(r.created_at))
            .execute(p).await.map(|x| x.rows_affected()))
        .map_err(map_err)?;
        let sql = format!("SELECT {REMITTER_COLS} FROM oris_remitters WHERE identity_hash = $1");
        let row: RemitterRow = on_db!(&self.db, p => sqlx::query_as(&sql)
            .bind(&r.identity_hash).fetch_one(p).await)
        .map_err(map_err)?;
        Ok((row.into_remitter()?, done == 1))
    }

    async fn remitter(&self, user_id: &str) -> CoreResult<Option<Remitter>> {
        let sql = format!("SELECT {REMITTER_COLS} FROM oris_remitters WHERE user_id = $1");
        let row: Option<RemitterRow> = on_db!(&self.db, p => sqlx::query_as(&sql)
            .bind(user_id).fetch_optional(p).await)
        .map_err(map_err)?;
        row.map(RemitterRow::into_remitter).transpose()
    }

    async fn remitters(&self, user_ids: &[String]) -> CoreResult<Vec<Remitter>> {
        let mut out = Vec::new();
        for part in user_ids.chunks(IN_LIST) {
            let sql = format!(
                "SELECT {REMITTER_COLS} FROM oris_remitters WHERE user_id IN ({})",
                list(self.mark(), part.len())
            );
            let rows: Vec<RemitterRow> = on_db!(&self.db, p => {
                let mut q = sqlx::query_as(&sql);
                for u in part {
                    q = q.bind(u);
                }
                q.fetch_all(p).await
            })
            .map_err(map_err)?;
            for r in rows {
                out.push(r.into_remitter()?);
            }
        }
        Ok(out)
    }

    async fn attach_person(&self, user_id: &str, person_id: &str) -> CoreResult<()> {
        on_db!(&self.db, p => sqlx::query(
            "UPDATE oris_remitters SET person_id = $1 WHERE user_id = $2 AND person_id IS NULL")
            .bind(person_id).bind(user_id).execute(p).await.map(|_| ()))
        .map_err(map_err)
    }

    async fn set_remitter_active(&self, user_id: &str, active: bool) -> CoreResult<bool> {
        let n = on_db!(&self.db, p => sqlx::query(
            "UPDATE oris_remitters SET active = $1 WHERE user_id = $2")
            .bind(flag(active)).bind(user_id).execute(p).await.map(|r| r.rows_affected()))
        .map_err(map_err)?;
        Ok(n == 1)
    }

    async fn begin_reports(&self) -> CoreResult<Box<dyn ReportTx>> {
        let tx = match &self.db {
            // Take SQLite's write lock at once: a read-then-write transaction
            // would otherwise be refused when another commit came between.
            Db::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await.map_err(map_err)?),
            Db::Pg(p) => Tx::Pg(p.begin().await.map_err(map_err)?),
        };
        Ok(Box::new(Reports(tx)))
    }

    async fn remittance(&self, bmi: &str) -> CoreResult<Option<Remittance>> {
        let sql = format!("SELECT {REMITTANCE_COLS} FROM oris_remittances WHERE bmi = $1");
        let row: Option<RemittanceRow> = on_db!(&self.db, p => sqlx::query_as(&sql)
            .bind(bmi).fetch_optional(p).await)
        .map_err(map_err)?;
        row.map(RemittanceRow::into_remittance).transpose()
    }

    async fn histories(&self, bmis: &[String]) -> CoreResult<Vec<History>> {
        let mut out = Vec::new();
        for part in bmis.chunks(IN_LIST) {
            let sql = format!(
                "SELECT {HISTORY_COLS} FROM oris_remittance_histories WHERE bmi IN ({}) \
                 ORDER BY bmi, seq",
                list(self.mark(), part.len())
            );
            let rows: Vec<HistoryRow> = on_db!(&self.db, p => {
                let mut q = sqlx::query_as(&sql);
                for b in part {
                    q = q.bind(b);
                }
                q.fetch_all(p).await
            })
            .map_err(map_err)?;
            for r in rows {
                out.push(r.into_history()?);
            }
        }
        Ok(out)
    }

    async fn list_remittances(&self, f: &ReportFilter) -> CoreResult<(Vec<Remittance>, u64)> {
        let (cond, binds) = filter_sql(f);
        let count_sql = format!("SELECT COUNT(*) FROM oris_remittances {cond}");
        let page_sql = format!(
            "SELECT {REMITTANCE_COLS} FROM oris_remittances {cond} \
             ORDER BY request_date DESC, bmi DESC LIMIT {} OFFSET {}",
            f.limit, f.offset
        );
        let (total, rows): (i64, Vec<RemittanceRow>) = on_db!(&self.db, p => {
            let mut c = sqlx::query_scalar(&count_sql);
            let mut q = sqlx::query_as(&page_sql);
            for b in &binds {
                match b {
                    Bind::Text(s) => { c = c.bind(s); q = q.bind(s); }
                    Bind::Int(i) => { c = c.bind(*i); q = q.bind(*i); }
                }
            }
            let total: i64 = c.fetch_one(p).await.map_err(map_err)?;
            (total, q.fetch_all(p).await.map_err(map_err)?)
        });
        Ok((remittances(rows)?, u64::try_from(total).unwrap_or(0)))
    }

    async fn used(&self, user_id: &str, year: i32) -> CoreResult<Used> {
        let sql = format!(
            "SELECT {TOTAL_COLS} FROM oris_limit_totals t \
             WHERE t.user_id = $1 AND t.account_year = $2"
        );
        let row: Option<(String, i64, i64, i64)> = on_db!(&self.db, p => sqlx::query_as(&sql)
            .bind(user_id).bind(i64::from(year)).fetch_optional(p).await)
        .map_err(map_err)?;
        Ok(row.map_or_else(Used::default, |(_, _, cents, count)| Used { cents, count }))
    }

    async fn insert_remitter_consent(
        &self,
        c: &RemitterConsent,
    ) -> CoreResult<(RemitterConsent, bool)> {
        let sql = format!(
            "INSERT INTO oris_remitter_consents ({CONSENT_COLS}) VALUES ({}) \
             ON CONFLICT (user_id, term_id, agency_id) WHERE withdrawn_at IS NULL DO NOTHING",
            list(self.mark(), 10)
        );
        let done = on_db!(&self.db, p => sqlx::query(&sql)
            .bind(&c.consent_id).bind(&c.user_id).bind(&c.term_id).bind(&c.agency_id)
            .bind(&c.identity_verification_method).bind(&c.consenter_name)
            .bind(&c.additional_info).bind(c.is_under_fourteen.map(flag))
            .bind(to_micros(c.consent_at)).bind(c.withdrawn_at.map(to_micros))
            .execute(p).await.map(|x| x.rows_affected()))
        .map_err(map_err)?;
        let sql = format!(
            "SELECT {CONSENT_COLS} FROM oris_remitter_consents \
             WHERE user_id = $1 AND term_id = $2 AND agency_id = $3 AND withdrawn_at IS NULL"
        );
        let row: ConsentRow = on_db!(&self.db, p => sqlx::query_as(&sql)
            .bind(&c.user_id).bind(&c.term_id).bind(&c.agency_id).fetch_one(p).await)
        .map_err(map_err)?;
        Ok((row.into_consent(), done == 1))
    }

    async fn remitter_consent(&self, consent_id: &str) -> CoreResult<Option<RemitterConsent>> {
        let sql =
            format!("SELECT {CONSENT_COLS} FROM oris_remitter_consents WHERE consent_id = $1");
        let row: Option<ConsentRow> = on_db!(&self.db, p => sqlx::query_as(&sql)
            .bind(consent_id).fetch_optional(p).await)
        .map_err(map_err)?;
        Ok(row.map(ConsentRow::into_consent))
    }

    async fn remitter_consents(
        &self,
        user_id: &str,
        agency_id: &str,
    ) -> CoreResult<Vec<RemitterConsent>> {
        let sql = format!(
            "SELECT {CONSENT_COLS} FROM oris_remitter_consents \
             WHERE user_id = $1 AND agency_id = $2 ORDER BY consent_at, consent_id"
        );
        let rows: Vec<ConsentRow> = on_db!(&self.db, p => sqlx::query_as(&sql)
            .bind(user_id).bind(agency_id).fetch_all(p).await)
        .map_err(map_err)?;
        Ok(rows.into_iter().map(ConsentRow::into_consent).collect())
    }

    async fn withdraw_remitter_consent(
        &self,
        consent_id: &str,
        at: DateTime<Utc>,
    ) -> CoreResult<()> {
        on_db!(&self.db, p => sqlx::query(
            "UPDATE oris_remitter_consents SET withdrawn_at = $1 \
             WHERE consent_id = $2 AND withdrawn_at IS NULL")
            .bind(to_micros(at)).bind(consent_id).execute(p).await.map(|_| ()))
        .map_err(map_err)
    }
}

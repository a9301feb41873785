//! Reports of remittances (R1 신규, R2 정정, R3 퇴결), one or many per call:
//! every row of a call is applied in one store transaction, in order, and
//! each row's refusal is its own. The batch helper and R1–R3 share it.

use super::ids::Bmi;
use super::remit::{
    account_year, History, RemitStatus, Remittance, Remitter, Used, ANNUAL_LIMIT_CENTS,
};
use super::staff::Agency;
use super::{OrisResult, Refusal, Registry};
use crate::CoreError;
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};

/// A withdrawal tied to a bank agency's report: the remitter's account at
/// that bank is debited the KRW worth at the reported rate.
#[derive(Debug, Clone)]
pub struct Withdrawal {
    pub account_number: String,
    /// KRW per USD in ten-thousandths (1385.2 → 13_852_000).
    pub krw_rate_e4: i64,
}

/// R1's fields.
#[derive(Debug, Clone)]
pub struct NewReport {
    pub bmi: String,
    pub user_id: String,
    pub request_date: DateTime<Utc>,
    pub usd_cents: i64,
    pub currency: Option<String>,
    pub amount: Option<String>,
    pub evidence_submitted: bool,
    pub receiver_country: Option<String>,
    pub withdrawal: Option<Withdrawal>,
}

/// R2's fields: what is given replaces the report's.
#[derive(Debug, Clone)]
pub struct Correction {
    pub bmi: String,
    /// When given, it must be the report's.
    pub user_id: Option<String>,
    pub request_date: DateTime<Utc>,
    pub usd_cents: i64,
    pub currency: Option<String>,
    pub amount: Option<String>,
    pub evidence_submitted: Option<bool>,
    pub receiver_country: Option<String>,
}

/// R3's fields.
#[derive(Debug, Clone)]
pub struct ReturnReport {
    pub bmi: String,
    pub return_date: DateTime<Utc>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone)]
pub enum ReportRow {
    New(NewReport),
    Correct(Correction),
    Return(ReturnReport),
}

impl ReportRow {
    pub fn bmi(&self) -> &str {
        match self {
            ReportRow::New(r) => &r.bmi,
            ReportRow::Correct(r) => &r.bmi,
            ReportRow::Return(r) => &r.bmi,
        }
    }
}

/// A row applied: the report's state and the remitter's year after it.
#[derive(Debug, Clone)]
pub struct Applied {
    pub bmi: String,
    pub user_id: String,
    pub status: RemitStatus,
    pub account_year: i32,
    pub used: Used,
    pub remaining_cents: i64,
    pub limit_exceeded: bool,
    pub created_at: DateTime<Utc>,
}

pub type RowResult = Result<Applied, Refusal>;

/// How often a call is replayed after a concurrent writer took a row it
/// read as free (or SQLite's writer was busy).
const ATTEMPTS: usize = 5;

impl Registry {
    /// Apply `rows` for `agency` in one transaction. The outer error is the
    /// store's; a row's refusal is in its slot.
    pub async fn apply_reports(
        &self,
        agency: &Agency,
        rows: Vec<ReportRow>,
    ) -> OrisResult<Vec<RowResult>> {
        let checked = self.precheck(agency, rows).await?;
        let (rows, refused): (Vec<Option<ReportRow>>, Vec<Option<Refusal>>) = checked
            .into_iter()
            .map(|r| match r {
                Ok(row) => (Some(row), None),
                Err(e) => (None, Some(e)),
            })
            .unzip();
        let mut attempt = 0;
        let applied = loop {
            attempt += 1;
            match self.apply_once(agency, &rows).await {
                Err(Refusal::Store(CoreError::Conflict(_) | CoreError::Unavailable(_)))
                    if attempt < ATTEMPTS =>
                {
                    tokio::time::sleep(std::time::Duration::from_millis(5 << attempt)).await;
                }
                r => break r?,
            }
        };
        Ok(applied
            .into_iter()
            .zip(refused)
            .map(|(a, e)| match (a, e) {
                (Some(a), _) => a,
                (None, Some(e)) => Err(e),
                (None, None) => Err(Refusal::Invalid("row not applied".into())),
            })
            .collect())
    }

    /// R1, R2 or R3: one row, its refusal the call's.
    pub async fn report(&self, agency: &Agency, row: ReportRow) -> OrisResult<Applied> {
        self.apply_reports(agency, vec![row])
            .await?
            .pop()
            .unwrap_or_else(|| Err(Refusal::Invalid("nothing to report".into())))
    }

    /// The rules a row breaks on its own, and its remitter's state.
    async fn precheck(
        &self,
        agency: &Agency,
        rows: Vec<ReportRow>,
    ) -> OrisResult<Vec<Result<ReportRow, Refusal>>> {
        let ids: Vec<String> = rows
            .iter()
            .filter_map(|r| match r {
                ReportRow::New(n) => Some(n.user_id.clone()),
                _ => None,
            })
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let users: HashMap<String, Remitter> = self
            .repo
            .remitters(&ids)
            .await?
            .into_iter()
            .map(|u| (u.user_id.clone(), u))
            .collect();
        Ok(rows
            .into_iter()
            .map(|r| check_row(agency, &users, r))
            .collect())
    }

    async fn apply_once(
        &self,
        agency: &Agency,
        rows: &[Option<ReportRow>],
    ) -> OrisResult<Vec<Option<RowResult>>> {
        let now = self.now();
        let mut tx = self.repo.begin_reports().await?;
        let bmis: Vec<String> = rows
            .iter()
            .flatten()
            .map(|r| r.bmi().to_owned())
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let before: HashMap<String, Remittance> = tx
            .remittances(&bmis)
            .await?
            .into_iter()
            .map(|r| (r.bmi.clone(), r))
            .collect();
        let creators = creators(agency, rows, now);
        let mut keys: HashSet<(String, i32)> = before
            .values()
            .map(|r| (r.user_id.clone(), r.account_year))
            .collect();
        keys.extend(
            creators
                .values()
                .map(|(_, r)| (r.user_id.clone(), r.account_year)),
        );
        let keys: Vec<(String, i32)> = keys.into_iter().collect();
        let totals = tx.used(&keys).await?;
        // The primary key decides who creates a report, not the read above.
        let claims: Vec<Remittance> = creators.values().map(|(_, r)| r.clone()).collect();
        let claimed: HashSet<String> = tx.claim(&claims).await?.into_iter().collect();
        if creators
            .keys()
            .any(|b| !claimed.contains(b) && !before.contains_key(b))
        {
            return Err(CoreError::Conflict("oris_remittances_pkey".into()).into());
        }
        let mut plan = Plan {
            now,
            agency_id: &agency.agency_id,
            state: before,
            pending: creators,
            claimed,
            totals: totals.into_iter().map(|(u, y, t)| ((u, y), t)).collect(),
            dirty: HashSet::new(),
            histories: Vec::new(),
        };
        let results = rows
            .iter()
            .enumerate()
            .map(|(i, r)| r.as_ref().map(|row| plan.apply(i, row)))
            .collect();
        let changed: Vec<Remittance> = plan
            .dirty
            .iter()
            .filter_map(|b| plan.state.get(b).cloned())
            .collect();
        tx.write(&changed, &plan.histories).await?;
        tx.commit().await?;
        Ok(results)
    }
}

/// The first well-formed 신규 row of each bmi: the one that may create it,
/// with the report it would store.
fn creators(
    agency: &Agency,
    rows: &[Option<ReportRow>],
    now: DateTime<Utc>,
) -> HashMap<String, (usize, Remittance)> {
    let mut out = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        if let Some(ReportRow::New(n)) = r {
            out.entry(n.bmi.clone())
                .or_insert_with(|| (i, new_remittance(agency, n, now)));
        }
    }
    out
}

fn new_remittance(agency: &Agency, n: &NewReport, now: DateTime<Utc>) -> Remittance {
    let mut r = Remittance {
        bmi: n.bmi.clone(),
        agency_id: agency.agency_id.clone(),
        user_id: n.user_id.clone(),
        account_year: account_year(n.request_date),
        status: RemitStatus::New,
        request_date: n.request_date,
        usd_cents: n.usd_cents,
        evidence_submitted: n.evidence_submitted,
        currency: n.currency.clone(),
        amount: n.amount.clone(),
        receiver_country: n.receiver_country.clone(),
        counted_cents: 0,
        entries: 1,
        created_at: now,
        updated_at: now,
    };
    r.counted_cents = r.counted();
    r
}

/// The rules a row breaks without the store: the bmi's form and agency,
/// the amount, the remitter of a new report.
fn check_row(
    agency: &Agency,
    users: &HashMap<String, Remitter>,
    row: ReportRow,
) -> Result<ReportRow, Refusal> {
    let bmi = Bmi::parse(row.bmi()).ok_or_else(|| {
        Refusal::Invalid(
            "businessMessageIdentifier must be yyyyMMdd + the agency code + 9 digits".into(),
        )
    })?;
    if bmi.agency_code() != agency.agency_code {
        return Err(Refusal::AgencyNotMatch);
    }
    let cents = match &row {
        ReportRow::New(n) => Some(n.usd_cents),
        ReportRow::Correct(c) => Some(c.usd_cents),
        ReportRow::Return(r) => {
            if r.reason.as_ref().is_some_and(|s| s.chars().count() > 200) {
                return Err(Refusal::Invalid("reason is at most 200 characters".into()));
            }
            None
        }
    };
    if cents.is_some_and(|c| c <= 0) {
        return Err(Refusal::Invalid(
            "usdExchangeAmount must be greater than 0".into(),
        ));
    }
    if let ReportRow::New(n) = &row {
        let u = users.get(&n.user_id).ok_or(Refusal::UserNotFound)?;
        if !u.active {
            return Err(Refusal::UserNotActive);
        }
    }
    Ok(row)
}

/// One call's rows played in order over the state read in its transaction.
struct Plan<'a> {
    now: DateTime<Utc>,
    agency_id: &'a str,
    state: HashMap<String, Remittance>,
    /// Reports this call creates, until their creating row is reached.
    pending: HashMap<String, (usize, Remittance)>,
    claimed: HashSet<String>,
    totals: HashMap<(String, i32), Used>,
    /// Reports whose stored state must be rewritten.
    dirty: HashSet<String>,
    histories: Vec<History>,
}

impl Plan<'_> {
    fn apply(&mut self, i: usize, row: &ReportRow) -> RowResult {
        let bmi = row.bmi();
        if let ReportRow::New(_) = row {
            let creates =
                self.claimed.contains(bmi) && self.pending.get(bmi).is_some_and(|(at, _)| *at == i);
            if !creates {
                return Err(Refusal::RemittanceExists);
            }
            let (_, r) = self.pending.remove(bmi).expect("a pending report");
            let at = r.request_date;
            self.record(None, r.clone(), None, at);
            return Ok(self.applied(&r));
        }
        let old = self
            .state
            .get(bmi)
            .cloned()
            .ok_or(Refusal::RemittanceNotFound)?;
        if old.agency_id != self.agency_id {
            return Err(Refusal::AgencyNotMatch);
        }
        if old.status == RemitStatus::Returned {
            return Err(Refusal::RemittanceCanceled);
        }
        let (mut new, reason, at) = match row {
            ReportRow::Correct(c) => (corrected(&old, c)?, None, c.request_date),
            ReportRow::Return(r) => (returned(&old), r.reason.clone(), r.return_date),
            ReportRow::New(_) => unreachable!("handled above"),
        };
        new.updated_at = self.now;
        self.dirty.insert(bmi.to_owned());
        let new = self.record(Some(&old), new, reason, at);
        Ok(self.applied(&new))
    }

    /// Store the new state, its history entry (dated `at`: the request, or
    /// the return) and the remitter's total.
    fn record(
        &mut self,
        old: Option<&Remittance>,
        mut new: Remittance,
        reason: Option<String>,
        at: DateTime<Utc>,
    ) -> Remittance {
        let seq = old.map_or(0, |o| o.entries);
        new.entries = seq + 1;
        new.counted_cents = new.counted();
        let was = old.map_or(0, |o| o.counted_cents);
        let key = (new.user_id.clone(), new.account_year);
        let t = self.totals.entry(key).or_default();
        t.cents += new.counted_cents - was;
        t.count += i64::from(new.counted_cents > 0) - i64::from(was > 0);
        self.histories.push(History {
            bmi: new.bmi.clone(),
            seq,
            status: new.status,
            request_date: at,
            usd_cents: new.usd_cents,
            reason,
            created_at: self.now,
        });
        self.state.insert(new.bmi.clone(), new.clone());
        new
    }

    fn applied(&self, r: &Remittance) -> Applied {
        let used = self
            .totals
            .get(&(r.user_id.clone(), r.account_year))
            .copied()
            .unwrap_or_default();
        Applied {
            bmi: r.bmi.clone(),
            user_id: r.user_id.clone(),
            status: r.status,
            account_year: r.account_year,
            used,
            remaining_cents: (ANNUAL_LIMIT_CENTS - used.cents).max(0),
            limit_exceeded: used.cents > ANNUAL_LIMIT_CENTS,
            created_at: self.now,
        }
    }
}

fn corrected(old: &Remittance, c: &Correction) -> Result<Remittance, Refusal> {
    if c.user_id.as_ref().is_some_and(|u| *u != old.user_id) {
        return Err(Refusal::Invalid(
            "userId is not the remitter of this report".into(),
        ));
    }
    if account_year(c.request_date) != old.account_year {
        return Err(Refusal::YearMismatch);
    }
    let mut r = old.clone();
    r.status = RemitStatus::Corrected;
    r.request_date = c.request_date;
    r.usd_cents = c.usd_cents;
    r.currency = c.currency.clone().or(r.currency);
    r.amount = c.amount.clone().or(r.amount);
    r.receiver_country = c.receiver_country.clone().or(r.receiver_country);
    r.evidence_submitted = c.evidence_submitted.unwrap_or(r.evidence_submitted);
    Ok(r)
}

/// A return keeps the remittance's request date and amount; its history
/// entry carries the return date.
fn returned(old: &Remittance) -> Remittance {
    let mut n = old.clone();
    n.status = RemitStatus::Returned;
    n
}

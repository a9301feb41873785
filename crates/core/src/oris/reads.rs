//! Reading reports: a remitter's across every agency (U3, U4, U5; behind
//! the remitter's consent) and an agency's own (R4, R5).

use super::remit::{
    account_year, History, Remittance, Remitter, ReportFilter, Used, ANNUAL_LIMIT_CENTS,
    CAP_AFTER_LIMIT_CENTS,
};
use super::staff::Agency;
use super::{OrisResult, Refusal, Registry};
use chrono::{DateTime, Duration, Months, Utc};
use std::collections::HashMap;

/// One report as U4 (and R4/R5) show it.
#[derive(Debug, Clone)]
pub struct ReportView {
    pub remittance: Remittance,
    pub sender: Remitter,
    pub agency: Agency,
    /// Oldest first.
    pub histories: Vec<History>,
}

/// A listing's window and filters, as parsed by the face.
#[derive(Debug, Clone)]
pub struct Window {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub agency_id: Option<String>,
    pub user_id: Option<String>,
    pub status: Option<super::remit::RemitStatus>,
    pub offset: u64,
    pub limit: u32,
}

/// U5's answer.
#[derive(Debug, Clone)]
pub struct Limits {
    pub user_id: String,
    pub account_year: i32,
    pub annual_limit_cents: i64,
    pub used: Used,
    pub remaining_cents: i64,
    pub cap_after_limit_cents: i64,
    pub as_of: DateTime<Utc>,
}

/// A window runs forward and spans one year at most.
fn check_window(w: &Window) -> OrisResult<()> {
    if w.to < w.from {
        return Err(Refusal::Invalid(
            "endDateTime is before startDateTime".into(),
        ));
    }
    let year_on = w
        .from
        .checked_add_months(Months::new(12))
        .unwrap_or(w.from + Duration::days(366));
    if w.to > year_on {
        return Err(Refusal::Invalid(
            "startDateTime to endDateTime spans more than one year".into(),
        ));
    }
    Ok(())
}

impl Registry {
    /// U2: the remitter's profile is personal data too: it needs the
    /// remitter's consent recorded by this agency, as U3-U5 do.
    pub async fn remitter_profile(&self, agency: &Agency, user_id: &str) -> OrisResult<Remitter> {
        self.consented_remitter(agency, user_id).await
    }

    /// The remitter, once this agency holds the remitter's consent.
    async fn consented_remitter(&self, agency: &Agency, user_id: &str) -> OrisResult<Remitter> {
        let r = self.remitter(user_id).await?;
        self.consented(agency, user_id).await?;
        Ok(r)
    }

    /// U3: the remitter's reports from every agency in the window, newest
    /// request first (histories left empty), and the total.
    pub async fn remitter_reports(
        &self,
        agency: &Agency,
        user_id: &str,
        w: Window,
    ) -> OrisResult<(Vec<ReportView>, u64)> {
        let sender = self.consented_remitter(agency, user_id).await?;
        check_window(&w)?;
        let f = ReportFilter {
            user_id: Some(user_id.to_owned()),
            ..filter(w)
        };
        let (rows, total) = self.repo.list_remittances(&f).await?;
        Ok((self.views(rows, Some(sender), false).await?, total))
    }

    /// U4: one report of the remitter, whichever agency made it.
    pub async fn remitter_report(
        &self,
        agency: &Agency,
        user_id: &str,
        bmi: &str,
    ) -> OrisResult<ReportView> {
        let sender = self.consented_remitter(agency, user_id).await?;
        let r = self
            .repo
            .remittance(bmi)
            .await?
            .filter(|r| r.user_id == user_id)
            .ok_or(Refusal::RemittanceNotFound)?;
        self.one_view(r, Some(sender)).await
    }

    /// U5: the remitter's year (the current KST year by default).
    pub async fn limits(
        &self,
        agency: &Agency,
        user_id: &str,
        year: Option<i32>,
    ) -> OrisResult<Limits> {
        self.consented_remitter(agency, user_id).await?;
        let now = self.now();
        let year = year.unwrap_or_else(|| account_year(now));
        let used = self.repo.used(user_id, year).await?;
        Ok(Limits {
            user_id: user_id.to_owned(),
            account_year: year,
            annual_limit_cents: ANNUAL_LIMIT_CENTS,
            used,
            remaining_cents: (ANNUAL_LIMIT_CENTS - used.cents).max(0),
            cap_after_limit_cents: CAP_AFTER_LIMIT_CENTS,
            as_of: now,
        })
    }

    /// R4: one of the calling agency's own reports.
    pub async fn agency_report(&self, agency: &Agency, bmi: &str) -> OrisResult<ReportView> {
        let r = self
            .repo
            .remittance(bmi)
            .await?
            .filter(|r| r.agency_id == agency.agency_id)
            .ok_or(Refusal::RemittanceNotFound)?;
        self.one_view(r, None).await
    }

    /// R5: the calling agency's own reports in the window, with histories.
    pub async fn agency_reports(
        &self,
        agency: &Agency,
        w: Window,
    ) -> OrisResult<(Vec<ReportView>, u64)> {
        check_window(&w)?;
        let f = ReportFilter {
            agency_id: Some(agency.agency_id.clone()),
            ..filter(w)
        };
        let (rows, total) = self.repo.list_remittances(&f).await?;
        Ok((self.views(rows, None, true).await?, total))
    }

    async fn one_view(&self, r: Remittance, sender: Option<Remitter>) -> OrisResult<ReportView> {
        self.views(vec![r], sender, true)
            .await?
            .pop()
            .ok_or(Refusal::RemittanceNotFound)
    }

    /// Reports with their remitter, agency and (when asked) histories,
    /// each read once for the whole page.
    async fn views(
        &self,
        rows: Vec<Remittance>,
        sender: Option<Remitter>,
        with_histories: bool,
    ) -> OrisResult<Vec<ReportView>> {
        let mut agencies: HashMap<String, Agency> = HashMap::new();
        for r in &rows {
            if !agencies.contains_key(&r.agency_id) {
                let a = self.repo.agency(&r.agency_id).await?;
                let a = a.ok_or(Refusal::AgencyNotFound)?;
                agencies.insert(a.agency_id.clone(), a);
            }
        }
        let users: HashMap<String, Remitter> = match sender {
            Some(s) => HashMap::from([(s.user_id.clone(), s)]),
            None => {
                let mut ids: Vec<String> = rows.iter().map(|r| r.user_id.clone()).collect();
                ids.sort();
                ids.dedup();
                let found = self.repo.remitters(&ids).await?;
                found.into_iter().map(|u| (u.user_id.clone(), u)).collect()
            }
        };
        let mut histories: HashMap<String, Vec<History>> = HashMap::new();
        if with_histories {
            let bmis: Vec<String> = rows.iter().map(|r| r.bmi.clone()).collect();
            for h in self.repo.histories(&bmis).await? {
                histories.entry(h.bmi.clone()).or_default().push(h);
            }
        }
        rows.into_iter()
            .map(|r| {
                let sender = users
                    .get(&r.user_id)
                    .cloned()
                    .ok_or(Refusal::UserNotFound)?;
                let agency = agencies[&r.agency_id].clone();
                let mut h = histories.remove(&r.bmi).unwrap_or_default();
                h.sort_by_key(|h| h.seq);
                Ok(ReportView {
                    remittance: r,
                    sender,
                    agency,
                    histories: h,
                })
            })
            .collect()
    }
}

fn filter(w: Window) -> ReportFilter {
    ReportFilter {
        user_id: w.user_id,
        agency_id: w.agency_id,
        status: w.status,
        from: Some(w.from),
        to: Some(w.to),
        offset: w.offset,
        limit: w.limit,
    }
}

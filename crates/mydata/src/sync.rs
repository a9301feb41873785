//! `search_timestamp` for the list and basic/detail APIs of every industry:
//! the answer carries now (KST, by the world's clock); a request whose
//! timestamp is newer than anything the API would show is answered `00001`
//! with no data. With paging the timestamp is taken and answered on the
//! first page only.
//!
//! What "changed" means per API: a list moves when an asset on it is opened
//! or closed, its terms change or the consent (its `is_consent` flags) is
//! new; a basic API when its asset or terms change; a detail API also with
//! every ledger movement (`last_tran_at`).

use crate::error::MResult;
use crate::extract::Caller;
use crate::params::{self, changed_since, Cursor};
use crate::wire::Synced;
use crate::MydataState;
use chrono::{DateTime, Utc};
use finhub_core::account::{Account, AccountKind, AccountStatus};
use finhub_core::product::{ProductRecord, ProductTerms};
use std::collections::HashMap;

/// The request's `search_timestamp`, read against the world's now.
#[derive(Debug, Clone, Copy)]
pub struct Sync {
    since: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    /// False on later pages: they neither take nor answer a timestamp.
    first_page: bool,
}

impl Sync {
    /// A basic/detail API's timestamp (40001 when not N(14)).
    pub fn parse(v: Option<&str>, now: DateTime<Utc>) -> MResult<Sync> {
        Ok(Sync {
            since: params::search_timestamp(v)?,
            now,
            first_page: true,
        })
    }

    /// A paged API's timestamp: ignored once `next_page` is given.
    pub fn paged(v: Option<&str>, next_page: Option<&str>, now: DateTime<Utc>) -> MResult<Sync> {
        if next_page.is_some_and(|p| !p.is_empty()) {
            return Ok(Sync {
                since: None,
                now,
                first_page: false,
            });
        }
        Self::parse(v, now)
    }

    /// The `search_timestamp` to answer: now on a first page, else none.
    pub fn stamp(&self) -> Option<i64> {
        self.first_page.then(|| params::timestamp_now(self.now))
    }

    /// Whether data modified at `modified` is news to the caller.
    pub fn changed(&self, modified: DateTime<Utc>) -> bool {
        changed_since(modified, self.since)
    }

    /// The answer: `body(stamp)` when something changed since the request's
    /// timestamp, else `00001` with now.
    pub fn answer<T>(
        &self,
        modified: DateTime<Utc>,
        body: impl FnOnce(Option<i64>) -> T,
    ) -> Synced<T> {
        if self.changed(modified) {
            Synced::Changed(body(self.stamp()))
        } else {
            Synced::UpToDate {
                search_timestamp: params::timestamp_now(self.now),
            }
        }
    }
}

/// The latest of some instants (the epoch when there are none).
pub fn latest(times: impl IntoIterator<Item = Option<DateTime<Utc>>>) -> DateTime<Utc> {
    times
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

/// When what a basic API shows of the account last changed.
pub fn basic_modified(a: &Account, terms: Option<&ProductRecord>) -> DateTime<Utc> {
    latest([Some(a.opened_at), a.closed_at, terms.map(|t| t.updated_at)])
}

/// When what a detail API shows (balances too) last changed.
pub fn detail_modified(a: &Account, terms: Option<&ProductRecord>) -> DateTime<Utc> {
    latest([Some(basic_modified(a, terms)), a.last_tran_at])
}

/// One asset a basic/detail API names, as the request gives it.
pub struct AssetCall<'a> {
    /// The detailed scope that opens the API (40104 without it).
    pub scope: &'a str,
    pub kinds: &'a [AccountKind],
    pub org_code: Option<&'a str>,
    pub asset: Option<&'a str>,
    pub search_timestamp: Option<&'a str>,
    /// For the few paged detail APIs (IRP-003): later pages take no timestamp.
    pub next_page: Option<&'a str>,
}

/// The asset of a basic/detail call, checked, with its terms.
pub struct Held {
    pub account: Account,
    pub record: Option<ProductRecord>,
    pub sync: Sync,
}

impl Held {
    pub fn terms(&self) -> Option<&ProductTerms> {
        self.record.as_ref().map(|r| &r.terms)
    }
    /// A basic API's answer.
    pub fn basic<T>(&self, body: impl FnOnce(Option<i64>) -> T) -> Synced<T> {
        let m = basic_modified(&self.account, self.record.as_ref());
        self.sync.answer(m, body)
    }
    /// A detail API's answer.
    pub fn detail<T>(&self, body: impl FnOnce(Option<i64>) -> T) -> Synced<T> {
        let m = detail_modified(&self.account, self.record.as_ref());
        self.sync.answer(m, body)
    }
}

/// Scope (40104), org code (40303), timestamp (40001), then the asset
/// (40402, 40105, 40305), in that order; nothing is written.
pub async fn held(state: &MydataState, caller: &Caller, call: AssetCall<'_>) -> MResult<Held> {
    caller.require(call.scope)?;
    caller.org(call.org_code)?;
    let now = state.world.clock.now();
    let sync = Sync::paged(call.search_timestamp, call.next_page, now)?;
    let account = caller.asset(state, call.kinds, call.asset).await?;
    let record = state.repo.terms(&account.account_id).await?;
    Ok(Held {
        account,
        record,
        sync,
    })
}

/// A list API's request, as given.
pub struct ListCall<'a> {
    /// The industry's list scope (`bank.list`, ...).
    pub scope: &'a str,
    pub kinds: &'a [AccountKind],
    pub org_code: Option<&'a str>,
    pub search_timestamp: Option<&'a str>,
    pub next_page: Option<&'a str>,
    pub limit: Option<&'a str>,
}

/// One page of a list: the accounts with their terms, the next cursor.
pub struct Listed {
    pub page: Vec<Account>,
    pub terms: HashMap<String, ProductTerms>,
    pub next_page: Option<String>,
    modified: DateTime<Utc>,
    sync: Sync,
}

impl Listed {
    pub fn terms_of(&self, a: &Account) -> Option<&ProductTerms> {
        self.terms.get(&a.account_id)
    }
    /// The list's answer (`00001` when nothing on it changed).
    pub fn answer<T>(&self, body: impl FnOnce(Option<i64>) -> T) -> Synced<T> {
        self.sync.answer(self.modified, body)
    }
}

/// Whether a list shows the account: every open one, and one closed since
/// the consent began (so the operator learns it ended, status closed).
pub fn listed(caller: &Caller, a: &Account) -> bool {
    a.status != AccountStatus::Closed || a.closed_at.is_some_and(|c| c >= caller.consent.created_at)
}

/// The person's assets of `kinds` at the token's institution, one page.
pub async fn list(state: &MydataState, caller: &Caller, call: ListCall<'_>) -> MResult<Listed> {
    caller.require(call.scope)?;
    caller.org(call.org_code)?;
    let limit = params::limit(call.limit)?;
    let offset = Cursor::offset(call.next_page)?;
    let sync = Sync::paged(
        call.search_timestamp,
        call.next_page,
        state.world.clock.now(),
    )?;
    let mut all = caller.holdings(state, call.kinds).await?;
    all.retain(|a| listed(caller, a));
    let ids: Vec<String> = all.iter().map(|a| a.account_id.clone()).collect();
    let records = state.repo.terms_of(&ids).await?;
    let modified = latest(
        all.iter()
            .flat_map(|a| [Some(a.opened_at), a.closed_at])
            .chain(records.iter().map(|r| Some(r.updated_at)))
            .chain([Some(caller.consent.created_at)]),
    );
    let terms = records
        .into_iter()
        .map(|r| (r.account_id, r.terms))
        .collect();
    let (page, next_page) = params::page_of(all, offset, limit);
    Ok(Listed {
        page,
        terms,
        next_page,
        modified,
        sync,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn at(s: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 3, 0, 0).unwrap() + Duration::seconds(s)
    }

    #[test]
    fn an_older_change_is_up_to_date_and_a_newer_one_is_news() {
        let first = Sync::parse(None, at(10)).unwrap();
        let ts = first.stamp().unwrap();
        assert!(matches!(first.answer(at(9), |_| ()), Synced::Changed(())));
        let second = Sync::parse(Some(&ts.to_string()), at(70)).unwrap();
        match second.answer(at(9), |_| ()) {
            Synced::UpToDate { search_timestamp } => {
                assert_eq!(search_timestamp, params::timestamp_now(at(70)))
            }
            Synced::Changed(_) => panic!("nothing changed since {ts}"),
        }
        assert!(matches!(second.answer(at(30), |_| ()), Synced::Changed(())));
        // The same second counts as changed: the stamp is cut to seconds.
        assert!(second.changed(at(10)));
    }

    #[test]
    fn later_pages_neither_take_nor_answer_a_timestamp() {
        let s = Sync::paged(Some("20261201120000"), Some("MTA"), at(0)).unwrap();
        assert_eq!(s.stamp(), None);
        assert!(s.changed(at(-100_000)));
        assert!(Sync::paged(Some("bad"), None, at(0)).is_err());
        assert!(Sync::paged(Some("bad"), Some("MTA"), at(0)).is_ok());
    }

    #[test]
    fn the_latest_of_nothing_is_the_epoch() {
        assert_eq!(latest([None, None]), DateTime::<Utc>::UNIX_EPOCH);
        assert_eq!(latest([Some(at(1)), None, Some(at(5))]), at(5));
    }
}

//! The plumbing every history API shares (deposit, fund, loan and IRP
//! transactions, card approvals, prepaid histories...): the request's
//! `from_date`/`to_date` window (40001, 40304), `limit` (42901) and
//! `next_page`, then one page of the account's ledger postings, newest
//! first, keyset-paged by (time, sequence), and the next cursor. A KFTC
//! withdrawal is one of these postings, so it shows at once.
//!
//! Also the number formats the lines use: money as a JSON number in major
//! units (whole won for KRW), rates in percent from thousandths.

use crate::error::{MResult, MydataError};
use crate::extract::Caller;
use crate::params::{self, num_or_str, Cursor, Window};
use crate::MydataState;
use chrono::{DateTime, NaiveDate, Utc};
use finhub_core::account::{Account, AccountKind};
use finhub_core::clock::kst;
use finhub_core::ledger::{Direction, Order, Posting, PostingQuery};
use finhub_core::money::Currency;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The fields of a history request besides the asset, as sent.
#[derive(Debug, Default, Clone, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct HistoryFields {
    /// `YYYYMMDD`.
    pub from_date: Option<String>,
    /// `YYYYMMDD`.
    pub to_date: Option<String>,
    /// The previous answer's cursor; absent on the first page.
    pub next_page: Option<String>,
    /// 1 to 500.
    #[serde(deserialize_with = "num_or_str")]
    #[schema(value_type = Option<u32>)]
    pub limit: Option<String>,
}

/// A checked history request: the window and where the page starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryPage {
    pub window: Window,
    /// The (time µs, sequence) of the last line of the previous page.
    pub after: Option<(i64, i64)>,
    pub limit: u32,
}

impl HistoryPage {
    /// Window (40001, 40304), then `limit` (40001, 42901), then the cursor.
    pub fn parse(f: &HistoryFields, today: NaiveDate) -> MResult<HistoryPage> {
        let window = Window::parse(f.from_date.as_deref(), f.to_date.as_deref(), today)?;
        let limit = params::limit(f.limit.as_deref())?;
        let after = match Cursor::decode(f.next_page.as_deref())? {
            None => None,
            Some(pos) => Some(position(&pos).ok_or_else(|| MydataError::param("next_page"))?),
        };
        Ok(HistoryPage {
            window,
            after,
            limit,
        })
    }
}

/// A cursor's text: `<time µs>.<sequence>`.
fn position(s: &str) -> Option<(i64, i64)> {
    let (at, seq) = s.split_once('.')?;
    Some((at.parse().ok()?, seq.parse().ok()?))
}

/// The cursor after this line.
pub fn cursor_after(p: &Posting) -> String {
    let (at, seq) = p.cursor();
    Cursor::encode(&format!("{at}.{seq}"))
}

/// One page of the account's postings in the window, newest first, and
/// the cursor of the next page while more remain.
pub async fn postings(
    state: &MydataState,
    account_id: &str,
    page: &HistoryPage,
) -> MResult<(Vec<Posting>, Option<String>)> {
    let (from, to) = page.window.instants();
    // One line more than asked tells whether another page follows.
    let mut lines = state
        .world
        .postings(&PostingQuery {
            account_id: account_id.to_owned(),
            from,
            to,
            direction: Direction::All,
            order: Order::Desc,
            after: page.after,
            limit: page.limit + 1,
        })
        .await?;
    let more = lines.len() > page.limit as usize;
    lines.truncate(page.limit as usize);
    let next = if more {
        lines.last().map(cursor_after)
    } else {
        None
    };
    Ok((lines, next))
}

/// One asset a history API names, as the request gives it.
pub struct HistoryCall<'a> {
    pub scope: &'a str,
    pub kinds: &'a [AccountKind],
    pub org_code: Option<&'a str>,
    pub asset: Option<&'a str>,
    pub fields: &'a HistoryFields,
}

/// A history page of one asset: the account, the lines, the cursor (the
/// terms are the API's to read, when it needs them).
pub struct History {
    pub account: Account,
    pub lines: Vec<Posting>,
    pub next_page: Option<String>,
}

/// Scope (40104), org code (40303), the window, limit and cursor (40001,
/// 40304, 42901), then the asset (40402, 40105, 40305), then the page.
pub async fn history(
    state: &MydataState,
    caller: &Caller,
    call: HistoryCall<'_>,
) -> MResult<History> {
    caller.require(call.scope)?;
    caller.org(call.org_code)?;
    let page = HistoryPage::parse(call.fields, caller.today)?;
    let account = caller.asset(state, call.kinds, call.asset).await?;
    let (lines, next_page) = postings(state, &account.account_id, &page).await?;
    Ok(History {
        account,
        lines,
        next_page,
    })
}

/// `DTIME`: `YYYYMMDDhhmmss` in KST.
pub fn dtime(t: DateTime<Utc>) -> String {
    t.with_timezone(&kst()).format("%Y%m%d%H%M%S").to_string()
}

/// `DATE` of an instant: `YYYYMMDD` in KST.
pub fn date_of(t: DateTime<Utc>) -> String {
    t.with_timezone(&kst()).format("%Y%m%d").to_string()
}

/// `DATE`: `YYYYMMDD`.
pub fn date(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

/// Money as the spec's N/F number: major units, so KRW is whole won (an
/// integer) and USD has cents after the point.
pub fn amt(minor: i64, currency: Currency) -> serde_json::Number {
    match currency.exponent() {
        0 => minor.into(),
        e => {
            let major = minor as f64 / 10f64.powi(e as i32);
            serde_json::Number::from_f64(major).unwrap_or_else(|| 0.into())
        }
    }
}

/// A rate kept in thousandths of a percent, as the spec's F percent
/// (`4_500` → 4.5).
pub fn rate(milli: i64) -> f64 {
    milli as f64 / 1000.0
}

/// Units kept in thousandths, as an F number.
pub fn units(milli: i64) -> f64 {
    milli as f64 / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::Rsp;

    fn fields(from: &str, to: &str, limit: Option<&str>, next: Option<&str>) -> HistoryFields {
        HistoryFields {
            from_date: Some(from.into()),
            to_date: Some(to.into()),
            next_page: next.map(str::to_owned),
            limit: limit.map(str::to_owned),
        }
    }

    #[test]
    fn a_history_request_checks_window_then_limit_then_cursor() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let ok = HistoryPage::parse(&fields("20261101", "20261201", Some("20"), None), today);
        assert_eq!(ok.unwrap().limit, 20);
        let err = |f: HistoryFields| HistoryPage::parse(&f, today).unwrap_err().rsp;
        assert_eq!(
            err(fields("20261202", "20261201", None, None)),
            Rsp::BadParam
        );
        assert_eq!(err(fields("20201201", "20261201", None, None)), Rsp::TooOld);
        assert_eq!(
            err(fields("20261101", "20261201", Some("501"), None)),
            Rsp::Quota
        );
        assert_eq!(
            err(fields(
                "20261101",
                "20261201",
                None,
                Some("bm90IGEgY3Vyc29y")
            )),
            Rsp::BadParam
        );
        let c = Cursor::encode("1764558000000000.7");
        let p = HistoryPage::parse(&fields("20261101", "20261201", None, Some(&c)), today);
        assert_eq!(p.unwrap().after, Some((1_764_558_000_000_000, 7)));
    }

    #[test]
    fn money_is_whole_won_and_cents_for_dollars() {
        assert_eq!(amt(12_345, Currency::KRW).to_string(), "12345");
        assert_eq!(amt(-500, Currency::KRW).to_string(), "-500");
        assert_eq!(amt(1_234, Currency::USD).to_string(), "12.34");
        assert_eq!(rate(4_500), 4.5);
        assert_eq!(rate(2_283), 2.283);
    }
}

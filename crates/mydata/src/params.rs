//! Parsing at the edge: headers, paging, timestamps and date windows become
//! typed values here, or the exact MyData code (40001, 40002, 40304, 42901).

use crate::codes::Rsp;
use crate::error::{MResult, MydataError};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeZone, Utc};
use finhub_core::clock::kst;
use serde::{Deserialize, Deserializer};

/// The most objects one page may hold (sandbox rule: above it is 42901).
pub const MAX_LIMIT: u32 = 500;
/// History older than this many years is not served (40304).
pub const RETENTION_YEARS: i32 = 5;

/// `x-api-tran-id`: 25 characters, letters and digits; the 11th says who
/// made it (M operator, S provider, R relay, C receiver, P portal, A CA).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranId(String);

impl TranId {
    pub fn parse(s: &str) -> MResult<TranId> {
        let ok = s.len() == 25
            && s.bytes().all(|b| b.is_ascii_alphanumeric())
            && matches!(s.as_bytes()[10], b'M' | b'S' | b'R' | b'C' | b'P' | b'A');
        if ok {
            Ok(TranId(s.to_owned()))
        } else {
            Err(MydataError::detail(
                Rsp::BadHeader,
                "x-api-tran-id 는 기관코드 10자리 + 구분 1자리(M/S/R/C/P/A) + 14자리",
            ))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `x-api-type`: periodic or user-initiated; absent means user-initiated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiType {
    Scheduled,
    User,
}

impl ApiType {
    pub fn parse(s: Option<&str>) -> MResult<ApiType> {
        match s {
            None | Some("irregular" | "user-consent" | "user-refresh" | "user-search") => {
                Ok(ApiType::User)
            }
            Some("regular" | "scheduled") => Ok(ApiType::Scheduled),
            Some(_) => Err(MydataError::detail(Rsp::BadHeader, "x-api-type")),
        }
    }
}

/// Accepts a JSON number or string (clients send `search_timestamp` and
/// `limit` both ways) and keeps it as text.
pub fn num_or_str<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum V {
        N(serde_json::Number),
        S(String),
    }
    Ok(match Option::<V>::deserialize(d)? {
        None => None,
        Some(V::N(n)) => Some(n.to_string()),
        Some(V::S(s)) => Some(s),
    })
}

/// `limit`: 1 to 500; above is 42901; absent is 500 (as the one provider seen does).
pub fn limit(v: Option<&str>) -> MResult<u32> {
    let Some(s) = v.filter(|s| !s.is_empty()) else {
        return Ok(MAX_LIMIT);
    };
    let n: u64 = s.parse().map_err(|_| MydataError::param("limit 는 숫자"))?;
    match n {
        0 => Err(MydataError::param("limit 는 1 이상")),
        n if n > u64::from(MAX_LIMIT) => Err(MydataError::detail(Rsp::Quota, "limit 는 500 이하")),
        n => Ok(n as u32),
    }
}

/// `search_timestamp` N(14): `0` or absent for a first sync, else the KST
/// time we answered last. Data changed at or after it counts as changed.
pub fn search_timestamp(v: Option<&str>) -> MResult<Option<DateTime<Utc>>> {
    match v {
        None | Some("" | "0") => Ok(None),
        Some(s) => {
            let t = (s.len() == 14)
                .then(|| NaiveDateTime::parse_from_str(s, "%Y%m%d%H%M%S").ok())
                .flatten()
                .ok_or_else(|| MydataError::param("search_timestamp 는 YYYYMMDDhhmmss"))?;
            Ok(Some(
                kst().from_local_datetime(&t).unwrap().with_timezone(&Utc),
            ))
        }
    }
}

/// The `search_timestamp` to answer: now, in KST, to the second.
pub fn timestamp_now(now: DateTime<Utc>) -> i64 {
    now.with_timezone(&kst())
        .format("%Y%m%d%H%M%S")
        .to_string()
        .parse()
        .expect("14 digits")
}

/// Whether something modified at `modified` is news to a caller that last
/// synced at `since`.
pub fn changed_since(modified: DateTime<Utc>, since: Option<DateTime<Utc>>) -> bool {
    since.is_none_or(|s| modified >= s)
}

/// A `YYYYMMDD` date.
pub fn date(v: Option<&str>, name: &str) -> MResult<NaiveDate> {
    v.filter(|s| s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|s| NaiveDate::parse_from_str(s, "%Y%m%d").ok())
        .ok_or_else(|| MydataError::param(format!("{name} 는 YYYYMMDD")))
}

/// A history window: `from_date` to `to_date`, both days included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Window {
    /// From after to, or a bad date: 40001; from older than five years before
    /// `today`: 40304.
    pub fn parse(from: Option<&str>, to: Option<&str>, today: NaiveDate) -> MResult<Window> {
        let from = date(from, "from_date")?;
        let to = date(to, "to_date")?;
        if from > to {
            return Err(MydataError::param("from_date 가 to_date 보다 늦음"));
        }
        let oldest = today
            .with_year(today.year() - RETENTION_YEARS)
            .unwrap_or(today - chrono::Duration::days(365 * 5 + 1));
        if from < oldest {
            return Err(MydataError::new(Rsp::TooOld));
        }
        Ok(Window { from, to })
    }

    /// The window as UTC instants [start, end), days taken in KST.
    pub fn instants(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        let at = |d: NaiveDate| {
            kst()
                .from_local_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight"))
                .unwrap()
                .with_timezone(&Utc)
        };
        (at(self.from), at(self.to.succ_opt().unwrap_or(self.to)))
    }
}

/// A `YYYYMM` month.
pub fn month(v: Option<&str>, name: &str) -> MResult<(i32, u32)> {
    v.filter(|s| s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|s| {
            let (y, m) = (s[..4].parse().ok()?, s[4..].parse().ok()?);
            NaiveDate::from_ymd_opt(y, m, 1).map(|_| (y, m))
        })
        .ok_or_else(|| MydataError::param(format!("{name} 는 YYYYMM")))
}

/// `next_page`: an opaque, URL-safe cursor; what it holds is the API's own
/// position text (a keyset position or an offset).
pub struct Cursor;

impl Cursor {
    pub fn encode(position: &str) -> String {
        URL_SAFE_NO_PAD.encode(position)
    }
    pub fn decode(v: Option<&str>) -> MResult<Option<String>> {
        match v.filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => URL_SAFE_NO_PAD
                .decode(s)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .map(Some)
                .ok_or_else(|| MydataError::param("next_page")),
        }
    }
    /// An offset cursor, for lists that are not keyset-paged.
    pub fn offset(v: Option<&str>) -> MResult<usize> {
        match Self::decode(v)? {
            None => Ok(0),
            Some(s) => s.parse().map_err(|_| MydataError::param("next_page")),
        }
    }
}

/// One page of `items` from `offset`: the page, and the cursor of the next
/// one while more remain.
pub fn page_of<T>(items: Vec<T>, offset: usize, limit: u32) -> (Vec<T>, Option<String>) {
    let end = offset.saturating_add(limit as usize);
    let more = items.len() > end;
    let page = items
        .into_iter()
        .skip(offset)
        .take(limit as usize)
        .collect();
    (page, more.then(|| Cursor::encode(&end.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tran_ids_are_25_characters_with_a_kind_letter() {
        assert!(TranId::parse("1234567890M00000000000001").is_ok());
        assert!(TranId::parse("1234567890X00000000000001").is_err());
        assert!(TranId::parse("1234567890M0000000000001").is_err());
        assert!(TranId::parse("1234567890M0000000000000-").is_err());
    }

    #[test]
    fn limits_above_500_are_a_quota_error() {
        assert_eq!(limit(None).unwrap(), 500);
        assert_eq!(limit(Some("20")).unwrap(), 20);
        assert_eq!(limit(Some("501")).unwrap_err().rsp, Rsp::Quota);
        assert_eq!(limit(Some("0")).unwrap_err().rsp, Rsp::BadParam);
        assert_eq!(limit(Some("x")).unwrap_err().rsp, Rsp::BadParam);
    }

    #[test]
    fn windows_check_order_format_and_retention() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let w = Window::parse(Some("20261101"), Some("20261201"), today).unwrap();
        assert_eq!(w.from, NaiveDate::from_ymd_opt(2026, 11, 1).unwrap());
        let err = |f, t| Window::parse(Some(f), Some(t), today).unwrap_err().rsp;
        assert_eq!(err("20261202", "20261201"), Rsp::BadParam);
        assert_eq!(err("2026110", "20261201"), Rsp::BadParam);
        assert_eq!(err("20261340", "20261201"), Rsp::BadParam);
        assert_eq!(err("20211130", "20261201"), Rsp::TooOld);
        assert!(Window::parse(Some("20211201"), Some("20261201"), today).is_ok());
    }

    #[test]
    fn timestamps_are_kst_and_round_trip() {
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 3, 4, 5).unwrap();
        let ts = timestamp_now(now);
        assert_eq!(ts, 20261201120405);
        let back = search_timestamp(Some(&ts.to_string())).unwrap().unwrap();
        assert_eq!(back, now);
        assert!(changed_since(now, Some(back)));
        assert!(!changed_since(
            now - chrono::Duration::seconds(1),
            Some(back)
        ));
        assert_eq!(search_timestamp(Some("0")).unwrap(), None);
        assert!(search_timestamp(Some("2026")).is_err());
    }

    #[test]
    fn offset_pages_carry_a_cursor_while_more_remain() {
        let (p, next) = page_of((0..5).collect::<Vec<_>>(), 0, 2);
        assert_eq!(p, vec![0, 1]);
        let off = Cursor::offset(next.as_deref()).unwrap();
        let (p, next) = page_of((0..5).collect::<Vec<_>>(), off, 3);
        assert_eq!(p, vec![2, 3, 4]);
        assert!(next.is_none());
        assert!(Cursor::offset(Some("%%%")).is_err());
    }
}

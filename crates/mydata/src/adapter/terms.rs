//! The terms of a transmission request the person sets on the consent page
//! (or a headless consent names): end date, purpose, periodic sending and
//! its cycles, with the defaults mydata-sandbox.md §4 fixes.

use chrono::{Months, NaiveDate};
use finhub_oauth::{Lang, OAuthError, Question, QuestionKind};
use serde_json::{Map, Value};

/// The purpose a consent states when the operator names none.
pub const DEFAULT_PURPOSE: &str = "본인신용정보 통합조회 및 자산관리 서비스 제공";
/// The periodic cycles of a consent that names none (basic and additional APIs).
pub const DEFAULT_CYCLE: &str = "1/d";
/// How long the receiver keeps what it got: until the service ends.
const HOLD_FOREVER: (i32, u32, u32) = (9999, 12, 31);
/// An asset-list consent (integrated auth's first step) lasts a week.
const LIST_CONSENT_DAYS: u64 = 7;
const MAX_PURPOSE: usize = 150;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    pub purpose: String,
    pub end_date: NaiveDate,
    pub hold_until: NaiveDate,
    pub is_scheduled: bool,
    pub fnd_cycle: Option<String>,
    pub add_cycle: Option<String>,
    /// Integrated authentication's transaction id (set by that grant, never an answer).
    pub tx_id: Option<String>,
}

fn text<'a>(m: &'a Map<String, Value>, k: &str) -> Option<&'a str> {
    m.get(k).and_then(Value::as_str).filter(|s| !s.is_empty())
}

fn invalid(msg: impl Into<String>) -> OAuthError {
    OAuthError::InvalidRequest(msg.into())
}

/// `count/unit`: unit m, w or d, with an optional step before it (`1/2w`).
pub fn valid_cycle(c: &str) -> bool {
    let Some((count, per)) = c.split_once('/') else {
        return false;
    };
    let Some(step) = per.strip_suffix(['m', 'w', 'd']) else {
        return false;
    };
    let digits = |s: &str, min: usize| {
        s.len() >= min
            && s.len() <= 2
            && s.bytes().all(|b| b.is_ascii_digit())
            && !s.starts_with('0')
    };
    c.len() <= 5 && digits(count, 1) && digits(step, 0)
}

fn cycle(m: &Map<String, Value>, k: &str) -> Result<String, OAuthError> {
    match text(m, k) {
        None => Ok(DEFAULT_CYCLE.to_owned()),
        Some(c) if valid_cycle(c) => Ok(c.to_owned()),
        Some(_) => Err(invalid(format!(
            "{k} must be count/unit, unit m, w or d (1/d, 1/2w)"
        ))),
    }
}

fn scheduled(m: &Map<String, Value>) -> Result<bool, OAuthError> {
    match m.get("is_scheduled") {
        None | Some(Value::Null) => Ok(true),
        Some(Value::Bool(b)) => Ok(*b),
        Some(Value::String(s)) if s == "true" => Ok(true),
        Some(Value::String(s)) if s == "false" => Ok(false),
        Some(_) => Err(invalid("is_scheduled must be true or false")),
    }
}

fn end_date(m: &Map<String, Value>, today: NaiveDate) -> Result<NaiveDate, OAuthError> {
    let Some(s) = text(m, "end_date") else {
        return Ok(today + Months::new(12));
    };
    let d = NaiveDate::parse_from_str(s, "%Y%m%d")
        .ok()
        .filter(|_| s.len() == 8)
        .ok_or_else(|| invalid("end_date must be a date, YYYYMMDD"))?;
    if d < today {
        return Err(invalid("end_date is before today"));
    }
    Ok(d)
}

impl Terms {
    /// The terms `m` names, defaults filled in, on the world's `today` (KST).
    pub fn parse(m: &Map<String, Value>, today: NaiveDate) -> Result<Terms, OAuthError> {
        let purpose = text(m, "purpose")
            .unwrap_or(DEFAULT_PURPOSE)
            .trim()
            .to_owned();
        if purpose.is_empty() || purpose.chars().count() > MAX_PURPOSE {
            return Err(invalid("purpose must be 1 to 150 characters"));
        }
        let is_scheduled = scheduled(m)?;
        let (fnd_cycle, add_cycle) = if is_scheduled {
            (Some(cycle(m, "fnd_cycle")?), Some(cycle(m, "add_cycle")?))
        } else {
            (None, None)
        };
        let forever = NaiveDate::from_ymd_opt(HOLD_FOREVER.0, HOLD_FOREVER.1, HOLD_FOREVER.2);
        let (end_date, hold_until) = if text(m, "request_type") == Some("0") {
            let week = today + chrono::Days::new(LIST_CONSENT_DAYS);
            (week, week)
        } else {
            (end_date(m, today)?, forever.unwrap_or(today))
        };
        Ok(Terms {
            purpose,
            end_date,
            hold_until,
            is_scheduled,
            fnd_cycle,
            add_cycle,
            tx_id: text(m, "tx_id").map(str::to_owned),
        })
    }

    /// The answers as the grant keeps them (no `tx_id`: only its grant sets it).
    pub fn to_map(&self) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("purpose".into(), self.purpose.clone().into());
        let end = self.end_date.format("%Y%m%d").to_string();
        m.insert("end_date".into(), end.into());
        m.insert("is_scheduled".into(), self.is_scheduled.into());
        for (k, v) in [
            ("fnd_cycle", &self.fnd_cycle),
            ("add_cycle", &self.add_cycle),
        ] {
            if let Some(c) = v {
                m.insert(k.into(), c.clone().into());
            }
        }
        m
    }
}

/// What the consent page asks besides the assets: until when, how, and why.
pub fn questions(today: NaiveDate, lang: Lang) -> Vec<Question> {
    let date = |months: u32| (today + Months::new(months)).format("%Y%m%d").to_string();
    let periods = [
        (12, "1년", "1 year"),
        (6, "6개월", "6 months"),
        (3, "3개월", "3 months"),
        (24, "2년", "2 years"),
    ];
    let ends = periods
        .into_iter()
        .map(|(m, ko, en)| {
            let d = date(m);
            let label = format!("{} ({d})", lang.pick(ko, en));
            (d, label)
        })
        .collect();
    let sending = vec![
        (
            "true".into(),
            lang.pick("정기적으로 전송 (1일 1회)", "Send periodically (daily)")
                .into(),
        ),
        (
            "false".into(),
            lang.pick("요청할 때만 전송", "Send only when asked").into(),
        ),
    ];
    let ask = |name: &str, ko: &str, en: &str, kind| Question {
        name: name.into(),
        label: lang.pick(ko, en).into(),
        kind,
    };
    let purpose = QuestionKind::Text {
        value: DEFAULT_PURPOSE.into(),
        max: MAX_PURPOSE,
    };
    vec![
        ask(
            "end_date",
            "전송요구 종료일",
            "Consent ends on",
            QuestionKind::Choice(ends),
        ),
        ask(
            "is_scheduled",
            "정기적 전송",
            "Periodic sending",
            QuestionKind::Choice(sending),
        ),
        ask("purpose", "전송 목적", "Purpose", purpose),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y%m%d").unwrap()
    }

    fn parse(v: Value) -> Result<Terms, OAuthError> {
        Terms::parse(v.as_object().unwrap(), day("20260301"))
    }

    #[test]
    fn defaults_are_a_year_periodic_daily_with_a_purpose() {
        let t = parse(json!({})).unwrap();
        assert_eq!(t.end_date, day("20270301"));
        assert_eq!(t.hold_until, day("99991231"));
        assert!(t.is_scheduled);
        assert_eq!(t.fnd_cycle.as_deref(), Some("1/d"));
        assert_eq!(t.purpose, DEFAULT_PURPOSE);
        let back = Terms::parse(&t.to_map(), day("20260301")).unwrap();
        assert_eq!(back, t);
    }

    #[test]
    fn answers_are_checked() {
        let t =
            parse(json!({"end_date": "20260901", "is_scheduled": "false", "purpose": "가계부"}))
                .unwrap();
        assert_eq!(t.end_date, day("20260901"));
        assert!(!t.is_scheduled && t.fnd_cycle.is_none());
        let t =
            parse(json!({"is_scheduled": true, "fnd_cycle": "1/2w", "add_cycle": "3/m"})).unwrap();
        assert_eq!(
            (t.fnd_cycle.unwrap(), t.add_cycle.unwrap()),
            ("1/2w".into(), "3/m".into())
        );
        for bad in [
            json!({"end_date": "2026-09-01"}),
            json!({"end_date": "20260231"}),
            json!({"end_date": "20260228"}),
            json!({"is_scheduled": "yes"}),
            json!({"fnd_cycle": "daily"}),
            json!({"add_cycle": "0/d"}),
            json!({"purpose": "가".repeat(151)}),
        ] {
            assert!(parse(bad.clone()).is_err(), "{bad}");
        }
        let list = parse(json!({"request_type": "0"})).unwrap();
        assert_eq!(
            (list.end_date, list.hold_until),
            (day("20260308"), day("20260308"))
        );
    }

    #[test]
    fn cycles() {
        for ok in ["1/d", "1/w", "1/2w", "2/m", "12/d"] {
            assert!(valid_cycle(ok), "{ok}");
        }
        for bad in ["", "1/", "/d", "1/y", "01/d", "1/0w", "123/d", "1d"] {
            assert!(!valid_cycle(bad), "{bad}");
        }
    }
}

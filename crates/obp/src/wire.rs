//! OBP's value formats: dates `yyyy-MM-dd'T'HH:mm:ss'Z'` (UTC, seconds),
//! money `{"currency","amount"}` as strings (an amount may arrive as a JSON
//! number), and the paging query of the firehose.

use crate::codes;
use crate::error::{ObpError, ObpResult};
use chrono::{DateTime, NaiveDateTime, SecondsFormat, TimeZone, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;

const DATE: &str = "%Y-%m-%dT%H:%M:%SZ";

pub fn format_date(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A body date: exactly `yyyy-MM-dd'T'HH:mm:ss'Z'`.
pub fn parse_date(s: &str) -> Option<DateTime<Utc>> {
    NaiveDateTime::parse_from_str(s, DATE)
        .ok()
        .map(|n| Utc.from_utc_datetime(&n))
}

/// `#[serde(with = "wire::date")]` on an optional date: absent is none,
/// a string in another format fails the body (OBP-10001); none is `null`.
pub mod date {
    use super::*;

    pub fn serialize<S: Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_str(&format_date(t)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(s) => parse_date(&s).map(Some).ok_or_else(|| {
                serde::de::Error::custom(format!("date {s:?} is not yyyy-MM-ddTHH:mm:ssZ"))
            }),
        }
    }
}

/// The same for a list of dates (`dob_of_dependants`).
pub mod dates {
    use super::*;

    pub fn serialize<S: Serializer>(ts: &[DateTime<Utc>], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(ts.iter().map(format_date))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<DateTime<Utc>>, D::Error> {
        let v = Option::<Vec<String>>::deserialize(d)?.unwrap_or_default();
        v.iter()
            .map(|s| {
                parse_date(s)
                    .ok_or_else(|| serde::de::Error::custom("date is not yyyy-MM-ddTHH:mm:ssZ"))
            })
            .collect()
    }
}

/// v3.0.0's customer dates: `yyyy-MM-dd`, empty when unset.
pub fn day(t: &Option<DateTime<Utc>>) -> String {
    t.map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// `{"currency": "EUR", "amount": "0"}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AmountOfMoney {
    pub currency: String,
    #[serde(deserialize_with = "amount")]
    pub amount: String,
}

/// An amount as a string, or a JSON number written back as its text.
pub fn amount<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    text_or_number(d)
}

/// A text field a client may send as a JSON number (obp-python's `branchId`).
pub fn text_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Amount {
        Text(String),
        Number(serde_json::Number),
    }
    Ok(match Option::<Amount>::deserialize(d)? {
        None => String::new(),
        Some(Amount::Text(s)) => s,
        Some(Amount::Number(n)) => n.to_string(),
    })
}

/// The firehose's paging and date window (reference §1.7); every other
/// query parameter is an attribute filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paging {
    pub limit: u32,
    pub offset: u64,
    /// None: OBP's default (documented as DESC).
    pub ascending: Option<bool>,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub filters: BTreeMap<String, Vec<String>>,
}

const PAGING_KEYS: &[&str] = &["limit", "offset", "sort_direction", "from_date", "to_date"];

impl Paging {
    /// Parse the query; a bad value is OBP-10016 wrapping its own code.
    pub fn parse(query: &[(String, String)]) -> ObpResult<Paging> {
        let mut p = Paging {
            limit: 50,
            offset: 0,
            ascending: None,
            from: DateTime::<Utc>::UNIX_EPOCH,
            to: Utc
                .with_ymd_and_hms(9999, 12, 31, 23, 59, 59)
                .single()
                .unwrap_or_default(),
            filters: BTreeMap::new(),
        };
        for (k, v) in query {
            let key = k.strip_prefix("obp_").unwrap_or(k);
            if !PAGING_KEYS.contains(&key) {
                p.filters.entry(k.clone()).or_default().push(v.clone());
                continue;
            }
            p.set(key, v).map_err(|code| {
                ObpError::new(codes::INVALID_FILTER)
                    .more(format!("<- {}: {}", code.code, code.text))
            })?;
        }
        Ok(p)
    }

    fn set(&mut self, key: &str, v: &str) -> Result<(), codes::Code> {
        match key {
            "limit" => self.limit = v.parse().ok().filter(|n| *n >= 1).ok_or(codes::LIMIT)?,
            "offset" => self.offset = v.parse().map_err(|_| codes::OFFSET)?,
            "sort_direction" => {
                self.ascending = Some(match v.to_ascii_uppercase().as_str() {
                    "ASC" => true,
                    "DESC" => false,
                    _ => return Err(codes::SORT_DIRECTION),
                })
            }
            "from_date" => self.from = query_date(v).ok_or(codes::DATE_FORMAT)?,
            _ => self.to = query_date(v).ok_or(codes::DATE_FORMAT)?,
        }
        Ok(())
    }
}

/// `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`, or with `+0000` for the `Z`.
fn query_date(s: &str) -> Option<DateTime<Utc>> {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.3fZ")
        .map(|n| Utc.from_utc_datetime(&n))
        .ok()
        .or_else(|| {
            DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.3f%z")
                .ok()
                .map(|t| t.with_timezone(&Utc))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn body_dates_are_seconds_in_utc() {
        let t = parse_date("1100-01-01T00:00:00Z").unwrap();
        assert_eq!(format_date(&t), "1100-01-01T00:00:00Z");
        assert!(parse_date("1100-01-01").is_none());
        assert!(parse_date("2020-01-01T00:00:00.000Z").is_none());
    }

    #[test]
    fn paging_errors_carry_their_own_code() {
        for (k, v, code) in [
            ("limit", "0", "OBP-10025"),
            ("obp_offset", "-1", "OBP-10024"),
            ("sort_direction", "UP", "OBP-10023"),
            ("from_date", "2020-01-01", "OBP-10026"),
        ] {
            let e = Paging::parse(&q(&[(k, v)])).unwrap_err();
            assert!(e.message.starts_with("OBP-10016"), "{}", e.message);
            assert!(e.message.contains(code), "{k}: {}", e.message);
        }
        let p = Paging::parse(&q(&[
            ("limit", "2"),
            ("sort_direction", "asc"),
            ("to_date", "2020-01-01T00:00:00.000+0000"),
            ("tier", "gold"),
        ]))
        .unwrap();
        assert_eq!((p.limit, p.ascending), (2, Some(true)));
        assert_eq!(p.filters["tier"], vec!["gold".to_string()]);
    }

    #[test]
    fn amounts_may_be_numbers() {
        let m: AmountOfMoney = serde_json::from_str(r#"{"currency":"EUR","amount":10.5}"#).unwrap();
        assert_eq!(m.amount, "10.5");
        let m: AmountOfMoney = serde_json::from_str(r#"{"currency":"EUR"}"#).unwrap();
        assert_eq!(m.amount, "");
    }
}

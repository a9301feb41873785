//! The registry's identifiers: 26-character ULIDs, 4-digit agency codes and
//! the 21-character business message identifier (yyyyMMdd + agency code +
//! a 9-digit sequence).

use chrono::{DateTime, NaiveDate, Utc};

/// A new ULID whose time part is `at` (the world clock's now).
pub fn new_ulid(at: DateTime<Utc>) -> String {
    ulid::Ulid::from_datetime(at.into()).to_string()
}

/// True for a canonical ULID: 26 Crockford base32 characters, upper case.
pub fn is_ulid(s: &str) -> bool {
    s.len() == 26
        && s.bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
        && ulid::Ulid::from_string(s).is_ok()
}

/// An agency's 4-digit code.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AgencyCode(String);

impl AgencyCode {
    pub fn parse(s: &str) -> Option<AgencyCode> {
        (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit())).then(|| AgencyCode(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A remittance's business message identifier, as the reporting agency
/// issued it: `yyyyMMdd` + agency code + 9 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Bmi {
    raw: String,
    date: NaiveDate,
}

impl Bmi {
    pub fn parse(s: &str) -> Option<Bmi> {
        if s.len() != 21 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let date = NaiveDate::parse_from_str(&s[..8], "%Y%m%d").ok()?;
        Some(Bmi {
            raw: s.to_owned(),
            date,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// The date part.
    pub fn date(&self) -> NaiveDate {
        self.date
    }

    /// Characters 9–12: the agency that issued it.
    pub fn agency_code(&self) -> &str {
        &self.raw[8..12]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ulids_are_26_upper_case_and_ordered_by_time() {
        let a = new_ulid(DateTime::from_timestamp(1_700_000_000, 0).unwrap());
        let b = new_ulid(DateTime::from_timestamp(1_700_000_001, 0).unwrap());
        assert!(is_ulid(&a) && is_ulid(&b));
        assert!(a < b);
        assert!(is_ulid("01JR9JH2S5SG85EJDZK4XYXBV4"));
        assert!(!is_ulid("01jr9jh2s5sg85ejdzk4xyxbv4"));
        assert!(!is_ulid("01JR9JH2S5SG85EJDZK4XYXBV"));
        assert!(!is_ulid("01JR9JH2S5SG85EJDZK4XYXBVU"));
    }

    #[test]
    fn business_message_ids_carry_their_date_and_agency() {
        let b = Bmi::parse("202412161004000000000").unwrap();
        assert_eq!(b.agency_code(), "1004");
        assert_eq!(b.date(), NaiveDate::from_ymd_opt(2024, 12, 16).unwrap());
        assert!(Bmi::parse("202413161004000000000").is_none());
        assert!(Bmi::parse("20241216100400000000").is_none());
        assert!(Bmi::parse("2024121610040000000a0").is_none());
        assert!(AgencyCode::parse("1004").is_some());
        assert!(AgencyCode::parse("10a4").is_none());
    }
}

//! KFTC identifier and value formats: parsed at the edge, formatted on the way out.

use crate::parse::{BankTranId, Date8, Time6, TranAmt, TranDtime};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use finhub_core::clock::kst;
use rand::Rng;

/// `client_use_code`: one capital letter and nine digits.
pub fn is_client_use_code(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10 && b[0].is_ascii_uppercase() && b[1..].iter().all(u8::is_ascii_digit)
}

/// A new 24-digit fintech_use_num: "1", the 9 digits of the client_use_code, 14 random digits.
pub fn new_fintech_use_num(client_use_code: &str) -> String {
    let mut rng = rand::thread_rng();
    let tail: String = (0..14)
        .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
        .collect();
    let digits = client_use_code.get(1..).unwrap_or("000000000");
    format!("1{digits}{tail}")
}

/// Check a bank_tran_id against the caller: its client_use_code, `U`, then
/// nine digits or capital letters (`parse::BankTranId::parse_for`, KFTC's wording).
pub fn check_bank_tran_id(id: &str, client_use_code: &str) -> Result<(), String> {
    BankTranId::parse_for(id, client_use_code)
        .map(|_| ())
        .map_err(|e| e.message("bank_tran_id"))
}

/// The last three digits become `***`; the bank's dash layout stays.
pub fn mask_account(num: &str) -> String {
    let mut chars: Vec<char> = num.chars().collect();
    let mut left = 3;
    for c in chars.iter_mut().rev() {
        if left == 0 {
            break;
        }
        if c.is_ascii_alphanumeric() {
            *c = '*';
            left -= 1;
        }
    }
    chars.into_iter().collect()
}

/// Account numbers are compared without their dashes.
pub fn same_account_num(a: &str, b: &str) -> bool {
    let strip = |s: &str| s.chars().filter(|c| *c != '-').collect::<String>();
    strip(a) == strip(b)
}

pub fn date8(t: DateTime<Utc>) -> String {
    t.with_timezone(&kst()).format("%Y%m%d").to_string()
}
pub fn time6(t: DateTime<Utc>) -> String {
    t.with_timezone(&kst()).format("%H%M%S").to_string()
}
pub fn dtime14(t: DateTime<Utc>) -> String {
    t.with_timezone(&kst()).format("%Y%m%d%H%M%S").to_string()
}
pub fn dtm17(t: DateTime<Utc>) -> String {
    t.with_timezone(&kst())
        .format("%Y%m%d%H%M%S%3f")
        .to_string()
}
pub fn naive_date8(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

pub fn parse_date8(s: &str) -> Option<NaiveDate> {
    Date8::parse(s).ok().map(Date8::date)
}
pub fn parse_time6(s: &str) -> Option<NaiveTime> {
    Time6::parse(s).ok().map(Time6::time)
}
pub fn parse_dtime14(s: &str) -> Option<NaiveDateTime> {
    TranDtime::parse(s).ok().map(TranDtime::kst)
}

/// A KST wall-clock time as UTC.
pub fn kst_to_utc(dt: NaiveDateTime) -> DateTime<Utc> {
    let z: FixedOffset = kst();
    z.from_local_datetime(&dt)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

/// A KFTC amount: 1 to 12 digits, above zero (`parse::TranAmt`).
pub fn parse_amount(s: &str) -> Option<i64> {
    TranAmt::parse(s).ok().map(TranAmt::krw)
}

/// Paging cursor: (at micros, seq) as 20 upper-case base-36 characters.
pub fn encode_cursor(at_us: i64, seq: i64) -> String {
    format!(
        "{}{}",
        base36(at_us.max(0) as u64),
        base36(seq.max(0) as u64)
    )
}
pub fn decode_cursor(s: &str) -> Option<(i64, i64)> {
    // ASCII first: 20 bytes of multi-byte characters would put the split
    // below inside a character (a panic).
    if s.len() != 20 || !s.is_ascii() {
        return None;
    }
    let at = u64::from_str_radix(&s[..10], 36).ok()?;
    let seq = u64::from_str_radix(&s[10..], 36).ok()?;
    Some((i64::try_from(at).ok()?, i64::try_from(seq).ok()?))
}
fn base36(mut v: u64) -> String {
    let mut out = [b'0'; 10];
    for slot in out.iter_mut().rev() {
        let d = (v % 36) as u8;
        *slot = if d < 10 { b'0' + d } else { b'A' + d - 10 };
        v /= 36;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fintech_numbers_follow_the_client_code() {
        let n = new_fintech_use_num("M202600001");
        assert_eq!(n.len(), 24);
        assert!(n.starts_with("1202600001"));
        assert!(n.bytes().all(|b| b.is_ascii_digit()));
        assert!(is_client_use_code("M202600001"));
        assert!(!is_client_use_code("m202600001"));
        assert!(!is_client_use_code("M20260000"));
    }

    #[test]
    fn bank_tran_ids_carry_the_callers_code() {
        assert!(check_bank_tran_id("M202600001U4BC34239Z", "M202600001").is_ok());
        assert!(check_bank_tran_id("T991667950U4BC34239Z", "M202600001").is_err());
        assert!(check_bank_tran_id("M202600001O4BC34239Z", "M202600001").is_err());
        assert!(check_bank_tran_id("M202600001U4BC3423", "M202600001").is_err());
        assert!(check_bank_tran_id("M202600001U4bc34239z", "M202600001").is_err());
    }

    #[test]
    fn masking_keeps_the_dash_layout() {
        assert_eq!(mask_account("000-1230000-123"), "000-1230000-***");
        assert_eq!(mask_account("300123-0000-123"), "300123-0000-***");
        assert_eq!(mask_account("1234567890"), "1234567***");
        assert!(same_account_num("123-456", "123456"));
    }

    #[test]
    fn cursors_round_trip_and_amounts_are_digits() {
        let c = encode_cursor(1_795_000_000_123_456, 42);
        assert_eq!(c.len(), 20);
        assert_eq!(decode_cursor(&c), Some((1_795_000_000_123_456, 42)));
        assert_eq!(decode_cursor("short"), None);
        assert_eq!(parse_amount("10000"), Some(10000));
        assert_eq!(parse_amount("-1"), None);
        assert_eq!(parse_amount("0"), None);
        assert_eq!(parse_amount("1e3"), None);
        assert_eq!(parse_amount("1234567890123"), None);
        assert!(parse_date8("20261123").is_some());
        assert!(parse_date8("20261332").is_none());
        assert!(parse_time6("235959").is_some());
        assert!(parse_dtime14("20261123120000").is_some());
    }
}

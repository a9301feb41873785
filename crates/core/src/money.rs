//! Money as integer minor units with a currency. Never floating point.

use serde::{Deserialize, Serialize};
use std::fmt;

/// ISO 4217 currency code, upper case, three letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(try_from = "String", into = "String")]
pub struct Currency([u8; 3]);

impl Currency {
    pub const KRW: Currency = Currency(*b"KRW");
    pub const USD: Currency = Currency(*b"USD");

    pub fn parse(s: &str) -> Result<Self, String> {
        let b = s.as_bytes();
        if b.len() != 3 || !b.iter().all(|c| c.is_ascii_uppercase()) {
            return Err(format!(
                "currency must be three upper-case letters, got {s:?}"
            ));
        }
        Ok(Currency([b[0], b[1], b[2]]))
    }

    pub fn as_str(&self) -> &str {
        // Constructed only from ASCII upper-case letters.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }

    /// Digits after the decimal point of one major unit (KRW 0, USD 2).
    pub fn exponent(&self) -> u32 {
        match &self.0 {
            b"KRW" | b"JPY" | b"VND" | b"CLP" | b"ISK" => 0,
            b"BHD" | b"KWD" | b"OMR" | b"JOD" | b"TND" => 3,
            _ => 2,
        }
    }
}

impl TryFrom<String> for Currency {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Currency::parse(&s)
    }
}
impl From<Currency> for String {
    fn from(c: Currency) -> String {
        c.as_str().to_owned()
    }
}
impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An amount in minor units of a currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    pub fn new(minor: i64, currency: Currency) -> Self {
        Money { minor, currency }
    }
    pub fn krw(won: i64) -> Self {
        Money::new(won, Currency::KRW)
    }

    /// Decimal string in major units, e.g. USD 1234 -> "12.34", KRW 1000 -> "1000".
    pub fn to_decimal_string(&self) -> String {
        format_minor(self.minor, self.currency.exponent())
    }

    /// Parse a decimal string in major units, refusing more precision than the currency has.
    pub fn parse_decimal(s: &str, currency: Currency) -> Result<Money, String> {
        parse_minor(s, currency.exponent()).map(|m| Money::new(m, currency))
    }
}

pub fn format_minor(minor: i64, exp: u32) -> String {
    if exp == 0 {
        return minor.to_string();
    }
    let neg = minor < 0;
    let abs = minor.unsigned_abs();
    let scale = 10u64.pow(exp);
    let s = format!(
        "{}.{:0width$}",
        abs / scale,
        abs % scale,
        width = exp as usize
    );
    if neg {
        format!("-{s}")
    } else {
        s
    }
}

pub fn parse_minor(s: &str, exp: u32) -> Result<i64, String> {
    let err = || format!("invalid amount {s:?}");
    let (neg, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, f),
        None => (body, ""),
    };
    if int.is_empty()
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(err());
    }
    if frac.len() as u32 > exp {
        return Err(format!("amount {s:?} has more than {exp} decimal places"));
    }
    let scale = 10i64.pow(exp);
    let int_v: i64 = int.parse().map_err(|_| err())?;
    let mut frac_v: i64 = if frac.is_empty() {
        0
    } else {
        frac.parse().map_err(|_| err())?
    };
    frac_v *= 10i64.pow(exp - frac.len() as u32);
    let v = int_v
        .checked_mul(scale)
        .and_then(|v| v.checked_add(frac_v))
        .ok_or_else(err)?;
    Ok(if neg { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses_minor_units() {
        assert_eq!(Money::new(1234, Currency::USD).to_decimal_string(), "12.34");
        assert_eq!(Money::new(-5, Currency::USD).to_decimal_string(), "-0.05");
        assert_eq!(Money::krw(10000).to_decimal_string(), "10000");
        assert_eq!(parse_minor("12.3", 2), Ok(1230));
        assert_eq!(parse_minor("-0.05", 2), Ok(-5));
        assert!(parse_minor("1.234", 2).is_err());
        assert!(parse_minor("1e3", 2).is_err());
        assert!(parse_minor("", 0).is_err());
        assert!(parse_minor("99999999999999999999", 0).is_err());
    }

    #[test]
    fn currency_is_three_upper_letters() {
        assert!(Currency::parse("KRW").is_ok());
        assert!(Currency::parse("krw").is_err());
        assert!(Currency::parse("KRWX").is_err());
        assert_eq!(Currency::KRW.exponent(), 0);
    }
}

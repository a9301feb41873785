//! KFTC ids, amounts and times, parsed once at the edge: a handler holds a
//! `BankTranId` or a `TranAmt`, never a string it still has to check.
//!
//! A parser says what is wrong (`Invalid`); the field it was read from is
//! added by `Invalid::at`, and the resulting `FieldError` becomes A0004 with
//! the wording KFTC clients already see (`{field} 누락`, `… 길이 초과(최대 n)`,
//! `… 는 n자리 숫자입니다`).

use crate::codes::Rsp;
use crate::error::KftcError;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use std::fmt;

/// What is wrong with one field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invalid {
    /// Absent or empty.
    Missing,
    /// More than `max` characters.
    TooLong { max: usize },
    /// Not exactly `len` ASCII digits.
    NotDigits { len: usize },
    /// Not an amount: 1 to 12 digits, above zero.
    NotAmount,
    /// The digits name no real date or time.
    NotDate,
    /// Not one of the values the field allows.
    NotOneOf { allowed: &'static [&'static str] },
    /// A bank_tran_id that is not 20 capital letters or digits.
    TranIdShape,
    /// A bank_tran_id whose first 10 characters are not the caller's client_use_code.
    TranIdOrg,
    /// A bank_tran_id whose 11th character is not `U`.
    TranIdU,
}

impl Invalid {
    /// The same fault, named by the field it was read from.
    pub fn at(self, field: &'static str) -> FieldError {
        FieldError {
            field,
            invalid: self,
        }
    }
}

/// A field that failed to parse: A0004 naming the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub invalid: Invalid,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.invalid.write(f, self.field)
    }
}

impl Invalid {
    /// KFTC's wording of this fault in the field `name`.
    pub fn message(self, name: &str) -> String {
        struct Named<'a>(Invalid, &'a str);
        impl fmt::Display for Named<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.write(f, self.1)
            }
        }
        Named(self, name).to_string()
    }

    fn write(self, f: &mut fmt::Formatter<'_>, name: &str) -> fmt::Result {
        match self {
            Invalid::Missing => write!(f, "{name} 누락"),
            Invalid::TooLong { max } => write!(f, "{name} 길이 초과(최대 {max})"),
            Invalid::NotDigits { len } => write!(f, "{name} 는 {len}자리 숫자입니다"),
            Invalid::NotAmount => write!(f, "{name} 는 {AMOUNT_DIGITS}자리 이내 숫자입니다"),
            Invalid::NotDate => write!(f, "{name}"),
            Invalid::NotOneOf { allowed } => write!(f, "{name} 허용값: {}", allowed.join("/")),
            // KFTC's wording names bank_tran_id whichever field carried it.
            Invalid::TranIdShape => f.write_str("bank_tran_id 는 20자리 영문대문자/숫자입니다"),
            Invalid::TranIdOrg => {
                f.write_str("bank_tran_id 앞 10자리는 이용기관코드와 같아야 합니다")
            }
            Invalid::TranIdU => f.write_str("bank_tran_id 11번째 자리는 U 입니다"),
        }
    }
}

impl std::error::Error for FieldError {}

impl From<FieldError> for KftcError {
    fn from(e: FieldError) -> Self {
        KftcError::detail(Rsp::A0004, e.to_string())
    }
}

/// A required field read with `parse`; absent counts as empty.
pub fn field<'a, T>(
    v: &'a Option<String>,
    name: &'static str,
    parse: impl FnOnce(&'a str) -> Result<T, Invalid>,
) -> Result<T, FieldError> {
    parse(v.as_deref().unwrap_or("")).map_err(|e| e.at(name))
}

/// An optional field read with `parse` when present and not empty.
pub fn opt_field<'a, T>(
    v: &'a Option<String>,
    name: &'static str,
    parse: impl FnOnce(&'a str) -> Result<T, Invalid>,
) -> Result<Option<T>, FieldError> {
    match v.as_deref() {
        None | Some("") => Ok(None),
        Some(s) => parse(s).map(Some).map_err(|e| e.at(name)),
    }
}

/// Present, not empty, at most `max` characters.
pub fn text(s: &str, max: usize) -> Result<&str, Invalid> {
    if s.is_empty() {
        Err(Invalid::Missing)
    } else if s.chars().count() > max {
        Err(Invalid::TooLong { max })
    } else {
        Ok(s)
    }
}

/// Exactly `len` ASCII digits (after the presence and length checks).
pub fn digits(s: &str, len: usize) -> Result<&str, Invalid> {
    let s = text(s, len)?;
    if s.len() != len || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Invalid::NotDigits { len });
    }
    Ok(s)
}

/// One of `allowed` (at most 16 characters, as every KFTC code field).
pub fn one_of<'a>(s: &'a str, allowed: &'static [&'static str]) -> Result<&'a str, Invalid> {
    let s = text(s, 16)?;
    if allowed.contains(&s) {
        Ok(s)
    } else {
        Err(Invalid::NotOneOf { allowed })
    }
}

/// `client_use_code`: one capital letter and nine digits.
fn is_client_use_code(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10 && b[0].is_ascii_uppercase() && b[1..].iter().all(u8::is_ascii_digit)
}

/// KFTC's request id, AN(20): the institution's 10-character
/// client_use_code, `U`, then 9 digits or capital letters, unique per
/// institution per day.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BankTranId(String);

impl BankTranId {
    const LEN: usize = 20;

    /// A well-formed id of any institution.
    pub fn parse(s: &str) -> Result<Self, Invalid> {
        let s = Self::shape(s)?;
        if !is_client_use_code(&s[..10]) {
            return Err(Invalid::TranIdOrg);
        }
        Self::with_u(s)
    }

    /// A well-formed id of the institution `client_use_code`; checks in the
    /// order KFTC answers them (shape, institution, then the `U`).
    pub fn parse_for(s: &str, client_use_code: &str) -> Result<Self, Invalid> {
        let s = Self::shape(s)?;
        if &s[..10] != client_use_code {
            return Err(Invalid::TranIdOrg);
        }
        Self::with_u(s)
    }

    /// Whether the id is the institution `client_use_code`'s.
    pub fn belongs_to(&self, client_use_code: &str) -> Result<(), Invalid> {
        if self.client_use_code() == client_use_code {
            Ok(())
        } else {
            Err(Invalid::TranIdOrg)
        }
    }

    fn shape(s: &str) -> Result<&str, Invalid> {
        let s = text(s, Self::LEN)?;
        let ok = s.len() == Self::LEN
            && s.bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase());
        if ok {
            Ok(s)
        } else {
            Err(Invalid::TranIdShape)
        }
    }

    fn with_u(s: &str) -> Result<Self, Invalid> {
        if s.as_bytes()[10] == b'U' {
            Ok(BankTranId(s.to_owned()))
        } else {
            Err(Invalid::TranIdU)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The first 10 characters: the institution's client_use_code.
    pub fn client_use_code(&self) -> &str {
        &self.0[..10]
    }
    /// The last 9 characters: the institution's own sequence.
    pub fn seq(&self) -> &str {
        &self.0[11..]
    }
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for BankTranId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for BankTranId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// A registered account's handle, N(24).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FintechUseNum(String);

impl FintechUseNum {
    pub fn parse(s: &str) -> Result<Self, Invalid> {
        digits(s, 24).map(|s| FintechUseNum(s.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for FintechUseNum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for FintechUseNum {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// A user's number at KFTC, N(10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UserSeqNo(i64);

impl UserSeqNo {
    pub fn parse(s: &str) -> Result<Self, Invalid> {
        let s = digits(s, 10)?;
        // Ten digits always fit an i64.
        s.parse()
            .map(UserSeqNo)
            .map_err(|_| Invalid::NotDigits { len: 10 })
    }
    /// The number as stored.
    pub fn value(self) -> i64 {
        self.0
    }
}

impl fmt::Display for UserSeqNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:010}", self.0)
    }
}

/// Digits an amount field may have (N(12)).
pub const AMOUNT_DIGITS: usize = 12;

/// A KFTC amount in KRW, N(12) as a string of digits, above zero
/// (tran_amt, org_tran_amt).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TranAmt(i64);

impl TranAmt {
    pub fn parse(s: &str) -> Result<Self, Invalid> {
        let s = text(s, AMOUNT_DIGITS)?;
        if !s.bytes().all(|b| b.is_ascii_digit()) || s.len() > AMOUNT_DIGITS {
            return Err(Invalid::NotAmount);
        }
        match s.parse::<i64>() {
            Ok(v) if v > 0 => Ok(TranAmt(v)),
            _ => Err(Invalid::NotAmount),
        }
    }
    /// The amount in won (KRW has no minor unit).
    pub fn krw(self) -> i64 {
        self.0
    }
}

impl fmt::Display for TranAmt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The request's date-time as the caller's clock gave it: 14 digits,
/// yyyyMMddHHmmss, KST, a real date-time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TranDtime(NaiveDateTime);

impl TranDtime {
    pub fn parse(s: &str) -> Result<Self, Invalid> {
        let s = digits(s, 14)?;
        NaiveDateTime::parse_from_str(s, "%Y%m%d%H%M%S")
            .map(TranDtime)
            .map_err(|_| Invalid::NotDate)
    }
    /// The KST wall-clock time.
    pub fn kst(self) -> NaiveDateTime {
        self.0
    }
    pub fn utc(self) -> DateTime<Utc> {
        crate::format::kst_to_utc(self.0)
    }
}

impl fmt::Display for TranDtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y%m%d%H%M%S"))
    }
}

/// A date, 8 digits yyyyMMdd (KST).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date8(NaiveDate);

impl Date8 {
    pub fn parse(s: &str) -> Result<Self, Invalid> {
        let s = digits(s, 8)?;
        NaiveDate::parse_from_str(s, "%Y%m%d")
            .map(Date8)
            .map_err(|_| Invalid::NotDate)
    }
    pub fn date(self) -> NaiveDate {
        self.0
    }
}

impl fmt::Display for Date8 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y%m%d"))
    }
}

/// A time of day, 6 digits HHmmss (KST).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time6(NaiveTime);

impl Time6 {
    pub fn parse(s: &str) -> Result<Self, Invalid> {
        let s = digits(s, 6)?;
        NaiveTime::parse_from_str(s, "%H%M%S")
            .map(Time6)
            .map_err(|_| Invalid::NotDate)
    }
    pub fn time(self) -> NaiveTime {
        self.0
    }
}

impl fmt::Display for Time6 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%H%M%S"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORG: &str = "M202600001";

    fn msg(
        v: &Option<String>,
        name: &'static str,
        p: impl Fn(&str) -> Result<(), Invalid>,
    ) -> String {
        field(v, name, p).unwrap_err().to_string()
    }

    #[test]
    fn bank_tran_ids_are_the_callers_code_u_and_nine() {
        let id = BankTranId::parse_for("M202600001U4BC34239Z", ORG).unwrap();
        assert_eq!(id.as_str(), "M202600001U4BC34239Z");
        assert_eq!(id.client_use_code(), ORG);
        assert_eq!(id.seq(), "4BC34239Z");
        assert_eq!(id.to_string(), "M202600001U4BC34239Z");
        assert_eq!(BankTranId::parse("M202600001U4BC34239Z"), Ok(id.clone()));
        assert_eq!(id.belongs_to(ORG), Ok(()));
        assert_eq!(id.belongs_to("T991667950"), Err(Invalid::TranIdOrg));
    }

    #[test]
    fn bank_tran_id_faults_in_kftc_order() {
        let p = |s| BankTranId::parse_for(s, ORG).map(|_| ());
        assert_eq!(p(""), Err(Invalid::Missing));
        assert_eq!(
            p("M202600001U4BC342391234"),
            Err(Invalid::TooLong { max: 20 })
        );
        assert_eq!(p("M202600001U4BC3423"), Err(Invalid::TranIdShape));
        assert_eq!(p("M202600001U4bc34239z"), Err(Invalid::TranIdShape));
        assert_eq!(p("M202600001U4BC3423가"), Err(Invalid::TranIdShape));
        assert_eq!(p("T991667950U4BC34239Z"), Err(Invalid::TranIdOrg));
        // Another institution's code wins over a missing U.
        assert_eq!(p("T991667950O4BC34239Z"), Err(Invalid::TranIdOrg));
        assert_eq!(p("M202600001O4BC34239Z"), Err(Invalid::TranIdU));
        // Without a caller, the prefix must still be a client_use_code.
        assert_eq!(
            BankTranId::parse("1202600001U4BC34239Z"),
            Err(Invalid::TranIdOrg)
        );
        assert_eq!(
            BankTranId::parse("M202600001X4BC34239Z"),
            Err(Invalid::TranIdU)
        );
    }

    #[test]
    fn bank_tran_id_messages_are_kftcs() {
        let p = |s: &str| BankTranId::parse_for(s, ORG).map(|_| ());
        let m = |s: &str| msg(&Some(s.into()), "bank_tran_id", p);
        assert_eq!(msg(&None, "bank_tran_id", p), "bank_tran_id 누락");
        assert_eq!(m("x"), "bank_tran_id 는 20자리 영문대문자/숫자입니다");
        assert_eq!(
            m("T991667950U4BC34239Z"),
            "bank_tran_id 앞 10자리는 이용기관코드와 같아야 합니다"
        );
        assert_eq!(
            m("M202600001O4BC34239Z"),
            "bank_tran_id 11번째 자리는 U 입니다"
        );
        assert_eq!(
            m("M202600001U4BC342391234"),
            "bank_tran_id 길이 초과(최대 20)"
        );
    }

    #[test]
    fn fintech_use_nums_are_24_digits() {
        let ok = "120260000112345678901234";
        assert_eq!(FintechUseNum::parse(ok).unwrap().as_str(), ok);
        assert_eq!(FintechUseNum::parse(""), Err(Invalid::Missing));
        assert_eq!(
            FintechUseNum::parse("12026000011234567890123"),
            Err(Invalid::NotDigits { len: 24 })
        );
        assert_eq!(
            FintechUseNum::parse("1202600001123456789012345"),
            Err(Invalid::TooLong { max: 24 })
        );
        assert_eq!(
            FintechUseNum::parse("12026000011234567890123A"),
            Err(Invalid::NotDigits { len: 24 })
        );
        let m = field(&Some("1".into()), "fintech_use_num", FintechUseNum::parse)
            .unwrap_err()
            .to_string();
        assert_eq!(m, "fintech_use_num 는 24자리 숫자입니다");
    }

    #[test]
    fn user_seq_nos_are_10_digits() {
        let u = UserSeqNo::parse("1100000001").unwrap();
        assert_eq!(u.value(), 1_100_000_001);
        assert_eq!(u.to_string(), "1100000001");
        assert_eq!(
            UserSeqNo::parse("0000000042").unwrap().to_string(),
            "0000000042"
        );
        assert_eq!(
            UserSeqNo::parse("110000000"),
            Err(Invalid::NotDigits { len: 10 })
        );
        assert_eq!(
            UserSeqNo::parse("11000000012"),
            Err(Invalid::TooLong { max: 10 })
        );
        assert_eq!(
            UserSeqNo::parse("-100000001"),
            Err(Invalid::NotDigits { len: 10 })
        );
        assert_eq!(
            field(&None, "user_seq_no", UserSeqNo::parse)
                .unwrap_err()
                .to_string(),
            "user_seq_no 누락"
        );
    }

    #[test]
    fn amounts_are_1_to_12_digits_above_zero() {
        assert_eq!(TranAmt::parse("10000").unwrap().krw(), 10_000);
        assert_eq!(TranAmt::parse("000000001000").unwrap().krw(), 1_000);
        assert_eq!(
            TranAmt::parse("999999999999").unwrap().to_string(),
            "999999999999"
        );
        assert_eq!(TranAmt::parse(""), Err(Invalid::Missing));
        assert_eq!(TranAmt::parse("0"), Err(Invalid::NotAmount));
        assert_eq!(TranAmt::parse("-5"), Err(Invalid::NotAmount));
        assert_eq!(TranAmt::parse("1e3"), Err(Invalid::NotAmount));
        assert_eq!(TranAmt::parse(" 100"), Err(Invalid::NotAmount));
        assert_eq!(TranAmt::parse("가나다"), Err(Invalid::NotAmount));
        assert_eq!(
            TranAmt::parse("1234567890123"),
            Err(Invalid::TooLong { max: 12 })
        );
        assert_eq!(
            field(&Some("x".into()), "tran_amt", TranAmt::parse)
                .unwrap_err()
                .to_string(),
            "tran_amt 는 12자리 이내 숫자입니다"
        );
    }

    #[test]
    fn tran_dtimes_are_real_kst_times() {
        let t = TranDtime::parse("20261123120000").unwrap();
        assert_eq!(t.to_string(), "20261123120000");
        assert_eq!(t.utc().to_rfc3339(), "2026-11-23T03:00:00+00:00");
        assert_eq!(
            TranDtime::parse("2026112312000"),
            Err(Invalid::NotDigits { len: 14 })
        );
        assert_eq!(
            TranDtime::parse("202611231200001"),
            Err(Invalid::TooLong { max: 14 })
        );
        assert_eq!(
            TranDtime::parse("2026112312000X"),
            Err(Invalid::NotDigits { len: 14 })
        );
        assert_eq!(TranDtime::parse("20261332120000"), Err(Invalid::NotDate));
        assert_eq!(TranDtime::parse("20261123250000"), Err(Invalid::NotDate));
        assert_eq!(
            field(&Some("x".into()), "tran_dtime", TranDtime::parse)
                .unwrap_err()
                .to_string(),
            "tran_dtime 는 14자리 숫자입니다"
        );
        assert_eq!(
            field(
                &Some("20260230000000".into()),
                "tran_dtime",
                TranDtime::parse
            )
            .unwrap_err()
            .to_string(),
            "tran_dtime"
        );
    }

    #[test]
    fn dates_and_times_are_real() {
        assert_eq!(Date8::parse("20261123").unwrap().to_string(), "20261123");
        assert_eq!(Date8::parse("20261332"), Err(Invalid::NotDate));
        assert_eq!(Date8::parse("2026112"), Err(Invalid::NotDigits { len: 8 }));
        assert_eq!(Time6::parse("235959").unwrap().to_string(), "235959");
        assert_eq!(Time6::parse("240000"), Err(Invalid::NotDate));
    }

    #[test]
    fn text_and_choices() {
        assert_eq!(text("가나", 2), Ok("가나"));
        assert_eq!(text("가나다", 2), Err(Invalid::TooLong { max: 2 }));
        assert_eq!(one_of("Y", &["Y", "N"]), Ok("Y"));
        let e = field(&Some("X".into()), "include_cancel_yn", |s| {
            one_of(s, &["Y", "N"])
        })
        .unwrap_err();
        assert_eq!(e.to_string(), "include_cancel_yn 허용값: Y/N");
        assert_eq!(
            opt_field(&Some(String::new()), "x", |s| text(s, 1)),
            Ok(None)
        );
        assert_eq!(
            opt_field(&Some("ab".into()), "x", |s| text(s, 1))
                .unwrap_err()
                .to_string(),
            "x 길이 초과(최대 1)"
        );
        let k: KftcError = Invalid::Missing.at("user_name").into();
        assert_eq!(k.rsp, Rsp::A0004);
        assert_eq!(k.message(), "요청전문 포맷 에러 [user_name 누락]");
    }
}

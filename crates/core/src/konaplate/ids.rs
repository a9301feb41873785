//! The platform's identifiers, parsed at the edge and generated here.

use rand::Rng;
use std::fmt;

/// Why an identifier did not parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadId;

fn digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

fn hex(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn random_digits(n: usize) -> String {
    let mut r = rand::thread_rng();
    (0..n)
        .map(|_| char::from(b'0' + r.gen_range(0..10)))
        .collect()
}

fn random_hex(n: usize, upper: bool) -> String {
    let mut r = rand::thread_rng();
    let table: &[u8; 16] = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    (0..n)
        .map(|_| char::from(table[r.gen_range(0..16)]))
        .collect()
}

macro_rules! text_id {
    ($(#[$m:meta])* $name:ident, $check:expr) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            pub fn parse(s: &str) -> Result<Self, BadId> {
                let ok: fn(&str) -> bool = $check;
                if ok(s) {
                    Ok(Self(s.to_owned()))
                } else {
                    Err(BadId)
                }
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

text_id!(
    /// `X-KM-User-AspId`: 15 digits, one per project.
    AspId,
    |s| digits(s, 15)
);
text_id!(
    /// `X-KM-Correlation-Id`: `yyMMddHHmmss-xxxxxxx` (12 digits, `-`, 7 hex).
    CorrelationId,
    |s| s.len() == 20 && digits(&s[..12], 12) && &s[12..13] == "-" && hex(&s[13..], 7)
);
text_id!(
    /// `X-KM-Access-Key`: 7 hex, `-`, 32 hex.
    AccessKeyId,
    |s| s.len() == 40 && hex(&s[..7], 7) && &s[7..8] == "-" && hex(&s[8..], 32)
);
text_id!(
    /// `X-KM-Crypto-Key-Id`: 32 lower-case hex.
    CryptoKeyId,
    |s| hex(s, 32) && !s.bytes().any(|b| b.is_ascii_uppercase())
);
text_id!(
    /// A card's PAR, which stands for its number: `Q1` + 25 upper-case hex.
    Par,
    |s| s.len() == 27 && s.is_char_boundary(2) && hex(&s[2..], 25)
);
text_id!(
    /// A card number (mobile or physical): 16 digits.
    CardNo,
    |s| digits(s, 16)
);
text_id!(
    /// A card application's number: 22 characters.
    CardApplyNo,
    |s| s.len() == 22 && s.bytes().all(|b| b.is_ascii_alphanumeric())
);
text_id!(
    /// A card product id (`serviceId`): 15 digits.
    ServiceId,
    |s| digits(s, 15)
);
text_id!(
    /// A merchant id: 15 digits.
    MerchantId,
    |s| digits(s, 15)
);

impl AspId {
    /// A fresh ASP id in the portal's `0001700…` family.
    pub fn generate() -> Self {
        Self(format!("0001{}", random_digits(11)))
    }
}

impl AccessKeyId {
    pub fn generate() -> Self {
        Self(format!(
            "{}-{}",
            random_hex(7, false),
            random_hex(32, false)
        ))
    }
}

impl CryptoKeyId {
    pub fn generate() -> Self {
        Self(random_hex(32, false))
    }
}

impl Par {
    pub fn generate() -> Self {
        Self(format!("Q1{}", random_hex(25, true)))
    }
}

impl CardNo {
    /// A card number in the portal's test range `9491 33…`.
    pub fn generate() -> Self {
        Self(format!("949133{}", random_digits(10)))
    }
}

impl CardApplyNo {
    /// `KMA` + yyMMddHHmmss (KST) + 7 digits.
    pub fn generate(now_kst: &str) -> Self {
        Self(format!("KMA{now_kst}{}", random_digits(7)))
    }
}

/// A member's `userId`: a number of up to 19 digits (here 11, like the
/// portal's samples).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserId(pub u64);

impl UserId {
    pub fn generate() -> Self {
        Self(rand::thread_rng().gen_range(50_000_000_000..99_999_999_999))
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A transaction number: `KMN` + yyMMdd (KST) + 9 digits.
pub fn nr_number(yymmdd: &str) -> String {
    format!("KMN{yymmdd}{}", random_digits(9))
}

/// `n` random digits (one-time tokens, dcvv, CVCs, ARS codes, approval codes).
pub fn digits_of(n: usize) -> String {
    random_digits(n)
}

/// A secret key for the Tran-Token HMAC: 48 characters of base64url alphabet.
pub fn secret_key() -> String {
    use base64::Engine;
    let mut raw = [0u8; 36];
    rand::thread_rng().fill(&mut raw[..]);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
}

/// A 22-character registration number (`bankAccRegNo`): `KMR` + 19 digits.
pub fn reg_no() -> String {
    format!("KMR{}", random_digits(19))
}

/// A 5-character `accountId`.
pub fn account_id5() -> String {
    random_hex(5, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_parse_and_bad_ones_do_not() {
        assert!(AspId::parse(AspId::generate().as_str()).is_ok());
        assert!(AccessKeyId::parse(AccessKeyId::generate().as_str()).is_ok());
        assert!(CryptoKeyId::parse(CryptoKeyId::generate().as_str()).is_ok());
        assert!(Par::parse(Par::generate().as_str()).is_ok());
        assert!(CardNo::parse(CardNo::generate().as_str()).is_ok());
        let apply = CardApplyNo::generate("261201093000");
        assert!(CardApplyNo::parse(apply.as_str()).is_ok());
        assert_eq!(reg_no().len(), 22);
        assert_eq!(nr_number("261201").len(), 18);
        assert!(CorrelationId::parse("261201093000-abc12F0").is_ok());
        for bad in [
            "261201093000abc12F0x",
            "26120109300-abc12F0",
            "261201093000-abc12G0",
        ] {
            assert_eq!(CorrelationId::parse(bad), Err(BadId), "{bad}");
        }
        assert!(CryptoKeyId::parse(&"A".repeat(32)).is_err());
        assert!(Par::parse("Q1ABC").is_err());
        assert!(AspId::parse("00017000000012").is_err());
    }
}

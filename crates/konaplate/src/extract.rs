//! What a handler receives: the calling project (the transport checked
//! its headers) and the request body as decrypted JSON, read through
//! `Fields`, which answers the reference's codes for each field in turn:
//! `000_003` missing or null, `000_002` empty or not of its type,
//! `000_015` of the wrong length.

use crate::catalogue::Api;
use crate::error::KonaError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use finhub_core::konaplate::ids::UserId;
use finhub_core::konaplate::project::{CryptoKey, Project};
use finhub_core::konaplate::Refusal;
use serde_json::Value;

/// The call as the transport accepted it.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub project: Project,
    pub api: &'static Api,
    /// The key named by `X-KM-Crypto-Key-Id`, checked live and the project's.
    pub crypto: Option<CryptoKey>,
    /// The request body, decrypted; `{}` when empty.
    pub body: Value,
}

impl Ctx {
    pub fn fields(&self) -> Fields<'_> {
        Fields(&self.body)
    }
    pub fn project_id(&self) -> &str {
        &self.project.project_id
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = KonaError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        (parts.extensions.get::<Ctx>().cloned())
            .ok_or_else(|| KonaError::new(crate::codes::INTERNAL))
    }
}

pub type Checked<T> = Result<T, Refusal>;

/// A JSON object's fields, read with the reference's codes.
#[derive(Debug, Clone, Copy)]
pub struct Fields<'a>(pub &'a Value);

impl<'a> Fields<'a> {
    fn get(&self, name: &str) -> Option<&'a Value> {
        self.0.get(name).filter(|v| !v.is_null())
    }

    /// An optional string: absent or null is None; another type is `000_002`.
    pub fn opt_text(&self, name: &str) -> Checked<Option<&'a str>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(Refusal::invalid(name)),
        }
    }

    /// A required, non-empty string.
    pub fn text(&self, name: &str) -> Checked<&'a str> {
        match self.opt_text(name)? {
            None => Err(Refusal::missing(name)),
            Some(s) if s.trim().is_empty() => Err(Refusal::invalid(name)),
            Some(s) => Ok(s),
        }
    }

    /// A required string of exactly `n` characters.
    pub fn text_len(&self, name: &str, n: usize) -> Checked<&'a str> {
        let s = self.text(name)?;
        if s.chars().count() != n {
            return Err(Refusal::Length(format!("{name} ({n})")));
        }
        Ok(s)
    }

    /// A required string of `min..=max` characters.
    pub fn text_range(&self, name: &str, min: usize, max: usize) -> Checked<&'a str> {
        let s = self.text(name)?;
        let n = s.chars().count();
        if n < min || n > max {
            return Err(Refusal::Length(format!("{name} ({min}..{max})")));
        }
        Ok(s)
    }

    /// An optional string of `min..=max` characters (empty counts as absent).
    pub fn opt_text_range(&self, name: &str, min: usize, max: usize) -> Checked<Option<&'a str>> {
        match self.opt_text(name)? {
            None => Ok(None),
            Some("") => Ok(None),
            Some(_) => self.text_range(name, min, max).map(Some),
        }
    }

    /// A required whole number (a JSON number; digits in a string are
    /// accepted too, as lenient clients send them).
    pub fn number(&self, name: &str) -> Checked<u64> {
        match self.get(name) {
            None => Err(Refusal::missing(name)),
            Some(Value::Number(n)) => n.as_u64().ok_or_else(|| Refusal::invalid(name)),
            Some(Value::String(s))
                if !s.is_empty() && s.len() <= 19 && s.bytes().all(|b| b.is_ascii_digit()) =>
            {
                s.parse().map_err(|_| Refusal::invalid(name))
            }
            Some(Value::String(s)) if s.is_empty() => Err(Refusal::invalid(name)),
            Some(_) => Err(Refusal::invalid(name)),
        }
    }

    /// An optional whole number.
    pub fn opt_number(&self, name: &str) -> Checked<Option<u64>> {
        match self.get(name) {
            None => Ok(None),
            Some(_) => self.number(name).map(Some),
        }
    }

    /// A money amount in won: a whole number of 1..=9,999,999,999.
    pub fn amount(&self, name: &str) -> Checked<i64> {
        let n = self.number(name)?;
        if n == 0 || n > 9_999_999_999 {
            return Err(Refusal::invalid(name));
        }
        i64::try_from(n).map_err(|_| Refusal::invalid(name))
    }

    /// The member's `userId`.
    pub fn user_id(&self) -> Checked<UserId> {
        self.number("userId").map(UserId)
    }

    pub fn opt_bool(&self, name: &str) -> Checked<Option<bool>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(Refusal::invalid(name)),
        }
    }

    /// A nested object; absent is None, another type `000_002`.
    pub fn object(&self, name: &str) -> Checked<Option<Fields<'a>>> {
        match self.get(name) {
            None => Ok(None),
            Some(v @ Value::Object(_)) => Ok(Some(Fields(v))),
            Some(_) => Err(Refusal::invalid(name)),
        }
    }

    /// A required array.
    pub fn array(&self, name: &str) -> Checked<&'a [Value]> {
        match self.get(name) {
            None => Err(Refusal::missing(name)),
            Some(Value::Array(a)) => Ok(a),
            Some(_) => Err(Refusal::invalid(name)),
        }
    }

    /// An optional array (absent or null is None).
    pub fn opt_array(&self, name: &str) -> Checked<Option<&'a [Value]>> {
        match self.get(name) {
            None => Ok(None),
            Some(_) => self.array(name).map(Some),
        }
    }

    /// A required string of `n` digits.
    pub fn digits(&self, name: &str, n: usize) -> Checked<&'a str> {
        let s = self.text_len(name, n)?;
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Refusal::invalid(name));
        }
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn code(r: Refusal) -> String {
        match r {
            Refusal::Invalid(f) => format!("002 {f}"),
            Refusal::Missing(f) => format!("003 {f}"),
            Refusal::Length(f) => format!("015 {f}"),
            r => r.to_string(),
        }
    }

    #[test]
    fn fields_answer_missing_then_empty_then_length() {
        let v = json!({"a": "", "b": null, "c": "abc", "n": 12, "s": "34", "x": 1.5, "o": []});
        let f = Fields(&v);
        assert_eq!(code(f.text("a").unwrap_err()), "002 a");
        assert_eq!(code(f.text("b").unwrap_err()), "003 b");
        assert_eq!(code(f.text("z").unwrap_err()), "003 z");
        assert_eq!(code(f.text_len("c", 4).unwrap_err()), "015 c (4)");
        assert_eq!(f.text_len("c", 3).unwrap(), "abc");
        assert_eq!(code(f.text("n").unwrap_err()), "002 n");
        assert_eq!(f.number("n").unwrap(), 12);
        assert_eq!(f.number("s").unwrap(), 34);
        assert_eq!(code(f.number("x").unwrap_err()), "002 x");
        assert_eq!(code(f.object("o").unwrap_err()), "002 o");
        assert_eq!(code(f.amount("missing").unwrap_err()), "003 missing");
        assert!(f.opt_text("b").unwrap().is_none());
    }
}

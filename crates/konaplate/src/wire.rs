//! Answers and formats: a success is the API's fields with
//! `response{code: 000_000, description}` beside them; dates are in KST.

use crate::codes;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use finhub_core::clock::kst;
use serde::Serialize;
use serde_json::{json, Value};

/// A success answer: `T`'s fields and the `response` object.
#[derive(Debug)]
pub struct Out<T>(pub T);

impl<T: Serialize> IntoResponse for Out<T> {
    fn into_response(self) -> Response {
        let mut body = serde_json::to_value(self.0).unwrap_or_else(|_| json!({}));
        if !body.is_object() {
            body = json!({});
        }
        body["response"] =
            json!({"code": codes::SUCCESS.code, "description": codes::SUCCESS.message});
        Json(body).into_response()
    }
}

/// A success with no fields of its own.
pub fn done() -> Out<Value> {
    Out(json!({}))
}

/// yyyyMMddHHmmssSSS (17 digits), KST.
pub fn dt17(t: DateTime<Utc>) -> String {
    t.with_timezone(&kst())
        .format("%Y%m%d%H%M%S%3f")
        .to_string()
}

/// yyyyMMddHHmmss (14 digits), KST.
pub fn dt14(t: DateTime<Utc>) -> String {
    t.with_timezone(&kst()).format("%Y%m%d%H%M%S").to_string()
}

/// yyyyMMdd, KST.
pub fn date8(t: DateTime<Utc>) -> String {
    t.with_timezone(&kst()).format("%Y%m%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_kst_digits() {
        let t = DateTime::parse_from_rfc3339("2026-12-01T15:30:00.123Z")
            .unwrap()
            .to_utc();
        assert_eq!(dt17(t), "20261202003000123");
        assert_eq!(dt14(t), "20261202003000");
        assert_eq!(date8(t), "20261202");
    }
}

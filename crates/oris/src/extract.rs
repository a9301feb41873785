//! Extractors that refuse as the registry's Spring framework does: a JSON
//! body (`Malformed JSON request`, `Validation failed for argument at index
//! 0 in method`), query values (`Failed to convert value of type
//! 'java.lang.String' to required type '…'`), paging and sorting.

use crate::error::{OrisError, OrisResult};
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};

/// The start of Spring's message for a body that misses required fields.
pub const VALIDATION_FAILED: &str = "Validation failed for argument at index 0 in method";
pub const MALFORMED_JSON: &str = "Malformed JSON request";
pub const INVALID_ARGUMENT: &str = "Invalid argument";

#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(OrisError))]
pub struct Json<T>(pub T);

impl From<JsonRejection> for OrisError {
    fn from(r: JsonRejection) -> OrisError {
        match r {
            JsonRejection::MissingJsonContentType(_) => {
                OrisError::bad("Content-Type is not supported; send application/json")
                    .at(StatusCode::UNSUPPORTED_MEDIA_TYPE)
            }
            JsonRejection::JsonDataError(e) if e.body_text().contains("missing field") => {
                validation(&e.body_text())
            }
            _ => OrisError::bad(MALFORMED_JSON),
        }
    }
}

/// BAD_REQUEST for a body whose fields break their constraints.
pub fn validation(detail: &str) -> OrisError {
    let detail = detail.rsplit(": ").next().unwrap_or(detail);
    OrisError::bad(format!("{VALIDATION_FAILED}: {detail}"))
}

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(OrisError))]
pub struct Query<T>(pub T);

impl From<QueryRejection> for OrisError {
    fn from(r: QueryRejection) -> OrisError {
        convert_failed("java.lang.String", &r.body_text())
    }
}

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(OrisError))]
pub struct Path<T>(pub T);

impl From<PathRejection> for OrisError {
    fn from(r: PathRejection) -> OrisError {
        convert_failed("java.lang.String", &r.body_text())
    }
}

/// Spring's type-mismatch message for a value that is not a `java_type`.
pub fn convert_failed(java_type: &str, detail: &str) -> OrisError {
    OrisError::bad(format!(
        "Failed to convert value of type 'java.lang.String' to required type '{java_type}'; {detail}"
    ))
}

/// Spring's message for a required query parameter that is absent.
pub fn missing_param(name: &str, java_type: &str) -> OrisError {
    OrisError::bad(format!(
        "Required request parameter '{name}' for method parameter type {java_type} is not present"
    ))
}

/// An optional integer query value.
pub fn int_param(name: &str, v: Option<&str>) -> OrisResult<Option<i64>> {
    v.map(|s| {
        s.trim().parse::<i64>().map_err(|_| {
            convert_failed(
                "java.lang.Integer",
                &format!("For input string: \"{s}\" ({name})"),
            )
        })
    })
    .transpose()
}

/// An optional boolean query value (`true`/`false`, as Spring reads them).
pub fn bool_param(name: &str, v: Option<&str>) -> OrisResult<Option<bool>> {
    v.map(|s| match s.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => Err(convert_failed(
            "java.lang.Boolean",
            &format!("Invalid boolean value [{s}] ({name})"),
        )),
    })
    .transpose()
}

/// A date-time query value with an offset (`2025-06-01T18:02:56.303340+09:00`).
pub fn datetime_param(name: &str, v: Option<&str>) -> OrisResult<Option<DateTime<Utc>>> {
    v.map(|s| {
        crate::wire::parse_datetime(s).ok_or_else(|| {
            convert_failed(
                "java.time.OffsetDateTime",
                &format!("Failed to parse '{s}' ({name})"),
            )
        })
    })
    .transpose()
}

/// A required date-time query value.
pub fn required_datetime(name: &str, v: Option<&str>) -> OrisResult<DateTime<Utc>> {
    datetime_param(name, v)?.ok_or_else(|| missing_param(name, "OffsetDateTime"))
}

/// `page` (0-based) and `size` (1..=max, default 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub page: u32,
    pub size: u32,
}

impl Paging {
    pub fn parse(page: Option<&str>, size: Option<&str>, max: u32) -> OrisResult<Paging> {
        let page = int_param("page", page)?.unwrap_or(0);
        let size = int_param("size", size)?.unwrap_or(10);
        if page < 0 || !(1..=i64::from(max)).contains(&size) {
            return Err(OrisError::bad(INVALID_ARGUMENT));
        }
        Ok(Paging {
            page: page as u32,
            size: size as u32,
        })
    }

    pub fn offset(&self) -> u64 {
        u64::from(self.page) * u64::from(self.size)
    }
}

/// `sort=field,ASC|DESC` over the fields a listing allows; the direction
/// defaults to ASC, as Spring's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sort {
    pub field: String,
    pub descending: bool,
}

impl Sort {
    pub fn parse(v: Option<&str>, fields: &[&str], default: Sort) -> OrisResult<Sort> {
        let Some(v) = v.filter(|s| !s.trim().is_empty()) else {
            return Ok(default);
        };
        let (field, dir) = v.split_once(',').unwrap_or((v, "ASC"));
        let descending = match dir.trim().to_ascii_uppercase().as_str() {
            "ASC" => false,
            "DESC" => true,
            _ => return Err(OrisError::bad(INVALID_ARGUMENT)),
        };
        if !fields.contains(&field.trim()) {
            return Err(OrisError::bad(INVALID_ARGUMENT));
        }
        Ok(Sort {
            field: field.trim().to_owned(),
            descending,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::Code;

    #[test]
    fn query_values_refuse_with_springs_words() {
        let e = int_param("page", Some("abc")).unwrap_err();
        assert_eq!(e.code, Code::BadRequest);
        assert!(e.message.starts_with(
            "Failed to convert value of type 'java.lang.String' to required type 'java.lang.Integer'"
        ));
        assert!(bool_param("x", Some("maybe")).is_err());
        assert_eq!(bool_param("x", Some("TRUE")).unwrap(), Some(true));
        assert!(datetime_param("d", Some("2025-06-01")).is_err());
        assert!(required_datetime("d", None)
            .unwrap_err()
            .message
            .contains("'d'"));
    }

    #[test]
    fn paging_and_sorting_have_their_sets() {
        assert_eq!(
            Paging::parse(None, None, 100).unwrap(),
            Paging { page: 0, size: 10 }
        );
        assert_eq!(
            Paging::parse(Some("2"), Some("5"), 100).unwrap().offset(),
            10
        );
        let e = Paging::parse(None, Some("101"), 100).unwrap_err();
        assert_eq!(e.message, INVALID_ARGUMENT);
        let def = Sort {
            field: "createdAt".into(),
            descending: true,
        };
        let s = Sort::parse(Some("createdAt,ASC"), &["createdAt"], def.clone()).unwrap();
        assert!(!s.descending);
        let e = Sort::parse(Some("createdAt,UP"), &["createdAt"], def).unwrap_err();
        assert_eq!(e.message, INVALID_ARGUMENT);
    }
}

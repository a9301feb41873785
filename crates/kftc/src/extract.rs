//! The face's own extractors: malformed JSON or query strings become A0004
//! with a detail in brackets, a missing or bad bearer token O0001/O0002/O0003,
//! all with HTTP 200 as KFTC answers.

use crate::codes::{sub, Rsp};
use crate::error::KftcError;
use crate::parse;
use crate::KftcState;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use finhub_core::oauth::Profile;
use finhub_http::BearerToken;
use finhub_oauth::{AccessClaims, TokenError};
use serde::de::DeserializeOwned;

/// A JSON body; any rejection is A0004.
pub struct KJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for KJson<T> {
    type Rejection = KftcError;
    async fn from_request(req: Request, state: &S) -> Result<Self, KftcError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(KJson(v)),
            Err(e) => Err(KftcError::format(json_detail(&e))),
        }
    }
}

fn json_detail(e: &JsonRejection) -> String {
    match e {
        JsonRejection::MissingJsonContentType(_) => {
            "Content-Type 은 application/json 입니다".into()
        }
        JsonRejection::JsonSyntaxError(_) => "JSON 형식 오류".into(),
        JsonRejection::JsonDataError(d) => format!("JSON 데이터 오류: {}", d.body_text()),
        other => other.body_text(),
    }
}

/// A query string; any rejection is A0004.
pub struct KQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for KQuery<T> {
    type Rejection = KftcError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, KftcError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(KQuery(v)),
            Err(QueryRejection::FailedToDeserializeQueryString(e)) => {
                Err(KftcError::format(format!("query 오류: {}", e.body_text())))
            }
            Err(e) => Err(KftcError::format(e.body_text())),
        }
    }
}

/// The authenticated caller: a KFTC token's claims. Each call is counted in
/// the usage log (manage/count, manage/fee) once the token checks out.
pub struct Caller {
    pub claims: AccessClaims,
}

impl Caller {
    /// The caller's client_use_code.
    pub fn org(&self) -> &str {
        &self.claims.org_code
    }
    /// O0011 unless the token carries one of `scopes`. The user scopes
    /// (login, inquiry, transfer) count only on a user's (3-legged) token;
    /// a 2-legged token is held to oob and sa whatever it claims.
    pub fn require(&self, scopes: &[&str]) -> Result<(), KftcError> {
        let two_legged = self.person().is_none();
        let ok = scopes
            .iter()
            .filter(|s| !two_legged || matches!(**s, "oob" | "sa"))
            .any(|s| self.claims.has_scope(s));
        if ok {
            Ok(())
        } else {
            Err(KftcError::new(Rsp::O0011))
        }
    }
    /// The person a 3-legged token speaks for (None for 2-legged tokens).
    pub fn person(&self) -> Option<&str> {
        self.claims.sub.as_deref()
    }
}

impl FromRequestParts<KftcState> for Caller {
    type Rejection = KftcError;
    async fn from_request_parts(parts: &mut Parts, state: &KftcState) -> Result<Self, KftcError> {
        // Missing or not a bearer token at all: KFTC's "no token" answer.
        let token = BearerToken::from_headers(&parts.headers)
            .map_err(|_| KftcError::detail(Rsp::O0001, sub::NO_BEARER))?;
        let claims = state
            .oauth
            .verify_access(token.as_str())
            .map_err(|e| match e {
                TokenError::Expired => KftcError::new(Rsp::O0003),
                TokenError::Missing => KftcError::detail(Rsp::O0001, sub::NO_BEARER),
                TokenError::Invalid | TokenError::Revoked => KftcError::new(Rsp::O0002),
            })?;
        if claims.profile != Profile::Kftc {
            return Err(KftcError::new(Rsp::O0002));
        }
        let path = parts.uri.path();
        let api = path.split_once("/v2.0/").map(|(_, a)| a).unwrap_or(path);
        let today = state.world.clock.now_kst().date_naive();
        state.repo.record_call(&claims.org_code, api, today).await?;
        Ok(Caller { claims })
    }
}

/// Field checks that answer A0004 naming the field (the wording is
/// `parse::Invalid::message`), for handlers that still read fields one by one.
pub fn need<'a>(v: &'a Option<String>, name: &str, max: usize) -> Result<&'a str, KftcError> {
    named(v, name, |s| parse::text(s, max))
}

/// An optional field that, when present, is at most `max` characters.
pub fn opt<'a>(
    v: &'a Option<String>,
    name: &str,
    max: usize,
) -> Result<Option<&'a str>, KftcError> {
    match v.as_deref() {
        None | Some("") => Ok(None),
        Some(_) => need(v, name, max).map(Some),
    }
}

/// A field of exactly `len` digits.
pub fn digits<'a>(v: &'a Option<String>, name: &str, len: usize) -> Result<&'a str, KftcError> {
    named(v, name, |s| parse::digits(s, len))
}

/// A field that must be one of `allowed`.
pub fn one_of<'a>(
    v: &'a Option<String>,
    name: &str,
    allowed: &'static [&'static str],
) -> Result<&'a str, KftcError> {
    named(v, name, |s| parse::one_of(s, allowed))
}

fn named<'a, T>(
    v: &'a Option<String>,
    name: &str,
    parse: impl FnOnce(&'a str) -> Result<T, parse::Invalid>,
) -> Result<T, KftcError> {
    parse(v.as_deref().unwrap_or("")).map_err(|e| KftcError::format(e.message(name)))
}

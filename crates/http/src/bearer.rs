//! `Authorization: Bearer <token>`, parsed once for every face.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};

/// The token of a bearer Authorization header. Its Debug form hides the value.
#[derive(Clone, PartialEq, Eq)]
pub struct BearerToken(pub String);

impl std::fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BearerToken(***)")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BearerError {
    #[error("the Authorization header is missing")]
    Missing,
    #[error("the Authorization header is not a Bearer token")]
    Malformed,
}

impl BearerToken {
    /// Parse the header: the scheme is case-insensitive, the token must be
    /// non-empty visible ASCII without spaces.
    pub fn from_headers(headers: &HeaderMap) -> Result<BearerToken, BearerError> {
        let value = headers
            .get(header::AUTHORIZATION)
            .ok_or(BearerError::Missing)?;
        let value = value.to_str().map_err(|_| BearerError::Malformed)?;
        let (scheme, token) = value.split_once(' ').ok_or(BearerError::Malformed)?;
        let token = token.trim();
        if !scheme.eq_ignore_ascii_case("bearer")
            || token.is_empty()
            || !token.bytes().all(|b| b.is_ascii_graphic())
        {
            return Err(BearerError::Malformed);
        }
        Ok(BearerToken(token.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// As an extractor the rejection is the bare `BearerError`; faces usually
/// call `from_headers` and render their own envelope instead.
impl<S: Send + Sync> FromRequestParts<S> for BearerToken {
    type Rejection = BearerError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        BearerToken::from_headers(&parts.headers)
    }
}

impl axum::response::IntoResponse for BearerError {
    fn into_response(self) -> axum::response::Response {
        crate::error::json_error(
            axum::http::StatusCode::UNAUTHORIZED,
            "unauthorized",
            self.to_string(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::AUTHORIZATION, HeaderValue::from_str(v).unwrap());
        h
    }

    #[test]
    fn parses_bearer_tokens() {
        assert_eq!(
            BearerToken::from_headers(&headers("Bearer abc.def")).unwrap(),
            BearerToken("abc.def".into())
        );
        assert_eq!(
            BearerToken::from_headers(&headers("bearer  xyz")).unwrap(),
            BearerToken("xyz".into())
        );
        assert_eq!(
            BearerToken::from_headers(&HeaderMap::new()),
            Err(BearerError::Missing)
        );
        for bad in ["Basic abc", "Bearer", "Bearer ", "Bearer a b", "abc"] {
            assert_eq!(
                BearerToken::from_headers(&headers(bad)),
                Err(BearerError::Malformed),
                "{bad}"
            );
        }
        assert_eq!(
            format!("{:?}", BearerToken("s3cret".into())),
            "BearerToken(***)"
        );
    }

    /// The bearer_header fuzz target's seed corpus, as a plain test.
    #[test]
    fn bearer_corpus() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fuzz/corpus/bearer_header");
        let mut accepted = 0;
        for e in std::fs::read_dir(&dir).unwrap() {
            let raw = std::fs::read(e.unwrap().path()).unwrap();
            let Ok(v) = HeaderValue::from_bytes(&raw) else {
                continue;
            };
            let mut h = HeaderMap::new();
            h.insert(header::AUTHORIZATION, v);
            if let Ok(t) = BearerToken::from_headers(&h) {
                assert!(t.as_str().bytes().all(|b| b.is_ascii_graphic()));
                accepted += 1;
            }
        }
        assert!(accepted >= 2);
    }
}

//! Reading form and query parameters, and client credentials.

use crate::clients::parse_scope;
use crate::OAuthError;
use axum::http::{header, HeaderMap};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

/// Form or query parameters. RFC 6749 §3.1: a parameter must not repeat,
/// and one sent without a value counts as omitted.
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    pub(crate) fn parse(raw: &[u8]) -> Result<Params, OAuthError> {
        serde_urlencoded::from_bytes::<Vec<(String, String)>>(raw)
            .map(Params)
            .map_err(|_| OAuthError::InvalidRequest("the parameters are not form-encoded".into()))
    }

    /// Parameters given as pairs (a headless consent's).
    pub(crate) fn from_pairs(pairs: &[(&str, &str)]) -> Params {
        Params(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    pub(crate) fn get(&self, name: &str) -> Result<Option<&str>, OAuthError> {
        let mut found = self.0.iter().filter(|(k, _)| k == name);
        let first = found.next();
        if found.next().is_some() {
            return Err(OAuthError::InvalidRequest(format!("{name} is repeated")));
        }
        Ok(first.map(|(_, v)| v.as_str()).filter(|v| !v.is_empty()))
    }

    pub(crate) fn require(&self, name: &str) -> Result<&str, OAuthError> {
        self.get(name)?
            .ok_or_else(|| OAuthError::InvalidRequest(format!("{name} is required")))
    }

    /// Every parameter with a value, once each (a repeated one is an error).
    pub(crate) fn to_map(&self) -> Result<serde_json::Map<String, serde_json::Value>, OAuthError> {
        let mut m = serde_json::Map::new();
        for (k, _) in &self.0 {
            if let Some(v) = self.get(k)? {
                m.insert(k.clone(), serde_json::Value::String(v.to_owned()));
            }
        }
        Ok(m)
    }

    pub(crate) fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, v)| k == name && !v.is_empty())
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// Client credentials from HTTP Basic (RFC 6749 §2.3.1) or the form; using
/// both is an error. Returns None when the client sent none.
pub(crate) fn client_credentials(
    headers: &HeaderMap,
    q: &Params,
) -> Result<Option<(String, String)>, OAuthError> {
    let form_id = q.get("client_id")?;
    let form_secret = q.get("client_secret")?;
    let basic = match headers.get(header::AUTHORIZATION) {
        None => None,
        Some(v) => {
            let v = v.to_str().map_err(|_| OAuthError::InvalidClient)?;
            let (scheme, rest) = v.split_once(' ').ok_or(OAuthError::InvalidClient)?;
            if !scheme.eq_ignore_ascii_case("basic") {
                return Err(OAuthError::InvalidClient);
            }
            let raw = STANDARD
                .decode(rest.trim())
                .map_err(|_| OAuthError::InvalidClient)?;
            let raw = String::from_utf8(raw).map_err(|_| OAuthError::InvalidClient)?;
            let (id, secret) = raw.split_once(':').ok_or(OAuthError::InvalidClient)?;
            // Both halves are form-urlencoded before encoding (§2.3.1).
            let dec = |s: &str| percent_decode(s).ok_or(OAuthError::InvalidClient);
            Some((dec(id)?, dec(secret)?))
        }
    };
    match (basic, form_id, form_secret) {
        (Some(_), _, Some(_)) => Err(OAuthError::InvalidRequest(
            "use one client authentication method, not two".into(),
        )),
        (Some((id, _)), Some(fid), None) if fid != id => Err(OAuthError::InvalidRequest(
            "client_id differs from the Authorization header".into(),
        )),
        (Some(b), _, None) => Ok(Some(b)),
        (None, Some(id), Some(secret)) => Ok(Some((id.to_owned(), secret.to_owned()))),
        (None, Some(_), None) | (None, None, Some(_)) | (None, None, None) => Ok(None),
    }
}

/// application/x-www-form-urlencoded decoding of one value; None when the
/// result is not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    fn hex(c: u8) -> Option<u8> {
        (c as char).to_digit(16).map(|d| d as u8)
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => match (hex(b[i + 1]), hex(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// The raw-input half of a token or revoke request, without a store: the
/// form body, the client credentials (HTTP Basic or the form) and the scope
/// syntax. Returns the client id it names; the fuzz targets' entry point.
#[doc(hidden)]
pub fn parse_token_request(headers: &HeaderMap, body: &[u8]) -> Result<String, OAuthError> {
    let q = Params::parse(body)?;
    q.require("grant_type")?;
    q.get("code")?;
    q.get("redirect_uri")?;
    q.get("code_verifier")?;
    q.get("refresh_token")?;
    if let Some(s) = q.get("scope")? {
        parse_scope(s).ok_or_else(|| OAuthError::InvalidScope("scope is malformed".into()))?;
    }
    let (id, _) = client_credentials(headers, &q)?.ok_or(OAuthError::InvalidClient)?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::{parse_token_request, percent_decode};
    use axum::http::{HeaderMap, HeaderValue};

    #[test]
    fn basic_credentials_are_form_decoded() {
        assert_eq!(percent_decode("a%2Bb+c%3A").unwrap(), "a+b c:");
        assert_eq!(percent_decode("100%").unwrap(), "100%");
        assert_eq!(percent_decode("%zz&x").unwrap(), "%zz&x");
        assert!(percent_decode("%FF").is_none());
    }

    /// The oauth_token_form fuzz target's seed corpus, as a plain test: the
    /// first line of each file is an optional Authorization header, the rest
    /// the form body.
    #[test]
    fn token_form_corpus() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fuzz/corpus/oauth_token_form");
        let mut accepted = 0;
        for e in std::fs::read_dir(&dir).unwrap() {
            let raw = std::fs::read(e.unwrap().path()).unwrap();
            let (auth, body) = match raw.iter().position(|b| *b == b'\n') {
                Some(i) => (&raw[..i], &raw[i + 1..]),
                None => (&raw[..0], &raw[..]),
            };
            let mut h = HeaderMap::new();
            if let Ok(v) = HeaderValue::from_bytes(auth) {
                if !auth.is_empty() {
                    h.insert("authorization", v);
                }
            }
            accepted += usize::from(parse_token_request(&h, body).is_ok());
        }
        assert!(accepted >= 2, "the corpus holds form and Basic credentials");
    }
}

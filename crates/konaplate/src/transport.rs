//! The transport every API shares (konaplate-sandbox.md §3, "Transport",
//! "Encryption", "Idempotency"): the `X-KM-*` headers checked in order,
//! the Tran-Token HMAC over the received bytes, the JWE body, and the
//! correlation id as the request's identity. Handlers see a `Ctx` and
//! answer plain JSON; encryption of the answer happens here.

use crate::catalogue::{self, Api};
use crate::codes::{self, Code};
use crate::error::KonaError;
use crate::extract::Ctx;
use crate::KonaState;
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use chrono::{NaiveDateTime, TimeZone, Utc};
use finhub_core::konaplate::exchange::{Answer, Claim};
use finhub_core::konaplate::ids::{AccessKeyId, CorrelationId, CryptoKeyId};
use finhub_core::konaplate::project::{CryptoKey, KeyStatus, Project};
use hmac::{Hmac, Mac};
use secrecy::ExposeSecret;
use serde_json::{json, Value};
use sha2::Sha256;

pub const ASP_ID: HeaderName = HeaderName::from_static("x-km-user-aspid");
pub const CORRELATION_ID: HeaderName = HeaderName::from_static("x-km-correlation-id");
pub const ACCESS_KEY: HeaderName = HeaderName::from_static("x-km-access-key");
pub const CRYPTO_KEY_ID: HeaderName = HeaderName::from_static("x-km-crypto-key-id");
pub const TRAN_TOKEN: HeaderName = HeaderName::from_static("x-km-tran-token");
pub const TRAN_TIME: HeaderName = HeaderName::from_static("x-km-tran-time");
pub const TIME_ZONE: HeaderName = HeaderName::from_static("x-km-time-zone");

/// How far `X-KM-Tran-Time` may be from the server's real time.
const WINDOW_SECS: i64 = 5 * 60;
/// The largest body the face reads.
const BODY_LIMIT: usize = 1 << 20;

fn header<'a>(h: &'a HeaderMap, name: &HeaderName) -> Option<&'a str> {
    h.get(name).and_then(|v| v.to_str().ok()).map(str::trim)
}

fn refuse(code: Code) -> KonaError {
    KonaError::new(code)
}

/// The middleware in front of every API of the face.
pub async fn transport(State(s): State<KonaState>, req: Request, next: Next) -> Response {
    let echo = req.headers().get(&CORRELATION_ID).cloned();
    let mut resp = match exchange(&s, req, next).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    };
    if let Some(id) = echo {
        resp.headers_mut().insert(CORRELATION_ID, id);
    }
    resp
}

async fn exchange(s: &KonaState, req: Request, next: Next) -> Result<Response, KonaError> {
    let api = catalogue::find(req.uri().path())
        .filter(|_| req.method() == Method::POST)
        .ok_or_else(|| refuse(codes::NOT_FOUND))?;
    let (parts, body) = req.into_parts();
    let (project, correlation) = check_headers(s, &parts.headers).await?;
    let too_large = Code {
        status: StatusCode::PAYLOAD_TOO_LARGE,
        ..codes::INVALID
    };
    let bytes = to_bytes(body, BODY_LIMIT)
        .await
        .map_err(|_| refuse(too_large))?;
    check_token(s, &parts.headers, &bytes).await?;
    let crypto = named_key(s, &parts.headers, &project).await?;
    let pid = project.project_id.clone();
    match s.kona.claim(&pid, correlation.as_str(), api.path).await? {
        Claim::Done(first) => return Ok(answer(s, api, crypto.as_ref(), first)),
        Claim::OtherPath => {
            return Err(KonaError::with(codes::INVALID, "X-KM-Correlation-Id"));
        }
        Claim::Fresh => {}
    }
    let first = match body_json(s, &bytes, crypto.as_ref()) {
        Ok(body) => {
            let ctx = Ctx {
                project,
                api,
                crypto: crypto.clone(),
                body,
            };
            let mut inner = Request::from_parts(parts, Body::empty());
            inner.extensions_mut().insert(ctx);
            plain(next.run(inner).await).await
        }
        Err(e) => plain(e.into_response()).await,
    };
    if first.status >= 500 {
        // Nothing to keep: the retry runs again (money moves under its own keys).
        s.kona.release(&pid, correlation.as_str()).await?;
    } else {
        s.kona.finish(&pid, correlation.as_str(), &first).await?;
    }
    Ok(answer(s, api, crypto.as_ref(), first))
}

/// ASP id, correlation id, access key, time zone and time, in that order.
async fn check_headers(
    s: &KonaState,
    h: &HeaderMap,
) -> Result<(Project, CorrelationId), KonaError> {
    let asp = header(h, &ASP_ID).filter(|a| a.len() == 15);
    let project = match asp {
        Some(a) => s.kona.repo.project_by_asp(a).await?,
        None => None,
    }
    .ok_or_else(|| refuse(codes::ASP_ID))?;
    let correlation = header(h, &CORRELATION_ID)
        .and_then(|c| CorrelationId::parse(c).ok())
        .ok_or_else(|| KonaError::with(codes::INVALID, "X-KM-Correlation-Id"))?;
    let key = match header(h, &ACCESS_KEY).and_then(|k| AccessKeyId::parse(k).ok()) {
        Some(k) => s.kona.repo.access_key(k.as_str()).await?,
        None => None,
    };
    key.filter(|k| k.project_id == project.project_id && k.status == KeyStatus::Active)
        .ok_or_else(|| refuse(codes::ACCESS_KEY))?;
    check_time(h).ok_or_else(|| refuse(codes::TRAN_TIME))?;
    Ok((project, correlation))
}

/// `X-KM-Tran-Time` (14 digits, in `X-KM-Time-Zone`) within the window of
/// real time: the sandbox clock never locks a client out.
fn check_time(h: &HeaderMap) -> Option<()> {
    let offset = match header(h, &TIME_ZONE)? {
        "KST" => 9 * 3600,
        "UTC" | "GMT" => 0,
        _ => return None,
    };
    let t = header(h, &TRAN_TIME).filter(|t| t.len() == 14)?;
    let local = NaiveDateTime::parse_from_str(t, "%Y%m%d%H%M%S").ok()?;
    let zone = chrono::FixedOffset::east_opt(offset)?;
    let at = zone
        .from_local_datetime(&local)
        .single()?
        .with_timezone(&Utc);
    ((Utc::now() - at).num_seconds().abs() <= WINDOW_SECS).then_some(())
}

/// `KMV1:<17 digits>:<Base64 HMAC-SHA256(secret, body)>`, compared in
/// constant time, with or without the `=` padding.
async fn check_token(s: &KonaState, h: &HeaderMap, body: &[u8]) -> Result<(), KonaError> {
    let bad = || refuse(codes::TRAN_TOKEN);
    let token = header(h, &TRAN_TOKEN).ok_or_else(bad)?;
    let mac = parse_token(token).ok_or_else(bad)?;
    let key = header(h, &ACCESS_KEY).unwrap_or_default();
    let key = (s.kona.repo.access_key(key).await?).ok_or_else(bad)?;
    let mut m =
        Hmac::<Sha256>::new_from_slice(key.secret.expose_secret().as_bytes()).map_err(|_| bad())?;
    m.update(body);
    m.verify_slice(&mac).map_err(|_| bad())
}

fn parse_token(token: &str) -> Option<Vec<u8>> {
    let rest = token.strip_prefix("KMV1:")?;
    let (time, mac) = rest.split_once(':')?;
    if time.len() != 17 || !time.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !(mac.len() == 43 || (mac.len() == 44 && mac.ends_with('='))) {
        return None;
    }
    let raw = base64::engine::general_purpose::STANDARD_NO_PAD.decode(mac.trim_end_matches('='));
    raw.ok().filter(|m| m.len() == 32)
}

/// The key `X-KM-Crypto-Key-Id` names: live and the project's, else `000_105`.
async fn named_key(
    s: &KonaState,
    h: &HeaderMap,
    p: &Project,
) -> Result<Option<CryptoKey>, KonaError> {
    let Some(id) = header(h, &CRYPTO_KEY_ID).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let key = match CryptoKeyId::parse(id) {
        Ok(id) => s.kona.repo.crypto_key(id.as_str()).await?,
        Err(_) => None,
    };
    key.filter(|k| k.project_id == p.project_id && k.status != KeyStatus::Discarded)
        .map(Some)
        .ok_or_else(|| refuse(codes::DECRYPTION))
}

/// The body as JSON: `{"encData": …}` decrypted with the named key, or
/// plain JSON; empty is `{}`.
fn body_json(s: &KonaState, bytes: &[u8], key: Option<&CryptoKey>) -> Result<Value, KonaError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    let v: Value = serde_json::from_slice(bytes).map_err(|_| refuse(codes::INVALID))?;
    if !v.is_object() {
        return Err(refuse(codes::INVALID));
    }
    let Some(enc) = v.get("encData") else {
        return Ok(v);
    };
    let (Some(token), Some(key)) = (enc.as_str(), key) else {
        return Err(refuse(codes::DECRYPTION));
    };
    let plain = (s.keyring.decrypt(key, token)).map_err(|_| refuse(codes::DECRYPTION))?;
    let v: Value = serde_json::from_slice(&plain).map_err(|_| refuse(codes::INVALID))?;
    v.is_object()
        .then_some(v)
        .ok_or_else(|| refuse(codes::INVALID))
}

/// A handler's answer as status and text, to keep and to send.
async fn plain(r: Response) -> Answer {
    let status = r.status().as_u16();
    let body = to_bytes(r.into_body(), BODY_LIMIT)
        .await
        .unwrap_or_default();
    Answer {
        status,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

/// The answer on the wire: a success of an S-marked API is encrypted to
/// the named key's client public key.
fn answer(s: &KonaState, api: &Api, key: Option<&CryptoKey>, a: Answer) -> Response {
    let status = StatusCode::from_u16(a.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let json = [(
        axum::http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    )];
    match key {
        Some(k) if api.enc_response && status == StatusCode::OK => {
            match s.keyring.encrypt(k, a.body.as_bytes()) {
                Ok(jwe) => {
                    let id = HeaderValue::from_str(k.crypto_key_id.as_str()).ok();
                    let mut r = (status, json, json!({"encData": jwe}).to_string()).into_response();
                    if let Some(id) = id {
                        r.headers_mut().insert(CRYPTO_KEY_ID, id);
                    }
                    r
                }
                Err(e) => KonaError::from(e).into_response(),
            }
        }
        _ => (status, json, a.body).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_parse_with_or_without_padding_only_in_their_format() {
        let mac = base64::engine::general_purpose::STANDARD.encode([7u8; 32]);
        assert_eq!(mac.len(), 44);
        let padded = format!("KMV1:20261201093000123:{mac}");
        assert_eq!(parse_token(&padded), Some(vec![7u8; 32]));
        let bare = format!("KMV1:20261201093000123:{}", mac.trim_end_matches('='));
        assert_eq!(parse_token(&bare), Some(vec![7u8; 32]));
        assert!(parse_token(&format!("KMV2:20261201093000123:{mac}")).is_none());
        assert!(parse_token(&format!("KMV1:2026120109300012:{mac}")).is_none());
        assert!(parse_token("KMV1:20261201093000123:short").is_none());
    }
}

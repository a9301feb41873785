//! The Konaplate face as a service provider's integration speaks it: a
//! project made through the sandbox, every request signed (`KMV1` HMAC over
//! the exact body bytes), a fresh correlation id each time, KST time, and
//! JWE both ways with the project's first crypto key.
//!
//! ```ignore
//! let kp = app.kona_project().await;
//! let r = kp.call("U1", &json!({...})).await;          // signed, plain JSON
//! let r = kp.call_enc("U2", &json!({"userId": 1})).await; // JWE both ways
//! assert_kona(&r, StatusCode::OK, "000_000");
//! ```

use crate::http::Resp;
use crate::TestApp;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use base64::Engine;
use finhub_konaplate::catalogue;
use hmac::{Hmac, Mac};
use josekit::jwe::{self, JweHeader, RSA_OAEP_256};
use serde_json::{json, Value};
use sha2::Sha256;
use std::sync::atomic::{AtomicU64, Ordering};

/// A project the sandbox made, with its secrets.
#[derive(Debug, Clone)]
pub struct KonaProject {
    pub project_id: String,
    pub asp_id: String,
    pub access_key: String,
    pub secret_key: String,
    pub crypto_key_id: String,
    pub server_public_key: String,
    pub client_private_key: String,
    /// The first (mobile) and the delivery product.
    pub services: Vec<String>,
    pub merchants: Vec<String>,
    /// The whole create answer.
    pub created: Value,
}

/// A signed request as sent, every header overridable (the bad-input suite).
#[derive(Debug, Clone)]
pub struct KonaRequest {
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// A member password that meets the rules (6 digits, no runs, not in the phone).
pub const KONA_PASSWORD: &str = "135790";

impl KonaRequest {
    /// The value of a header as built (empty when it is not there).
    pub fn header(&self, name: &str) -> &str {
        (self.headers.iter())
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map_or("", |(_, v)| v.as_str())
    }
}

static SEQ: AtomicU64 = AtomicU64::new(0);

/// A correlation id of the reference's shape, unique in this process:
/// `^\d{12}-[0-9a-f]{7}$`.
pub fn correlation_id() -> String {
    let n = SEQ.fetch_add(1, Ordering::Relaxed);
    let r: u32 = rand::random();
    format!(
        "{:012}-{:07x}",
        (std::process::id() as u64) * 1_000_000 + n,
        r & 0x0fff_ffff
    )
}

/// `KMV1:<17 digits>:<Base64 HMAC-SHA256(secret, body)>`.
pub fn tran_token(secret: &str, body: &[u8]) -> String {
    let mut m = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    m.update(body);
    let mac = base64::engine::general_purpose::STANDARD.encode(m.finalize().into_bytes());
    format!("KMV1:{}:{mac}", kst_now("%Y%m%d%H%M%S%3f"))
}

/// Real time in KST, in `fmt`.
pub fn kst_now(fmt: &str) -> String {
    let kst = chrono::FixedOffset::east_opt(9 * 3600).unwrap();
    chrono::Utc::now()
        .with_timezone(&kst)
        .format(fmt)
        .to_string()
}

/// `plain` as a compact JWE (RSA-OAEP-256 + A128GCM) to a server public key.
pub fn encrypt_to(server_public_pem: &str, plain: &Value) -> String {
    let enc = RSA_OAEP_256.encrypter_from_pem(server_public_pem).unwrap();
    let mut h = JweHeader::new();
    h.set_content_encryption("A128GCM");
    jwe::serialize_compact(plain.to_string().as_bytes(), &h, &enc).unwrap()
}

/// The plaintext JSON of a compact JWE sent to a client private key.
pub fn decrypt_with(client_private_pem: &str, token: &str) -> Value {
    let dec = RSA_OAEP_256.decrypter_from_pem(client_private_pem).unwrap();
    let (plain, _) = jwe::deserialize_compact(token, &dec).unwrap();
    serde_json::from_slice(&plain).unwrap()
}

impl TestApp {
    /// POST /sandbox/konaplate/projects; the test fails unless 201.
    pub async fn kona_project(&self) -> KonaProject {
        let auth = self.admin_auth();
        let body = json!({"name": "test provider"});
        let r = (self.call(
            &Method::POST,
            "/sandbox/konaplate/projects",
            Some(&auth),
            Some(&body),
        ))
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let b = &r.body;
        let s = |k: &str| b[k].as_str().unwrap_or_default().to_owned();
        let list = |k: &str, f: &str| -> Vec<String> {
            (b[k].as_array().unwrap().iter())
                .map(|v| v[f].as_str().unwrap().to_owned())
                .collect()
        };
        KonaProject {
            project_id: s("project_id"),
            asp_id: s("asp_id"),
            access_key: s("access_key"),
            secret_key: s("secret_key"),
            crypto_key_id: s("crypto_key_id"),
            server_public_key: s("server_public_key"),
            client_private_key: s("client_private_key"),
            services: list("services", "service_id"),
            merchants: list("merchants", "merchant_id"),
            created: r.body.clone(),
        }
    }

    /// A sandbox call of the admin (`/sandbox/konaplate/projects/{id}/…`).
    pub async fn kona_sandbox(&self, m: Method, path: &str, body: Option<&Value>) -> Resp {
        let auth = self.admin_auth();
        self.call(&m, path, Some(&auth), body).await
    }

    /// Send a request exactly as built.
    pub async fn kona_send(&self, r: &KonaRequest) -> Resp {
        let mut b = Request::post(&r.path).header("content-type", "application/json");
        for (k, v) in &r.headers {
            b = b.header(k.as_str(), v.as_str());
        }
        self.send(b.body(Body::from(r.body.clone())).unwrap()).await
    }
}

impl KonaProject {
    /// The headers of a correct request carrying `body`.
    pub fn request(&self, path: &str, body: &str) -> KonaRequest {
        let headers = vec![
            ("X-KM-User-AspId".into(), self.asp_id.clone()),
            ("X-KM-Correlation-Id".into(), correlation_id()),
            ("X-KM-Access-Key".into(), self.access_key.clone()),
            ("X-KM-Tran-Time".into(), kst_now("%Y%m%d%H%M%S")),
            ("X-KM-Time-Zone".into(), "KST".into()),
            (
                "X-KM-Tran-Token".into(),
                tran_token(&self.secret_key, body.as_bytes()),
            ),
        ];
        KonaRequest {
            path: path.to_owned(),
            headers,
            body: body.to_owned(),
        }
    }

    /// The request of an API (by catalogue id) with a plain JSON body.
    pub fn plain(&self, id: &str, body: &Value) -> KonaRequest {
        self.request(catalogue::by_id(id).path, &body.to_string())
    }

    /// The request of an API with `{"encData": JWE}` and the crypto key id.
    pub fn encrypted(&self, id: &str, body: &Value) -> KonaRequest {
        let enc = json!({"encData": encrypt_to(&self.server_public_key, body)}).to_string();
        let mut r = self.request(catalogue::by_id(id).path, &enc);
        r.headers
            .push(("X-KM-Crypto-Key-Id".into(), self.crypto_key_id.clone()));
        r
    }

    /// A signed plain call of API `id`.
    pub async fn call(&self, app: &TestApp, id: &str, body: &Value) -> Resp {
        app.kona_send(&self.plain(id, body)).await
    }

    /// A signed call with the body encrypted; an `encData` answer is
    /// decrypted into `body` (and `text`).
    pub async fn call_enc(&self, app: &TestApp, id: &str, body: &Value) -> Resp {
        let r = app.kona_send(&self.encrypted(id, body)).await;
        self.opened(r)
    }

    /// `r` with an `encData` body decrypted with the client private key.
    pub fn opened(&self, mut r: Resp) -> Resp {
        if let Some(t) = r.body.get("encData").and_then(Value::as_str) {
            r.body = decrypt_with(&self.client_private_key, t);
            r.text = r.body.to_string();
        }
        r
    }
}

/// Assert a Konaplate answer: this status and `response.code`.
pub fn assert_kona(r: &Resp, status: StatusCode, code: &str) {
    assert_eq!(r.status, status, "{}", r.text);
    assert_eq!(r.body["response"]["code"], code, "{}", r.text);
    assert!(r.body["response"]["description"].is_string(), "{}", r.text);
}

//! Every test of this binary logs into one buffer at DEBUG (the http
//! shell's request spans, the faces, the store); no secret may appear in it.

use crate::fixture::*;
use crate::helpers::*;
use axum::http::Method;
use serde_json::json;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

type Buf = Arc<Mutex<Vec<u8>>>;

struct Sink(Buf);

impl Write for Sink {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Install (once) the global subscriber writing to the shared buffer.
pub fn capture() -> Buf {
    static BUF: OnceLock<Buf> = OnceLock::new();
    BUF.get_or_init(|| {
        let buf: Buf = Arc::default();
        let w = buf.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_ansi(false)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
            .with_writer(move || Sink(w.clone()))
            .try_init()
            .expect("the only subscriber of this test binary");
        buf
    })
    .clone()
}

#[tokio::test]
async fn no_secret_reaches_the_logs() {
    let buf = capture();
    let w = world().await;
    let t = &w.t;
    // The calls a client makes that carry secrets not yet sent by world():
    // a refresh token, HTTP Basic client credentials, a wrong password, the
    // CI in user/me's answer, the admin key on a wrong route.
    let r = t
        .form(
            "/oauth/2.0/token",
            &[
                ("client_id", &w.a.id),
                ("client_secret", &w.a.secret),
                ("refresh_token", &w.tok.a_user.refresh),
                ("scope", ALL_USER),
                ("grant_type", "refresh_token"),
            ],
        )
        .await;
    let refreshed = r.body["access_token"]
        .as_str()
        .unwrap_or_else(|| panic!("{}", r.text))
        .to_owned();
    let refresh2 = r.body["refresh_token"].as_str().unwrap().to_owned();
    let basic = {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", w.b.id, w.b.secret))
    };
    let req = axum::http::Request::post("/oauth/2.0/token")
        .header("authorization", format!("Basic {basic}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(
            "grant_type=client_credentials&scope=oob",
        ))
        .unwrap();
    let r = t.send(req).await;
    let basic_token = r.body["access_token"]
        .as_str()
        .unwrap_or_else(|| panic!("{}", r.text))
        .to_owned();
    let me = t
        .kftc(
            &refreshed,
            Method::GET,
            "/v2.0/user/me",
            json!({"user_seq_no": w.user}),
        )
        .await;
    assert_eq!(me.body["user_ci"], w.p.ci.as_str(), "{}", me.text);
    let page = t.sign_in(&w.a, &w.q, ALL_USER).await;
    let code2 = page["code"].clone();
    let wrong_pw = format!("{}-typo", w.p.password);
    let q = form_body(&[
        ("response_type", "code"),
        ("client_id", &w.a.id),
        ("redirect_uri", REDIRECT),
        ("scope", "inquiry"),
        ("state", "s0123456789012345678901234567890"),
    ]);
    let p = t
        .call(
            &Method::GET,
            &format!("/oauth/2.0/authorize?{q}"),
            None,
            None,
        )
        .await;
    let rid = p.text.split("name=\"request_id\" value=\"").nth(1).unwrap();
    let rid = &rid[..rid.find('"').unwrap()];
    let r = t
        .form(
            "/oauth/2.0/authorize/login",
            &[
                ("request_id", rid),
                ("login", &w.p.phone),
                ("password", &wrong_pw),
            ],
        )
        .await;
    assert_eq!(r.status, 401, "{}", r.text);
    let r = t
        .call(
            &Method::GET,
            "/sandbox/nowhere",
            Some(&format!("Bearer {ADMIN_KEY}")),
            None,
        )
        .await;
    assert_eq!(r.status, 404);
    // And a failing call with a token in a header that is not Bearer.
    let r = t
        .call(
            &Method::GET,
            "/v2.0/bank/status",
            Some(&format!("Token {}", w.tok.a_oob)),
            None,
        )
        .await;
    assert_eq!(r.code(), "O0001");

    let logs = String::from_utf8_lossy(&buf.lock().unwrap()).into_owned();
    // The capture works: the shell's request span and its response line.
    assert!(logs.contains("/v2.0/user/me"), "no request logged");
    assert!(logs.contains("response"), "no response logged");
    let tok = &w.tok;
    let secrets: Vec<(&str, &str)> = vec![
        ("A's client_secret", &w.a.secret),
        ("B's client_secret", &w.b.secret),
        ("HTTP Basic credentials", &basic),
        ("admin key", ADMIN_KEY),
        ("oob token", &tok.a_oob),
        ("sa token", &tok.a_sa),
        ("user token", &tok.a_user.access),
        ("refreshed token", &refreshed),
        ("Basic-issued token", &basic_token),
        ("B's token", &tok.b_user),
        ("MyData token", &tok.mydata),
        ("revoked token", &tok.rev_user.access),
        ("refresh token", &tok.a_user.refresh),
        ("rotated refresh token", &refresh2),
        ("authorization code", &tok.a_user.code),
        ("unspent authorization code", &code2),
        ("password", &w.p.password),
        ("wrong password", &wrong_pw),
        ("R's password", &w.r.password),
        ("CI", &w.p.ci),
        ("CI of the registered", &w.p2.ci),
    ];
    let leaked: Vec<&str> = secrets
        .iter()
        .filter(|(_, s)| logs.contains(*s))
        .map(|(name, _)| *name)
        .collect();
    if !leaked.is_empty() {
        let first = secrets.iter().find(|(n, _)| *n == leaked[0]).unwrap().1;
        let line = logs.lines().find(|l| l.contains(first)).unwrap_or("");
        panic!("secrets in the logs: {leaked:?}\nfirst: {line}");
    }
}

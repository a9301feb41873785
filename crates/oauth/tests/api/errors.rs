//! Every RFC 6749 error the token endpoint gives, the authorize errors, and
//! garbage that must never produce a 5xx.

use crate::helpers::*;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use chrono::Duration;
use finhub_oauth::Profile;

async fn code_pair(app: &App) -> (finhub_oauth::Client, String) {
    app.client(Profile::Obp, true, &["accounts", "payments"])
        .await
}

#[tokio::test]
async fn invalid_request() {
    let app = spawn_oauth().await;
    let c = code_pair(&app).await;
    for pairs in [
        vec![], // no grant_type
        vec![
            ("grant_type", "authorization_code"),
            ("redirect_uri", REDIRECT),
        ], // no code
        vec![("grant_type", "authorization_code"), ("code", "x")], // no redirect_uri
        vec![("grant_type", "refresh_token")], // no refresh_token
        vec![
            ("grant_type", "client_credentials"),
            ("grant_type", "client_credentials"),
        ], // repeated
    ] {
        let r = app.token(&c, &pairs).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{pairs:?}");
        assert_eq!(r.error(), "invalid_request", "{pairs:?}: {}", r.text);
        assert!(r.json()["error_description"].is_string());
        assert_eq!(r.headers[header::CACHE_CONTROL], "no-store");
    }
    // Two client authentication methods at once.
    let both = app
        .post_raw(
            "/oauth/2.0/token",
            Some(&basic(&c.0.client_id, &c.1)),
            form_body(&[
                ("grant_type", "client_credentials"),
                ("client_secret", &c.1),
            ]),
        )
        .await;
    assert_eq!(both.error(), "invalid_request");
    // Revoke without a token.
    let r = app
        .post_form(
            "/oauth/2.0/revoke",
            &[("client_id", &c.0.client_id), ("client_secret", &c.1)],
        )
        .await;
    assert_eq!(r.error(), "invalid_request");
}

#[tokio::test]
async fn authorize_refuses_plain_or_missing_pkce_by_redirect() {
    let app = spawn_oauth().await;
    let c = code_pair(&app).await;
    for extra in [
        vec![("code_challenge_method", "plain")],
        vec![("code_challenge_method", "")], // challenge without method means plain
        vec![("code_challenge", ""), ("code_challenge_method", "")], // obp requires PKCE
        vec![
            ("code_challenge", "too-short"),
            ("code_challenge_method", "S256"),
        ],
        vec![("response_type", "")],
    ] {
        let r = app.get(&app.authorize_uri(&c.0.client_id, &extra)).await;
        assert_eq!(r.status, StatusCode::FOUND, "{extra:?}");
        let q = r.redirect_query();
        assert_eq!(q["error"], "invalid_request", "{extra:?}");
        assert_eq!(q["state"], "st-123");
        assert!(r.location().unwrap().starts_with(REDIRECT));
    }
    let r = app
        .get(&app.authorize_uri(&c.0.client_id, &[("response_type", "token")]))
        .await;
    assert_eq!(r.redirect_query()["error"], "unsupported_response_type");
    let r = app
        .get(&app.authorize_uri(&c.0.client_id, &[("scope", "accounts admin")]))
        .await;
    assert_eq!(r.redirect_query()["error"], "invalid_scope");
}

#[tokio::test]
async fn authorize_never_redirects_for_an_unknown_client_or_redirect_uri() {
    let app = spawn_oauth().await;
    let c = code_pair(&app).await;
    for uri in [
        app.authorize_uri("no-such-client", &[]),
        app.authorize_uri(
            &c.0.client_id,
            &[("redirect_uri", "https://evil.example/callback")],
        ),
        app.authorize_uri(
            &c.0.client_id,
            &[("redirect_uri", "https://app.example/callback/")],
        ),
        app.authorize_uri(&c.0.client_id, &[("redirect_uri", "")]),
        app.authorize_uri(&c.0.client_id, &[("client_id", "")]),
        "/oauth/2.0/authorize".to_string(),
        "/oauth/2.0/authorize?%zz=%%".to_string(),
    ] {
        let r = app.get(&uri).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(r.location().is_none(), "{uri}");
        assert!(r.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
    }
}

#[tokio::test]
async fn invalid_client() {
    let app = spawn_oauth().await;
    let c = code_pair(&app).await;
    let bad_secret = app
        .post_form(
            "/oauth/2.0/token",
            &[
                ("grant_type", "client_credentials"),
                ("client_id", &c.0.client_id),
                ("client_secret", "wrong"),
            ],
        )
        .await;
    assert_eq!(bad_secret.status, StatusCode::UNAUTHORIZED);
    assert_eq!(bad_secret.error(), "invalid_client");
    assert!(bad_secret.headers[header::WWW_AUTHENTICATE]
        .to_str()
        .unwrap()
        .starts_with("Basic"));
    let unknown = app
        .post_form(
            "/oauth/2.0/token",
            &[
                ("grant_type", "client_credentials"),
                ("client_id", "nobody"),
                ("client_secret", "x"),
            ],
        )
        .await;
    assert_eq!(unknown.error(), "invalid_client");
    let none = app
        .post_form("/oauth/2.0/token", &[("grant_type", "client_credentials")])
        .await;
    assert_eq!(none.error(), "invalid_client");
    let bad_basic = app
        .post_raw(
            "/oauth/2.0/token",
            Some("Basic !!!"),
            form_body(&[("grant_type", "client_credentials")]),
        )
        .await;
    assert_eq!(bad_basic.error(), "invalid_client");
    let basic_wrong = app
        .post_raw(
            "/oauth/2.0/token",
            Some(&basic(&c.0.client_id, "nope")),
            form_body(&[("grant_type", "client_credentials")]),
        )
        .await;
    assert_eq!(basic_wrong.error(), "invalid_client");
    let revoke = app
        .post_form(
            "/oauth/2.0/revoke",
            &[
                ("client_id", &c.0.client_id),
                ("client_secret", "wrong"),
                ("token", "t"),
            ],
        )
        .await;
    assert_eq!(revoke.error(), "invalid_client");
}

#[tokio::test]
async fn invalid_grant() {
    let app = spawn_oauth().await;
    let c = code_pair(&app).await;
    let exchange = |code: String, redirect: &'static str, verifier: &'static str| {
        let app = &app;
        let c = &c;
        async move {
            app.token(
                c,
                &[
                    ("grant_type", "authorization_code"),
                    ("code", &code),
                    ("redirect_uri", redirect),
                    ("code_verifier", verifier),
                ],
            )
            .await
        }
    };
    // A made-up code.
    assert_eq!(
        exchange("made-up".into(), REDIRECT, VERIFIER).await.error(),
        "invalid_grant"
    );
    // A wrong verifier (the code is spent by the attempt).
    let code = app.code(&c.0.client_id, &[]).await;
    let wrong = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    assert_eq!(
        exchange(code.clone(), REDIRECT, wrong).await.error(),
        "invalid_grant"
    );
    assert_eq!(
        exchange(code, REDIRECT, VERIFIER).await.error(),
        "invalid_grant"
    );
    // A redirect_uri other than the one authorized.
    let code = app.code(&c.0.client_id, &[]).await;
    let r = exchange(code, "https://app.example/other", VERIFIER).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.error(), "invalid_grant");
    // A used code.
    let code = app.code(&c.0.client_id, &[]).await;
    assert_eq!(
        exchange(code.clone(), REDIRECT, VERIFIER).await.status,
        StatusCode::OK
    );
    assert_eq!(
        exchange(code, REDIRECT, VERIFIER).await.error(),
        "invalid_grant"
    );
    // A code of another client.
    let other = code_pair(&app).await;
    let code = app.code(&other.0.client_id, &[]).await;
    assert_eq!(
        exchange(code, REDIRECT, VERIFIER).await.error(),
        "invalid_grant"
    );
    // An expired code.
    let code = app.code(&c.0.client_id, &[]).await;
    app.clock.advance(Duration::seconds(601));
    assert_eq!(
        exchange(code, REDIRECT, VERIFIER).await.error(),
        "invalid_grant"
    );
    // A made-up refresh token.
    assert_eq!(
        app.refresh(&c, "not-a-refresh-token").await.error(),
        "invalid_grant"
    );
}

#[tokio::test]
async fn unauthorized_client_for_code_without_redirect_uris() {
    let app = spawn_oauth().await;
    let c = app.client(Profile::Oris, false, &["remit"]).await;
    let r = app
        .token(
            &c,
            &[
                ("grant_type", "authorization_code"),
                ("code", "x"),
                ("redirect_uri", REDIRECT),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.error(), "unauthorized_client");
}

#[tokio::test]
async fn unsupported_grant_type() {
    let app = spawn_oauth().await;
    let c = code_pair(&app).await;
    for g in [
        "password",
        "implicit",
        "urn:ietf:params:oauth:grant-type:jwt-bearer",
    ] {
        let r = app
            .token(
                &c,
                &[("grant_type", g), ("username", "u"), ("password", "p")],
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert_eq!(r.error(), "unsupported_grant_type", "{g}");
    }
}

#[tokio::test]
async fn invalid_scope() {
    let app = spawn_oauth().await;
    let c = code_pair(&app).await;
    for scope in ["admin", "accounts admin", "bad\"scope", " "] {
        let r = app
            .token(
                &c,
                &[("grant_type", "client_credentials"), ("scope", scope)],
            )
            .await;
        if scope == " " {
            // Only spaces: no scope token at all.
            assert_eq!(r.error(), "invalid_scope");
            continue;
        }
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{scope}");
        assert_eq!(r.error(), "invalid_scope", "{scope}");
    }
}

#[tokio::test]
async fn garbage_never_gives_a_server_error() {
    let app = spawn_oauth().await;
    let c = code_pair(&app).await;
    let bodies: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"%%%%".to_vec(),
        b"{\"grant_type\":\"client_credentials\"}".to_vec(),
        vec![0xff, 0xfe, 0x00, 0x80],
        b"grant_type=authorization_code&code=%FF%FE&redirect_uri=%00".to_vec(),
        format!(
            "grant_type=refresh_token&refresh_token={}",
            "a".repeat(100_000)
        )
        .into_bytes(),
        format!(
            "client_id={}&client_secret=x&grant_type=client_credentials",
            "c".repeat(10_000)
        )
        .into_bytes(),
        b"&&&===&".to_vec(),
    ];
    for path in [
        "/oauth/2.0/token",
        "/oauth/2.0/revoke",
        "/oauth/2.0/authorize/login",
        "/oauth/2.0/authorize/consent",
    ] {
        for b in &bodies {
            let r = app.post_raw(path, None, b.clone()).await;
            assert!(
                r.status.is_client_error(),
                "{path} {:?} gave {}",
                String::from_utf8_lossy(&b[..b.len().min(40)]),
                r.status
            );
            let r = app
                .post_raw(path, Some(&basic(&c.0.client_id, &c.1)), b.clone())
                .await;
            assert!(
                r.status.is_client_error() || r.status.is_success(),
                "{path} gave {}",
                r.status
            );
        }
    }
    for auth in ["Bearer x", "Basic", "Basic Og==", "basic   ", "Basic w4k="] {
        let r = app
            .post_raw(
                "/oauth/2.0/token",
                Some(auth),
                form_body(&[("grant_type", "client_credentials")]),
            )
            .await;
        assert_eq!(r.error(), "invalid_client", "{auth}");
    }
    let r = app
        .send(
            Request::get("/oauth/2.0/token")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(r.status.is_client_error());
    let r = app
        .get(&format!(
            "/oauth/2.0/authorize?client_id={}",
            "x".repeat(50_000)
        ))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

//! The whole authorization-code flow through the HTML pages, then refresh
//! rotation, reuse detection, revocation and expiry.

use crate::helpers::*;
use axum::http::{header, StatusCode};
use chrono::Duration;
use finhub_oauth::{Profile, TokenError};
use sha2::{Digest, Sha256};

#[tokio::test]
async fn code_flow_through_the_pages_then_refresh_rotation_and_reuse() {
    let app = spawn_oauth().await;
    let c = app
        .client(Profile::Obp, true, &["accounts", "payments"])
        .await;

    // Authorize shows a login page that names the client and the scope.
    let page = app
        .get(&app.authorize_uri(&c.0.client_id, &[("client_info", "ci-42")]))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    // The app learns nothing of the pages that sent the person back.
    assert_eq!(page.headers[header::REFERRER_POLICY], "no-referrer");
    let csp = page.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    assert!(
        !csp.contains("form-action"),
        "Chromium would block the redirect: {csp}"
    );
    assert!(page
        .text
        .contains("<form method=\"post\" action=\"authorize/login\""));
    assert!(page.text.contains("테스트 앱"));
    assert!(page.text.contains("(accounts)"));
    assert!(
        !page.text.contains("<script")
            && !page.text.contains("http://")
            && !page.text.contains("https://")
    );
    let rid = field_values(&page.text, "request_id").remove(0);
    assert!(rid.len() >= 43, "request id is unguessable");

    // A wrong password keeps the login page.
    let wrong = app
        .post_form(
            "/oauth/2.0/authorize/login",
            &[("request_id", &rid), ("login", PHONE), ("password", "nope")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.text.contains("올바르지 않습니다"));
    // The login is kept for the retry; the password is not echoed.
    assert!(wrong
        .text
        .contains(&format!("name=\"login\" value=\"{PHONE}\"")));
    assert!(!wrong.text.contains("nope"));
    // Rendered at /oauth/2.0/authorize/login, the retry posts to the same place.
    assert!(wrong.text.contains("action=\"login\""));

    // Phone digits and the sandbox password log in; consent lists the accounts.
    let consent = app
        .post_form(
            "/oauth/2.0/authorize/login",
            &[
                ("request_id", &rid),
                ("login", "01012345678"),
                ("password", finhub_oauth::SANDBOX_PASSWORD),
            ],
        )
        .await;
    assert_eq!(consent.status, StatusCode::OK, "{}", consent.text);
    assert!(consent.text.contains("김하나"));
    assert!(consent.text.contains("국민은행") && consent.text.contains("신한은행"));
    assert!(consent.text.contains("KB 자유입출금"));
    assert!(consent.text.contains("type=\"checkbox\""));
    assert!(consent.text.contains("action=\"consent\""));
    let offered = field_values(&consent.text, "account_id");
    assert_eq!(offered.len(), 2);
    let acct0 = app.world.account(&app.account_ids[0]).await.unwrap();
    assert!(
        !consent.text.contains(&acct0.account_num),
        "numbers are masked"
    );
    let last4: String = acct0
        .account_num
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    assert!(consent.text.contains(&last4));

    // Allow with one account: 302 to the exact redirect URI with code, state, scope and client_info.
    let r = app
        .post_form(
            "/oauth/2.0/authorize/consent",
            &[
                ("request_id", &rid),
                ("decision", "allow"),
                ("account_id", &app.account_ids[1]),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FOUND);
    assert!(r.location().unwrap().starts_with(&format!("{REDIRECT}?")));
    let q = r.redirect_query();
    assert_eq!(q["state"], "st-123");
    assert_eq!(q["scope"], "accounts");
    assert_eq!(q["client_info"], "ci-42");
    let code = q["code"].clone();

    // The request is answered once.
    let again = app
        .post_form(
            "/oauth/2.0/authorize/consent",
            &[("request_id", &rid), ("decision", "allow")],
        )
        .await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);

    // Exchange with the verifier, client authenticated by HTTP Basic.
    let tok = app
        .post_raw(
            "/oauth/2.0/token",
            Some(&basic(&c.0.client_id, &c.1)),
            form_body(&[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", REDIRECT),
                ("code_verifier", VERIFIER),
            ]),
        )
        .await;
    assert_eq!(tok.status, StatusCode::OK, "{}", tok.text);
    assert_eq!(tok.headers[header::CACHE_CONTROL], "no-store");
    let t1 = tok.json();
    assert_eq!(t1["token_type"], "Bearer");
    assert_eq!(t1["expires_in"], 3600);
    assert_eq!(t1["scope"], "accounts");
    let claims = app.oauth.verify_access(&s(&t1, "access_token")).unwrap();
    assert_eq!(claims.sub.as_deref(), Some(app.person.person_id.as_str()));
    assert_eq!(claims.scope, vec!["accounts".to_string()]);
    assert_eq!(claims.aud, c.0.client_id);
    let rt1 = s(&t1, "refresh_token");
    // The refresh token is stored by hash, bound to the chosen account.
    let stored = app
        .oauth
        .repo
        .refresh(&hex::encode(Sha256::digest(rt1.as_bytes())))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.account_ids, vec![app.account_ids[1].clone()]);
    assert_eq!(Some(stored.family_id.clone()), claims.fam);
    assert_eq!(
        app.oauth.granted_accounts(&claims).await.unwrap(),
        vec![app.account_ids[1].clone()]
    );

    // The code is single-use.
    let reuse = app
        .token(
            &c,
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", REDIRECT),
                ("code_verifier", VERIFIER),
            ],
        )
        .await;
    assert_eq!(reuse.status, StatusCode::BAD_REQUEST);
    assert_eq!(reuse.error(), "invalid_grant");

    // Refresh rotates: a new refresh token each time.
    let r2 = app.refresh(&c, &rt1).await;
    assert_eq!(r2.status, StatusCode::OK, "{}", r2.text);
    let t2 = r2.json();
    let rt2 = s(&t2, "refresh_token");
    assert_ne!(rt1, rt2);
    let at2 = s(&t2, "access_token");
    assert!(app.oauth.verify_access(&at2).is_ok());

    // Presenting the spent one revokes the whole family at once.
    let reused = app.refresh(&c, &rt1).await;
    assert_eq!(reused.status, StatusCode::BAD_REQUEST);
    assert_eq!(reused.error(), "invalid_grant");
    assert_eq!(app.oauth.verify_access(&at2), Err(TokenError::Revoked));
    assert_eq!(
        app.oauth.verify_access(&s(&t1, "access_token")),
        Err(TokenError::Revoked)
    );
    let newer = app.refresh(&c, &rt2).await;
    assert_eq!(newer.error(), "invalid_grant");

    // The revocation survives a restart (reloaded from the database).
    let restarted = finhub_oauth::OAuth::new(
        app.oauth.repo.clone(),
        b"test-signing-key-test-signing-key!!",
        app.clock.clone(),
        app.oauth.config.clone(),
    )
    .await
    .unwrap();
    assert_eq!(restarted.verify_access(&at2), Err(TokenError::Revoked));
}

#[tokio::test]
async fn refresh_may_narrow_scope_but_not_widen_it() {
    let app = spawn_oauth().await;
    let c = app
        .client(Profile::Obp, true, &["accounts", "payments"])
        .await;
    let code = app
        .code(&c.0.client_id, &[("scope", "accounts payments")])
        .await;
    let t = app
        .token(
            &c,
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", REDIRECT),
                ("code_verifier", VERIFIER),
            ],
        )
        .await
        .json();
    assert_eq!(t["scope"], "accounts payments");
    let narrow = app
        .token(
            &c,
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", &s(&t, "refresh_token")),
                ("scope", "payments"),
            ],
        )
        .await;
    assert_eq!(narrow.status, StatusCode::OK, "{}", narrow.text);
    assert_eq!(narrow.json()["scope"], "payments");
    let wide = app
        .token(
            &c,
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", &s(&narrow.json(), "refresh_token")),
                ("scope", "payments admin"),
            ],
        )
        .await;
    assert_eq!(wide.error(), "invalid_scope");
}

#[tokio::test]
async fn deny_redirects_with_access_denied_and_state() {
    let app = spawn_oauth().await;
    let c = app.client(Profile::Obp, true, &["accounts"]).await;
    let page = app.get(&app.authorize_uri(&c.0.client_id, &[])).await;
    let rid = field_values(&page.text, "request_id").remove(0);
    // Consent before login is refused.
    let early = app
        .post_form(
            "/oauth/2.0/authorize/consent",
            &[("request_id", &rid), ("decision", "allow")],
        )
        .await;
    assert_eq!(early.status, StatusCode::BAD_REQUEST);
    assert!(early.location().is_none());
    app.post_form(
        "/oauth/2.0/authorize/login",
        &[
            ("request_id", &rid),
            ("login", &app.person.person_id),
            ("password", "finhub"),
        ],
    )
    .await;
    let r = app
        .post_form(
            "/oauth/2.0/authorize/consent",
            &[("request_id", &rid), ("decision", "deny")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FOUND);
    let q = r.redirect_query();
    assert_eq!(q["error"], "access_denied");
    assert_eq!(q["state"], "st-123");
    assert!(!q.contains_key("code"));
}

#[tokio::test]
async fn consent_refuses_accounts_of_someone_else() {
    let app = spawn_oauth().await;
    let c = app.client(Profile::Obp, true, &["accounts"]).await;
    let page = app.get(&app.authorize_uri(&c.0.client_id, &[])).await;
    let rid = field_values(&page.text, "request_id").remove(0);
    app.post_form(
        "/oauth/2.0/authorize/login",
        &[
            ("request_id", &rid),
            ("login", PHONE),
            ("password", "finhub"),
        ],
    )
    .await;
    let r = app
        .post_form(
            "/oauth/2.0/authorize/consent",
            &[
                ("request_id", &rid),
                ("decision", "allow"),
                ("account_id", "not-mine"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.location().is_none());
    assert!(r.text.contains("목록에 있는 항목만"));
}

#[tokio::test]
async fn revoking_an_access_token_is_effective_at_once_and_takes_its_family() {
    let app = spawn_oauth().await;
    let c = app.client(Profile::Obp, true, &["accounts"]).await;
    let t = app.user_tokens(&c).await;
    let at = s(&t, "access_token");
    assert!(app.oauth.verify_access(&at).is_ok());
    let r = app
        .post_form(
            "/oauth/2.0/revoke",
            &[
                ("client_id", &c.0.client_id),
                ("client_secret", &c.1),
                ("token", &at),
                ("token_type_hint", "access_token"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(app.oauth.verify_access(&at), Err(TokenError::Revoked));
    assert_eq!(
        app.refresh(&c, &s(&t, "refresh_token")).await.error(),
        "invalid_grant"
    );

    // Unknown tokens still get 200 (RFC 7009 §2.2).
    let unknown = app
        .post_form(
            "/oauth/2.0/revoke",
            &[
                ("client_id", &c.0.client_id),
                ("client_secret", &c.1),
                ("token", "whatever"),
            ],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::OK);
}

#[tokio::test]
async fn revoking_a_refresh_token_revokes_its_access_tokens_kftc_field_name() {
    let app = spawn_oauth().await;
    let c = app.client(Profile::Obp, true, &["accounts"]).await;
    let t = app.user_tokens(&c).await;
    // KFTC clients name the field access_token; any token is accepted in it.
    let r = app
        .post_form(
            "/oauth/2.0/revoke",
            &[
                ("client_id", &c.0.client_id),
                ("client_secret", &c.1),
                ("access_token", &s(&t, "refresh_token")),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        app.oauth.verify_access(&s(&t, "access_token")),
        Err(TokenError::Revoked)
    );
    assert_eq!(
        app.refresh(&c, &s(&t, "refresh_token")).await.error(),
        "invalid_grant"
    );
}

#[tokio::test]
async fn another_client_cannot_revoke_my_token() {
    let app = spawn_oauth().await;
    let mine = app.client(Profile::Obp, true, &["accounts"]).await;
    let other = app.client(Profile::Obp, true, &["accounts"]).await;
    let t = app.user_tokens(&mine).await;
    let r = app
        .post_form(
            "/oauth/2.0/revoke",
            &[
                ("client_id", &other.0.client_id),
                ("client_secret", &other.1),
                ("token", &s(&t, "access_token")),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(app.oauth.verify_access(&s(&t, "access_token")).is_ok());
}

#[tokio::test]
async fn tokens_codes_and_refresh_tokens_expire_by_the_clock() {
    let app = spawn_oauth().await;
    let c = app.client(Profile::Obp, true, &["accounts"]).await;

    let cc = app
        .token(&c, &[("grant_type", "client_credentials")])
        .await
        .json();
    let at = s(&cc, "access_token");
    assert!(app.oauth.verify_access(&at).is_ok());

    let code = app.code(&c.0.client_id, &[]).await;
    let t = app.user_tokens(&c).await;

    app.clock.advance(Duration::seconds(3601));
    assert_eq!(app.oauth.verify_access(&at), Err(TokenError::Expired));
    // A 10-minute code is long dead.
    let late = app
        .token(
            &c,
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", REDIRECT),
                ("code_verifier", VERIFIER),
            ],
        )
        .await;
    assert_eq!(late.error(), "invalid_grant");
    // The refresh token still works within its 90 days...
    let r = app.refresh(&c, &s(&t, "refresh_token")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // ...but not after.
    app.clock.advance(Duration::days(91));
    assert_eq!(
        app.refresh(&c, &s(&r.json(), "refresh_token"))
            .await
            .error(),
        "invalid_grant"
    );
}

#[tokio::test]
async fn an_authorize_request_expires() {
    let app = spawn_oauth().await;
    let c = app.client(Profile::Obp, true, &["accounts"]).await;
    let page = app.get(&app.authorize_uri(&c.0.client_id, &[])).await;
    let rid = field_values(&page.text, "request_id").remove(0);
    app.clock.advance(Duration::minutes(11));
    let r = app
        .post_form(
            "/oauth/2.0/authorize/login",
            &[
                ("request_id", &rid),
                ("login", PHONE),
                ("password", "finhub"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text.contains("만료"));
}

#[tokio::test]
async fn stored_password_hashes_are_checked_and_login_guessing_is_throttled() {
    let app = spawn_oauth().await;
    let c = app.client(Profile::Obp, true, &["accounts"]).await;
    let hash = finhub_oauth::hash_password("correct horse").await.unwrap();
    app.world
        .repo
        .set_password_hash(&app.person.person_id, &hash)
        .await
        .unwrap();
    let page = app.get(&app.authorize_uri(&c.0.client_id, &[])).await;
    let rid = field_values(&page.text, "request_id").remove(0);
    let login = |pw: &'static str| {
        let rid = rid.clone();
        let app = &app;
        async move {
            app.post_form(
                "/oauth/2.0/authorize/login",
                &[("request_id", &rid), ("login", PHONE), ("password", pw)],
            )
            .await
        }
    };
    // With a stored hash the sandbox password no longer works.
    assert_eq!(login("finhub").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(login("correct horse").await.status, StatusCode::OK);
    for _ in 0..finhub_oauth::MAX_FAILURES {
        login("guess").await;
    }
    let locked = login("correct horse").await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(locked.text.contains("시도 횟수를 초과"));
    app.clock
        .advance(Duration::seconds(finhub_oauth::WINDOW_SECS + 1));
    assert_eq!(login("correct horse").await.status, StatusCode::OK);
}

#[tokio::test]
async fn kftc_and_mydata_need_no_pkce_but_a_given_challenge_is_enforced() {
    let app = spawn_oauth().await;
    for profile in [Profile::Kftc, Profile::Mydata] {
        let c = app.client(profile, true, &["login", "inquiry"]).await;
        let no_pkce = [
            ("scope", "login inquiry"),
            ("code_challenge", ""),
            ("code_challenge_method", ""),
        ];
        let code = app.code(&c.0.client_id, &no_pkce).await;
        let ok = app
            .token(
                &c,
                &[
                    ("grant_type", "authorization_code"),
                    ("code", &code),
                    ("redirect_uri", REDIRECT),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{profile:?}: {}", ok.text);
        assert!(ok.json()["refresh_token"].is_string());

        let code = app.code(&c.0.client_id, &[("scope", "login")]).await;
        let missing = app
            .token(
                &c,
                &[
                    ("grant_type", "authorization_code"),
                    ("code", &code),
                    ("redirect_uri", REDIRECT),
                ],
            )
            .await;
        assert_eq!(missing.error(), "invalid_grant", "{profile:?}");
    }
}

#[tokio::test]
async fn client_credentials_gives_an_access_token_only() {
    let app = spawn_oauth().await;
    let c = app
        .client(Profile::Konaplate, false, &["prepaid", "members"])
        .await;
    let r = app
        .token(
            &c,
            &[("grant_type", "client_credentials"), ("scope", "prepaid")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.headers[header::CACHE_CONTROL], "no-store");
    let t = r.json();
    assert_eq!(t["scope"], "prepaid");
    assert!(t.get("refresh_token").is_none());
    let claims = app.oauth.verify_access(&s(&t, "access_token")).unwrap();
    assert_eq!(claims.sub, None);
    assert_eq!(claims.org_code, c.0.org_code);
    // Without scope, every scope of the client.
    let all = app
        .token(&c, &[("grant_type", "client_credentials")])
        .await
        .json();
    assert_eq!(all["scope"], "prepaid members");
}

#[tokio::test]
async fn concurrent_use_of_one_code_or_refresh_token_succeeds_once() {
    let app = spawn_oauth().await;
    let c = app.client(Profile::Obp, true, &["accounts"]).await;
    let code = app.code(&c.0.client_id, &[]).await;
    let pairs = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT),
        ("code_verifier", VERIFIER),
    ];
    let rs = futures_join(&app, &c, &pairs).await;
    assert_eq!(
        rs.iter().filter(|s| **s == StatusCode::OK).count(),
        1,
        "{rs:?}"
    );

    let t = app.user_tokens(&c).await;
    let rt = s(&t, "refresh_token");
    let pairs = [
        ("grant_type", "refresh_token"),
        ("refresh_token", rt.as_str()),
    ];
    let rs = futures_join(&app, &c, &pairs).await;
    // At most one rotation wins; any loser revokes the family.
    assert!(
        rs.iter().filter(|s| **s == StatusCode::OK).count() <= 1,
        "{rs:?}"
    );
    assert!(rs
        .iter()
        .all(|s| *s == StatusCode::OK || *s == StatusCode::BAD_REQUEST));
    assert_eq!(
        app.oauth.verify_access(&s(&t, "access_token")),
        Err(TokenError::Revoked)
    );
}

async fn futures_join(
    app: &App,
    c: &(finhub_oauth::Client, String),
    pairs: &[(&str, &str)],
) -> Vec<StatusCode> {
    let (a, b, d, e) = tokio::join!(
        app.token(c, pairs),
        app.token(c, pairs),
        app.token(c, pairs),
        app.token(c, pairs)
    );
    vec![a.status, b.status, d.status, e.status]
}

//! Guessing is throttled through the KFTC face: ten wrong client secrets (or
//! passwords) lock that client (or person) out, even with the right secret,
//! until the window passes on the world's clock. The OAuth crate's own tests
//! cover the rule; these check what a KFTC client sees.

use crate::helpers::*;
use axum::http::{Method, StatusCode};
use finhub_oauth::{MAX_FAILURES, WINDOW_SECS};

/// The KFTC answer to a locked-out client: the credentials are refused
/// (§11.3 has no code of its own for throttling).
const LOCKED: &str = "인증요청 거부-인증 파라미터 오류([3000201])";

#[tokio::test]
async fn client_secret_guessing_locks_the_client_until_the_window_passes() {
    let t = authz_app().await;
    let c = t.kftc_client("표적").await;
    let other = t.kftc_client("이웃").await;
    let token = |secret: String, id: String| {
        let t = &t;
        async move {
            t.form(
                "/oauth/2.0/token",
                &[
                    ("client_id", &id),
                    ("client_secret", &secret),
                    ("scope", "oob"),
                    ("grant_type", "client_credentials"),
                ],
            )
            .await
        }
    };
    for i in 0..MAX_FAILURES {
        let r = token(format!("guess-{i}"), c.id.clone()).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.body["rsp_code"], "O0001", "{}", r.text);
        assert_eq!(r.body["rsp_message"], LOCKED, "{}", r.text);
    }
    let r = token(c.secret.clone(), c.id.clone()).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.body["rsp_code"], "O0001",
        "the right secret is refused too: {}",
        r.text
    );
    assert_eq!(r.body["rsp_message"], LOCKED, "{}", r.text);
    assert!(r.body.get("access_token").is_none());
    // Revoke authenticates the client the same way.
    let r = t
        .form(
            "/oauth/2.0/revoke",
            &[
                ("client_id", &c.id),
                ("client_secret", &c.secret),
                ("access_token", "x"),
            ],
        )
        .await;
    assert_eq!(r.body["rsp_code"], "O0001", "{}", r.text);
    // Another client is not locked out with it.
    t.two_legged(&other, "oob").await;
    t.advance(WINDOW_SECS - 5).await;
    assert_eq!(
        token(c.secret.clone(), c.id.clone()).await.body["rsp_code"],
        "O0001"
    );
    t.advance(6).await;
    let tok = t.two_legged(&c, "oob").await;
    let st = t
        .kftc(
            &tok,
            Method::GET,
            "/v2.0/bank/status",
            serde_json::json!({}),
        )
        .await;
    assert_eq!(st.code(), "A0000", "{}", st.text);
}

#[tokio::test]
async fn password_guessing_locks_the_person_however_the_login_is_spelled() {
    let t = authz_app().await;
    let c = t.kftc_client("핀테크").await;
    let p = t.sandbox_person("홍길동", "01040000001", 1_000).await;
    let q = t.sandbox_person("김영희", "01040000002", 1_000).await;
    let request = || async {
        let qs = form_body(&[
            ("response_type", "code"),
            ("client_id", &c.id),
            ("redirect_uri", REDIRECT),
            ("scope", "login inquiry"),
            ("state", "b80BLsfigm9OokPTjy03elbJqRHOfGSY"),
        ]);
        let page = t
            .call(
                &Method::GET,
                &format!("/oauth/2.0/authorize?{qs}"),
                None,
                None,
            )
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        let rid = page
            .text
            .split("name=\"request_id\" value=\"")
            .nth(1)
            .unwrap();
        rid[..rid.find('"').unwrap()].to_owned()
    };
    // Client-secret guesses under a client_id that spells a throttle key of
    // a person's spend nothing of that person's budget.
    for key in [
        format!("person:{}", p.person_id),
        format!("login:{}", p.phone),
    ] {
        for _ in 0..MAX_FAILURES {
            let r = t
                .form(
                    "/oauth/2.0/token",
                    &[
                        ("client_id", &key),
                        ("client_secret", "x"),
                        ("grant_type", "client_credentials"),
                    ],
                )
                .await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
        }
    }
    let rid = request().await;
    let r = t
        .form(
            "/oauth/2.0/authorize/login",
            &[
                ("request_id", &rid),
                ("login", &p.phone),
                ("password", &p.password),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let login = |login: String, pw: String| {
        let rid = rid.clone();
        let t = &t;
        async move {
            t.form(
                "/oauth/2.0/authorize/login",
                &[("request_id", &rid), ("login", &login), ("password", &pw)],
            )
            .await
        }
    };
    for i in 0..MAX_FAILURES {
        let r = login(p.phone.clone(), format!("guess-{i}")).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
    }
    // The person is locked, not one spelling of the login: with dashes, or
    // by person_id, the right password is refused as well.
    let dashed = format!("{}-{}-{}", &p.phone[..3], &p.phone[3..7], &p.phone[7..]);
    for spelling in [p.phone.clone(), dashed, p.person_id.clone()] {
        let r = login(spelling.clone(), p.password.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::TOO_MANY_REQUESTS,
            "{spelling}: {}",
            r.text
        );
        assert!(r.text.contains("시도 횟수를 초과"), "{}", r.text);
    }
    // Another person logs in meanwhile.
    let r = login(q.phone.clone(), q.password.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    t.advance(WINDOW_SECS + 1).await;
    let rid2 = request().await;
    let r = t
        .form(
            "/oauth/2.0/authorize/login",
            &[
                ("request_id", &rid2),
                ("login", &p.phone),
                ("password", &p.password),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
}

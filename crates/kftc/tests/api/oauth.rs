//! The KFTC profile of the shared OAuth server: codes, audience, extras,
//! error envelope and the contract account of a new client.

use finhub_core::account::Account;
use finhub_core::oauth::{Client, Profile};
use finhub_core::party::Person;
use finhub_oauth::{AccessClaims, OAuthError};
use finhub_testkit::kftc::*;
use finhub_testkit::*;
use http_body_util::BodyExt;
use std::collections::HashMap;

fn claims(org: &str, aud: &str, sub: Option<&str>) -> AccessClaims {
    AccessClaims {
        iss: "https://finhub.local".into(),
        aud: aud.into(),
        jti: "j".into(),
        iat: 0,
        exp: 1,
        client_id: "c".into(),
        org_code: org.into(),
        profile: Profile::Kftc,
        scope: vec!["login".into()],
        sub: sub.map(str::to_owned),
        fam: None,
    }
}

#[tokio::test]
async fn the_adapter_speaks_kftc() {
    let app = spawn_app().await;
    let ad = app.app.profiles.get(Profile::Kftc).unwrap().clone();
    assert_eq!(ad.profile(), Profile::Kftc);
    let code = ad.new_org_code(7);
    assert_eq!(code.len(), 10);
    assert!(code.starts_with('M') && code.ends_with("00007"));
    let f = app.fintech("핀테크").await;
    let client = Client {
        client_id: f.id.clone(),
        secret_hash: String::new(),
        name: "핀테크".into(),
        profile: Profile::Kftc,
        org_code: f.org.clone(),
        redirect_uris: vec![],
        scopes: vec![],
        created_at: chrono::Utc::now(),
        disabled: false,
    };
    // 2-legged: the audience and the extra field are the client_use_code
    assert_eq!(ad.audience(&client, None).await.unwrap(), f.org);
    let extras = ad
        .token_extras(&client, &claims(&f.org, &f.org, None))
        .await
        .unwrap();
    assert_eq!(extras["client_use_code"], f.org.as_str());
    assert!(extras.get("user_seq_no").is_none());
    // 3-legged: the person's user_seq_no, the same one register answers with
    let (p, a) = app.person("홍길동", "BA00000004", 1_000).await;
    let aud = ad.audience(&client, Some(&p.person_id)).await.unwrap();
    assert_eq!(aud.len(), 10);
    let (user, _) = app.register_both(&f, (&p, &a)).await;
    assert_eq!(aud, user);
    let extras = ad
        .token_extras(&client, &claims(&f.org, &aud, Some(&p.person_id)))
        .await
        .unwrap();
    assert_eq!(extras["user_seq_no"], user.as_str());
    // errors: HTTP 200 with O0001 and the sub-code
    let resp = ad.error_response(&OAuthError::InvalidClient);
    assert_eq!(resp.status(), 200);
    let body: serde_json::Value =
        serde_json::from_slice(&resp.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert_eq!(body["rsp_code"], "O0001");
    assert_eq!(
        body["rsp_message"],
        "인증요청 거부-인증 파라미터 오류([3000201])"
    );
    for (err, sub) in [
        (OAuthError::InvalidRequest("x".into()), "3000103"),
        (OAuthError::InvalidScope("x".into()), "3000103"),
        (OAuthError::UnsupportedResponseType, "3000116"),
        (OAuthError::InvalidGrant("x".into()), "3002110"),
    ] {
        let r = ad.error_response(&err);
        let b: serde_json::Value =
            serde_json::from_slice(&r.into_body().collect().await.unwrap().to_bytes()).unwrap();
        assert!(b["rsp_message"].as_str().unwrap().contains(sub), "{b}");
    }
    let r = ad.error_response(&OAuthError::UnauthorizedClient("sa".into()));
    let b: serde_json::Value =
        serde_json::from_slice(&r.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert_eq!(b["rsp_code"], "O0011");
}

#[tokio::test]
async fn each_new_client_gets_its_own_funded_contract_account() {
    let app = spawn_app().await;
    let f = app.fintech("가맹점하나").await;
    let g = app.fintech("가맹점둘").await;
    assert_ne!(f.cntr, g.cntr);
    let bank097 = app.world.institution("BA00000097").await.unwrap();
    let acc = app
        .world
        .repo
        .account_by_number(&bank097.org_code, &f.cntr)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(acc.holder_name, "가맹점하나");
    assert_eq!(acc.balance_minor, finhub_kftc::CONTRACT_OPENING_KRW);
    assert!(app.world.repo.audit().await.unwrap().is_empty());
}

#[tokio::test]
async fn two_legged_tokens_come_from_the_shared_token_endpoint() {
    let app = spawn_app().await;
    let f = app.fintech("핀테크").await;
    let secret = f.secret.clone();
    let tok = app
        .kftc_form(
            "/oauth/2.0/token",
            &[
                ("client_id", &f.id),
                ("client_secret", &secret),
                ("scope", "sa"),
                ("grant_type", "client_credentials"),
            ],
        )
        .await;
    let access = tok["access_token"]
        .as_str()
        .unwrap_or_else(|| panic!("{tok}"))
        .to_owned();
    assert_eq!(tok["client_use_code"], f.org.as_str());
    assert_eq!(tok["scope"], "sa");
    assert!(tok.get("refresh_token").is_none());
    let st = app.kftc_get(&access, "/v2.0/bank/status").await;
    assert_eq!(st["rsp_code"], "A0000", "{st}");

    // a wrong secret: O0001 with 3000201, HTTP 200
    let bad = app
        .kftc_form(
            "/oauth/2.0/token",
            &[
                ("client_id", &f.id),
                ("client_secret", "wrong"),
                ("scope", "sa"),
                ("grant_type", "client_credentials"),
            ],
        )
        .await;
    assert_eq!(bad["rsp_code"], "O0001", "{bad}");
    assert!(bad["rsp_message"].as_str().unwrap().contains("3000201"));

    // user scopes are not for the 2-legged grant: O0001 with 3000103
    let user_scope = app
        .kftc_form(
            "/oauth/2.0/token",
            &[
                ("client_id", &f.id),
                ("client_secret", &secret),
                ("scope", "inquiry"),
                ("grant_type", "client_credentials"),
            ],
        )
        .await;
    assert_eq!(user_scope["rsp_code"], "O0001", "{user_scope}");
    assert!(
        user_scope["rsp_message"]
            .as_str()
            .unwrap()
            .contains("3000103"),
        "{user_scope}"
    );

    // revoke: the KFTC envelope, and the token is refused at once
    let rv = app
        .kftc_form(
            "/oauth/2.0/revoke",
            &[
                ("client_id", &f.id),
                ("client_secret", &secret),
                ("access_token", &access),
            ],
        )
        .await;
    assert_eq!(rv["rsp_code"], "A0000", "{rv}");
    assert_eq!(
        app.kftc_get(&access, "/v2.0/bank/status").await["rsp_code"],
        "O0002"
    );
}

/// The browser's part of 사용자인증: authorize, log in as `p`, allow
/// `login inquiry transfer` on account `a`; returns the redirect's query.
async fn consent_to_all(
    app: &TestApp,
    f: &Fintech,
    (p, a): (&Person, &Account),
    state: &str,
) -> HashMap<String, String> {
    let phone = p.phone.clone().unwrap();
    app.authorize(&Authorize {
        client_id: &f.id,
        redirect_uri: REDIRECT,
        scope: "login inquiry transfer",
        state,
        login: &phone,
        password: finhub_oauth::SANDBOX_PASSWORD,
        account_ids: &[&a.account_id],
    })
    .await
}

#[tokio::test]
async fn three_legged_user_tokens_carry_user_seq_no_refresh_and_revoke() {
    let app = spawn_app().await;
    let f = app.fintech("핀테크").await;
    let secret = f.secret.clone();
    let (p, a) = app.person("홍길동", "BA00000004", 50_000).await;
    let (user, fin) = app.register_both(&f, (&p, &a)).await;
    let redirect = "https://app.example/callback";
    let state = "b80BLsfigm9OokPTjy03elbJqRHOfGSY";
    let query = consent_to_all(&app, &f, (&p, &a), state).await;
    assert_eq!(query["state"], state);
    let tok = app
        .kftc_form(
            "/oauth/2.0/token",
            &[
                ("code", &query["code"]),
                ("client_id", &f.id),
                ("client_secret", &secret),
                ("redirect_uri", redirect),
                ("grant_type", "authorization_code"),
            ],
        )
        .await;
    assert_eq!(tok["user_seq_no"], user.as_str(), "{tok}");
    assert!(tok.get("client_use_code").is_none());
    let access = tok["access_token"].as_str().unwrap().to_owned();
    let refresh = tok["refresh_token"].as_str().unwrap().to_owned();

    // each API checks its own scope
    let bal = app
        .balance(
            &Fintech {
                token: access.clone(),
                ..f.clone()
            },
            &fin,
        )
        .await;
    assert_eq!(bal["rsp_code"], "A0000", "{bal}");
    assert_eq!(
        app.kftc_get(&access, "/v2.0/bank/status").await["rsp_code"],
        "O0011"
    );
    assert_eq!(
        app.kftc_get(&access, &format!("/v2.0/user/me?user_seq_no={user}"))
            .await["rsp_code"],
        "A0000"
    );

    // refresh, then revoke: the refresh token dies with the access token
    let again = app
        .kftc_form(
            "/oauth/2.0/token",
            &[
                ("client_id", &f.id),
                ("client_secret", &secret),
                ("refresh_token", &refresh),
                ("scope", "login inquiry transfer"),
                ("grant_type", "refresh_token"),
            ],
        )
        .await;
    let access2 = again["access_token"]
        .as_str()
        .unwrap_or_else(|| panic!("{again}"))
        .to_owned();
    assert_eq!(again["user_seq_no"], user.as_str());
    let refresh2 = again["refresh_token"].as_str().unwrap().to_owned();
    let rv = app
        .kftc_form(
            "/oauth/2.0/revoke",
            &[
                ("client_id", &f.id),
                ("client_secret", &secret),
                ("access_token", &access2),
            ],
        )
        .await;
    assert_eq!(rv["rsp_code"], "A0000", "{rv}");
    assert_eq!(
        app.kftc_get(&access2, &format!("/v2.0/user/me?user_seq_no={user}"))
            .await["rsp_code"],
        "O0002"
    );
    let dead = app
        .kftc_form(
            "/oauth/2.0/token",
            &[
                ("client_id", &f.id),
                ("client_secret", &secret),
                ("refresh_token", &refresh2),
                ("scope", "login inquiry transfer"),
                ("grant_type", "refresh_token"),
            ],
        )
        .await;
    assert_eq!(dead["rsp_code"], "O0001", "{dead}");
}

/// 사용자인증 without any earlier `user/register`: the accounts picked on
/// the consent page are registered for the granted services, so the app
/// finds them in `user/me` and can use their fintech_use_num at once.
#[tokio::test]
async fn consent_registers_the_chosen_accounts() {
    let app = spawn_app().await;
    let f = app.fintech("핀테크").await;
    let secret = f.secret.clone();
    let (p, a) = app.person("김하늘", "BA00000004", 70_000).await;
    let redirect = "https://app.example/callback";
    let query = consent_to_all(&app, &f, (&p, &a), "s").await;
    let tok = app
        .kftc_form(
            "/oauth/2.0/token",
            &[
                ("code", &query["code"]),
                ("client_id", &f.id),
                ("client_secret", &secret),
                ("redirect_uri", redirect),
                ("grant_type", "authorization_code"),
            ],
        )
        .await;
    let access = tok["access_token"]
        .as_str()
        .unwrap_or_else(|| panic!("{tok}"));
    let user = tok["user_seq_no"].as_str().unwrap();
    let me = app
        .kftc_get(access, &format!("/v2.0/user/me?user_seq_no={user}"))
        .await;
    assert_eq!(me["rsp_code"], "A0000", "{me}");
    assert_eq!(me["res_cnt"], "1", "{me}");
    let item = &me["res_list"][0];
    assert_eq!(item["inquiry_agree_yn"], "Y", "{me}");
    assert_eq!(item["transfer_agree_yn"], "Y", "{me}");
    let fin = item["fintech_use_num"].as_str().unwrap().to_owned();
    assert_eq!(fin.len(), 24);
    let bal = app
        .balance(
            &Fintech {
                token: access.to_owned(),
                ..f.clone()
            },
            &fin,
        )
        .await;
    assert_eq!(bal["rsp_code"], "A0000", "{bal}");
    assert_eq!(bal["balance_amt"], "70000", "{bal}");

    // registering the same account again through the API finds it taken
    let again = app.register(&f, (&p, &a), "inquiry").await;
    assert_eq!(again["rsp_code"], "A0324", "{again}");
}

//! `POST /sandbox/authorize` (mydata-sandbox.md §4): the transmission
//! request it records, its defaults, and what it refuses (with no write).

use axum::http::StatusCode;
use chrono::{Months, NaiveDate};
use finhub_core::consent::{Consent, ConsentRepo};
use finhub_testkit::mydata::Operator;
use finhub_testkit::{assert_error, spawn_app, TestApp, REDIRECT};
use serde_json::json;

const KB: &str = "BA00000004";
const SHINHAN: &str = "BA00000088";
const CARD: &str = "CD00000001";

/// The consent a session's token carries.
async fn consent_of(app: &TestApp, access: &str) -> Consent {
    let claims = app.app.oauth.verify_access(access).unwrap();
    let fam = claims.fam.expect("a 3-legged token");
    app.store.consent(&fam).await.unwrap().expect("a consent")
}

fn kst_date(app: &TestApp) -> NaiveDate {
    app.now_kst().date_naive()
}

#[tokio::test]
async fn a_headless_consent_records_the_transmission_request_with_defaults() {
    let app = spawn_app().await;
    let op = app.operator("가계부").await;
    let mut p = app.sandbox_person("김마이", "010-2000-0001", 50_000).await;
    app.open_account(&mut p, 10_000).await;
    let savings = app.hold(&p.person_id, KB, "savings").await;
    let elsewhere = app.hold(&p.person_id, SHINHAN, "demand").await;
    let card = app.hold(&p.person_id, CARD, "card").await;

    // bank.list is added though not named; every deposit asset at KB is chosen.
    let r = op
        .authorize_headless(json!({"person_id": p.person_id, "org_code": KB,
            "scope": "bank.deposit", "state": "s-1"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{r}");
    let redirect = r.body["redirect"].as_str().unwrap();
    assert!(redirect.starts_with(&format!("{REDIRECT}?")), "{redirect}");
    let q: std::collections::HashMap<String, String> =
        serde_urlencoded::from_str(redirect.split_once('?').unwrap().1).unwrap();
    assert_eq!(q["state"], "s-1");
    let tran = &q["api_tran_id"];
    assert!(
        tran.len() == 25 && tran.starts_with(KB) && &tran[10..11] == "S",
        "{tran}"
    );
    let t = op.exchange(KB, &q["code"]).await;
    assert_eq!(t.status, StatusCode::OK, "{t}");
    assert_eq!(t.body["scope"], "bank.list bank.deposit");

    let c = consent_of(&app, t.body["access_token"].as_str().unwrap()).await;
    assert_eq!(c.sender_org, KB);
    assert_eq!(c.receiver_org, op.client.org);
    assert_eq!(c.client_id, op.client.id);
    assert_eq!(c.person_id, p.person_id);
    assert_eq!(c.scopes, ["bank.list", "bank.deposit"]);
    let mut want = vec![
        p.accounts[0].id.clone(),
        p.accounts[1].id.clone(),
        savings.account_id.clone(),
    ];
    let mut got = c.account_ids.clone();
    want.sort();
    got.sort();
    assert_eq!(
        got, want,
        "KB's deposits only, not {elsewhere:?} or {card:?}"
    );
    assert_eq!(c.end_date, kst_date(&app) + Months::new(12));
    assert_eq!(c.hold_until, NaiveDate::from_ymd_opt(9999, 12, 31).unwrap());
    assert!(c.is_scheduled);
    assert_eq!(c.fnd_cycle.as_deref(), Some("1/d"));
    assert_eq!(c.add_cycle.as_deref(), Some("1/d"));
    assert!(!c.purpose.is_empty() && c.tx_id.is_none() && c.revoked_at.is_none());

    // The code is single-use.
    let again = op.exchange(KB, &q["code"]).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST, "{again}");
    assert_eq!(again.error(), "invalid_grant");
}

#[tokio::test]
async fn chosen_assets_and_terms_are_what_the_record_holds() {
    let app = spawn_app().await;
    let op = app.operator("가계부").await;
    let p = app.sandbox_person("이마이", "010-2000-0002", 50_000).await;
    let card = app.hold(&p.person_id, CARD, "card").await;
    let card2 = app.hold(&p.person_id, CARD, "card").await;
    let loan = app.hold(&p.person_id, CARD, "loan").await;
    let end = (kst_date(&app) + Months::new(3))
        .format("%Y%m%d")
        .to_string();
    let r = op
        .authorize_headless(json!({"person_id": p.person_id, "org_code": CARD,
            "scope": "card.list card.card card.point", "assets": [card.asset],
            "purpose": "카드 소비 분석", "end_date": end, "is_scheduled": false}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{r}");
    let s = op
        .consent(&p.person_id, CARD, "card.card card.loan", None)
        .await;
    assert_eq!(s.token["scope"], "card.list card.card card.loan");
    let all = consent_of(&app, &s.access).await;
    let mut got = all.account_ids.clone();
    got.sort();
    let mut want = vec![card.account_id.clone(), card2.account_id, loan.account_id];
    want.sort();
    assert_eq!(got, want);

    let people = app.store.consents_of_person(&p.person_id).await.unwrap();
    assert_eq!(people.len(), 2);
    let first = people
        .iter()
        .find(|c| c.purpose == "카드 소비 분석")
        .unwrap();
    assert_eq!(first.account_ids, [card.account_id]);
    assert_eq!(first.end_date.format("%Y%m%d").to_string(), end);
    assert!(!first.is_scheduled && first.fnd_cycle.is_none() && first.add_cycle.is_none());
    assert_eq!(first.scopes, ["card.list", "card.card", "card.point"]);
}

/// Each refusal: its status and that nothing was recorded.
async fn refused(
    app: &TestApp,
    op: &Operator<'_>,
    person: &str,
    body: serde_json::Value,
    status: StatusCode,
) {
    let r = op.authorize_headless(body.clone()).await;
    let code = if status == StatusCode::NOT_FOUND {
        "not_found"
    } else {
        "invalid_field"
    };
    assert_error(&r, status, code);
    let recorded = app.store.consents_of_person(person).await.unwrap();
    assert!(recorded.is_empty(), "{body} wrote {recorded:?}");
}

#[tokio::test]
async fn headless_refusals_are_404_or_422_and_write_nothing() {
    let app = spawn_app().await;
    let op = app.operator("가계부").await;
    let p = app.sandbox_person("박마이", "010-2000-0003", 50_000).await;
    let other = app.sandbox_person("최남", "010-2000-0004", 50_000).await;
    let theirs = app.hold(&other.person_id, KB, "demand").await;
    let card = app.hold(&p.person_id, CARD, "card").await;
    let savings = app.hold(&p.person_id, KB, "savings").await;
    let bank_only = app
        .client("mydata", "은행 전용", &["bank.list", "bank.deposit"])
        .await;
    let bank_only = app.operator_of(bank_only);
    let pid = p.person_id.as_str();
    let ok = |extra: serde_json::Value| {
        let mut b = json!({"person_id": pid, "org_code": KB, "scope": "bank.list bank.deposit"});
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    let nf = StatusCode::NOT_FOUND;
    let bad = StatusCode::UNPROCESSABLE_ENTITY;
    refused(&app, &op, pid, ok(json!({"person_id": "P-nobody"})), nf).await;
    let mut unknown_client = ok(json!({}));
    unknown_client["client_id"] = "nobody".into();
    unknown_client["redirect_uri"] = REDIRECT.into();
    let r = app
        .admin(
            axum::http::Method::POST,
            "/sandbox/authorize",
            Some(unknown_client),
        )
        .await;
    assert_error(&r, nf, "not_found");
    for body in [
        ok(json!({"redirect_uri": "https://evil.example/cb"})),
        ok(json!({"org_code": "BA99999999"})),
        ok(json!({"scope": "card.card"})),
        ok(json!({"scope": "bank.list bank.nothing"})),
        ok(json!({"assets": [theirs.asset]})),
        ok(json!({"assets": [card.asset]})),
        ok(json!({"scope": "bank.loan", "assets": [savings.asset]})),
        ok(json!({"end_date": "2020-01-01"})),
        ok(json!({"end_date": "20200101"})),
        ok(json!({"fnd_cycle": "daily"})),
    ] {
        refused(&app, &op, pid, body, bad).await;
    }
    let mut no_org = ok(json!({}));
    no_org.as_object_mut().unwrap().remove("org_code");
    refused(&app, &op, pid, no_org, bad).await;
    // A scope the client did not register.
    refused(
        &app,
        &bank_only,
        pid,
        ok(json!({"scope": "bank.list bank.loan"})),
        bad,
    )
    .await;
    refused(
        &app,
        &bank_only,
        pid,
        json!({"person_id": pid, "org_code": CARD, "scope": "card.list"}),
        bad,
    )
    .await;
    // The same consent, well formed, is taken.
    let r = op
        .authorize_headless(ok(json!({"assets": [savings.asset]})))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{r}");
}

#[tokio::test]
async fn a_kftc_client_consents_headlessly_to_account_ids() {
    let app = spawn_app().await;
    let k = app.kftc_client("핀테크").await;
    let p = app.sandbox_person("정케이", "010-2000-0005", 50_000).await;
    let body = |assets: &[&str]| {
        json!({"client_id": k.id, "person_id": p.person_id, "scope": "login inquiry",
            "redirect_uri": REDIRECT, "state": "k-1", "assets": assets})
    };
    let r = app
        .admin(
            axum::http::Method::POST,
            "/sandbox/authorize",
            Some(body(&["nope"])),
        )
        .await;
    assert_error(&r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    // 사용자인증 registers bank deposit accounts: the person's card is not offered.
    let card = app.hold(&p.person_id, "CD00000001", "card").await;
    let r = app
        .admin(
            axum::http::Method::POST,
            "/sandbox/authorize",
            Some(body(&[&card.account_id])),
        )
        .await;
    assert_error(&r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    let r = app
        .admin(
            axum::http::Method::POST,
            "/sandbox/authorize",
            Some(body(&[&p.accounts[0].id])),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{r}");
    let redirect = r.body["redirect"].as_str().unwrap();
    let q: std::collections::HashMap<String, String> =
        serde_urlencoded::from_str(redirect.split_once('?').unwrap().1).unwrap();
    assert_eq!(q["state"], "k-1");
    assert!(!q.contains_key("api_tran_id"));
    let t = app
        .form(
            "/oauth/2.0/token",
            &[
                ("code", &q["code"]),
                ("client_id", &k.id),
                ("client_secret", &k.secret),
                ("redirect_uri", REDIRECT),
                ("grant_type", "authorization_code"),
            ],
        )
        .await;
    assert_eq!(t.status, StatusCode::OK, "{t}");
    let seq = t.body["user_seq_no"].as_str().unwrap();
    // 사용자인증 registered the chosen account, as the pages would.
    let me = app
        .kftc_get(
            t.body["access_token"].as_str().unwrap(),
            &format!("/v2.0/user/me?user_seq_no={seq}"),
        )
        .await;
    assert_eq!(me.body["res_cnt"], "1", "{me}");
}

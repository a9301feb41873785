//! The MyData face's authorization matrix: an operator never sees another
//! operator's consented data, a token for one institution never reads
//! another's, a person never sees another's assets, and a token that is not
//! (or no longer) a live MyData consent reads nothing. Each refusal is the
//! exact MyData code, and carries nothing of the asset it refuses.

use axum::http::Method;
use axum::http::StatusCode;
use finhub_testkit::mydata::Session;
use finhub_testkit::{spawn_app, TestApp};
use serde_json::{json, Value};

const KB: &str = "BA00000004";
const SHINHAN: &str = "BA00000088";

/// Two operators, two people; P holds two deposit accounts at KB and one at
/// Shinhan, Q one at KB. Operator A has P's consent at KB (both accounts)
/// and at Shinhan; operator B has Q's at KB.
struct World<'a> {
    app: &'a TestApp,
    p_kb: Vec<String>,
    p_shinhan: String,
    q_kb: String,
    a_kb: Session<'a>,
    a_shinhan: Session<'a>,
    b_kb: Session<'a>,
}

async fn world(app: &TestApp) -> World<'_> {
    let p = app.create_person("김정보", None).await;
    let q = app.create_person("이주체", None).await;
    let (p, q) = (
        p["person_id"].as_str().unwrap(),
        q["person_id"].as_str().unwrap(),
    );
    let p_kb = vec![
        app.hold(p, KB, "demand").await.asset,
        app.hold(p, KB, "demand").await.asset,
    ];
    let p_shinhan = app.hold(p, SHINHAN, "demand").await.asset;
    let q_kb = app.hold(q, KB, "demand").await.asset;
    let a = app.operator("가계부 A").await;
    let b = app.operator("가계부 B").await;
    let scope = "bank.list bank.deposit";
    World {
        app,
        a_kb: a.consent(p, KB, scope, None).await,
        a_shinhan: a.consent(p, SHINHAN, scope, None).await,
        b_kb: b.consent(q, KB, scope, None).await,
        p_kb,
        p_shinhan,
        q_kb,
    }
}

async fn deposit_basic(s: &Session<'_>, org: &str, account: &str) -> finhub_testkit::Resp {
    let body = json!({"org_code": org, "account_num": account, "search_timestamp": 0});
    s.md_post("/v1/bank/accounts/deposit/basic", body).await
}

async fn bank_list(s: &Session<'_>, org: &str) -> finhub_testkit::Resp {
    s.md_get(&format!("/v1/bank/accounts?org_code={org}&limit=500"))
        .await
}

fn listed(r: &finhub_testkit::Resp) -> Vec<String> {
    let list = r.body["account_list"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    list.iter()
        .map(|a| a["account_num"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn refused(r: &finhub_testkit::Resp, status: StatusCode, code: &str, secret: &str) {
    assert_eq!(r.status, status, "{}", r.text);
    assert_eq!(r.body["rsp_code"], code, "{}", r.text);
    assert_eq!(r.body.as_object().map(|o| o.len()), Some(2), "{}", r.text);
    assert!(
        !r.text.contains(secret),
        "the refusal names the asset: {}",
        r.text
    );
}

#[tokio::test]
async fn operators_institutions_and_people_see_only_their_own() {
    let app = spawn_app().await;
    let w = world(&app).await;

    // Each session lists exactly its person's accounts at its institution.
    let mut a = listed(&bank_list(&w.a_kb, KB).await);
    a.sort();
    let mut want = w.p_kb.clone();
    want.sort();
    assert_eq!(a, want);
    assert_eq!(
        listed(&bank_list(&w.a_shinhan, SHINHAN).await),
        vec![w.p_shinhan.clone()]
    );
    assert_eq!(listed(&bank_list(&w.b_kb, KB).await), vec![w.q_kb.clone()]);

    // Operator B, with Q's consent at the same bank, cannot read P's account.
    refused(
        &deposit_basic(&w.b_kb, KB, &w.p_kb[0]).await,
        StatusCode::NOT_FOUND,
        "40402",
        &w.p_kb[0],
    );
    // P's KB token cannot read P's own Shinhan account, by either org code.
    refused(
        &deposit_basic(&w.a_kb, KB, &w.p_shinhan).await,
        StatusCode::NOT_FOUND,
        "40402",
        &w.p_shinhan,
    );
    refused(
        &deposit_basic(&w.a_kb, SHINHAN, &w.p_shinhan).await,
        StatusCode::FORBIDDEN,
        "40303",
        &w.p_shinhan,
    );
    refused(
        &bank_list(&w.a_kb, SHINHAN).await,
        StatusCode::FORBIDDEN,
        "40303",
        &w.p_shinhan,
    );
    // P's token never reads Q's account at the same bank.
    refused(
        &deposit_basic(&w.a_kb, KB, &w.q_kb).await,
        StatusCode::NOT_FOUND,
        "40402",
        &w.q_kb,
    );
    // What each may read, it reads.
    assert_eq!(
        deposit_basic(&w.a_kb, KB, &w.p_kb[1]).await.body["rsp_code"],
        "00000"
    );
    assert_eq!(
        deposit_basic(&w.b_kb, KB, &w.q_kb).await.body["rsp_code"],
        "00000"
    );
}

#[tokio::test]
async fn a_partial_consent_lists_everything_and_opens_only_what_it_holds() {
    let app = spawn_app().await;
    let p = app.create_person("박부분", None).await;
    let p = p["person_id"].as_str().unwrap();
    let one = app.hold(p, KB, "demand").await.asset;
    let two = app.hold(p, KB, "demand").await.asset;
    let op = app.operator("가계부").await;
    let s = op
        .consent(p, KB, "bank.list bank.deposit", Some(&[&one]))
        .await;
    let r = s
        .md_get(&format!("/v1/bank/accounts?org_code={KB}&limit=500"))
        .await;
    let flag = |num: &str| {
        let list = r.body["account_list"].as_array().unwrap();
        let item = list.iter().find(|a| a["account_num"] == num);
        item.map(|a| a["is_consent"].clone()).unwrap_or(Value::Null)
    };
    assert_eq!(flag(&one), json!(true), "{}", r.text);
    assert_eq!(flag(&two), json!(false), "{}", r.text);
    assert_eq!(deposit_basic(&s, KB, &one).await.body["rsp_code"], "00000");
    refused(
        &deposit_basic(&s, KB, &two).await,
        StatusCode::UNAUTHORIZED,
        "40105",
        &two,
    );
}

#[tokio::test]
async fn tokens_that_are_not_a_live_consent_read_nothing() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let acct = w.p_kb[0].clone();

    // A KFTC token is not a MyData token, and a MyData token is not KFTC's.
    let kftc = app.client("kftc", "핀테크", &["oob", "sa"]).await;
    let kftc_token = app.two_legged(&kftc, "sa").await;
    let mut forged = w.a_kb.clone();
    forged.access = kftc_token;
    refused(
        &deposit_basic(&forged, KB, &acct).await,
        StatusCode::UNAUTHORIZED,
        "40101",
        &acct,
    );
    let bearer = format!("Bearer {}", w.a_kb.access);
    let r = w
        .app
        .call(
            &Method::GET,
            "/v2.0/user/me?user_seq_no=1100000001",
            Some(&bearer),
            None,
        )
        .await;
    assert_eq!(r.body["rsp_code"], "O0002", "{}", r.text);

    // A live token with its signature altered, and a bare string.
    let mut tampered = w.a_kb.access.clone();
    let last = if tampered.ends_with('A') { 'B' } else { 'A' };
    tampered.pop();
    tampered.push(last);
    forged.access = tampered;
    refused(
        &deposit_basic(&forged, KB, &acct).await,
        StatusCode::UNAUTHORIZED,
        "40101",
        &acct,
    );
    forged.access = "garbage".into();
    refused(
        &deposit_basic(&forged, KB, &acct).await,
        StatusCode::UNAUTHORIZED,
        "40101",
        &acct,
    );

    // Revoked: the access token and what its refresh token would give.
    let mut gone = w.a_shinhan.clone();
    assert_eq!(gone.revoke().await.status, StatusCode::OK);
    refused(
        &deposit_basic(&gone, SHINHAN, &w.p_shinhan).await,
        StatusCode::UNAUTHORIZED,
        "40101",
        &w.p_shinhan,
    );
    assert_eq!(gone.refresh().await.status, StatusCode::BAD_REQUEST);

    // Expired: past the access token's life (90 days at most).
    app.advance(91 * 86_400).await;
    refused(
        &deposit_basic(&w.b_kb, KB, &w.q_kb).await,
        StatusCode::UNAUTHORIZED,
        "40101",
        &w.q_kb,
    );
}

#[tokio::test]
async fn a_consent_past_its_end_date_reads_nothing_though_its_token_lives() {
    let app = spawn_app().await;
    let p = app.create_person("최종료", None).await;
    let p = p["person_id"].as_str().unwrap();
    let acct = app.hold(p, KB, "demand").await.asset;
    let op = app.operator("가계부").await;
    // A minute before KST midnight, a consent ending today.
    let day = app.now_kst().date_naive();
    app.set_now(&format!("{}T14:59:00Z", day.format("%Y-%m-%d")))
        .await;
    let end = day.format("%Y%m%d").to_string();
    let code_of = op
        .authorize_headless(json!({"person_id": p, "org_code": KB, "scope": "bank.list bank.deposit", "end_date": end}))
        .await;
    assert_eq!(code_of.status, StatusCode::OK, "{}", code_of.text);
    let redirect = code_of.body["redirect"].as_str().unwrap();
    let code = redirect
        .split("code=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    let token = op.exchange(KB, code).await;
    let s = op.session(KB, p, &token);
    assert_eq!(deposit_basic(&s, KB, &acct).await.body["rsp_code"], "00000");
    // Past midnight the consent has ended; the token lives on.
    app.advance(120).await;
    refused(
        &deposit_basic(&s, KB, &acct).await,
        StatusCode::UNAUTHORIZED,
        "40106",
        &acct,
    );
}

//! The bank industry's exact codes and fields: assets outside the consent,
//! someone else's, headers, dates, limits, org codes, scopes, expired and
//! revoked tokens, closed accounts; funds, loans and IRP accounts; 공통-001
//! and 002; the sandbox's view of what a person holds. Bad input is never
//! a 500 and never a write.

use axum::http::{Method, StatusCode};
use finhub_core::consent::ConsentRepo;
use finhub_core::repo::{AccountRepo, LedgerRepo};
use finhub_testkit::mydata::{tran_id, Session};
use finhub_testkit::{spawn_app, Resp, TestApp};
use serde_json::{json, Value};

fn tid() -> String {
    tran_id("OPERATOR01")
}

const KB: &str = "BA00000004";

fn phone() -> String {
    use rand::Rng;
    format!("010{:08}", rand::thread_rng().gen_range(0..100_000_000))
}

/// The MyData error envelope with this code and the status it implies.
fn refused(r: &Resp, code: &str) {
    let status: u16 = code[..3].parse().unwrap();
    assert_eq!(r.status.as_u16(), status, "{}", r.text);
    assert_eq!(r.body["rsp_code"], code, "{}", r.text);
    assert!(r.body["rsp_msg"].as_str().is_some_and(|m| !m.is_empty()));
    assert_eq!(
        r.body.as_object().unwrap().len(),
        2,
        "an error is code and message only: {r}"
    );
}

/// A person with two demand accounts at KB: the first consented (when a
/// detailed scope is asked), the second not.
struct World<'a> {
    s: Session<'a>,
    person_id: String,
    mine: String,
    mine_id: String,
    unconsented: String,
}

async fn world<'a>(app: &'a TestApp, scope: &str) -> World<'a> {
    let mut p = app.sandbox_person("이서준", &phone(), 300_000).await;
    app.open_account(&mut p, 20_000).await;
    let mine = p.accounts[0].num.replace('-', "");
    let op = app.operator("가계부").await;
    let assets = [mine.as_str()];
    let chosen = (scope != "bank.list").then_some(&assets[..]);
    let s = op.consent(&p.person_id, KB, scope, chosen).await;
    World {
        s,
        person_id: p.person_id.clone(),
        mine,
        mine_id: p.accounts[0].id.clone(),
        unconsented: p.accounts[1].num.replace('-', ""),
    }
}

fn window(app: &TestApp, days: i64) -> (String, String) {
    let today = app.now_kst().date_naive();
    let from = today - chrono::Duration::days(days);
    (
        from.format("%Y%m%d").to_string(),
        today.format("%Y%m%d").to_string(),
    )
}

fn tx_body(asset: &str, from: &str, to: &str) -> Value {
    json!({"org_code": KB, "account_num": asset, "from_date": from, "to_date": to, "limit": 100})
}

#[tokio::test]
async fn assets_outside_the_consent_or_someone_elses_are_refused() {
    let app = spawn_app().await;
    let w = world(&app, "bank.list bank.deposit").await;
    let stranger = app.sandbox_person("박지호", &phone(), 5_000).await;
    let theirs = stranger.accounts[0].num.replace('-', "");
    let basic = |a: &str| json!({"org_code": KB, "account_num": a, "search_timestamp": 0});
    let path = "/v1/bank/accounts/deposit/basic";
    refused(&w.s.md_post(path, basic(&w.unconsented)).await, "40105");
    refused(&w.s.md_post(path, basic(&theirs)).await, "40402");
    refused(&w.s.md_post(path, basic("99999999999999")).await, "40402");
    let (from, to) = window(&app, 7);
    let tx = "/v1/bank/accounts/deposit/transactions";
    refused(
        &w.s.md_post(tx, tx_body(&w.unconsented, &from, &to)).await,
        "40105",
    );
    refused(
        &w.s.md_post(tx, tx_body(&theirs, &from, &to)).await,
        "40402",
    );
    // The dashed number is not the asset id the list answers.
    let dashed = app
        .world
        .repo
        .account(&w.mine_id)
        .await
        .unwrap()
        .unwrap()
        .account_num;
    refused(&w.s.md_post(path, basic(&dashed)).await, "40402");
    // A deposit API does not serve a loan, even the person's own.
    let loan = app.hold(&w.person_id, KB, "loan").await.asset;
    refused(&w.s.md_post(path, basic(&loan)).await, "40402");
}

#[tokio::test]
async fn a_missing_or_malformed_tran_id_is_40002_and_a_good_one_is_echoed() {
    let app = spawn_app().await;
    let w = world(&app, "bank.list bank.deposit").await;
    let (from, to) = window(&app, 30);
    let body = tx_body(&w.mine, &from, &to).to_string();
    let post = |h: Option<&str>| {
        let mut b = axum::http::Request::post("/v1/bank/accounts/deposit/transactions")
            .header("authorization", format!("Bearer {}", w.s.access))
            .header("content-type", "application/json");
        if let Some(h) = h {
            b = b.header("x-api-tran-id", h);
        }
        app.send(b.body(axum::body::Body::from(body.clone())).unwrap())
    };
    refused(&post(None).await, "40002");
    refused(&post(Some("SHORT")).await, "40002");
    refused(&post(Some("1234567890X00000000000001")).await, "40002");
    let r = post(Some("1234567890M00000000000001")).await;
    assert_eq!(r.body["rsp_code"], "00000", "{r}");
    assert_eq!(r.headers["x-api-tran-id"], "1234567890M00000000000001");
}

#[tokio::test]
async fn dates_limits_cursors_and_org_codes_get_their_exact_codes() {
    let app = spawn_app().await;
    let w = world(&app, "bank.list bank.deposit").await;
    let (from, to) = window(&app, 30);
    let tx = "/v1/bank/accounts/deposit/transactions";
    let body = tx_body(&w.mine, &from, &to);
    let cases = [
        (vec![("from_date", json!("2026131"))], "40001"),
        (vec![("from_date", json!("20261340"))], "40001"),
        (vec![("to_date", json!("abcdefgh"))], "40001"),
        // From after to.
        (
            vec![("from_date", json!(to)), ("to_date", json!(from))],
            "40001",
        ),
        (vec![("from_date", json!("20000101"))], "40304"),
        (vec![("limit", json!(501))], "42901"),
        (vec![("limit", json!("501"))], "42901"),
        (vec![("limit", json!(0))], "40001"),
        (vec![("next_page", json!("%%%"))], "40001"),
        (vec![("org_code", json!("BA00000088"))], "40303"),
        (vec![("org_code", json!("CD00000001"))], "40303"),
        (vec![("org_code", Value::Null)], "40001"),
    ];
    for (fields, code) in cases {
        let mut b = body.clone();
        for (k, v) in fields {
            b[k] = v;
        }
        refused(&w.s.md_post(tx, b).await, code);
    }
    for (q, code) in [
        (format!("org_code={KB}&limit=501"), "42901"),
        ("org_code=BA00000088".to_owned(), "40303"),
        (format!("org_code={KB}&search_timestamp=2026"), "40001"),
        (String::new(), "40001"),
    ] {
        refused(&w.s.md_get(&format!("/v1/bank/accounts?{q}")).await, code);
    }
}

#[tokio::test]
async fn scopes_expiry_and_revocation_are_401s() {
    let app = spawn_app().await;
    let w = world(&app, "bank.list").await;
    let basic = json!({"org_code": KB, "account_num": w.mine, "search_timestamp": 0});
    refused(
        &w.s.md_post("/v1/bank/accounts/deposit/basic", basic.clone())
            .await,
        "40104",
    );
    refused(
        &w.s.md_post("/v1/bank/accounts/loan/basic", basic.clone())
            .await,
        "40104",
    );
    refused(
        &w.s.md_get("/v1/card/consents?org_code=CD00000001").await,
        "40104",
    );
    let list = format!("/v1/bank/accounts?org_code={KB}");
    assert_eq!(w.s.md_get(&list).await.body["rsp_code"], "00000");

    // A token without a bearer, or not a token.
    let req = axum::http::Request::get(&list).header("x-api-tran-id", tid());
    refused(
        &app.send(req.body(axum::body::Body::empty()).unwrap()).await,
        "40101",
    );
    let forged = Session {
        access: "e30.e30.e30".into(),
        ..w.s.clone()
    };
    refused(&forged.md_get(&list).await, "40101");

    // Expired by the clock.
    let life = w.s.token["expires_in"].as_i64().unwrap();
    app.advance(life + 1).await;
    refused(&w.s.md_get(&list).await, "40101");
    app.advance(-life - 1).await;
    assert_eq!(w.s.md_get(&list).await.body["rsp_code"], "00000");

    // Revoked.
    assert_eq!(w.s.revoke().await.status, StatusCode::OK);
    refused(&w.s.md_get(&list).await, "40101");
}

#[tokio::test]
async fn a_closed_account_is_listed_closed_and_refused_40305() {
    let app = spawn_app().await;
    let w = world(&app, "bank.list bank.deposit").await;
    app.store
        .close_account(&w.mine_id, app.clock.now())
        .await
        .unwrap();
    let list =
        w.s.md_get(&format!("/v1/bank/accounts?org_code={KB}"))
            .await;
    let item = list["account_list"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["account_num"] == w.mine.as_str())
        .cloned();
    assert_eq!(
        item.expect("closed since the consent")["account_status"],
        "03"
    );
    let basic = json!({"org_code": KB, "account_num": w.mine, "search_timestamp": 0});
    refused(
        &w.s.md_post("/v1/bank/accounts/deposit/detail", basic).await,
        "40305",
    );
}

/// Bodies no bank API accepts.
const BAD_BODIES: [&str; 10] = [
    "",
    "null",
    "[]",
    "{",
    "{\"org_code\":1}",
    "{\"account_num\":[]}",
    "{\"org_code\":\"BA00000004\",\"account_num\":\"x\",\"search_timestamp\":{}}",
    "{\"org_code\":\"BA00000004\",\"limit\":-1,\"from_date\":20260101}",
    "{\"org_code\":\"BA00000004\",\"limit\":99999999999999999999999}",
    "{\"org_code\":\"BA00000004\",\"account_num\":\"\u{0}\",\"search_timestamp\":\"99999999999999\"}",
];

const POSTS: [&str; 12] = [
    "/v1/bank/accounts/deposit/basic",
    "/v1/bank/accounts/deposit/detail",
    "/v1/bank/accounts/deposit/transactions",
    "/v1/bank/accounts/invest/basic",
    "/v1/bank/accounts/invest/detail",
    "/v1/bank/accounts/invest/transactions",
    "/v1/bank/accounts/loan/basic",
    "/v1/bank/accounts/loan/detail",
    "/v1/bank/accounts/loan/transactions",
    "/v1/bank/irps/basic",
    "/v1/bank/irps/detail",
    "/v1/bank/irps/transactions",
];

#[tokio::test]
async fn bad_input_is_never_a_500_and_never_a_write() {
    let app = spawn_app().await;
    let w = world(
        &app,
        "bank.list bank.deposit bank.invest bank.loan bank.irp",
    )
    .await;
    let before = app.store.balance_totals().await.unwrap();
    let consents = app.store.consents_of_person(&w.person_id).await.unwrap();
    for path in POSTS {
        for body in BAD_BODIES {
            let req = axum::http::Request::post(path)
                .header("authorization", format!("Bearer {}", w.s.access))
                .header("x-api-tran-id", tid())
                .header("content-type", "application/json")
                .body(axum::body::Body::from(body))
                .unwrap();
            let r = app.send(req).await;
            assert!(r.status.is_client_error(), "{path} {body}: {r}");
            let code = r.body["rsp_code"].as_str();
            assert!(code.is_some_and(|c| c.starts_with('4')), "{r}");
        }
    }
    let queries = [
        "limit=abc",
        "limit=-5",
        "next_page=%FF",
        "search_timestamp=x",
        "org_code=",
        "limit=1e3",
    ];
    for q in queries {
        let r = w.s.md_get(&format!("/v1/bank/accounts?{q}")).await;
        assert!(r.status.is_client_error(), "{q}: {r}");
    }
    refused(
        &app.call(&Method::GET, "/v1/bank/nothing", None, None).await,
        "40401",
    );
    assert_eq!(app.store.balance_totals().await.unwrap(), before);
    assert_eq!(
        app.store.consents_of_person(&w.person_id).await.unwrap(),
        consents
    );
    assert!(app.store.audit().await.unwrap().is_empty());
}

#[tokio::test]
async fn deposit_histories_page_newest_first_through_the_cursor() {
    let app = spawn_app().await;
    let w = world(&app, "bank.list bank.deposit").await;
    let (from, to) = window(&app, 30);
    let f = app.fintech("핀테크").await;
    let p = finhub_testkit::kftc::Registrant {
        bank_code_std: "004".into(),
        account_num: app
            .world
            .repo
            .account(&w.mine_id)
            .await
            .unwrap()
            .unwrap()
            .account_num,
        user_info: "19900304".into(),
        user_name: "이서준".into(),
        user_ci: app
            .world
            .repo
            .person(&w.person_id)
            .await
            .unwrap()
            .unwrap()
            .ci,
    };
    let (_, fin) = app.register_both(&f, p).await;
    for amt in [1_000, 2_000, 3_000, 4_000] {
        let r = app.withdraw(&f, &fin, amt, &f.tran_id()).await;
        assert_eq!(r["rsp_code"], "A0000", "{r}");
    }
    let tx = "/v1/bank/accounts/deposit/transactions";
    let mut body = tx_body(&w.mine, &from, &to);
    body["limit"] = json!(2);
    let first = w.s.md_post(tx, body.clone()).await;
    assert_eq!(first["trans_cnt"], 2, "{first}");
    let amts = |r: &Resp| -> Vec<i64> {
        r["trans_list"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["trans_amt"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(amts(&first), [4_000, 3_000]);
    assert!(
        first.body.get("search_timestamp").is_none(),
        "histories take no timestamp"
    );
    body["next_page"] = first["next_page"].clone();
    let second = w.s.md_post(tx, body.clone()).await;
    assert_eq!(amts(&second), [2_000, 1_000]);
    body["next_page"] = second["next_page"].clone();
    let last = w.s.md_post(tx, body).await;
    assert_eq!(amts(&last), [300_000]);
    assert!(last.body.get("next_page").is_none(), "{last}");
    // A window before anything happened is an empty page, not an error.
    let old = window(&app, 400);
    let mut empty = tx_body(&w.mine, &old.0, &old.0);
    empty["limit"] = json!(10);
    let r = w.s.md_post(tx, empty).await;
    assert_eq!(
        (r["rsp_code"].as_str(), r["trans_cnt"].as_u64()),
        (Some("00000"), Some(0)),
        "{r}"
    );
}

/// A person with a fund, a loan and an IRP account at KB, all consented.
struct Products<'a> {
    s: Session<'a>,
    fund: String,
    loan: String,
    irp: String,
}

async fn products(app: &TestApp) -> Products<'_> {
    let p = app.create_person("최유나", None).await;
    let pid = p["person_id"].as_str().unwrap();
    let fund = app.hold(pid, KB, "fund").await.asset;
    let loan = app.hold(pid, KB, "loan").await.asset;
    let irp = app.hold(pid, KB, "irp").await.asset;
    let scope = "bank.list bank.invest bank.loan bank.irp";
    // Every asset there, by default.
    let s = app
        .operator("가계부")
        .await
        .consent(pid, KB, scope, None)
        .await;
    Products { s, fund, loan, irp }
}

fn req(a: &str) -> Value {
    json!({"org_code": KB, "account_num": a, "search_timestamp": 0})
}

#[tokio::test]
async fn the_account_list_pages_and_lists_funds_and_loans_but_not_irps() {
    let app = spawn_app().await;
    let Products { s, fund, loan, irp } = products(&app).await;
    let list = s
        .md_get(&format!("/v1/bank/accounts?org_code={KB}&limit=1"))
        .await;
    assert_eq!(list["account_cnt"], 1, "{list}");
    let next = list["next_page"]
        .as_str()
        .expect("two accounts, one a page")
        .to_owned();
    let rest = s
        .md_get(&format!(
            "/v1/bank/accounts?org_code={KB}&limit=1&next_page={next}"
        ))
        .await;
    assert_eq!(rest["account_cnt"], 1, "{rest}");
    assert!(
        rest.body.get("search_timestamp").is_none(),
        "later pages answer no timestamp"
    );
    assert!(rest.body.get("next_page").is_none());
    let all: Vec<Value> = [&list, &rest]
        .iter()
        .flat_map(|r| r["account_list"].as_array().unwrap().clone())
        .collect();
    let of = |a: &str| all.iter().find(|x| x["account_num"] == a).unwrap().clone();
    assert_eq!(of(&fund)["account_type"], "2001");
    assert!(of(&fund).get("is_minus").is_none(), "not a deposit");
    assert_eq!(of(&loan)["account_type"], "3100");
    assert!(
        !all.iter().any(|x| x["account_num"] == irp.as_str()),
        "IRPs are IRP-001's"
    );
}

#[tokio::test]
async fn funds_and_loans_answer_from_their_accounts() {
    let app = spawn_app().await;
    let Products { s, fund, loan, .. } = products(&app).await;
    let r = s
        .md_post("/v1/bank/accounts/invest/basic", req(&fund))
        .await;
    assert_eq!(r["rsp_code"], "00000", "{r}");
    assert_eq!(r["standard_fund_code"].as_str().unwrap().len(), 12);
    assert_eq!(r["paid_in_type"], "01");
    let r = s
        .md_post("/v1/bank/accounts/invest/detail", req(&fund))
        .await;
    assert_eq!(
        (r["balance_amt"].as_i64(), r["eval_amt"].as_i64()),
        (Some(10_000), Some(10_000)),
        "{r}"
    );
    let r = s.md_post("/v1/bank/accounts/loan/basic", req(&loan)).await;
    assert_eq!(r["repay_method"], "03", "{r}");
    assert_eq!(r["last_offered_rate"], 5.0);
    assert_eq!(r["exp_date"].as_str().unwrap().len(), 8);
    let r = s.md_post("/v1/bank/accounts/loan/detail", req(&loan)).await;
    assert_eq!(
        (r["balance_amt"].as_i64(), r["loan_principal"].as_i64()),
        (Some(10_000), Some(10_000)),
        "{r}"
    );
    let (from, to) = window(&app, 30);
    for path in ["invest", "loan"] {
        let a = if path == "invest" { &fund } else { &loan };
        let r = s
            .md_post(
                &format!("/v1/bank/accounts/{path}/transactions"),
                tx_body(a, &from, &to),
            )
            .await;
        assert_eq!(r["trans_cnt"], 1, "{r}");
        assert_eq!(r["trans_list"][0]["trans_type"], "01");
        assert_eq!(r["trans_list"][0]["trans_amt"], 10_000);
    }
}

#[tokio::test]
async fn irps_answer_from_their_accounts() {
    let app = spawn_app().await;
    let Products { s, irp, .. } = products(&app).await;
    let (from, to) = window(&app, 30);
    let irps = s.md_get(&format!("/v1/bank/irps?org_code={KB}")).await;
    assert_eq!(irps["irp_cnt"], 1, "{irps}");
    assert_eq!(
        irps["irp_list"][0],
        json!({"prod_name": "개인형IRP", "account_num": irp, "is_consent": true})
    );
    let r = s.md_post("/v1/bank/irps/basic", req(&irp)).await;
    assert_eq!(
        (r["accum_amt"].as_i64(), r["employee_amt"].as_i64()),
        (Some(10_000), Some(10_000)),
        "{r}"
    );
    let r = s.md_post("/v1/bank/irps/detail", req(&irp)).await;
    assert_eq!(r["irp_cnt"], 1, "{r}");
    assert_eq!(r["irp_list"][0]["irp_type"], "03");
    let r = s
        .md_post("/v1/bank/irps/transactions", tx_body(&irp, &from, &to))
        .await;
    assert_eq!(r["trans_list"][0]["trans_type"], "01", "{r}");
    // A bank token reads no investment firm's IRPs.
    refused(
        &s.md_get("/v1/invest/irps?org_code=IV00000238").await,
        "40104",
    );
}

#[tokio::test]
async fn the_api_list_needs_no_token_and_names_only_served_apis() {
    let app = spawn_app().await;
    let w = world(
        &app,
        "bank.list bank.deposit bank.invest bank.loan bank.irp",
    )
    .await;
    let get = |uri: String, tran: bool| {
        let mut b = axum::http::Request::get(uri);
        if tran {
            b = b.header("x-api-tran-id", tid());
        }
        app.send(b.body(axum::body::Body::empty()).unwrap())
    };
    let list = get(format!("/v1/bank/apis?org_code={KB}&client_id=c"), true).await;
    assert_eq!(list["rsp_code"], "00000", "{list}");
    let root = get(format!("/bank/apis?org_code={KB}&client_id=c"), true).await;
    assert_eq!(root.body, list.body);
    refused(
        &get(format!("/v1/bank/apis?org_code={KB}&client_id=c"), false).await,
        "40002",
    );
    refused(
        &get(format!("/v1/bank/apis?org_code={KB}"), true).await,
        "40001",
    );
    refused(
        &get("/v1/bank/apis?org_code=CD00000001&client_id=c".into(), true).await,
        "40303",
    );
    let card = get("/v1/card/apis?org_code=CD00000001&client_id=c".into(), true).await;
    let uris: Vec<&str> = card["api_list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["api_uri"].as_str().unwrap())
        .collect();
    assert!(
        uris.contains(&"/cards") && uris.contains(&"/prepaid/approval"),
        "{card}"
    );
    for uri in uris {
        let uri = format!("/v1/card{}", uri.replace("{card_id}", "x"));
        let (g, p) = (w.s.md_get(&uri).await, w.s.md_post(&uri, json!({})).await);
        let routed = |r: &Resp| !matches!(r.body["rsp_code"].as_str(), Some("40401" | "40501"));
        assert!(routed(&g) || routed(&p), "{uri}: {g} / {p}");
    }
    // Every API listed answers (no 40401 or 40501).
    for api in list["api_list"].as_array().unwrap() {
        let uri = format!("/v1/bank{}", api["api_uri"].as_str().unwrap());
        let body = json!({"org_code": KB, "account_num": w.mine, "search_timestamp": 0});
        let (g, p) = (
            w.s.md_get(&format!("{uri}?org_code={KB}&client_id=c"))
                .await,
            w.s.md_post(&uri, body).await,
        );
        let answered = |r: &Resp| !matches!(r.body["rsp_code"].as_str(), Some("40401" | "40501"));
        assert!(answered(&g) || answered(&p), "{uri}: {g} / {p}");
    }
}

#[tokio::test]
async fn the_consent_api_answers_the_transmission_request_as_given() {
    let app = spawn_app().await;
    let p = app.sandbox_person("한지우", &phone(), 1_000).await;
    let end = (app.now_kst() + chrono::Duration::days(100))
        .format("%Y%m%d")
        .to_string();
    let op = app.operator("가계부").await;
    let s = op
        .consent_with(
            json!({"person_id": p.person_id, "org_code": KB, "scope": "bank.list bank.deposit",
            "purpose": "가계부 관리", "end_date": end, "is_scheduled": true,
            "fnd_cycle": "1/w", "add_cycle": "2/d"}),
        )
        .await;
    let c = s.md_get(&format!("/v1/bank/consents?org_code={KB}")).await;
    assert_eq!(c["rsp_code"], "00000", "{c}");
    let want = json!({"rsp_code": "00000", "rsp_msg": c["rsp_msg"], "is_scheduled": true,
        "fnd_cycle": "1/w", "add_cycle": "2/d", "end_date": end, "purpose": "가계부 관리",
        "period": "99991231", "is_consent_trans_memo": true});
    assert_eq!(c.body, want);
    refused(
        &s.md_get("/v1/bank/consents?org_code=BA00000088").await,
        "40303",
    );
    refused(
        &s.md_get("/v1/card/consents?org_code=CD00000001").await,
        "40104",
    );

    // Not periodic: no cycles.
    let s = op
        .consent_with(
            json!({"person_id": p.person_id, "org_code": KB, "scope": "bank.list",
            "is_scheduled": false}),
        )
        .await;
    let c = s.md_get(&format!("/v1/bank/consents?org_code={KB}")).await;
    assert_eq!(c["is_scheduled"], false, "{c}");
    assert!(c.body.get("fnd_cycle").is_none() && c.body.get("add_cycle").is_none());
}

#[tokio::test]
async fn the_sandbox_lists_what_a_person_holds_in_mydata_terms() {
    let app = spawn_app().await;
    let p = app.sandbox_person("정하늘", &phone(), 1_000).await;
    let irp = app.hold(&p.person_id, KB, "irp").await.asset;
    let r = app
        .admin(
            Method::GET,
            &format!("/sandbox/people/{}/assets", p.person_id),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{r}");
    assert_eq!(r["person_id"], p.person_id.as_str());
    let assets = r["assets"].as_array().unwrap();
    assert_eq!(assets.len(), 2, "{r}");
    assert_eq!(
        assets[0],
        json!({"industry": "bank", "org_code": KB, "scope": "bank.deposit",
               "asset": p.accounts[0].num.replace('-', ""), "product_name": "자유입출금통장",
               "apis": ["은행-002", "은행-003", "은행-004"]})
    );
    assert_eq!(assets[1]["asset"], irp.as_str());
    assert_eq!(assets[1]["scope"], "bank.irp");
    let r = app
        .admin(Method::GET, "/sandbox/people/nobody/assets", None)
        .await;
    finhub_testkit::assert_error(&r, StatusCode::NOT_FOUND, "not_found");
}

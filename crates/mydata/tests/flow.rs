//! The bank industry in the order an operator calls it: consent, token,
//! 공통-001, 은행-001, 002, 003, 004 (paged to the end), a second sync with
//! the answered search_timestamp, then refresh and revoke. A KFTC withdrawal
//! shows in 은행-004 of that account with the same amount.

use axum::http::StatusCode;
use finhub_testkit::mydata::{tran_id, Session};
use finhub_testkit::{spawn_app, Resp, TestApp};
use serde_json::{json, Value};

const KB: &str = "BA00000004";

fn phone() -> String {
    use rand::Rng;
    format!("010{:08}", rand::thread_rng().gen_range(0..100_000_000))
}

fn ok(r: &Resp, code: &str) {
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["rsp_code"], code, "{}", r.text);
    assert!(r.headers.get("x-api-tran-id").is_some(), "echoed");
}

/// The search_timestamps a first sync answered.
struct Stamps {
    list: i64,
    basic: i64,
    detail: i64,
}

#[tokio::test]
async fn an_operator_syncs_a_bank_and_sees_a_kftc_withdrawal() {
    let app = spawn_app().await;
    let mut p = app.sandbox_person("김민지", &phone(), 1_000_000).await;
    app.open_account(&mut p, 50_000).await;
    let (mine, other) = (&p.accounts[0], &p.accounts[1]);
    let asset = mine.num.replace('-', "");
    let op = app.operator("가계부").await;
    let mut s = op
        .consent(&p.person_id, KB, "bank.list bank.deposit", Some(&[&asset]))
        .await;
    assert_eq!(s.token["token_type"], "Bearer");
    let scopes = s.token["scope"].as_str().unwrap();
    assert!(scopes.split(' ').any(|x| x == "bank.list"), "{scopes}");
    // What was opened and consented lies a minute behind the first sync.
    app.advance(60).await;

    api_list(&app, &op.client.id).await;
    let stamps = first_sync(&app, &s, &asset, &other.num.replace('-', "")).await;

    // A KFTC withdrawal from the same account, then 은행-004 to the end.
    app.advance(60).await;
    let f = app.fintech("핀테크").await;
    let (_, fin) = app.register_both(&f, (&p, 0)).await;
    let w = app.withdraw(&f, &fin, 12_345, &f.tran_id()).await;
    assert_eq!(w["rsp_code"], "A0000", "{w}");
    let lines = all_lines(&s, &asset, &app.today()).await;
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0]["trans_type"], "02");
    assert_eq!(lines[0]["trans_amt"], 12_345);
    assert_eq!(lines[0]["balance_amt"], 1_000_000 - 12_345);
    assert_eq!(lines[0]["trans_class"], "오픈뱅킹");
    assert!(lines[0]["trans_memo"].is_string(), "the consent has memos");
    assert_eq!(lines[1]["trans_type"], "01");
    assert_eq!(lines[1]["trans_amt"], 1_000_000);
    let at = |i: usize| lines[i]["trans_dtime"].as_str().unwrap().to_owned();
    assert!(at(0) >= at(1), "newest first");

    app.advance(60).await;
    second_sync(&s, &asset, &stamps).await;

    // Refreshed: the new token reads the same consent.
    let r = s.refresh().await;
    assert_eq!(r.status, StatusCode::OK, "{r}");
    let list = s.md_get(&format!("/v1/bank/accounts?org_code={KB}")).await;
    ok(&list, "00000");
    assert_eq!(list["account_cnt"], 2);

    // Revoked: every call is 40101.
    let r = s.revoke().await;
    assert_eq!(r.status, StatusCode::OK, "{r}");
    let gone = s.md_get(&format!("/v1/bank/accounts?org_code={KB}")).await;
    assert_eq!(gone.status, StatusCode::UNAUTHORIZED, "{gone}");
    assert_eq!(gone["rsp_code"], "40101");
}

/// 공통-001: no token, the industry's API list.
async fn api_list(app: &TestApp, client_id: &str) {
    let uri = format!("/v1/bank/apis?org_code={KB}&client_id={client_id}");
    let req = axum::http::Request::get(&uri).header("x-api-tran-id", tran_id("OPERATOR01"));
    let apis = app.send(req.body(axum::body::Body::empty()).unwrap()).await;
    ok(&apis, "00000");
    assert_eq!(apis["version"], "v1");
    let list = apis["api_list"].as_array().unwrap();
    let codes: Vec<&str> = list
        .iter()
        .map(|a| a["api_code"].as_str().unwrap())
        .collect();
    assert_eq!(apis["api_cnt"], codes.len());
    for c in [
        "CM01", "CM02", "IR01", "BA01", "BA02", "BA03", "BA04", "BA23",
    ] {
        assert!(codes.contains(&c), "{c} in {codes:?}");
    }
}

/// 은행-001..003 with search_timestamp 0: both accounts listed, one consented.
async fn first_sync(app: &TestApp, s: &Session<'_>, asset: &str, other: &str) -> Stamps {
    let uri = format!("/v1/bank/accounts?org_code={KB}&search_timestamp=0&limit=500");
    let list = s.md_get(&uri).await;
    ok(&list, "00000");
    assert_eq!(list["account_cnt"], 2, "{list}");
    assert_eq!(list["reg_date"], app.today());
    let items = list["account_list"].as_array().unwrap();
    let item = items.iter().find(|a| a["account_num"] == asset).unwrap();
    let want = json!({"account_num": asset, "is_consent": true, "is_foreign_deposit": false,
        "prod_name": "자유입출금통장", "is_minus": false, "account_type": "1001", "account_status": "01"});
    assert_eq!(item, &want);
    let theirs = items.iter().find(|a| a["account_num"] == other).unwrap();
    assert_eq!(theirs["is_consent"], false);

    let body = json!({"org_code": KB, "account_num": asset, "search_timestamp": 0});
    let basic = s
        .md_post("/v1/bank/accounts/deposit/basic", body.clone())
        .await;
    ok(&basic, "00000");
    assert_eq!(basic["basic_cnt"], 1);
    let b = &basic["basic_list"][0];
    assert_eq!(
        (&b["saving_method"], &b["currency_code"]),
        (&json!("01"), &json!("KRW"))
    );
    assert_eq!(b["issue_date"], app.today());
    let detail = s.md_post("/v1/bank/accounts/deposit/detail", body).await;
    ok(&detail, "00000");
    assert_eq!(detail["detail_list"][0]["balance_amt"], 1_000_000);
    assert_eq!(detail["detail_list"][0]["withdrawable_amt"], 1_000_000);
    let ts = |r: &Resp| {
        r["search_timestamp"]
            .as_i64()
            .expect("a first sync answers one")
    };
    Stamps {
        list: ts(&list),
        basic: ts(&basic),
        detail: ts(&detail),
    }
}

/// The second sync: the list and the basic information did not change
/// (00001, no data), the balance did.
async fn second_sync(s: &Session<'_>, asset: &str, st: &Stamps) {
    let uri = format!(
        "/v1/bank/accounts?org_code={KB}&search_timestamp={}",
        st.list
    );
    let again = s.md_get(&uri).await;
    ok(&again, "00001");
    assert!(again.body.get("account_list").is_none(), "{again}");
    assert!(again["search_timestamp"].as_i64().unwrap() > st.list);
    let body =
        |ts: i64| json!({"org_code": KB, "account_num": asset, "search_timestamp": ts.to_string()});
    let basic = s
        .md_post("/v1/bank/accounts/deposit/basic", body(st.basic))
        .await;
    ok(&basic, "00001");
    assert!(basic.body.get("basic_list").is_none());
    let detail = s
        .md_post("/v1/bank/accounts/deposit/detail", body(st.detail))
        .await;
    ok(&detail, "00000");
    assert_eq!(detail["detail_list"][0]["balance_amt"], 1_000_000 - 12_345);
}

/// 은행-004 of `asset` over the last 30 days, one line a page, to the end.
async fn all_lines(s: &Session<'_>, asset: &str, today: &str) -> Vec<Value> {
    let today = chrono::NaiveDate::parse_from_str(today, "%Y%m%d").unwrap();
    let from = (today - chrono::Duration::days(30))
        .format("%Y%m%d")
        .to_string();
    let to = today.format("%Y%m%d").to_string();
    let mut next: Option<String> = None;
    let mut lines = vec![];
    for _ in 0..10 {
        let mut body = json!({"org_code": KB, "account_num": asset, "from_date": from,
            "to_date": to, "limit": 1});
        if let Some(n) = &next {
            body["next_page"] = n.clone().into();
        }
        let r = s
            .md_post("/v1/bank/accounts/deposit/transactions", body)
            .await;
        ok(&r, "00000");
        assert!(r["trans_cnt"].as_u64().unwrap() <= 1);
        lines.extend(r["trans_list"].as_array().unwrap().iter().cloned());
        match r.body.get("next_page").and_then(Value::as_str) {
            Some(n) => next = Some(n.to_owned()),
            None => return lines,
        }
    }
    panic!("paging did not end: {lines:?}");
}

//! The invest industry (금투-001..005) as an operator calls it: consent at a
//! securities firm, then the account list, basic, transactions (paged),
//! products and pension, each checked against the world (its ledger and the
//! accounts' terms); then every refusal its exact code.

use axum::http::{Method, StatusCode};
use chrono::{Duration, Utc};
use finhub_core::consent::ConsentRepo;
use finhub_core::ledger::{EntryKind, Leg, TransferRequest};
use finhub_core::merchant::{TradeMemo, TradeSide};
use finhub_core::money::Currency;
use finhub_core::product::{
    Holding, PensionTerms, ProductRecord, ProductRepo, ProductTerms, SecuritiesKind,
    SecuritiesTerms,
};
use finhub_core::repo::AccountRepo;
use finhub_testkit::mydata::{assert_rsp, Held, Session};
use finhub_testkit::{spawn_app, TestApp};
use serde_json::{json, Value};

const FIRM: &str = "IV00000238";
const BANK: &str = "BA00000004";
const SCOPE: &str = "invest.list invest.account";

fn terms(kind: SecuritiesKind, pension: Option<PensionTerms>) -> SecuritiesTerms {
    SecuritiesTerms {
        kind,
        tax_benefit: pension.is_some(),
        credit_loan_minor: 300_000,
        mortgage_minor: 120_000,
        holdings: vec![
            Holding {
                code: "005930".into(),
                name: "삼성전자".into(),
                class: "stock".into(),
                qty_milli: 10_000,
                price_minor: 72_000,
                avg_price_minor: 71_000,
            },
            Holding {
                code: "KR5101888398".into(),
                name: "미래에셋 글로벌 펀드".into(),
                class: "fund".into(),
                qty_milli: 1_500_500,
                price_minor: 1_020,
                avg_price_minor: 1_000,
            },
        ],
        pension,
    }
}

async fn put(app: &TestApp, acct: &Held, t: SecuritiesTerms) {
    let rec = ProductRecord {
        account_id: acct.account_id.clone(),
        terms: ProductTerms::Securities(t),
        updated_at: app.clock.now(),
    };
    app.store.put_terms(&rec).await.unwrap();
}

/// Move `amt` won between two accounts, the securities side's memo `memo`.
async fn post(app: &TestApp, from: &str, to: &str, amt: i64, memo: &str) {
    let leg = |account: &str, amount_minor: i64| Leg {
        account_id: account.into(),
        amount_minor,
        currency: Currency::KRW,
        memo: memo.into(),
        counterparty: "미래에셋증권".into(),
    };
    let req = TransferRequest {
        scope: "invest-test".into(),
        key: uuid::Uuid::new_v4().to_string(),
        at: app.clock.now(),
        kind: EntryKind::Transfer,
        legs: vec![leg(from, -amt), leg(to, amt)],
        limits: vec![],
        meta: Value::Null,
    };
    let out = app.world.transfer(req).await.unwrap();
    assert!(out.result.is_ok(), "{out:?}");
}

/// A person with a bank account, a brokerage account that received cash,
/// bought shares and got a dividend, and a pension savings account.
struct World {
    person_id: String,
    brokerage: Held,
    pension: Held,
}

async fn world(app: &TestApp) -> World {
    let (p, bank) = app.person("김투자", BANK, 2_000_000).await;
    let brokerage = app.hold(&p.person_id, FIRM, "securities").await;
    let pension = app.hold(&p.person_id, FIRM, "securities").await;
    put(app, &brokerage, terms(SecuritiesKind::Brokerage, None)).await;
    let start = app.now_kst().date_naive() - Duration::days(800);
    let pension_terms = PensionTerms {
        paid_in_minor: 4_800_000,
        withdrawn_minor: 200_000,
        last_paid_in: Some(start + Duration::days(700)),
        receive_start: Some(start),
        annual_pay_minor: 1_200_000,
    };
    put(
        app,
        &pension,
        terms(SecuritiesKind::PensionSavings, Some(pension_terms)),
    )
    .await;
    let settle = finhub_store::settlement_account_id(FIRM, Currency::KRW);
    let side = |side, code: &str, qty_milli, price_minor| {
        let m = TradeMemo {
            side,
            code: code.into(),
            qty_milli,
            price_minor,
        };
        m.encode()
    };
    app.advance(1).await;
    post(
        app,
        &bank.account_id,
        &brokerage.account_id,
        1_000_000,
        "입금",
    )
    .await;
    app.advance(1).await;
    let buy = side(TradeSide::Buy, "005930", 10_000, 71_000);
    post(app, &brokerage.account_id, &settle, 710_500, &buy).await;
    app.advance(1).await;
    let dividend = side(TradeSide::Dividend, "005930", 0, 0);
    post(app, &settle, &brokerage.account_id, 3_610, &dividend).await;
    World {
        person_id: p.person_id,
        brokerage,
        pension,
    }
}

fn body(w: &Held) -> Value {
    json!({"org_code": FIRM, "account_num": w.asset, "search_timestamp": 0})
}

fn history(w: &Held, app: &TestApp, extra: Value) -> Value {
    let from = (app.now_kst().date_naive() - Duration::days(30)).format("%Y%m%d");
    let mut b = json!({"org_code": FIRM, "account_num": w.asset, "from_date": from.to_string(),
        "to_date": app.today()});
    for (k, v) in extra.as_object().unwrap() {
        b[k] = v.clone();
    }
    b
}

#[tokio::test]
async fn an_operator_reads_a_securities_firm_as_the_world_holds_it() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let op = app.operator("투자 앱").await;
    let s = op.consent(&w.person_id, FIRM, SCOPE, None).await;
    // Past the second of the last change, so a later sync can be up to date.
    app.advance(2).await;

    // 금투-001: both accounts, consented, with the firm's codes.
    let r = s
        .md_get(&format!(
            "/v1/invest/accounts?org_code={FIRM}&search_timestamp=0"
        ))
        .await;
    assert_rsp(&r, "00000");
    assert_eq!(r["account_cnt"], 2);
    let list = r["account_list"].as_array().unwrap();
    let item = |h: &Held| {
        list.iter()
            .find(|a| a["account_num"] == h.asset.as_str())
            .unwrap()
            .clone()
    };
    let b = item(&w.brokerage);
    assert_eq!(b["is_consent"], true);
    assert_eq!(
        (b["account_type"].as_str(), b["is_stock_trans"].as_bool()),
        (Some("101"), Some(true))
    );
    assert_eq!(
        (b["is_cma"].as_bool(), b["is_tax_benefits"].as_bool()),
        (Some(false), Some(false))
    );
    assert_eq!(
        (b["is_account_link"].as_bool(), b["issue_date"].as_str()),
        (Some(false), Some(app.today().as_str()))
    );
    let acct = app.world.account(&w.brokerage.account_id).await.unwrap();
    assert_eq!(b["account_name"], acct.product_name.as_str());
    let p = item(&w.pension);
    assert_eq!(
        (p["account_type"].as_str(), p["is_stock_trans"].as_bool()),
        (Some("301"), Some(false))
    );
    assert_eq!(p["is_tax_benefits"], true);
    let ts = r["search_timestamp"].as_i64().unwrap();

    // 금투-002: the ledger's cash and the terms' loans.
    let r = s
        .md_post("/v1/invest/accounts/basic", body(&w.brokerage))
        .await;
    assert_rsp(&r, "00000");
    assert_eq!(acct.balance_minor, 10_000 + 1_000_000 - 710_500 + 3_610);
    assert_eq!(r["withholdings_amt"], acct.balance_minor);
    assert_eq!(r["avail_balance"], acct.available_minor());
    assert_eq!(
        (r["credit_loan_amt"].as_i64(), r["mortgage_amt"].as_i64()),
        (Some(300_000), Some(120_000))
    );
    assert_eq!(r["currency_code"], "KRW");

    check_transactions(&app, &s, &w).await;
    check_products(&app, &s, &w).await;
    check_pension(&s, &w).await;

    // A second sync with the timestamp: nothing on the list changed.
    app.advance(2).await;
    let r = s
        .md_get(&format!(
            "/v1/invest/accounts?org_code={FIRM}&search_timestamp={ts}"
        ))
        .await;
    assert_rsp(&r, "00001");
    assert!(r.get("account_list").is_none());
}

async fn check_transactions(app: &TestApp, s: &Session<'_>, w: &World) {
    let r = s
        .md_post(
            "/v1/invest/accounts/transactions",
            history(&w.brokerage, app, json!({})),
        )
        .await;
    assert_rsp(&r, "00000");
    assert_eq!(r["trans_cnt"], 4, "{}", r.text);
    assert!(r.get("next_page").is_none());
    let t = r["trans_list"].as_array().unwrap();
    let types: Vec<&str> = t
        .iter()
        .map(|x| x["trans_type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["401", "101", "301", "301"], "newest first");
    let buy = &t[1];
    assert_eq!(
        (buy["prod_code"].as_str(), buy["prod_name"].as_str()),
        (Some("005930"), Some("삼성전자"))
    );
    assert_eq!(
        (buy["trans_num"].as_f64(), buy["trans_unit"].as_str()),
        (Some(10.0), Some("주"))
    );
    assert_eq!(
        (buy["base_amt"].as_i64(), buy["trans_amt"].as_i64()),
        (Some(71_000), Some(710_000))
    );
    assert_eq!(
        (buy["settle_amt"].as_i64(), buy["balance_amt"].as_i64()),
        (Some(710_500), Some(299_500))
    );
    assert_eq!(buy["trans_type_detail"], "매수");
    assert_eq!(t[0]["balance_amt"], 303_110);
    assert!(t[2].get("prod_code").is_none() && t[2].get("trans_num").is_none());
    assert_eq!(t[3]["trans_amt"], 10_000);
    // Memos come only when the consent includes them.
    let consents = app.store.consents_of_person(&w.person_id).await.unwrap();
    let memo = consents[0].memo;
    assert!(
        t.iter().all(|x| x["trans_memo"].is_string() == memo),
        "memo {memo}: {}",
        r.text
    );
    if memo {
        assert_eq!(buy["trans_memo"], "매수 005930 10주 @71000");
    }

    // Paged by two: a cursor, then the rest without one.
    let r = s
        .md_post(
            "/v1/invest/accounts/transactions",
            history(&w.brokerage, app, json!({"limit": 2})),
        )
        .await;
    assert_rsp(&r, "00000");
    assert_eq!(r["trans_cnt"], 2);
    let next = r["next_page"].as_str().unwrap().to_owned();
    let r2 = s
        .md_post(
            "/v1/invest/accounts/transactions",
            history(&w.brokerage, app, json!({"limit": 2, "next_page": next})),
        )
        .await;
    assert_rsp(&r2, "00000");
    assert_eq!(r2["trans_cnt"], 2);
    assert!(r2.get("next_page").is_none());
    assert_eq!(r2["trans_list"][0]["trans_type"], "301");
}

async fn check_products(app: &TestApp, s: &Session<'_>, w: &World) {
    let r = s
        .md_post("/v1/invest/accounts/products", body(&w.brokerage))
        .await;
    assert_rsp(&r, "00000");
    assert_eq!(
        (r["base_date"].as_str(), r["prod_cnt"].as_u64()),
        (Some(app.today().as_str()), Some(2))
    );
    let stock = &r["prod_list"][0];
    assert_eq!(
        (stock["prod_type"].as_str(), stock["prod_code"].as_str()),
        (Some("401"), Some("005930"))
    );
    assert_eq!(
        (
            stock["holding_num"].as_f64(),
            stock["avail_for_sale_num"].as_f64()
        ),
        (Some(10.0), Some(10.0))
    );
    assert_eq!(
        (stock["purchase_amt"].as_i64(), stock["eval_amt"].as_i64()),
        (Some(710_000), Some(720_000))
    );
    let fund = &r["prod_list"][1];
    assert_eq!(
        (fund["prod_type"].as_str(), fund["holding_num"].as_f64()),
        (Some("201"), Some(1500.5))
    );
    assert_eq!(fund["eval_amt"], 1_500_500 * 1_020 / 1_000);
}

async fn check_pension(s: &Session<'_>, w: &World) {
    let r = s
        .md_post("/v1/invest/accounts/pension", body(&w.pension))
        .await;
    assert_rsp(&r, "00000");
    assert_eq!(
        (r["paid_in_amt"].as_i64(), r["withdrawal_amt"].as_i64()),
        (Some(4_800_000), Some(200_000))
    );
    assert_eq!(r["annual_pay_amount"], 1_200_000);
    // Two full years of receiving (800 days).
    assert_eq!(r["rcv_amt"], 2_400_000);
    assert!(r["pension_rcv_start_date"]
        .as_str()
        .is_some_and(|d| d.len() == 8));
    assert!(r["last_paid_in_date"]
        .as_str()
        .is_some_and(|d| d.len() == 8));
    assert_eq!(r["currency_code"], "KRW");
    // A brokerage account has no pension information.
    let r = s
        .md_post("/v1/invest/accounts/pension", body(&w.brokerage))
        .await;
    assert_rsp(&r, "40402");
}

#[tokio::test]
async fn every_refusal_has_its_code_and_changes_nothing() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let op = app.operator("투자 앱").await;
    let s = op.consent(&w.person_id, FIRM, SCOPE, None).await;
    let tx = "/v1/invest/accounts/transactions";
    let before = app.world.account(&w.brokerage.account_id).await.unwrap();

    let with = |extra: Value| history(&w.brokerage, &app, extra);
    assert_rsp(&s.md_post(tx, with(json!({"limit": 501}))).await, "42901");
    assert_rsp(&s.md_post(tx, with(json!({"limit": 0}))).await, "40001");
    assert_rsp(
        &s.md_post(tx, with(json!({"from_date": "20990101"}))).await,
        "40001",
    );
    assert_rsp(
        &s.md_post(tx, with(json!({"to_date": "2026-01-01"}))).await,
        "40001",
    );
    let old = (Utc::now() - Duration::days(365 * 6))
        .format("%Y%m%d")
        .to_string();
    assert_rsp(
        &s.md_post(tx, with(json!({"from_date": old}))).await,
        "40304",
    );
    assert_rsp(
        &s.md_post(tx, with(json!({"next_page": "%%%"}))).await,
        "40001",
    );
    assert_rsp(
        &s.md_post(tx, with(json!({"org_code": "IV00000243"}))).await,
        "40303",
    );
    assert_rsp(
        &s.md_post(tx, with(json!({"account_num": "0000000000"})))
            .await,
        "40402",
    );
    let no_account = json!({"org_code": FIRM});
    for path in ["basic", "products", "pension"] {
        let p = format!("/v1/invest/accounts/{path}");
        assert_rsp(&s.md_post(&p, no_account.clone()).await, "40001");
        assert_rsp(
            &s.md_post(&p, json!({"org_code": FIRM, "account_num": 5}))
                .await,
            "40001",
        );
    }
    let r = s
        .md_post("/v1/invest/accounts/basic", json!("not an object"))
        .await;
    assert_rsp(&r, "40001");
    let r = s.md_get("/v1/invest/accounts?search_timestamp=0").await;
    assert_rsp(&r, "40001");
    let r = s
        .md_get(&format!("/v1/invest/accounts?org_code={FIRM}&limit=501"))
        .await;
    assert_rsp(&r, "42901");

    let after = app.world.account(&w.brokerage.account_id).await.unwrap();
    assert_eq!(before, after, "a refused call writes nothing");
}

#[tokio::test]
async fn what_the_consent_leaves_out_is_refused() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let op = app.operator("투자 앱").await;
    let tx = "/v1/invest/accounts/transactions";
    let with = |extra: Value| history(&w.brokerage, &app, extra);
    // A consent to the list only: the account APIs are outside its scope.
    let list_only = op.consent(&w.person_id, FIRM, "invest.list", None).await;
    let r = list_only
        .md_post("/v1/invest/accounts/basic", body(&w.brokerage))
        .await;
    assert_rsp(&r, "40104");
    // A consent to the pension account only: the brokerage account is not in it.
    let pension_only = op
        .consent(&w.person_id, FIRM, SCOPE, Some(&[w.pension.asset.as_str()]))
        .await;
    let r = pension_only
        .md_get(&format!("/v1/invest/accounts?org_code={FIRM}"))
        .await;
    assert_rsp(&r, "00000");
    let flags: Vec<(String, bool)> = r["account_list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["account_num"].as_str().unwrap().to_owned(),
                a["is_consent"].as_bool().unwrap(),
            )
        })
        .collect();
    assert!(
        flags.contains(&(w.brokerage.asset.clone(), false)),
        "{flags:?}"
    );
    assert!(
        flags.contains(&(w.pension.asset.clone(), true)),
        "{flags:?}"
    );
    let r = pension_only
        .md_post("/v1/invest/accounts/basic", body(&w.brokerage))
        .await;
    assert_rsp(&r, "40105");
    assert_rsp(&pension_only.md_post(tx, with(json!({}))).await, "40105");
    // Closed after the consent: 40305; the firm in outage: 50005.
    let now = app.clock.now();
    assert!(app
        .store
        .close_account(&w.pension.account_id, now)
        .await
        .unwrap());
    let r = pension_only
        .md_post("/v1/invest/accounts/pension", body(&w.pension))
        .await;
    assert_rsp(&r, "40305");
    let path = format!("/sandbox/institutions/{FIRM}/status");
    let put = app
        .admin(Method::PUT, &path, Some(json!({"status": "outage"})))
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.text);
    let r = pension_only
        .md_get(&format!("/v1/invest/accounts?org_code={FIRM}"))
        .await;
    assert_rsp(&r, "50005");
}

#[tokio::test]
async fn the_document_describes_the_invest_apis_and_their_codes() {
    let app = spawn_app().await;
    let r = app.get("/openapi/mydata.json").await;
    let paths = &r.body["paths"];
    for path in ["basic", "transactions", "products", "pension"] {
        assert!(
            paths[format!("/v1/invest/accounts/{path}")]["post"].is_object(),
            "{path}"
        );
    }
    assert!(paths["/v1/invest/accounts"]["get"].is_object());
    let item = &r.body["components"]["schemas"]["InvestAccountItem"]["properties"];
    assert!(item["account_type"]["description"]
        .as_str()
        .unwrap()
        .contains("301"));
    let tags = r.body["tags"].to_string();
    assert!(
        tags.contains("mydata.md §11"),
        "the outline source is named: {tags}"
    );
}

#[tokio::test]
async fn malformed_bodies_are_bad_parameters_never_failures() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let op = app.operator("투자 앱").await;
    let s = op.consent(&w.person_id, FIRM, SCOPE, None).await;
    let bodies = [
        json!(null),
        json!([]),
        json!({"org_code": FIRM, "account_num": {}}),
        json!({"org_code": [FIRM], "account_num": w.brokerage.asset}),
        json!({"org_code": FIRM, "account_num": w.brokerage.asset, "search_timestamp": "yesterday"}),
        json!({"org_code": FIRM, "account_num": w.brokerage.asset, "search_timestamp": 1e300}),
    ];
    for path in ["basic", "transactions", "products", "pension"] {
        for b in &bodies {
            let r = s
                .md_post(&format!("/v1/invest/accounts/{path}"), b.clone())
                .await;
            assert_rsp(&r, "40001");
        }
    }
    let tx = |extra: Value| history(&w.brokerage, &app, extra);
    for extra in [
        json!({"limit": "ten"}),
        json!({"limit": -1}),
        json!({"next_page": 5}),
        json!({"from_date": 20260101}),
    ] {
        let r = s
            .md_post("/v1/invest/accounts/transactions", tx(extra.clone()))
            .await;
        assert_rsp(&r, "40001");
    }
}

//! The e-finance industry (전금-001..004 prepaid instruments, 전금-101..103
//! payment accounts) as an operator calls it, against a world built
//! through the ledger: a charge posted on an instrument shows in its
//! history, a payment passing through a payment account shows as one
//! payment, an instrument left out of the consent reads `is_consent` false
//! and 40105.

use axum::http::{Method, StatusCode};
use chrono::{DateTime, NaiveDate, Utc};
use finhub_core::account::AccountKind;
use finhub_core::ledger::{EntryKind, Leg, TransferRequest};
use finhub_core::money::Currency;
use finhub_core::product::efin::{AutoCharge, ChargeOption, EfinMemo, PayMethod, PayType};
use finhub_core::product::{EfinPrepaidTerms, PayAccountTerms, ProductTerms};
use finhub_testkit::mydata::{assert_rsp, kst_at, list, Held, Line, Product, Session};
use finhub_testkit::TestApp;
use serde_json::{json, Value};

const EFIN: &str = "EF00000001";
const CARD_CO: &str = "CD00000001";
const ALL: &str = "efin.list efin.prepaid efin.paid";
/// 2026-12-10 12:00 KST.
const NOW: &str = "2026-12-10T03:00:00Z";

/// A person at the e-finance company: money A (withdrawable, two automatic
/// charges from the bank account, history in November and December),
/// points B (not withdrawable, nothing set), a payment account paying
/// from the bank account (primary) and a card.
struct World {
    person_id: String,
    bank: Held,
    card: Held,
    a: Held,
    b: Held,
    pay: Held,
}

fn fob(fob_id: &str, name: &str, withdrawable: bool, auto: Vec<AutoCharge>) -> Product {
    let terms = ProductTerms::EfinPrepaid(EfinPrepaidTerms {
        fob_id: fob_id.into(),
        fob_name: name.into(),
        reg_date: NaiveDate::from_ymd_opt(2024, 5, 2).unwrap(),
        limit_minor: 2_000_000,
        withdrawable,
        reserve_minor: 1_500,
        reserve_due_minor: 500,
        exp_due_minor: 0,
        auto_charge: auto,
    });
    Product {
        kind: AccountKind::Prepaid,
        floor: 0,
        terms,
    }
}

fn pay_account(bank: &Held, card: &Held) -> Product {
    let method = |org: &str, pay_type, h: &Held, primary| PayMethod {
        org_code: org.into(),
        pay_type,
        account_id: h.account_id.clone(),
        primary,
    };
    let terms = ProductTerms::PayAccount(PayAccountTerms {
        reg_date: NaiveDate::from_ymd_opt(2023, 8, 9).unwrap(),
        payable: true,
        methods: vec![
            method("BA00000004", PayType::Account, bank, true),
            method(CARD_CO, PayType::Card, card, false),
        ],
    });
    Product {
        kind: AccountKind::Payment,
        floor: 0,
        terms,
    }
}

fn line<'a>(amount: i64, memo: &'a str, counterparty: &'a str, at: DateTime<Utc>) -> Line<'a> {
    let kind = match amount > 0 {
        true => EntryKind::Charge,
        false => EntryKind::Card,
    };
    Line {
        kind,
        amount,
        memo,
        counterparty,
        at,
    }
}

async fn efin_world(app: &TestApp) -> World {
    let p = app.sandbox_person("전금이", "010-4400-0001", 500_000).await;
    let acc = &p.accounts[0];
    let bank = Held {
        account_id: acc.id.clone(),
        account_num: acc.num.clone(),
        asset: acc.num.replace('-', ""),
    };
    let id = p.person_id.as_str();
    let card = app.hold(id, CARD_CO, "card").await;
    let auto = vec![
        AutoCharge {
            account_id: bank.account_id.clone(),
            option: ChargeOption::BelowBase,
            day: None,
            base_minor: Some(10_000),
            amount_minor: 30_000,
        },
        AutoCharge {
            account_id: bank.account_id.clone(),
            option: ChargeOption::Monthly,
            day: Some(25),
            base_minor: None,
            amount_minor: 50_000,
        },
    ];
    let a = app
        .open_product(id, EFIN, fob("KPM0001", "카카오페이머니", true, auto))
        .await;
    let b = app
        .open_product(id, EFIN, fob("KPP0002", "카카오페이포인트", false, vec![]))
        .await;
    let pay = app.open_product(id, EFIN, pay_account(&bank, &card)).await;
    let w = World {
        person_id: p.person_id.clone(),
        bank,
        card,
        a,
        b,
        pay,
    };
    history(app, &w).await;
    w
}

/// A's charges, payment, reward and withdrawal; a payment through the
/// payment account from the bank account, in one entry.
async fn history(app: &TestApp, w: &World) {
    let lines = [
        line(100_000, "충전", "전금이", kst_at(2026, 11, 20, 9, 0)),
        line(-15_900, "결제", "쿠팡", kst_at(2026, 12, 1, 12, 0)),
        line(1_500, "적립", "카카오페이", kst_at(2026, 12, 1, 12, 0)),
        line(50_000, "자동충전", "전금이", kst_at(2026, 12, 2, 9, 0)),
        line(-10_000, "출금", "전금이", kst_at(2026, 12, 3, 9, 0)),
    ];
    for l in lines {
        app.post_at(&w.a.account_id, l).await;
    }
    app.post_at(
        &w.b.account_id,
        line(3_000, "적립", "카카오페이", kst_at(2026, 12, 4, 9, 0)),
    )
    .await;
    pay_through(
        app,
        w,
        "스타벅스 광화문점",
        6_300,
        kst_at(2026, 12, 5, 8, 0),
    )
    .await;
}

/// One payment: the bank account → the payment account → the merchant.
async fn pay_through(app: &TestApp, w: &World, merchant: &str, amount: i64, at: DateTime<Utc>) {
    let settle = finhub_store::settlement_account_id(EFIN, Currency::KRW);
    let arrive = EfinMemo::Pay {
        merchant: merchant.into(),
    }
    .encode();
    let leg = |id: &str, amount_minor: i64, memo: &str, cp: &str| Leg {
        account_id: id.into(),
        amount_minor,
        currency: Currency::KRW,
        memo: memo.into(),
        counterparty: cp.into(),
    };
    let req = TransferRequest {
        scope: "test:pay".into(),
        key: uuid::Uuid::new_v4().to_string(),
        at,
        kind: EntryKind::Card,
        legs: vec![
            leg(&w.bank.account_id, -amount, &arrive, "카카오페이"),
            leg(&w.pay.account_id, amount, &arrive, "전금이"),
            leg(&w.pay.account_id, -amount, "결제", merchant),
            leg(&settle, amount, "결제", "전금이"),
        ],
        limits: vec![],
        meta: Value::Null,
    };
    let out = app.world.transfer(req).await.unwrap();
    assert!(out.result.is_ok(), "{:?}", out.result);
}

async fn app_at_now() -> TestApp {
    TestApp::builder().now(NOW).spawn().await
}

fn q(s: &Session, path: &str, rest: &str) -> String {
    format!("{path}?org_code={}{rest}", s.org_code)
}

/// A body naming instrument `h` with `fob_id`, completed by `extra`.
fn fob_body(h: &Held, fob_id: &str, extra: Value) -> Value {
    let mut b = json!({"org_code": EFIN, "fob_id": fob_id, "account_id": h.asset});
    b.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    b
}

#[tokio::test]
async fn an_operator_syncs_an_efin_company_in_order() {
    let app = app_at_now().await;
    let w = efin_world(&app).await;
    let op = app.operator("전금가계부").await;
    let s = op.consent(&w.person_id, EFIN, ALL, None).await;
    app.advance(60).await;

    // 공통-001: every e-finance API, by its code, and none of another industry.
    let apis = s.md_get(&q(&s, "/v1/efin/apis", "&client_id=any")).await;
    assert_rsp(&apis, "00000");
    let codes: Vec<&str> = list(&apis, "api_list")
        .iter()
        .map(|a| a["api_code"].as_str().unwrap())
        .collect();
    for c in ["EF01", "EF02", "EF03", "EF04", "EF11", "EF12", "EF13"] {
        assert!(codes.contains(&c), "{c} in {codes:?}");
    }
    assert!(
        !codes
            .iter()
            .any(|c| c.starts_with("PP") || c.starts_with("TC")),
        "{codes:?}"
    );

    prepaid_list(&app, &s, &w).await;
    balance_and_charge(&app, &s, &w).await;
    prepaid_history(&s, &w).await;
    paid(&app, &s, &w).await;
}

/// 전금-001, then a second sync that finds nothing new (00001).
async fn prepaid_list(app: &TestApp, s: &Session<'_>, w: &World) {
    let r = s
        .md_get(&q(s, "/v1/efin/prepaid", "&search_timestamp=0"))
        .await;
    assert_rsp(&r, "00000");
    assert_eq!(r.body["fob_cnt"], 2, "{}", r.text);
    assert_eq!(
        r.body["fob_list"][0],
        json!({"fob_id": "KPM0001", "fob_name": "카카오페이머니", "is_consent": true,
               "reg_date": "20240502", "limit_amt": 200, "is_charge": true,
               "is_withdrawable": true, "account_cnt": 1,
               "account_list": [{"account_id": w.a.asset}]})
    );
    let b = &r.body["fob_list"][1];
    assert_eq!(
        (&b["fob_id"], &b["is_charge"], &b["is_withdrawable"]),
        (&json!("KPP0002"), &json!(false), &json!(false))
    );
    let ts = r.body["search_timestamp"].as_i64().unwrap().to_string();
    app.advance(60).await;
    let again = s
        .md_get(&q(
            s,
            "/v1/efin/prepaid",
            &format!("&search_timestamp={ts}"),
        ))
        .await;
    assert_rsp(&again, "00001");
    assert!(again.body.get("fob_list").is_none(), "{}", again.text);
    // Paged one instrument at a time.
    let one = s.md_get(&q(s, "/v1/efin/prepaid", "&limit=1")).await;
    assert_eq!(one.body["fob_list"][0]["fob_id"], "KPM0001");
    let next = one.body["next_page"].as_str().unwrap().to_owned();
    let two = s
        .md_get(&q(
            s,
            "/v1/efin/prepaid",
            &format!("&limit=1&next_page={next}"),
        ))
        .await;
    assert_rsp(&two, "00000");
    assert_eq!(two.body["fob_list"][0]["fob_id"], "KPP0002");
    assert!(two.body.get("next_page").is_none(), "{}", two.text);
    assert!(two.body.get("search_timestamp").is_none(), "{}", two.text);
}

/// 전금-002 and 전금-003; an unchanged balance is 00001.
async fn balance_and_charge(app: &TestApp, s: &Session<'_>, w: &World) {
    let bal = s
        .md_post(
            "/v1/efin/prepaid/balance",
            fob_body(&w.a, "KPM0001", json!({"search_timestamp": 0})),
        )
        .await;
    assert_rsp(&bal, "00000");
    // 100,000 - 15,900 + 1,500 + 50,000 - 10,000; 1,500 of it reward money.
    assert_eq!(
        (
            &bal.body["total_balance_amt"],
            &bal.body["charge_balance_amt"],
            &bal.body["reserve_balance_amt"]
        ),
        (&json!(125_600), &json!(124_100), &json!(1_500))
    );
    assert_eq!(
        (
            &bal.body["withdrawable_amt"],
            &bal.body["reserve_due_amt"],
            &bal.body["exp_due_amt"]
        ),
        (&json!(124_100), &json!(500), &json!(0))
    );
    let ts = bal.body["search_timestamp"].as_i64().unwrap();
    app.advance(60).await;
    let again = s
        .md_post(
            "/v1/efin/prepaid/balance",
            fob_body(&w.a, "KPM0001", json!({"search_timestamp": ts.to_string()})),
        )
        .await;
    assert_rsp(&again, "00001");
    let points = s
        .md_post(
            "/v1/efin/prepaid/balance",
            fob_body(&w.b, "KPP0002", json!({})),
        )
        .await;
    assert_eq!(
        (
            &points.body["total_balance_amt"],
            &points.body["withdrawable_amt"]
        ),
        (&json!(3_000), &json!(0))
    );

    charge_settings(s, w).await;
}

/// 전금-003: both automatic charges of A, none of B.
async fn charge_settings(s: &Session<'_>, w: &World) {
    let ch = s
        .md_post(
            "/v1/efin/prepaid/charge",
            fob_body(&w.a, "KPM0001", json!({"search_timestamp": 0})),
        )
        .await;
    assert_rsp(&ch, "00000");
    assert_eq!(
        ch.body["charge_list"],
        json!([
            {"charge_org_code": "BA00000004", "charge_account_num": w.bank.asset,
             "charge_option": "01", "charge_base_amt": 10_000, "charge_amt": 30_000},
            {"charge_org_code": "BA00000004", "charge_account_num": w.bank.asset,
             "charge_option": "02", "charge_day": 25, "charge_amt": 50_000}
        ])
    );
    assert_eq!(ch.body["charge_cnt"], 2);
    let none = s
        .md_post(
            "/v1/efin/prepaid/charge",
            fob_body(&w.b, "KPP0002", json!({})),
        )
        .await;
    assert_eq!(
        (&none.body["charge_cnt"], &none.body["charge_list"]),
        (&json!(0), &json!([]))
    );
}

/// 전금-004: the whole history newest first, then paged two by two.
async fn prepaid_history(s: &Session<'_>, w: &World) {
    let window = json!({"from_date": "20261101", "to_date": "20261210"});
    let r = s
        .md_post(
            "/v1/efin/prepaid/transactions",
            fob_body(&w.a, "KPM0001", window.clone()),
        )
        .await;
    assert_rsp(&r, "00000");
    let t = list(&r, "trans_list");
    let types: Vec<&str> = t
        .iter()
        .map(|x| x["trans_type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        ["5201", "5102", "5103", "5501", "5101"],
        "{}",
        r.text
    );
    assert_eq!(r.body["trans_cnt"], 5);
    let pay = &t[3];
    assert_eq!(
        (&pay["trans_amt"], &pay["balance_amt"], &pay["trans_dtime"]),
        (&json!(15_900), &json!(84_100), &json!("20261201120000"))
    );
    assert_eq!(
        (
            &pay["merchant_name"],
            &pay["merchant_regno"],
            &pay["trans_memo"]
        ),
        (&json!("쿠팡"), &json!("120-88-12012"), &json!("결제"))
    );
    assert_eq!(
        (&t[1]["is_scheduled"], &t[4]["is_scheduled"]),
        (&json!(true), &json!(false))
    );
    assert!(t[0].get("merchant_name").is_none(), "{}", t[0]);

    let all: Vec<Value> = t.iter().map(|x| x["trans_no"].clone()).collect();
    history_pages(s, w, &all).await;
}

/// 전금-004 two lines a page: three pages hold the same five lines.
async fn history_pages(s: &Session<'_>, w: &World, all: &[Value]) {
    let mut seen = Vec::new();
    let mut next: Option<String> = None;
    for _ in 0..3 {
        let mut extra = json!({"from_date": "20261101", "to_date": "20261210", "limit": 2});
        if let Some(n) = &next {
            extra["next_page"] = json!(n);
        }
        let page = s
            .md_post(
                "/v1/efin/prepaid/transactions",
                fob_body(&w.a, "KPM0001", extra),
            )
            .await;
        assert_rsp(&page, "00000");
        assert!(
            page.body["trans_cnt"].as_u64().unwrap() <= 2,
            "{}",
            page.text
        );
        seen.extend(
            list(&page, "trans_list")
                .iter()
                .map(|x| x["trans_no"].clone()),
        );
        next = page.body["next_page"].as_str().map(str::to_owned);
        if next.is_none() {
            break;
        }
    }
    assert!(next.is_none(), "three pages of two hold five lines");
    assert_eq!(seen, all);
}

/// 전금-101..103.
async fn paid(app: &TestApp, s: &Session<'_>, w: &World) {
    let r = s
        .md_get(&q(s, "/v1/efin/paid", "&search_timestamp=0"))
        .await;
    assert_rsp(&r, "00000");
    assert_eq!(
        r.body["account_list"],
        json!([{"sub_key": w.pay.asset, "account_id": w.pay.account_num, "is_consent": true,
                "reg_date": "20230809", "is_pay": true}])
    );
    let m = s
        .md_post(
            "/v1/efin/paid/methods",
            json!({"org_code": EFIN, "sub_key": w.pay.asset, "search_timestamp": 0}),
        )
        .await;
    assert_rsp(&m, "00000");
    assert_eq!(m.body["pay_cnt"], 2, "{}", m.text);
    let first = &m.body["pay_list"][0];
    assert_eq!(
        (
            &first["pay_org_code"],
            &first["pay_type"],
            &first["is_primary"]
        ),
        (&json!("BA00000004"), &json!("01"), &json!(true))
    );
    let pay_id = first["pay_id"].as_str().unwrap();
    let digits: String = w
        .bank
        .account_num
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    assert!(
        pay_id.contains('*') && pay_id.ends_with(&digits[digits.len() - 4..]),
        "{pay_id}"
    );
    assert_eq!(
        (
            &m.body["pay_list"][1]["pay_type"],
            &m.body["pay_list"][1]["pay_org_code"]
        ),
        (&json!("02"), &json!(CARD_CO))
    );
    assert!(!w.card.account_id.is_empty());
    let ts = m.body["search_timestamp"].as_i64().unwrap();
    app.advance(60).await;
    let again = s
        .md_post(
            "/v1/efin/paid/methods",
            json!({"org_code": EFIN, "sub_key": w.pay.asset, "search_timestamp": ts}),
        )
        .await;
    assert_rsp(&again, "00001");

    let window = json!({"org_code": EFIN, "sub_key": w.pay.asset, "from_date": "20261201", "to_date": "20261210"});
    let tr = s.md_post("/v1/efin/paid/transactions", window).await;
    assert_rsp(&tr, "00000");
    let one = json!([{"trans_type": "5501", "trans_dtime": "20261205080000",
        "trans_no": tr.body["trans_list"][0]["trans_no"], "trans_amt": 6_300,
        "trans_memo": "결제 스타벅스 광화문점", "merchant_name": "스타벅스 광화문점",
        "merchant_regno": "201-81-70007"}]);
    assert_eq!(tr.body["trans_list"], one, "{}", tr.text);
    assert_eq!(tr.body["trans_cnt"], 1);
}

/// The sandbox lists the instrument with both ids its APIs take, and the
/// payment account by its `sub_key`; the instrument's `asset`, to consent by.
async fn sandbox_entry(app: &TestApp, w: &World) -> String {
    let path = format!("/sandbox/people/{}/assets", w.person_id);
    let held = app.admin(Method::GET, &path, None).await;
    assert_eq!(held.status, StatusCode::OK, "{}", held.text);
    let entry = list(&held, "assets")
        .iter()
        .find(|e| e["fob_id"] == "KPM0001")
        .unwrap_or_else(|| panic!("{}", held.text))
        .clone();
    assert_eq!(
        (
            &entry["industry"],
            &entry["scope"],
            &entry["account_id"],
            &entry["asset"]
        ),
        (
            &json!("efin"),
            &json!("efin.prepaid"),
            &json!(w.a.asset),
            &json!(w.a.asset)
        )
    );
    assert_eq!(entry["apis"], json!(["전금-002", "전금-003", "전금-004"]));
    let pay_entry = list(&held, "assets")
        .iter()
        .find(|e| e["scope"] == "efin.paid")
        .unwrap();
    assert_eq!(pay_entry["asset"], json!(w.pay.asset));
    assert!(pay_entry.get("fob_id").is_none(), "{pay_entry}");
    entry["asset"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn an_instrument_left_out_of_the_consent_is_listed_unconsented_and_refused() {
    let app = app_at_now().await;
    let w = efin_world(&app).await;
    let asset = sandbox_entry(&app, &w).await;
    let op = app.operator("전금앱").await;
    let s = op
        .consent(&w.person_id, EFIN, ALL, Some(&[asset.as_str()]))
        .await;
    let r = s.md_get(&q(&s, "/v1/efin/prepaid", "")).await;
    assert_rsp(&r, "00000");
    let flags: Vec<(&str, bool)> = list(&r, "fob_list")
        .iter()
        .map(|f| {
            (
                f["fob_id"].as_str().unwrap(),
                f["is_consent"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(flags, [("KPM0001", true), ("KPP0002", false)]);
    let window = json!({"from_date": "20261201", "to_date": "20261210"});
    for (path, body) in [
        ("/v1/efin/prepaid/balance", json!({})),
        ("/v1/efin/prepaid/charge", json!({})),
        ("/v1/efin/prepaid/transactions", window),
    ] {
        assert_rsp(
            &s.md_post(path, fob_body(&w.b, "KPP0002", body)).await,
            "40105",
        );
    }
    let paid = s.md_get(&q(&s, "/v1/efin/paid", "")).await;
    assert_eq!(
        paid.body["account_list"][0]["is_consent"], false,
        "{}",
        paid.text
    );
    let m = s
        .md_post(
            "/v1/efin/paid/methods",
            json!({"org_code": EFIN, "sub_key": w.pay.asset}),
        )
        .await;
    assert_rsp(&m, "40105");
    // The consented one still answers.
    let ok = s
        .md_post(
            "/v1/efin/prepaid/balance",
            fob_body(&w.a, "KPM0001", json!({})),
        )
        .await;
    assert_rsp(&ok, "00000");
}

#[tokio::test]
async fn bad_ids_windows_limits_and_scopes_get_their_codes() {
    let app = app_at_now().await;
    let w = efin_world(&app).await;
    let op = app.operator("전금앱").await;
    let s = op
        .consent(&w.person_id, EFIN, "efin.list efin.prepaid", None)
        .await;
    let bal = |b: Value| s.md_post("/v1/efin/prepaid/balance", b);
    // fob_id missing, or not the account's; an account that is not the person's.
    let mut no_fob = fob_body(&w.a, "x", json!({}));
    no_fob.as_object_mut().unwrap().remove("fob_id");
    assert_rsp(&bal(no_fob).await, "40001");
    assert_rsp(&bal(fob_body(&w.a, "KPP0002", json!({}))).await, "40402");
    let stranger = json!({"org_code": EFIN, "fob_id": "KPM0001", "account_id": "999999999999"});
    assert_rsp(&bal(stranger).await, "40402");
    assert_rsp(
        &bal(json!({"org_code": EFIN, "fob_id": "KPM0001"})).await,
        "40001",
    );
    assert_rsp(
        &bal(fob_body(
            &w.a,
            "KPM0001",
            json!({"search_timestamp": "yesterday"}),
        ))
        .await,
        "40001",
    );
    let mut other_org = fob_body(&w.a, "KPM0001", json!({}));
    other_org["org_code"] = json!("EF00000002");
    assert_rsp(&bal(other_org).await, "40303");
    let bad = s
        .md_post("/v1/efin/prepaid/balance", json!("not an object"))
        .await;
    assert_rsp(&bad, "40001");

    let tr = |extra: Value| {
        s.md_post(
            "/v1/efin/prepaid/transactions",
            fob_body(&w.a, "KPM0001", extra),
        )
    };
    assert_rsp(
        &tr(json!({"from_date": "20261210", "to_date": "20261201"})).await,
        "40001",
    );
    assert_rsp(
        &tr(json!({"from_date": "2026-12-01", "to_date": "20261210"})).await,
        "40001",
    );
    assert_rsp(
        &tr(json!({"from_date": "20201201", "to_date": "20261210"})).await,
        "40304",
    );
    assert_rsp(
        &tr(json!({"from_date": "20261201", "to_date": "20261210", "limit": 501})).await,
        "42901",
    );
    assert_rsp(
        &tr(json!({"from_date": "20261201", "to_date": "20261210", "next_page": "!!"})).await,
        "40001",
    );

    // efin.paid was not consented: 40104 for its APIs, the list still answers.
    assert_rsp(&s.md_get(&q(&s, "/v1/efin/paid", "")).await, "00000");
    let body = json!({"org_code": EFIN, "sub_key": w.pay.asset, "from_date": "20261201", "to_date": "20261210"});
    for path in ["/v1/efin/paid/methods", "/v1/efin/paid/transactions"] {
        assert_rsp(&s.md_post(path, body.clone()).await, "40104");
    }
    let status = s.md_get(&q(&s, "/v1/efin/prepaid", "&limit=0")).await;
    assert_eq!(status.status, StatusCode::BAD_REQUEST, "{}", status.text);
}

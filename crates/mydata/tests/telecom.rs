//! The telecom industry (통신-001..004) as an operator calls it, against a
//! world built through the ledger: a month's charge and its micro-payments
//! make that month's bill, a bill paid from the bank account is a payment
//! on both sides, a contract left out of the consent reads `is_consent`
//! false and 40105.

use chrono::{DateTime, Utc};
use finhub_core::account::AccountKind;
use finhub_core::ledger::{EntryKind, Leg, TransferRequest};
use finhub_core::money::Currency;
use finhub_core::product::telecom::{TelecomMemo, TelecomService, TelecomStatus};
use finhub_core::product::{ProductTerms, TelecomTerms};
use finhub_testkit::mydata::{assert_rsp, kst_at, list, Held, Line, Product, Session};
use finhub_testkit::TestApp;
use serde_json::{json, Value};

const SKT: &str = "TC00000001";
const CARD_CO: &str = "CD00000001";
const ALL: &str = "telecom.list telecom.mgmt";
/// 2026-12-10 12:00 KST.
const NOW: &str = "2026-12-10T03:00:00Z";

/// A person with two contracts at one carrier: a mobile line paid from the
/// bank account, with charges, micro-payments and payments in October to
/// December; an internet line paid by card, charged once.
struct World {
    person_id: String,
    bank: Held,
    mobile: Held,
    internet: Held,
}

fn contract(num: &str, service: TelecomService, pay: &Held) -> Product {
    let terms = ProductTerms::Telecom(TelecomTerms {
        telecom_num: num.into(),
        service,
        status: TelecomStatus::Active,
        bill_day: 1,
        pay_day: 25,
        pay_account_id: Some(pay.account_id.clone()),
        micro_limit_minor: 500_000,
    });
    Product {
        kind: AccountKind::Telecom,
        floor: -1_000_000,
        terms,
    }
}

async fn telecom_world(app: &TestApp) -> World {
    let p = app.sandbox_person("통신이", "010-5500-0001", 500_000).await;
    let acc = &p.accounts[0];
    let bank = Held {
        account_id: acc.id.clone(),
        account_num: acc.num.clone(),
        asset: acc.num.replace('-', ""),
    };
    let id = p.person_id.as_str();
    let card = app.hold(id, CARD_CO, "card").await;
    let mobile = app
        .open_product(
            id,
            SKT,
            contract("010-****-1234", TelecomService::Mobile, &bank),
        )
        .await;
    let internet = app
        .open_product(
            id,
            SKT,
            contract("02-***-5678", TelecomService::Internet, &card),
        )
        .await;
    let w = World {
        person_id: p.person_id.clone(),
        bank,
        mobile,
        internet,
    };
    history(app, &w).await;
    w
}

fn charge(month: u32) -> String {
    TelecomMemo::Charge { month }.encode()
}

fn micro(title: &str) -> String {
    TelecomMemo::Micro {
        title: title.into(),
    }
    .encode()
}

/// A line on a contract against the carrier: a charge or a micro-payment.
fn line<'a>(amount: i64, memo: &'a str, cp: &'a str, at: DateTime<Utc>) -> Line<'a> {
    Line {
        kind: EntryKind::Card,
        amount,
        memo,
        counterparty: cp,
        at,
    }
}

async fn post(app: &TestApp, h: &Held, l: Line<'_>) {
    app.post_at(&h.account_id, l).await;
}

/// The bill of `month` paid from the bank account into the contract.
async fn pay_bill(app: &TestApp, w: &World, month: u32, amount: i64, at: DateTime<Utc>) {
    let memo = TelecomMemo::Payment { month }.encode();
    let leg = |id: &str, amount_minor: i64, cp: &str| Leg {
        account_id: id.into(),
        amount_minor,
        currency: Currency::KRW,
        memo: memo.clone(),
        counterparty: cp.into(),
    };
    let req = TransferRequest {
        scope: "test:telecom".into(),
        key: uuid::Uuid::new_v4().to_string(),
        at,
        kind: EntryKind::Transfer,
        legs: vec![
            leg(&w.bank.account_id, -amount, "SK텔레콤"),
            leg(&w.mobile.account_id, amount, "통신이"),
        ],
        limits: vec![],
        meta: Value::Null,
    };
    assert!(app.world.transfer(req).await.unwrap().result.is_ok());
}

async fn history(app: &TestApp, w: &World) {
    let m = &w.mobile;
    post(
        app,
        m,
        line(
            -52_000,
            &charge(202610),
            "SK텔레콤",
            kst_at(2026, 11, 1, 9, 0),
        ),
    )
    .await;
    post(
        app,
        m,
        line(
            -5_000,
            &micro("게임 아이템"),
            "넥슨",
            kst_at(2026, 11, 5, 20, 0),
        ),
    )
    .await;
    post(
        app,
        m,
        line(
            -10_000,
            &micro("모바일 상품권"),
            "쿠팡",
            kst_at(2026, 11, 20, 12, 0),
        ),
    )
    .await;
    pay_bill(app, w, 202610, 52_000, kst_at(2026, 11, 25, 9, 0)).await;
    post(
        app,
        m,
        line(
            -55_000,
            &charge(202611),
            "SK텔레콤",
            kst_at(2026, 12, 1, 9, 0),
        ),
    )
    .await;
    post(
        app,
        m,
        line(-3_000, &micro("음원"), "멜론", kst_at(2026, 12, 3, 21, 0)),
    )
    .await;
    pay_bill(app, w, 202611, 70_000, kst_at(2026, 12, 5, 9, 0)).await;
    let i = &w.internet;
    post(
        app,
        i,
        line(
            -33_000,
            &charge(202611),
            "SK텔레콤",
            kst_at(2026, 12, 1, 9, 0),
        ),
    )
    .await;
}

async fn app_at_now() -> TestApp {
    TestApp::builder().now(NOW).spawn().await
}

fn q(s: &Session, path: &str, rest: &str) -> String {
    format!("{path}?org_code={}{rest}", s.org_code)
}

fn mgmt(h: &Held, extra: Value) -> Value {
    let mut b = json!({"org_code": SKT, "mgmt_id": h.asset});
    b.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    b
}

#[tokio::test]
async fn an_operator_syncs_a_carrier_in_order() {
    let app = app_at_now().await;
    let w = telecom_world(&app).await;
    let op = app.operator("통신가계부").await;
    let s = op.consent(&w.person_id, SKT, ALL, None).await;
    app.advance(60).await;

    let apis = s.md_get(&q(&s, "/v1/telecom/apis", "&client_id=any")).await;
    assert_rsp(&apis, "00000");
    let codes: Vec<&str> = list(&apis, "api_list")
        .iter()
        .map(|a| a["api_code"].as_str().unwrap())
        .collect();
    assert_eq!(codes[2..], ["TC01", "TC02", "TC03", "TC04"], "{codes:?}");

    contracts(&app, &s, &w).await;
    bills(&s, &w).await;
    payments(&app, &s, &w).await;
    micro_payments(&s, &w).await;
}

/// 통신-001, then nothing new (00001), then paged.
async fn contracts(app: &TestApp, s: &Session<'_>, w: &World) {
    let r = s
        .md_get(&q(s, "/v1/telecom/telecoms", "&search_timestamp=0"))
        .await;
    assert_rsp(&r, "00000");
    assert_eq!(
        r.body["telecom_list"],
        json!([
            {"mgmt_id": w.mobile.asset, "is_consent": true, "telecom_num": "010-****-1234",
             "type": "01", "status": "01"},
            {"mgmt_id": w.internet.asset, "is_consent": true, "telecom_num": "02-***-5678",
             "type": "02", "status": "01"}
        ])
    );
    assert_eq!(r.body["telecom_cnt"], 2);
    let ts = r.body["search_timestamp"].as_i64().unwrap();
    app.advance(60).await;
    let again = s
        .md_get(&q(
            s,
            "/v1/telecom/telecoms",
            &format!("&search_timestamp={ts}"),
        ))
        .await;
    assert_rsp(&again, "00001");
    assert!(again.body.get("telecom_list").is_none(), "{}", again.text);
    let one = s.md_get(&q(s, "/v1/telecom/telecoms", "&limit=1")).await;
    let next = one.body["next_page"].as_str().unwrap().to_owned();
    let two = s
        .md_get(&q(
            s,
            "/v1/telecom/telecoms",
            &format!("&limit=1&next_page={next}"),
        ))
        .await;
    assert_eq!(
        two.body["telecom_list"][0]["mgmt_id"],
        json!(w.internet.asset)
    );
    assert!(two.body.get("next_page").is_none(), "{}", two.text);
}

/// 통신-002: a month's charge plus its micro-payments; every contract's
/// bill when no `mgmt_id` is given; none before the month is charged.
async fn bills(s: &Session<'_>, w: &World) {
    let path = "/v1/telecom/telecoms/bills";
    let nov = s
        .md_post(path, mgmt(&w.mobile, json!({"charge_month": "202611"})))
        .await;
    assert_rsp(&nov, "00000");
    assert_eq!(
        nov.body["bill_list"],
        json!([{"mgmt_id": w.mobile.asset, "charge_month": 202611, "charge_amt": 70_000,
                "charge_date": "20261201"}]),
        "{}",
        nov.text
    );
    let oct = s
        .md_post(path, mgmt(&w.mobile, json!({"charge_month": 202610})))
        .await;
    assert_eq!(
        oct.body["bill_list"][0]["charge_amt"], 52_000,
        "{}",
        oct.text
    );
    assert_eq!(oct.body["bill_list"][0]["charge_date"], "20261101");
    let dec = s
        .md_post(path, mgmt(&w.mobile, json!({"charge_month": "202612"})))
        .await;
    assert_rsp(&dec, "00000");
    assert_eq!(
        (&dec.body["bill_cnt"], &dec.body["bill_list"]),
        (&json!(0), &json!([]))
    );
    let every = s
        .md_post(path, json!({"org_code": SKT, "charge_month": "202611"}))
        .await;
    let ids: Vec<(&str, i64)> = list(&every, "bill_list")
        .iter()
        .map(|b| {
            (
                b["mgmt_id"].as_str().unwrap(),
                b["charge_amt"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        ids,
        [
            (w.mobile.asset.as_str(), 70_000),
            (w.internet.asset.as_str(), 33_000)
        ]
    );
}

/// 통신-003: the bills paid, newest first; the bank account shows them too.
async fn payments(app: &TestApp, s: &Session<'_>, w: &World) {
    let window = json!({"from_date": "20261001", "to_date": "20261210"});
    let r = s
        .md_post("/v1/telecom/telecoms/transactions", mgmt(&w.mobile, window))
        .await;
    assert_rsp(&r, "00000");
    assert_eq!(
        r.body["trans_list"],
        json!([
            {"trans_date": "20261205", "trans_month": 202611, "paid_amt": 70_000, "pay_method": "01"},
            {"trans_date": "20261125", "trans_month": 202610, "paid_amt": 52_000, "pay_method": "01"}
        ])
    );
    assert_eq!(r.body["trans_cnt"], 2);
    let internet = s
        .md_post(
            "/v1/telecom/telecoms/transactions",
            mgmt(
                &w.internet,
                json!({"from_date": "20261001", "to_date": "20261210"}),
            ),
        )
        .await;
    assert_eq!(internet.body["trans_cnt"], 0, "{}", internet.text);
    bank_side(app, w).await;
}

/// The same payments leave the bank account: its 은행-004 shows them.
async fn bank_side(app: &TestApp, w: &World) {
    let op = app.operator("은행가계부").await;
    let bank = op
        .consent(&w.person_id, "BA00000004", "bank.list bank.deposit", None)
        .await;
    let body = json!({"org_code": "BA00000004", "account_num": w.bank.asset,
                      "from_date": "20261001", "to_date": "20261210"});
    let r = bank
        .md_post("/v1/bank/accounts/deposit/transactions", body)
        .await;
    assert_rsp(&r, "00000");
    let paid: Vec<(i64, &str)> = list(&r, "trans_list")
        .iter()
        .filter(|t| {
            t["trans_memo"]
                .as_str()
                .is_some_and(|m| m.starts_with("요금납부"))
        })
        .map(|t| {
            (
                t["trans_amt"].as_i64().unwrap(),
                t["trans_memo"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        paid,
        [(70_000, "요금납부 202611"), (52_000, "요금납부 202610")],
        "{}",
        r.text
    );
}

/// 통신-004: the micro-payments, newest first, then paged two by two.
async fn micro_payments(s: &Session<'_>, w: &World) {
    let path = "/v1/telecom/telecoms/paid-transactions";
    let window = json!({"from_date": "20261001", "to_date": "20261210"});
    let r = s.md_post(path, mgmt(&w.mobile, window)).await;
    assert_rsp(&r, "00000");
    let t = list(&r, "trans_list");
    let titles: Vec<&str> = t
        .iter()
        .map(|x| x["trans_title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["음원", "모바일 상품권", "게임 아이템"]);
    assert_eq!(
        t[1],
        json!({"trans_date": "20261120", "trans_amt": 10_000, "org_regno": "120-88-12012",
               "merchant_name": "쿠팡", "trans_title": "모바일 상품권"})
    );
    assert!(
        t[0].get("org_regno").is_none(),
        "an unknown merchant has no number: {}",
        t[0]
    );

    // Seven lines on the contract, two at a time: four pages, three payments.
    let mut seen = Vec::new();
    let mut next: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut extra = json!({"from_date": "20261001", "to_date": "20261210", "limit": 2});
        if let Some(n) = &next {
            extra["next_page"] = json!(n);
        }
        let page = s.md_post(path, mgmt(&w.mobile, extra)).await;
        assert_rsp(&page, "00000");
        pages += 1;
        seen.extend(
            list(&page, "trans_list")
                .iter()
                .map(|x| x["trans_title"].clone()),
        );
        next = page.body["next_page"].as_str().map(str::to_owned);
        if next.is_none() || pages > 5 {
            break;
        }
    }
    assert_eq!(pages, 4);
    assert_eq!(seen, titles.iter().map(|t| json!(t)).collect::<Vec<_>>());
}

#[tokio::test]
async fn a_contract_left_out_of_the_consent_is_listed_unconsented_and_refused() {
    let app = app_at_now().await;
    let w = telecom_world(&app).await;
    let op = app.operator("통신앱").await;
    let s = op
        .consent(&w.person_id, SKT, ALL, Some(&[w.mobile.asset.as_str()]))
        .await;
    let r = s.md_get(&q(&s, "/v1/telecom/telecoms", "")).await;
    let flags: Vec<bool> = list(&r, "telecom_list")
        .iter()
        .map(|c| c["is_consent"].as_bool().unwrap())
        .collect();
    assert_eq!(flags, [true, false], "{}", r.text);
    let window = json!({"from_date": "20261001", "to_date": "20261210", "charge_month": "202611"});
    for path in [
        "/v1/telecom/telecoms/bills",
        "/v1/telecom/telecoms/transactions",
        "/v1/telecom/telecoms/paid-transactions",
    ] {
        assert_rsp(
            &s.md_post(path, mgmt(&w.internet, window.clone())).await,
            "40105",
        );
        assert_rsp(
            &s.md_post(path, mgmt(&w.mobile, window.clone())).await,
            "00000",
        );
    }
    // Without mgmt_id the bills are the consented contract's only.
    let every = s
        .md_post(
            "/v1/telecom/telecoms/bills",
            json!({"org_code": SKT, "charge_month": "202611"}),
        )
        .await;
    assert_eq!(every.body["bill_cnt"], 1, "{}", every.text);
    assert_eq!(every.body["bill_list"][0]["mgmt_id"], json!(w.mobile.asset));
}

#[tokio::test]
async fn bad_months_windows_ids_and_scopes_get_their_codes() {
    let app = app_at_now().await;
    let w = telecom_world(&app).await;
    let op = app.operator("통신앱").await;
    let s = op.consent(&w.person_id, SKT, ALL, None).await;
    let bill = |b: Value| s.md_post("/v1/telecom/telecoms/bills", b);
    assert_rsp(&bill(mgmt(&w.mobile, json!({}))).await, "40001");
    assert_rsp(
        &bill(mgmt(&w.mobile, json!({"charge_month": "2026-11"}))).await,
        "40001",
    );
    assert_rsp(
        &bill(mgmt(&w.mobile, json!({"charge_month": "202613"}))).await,
        "40001",
    );
    assert_rsp(
        &bill(mgmt(&w.mobile, json!({"charge_month": "202011"}))).await,
        "40304",
    );
    let unknown = json!({"org_code": SKT, "mgmt_id": "0000000000", "charge_month": "202611"});
    assert_rsp(&bill(unknown).await, "40402");
    let other = json!({"org_code": "TC00000002", "charge_month": "202611"});
    assert_rsp(&bill(other).await, "40303");

    let tr = |extra: Value| s.md_post("/v1/telecom/telecoms/transactions", mgmt(&w.mobile, extra));
    assert_rsp(
        &tr(json!({"from_date": "20261210", "to_date": "20261201"})).await,
        "40001",
    );
    assert_rsp(&tr(json!({"to_date": "20261201"})).await, "40001");
    assert_rsp(
        &tr(json!({"from_date": "20201201", "to_date": "20261210"})).await,
        "40304",
    );
    assert_rsp(
        &tr(json!({"from_date": "20261201", "to_date": "20261210", "limit": 501})).await,
        "42901",
    );
    let raw = s
        .md_post("/v1/telecom/telecoms/paid-transactions", json!([1, 2]))
        .await;
    assert_rsp(&raw, "40001");

    let list_only = op.consent(&w.person_id, SKT, "telecom.list", None).await;
    assert_rsp(
        &list_only
            .md_get(&q(&list_only, "/v1/telecom/telecoms", ""))
            .await,
        "00000",
    );
    let body = mgmt(
        &w.mobile,
        json!({"from_date": "20261201", "to_date": "20261210", "charge_month": "202611"}),
    );
    for path in [
        "/v1/telecom/telecoms/bills",
        "/v1/telecom/telecoms/transactions",
        "/v1/telecom/telecoms/paid-transactions",
    ] {
        assert_rsp(&list_only.md_post(path, body.clone()).await, "40104");
    }
}

//! The card industry (카드-001..012) and the prepaid-card APIs (선불-001..004)
//! as an operator calls them, against a world built through the ledger: a
//! purchase posted on a card shows as its approval, a bill sums its month,
//! a card left out of the consent reads `is_consent` false and 40105.

use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use finhub_core::account::{Account, AccountKind};
use finhub_core::clock::kst;
use finhub_core::ledger::{Direction, EntryKind, Order, Posting, PostingQuery};
use finhub_core::merchant::CardMemo;
use finhub_core::product::{
    CardTerms, CardType, LoanTerms, LoanType, PointBalance, PrepaidTerms, ProductTerms,
    RepayMethod, Revolving,
};
use finhub_core::repo::{AccountRepo, PartyRepo};
use finhub_testkit::mydata::{kst_at, list, Held, Line, Product, Session};
use finhub_testkit::{Resp, TestApp};
use serde_json::{json, Value};

const CARD_CO: &str = "CD00000001";
const OTHER_CARD_CO: &str = "CD00000002";
const SHINHAN: &str = "BA00000088";
const ALL: &str = "card.list card.card card.point card.bill card.loan card.prepaid";
/// 2026-12-10 12:00 KST.
const NOW: &str = "2026-12-10T03:00:00Z";

fn ok(r: &Resp) {
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["rsp_code"], "00000", "{}", r.text);
    assert!(
        r.headers.get("x-api-tran-id").is_some(),
        "the tran id is echoed"
    );
}

fn refused(r: &Resp, status: StatusCode, code: &str) {
    assert_eq!(r.status, status, "{}", r.text);
    assert_eq!(r.body["rsp_code"], code, "{}", r.text);
    assert!(
        r.body["rsp_msg"].as_str().is_some_and(|m| !m.is_empty()),
        "{}",
        r.text
    );
}

fn card_terms(card_type: CardType, pay_day: u32, settle: Option<&str>) -> CardTerms {
    CardTerms {
        masked_num: "9410-12**-****-3456".into(),
        card_type,
        family: card_type == CardType::Check,
        brand: "VISA".into(),
        annual_fee_minor: 15_000,
        issue_date: chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(),
        settle_account_id: settle.map(str::to_owned),
        transit: true,
        cash_card: false,
        pay_day,
        points: vec![PointBalance {
            name: "마이신한포인트".into(),
            remain: 12_345,
            expiring: 300,
        }],
        revolving: None,
    }
}

/// A use of a card at a merchant at a KST time: a purchase (negative
/// `amount`, kind Card) or a cancellation (positive, kind Refund).
struct Use<'a> {
    merchant: &'a str,
    amount: i64,
    memo: CardMemo,
    at: DateTime<Utc>,
}

fn lump<'a>(merchant: &'a str, amount: i64, at: DateTime<Utc>) -> Use<'a> {
    let memo = CardMemo::lump_sum();
    Use {
        merchant,
        amount,
        memo,
        at,
    }
}

async fn card_use(app: &TestApp, card: &Held, u: Use<'_>) -> i64 {
    let kind = if u.amount < 0 {
        EntryKind::Card
    } else {
        EntryKind::Refund
    };
    let memo = u.memo.encode();
    let line = Line {
        kind,
        amount: u.amount,
        memo: &memo,
        counterparty: u.merchant,
        at: u.at,
    };
    app.post_at(&card.account_id, line).await
}

/// A line that is not card use (a charge, a loan's drawdown).
fn plain<'a>(kind: EntryKind, amount: i64, memo: &'a str, at: DateTime<Utc>) -> Line<'a> {
    Line {
        kind,
        amount,
        memo,
        counterparty: "김카드",
        at,
    }
}

/// A person at the card company: credit card A (pay day 14, revolving,
/// settled from a KB demand account), check card B, a card loan, a
/// cash advance and a prepaid card; A's uses of October, November and
/// December, October's bill paid on 14 November.
struct World {
    person_id: String,
    demand: Held,
    a: Held,
    b: Held,
    loan: Held,
    advance: Held,
    prepaid: Held,
}

fn card_product(terms: CardTerms, limit: i64) -> Product {
    let terms = ProductTerms::Card(terms);
    Product {
        kind: AccountKind::Card,
        floor: -limit,
        terms,
    }
}

fn loan_product(loan_type: LoanType, rate_milli: i64, principal: i64, repay: &Held) -> Product {
    let terms = ProductTerms::Loan(LoanTerms {
        loan_type,
        rate_milli,
        principal_minor: principal,
        repay_method: RepayMethod::Bullet,
        repay_day: Some(if loan_type == LoanType::CashAdvance {
            14
        } else {
            25
        }),
        repay_account_id: Some(repay.account_id.clone()),
        exp_date: chrono::NaiveDate::from_ymd_opt(2028, 12, 10).unwrap(),
        secured_by: None,
    });
    Product {
        kind: AccountKind::Loan,
        floor: -principal,
        terms,
    }
}

fn prepaid_product(limit_minor: i64, expiring_minor: i64) -> Product {
    let terms = ProductTerms::Prepaid(PrepaidTerms {
        limit_minor,
        expiring_minor,
    });
    Product {
        kind: AccountKind::Prepaid,
        floor: 0,
        terms,
    }
}

async fn card_world(app: &TestApp) -> World {
    let p = app.sandbox_person("김카드", "010-3300-0001", 100_000).await;
    let acc = &p.accounts[0];
    let demand = Held {
        account_id: acc.id.clone(),
        account_num: acc.num.clone(),
        asset: acc.num.replace('-', ""),
    };
    let mut a_terms = card_terms(CardType::Credit, 14, Some(&demand.account_id));
    a_terms.revolving = Some(Revolving {
        start_date: chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
        min_pay_rate_milli: 10_000,
        agreed_pay_rate_milli: 30_000,
        remained_minor: 400_000,
    });
    let id = p.person_id.as_str();
    let a = app
        .open_product(id, CARD_CO, card_product(a_terms, 5_000_000))
        .await;
    let b_terms = card_terms(CardType::Check, 25, None);
    let b = app
        .open_product(id, CARD_CO, card_product(b_terms, 1_000_000))
        .await;
    let loan_p = loan_product(LoanType::CardLoan, 12_500, 3_000_000, &demand);
    let loan = app.open_product(id, CARD_CO, loan_p).await;
    let adv_p = loan_product(LoanType::CashAdvance, 18_900, 500_000, &demand);
    let advance = app.open_product(id, CARD_CO, adv_p).await;
    let prepaid = app
        .open_product(id, CARD_CO, prepaid_product(2_000_000, 3_000))
        .await;
    let w = World {
        person_id: p.person_id.clone(),
        demand,
        a,
        b,
        loan,
        advance,
        prepaid,
    };
    card_history(app, &w).await;
    other_history(app, &w).await;
    w
}

/// Card A: October's purchase and its bill paid on 14 November, then
/// November's and December's uses.
async fn card_history(app: &TestApp, w: &World) {
    card_use(
        app,
        &w.a,
        lump("교보문고 광화문점", -22_000, kst_at(2026, 10, 5, 15, 0)),
    )
    .await;
    let (from, to) = (&w.demand.account_id, &w.a.account_id);
    let mut pay = finhub_testkit::ledger::transfer("test:bill", "2026-11", from, to, 22_000);
    pay.at = kst_at(2026, 11, 14, 9, 0);
    assert!(app.world.transfer(pay).await.unwrap().result.is_ok());
    let usd = CardMemo {
        installments: 0,
        overseas: Some(("USD".into(), 2_599)),
    };
    let three = CardMemo {
        installments: 3,
        overseas: None,
    };
    let uses = [
        lump("쿠팡", -45_000, kst_at(2026, 11, 3, 10, 0)),
        Use {
            merchant: "이마트 성수점",
            amount: -120_000,
            memo: three,
            at: kst_at(2026, 11, 15, 19, 30),
        },
        Use {
            merchant: "AMAZON.COM",
            amount: -36_500,
            memo: usd,
            at: kst_at(2026, 11, 20, 21, 0),
        },
        lump("쿠팡", 5_000, kst_at(2026, 11, 22, 12, 0)),
        // Late on 30 November KST (still November), then just after midnight.
        lump("스타벅스 광화문점", -6_300, kst_at(2026, 11, 30, 23, 30)),
        lump("CU 서초점", -3_000, kst_at(2026, 12, 1, 0, 10)),
    ];
    for u in uses {
        card_use(app, &w.a, u).await;
    }
}

/// Card B's purchase, the loans' drawdowns, the prepaid card's charge and payment.
async fn other_history(app: &TestApp, w: &World) {
    card_use(
        app,
        &w.b,
        lump("GS25 역삼점", -4_500, kst_at(2026, 12, 2, 8, 0)),
    )
    .await;
    let drawn = kst_at(2026, 11, 2, 9, 0);
    for (l, amount) in [(&w.loan, -3_000_000), (&w.advance, -500_000)] {
        app.post_at(
            &l.account_id,
            plain(EntryKind::Transfer, amount, "대출금", drawn),
        )
        .await;
    }
    let charge = plain(EntryKind::Charge, 50_000, "충전", kst_at(2026, 12, 1, 9, 0));
    app.post_at(&w.prepaid.account_id, charge).await;
    card_use(
        app,
        &w.prepaid,
        lump("GS25 역삼점", -8_000, kst_at(2026, 12, 3, 18, 0)),
    )
    .await;
}

async fn app_at_now() -> TestApp {
    TestApp::builder().now(NOW).spawn().await
}

fn q(s: &Session, path: &str, rest: &str) -> String {
    format!("{path}?org_code={}{rest}", s.org_code)
}

#[tokio::test]
async fn an_operator_syncs_a_card_company_in_order() {
    let app = app_at_now().await;
    let w = card_world(&app).await;
    let op = app.operator("카드가계부").await;
    let s = op.consent(&w.person_id, CARD_CO, ALL, None).await;
    app.advance(60).await;

    // 공통-001: every card and prepaid API, by its code.
    let apis = s.md_get(&q(&s, "/v1/card/apis", "&client_id=any")).await;
    ok(&apis);
    let codes: Vec<&str> = list(&apis, "api_list")
        .iter()
        .map(|a| a["api_code"].as_str().unwrap())
        .collect();
    for c in [
        "CD01", "CD02", "CD03", "CD04", "CD11", "CD21", "CD22", "CD23", "CD24", "CD31", "CD32",
        "CD33", "PP01", "PP04",
    ] {
        assert!(codes.contains(&c), "{c} in {codes:?}");
    }
    assert!(!codes.contains(&"BA01"), "{codes:?}");

    cards_and_basic(&s, &w).await;
    bills(&s, &w).await;
    payments(&s).await;
    domestic(&s, &w).await;
    overseas_and_now(&app, &s, &w).await;
    loans(&s, &w).await;
    prepaid(&s, &w).await;
}

/// 카드-001..003; a second sync of 카드-002 finds nothing new.
async fn cards_and_basic(s: &Session<'_>, w: &World) {
    // 카드-001: both cards, both consented.
    let cards = s
        .md_get(&q(s, "/v1/card/cards", "&search_timestamp=0&limit=500"))
        .await;
    ok(&cards);
    assert_eq!(cards["card_cnt"], 2, "{cards}");
    assert!(cards["search_timestamp"].as_i64().unwrap() >= 20261210120000);
    let a = list(&cards, "card_list")
        .iter()
        .find(|c| c["card_id"] == w.a.asset.as_str())
        .unwrap();
    assert_eq!(
        *a,
        json!({"card_id": w.a.asset, "card_num": "9410-12**-****-3456", "is_consent": true,
               "card_name": "신용카드", "card_member": "1", "card_type": "01"})
    );
    let b = list(&cards, "card_list")
        .iter()
        .find(|c| c["card_id"] == w.b.asset.as_str())
        .unwrap();
    assert_eq!(
        (&b["card_member"], &b["card_type"], &b["is_consent"]),
        (&json!("2"), &json!("02"), &json!(true))
    );

    // 카드-002, then a second sync that finds nothing new.
    let path = format!("/v1/card/cards/{}", w.a.asset);
    let basic = s.md_get(&q(s, &path, "&search_timestamp=0")).await;
    ok(&basic);
    let demand_num = w.demand.account_num.replace('-', "");
    for (k, v) in [
        ("card_type", json!("01")),
        ("is_trans_payable", json!(true)),
        ("is_cash_card", json!(false)),
        ("linked_bank_code", json!("00000004")),
        ("account_num", json!(demand_num)),
        ("card_brand", json!("VISA")),
        ("annual_fee", json!(15_000)),
        ("issue_date", json!("20240301")),
    ] {
        assert_eq!(basic[k], v, "{k}: {basic}");
    }
    let ts = basic["search_timestamp"].as_i64().unwrap();
    let again = s
        .md_get(&q(s, &path, &format!("&search_timestamp={ts}")))
        .await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again["rsp_code"], "00001", "{again}");
    assert!(again.body.get("card_brand").is_none(), "{again}");

    // 카드-003: the points of the consented cards, summed per programme.
    let points = s
        .md_get(&q(s, "/v1/card/points", "&search_timestamp=0"))
        .await;
    ok(&points);
    assert_eq!(
        points["point_list"],
        json!([{"point_name": "마이신한포인트", "remain_point_amt": 24_690, "expiring_point_amt": 600}])
    );
}

/// 카드-004/005: December's bill is November's uses on card A.
async fn bills(s: &Session<'_>, w: &World) {
    let bills = s
        .md_get(&q(
            s,
            "/v1/card/bills",
            "&from_month=202610&to_month=202612&limit=10",
        ))
        .await;
    ok(&bills);
    assert_eq!(
        bills["bill_list"],
        json!([
            {"seqno": "14", "charge_amt": 202_800, "charge_day": "14", "charge_month": 202612, "paid_out_date": "20261214"},
            {"seqno": "14", "charge_amt": 22_000, "charge_day": "14", "charge_month": 202611, "paid_out_date": "20261114"},
        ]),
        "check card B has no bills; the bill payment is not a use"
    );
    assert_eq!(bills["bill_cnt"], 2);
    assert!(bills.body.get("next_page").is_none());

    let detail = s
        .md_get(&q(
            s,
            "/v1/card/bills/detail",
            "&seqno=14&charge_month=202612&limit=500",
        ))
        .await;
    ok(&detail);
    let lines = list(&detail, "bill_detail_list");
    let amounts: Vec<i64> = lines
        .iter()
        .map(|l| l["paid_amt"].as_i64().unwrap())
        .collect();
    assert_eq!(
        amounts,
        vec![6_300, -5_000, 36_500, 120_000, 45_000],
        "newest first"
    );
    assert_eq!(
        amounts.iter().sum::<i64>(),
        202_800,
        "a bill sums its lines"
    );
    let emart = &lines[3];
    assert_eq!(emart["card_id"], w.a.asset.as_str());
    assert_eq!(emart["paid_dtime"], "20261115193000");
    assert_eq!(emart["merchant_name"], "이마트 성수점");
    assert_eq!(emart["merchant_regno"], "206-86-40004");
    assert_eq!(
        (&emart["total_install_cnt"], &emart["prod_type"]),
        (&json!(3), &json!("02"))
    );
    assert_eq!(lines[2]["prod_type"], "03");
    assert_eq!(detail["bill_detail_cnt"], 5);
}

/// 카드-006/007: December's bill is the one due; the revolving terms.
async fn payments(s: &Session<'_>) {
    let pay = s
        .md_get(&q(s, "/v1/card/payments", "&search_timestamp=0"))
        .await;
    ok(&pay);
    assert_eq!(pay["is_revolving"], true);
    assert_eq!(
        pay["pay_list"],
        json!([{"seqno": "14", "pay_due_date": "20261214", "pay_amt": 202_800,
                "lump_sum_amt": 82_800, "monthly_amt": 120_000}])
    );
    let rev = s
        .md_get(&q(s, "/v1/card/payments/revolving", "&search_timestamp=0"))
        .await;
    ok(&rev);
    assert_eq!(
        rev["revolving_list"],
        json!([{"req_date": "20250601", "min_pay_rate": 10.0, "min_pay_amt": 40_000,
                "agreed_pay_rate": 30.0, "agreed_pay_amt": 120_000, "remained_amt": 400_000}])
    );
}

const WINDOW: &str = "&from_date=20261101&to_date=20261210&limit=500";

/// 카드-008: card A's postings read back as approvals.
async fn domestic(s: &Session<'_>, w: &World) {
    let path = format!("/v1/card/cards/{}/approval-domestic", w.a.asset);
    let window = WINDOW;
    let dom = s.md_get(&q(s, &path, window)).await;
    ok(&dom);
    let items = list(&dom, "approved_list");
    let shown: Vec<(&str, i64)> = items
        .iter()
        .map(|i| {
            (
                i["status"].as_str().unwrap(),
                i["approved_amt"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        shown,
        vec![
            ("01", 3_000),
            ("01", 6_300),
            ("02", 5_000),
            ("01", 120_000),
            ("01", 45_000)
        ],
        "newest first, no overseas line, no bill payment"
    );
    assert_eq!(dom["approved_cnt"], 5);
    let cu = &items[0];
    assert_eq!(cu["approved_dtime"], "20261201001000");
    assert_eq!(
        (&cu["pay_type"], &cu["merchant_name"], &cu["merchant_regno"]),
        (&json!("01"), &json!("CU 서초점"), &json!("214-85-20002"))
    );
    assert!(
        cu.get("total_install_cnt").is_none() && cu.get("trans_dtime").is_none(),
        "{cu}"
    );
    assert_eq!(items[2]["trans_dtime"], "20261122120000");
    assert_eq!(items[3]["total_install_cnt"], 3);
    let nums: std::collections::HashSet<&str> = items
        .iter()
        .map(|i| i["approved_num"].as_str().unwrap())
        .collect();
    assert_eq!(nums.len(), 5, "approval numbers are distinct");
}

/// 카드-009, then a purchase posted now is at once the newest line of 카드-008.
async fn overseas_and_now(app: &TestApp, s: &Session<'_>, w: &World) {
    let window = WINDOW;
    let path_o = format!("/v1/card/cards/{}/approval-overseas", w.a.asset);
    let over = s.md_get(&q(s, &path_o, window)).await;
    ok(&over);
    let o = &list(&over, "approved_list")[0];
    assert_eq!(over["approved_cnt"], 1);
    for (k, v) in [
        ("status", json!("01")),
        ("pay_type", json!("01")),
        ("merchant_name", json!("AMAZON.COM")),
        ("approved_amt", json!(25.99)),
        ("country_code", json!("US")),
        ("currency_code", json!("USD")),
        ("krw_amt", json!(36_500)),
        ("approved_dtime", json!("20261120210000")),
    ] {
        assert_eq!(o[k], v, "{k}: {o}");
    }

    // A purchase posted through the ledger now.
    let id = card_use(app, &w.a, lump("배달의민족", -18_000, app.clock.now())).await;
    let path = format!("/v1/card/cards/{}/approval-domestic", w.a.asset);
    let dom = s.md_get(&q(s, &path, window)).await;
    let first = &list(&dom, "approved_list")[0];
    assert_eq!(
        (&first["approved_amt"], &first["merchant_name"]),
        (&json!(18_000), &json!("배달의민족"))
    );
    assert_eq!(first["approved_num"], format!("{id:012}"));
    // Check card B's pay_type.
    let path_b = format!("/v1/card/cards/{}/approval-domestic", w.b.asset);
    let dom_b = s.md_get(&q(s, &path_b, window)).await;
    ok(&dom_b);
    assert_eq!(list(&dom_b, "approved_list")[0]["pay_type"], "02");
}

/// 카드-010..012.
async fn loans(s: &Session<'_>, w: &World) {
    let flags = s
        .md_get(&q(s, "/v1/card/loans", "&search_timestamp=0"))
        .await;
    ok(&flags);
    assert_eq!(
        (&flags["is_loan_short_term"], &flags["is_loan_long_term"]),
        (&json!(true), &json!(true))
    );
    let short = s
        .md_get(&q(s, "/v1/card/loans/short-term", "&search_timestamp=0"))
        .await;
    ok(&short);
    let demand_num = w.demand.account_num.replace('-', "");
    let st = &list(&short, "short_term_list")[0];
    assert_eq!(short["short_term_cnt"], 1);
    for (k, v) in [
        ("loan_amt", json!(500_000)),
        ("balance_amt", json!(500_000)),
        ("pay_due_date", json!("20261214")),
        ("int_rate", json!(18.9)),
        ("repay_org_code", json!("00000004")),
        ("repay_account_num", json!(demand_num)),
    ] {
        assert_eq!(st[k], v, "{k}: {st}");
    }
    let long = s
        .md_get(&q(s, "/v1/card/loans/long-term", "&search_timestamp=0"))
        .await;
    ok(&long);
    let lt = &list(&long, "long_term_list")[0];
    for (k, v) in [
        ("loan_num", json!(w.loan.account_num.replace('-', ""))),
        ("loan_cnt", json!(1)),
        ("loan_amt", json!(3_000_000)),
        ("balance_amt", json!(3_000_000)),
        ("int_rate", json!(12.5)),
        ("exp_date", json!("20281210")),
        ("repay_method", json!("01")),
        ("int_amt", json!(31_250)),
    ] {
        assert_eq!(lt[k], v, "{k}: {lt}");
    }
}

/// 선불-001..004 at the card company.
async fn prepaid(s: &Session<'_>, w: &World) {
    let pp = s
        .md_get(&q(s, "/v1/card/prepaid", "&search_timestamp=0&limit=10"))
        .await;
    ok(&pp);
    let item = &list(&pp, "pp_list")[0];
    assert_eq!(
        (&item["pp_id"], &item["is_consent"], &item["limit_amt"]),
        (&json!(w.prepaid.asset), &json!(true), &json!(200))
    );
    let body = |extra: Value| {
        let mut b = json!({"org_code": CARD_CO, "pp_id": w.prepaid.asset});
        b.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        b
    };
    let bal = s
        .md_post(
            "/v1/card/prepaid/balance",
            body(json!({"search_timestamp": 0})),
        )
        .await;
    ok(&bal);
    assert_eq!(
        (&bal["total_balance_amt"], &bal["exp_due_amt"]),
        (&json!(42_000), &json!(3_000))
    );
    let window = json!({"from_date": "20261201", "to_date": "20261210", "limit": 500});
    let tr = s
        .md_post("/v1/card/prepaid/transactions", body(window.clone()))
        .await;
    ok(&tr);
    assert_eq!(
        tr["trans_list"],
        json!([{"trans_type": "5101", "trans_dtime": "20261201090000", "trans_no": tr["trans_list"][0]["trans_no"],
                "trans_amt": 50_000, "balance_amt": 50_000}])
    );
    let ap = s.md_post("/v1/card/prepaid/approval", body(window)).await;
    ok(&ap);
    let a = &list(&ap, "approved_list")[0];
    assert_eq!(
        (&a["approved_amt"], &a["merchant_name"], &a["status"]),
        (&json!(8_000), &json!("GS25 역삼점"), &json!("01"))
    );
    assert!(a.get("pay_type").is_none(), "{a}");
}

#[tokio::test]
async fn a_card_left_out_of_the_consent_is_listed_unconsented_and_refused() {
    let app = app_at_now().await;
    let w = card_world(&app).await;
    let op = app.operator("카드앱").await;
    let s = op
        .consent(&w.person_id, CARD_CO, ALL, Some(&[w.a.asset.as_str()]))
        .await;
    let cards = s
        .md_get(&q(&s, "/v1/card/cards", "&search_timestamp=0"))
        .await;
    ok(&cards);
    let flag = |id: &str| {
        list(&cards, "card_list")
            .iter()
            .find(|c| c["card_id"] == id)
            .unwrap()["is_consent"]
            .clone()
    };
    assert_eq!(
        (flag(&w.a.asset), flag(&w.b.asset)),
        (json!(true), json!(false))
    );
    let window = "&from_date=20261101&to_date=20261210";
    for path in [
        format!("/v1/card/cards/{}", w.b.asset),
        format!("/v1/card/cards/{}/approval-domestic", w.b.asset),
        format!("/v1/card/cards/{}/approval-overseas", w.b.asset),
    ] {
        refused(
            &s.md_get(&q(&s, &path, window)).await,
            StatusCode::UNAUTHORIZED,
            "40105",
        );
    }
    let r = s
        .md_post(
            "/v1/card/prepaid/balance",
            json!({"org_code": CARD_CO, "pp_id": w.prepaid.asset}),
        )
        .await;
    refused(&r, StatusCode::UNAUTHORIZED, "40105");
    let unknown = s
        .md_get(&q(&s, "/v1/card/cards/0000111122223333", ""))
        .await;
    refused(&unknown, StatusCode::NOT_FOUND, "40402");
    // The unconsented loans are not listed; B's points are not counted.
    let long = s.md_get(&q(&s, "/v1/card/loans/long-term", "")).await;
    assert_eq!(long["long_term_cnt"], 0, "{long}");
    let points = s.md_get(&q(&s, "/v1/card/points", "")).await;
    assert_eq!(
        points["point_list"][0]["remain_point_amt"], 12_345,
        "{points}"
    );
}

#[tokio::test]
async fn an_api_outside_the_consented_scopes_is_40104() {
    let app = app_at_now().await;
    let w = card_world(&app).await;
    let op = app.operator("카드앱").await;
    let s = op
        .consent(&w.person_id, CARD_CO, "card.list card.card", None)
        .await;
    ok(&s.md_get(&q(&s, "/v1/card/cards", "")).await);
    ok(&s
        .md_get(&q(&s, &format!("/v1/card/cards/{}", w.a.asset), ""))
        .await);
    for path in [
        "/v1/card/points",
        "/v1/card/bills",
        "/v1/card/bills/detail",
        "/v1/card/payments",
        "/v1/card/payments/revolving",
        "/v1/card/loans",
        "/v1/card/loans/short-term",
        "/v1/card/loans/long-term",
        "/v1/bank/prepaid",
    ] {
        refused(
            &s.md_get(&q(&s, path, "")).await,
            StatusCode::UNAUTHORIZED,
            "40104",
        );
    }
    let body = json!({"org_code": CARD_CO, "pp_id": w.prepaid.asset, "from_date": "20261201", "to_date": "20261210"});
    for path in [
        "/v1/card/prepaid/balance",
        "/v1/card/prepaid/transactions",
        "/v1/card/prepaid/approval",
    ] {
        refused(
            &s.md_post(path, body.clone()).await,
            StatusCode::UNAUTHORIZED,
            "40104",
        );
    }
    // The list of prepaid cards needs only card.list.
    ok(&s.md_get(&q(&s, "/v1/card/prepaid", "")).await);
    let other = format!("/v1/card/cards?org_code={OTHER_CARD_CO}");
    refused(&s.md_get(&other).await, StatusCode::FORBIDDEN, "40303");
}

#[tokio::test]
async fn approvals_page_newest_first_to_the_end() {
    let app = app_at_now().await;
    let w = card_world(&app).await;
    for day in 1..=7 {
        let at = kst_at(2026, 12, 3, 9, day);
        card_use(
            &app,
            &w.b,
            lump("다이소 종로점", -1_000 * i64::from(day), at),
        )
        .await;
    }
    let op = app.operator("카드앱").await;
    let s = op.consent(&w.person_id, CARD_CO, ALL, None).await;
    let path = format!("/v1/card/cards/{}/approval-domestic", w.b.asset);
    let (mut seen, mut next, mut pages) = (Vec::new(), None::<String>, 0);
    loop {
        let cursor = next
            .as_ref()
            .map(|n| format!("&next_page={n}"))
            .unwrap_or_default();
        let r = s
            .md_get(&q(
                &s,
                &path,
                &format!("&from_date=20261201&to_date=20261210&limit=3{cursor}"),
            ))
            .await;
        ok(&r);
        pages += 1;
        let items = list(&r, "approved_list");
        assert_eq!(r["approved_cnt"], items.len());
        seen.extend(items.iter().map(|i| {
            (
                i["approved_dtime"].as_str().unwrap().to_owned(),
                i["approved_amt"].as_i64().unwrap(),
            )
        }));
        next = r
            .body
            .get("next_page")
            .and_then(|v| v.as_str())
            .map(str::to_owned);
        if next.is_none() {
            break;
        }
        assert_eq!(items.len(), 3, "a full page before the last");
    }
    assert_eq!(pages, 3);
    let amounts: Vec<i64> = seen.iter().map(|x| x.1).collect();
    assert_eq!(
        amounts,
        vec![7_000, 6_000, 5_000, 4_000, 3_000, 2_000, 1_000, 4_500]
    );
    assert!(
        seen.windows(2).all(|p| p[0].0 >= p[1].0),
        "newest first: {seen:?}"
    );
}

/// A session of a fresh world with every card scope and asset.
async fn consented(app: &TestApp) -> (World, Session<'_>) {
    let w = card_world(app).await;
    let op = app.operator("카드앱").await;
    let s = op.consent(&w.person_id, CARD_CO, ALL, None).await;
    (w, s)
}

#[tokio::test]
async fn bad_windows_limits_and_cursors_of_approvals_get_their_codes() {
    let app = app_at_now().await;
    let (w, s) = consented(&app).await;
    let path = format!("/v1/card/cards/{}/approval-domestic", w.a.asset);
    let (bad, old, many) = (
        StatusCode::BAD_REQUEST,
        StatusCode::FORBIDDEN,
        StatusCode::TOO_MANY_REQUESTS,
    );
    let dec = "&from_date=20261201&to_date=20261210";
    for (rest, status, code) in [
        ("&from_date=20261210&to_date=20261201", bad, "40001"),
        ("&from_date=2026-12-01&to_date=20261210", bad, "40001"),
        ("&from_date=20261301&to_date=20261310", bad, "40001"),
        ("&to_date=20261210", bad, "40001"),
        ("&from_date=20211201&to_date=20261210", old, "40304"),
        (&format!("{dec}&limit=501"), many, "42901"),
        (&format!("{dec}&next_page=%25%25"), bad, "40001"),
        (&format!("{dec}&next_page=bm9wZQ"), bad, "40001"),
    ] {
        refused(&s.md_get(&q(&s, &path, rest)).await, status, code);
    }
    let body = json!({"org_code": CARD_CO, "pp_id": w.prepaid.asset, "from_date": "20261211", "to_date": "20261210"});
    refused(
        &s.md_post("/v1/card/prepaid/transactions", body).await,
        bad,
        "40001",
    );
    let req = axum::http::Request::post("/v1/card/prepaid/balance")
        .header("authorization", format!("Bearer {}", s.access))
        .header("x-api-tran-id", s.tran_id())
        .header("content-type", "application/json")
        .body(axum::body::Body::from("{not json"))
        .unwrap();
    refused(&app.send(req).await, bad, "40001");
}

#[tokio::test]
async fn bad_months_seqnos_timestamps_and_org_codes_get_their_codes() {
    let app = app_at_now().await;
    let (_w, s) = consented(&app).await;
    let bad = StatusCode::BAD_REQUEST;
    for rest in [
        "&from_month=202612&to_month=202611",
        "&from_month=202613&to_month=202612",
        "&to_month=202612",
    ] {
        refused(
            &s.md_get(&q(&s, "/v1/card/bills", rest)).await,
            bad,
            "40001",
        );
    }
    let old = q(&s, "/v1/card/bills", "&from_month=202111&to_month=202612");
    refused(&s.md_get(&old).await, StatusCode::FORBIDDEN, "40304");
    let seqno = q(&s, "/v1/card/bills/detail", "&seqno=x&charge_month=202612");
    refused(&s.md_get(&seqno).await, bad, "40001");
    let ts = q(&s, "/v1/card/cards", "&search_timestamp=2026");
    refused(&s.md_get(&ts).await, bad, "40001");
    refused(&s.md_get("/v1/card/cards").await, bad, "40001");
    let other = format!("/v1/card/cards?org_code={OTHER_CARD_CO}");
    refused(&s.md_get(&other).await, StatusCode::FORBIDDEN, "40303");
}

#[tokio::test]
async fn a_bank_serves_its_prepaid_cards_under_its_own_prefix() {
    let app = app_at_now().await;
    let p = app.sandbox_person("이선불", "010-3300-0002", 10_000).await;
    let pp = app
        .open_product(&p.person_id, SHINHAN, prepaid_product(500_000, 0))
        .await;
    let charge = plain(EntryKind::Charge, 20_000, "충전", kst_at(2026, 12, 9, 9, 0));
    app.post_at(&pp.account_id, charge).await;
    let op = app.operator("선불앱").await;
    let s = op
        .consent(&p.person_id, SHINHAN, "bank.list bank.prepaid", None)
        .await;
    let list_r = s
        .md_get(&q(&s, "/v1/bank/prepaid", "&search_timestamp=0"))
        .await;
    ok(&list_r);
    assert_eq!(list_r["pp_list"][0]["pp_id"], pp.asset.as_str());
    assert_eq!(list_r["pp_list"][0]["limit_amt"], 50);
    let bal = s
        .md_post(
            "/v1/bank/prepaid/balance",
            json!({"org_code": SHINHAN, "pp_id": pp.asset, "search_timestamp": "0"}),
        )
        .await;
    ok(&bal);
    assert_eq!(bal["total_balance_amt"], 20_000);
    // A bank token does not open the card company's prefix.
    refused(
        &s.md_get(&q(&s, "/v1/card/prepaid", "")).await,
        StatusCode::UNAUTHORIZED,
        "40104",
    );
}

/// Every seeded person's cards at each card company, with the company.
async fn seeded_cards(app: &TestApp) -> Vec<(String, String, Vec<Account>)> {
    let mut out: Vec<(String, String, Vec<Account>)> = Vec::new();
    for p in app.store.list_people(100, 0).await.unwrap() {
        let accts = app.store.accounts_of_person(&p.person_id).await.unwrap();
        for a in accts.into_iter().filter(|a| a.kind == AccountKind::Card) {
            let at = out
                .iter_mut()
                .find(|(id, org, _)| *id == p.person_id && *org == a.org_code);
            match at {
                Some((_, _, cards)) => cards.push(a),
                None => out.push((p.person_id.clone(), a.org_code.clone(), vec![a])),
            }
        }
    }
    out
}

/// The payments the ledger holds on a card: (KST date, amount).
async fn payments_on(app: &TestApp, card: &Account) -> Vec<(String, i64)> {
    let q = PostingQuery {
        account_id: card.account_id.clone(),
        from: kst_at(2026, 1, 1, 0, 0),
        to: app.clock.now(),
        direction: Direction::In,
        order: Order::Asc,
        after: None,
        limit: 1000,
    };
    let lines = app.world.postings(&q).await.unwrap();
    let day = |p: &Posting| p.at.with_timezone(&kst()).format("%Y%m%d").to_string();
    lines
        .iter()
        .filter(|p| p.kind == EntryKind::Card)
        .map(|p| (day(p), p.amount_minor))
        .collect()
}

#[tokio::test]
async fn the_seeded_world_reads_back_through_the_card_apis() {
    let app = app_at_now().await;
    app.seed_demo(20).await;
    let op = app.operator("카드앱").await;
    let (mut bills_due, mut bills_paid_in_full) = (0, 0);
    let (mut recent_domestic, mut with_points) = (0, 0);
    for (person, org, cards) in seeded_cards(&app).await {
        let s = op.consent(&person, &org, ALL, None).await;
        let r = s.md_get(&q(&s, "/v1/card/cards", "")).await;
        ok(&r);
        assert_eq!(r["card_cnt"], cards.len(), "{r}");
        let points = s.md_get(&q(&s, "/v1/card/points", "")).await;
        with_points += usize::from(points["point_cnt"].as_u64() > Some(0));
        for c in &cards {
            let path = format!("/v1/card/cards/{}/approval-domestic", c.account_num);
            let dom = s
                .md_get(&q(&s, &path, "&from_date=20261110&to_date=20261210"))
                .await;
            ok(&dom);
            recent_domestic = recent_domestic.max(dom["approved_cnt"].as_u64().unwrap());
        }
        // Each bill of the last three months is what the ledger shows paid
        // on its day, unless a revolving share or a short account carried some.
        let bills = s
            .md_get(&q(
                &s,
                "/v1/card/bills",
                "&from_month=202609&to_month=202612",
            ))
            .await;
        ok(&bills);
        let mut paid = Vec::new();
        for c in &cards {
            paid.extend(payments_on(&app, c).await);
        }
        for b in list(&bills, "bill_list") {
            let due = (
                b["paid_out_date"].as_str().unwrap().to_owned(),
                b["charge_amt"].as_i64().unwrap(),
            );
            if due.0.as_str() <= "20261210" {
                bills_due += 1;
                bills_paid_in_full += usize::from(paid.contains(&due));
            }
        }
    }
    assert!(
        2 * bills_paid_in_full >= bills_due && bills_due > 0,
        "{bills_paid_in_full} of {bills_due} bills paid as billed"
    );
    assert!(
        recent_domestic >= 2,
        "someone has two domestic approvals in 30 days"
    );
    assert!(with_points > 0, "someone has points");
}

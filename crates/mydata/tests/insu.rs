//! The insurance industry (보험-001..012) and guarantee insurance
//! (보증보험-001..003) as an operator calls them, against a world built through
//! the ledger: premiums paid from the person's bank account into the policy,
//! a policy loan drawn and repaid; a premium shows in the policy's history
//! and the bank account's, a policy left out of the consent reads
//! `is_consent` false and 40105.

use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use finhub_core::account::AccountKind;
use finhub_core::ledger::{EntryKind, Leg, TransferRequest};
use finhub_core::merchant::LoanMemo;
use finhub_core::money::Currency;
use finhub_core::product::insurance::{
    CarCover, Coverage, InsuranceLine, Insured, PayCycle, PolicyStatus, PremiumMemo, PremiumPlan,
    Rider,
};
use finhub_core::product::{InsuranceTerms, LoanTerms, LoanType, ProductTerms, RepayMethod};
use finhub_core::repo::AccountRepo;
use finhub_testkit::mydata::{assert_rsp, day, kst_at, list, Held, Product, Session};
use finhub_testkit::TestApp;
use serde_json::{json, Value};

const INSURER: &str = "IS00000003";
const OTHER_INSURER: &str = "IS00000001";
const GUARANTOR: &str = "GI00000001";
const BANK: &str = "BA00000004";
const ALL: &str = "insu.list insu.insurance insu.loan";
const GALL: &str = "ginsu.list ginsu.insurance";
/// 2026-12-10 12:00 KST.
const NOW: &str = "2026-12-10T03:00:00Z";
const PREMIUM: i64 = 52_000;
const CAR_PREMIUM: i64 = 720_000;

fn plan(cycle: PayCycle, count: u32, premium: i64, bank: &Held) -> PremiumPlan {
    PremiumPlan {
        cycle,
        count,
        pay_day: 25,
        end_date: day(2035, 12, 25),
        premium_minor: premium,
        account_id: Some(bank.account_id.clone()),
        auto_loan: cycle == PayCycle::Monthly,
    }
}

fn insured(no: &str, name: &str, primary: bool) -> Insured {
    Insured {
        no: no.into(),
        name: name.into(),
        primary,
    }
}

fn rider(no: &str, name: &str, face: i64, required: bool) -> Rider {
    Rider {
        insured_no: no.into(),
        name: name.into(),
        status: PolicyStatus::Normal,
        exp_date: day(2056, 1, 25),
        face_minor: face,
        required,
    }
}

fn coverage(no: &str, code: &str, name: &str, amount: i64, active: bool) -> Coverage {
    Coverage {
        insured_no: no.into(),
        code: code.into(),
        num: format!("CV{code}"),
        name: name.into(),
        amount_minor: amount,
        start_date: day(2026, 1, 25),
        end_date: day(2056, 1, 25),
        active,
    }
}

/// A health policy of the person and the spouse: monthly premiums from the
/// bank account, a main contract and riders, three coverages.
fn health(bank: &Held) -> InsuranceTerms {
    InsuranceTerms {
        line: InsuranceLine::Health,
        status: PolicyStatus::Normal,
        issue_date: day(2026, 1, 25),
        exp_date: day(2056, 1, 25),
        face_minor: 50_000_000,
        renewable: true,
        variable: false,
        universal: true,
        loanable: true,
        pension_start: None,
        insured: vec![
            insured("01", "김보험", true),
            insured("02", "이배우", false),
        ],
        riders: vec![
            rider("01", "무배당 건강보험 주계약", 50_000_000, true),
            rider("01", "암진단특약", 30_000_000, false),
            rider("02", "배우자 상해특약", 10_000_000, false),
        ],
        coverages: vec![
            coverage("01", "A1001", "일반암진단비", 30_000_000, true),
            coverage("01", "B2001", "질병실손의료비", 50_000_000, true),
            coverage("02", "C3001", "상해사망", 10_000_000, false),
        ],
        car: None,
        premium: plan(PayCycle::Monthly, 120, PREMIUM, bank),
    }
}

fn car(bank: &Held) -> InsuranceTerms {
    InsuranceTerms {
        line: InsuranceLine::Car,
        status: PolicyStatus::Normal,
        issue_date: day(2026, 3, 2),
        exp_date: day(2027, 3, 2),
        face_minor: 200_000_000,
        renewable: false,
        variable: false,
        universal: false,
        loanable: false,
        pension_start: None,
        insured: vec![insured("01", "김보험", true)],
        riders: vec![rider("01", "개인용 자동차보험", 200_000_000, true)],
        coverages: vec![],
        car: Some(CarCover {
            car_number: "12가3456".into(),
            car_name: "아반떼".into(),
            start_date: day(2026, 3, 2),
            end_date: day(2027, 3, 2),
            age_limit: "만 26세 이상".into(),
            driver_limit: "부부한정".into(),
            own_damage: true,
            self_pay_rate_milli: 20_000,
            self_pay_minor: 500_000,
        }),
        premium: PremiumPlan {
            end_date: day(2026, 3, 2),
            pay_day: 2,
            ..plan(PayCycle::Once, 1, CAR_PREMIUM, bank)
        },
    }
}

fn guarantee(bank: &Held, premium: i64) -> InsuranceTerms {
    InsuranceTerms {
        line: InsuranceLine::Guarantee,
        exp_date: day(2028, 5, 31),
        face_minor: 300_000_000,
        renewable: false,
        universal: false,
        loanable: false,
        insured: vec![insured("01", "김보험", true)],
        riders: vec![],
        coverages: vec![],
        premium: PremiumPlan {
            end_date: day(2026, 6, 1),
            pay_day: 1,
            ..plan(PayCycle::Once, 1, premium, bank)
        },
        ..health(bank)
    }
}

fn policy(t: InsuranceTerms) -> Product {
    Product {
        kind: AccountKind::Insurance,
        floor: 0,
        terms: ProductTerms::Insurance(t),
    }
}

fn policy_loan(secured_by: &Held, bank: &Held) -> Product {
    Product {
        kind: AccountKind::Loan,
        floor: -1_000_000,
        terms: ProductTerms::Loan(LoanTerms {
            loan_type: LoanType::Policy,
            rate_milli: 6_000,
            principal_minor: 1_000_000,
            repay_method: RepayMethod::EqualPrincipal,
            repay_day: Some(1),
            repay_account_id: Some(bank.account_id.clone()),
            exp_date: day(2027, 9, 1),
            secured_by: Some(secured_by.account_id.clone()),
        }),
    }
}

/// `amount` from one account to another at `at`, both legs carrying `memo`:
/// one ledger entry, as the world pays a premium or draws a loan.
async fn pay(app: &TestApp, (from, to): (&str, &str), amount: i64, memo: &str, at: DateTime<Utc>) {
    let leg = |account: &str, amount_minor: i64| Leg {
        account_id: account.into(),
        amount_minor,
        currency: Currency::KRW,
        memo: memo.into(),
        counterparty: "DB손해보험".into(),
    };
    let req = TransferRequest {
        scope: "insu-test".into(),
        key: uuid::Uuid::new_v4().to_string(),
        at,
        kind: EntryKind::Transfer,
        legs: vec![leg(from, -amount), leg(to, amount)],
        limits: vec![],
        meta: Value::Null,
    };
    let out = app.world.transfer(req).await.unwrap();
    assert!(out.result.is_ok(), "{out:?}");
}

fn premium_memo(month: u32, instalment: u32) -> String {
    PremiumMemo { month, instalment }.encode()
}

/// A person with a KB demand account; at the insurer a health policy (11
/// monthly premiums, January to November), a car policy (one premium) and a
/// policy loan on the health policy (drawn in September, two repayments);
/// at the guarantee insurer two guarantee insurances.
struct World {
    person_id: String,
    bank: Held,
    health: Held,
    car: Held,
    loan: Held,
    g1: Held,
    g2: Held,
}

async fn world(app: &TestApp) -> World {
    let p = app
        .sandbox_person("김보험", "010-4400-0001", 5_000_000)
        .await;
    let acc = &p.accounts[0];
    let bank = Held {
        account_id: acc.id.clone(),
        account_num: acc.num.clone(),
        asset: acc.num.replace('-', ""),
    };
    let id = p.person_id.as_str();
    let health = app.open_product(id, INSURER, policy(health(&bank))).await;
    let car = app.open_product(id, INSURER, policy(car(&bank))).await;
    let loan = app
        .open_product(id, INSURER, policy_loan(&health, &bank))
        .await;
    let g1 = app
        .open_product(id, GUARANTOR, policy(guarantee(&bank, 85_000)))
        .await;
    let g2 = app
        .open_product(id, GUARANTOR, policy(guarantee(&bank, 40_000)))
        .await;
    let w = World {
        person_id: p.person_id.clone(),
        bank,
        health,
        car,
        loan,
        g1,
        g2,
    };
    premiums(app, &w).await;
    w
}

async fn premiums(app: &TestApp, w: &World) {
    let bank = w.bank.account_id.as_str();
    for m in 1..=11u32 {
        let memo = premium_memo(202600 + m, m);
        pay(
            app,
            (bank, &w.health.account_id),
            PREMIUM,
            &memo,
            kst_at(2026, m, 25, 9, 30),
        )
        .await;
    }
    let memo = premium_memo(202603, 1);
    pay(
        app,
        (bank, &w.car.account_id),
        CAR_PREMIUM,
        &memo,
        kst_at(2026, 3, 2, 9, 30),
    )
    .await;
    let memo = premium_memo(202606, 1);
    pay(
        app,
        (bank, &w.g1.account_id),
        85_000,
        &memo,
        kst_at(2026, 6, 1, 9, 30),
    )
    .await;
    pay(
        app,
        (bank, &w.g2.account_id),
        40_000,
        &memo,
        kst_at(2026, 6, 1, 9, 30),
    )
    .await;
    let drawn = LoanMemo::Drawdown.encode();
    let loan = w.loan.account_id.as_str();
    pay(
        app,
        (loan, bank),
        1_000_000,
        &drawn,
        kst_at(2026, 9, 1, 9, 30),
    )
    .await;
    for m in [10, 11] {
        repay(app, w, 100_000, 5_000, kst_at(2026, m, 1, 9, 30)).await;
    }
}

/// A repayment from the bank account: the principal into the loan, the
/// interest to the insurer's settlement account, one entry.
async fn repay(app: &TestApp, w: &World, principal: i64, interest: i64, at: DateTime<Utc>) {
    let memo = LoanMemo::Repayment {
        principal_minor: principal,
        interest_minor: interest,
    }
    .encode();
    let settle = finhub_store::settlement_account_id(INSURER, Currency::KRW);
    let leg = |account: &str, amount_minor: i64| Leg {
        account_id: account.into(),
        amount_minor,
        currency: Currency::KRW,
        memo: memo.clone(),
        counterparty: "DB손해보험".into(),
    };
    let req = TransferRequest {
        scope: "insu-test".into(),
        key: uuid::Uuid::new_v4().to_string(),
        at,
        kind: EntryKind::Transfer,
        legs: vec![
            leg(&w.bank.account_id, -(principal + interest)),
            leg(&w.loan.account_id, principal),
            leg(&settle, interest),
        ],
        limits: vec![],
        meta: Value::Null,
    };
    let out = app.world.transfer(req).await.unwrap();
    assert!(out.result.is_ok(), "{out:?}");
}

async fn app_at_now() -> TestApp {
    TestApp::builder().now(NOW).spawn().await
}

fn body(asset: &Held) -> Value {
    json!({"org_code": INSURER, "insu_num": asset.asset, "search_timestamp": 0})
}

fn window(org: &str, key: &str, asset: &Held, extra: Value) -> Value {
    let mut b = json!({"org_code": org, key: asset.asset, "from_date": "20260101",
        "to_date": "20261210"});
    for (k, v) in extra.as_object().unwrap() {
        b[k] = v.clone();
    }
    b
}

async fn consented(app: &TestApp) -> (World, Session<'_>) {
    let w = world(app).await;
    let op = app.operator("보험 앱").await;
    let s = op.consent(&w.person_id, INSURER, ALL, None).await;
    (w, s)
}

#[tokio::test]
async fn an_operator_reads_an_insurer_as_the_world_holds_it() {
    let app = app_at_now().await;
    let (w, s) = consented(&app).await;

    // 공통-001: exactly the insurer's APIs, no bank's, no guarantee insurer's.
    let apis = s
        .md_get(&format!("/v1/insu/apis?org_code={INSURER}&client_id=x"))
        .await;
    assert_rsp(&apis, "00000");
    let codes: Vec<&str> = list(&apis, "api_list")
        .iter()
        .map(|a| a["api_code"].as_str().unwrap())
        .collect();
    for c in [
        "IS01", "IS02", "IS03", "IS04", "IS05", "IS06", "IS07", "IS08", "IS11", "IS12", "IS13",
        "IS14", "IR01",
    ] {
        assert!(codes.contains(&c), "{c} in {codes:?}");
    }
    assert!(
        !codes.contains(&"BA01") && !codes.contains(&"GI01"),
        "{codes:?}"
    );

    policies_and_basic(&s, &w).await;
    contracts(&s, &w).await;
    car_and_coverages(&s, &w).await;
    payment(&s, &w).await;
    premiums_paid(&s, &w).await;
    loans(&s, &w).await;
    loan_transactions(&s, &w).await;
}

/// 보험-001 and 002.
async fn policies_and_basic(s: &Session<'_>, w: &World) {
    let r = s
        .md_get(&format!(
            "/v1/insu/insurances?org_code={INSURER}&search_timestamp=0"
        ))
        .await;
    assert_rsp(&r, "00000");
    assert_eq!(r["insu_cnt"], 2, "{r}");
    let items = list(&r, "insu_list");
    let of = |h: &Held| {
        items
            .iter()
            .find(|i| i["insu_num"] == h.asset.as_str())
            .unwrap()
    };
    let (h, c) = (of(&w.health), of(&w.car));
    assert_eq!(
        (&h["insu_type"], &h["insu_status"], &h["is_consent"]),
        (&json!("02"), &json!("01"), &json!(true))
    );
    assert_eq!(c["insu_type"], "05");
    assert!(h["prod_name"].as_str().is_some_and(|n| !n.is_empty()));
    assert!(r["search_timestamp"].as_i64().unwrap() >= 20261210120000);

    let b = s
        .md_post("/v1/insu/insurances/basic", body(&w.health))
        .await;
    assert_rsp(&b, "00000");
    assert_eq!(
        (
            &b["issue_date"],
            &b["exp_date"],
            &b["face_amt"],
            &b["currency_code"]
        ),
        (
            &json!("20260125"),
            &json!("20560125"),
            &json!(50_000_000),
            &json!("KRW")
        )
    );
    assert_eq!(
        (
            &b["is_renewable"],
            &b["is_universal"],
            &b["is_variable"],
            &b["is_loanable"]
        ),
        (&json!(true), &json!(true), &json!(false), &json!(true))
    );
    assert_eq!(b["insured_cnt"], 2);
    assert_eq!(
        b["insured_list"][1],
        json!({"insured_no": "02", "insured_name": "이배우", "is_primary": false})
    );
    assert!(b.body.get("pension_rcv_start_date").is_none(), "{b}");
}

/// The named fields of an answer (or a list item), in order, as one array.
fn pick(v: &Value, keys: &[&str]) -> Value {
    Value::Array(keys.iter().map(|k| v[*k].clone()).collect())
}

/// 보험-003: the main contract and riders of each insured.
async fn contracts(s: &Session<'_>, w: &World) {
    let mut req = body(&w.health);
    req["insured_no"] = "01".into();
    let path = "/v1/insu/insurances/contracts";
    let r = s.md_post(path, req.clone()).await;
    assert_rsp(&r, "00000");
    assert_eq!(r["contract_cnt"], 2, "{r}");
    let keys = [
        "contract_name",
        "is_required",
        "contract_face_amt",
        "contract_status",
    ];
    assert_eq!(
        pick(&r["contract_list"][0], &keys),
        json!(["무배당 건강보험 주계약", true, 50_000_000, "01"])
    );
    assert_eq!(r["contract_list"][1]["is_required"], false);
    req["insured_no"] = "02".into();
    let r = s.md_post(path, req).await;
    assert_eq!(
        r["contract_list"][0]["contract_name"], "배우자 상해특약",
        "{r}"
    );
}

/// 보험-004 and 012.
async fn car_and_coverages(s: &Session<'_>, w: &World) {
    let r = s.md_post("/v1/insu/insurances/car", body(&w.car)).await;
    assert_rsp(&r, "00000");
    assert_eq!(r["car_insu_cnt"], 1);
    let keys = [
        "car_number",
        "car_name",
        "contract_driver",
        "self_pay_rate",
        "self_pay_amt",
        "is_own_dmg_coverage",
        "start_date",
        "end_date",
        "car_insu_type",
    ];
    assert_eq!(
        pick(&r["car_insu_list"][0], &keys),
        json!([
            "12가3456",
            "아반떼",
            "부부한정",
            "20",
            500_000,
            true,
            "20260302",
            "20270302",
            "01"
        ])
    );
    // A policy that is not a car policy has no car information.
    let r = s.md_post("/v1/insu/insurances/car", body(&w.health)).await;
    assert_rsp(&r, "40402");

    let r = s
        .md_post("/v1/insu/insurances/coverages", body(&w.health))
        .await;
    assert_rsp(&r, "00000");
    assert_eq!(r["coverage_cnt"], 3);
    let keys = [
        "coverage_code",
        "type",
        "relation",
        "status",
        "coverage_amt",
        "coverage_num",
    ];
    let cv: Vec<Value> = list(&r, "coverage_list")
        .iter()
        .map(|c| pick(c, &keys))
        .collect();
    assert_eq!(
        cv,
        [
            json!(["A1001", "1", "01", "1", 30_000_000, "CVA1001"]),
            json!(["B2001", "2", "01", "1", 50_000_000, "CVB2001"]),
            json!(["C3001", "1", "99", "2", 10_000_000, "CVC3001"]),
        ]
    );
}

/// 보험-005.
async fn payment(s: &Session<'_>, w: &World) {
    let r = s
        .md_post("/v1/insu/insurances/payment", body(&w.health))
        .await;
    assert_rsp(&r, "00000");
    let keys = [
        "pay_cycle",
        "pay_due",
        "pay_cnt",
        "pay_date",
        "pay_org_code",
        "pay_account_num",
        "pay_amt",
        "is_auto_pay",
        "pay_end_date",
        "currency_code",
    ];
    assert_eq!(
        pick(&r.body, &keys),
        json!([
            "1M",
            "01",
            120,
            "25",
            "00000004",
            w.bank.asset,
            PREMIUM,
            true,
            "20351225",
            "KRW"
        ])
    );
    let r = s.md_post("/v1/insu/insurances/payment", body(&w.car)).await;
    assert_eq!(
        pick(&r.body, &["pay_cycle", "pay_due"]),
        json!(["00", "04"]),
        "{r}"
    );
}

/// 보험-006 and 007.
async fn premiums_paid(s: &Session<'_>, w: &World) {
    let tx = window(INSURER, "insu_num", &w.health, json!({}));
    let r = s.md_post("/v1/insu/insurances/transactions", tx).await;
    assert_rsp(&r, "00000");
    assert_eq!(r["trans_cnt"], 11, "{r}");
    let t = list(&r, "trans_list");
    assert_eq!(
        t[0],
        json!({"trans_date": "20261125", "trans_applied_month": 202611, "paid_in_cnt": 11,
            "paid_amt": PREMIUM, "currency_code": "KRW", "pay_method": "01"})
    );
    assert_eq!(
        pick(&t[10], &["paid_in_cnt", "trans_date"]),
        json!([1, "20260125"])
    );
    assert!(r.body.get("next_page").is_none());

    let car_req = |plate: &str| window(INSURER, "insu_num", &w.car, json!({"car_number": plate}));
    let path = "/v1/insu/insurances/car/transactions";
    let r = s.md_post(path, car_req("12가3456")).await;
    assert_rsp(&r, "00000");
    assert_eq!(r["trans_cnt"], 1);
    let keys = [
        "face_amt",
        "paid_amt",
        "paid_in_cnt",
        "pay_method",
        "trans_dtime",
        "pay_account_num",
    ];
    assert_eq!(
        pick(&r["trans_list"][0], &keys),
        json!([
            CAR_PREMIUM,
            CAR_PREMIUM,
            1,
            "01",
            "20260302093000",
            w.bank.asset
        ])
    );
    assert_rsp(&s.md_post(path, car_req("99하9999")).await, "40402");
    assert_rsp(&s.md_post(path, car_req("")).await, "40001");
}

/// 보험-008..010.
async fn loans(s: &Session<'_>, w: &World) {
    let r = s
        .md_get(&format!("/v1/insu/loans?org_code={INSURER}"))
        .await;
    assert_rsp(&r, "00000");
    assert_eq!(r["loan_cnt"], 1);
    let keys = [
        "account_num",
        "account_type",
        "account_status",
        "is_consent",
    ];
    assert_eq!(
        pick(&r["loan_list"][0], &keys),
        json!([w.loan.asset, "3400", "01", true])
    );
    let req = json!({"org_code": INSURER, "account_num": w.loan.asset, "search_timestamp": 0});
    let b = s.md_post("/v1/insu/loans/basic", req.clone()).await;
    assert_rsp(&b, "00000");
    let keys = [
        "insu_num",
        "repay_method",
        "repay_date",
        "loan_exp_date",
        "repay_account_num",
    ];
    assert_eq!(
        pick(&b.body, &keys),
        json!([w.health.asset, "02", "01", "20270901", w.bank.asset])
    );
    let d = s.md_post("/v1/insu/loans/detail", req).await;
    assert_rsp(&d, "00000");
    let keys = ["balance_amt", "loan_principal", "next_repay_date"];
    assert_eq!(
        pick(&d.body, &keys),
        json!([800_000, 1_000_000, "20270101"])
    );
}

/// 보험-011.
async fn loan_transactions(s: &Session<'_>, w: &World) {
    let tx = window(INSURER, "account_num", &w.loan, json!({}));
    let r = s.md_post("/v1/insu/loans/transactions", tx).await;
    assert_rsp(&r, "00000");
    assert_eq!(r["trans_cnt"], 3, "{r}");
    let t = list(&r, "trans_list");
    let keys = [
        "trans_type",
        "trans_amt",
        "loan_paid_amt",
        "int_paid_amt",
        "int_cnt",
    ];
    assert_eq!(
        pick(&t[0], &keys),
        json!(["02", 105_000, 100_000, 5_000, 1])
    );
    assert_eq!(
        t[0]["int_list"][0],
        json!({"int_start_date": "20261001", "int_end_date": "20261031", "int_rate": 6.0,
            "int_type": "01"})
    );
    assert_eq!(pick(&t[2], &keys), json!(["01", 1_000_000, 0, 0, 0]));
}

#[tokio::test]
async fn a_premium_paid_from_the_bank_shows_on_both_sides() {
    let app = app_at_now().await;
    let w = world(&app).await;
    let memo = premium_memo(202612, 12);
    pay(
        &app,
        (&w.bank.account_id, &w.health.account_id),
        PREMIUM,
        &memo,
        app.clock.now(),
    )
    .await;
    let op = app.operator("보험 앱").await;
    let insu = op.consent(&w.person_id, INSURER, ALL, None).await;
    let r = insu
        .md_post(
            "/v1/insu/insurances/transactions",
            window(INSURER, "insu_num", &w.health, json!({"limit": 1})),
        )
        .await;
    assert_rsp(&r, "00000");
    let t = &r["trans_list"][0];
    assert_eq!(
        (
            &t["trans_date"],
            &t["trans_applied_month"],
            &t["paid_in_cnt"],
            &t["paid_amt"]
        ),
        (
            &json!("20261210"),
            &json!(202612),
            &json!(12),
            &json!(PREMIUM)
        )
    );
    let bank = op
        .consent(&w.person_id, BANK, "bank.list bank.deposit", None)
        .await;
    let r = bank
        .md_post(
            "/v1/bank/accounts/deposit/transactions",
            json!({"org_code": BANK, "account_num": w.bank.asset, "from_date": "20261201",
                "to_date": "20261210", "limit": 1}),
        )
        .await;
    assert_rsp(&r, "00000");
    let line = &r["trans_list"][0];
    assert_eq!(line["trans_amt"], PREMIUM, "{r}");
    assert_eq!(line["trans_dtime"].as_str().unwrap()[..8], *"20261210");
    // The policy's balance is what was paid: 12 premiums.
    let policy = app.world.account(&w.health.account_id).await.unwrap();
    assert_eq!(policy.balance_minor, 12 * PREMIUM);
}

#[tokio::test]
async fn a_policy_left_out_of_the_consent_is_listed_unconsented_and_refused() {
    let app = app_at_now().await;
    let w = world(&app).await;
    let op = app.operator("보험 앱").await;
    let s = op
        .consent(&w.person_id, INSURER, ALL, Some(&[w.car.asset.as_str()]))
        .await;
    let r = s
        .md_get(&format!("/v1/insu/insurances?org_code={INSURER}"))
        .await;
    assert_rsp(&r, "00000");
    let flag = |h: &Held| {
        list(&r, "insu_list")
            .iter()
            .find(|i| i["insu_num"] == h.asset.as_str())
            .unwrap()["is_consent"]
            .clone()
    };
    assert_eq!((flag(&w.car), flag(&w.health)), (json!(true), json!(false)));
    assert_rsp(
        &s.md_post("/v1/insu/insurances/car", body(&w.car)).await,
        "00000",
    );
    for path in ["basic", "payment", "coverages"] {
        let r = s
            .md_post(&format!("/v1/insu/insurances/{path}"), body(&w.health))
            .await;
        assert_rsp(&r, "40105");
    }
    let mut req = body(&w.health);
    req["insured_no"] = "01".into();
    assert_rsp(
        &s.md_post("/v1/insu/insurances/contracts", req).await,
        "40105",
    );
    let tx = window(INSURER, "insu_num", &w.health, json!({}));
    assert_rsp(
        &s.md_post("/v1/insu/insurances/transactions", tx).await,
        "40105",
    );
    let loans = s
        .md_get(&format!("/v1/insu/loans?org_code={INSURER}"))
        .await;
    assert_eq!(loans["loan_list"][0]["is_consent"], false, "{loans}");
    let req = json!({"org_code": INSURER, "account_num": w.loan.asset});
    assert_rsp(&s.md_post("/v1/insu/loans/detail", req).await, "40105");
    let unknown = json!({"org_code": INSURER, "insu_num": "0000000000"});
    assert_rsp(
        &s.md_post("/v1/insu/insurances/basic", unknown).await,
        "40402",
    );
    // The bank account is the person's, but not a policy of the insurer.
    let bank = json!({"org_code": INSURER, "insu_num": w.bank.asset});
    assert_rsp(&s.md_post("/v1/insu/insurances/basic", bank).await, "40402");
}

#[tokio::test]
async fn an_api_outside_the_consented_scopes_is_40104() {
    let app = app_at_now().await;
    let w = world(&app).await;
    let op = app.operator("보험 앱").await;
    let s = op.consent(&w.person_id, INSURER, "insu.list", None).await;
    assert_rsp(
        &s.md_get(&format!("/v1/insu/insurances?org_code={INSURER}"))
            .await,
        "00000",
    );
    assert_rsp(
        &s.md_get(&format!("/v1/insu/loans?org_code={INSURER}"))
            .await,
        "00000",
    );
    for path in ["basic", "contracts", "car", "payment", "coverages"] {
        let r = s
            .md_post(&format!("/v1/insu/insurances/{path}"), body(&w.health))
            .await;
        assert_rsp(&r, "40104");
    }
    let tx = window(
        INSURER,
        "insu_num",
        &w.car,
        json!({"car_number": "12가3456"}),
    );
    for path in ["transactions", "car/transactions"] {
        let r = s
            .md_post(&format!("/v1/insu/insurances/{path}"), tx.clone())
            .await;
        assert_rsp(&r, "40104");
    }
    let loan = window(INSURER, "account_num", &w.loan, json!({}));
    for path in ["basic", "detail", "transactions"] {
        let r = s
            .md_post(&format!("/v1/insu/loans/{path}"), loan.clone())
            .await;
        assert_rsp(&r, "40104");
    }
    let s = op
        .consent(&w.person_id, INSURER, "insu.insurance", None)
        .await;
    // The list scope comes with every consent at the insurer; insu.loan does not.
    assert_rsp(
        &s.md_post("/v1/insu/insurances/basic", body(&w.health))
            .await,
        "00000",
    );
    let loan = json!({"org_code": INSURER, "account_num": w.loan.asset});
    assert_rsp(&s.md_post("/v1/insu/loans/detail", loan).await, "40104");
    let other = format!("/v1/insu/insurances?org_code={OTHER_INSURER}");
    assert_rsp(&s.md_get(&other).await, "40303");
}

#[tokio::test]
async fn bad_history_requests_get_their_codes() {
    let app = app_at_now().await;
    let (w, s) = consented(&app).await;
    let tx = "/v1/insu/insurances/transactions";
    let with = |extra: Value| window(INSURER, "insu_num", &w.health, extra);
    for (extra, code) in [
        (json!({"from_date": "20261211"}), "40001"),
        (json!({"to_date": "2026-12-10"}), "40001"),
        (json!({"from_date": null}), "40001"),
        (json!({"from_date": "20211209"}), "40304"),
        (json!({"limit": 501}), "42901"),
        (json!({"limit": 0}), "40001"),
        (json!({"next_page": "%%%"}), "40001"),
        (json!({"next_page": "bm9wZQ"}), "40001"),
        (json!({"org_code": OTHER_INSURER}), "40303"),
        (json!({"insu_num": ""}), "40001"),
        (json!({"insu_num": 5}), "40001"),
    ] {
        let r = s.md_post(tx, with(extra.clone())).await;
        assert_rsp(&r, code);
        assert_eq!(
            r.status.as_u16(),
            code[..3].parse::<u16>().unwrap(),
            "{extra}"
        );
    }
    let loan_tx = window(
        INSURER,
        "account_num",
        &w.loan,
        json!({"to_date": "20261301"}),
    );
    assert_rsp(
        &s.md_post("/v1/insu/loans/transactions", loan_tx).await,
        "40001",
    );
}

#[tokio::test]
async fn bad_input_gets_its_code_and_changes_nothing() {
    let app = app_at_now().await;
    let (w, s) = consented(&app).await;
    let before = app.world.account(&w.health.account_id).await.unwrap();
    for path in ["basic", "car", "payment", "coverages", "contracts"] {
        let p = format!("/v1/insu/insurances/{path}");
        assert_rsp(&s.md_post(&p, json!({"org_code": INSURER})).await, "40001");
        assert_rsp(&s.md_post(&p, json!("not an object")).await, "40001");
        let ts = json!({"org_code": INSURER, "insu_num": w.health.asset,
            "insured_no": "01", "search_timestamp": "2026"});
        assert_rsp(&s.md_post(&p, ts).await, "40001");
    }
    let contracts = "/v1/insu/insurances/contracts";
    assert_rsp(&s.md_post(contracts, body(&w.health)).await, "40001");
    let mut nobody = body(&w.health);
    nobody["insured_no"] = "09".into();
    assert_rsp(&s.md_post(contracts, nobody).await, "40402");
    for path in ["basic", "detail"] {
        let p = format!("/v1/insu/loans/{path}");
        assert_rsp(&s.md_post(&p, json!({"org_code": INSURER})).await, "40001");
    }
    assert_rsp(
        &s.md_get("/v1/insu/insurances?search_timestamp=0").await,
        "40001",
    );
    let ts = format!("/v1/insu/loans?org_code={INSURER}&search_timestamp=abc");
    assert_rsp(&s.md_get(&ts).await, "40001");
    let many = format!("/v1/insu/insurances?org_code={INSURER}&limit=501");
    assert_rsp(&s.md_get(&many).await, "42901");
    let req = axum::http::Request::post("/v1/insu/insurances/basic")
        .header("authorization", format!("Bearer {}", s.access))
        .header("x-api-tran-id", s.tran_id())
        .header("content-type", "application/json")
        .body(axum::body::Body::from("{not json"))
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.body["rsp_code"], "40001");
    let after = app.world.account(&w.health.account_id).await.unwrap();
    assert_eq!(before, after, "a refused call writes nothing");
}

/// Follow `next_page` from the first page of `first` to the end: each page's
/// list, in order.
async fn pages(s: &Session<'_>, path: &str, first: Value, field: &str) -> Vec<Vec<Value>> {
    let (mut all, mut req) = (Vec::new(), first);
    loop {
        let r = s.md_post(path, req.clone()).await;
        assert_rsp(&r, "00000");
        let items = list(&r, field).clone();
        assert_eq!(r["trans_cnt"], items.len());
        all.push(items);
        match r.body.get("next_page").and_then(Value::as_str) {
            Some(n) => req["next_page"] = n.into(),
            None => return all,
        }
    }
}

#[tokio::test]
async fn histories_and_lists_page_to_the_end() {
    let app = app_at_now().await;
    let (w, s) = consented(&app).await;
    let first = window(INSURER, "insu_num", &w.health, json!({"limit": 4}));
    let got = pages(&s, "/v1/insu/insurances/transactions", first, "trans_list").await;
    let sizes: Vec<usize> = got.iter().map(Vec::len).collect();
    assert_eq!(sizes, [4, 4, 3]);
    let counts: Vec<i64> = got
        .iter()
        .flatten()
        .map(|t| t["paid_in_cnt"].as_i64().unwrap())
        .collect();
    assert_eq!(counts, (1..=11).rev().collect::<Vec<i64>>(), "newest first");
    let first = window(INSURER, "account_num", &w.loan, json!({"limit": 2}));
    let got = pages(&s, "/v1/insu/loans/transactions", first, "trans_list").await;
    assert_eq!(got.iter().map(Vec::len).collect::<Vec<_>>(), [2, 1]);

    // The policy list, one a page: the timestamp on the first page only.
    let path = format!("/v1/insu/insurances?org_code={INSURER}&limit=1&search_timestamp=0");
    let p1 = s.md_get(&path).await;
    assert_rsp(&p1, "00000");
    assert_eq!(p1["insu_cnt"], 1);
    assert!(p1.body.get("search_timestamp").is_some());
    let next = p1["next_page"].as_str().expect("a second page").to_owned();
    let p2 = s.md_get(&format!("{path}&next_page={next}")).await;
    assert_rsp(&p2, "00000");
    assert_eq!(p2["insu_cnt"], 1);
    assert!(p2.body.get("next_page").is_none() && p2.body.get("search_timestamp").is_none());
    assert_ne!(
        p1["insu_list"][0]["insu_num"],
        p2["insu_list"][0]["insu_num"]
    );
}

#[tokio::test]
async fn a_second_sync_with_nothing_new_is_up_to_date() {
    let app = app_at_now().await;
    let (w, s) = consented(&app).await;
    app.advance(60).await;
    let list_path = format!("/v1/insu/insurances?org_code={INSURER}&search_timestamp=0");
    let first = s.md_get(&list_path).await;
    let ts = first["search_timestamp"].as_i64().unwrap();
    app.advance(60).await;
    let again = s
        .md_get(&format!(
            "/v1/insu/insurances?org_code={INSURER}&search_timestamp={ts}"
        ))
        .await;
    assert_rsp(&again, "00001");
    assert!(again.body.get("insu_list").is_none(), "{again}");
    assert!(again["search_timestamp"].as_i64().unwrap() > ts);
    let mut contracts = body(&w.health);
    contracts["insured_no"] = "01".into();
    for (path, mut req) in [
        ("basic", body(&w.health)),
        ("contracts", contracts),
        ("car", body(&w.car)),
        ("payment", body(&w.health)),
        ("coverages", body(&w.health)),
    ] {
        let p = format!("/v1/insu/insurances/{path}");
        let r = s.md_post(&p, req.clone()).await;
        assert_rsp(&r, "00000");
        req["search_timestamp"] = r["search_timestamp"].as_i64().unwrap().to_string().into();
        assert_rsp(&s.md_post(&p, req).await, "00001");
    }
    let loans = s
        .md_get(&format!("/v1/insu/loans?org_code={INSURER}"))
        .await;
    let ts = loans["search_timestamp"].as_i64().unwrap();
    let again = format!("/v1/insu/loans?org_code={INSURER}&search_timestamp={ts}");
    assert_rsp(&s.md_get(&again).await, "00001");
    // A repayment moves the loan's detail, not its basic information.
    let req =
        |ts: i64| json!({"org_code": INSURER, "account_num": w.loan.asset, "search_timestamp": ts});
    let d = s.md_post("/v1/insu/loans/detail", req(0)).await;
    let b = s.md_post("/v1/insu/loans/basic", req(0)).await;
    let (dts, bts) = (
        d["search_timestamp"].as_i64().unwrap(),
        b["search_timestamp"].as_i64().unwrap(),
    );
    app.advance(60).await;
    repay(&app, &w, 100_000, 4_000, app.clock.now()).await;
    let d = s.md_post("/v1/insu/loans/detail", req(dts)).await;
    assert_rsp(&d, "00000");
    assert_eq!(d["balance_amt"], 700_000);
    assert_rsp(&s.md_post("/v1/insu/loans/basic", req(bts)).await, "00001");
}

/// 공통-001 at the guarantee insurer: its APIs only.
async fn ginsu_apis(s: &Session<'_>) {
    let apis = s
        .md_get(&format!("/v1/ginsu/apis?org_code={GUARANTOR}&client_id=x"))
        .await;
    let codes: Vec<&str> = list(&apis, "api_list")
        .iter()
        .map(|a| a["api_code"].as_str().unwrap())
        .collect();
    for c in ["GI01", "GI02", "GI03"] {
        assert!(codes.contains(&c), "{c} in {codes:?}");
    }
    assert!(
        !codes.contains(&"IS01") && !codes.contains(&"IR01"),
        "{codes:?}"
    );
}

#[tokio::test]
async fn a_guarantee_insurer_serves_its_policies_and_premiums() {
    let app = app_at_now().await;
    let w = world(&app).await;
    let op = app.operator("보증 앱").await;
    let s = op
        .consent(&w.person_id, GUARANTOR, GALL, Some(&[w.g1.asset.as_str()]))
        .await;
    ginsu_apis(&s).await;

    let r = s
        .md_get(&format!(
            "/v1/ginsu/insurances?org_code={GUARANTOR}&search_timestamp=0"
        ))
        .await;
    assert_rsp(&r, "00000");
    assert_eq!(r["insu_cnt"], 2);
    let item = |h: &Held| {
        list(&r, "insu_list")
            .iter()
            .find(|i| i["insu_num"] == h.asset.as_str())
            .unwrap()
            .clone()
    };
    assert_eq!(
        (&item(&w.g1)["is_consent"], &item(&w.g1)["insu_type"]),
        (&json!(true), &json!("07"))
    );
    assert_eq!(item(&w.g2)["is_consent"], false);

    let g = |h: &Held| json!({"org_code": GUARANTOR, "insu_num": h.asset, "search_timestamp": 0});
    let b = s.md_post("/v1/ginsu/insurances/basic", g(&w.g1)).await;
    assert_rsp(&b, "00000");
    let keys = [
        "issue_date",
        "exp_date",
        "face_amt",
        "pay_due",
        "pay_amt",
        "insured_cnt",
    ];
    assert_eq!(
        pick(&b.body, &keys),
        json!(["20260125", "20280531", 300_000_000, "04", 85_000, 1])
    );
    assert_eq!(b["insured_list"], json!([{"insured_name": "김보험"}]));
    let tx = window(GUARANTOR, "insu_num", &w.g1, json!({}));
    let r = s.md_post("/v1/ginsu/insurances/transactions", tx).await;
    assert_rsp(&r, "00000");
    assert_eq!(
        r["trans_list"],
        json!([{"paid_in_cnt": 1, "trans_date": "20260601", "paid_amt": 85_000,
            "currency_code": "KRW", "pay_method": "01"}])
    );
    // The unconsented guarantee: 40105; the insurer's scopes do not open these.
    assert_rsp(
        &s.md_post("/v1/ginsu/insurances/basic", g(&w.g2)).await,
        "40105",
    );
    let tx = window(GUARANTOR, "insu_num", &w.g2, json!({}));
    assert_rsp(
        &s.md_post("/v1/ginsu/insurances/transactions", tx).await,
        "40105",
    );
    let bad = window(GUARANTOR, "insu_num", &w.g1, json!({"from_date": "2026"}));
    assert_rsp(
        &s.md_post("/v1/ginsu/insurances/transactions", bad).await,
        "40001",
    );
    let insu = s.md_post("/v1/insu/insurances/basic", g(&w.g1)).await;
    assert_rsp(&insu, "40104");
}

#[tokio::test]
async fn the_document_describes_every_insurance_api() {
    let app = app_at_now().await;
    let r = app.get("/openapi/mydata.json").await;
    let paths = &r.body["paths"];
    for p in [
        "/v1/insu/insurances/basic",
        "/v1/insu/insurances/contracts",
        "/v1/insu/insurances/car",
        "/v1/insu/insurances/payment",
        "/v1/insu/insurances/transactions",
        "/v1/insu/insurances/car/transactions",
        "/v1/insu/insurances/coverages",
        "/v1/insu/loans/basic",
        "/v1/insu/loans/detail",
        "/v1/insu/loans/transactions",
        "/v1/ginsu/insurances/basic",
        "/v1/ginsu/insurances/transactions",
    ] {
        assert!(paths[p]["post"].is_object(), "{p}");
    }
    for p in [
        "/v1/insu/insurances",
        "/v1/insu/loans",
        "/v1/ginsu/insurances",
    ] {
        assert!(paths[p]["get"].is_object(), "{p}");
    }
    let text = paths.to_string();
    for id in (1..=12)
        .map(|n| format!("보험-{n:03}"))
        .chain((1..=3).map(|n| format!("보증보험-{n:03}")))
    {
        assert!(text.contains(&id), "{id} named in the document");
    }
    let tags = r.body["tags"].to_string();
    assert!(
        tags.contains("mydata.md §11") && tags.contains("finhub's"),
        "{tags}"
    );
}

#[tokio::test]
async fn a_policy_closed_after_the_consent_is_listed_closed_and_refused() {
    let app = app_at_now().await;
    let (w, s) = consented(&app).await;
    let now = app.clock.now();
    assert!(app
        .store
        .close_account(&w.car.account_id, now)
        .await
        .unwrap());
    let r = s
        .md_get(&format!("/v1/insu/insurances?org_code={INSURER}"))
        .await;
    let car = list(&r, "insu_list")
        .iter()
        .find(|i| i["insu_num"] == w.car.asset.as_str())
        .cloned()
        .unwrap_or_else(|| panic!("still listed: {r}"));
    assert_eq!(car["insu_status"], "05");
    assert_rsp(
        &s.md_post("/v1/insu/insurances/car", body(&w.car)).await,
        "40305",
    );
}

#[tokio::test]
async fn the_sandbox_lists_each_policy_with_its_apis() {
    let app = app_at_now().await;
    let w = world(&app).await;
    let path = format!("/sandbox/people/{}/assets", w.person_id);
    let r = app.admin(axum::http::Method::GET, &path, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let entry = |h: &Held| {
        list(&r, "assets")
            .iter()
            .find(|a| a["asset"] == h.asset.as_str())
            .cloned()
            .unwrap_or_else(|| panic!("{} in {}", h.asset, r.text))
    };
    let car = entry(&w.car);
    assert_eq!(
        pick(&car, &["industry", "org_code", "scope"]),
        json!(["insu", INSURER, "insu.insurance"])
    );
    let apis = car["apis"].to_string();
    assert!(
        apis.contains("보험-004") && apis.contains("보험-007"),
        "{apis}"
    );
    assert!(!entry(&w.health)["apis"].to_string().contains("보험-004"));
    assert_eq!(
        entry(&w.loan)["apis"],
        json!(["보험-009", "보험-010", "보험-011"])
    );
    assert_eq!(
        pick(&entry(&w.g1), &["industry", "scope", "apis"]),
        json!(["ginsu", "ginsu.insurance", ["보증보험-002", "보증보험-003"]])
    );
}

//! 할부금융 (할부금융-001..006), P2P (P2P-001..004) and 채권 (채권-001..003,
//! bond and usury) as an operator calls them, against a world built through
//! the ledger: loans drawn and repaid from the person's bank account, a lease
//! booked and its rents paid, bonds taken over and repaid. Each API's fields
//! are checked against that world; a contract left out of the consent reads
//! `is_consent` false and 40105; every refusal has its code.

use chrono::{DateTime, Utc};
use finhub_core::account::AccountKind;
use finhub_core::ledger::{EntryKind, Leg, TransferRequest};
use finhub_core::merchant::LoanMemo;
use finhub_core::money::Currency;
use finhub_core::product::lending::{monthly_interest, BondKind, LendingKind};
use finhub_core::product::{
    BondTerms, LeaseTerms, LendingTerms, LoanTerms, LoanType, ProductTerms, RepayMethod,
};
use finhub_core::repo::{AccountRepo, PartyRepo};
use finhub_testkit::mydata::{
    assert_rsp, day, kst_at, list, Held, Line, Operator, Product, Session,
};
use finhub_testkit::{Resp, TestApp};
use serde_json::{json, Value};

const CAPITAL: &str = "CP00000001";
const P2P: &str = "PP00000001";
const BOND: &str = "BD00000001";
const USURY: &str = "UR00000001";
/// The products open on 2026-03-01 12:00 KST; the test runs on 2026-12-10 12:00 KST.
const START: &str = "2026-03-01T03:00:00Z";
const NOW: &str = "2026-12-10T03:00:00Z";
const FROM: &str = "20260301";
const TO: &str = "20261210";

fn loan(loan_type: LoanType, rate_milli: i64, principal: i64, method: RepayMethod) -> LoanTerms {
    LoanTerms {
        loan_type,
        rate_milli,
        principal_minor: principal,
        repay_method: method,
        repay_day: Some(25),
        repay_account_id: None,
        exp_date: day(2029, 2, 25),
        secured_by: None,
    }
}

fn product(floor: i64, terms: ProductTerms) -> Product {
    Product {
        kind: AccountKind::Loan,
        floor,
        terms,
    }
}

/// The drawdown (a lease's start, a bond's takeover): `amount` owed.
async fn draw(app: &TestApp, on: &Held, amount: i64, at: DateTime<Utc>) {
    let memo = LoanMemo::Drawdown.encode();
    let line = Line {
        kind: EntryKind::Transfer,
        amount: -amount,
        memo: &memo,
        counterparty: "김대출",
        at,
    };
    app.post_at(&on.account_id, line).await;
}

/// A repayment from the bank account: the principal into the loan, the
/// interest to the lender, one entry.
struct Repay<'a> {
    bank: &'a Held,
    loan: &'a Held,
    org: &'a str,
    principal: i64,
    interest: i64,
    at: DateTime<Utc>,
}

async fn repay(app: &TestApp, r: Repay<'_>) {
    let memo = LoanMemo::Repayment {
        principal_minor: r.principal,
        interest_minor: r.interest,
    }
    .encode();
    let leg = |account: &str, amount_minor: i64| Leg {
        account_id: account.into(),
        amount_minor,
        currency: Currency::KRW,
        memo: memo.clone(),
        counterparty: "김대출".into(),
    };
    let settle = finhub_store::settlement_account_id(r.org, Currency::KRW);
    let mut legs = vec![
        leg(&r.bank.account_id, -(r.principal + r.interest)),
        leg(&r.loan.account_id, r.principal),
    ];
    if r.interest > 0 {
        legs.push(leg(&settle, r.interest));
    }
    let req = TransferRequest {
        scope: "lending-test".into(),
        key: uuid::Uuid::new_v4().to_string(),
        at: r.at,
        kind: EntryKind::Transfer,
        legs,
        limits: vec![],
        meta: Value::Null,
    };
    let out = app.world.transfer(req).await.unwrap();
    assert!(out.result.is_ok(), "{out:?}");
}

/// Monthly repayments of `principal` plus the month's interest on what was
/// owed, on `day` of each month in `months` (2026).
struct Schedule<'a> {
    org: &'a str,
    owed: i64,
    principal: i64,
    rate_milli: i64,
    day: u32,
    months: std::ops::RangeInclusive<u32>,
}

async fn repay_monthly(app: &TestApp, bank: &Held, loan: &Held, s: Schedule<'_>) -> Vec<i64> {
    let mut owed = s.owed;
    let mut interests = Vec::new();
    for m in s.months {
        let interest = monthly_interest(owed, s.rate_milli);
        let r = Repay {
            bank,
            loan,
            org: s.org,
            principal: s.principal,
            interest,
            at: kst_at(2026, m, s.day, 9, 0),
        };
        repay(app, r).await;
        owed -= s.principal;
        interests.push(interest);
    }
    interests
}

/// A person with a bank account and, at each lender, what the module serves.
struct World {
    person_id: String,
    bank: Held,
    /// 할부금융: an instalment loan, a credit loan (left out of the partial
    /// consent) and an operating lease.
    instalment: Held,
    credit: Held,
    lease: Held,
    /// The instalment loan's interest parts, oldest first.
    instalment_interest: Vec<i64>,
    /// P2P: a real-estate secured loan and a credit loan.
    secured: Held,
    personal: Held,
    /// A card bill's claim at the debt buyer, a second bond, the money lender's loan.
    card_bond: Held,
    other_bond: Held,
    usury: Held,
}

async fn app_at_start() -> TestApp {
    TestApp::builder().now(START).spawn().await
}

/// Opens everything at START, moves the clock to NOW, then writes the
/// histories (all in the past).
async fn world(app: &TestApp) -> World {
    let p = app
        .sandbox_person("김대출", "010-4400-0001", 30_000_000)
        .await;
    let acc = &p.accounts[0];
    let bank = Held {
        account_id: acc.id.clone(),
        account_num: acc.num.clone(),
        asset: acc.num.replace('-', ""),
    };
    let id = p.person_id.as_str();
    let (instalment, credit, lease) = capital_products(app, id, &bank).await;
    let (secured, personal) = p2p_loans(app, id).await;
    let (card_bond, other_bond, usury) = bonds(app, id).await;
    let secs = (DateTime::parse_from_rfc3339(NOW)
        .unwrap()
        .with_timezone(&Utc)
        - app.clock.now())
    .num_seconds();
    app.advance(secs).await;
    let mut w = World {
        person_id: p.person_id.clone(),
        bank,
        instalment,
        credit,
        lease,
        instalment_interest: vec![],
        secured,
        personal,
        card_bond,
        other_bond,
        usury,
    };
    histories(app, &mut w).await;
    w
}

/// At the installment-finance company: an instalment loan and a lease
/// repaid from `bank`, and a credit loan.
async fn capital_products(app: &TestApp, id: &str, bank: &Held) -> (Held, Held, Held) {
    let mut inst = loan(
        LoanType::Instalment,
        6_900,
        12_000_000,
        RepayMethod::EqualPayment,
    );
    inst.repay_account_id = Some(bank.account_id.clone());
    let instalment = app
        .open_product(id, CAPITAL, product(-12_000_000, ProductTerms::Loan(inst)))
        .await;
    app.advance(1).await;
    let credit_terms = loan(LoanType::Credit, 11_000, 2_000_000, RepayMethod::Bullet);
    let credit = app
        .open_product(
            id,
            CAPITAL,
            product(-2_000_000, ProductTerms::Loan(credit_terms)),
        )
        .await;
    app.advance(1).await;
    let lease_terms = LeaseTerms {
        item: "그랜저 2.5 가솔린".into(),
        issue_date: day(2026, 3, 1),
        exp_date: day(2029, 3, 1),
        monthly_minor: 650_000,
        repay_day: 15,
        repay_account_id: Some(bank.account_id.clone()),
    };
    let rents = lease_terms.total_rent_minor();
    assert_eq!(rents, 23_400_000);
    let lease = app
        .open_product(
            id,
            CAPITAL,
            product(-rents, ProductTerms::Lease(lease_terms)),
        )
        .await;
    app.advance(1).await;
    (instalment, credit, lease)
}

async fn p2p_loans(app: &TestApp, id: &str) -> (Held, Held) {
    let mut l = loan(
        LoanType::Credit,
        9_500,
        10_000_000,
        RepayMethod::EqualPrincipal,
    );
    l.repay_day = Some(10);
    l.exp_date = day(2027, 3, 10);
    let secured = LendingTerms {
        kind: LendingKind::RealEstate,
        loan: l,
        ltv_milli: Some(65_500),
    };
    let secured = app
        .open_product(
            id,
            P2P,
            product(-10_000_000, ProductTerms::Lending(secured)),
        )
        .await;
    app.advance(1).await;
    let personal = LendingTerms {
        kind: LendingKind::Credit,
        loan: loan(
            LoanType::Credit,
            14_000,
            3_000_000,
            RepayMethod::EqualPayment,
        ),
        ltv_milli: None,
    };
    let personal = app
        .open_product(
            id,
            P2P,
            product(-3_000_000, ProductTerms::Lending(personal)),
        )
        .await;
    (secured, personal)
}

fn bond_terms(kind: BondKind, principal: i64, init: &str, prev: Option<&str>) -> BondTerms {
    BondTerms {
        kind,
        loan: loan(
            LoanType::Credit,
            12_000,
            principal,
            RepayMethod::EqualPrincipal,
        ),
        takeover_date: day(2026, 3, 1),
        init_org_code: init.into(),
        prev_org_code: prev.map(str::to_owned),
        debt_mgmt: kind == BondKind::Card,
    }
}

async fn bonds(app: &TestApp, id: &str) -> (Held, Held, Held) {
    let card = bond_terms(BondKind::Card, 3_200_000, "CD00000003", Some("CD00000003"));
    let card_bond = app
        .open_product(id, BOND, product(-3_200_000, ProductTerms::Bond(card)))
        .await;
    app.advance(1).await;
    let other = bond_terms(BondKind::Telecom, 400_000, "TC00000001", None);
    let other_bond = app
        .open_product(id, BOND, product(-400_000, ProductTerms::Bond(other)))
        .await;
    let own = bond_terms(BondKind::Loan, 1_500_000, USURY, None);
    let usury = app
        .open_product(id, USURY, product(-1_500_000, ProductTerms::Bond(own)))
        .await;
    (card_bond, other_bond, usury)
}

async fn histories(app: &TestApp, w: &mut World) {
    let opened = kst_at(2026, 3, 1, 13, 0);
    for (h, amount) in [
        (&w.instalment, 12_000_000),
        (&w.credit, 2_000_000),
        (&w.lease, 23_400_000),
        (&w.secured, 10_000_000),
        (&w.personal, 3_000_000),
        (&w.card_bond, 3_200_000),
        (&w.other_bond, 400_000),
        (&w.usury, 1_500_000),
    ] {
        draw(app, h, amount, opened).await;
    }
    let inst = Schedule {
        org: CAPITAL,
        owed: 12_000_000,
        principal: 300_000,
        rate_milli: 6_900,
        day: 25,
        months: 4..=11,
    };
    w.instalment_interest = repay_monthly(app, &w.bank, &w.instalment, inst).await;
    // Nine rents, 15 March to 15 November: all principal, no interest.
    let rents = Schedule {
        org: CAPITAL,
        owed: 23_400_000,
        principal: 650_000,
        rate_milli: 0,
        day: 15,
        months: 3..=11,
    };
    repay_monthly(app, &w.bank, &w.lease, rents).await;
    let p2p = Schedule {
        org: P2P,
        owed: 10_000_000,
        principal: 500_000,
        rate_milli: 9_500,
        day: 10,
        months: 4..=11,
    };
    repay_monthly(app, &w.bank, &w.secured, p2p).await;
    let bond = Schedule {
        org: BOND,
        owed: 3_200_000,
        principal: 200_000,
        rate_milli: 12_000,
        day: 20,
        months: 4..=11,
    };
    repay_monthly(app, &w.bank, &w.card_bond, bond).await;
    let usury = Schedule {
        org: USURY,
        owed: 1_500_000,
        principal: 100_000,
        rate_milli: 12_000,
        day: 5,
        months: 10..=11,
    };
    repay_monthly(app, &w.bank, &w.usury, usury).await;
}

fn asset_body(key: &str, h: &Held, org: &str) -> Value {
    json!({"org_code": org, key: h.asset, "search_timestamp": 0})
}

fn history_body(key: &str, h: &Held, org: &str, extra: Value) -> Value {
    let mut b = json!({"org_code": org, key: h.asset, "from_date": FROM, "to_date": TO});
    for (k, v) in extra.as_object().unwrap() {
        b[k] = v.clone();
    }
    b
}

fn codes(r: &Resp) -> Vec<String> {
    let mut c: Vec<String> = list(r, "api_list")
        .iter()
        .map(|a| a["api_code"].as_str().unwrap().to_owned())
        .collect();
    c.sort();
    c
}

/// Two pages of `limit` lines: the first with a cursor, the second the rest
/// (`rest` of them) without one.
async fn two_pages(s: &Session<'_>, path: &str, body: Value, limit: u64, rest: u64) -> Vec<Value> {
    let mut first = body.clone();
    first["limit"] = limit.into();
    let r = s.md_post(path, first.clone()).await;
    assert_rsp(&r, "00000");
    assert_eq!(r["trans_cnt"], limit, "{}", r.text);
    let next = r["next_page"].as_str().expect("a cursor").to_owned();
    first["next_page"] = next.into();
    let r2 = s.md_post(path, first).await;
    assert_rsp(&r2, "00000");
    assert_eq!(r2["trans_cnt"], rest, "{}", r2.text);
    assert!(r2.get("next_page").is_none(), "{}", r2.text);
    let mut all = list(&r, "trans_list").clone();
    all.extend(list(&r2, "trans_list").iter().cloned());
    all
}

const CAPITAL_SCOPE: &str = "capital.list capital.loan";

#[tokio::test]
async fn an_operator_reads_an_installment_finance_company_as_the_world_holds_it() {
    let app = app_at_start().await;
    let w = world(&app).await;
    let op = app.operator("할부 앱").await;
    let s = op.consent(&w.person_id, CAPITAL, CAPITAL_SCOPE, None).await;
    app.advance(2).await;

    // 공통-001: exactly the common and capital APIs.
    let r = s
        .md_get(&format!(
            "/v1/capital/apis?org_code={CAPITAL}&client_id=any"
        ))
        .await;
    assert_rsp(&r, "00000");
    let want = [
        "CM01", "CM02", "CP01", "CP02", "CP03", "CP04", "CP05", "CP06",
    ];
    assert_eq!(codes(&r), want);

    // 할부금융-001: the two loans and the lease, each with its kind's code.
    let r = s
        .md_get(&format!(
            "/v1/capital/loans?org_code={CAPITAL}&search_timestamp=0"
        ))
        .await;
    assert_rsp(&r, "00000");
    assert_eq!(r["account_cnt"], 3, "{}", r.text);
    let list = list(&r, "account_list");
    let item = |h: &Held| {
        list.iter()
            .find(|a| a["account_num"] == h.asset.as_str())
            .unwrap()
    };
    assert_eq!(item(&w.instalment)["account_type"], "3210");
    assert_eq!(item(&w.credit)["account_type"], "3100");
    assert_eq!(item(&w.lease)["account_type"], "3710");
    assert!(list
        .iter()
        .all(|a| a["is_consent"] == true && a["account_status"] == "01"));
    assert!(list.iter().all(|a| a.get("seqno").is_none()));
    assert_eq!(r["reg_date"], "20260301");
    let ts = r["search_timestamp"].as_i64().unwrap();

    check_loan_basic_and_detail(&s, &w).await;
    check_loan_transactions(&s, &w).await;
    check_lease(&s, &w).await;

    // A second sync: the list did not change; the loan's balance does once repaid.
    app.advance(2).await;
    let r = s
        .md_get(&format!(
            "/v1/capital/loans?org_code={CAPITAL}&search_timestamp={ts}"
        ))
        .await;
    assert_rsp(&r, "00001");
    assert!(r.get("account_list").is_none());
    let mut b = asset_body("account_num", &w.instalment, CAPITAL);
    b["search_timestamp"] = ts.into();
    let r = s.md_post("/v1/capital/loans/detail", b.clone()).await;
    assert_rsp(&r, "00001");
    let r = s.md_post("/v1/capital/loans/basic", b.clone()).await;
    assert_rsp(&r, "00001");
    let now = app.clock.now();
    repay(
        &app,
        Repay {
            bank: &w.bank,
            loan: &w.instalment,
            org: CAPITAL,
            principal: 300_000,
            interest: 0,
            at: now,
        },
    )
    .await;
    let r = s.md_post("/v1/capital/loans/detail", b).await;
    assert_rsp(&r, "00000");
    assert_eq!(r["balance_amt"], 12_000_000 - 9 * 300_000);
}

async fn check_loan_basic_and_detail(s: &Session<'_>, w: &World) {
    let r = s
        .md_post(
            "/v1/capital/loans/basic",
            asset_body("account_num", &w.instalment, CAPITAL),
        )
        .await;
    assert_rsp(&r, "00000");
    assert_eq!(r["holder_name"], "김대출");
    assert_eq!(
        (r["issue_date"].as_str(), r["exp_date"].as_str()),
        (Some("20260301"), Some("20290225"))
    );
    assert_eq!(r["last_offered_rate"], 6.9);
    assert_eq!(
        (r["repay_date"].as_str(), r["repay_method"].as_str()),
        (Some("25"), Some("03"))
    );
    assert_eq!(r["repay_account_num"], w.bank.asset.as_str());
    assert_eq!(
        r["repay_org_code"].as_str().map(str::len),
        Some(8),
        "{}",
        r.text
    );
    // The credit loan names no repayment account: the fields are left out.
    let r = s
        .md_post(
            "/v1/capital/loans/basic",
            asset_body("account_num", &w.credit, CAPITAL),
        )
        .await;
    assert_rsp(&r, "00000");
    assert!(r.get("repay_account_num").is_none() && r.get("repay_org_code").is_none());
    assert_eq!(r["repay_method"], "01");

    let r = s
        .md_post(
            "/v1/capital/loans/detail",
            asset_body("account_num", &w.instalment, CAPITAL),
        )
        .await;
    assert_rsp(&r, "00000");
    assert_eq!(r["balance_amt"], 12_000_000 - 8 * 300_000);
    assert_eq!(r["loan_principal"], 12_000_000);
    assert_eq!(r["next_repay_date"], "20261225");
    assert_eq!(r["currency_code"], "KRW");
}

async fn check_loan_transactions(s: &Session<'_>, w: &World) {
    let path = "/v1/capital/loans/transactions";
    let body = history_body("account_num", &w.instalment, CAPITAL, json!({}));
    let all = two_pages(s, path, body, 5, 4).await;
    let types: Vec<&str> = all
        .iter()
        .map(|t| t["trans_type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        ["02", "02", "02", "02", "02", "02", "02", "02", "01"]
    );
    let last = &all[0];
    let interest = *w.instalment_interest.last().unwrap();
    assert_eq!(last["trans_dtime"], "20261125090000");
    assert_eq!(last["principal_amt"], 300_000);
    assert_eq!(last["int_amt"], interest);
    assert_eq!(last["trans_amt"], 300_000 + interest);
    assert_eq!(last["balance_amt"], 12_000_000 - 8 * 300_000);
    assert_eq!(last["int_cnt"], 1);
    assert_eq!(last["int_list"][0]["int_rate"], 6.9);
    let first = &all[8];
    assert_eq!(
        (first["trans_amt"].as_i64(), first["int_cnt"].as_i64()),
        (Some(12_000_000), Some(0))
    );
}

async fn check_lease(s: &Session<'_>, w: &World) {
    let r = s
        .md_post(
            "/v1/capital/loans/oplease/basic",
            asset_body("account_num", &w.lease, CAPITAL),
        )
        .await;
    assert_rsp(&r, "00000");
    assert_eq!(r["holder_name"], "김대출");
    assert_eq!(
        (r["issue_date"].as_str(), r["exp_date"].as_str()),
        (Some("20260301"), Some("20290301"))
    );
    assert_eq!(
        (r["repay_date"].as_str(), r["repay_method"].as_str()),
        (Some("15"), Some("03"))
    );
    assert_eq!(r["next_repay_date"], "20261215");
    assert_eq!(r["repay_account_num"], w.bank.asset.as_str());

    let path = "/v1/capital/loans/oplease/transactions";
    let body = history_body("account_num", &w.lease, CAPITAL, json!({}));
    let all = two_pages(s, path, body, 6, 4).await;
    assert_eq!(all[0]["trans_type"], "02");
    assert_eq!(all[0]["trans_amt"], 650_000);
    assert_eq!(all[0]["trans_dtime"], "20261115090000");
    assert_eq!(all[9]["trans_type"], "01");
    assert_eq!(all[9]["trans_amt"], 23_400_000);
    assert!(all.iter().all(|t| t["trans_no"].is_string()));

    // A lease is no loan, a loan no lease: each API refuses the other kind.
    let lease = asset_body("account_num", &w.lease, CAPITAL);
    let loan = asset_body("account_num", &w.instalment, CAPITAL);
    assert_rsp(
        &s.md_post("/v1/capital/loans/basic", lease.clone()).await,
        "40402",
    );
    assert_rsp(&s.md_post("/v1/capital/loans/detail", lease).await, "40402");
    let lease_tx = history_body("account_num", &w.lease, CAPITAL, json!({}));
    assert_rsp(
        &s.md_post("/v1/capital/loans/transactions", lease_tx).await,
        "40402",
    );
    assert_rsp(
        &s.md_post("/v1/capital/loans/oplease/basic", loan).await,
        "40402",
    );
    let loan_tx = history_body("account_num", &w.instalment, CAPITAL, json!({}));
    assert_rsp(&s.md_post(path, loan_tx).await, "40402");
}

#[tokio::test]
async fn a_contract_outside_the_consent_is_listed_unconsented_and_refused() {
    let app = app_at_start().await;
    let w = world(&app).await;
    let op = app.operator("할부 앱").await;
    let chosen = [w.instalment.asset.as_str(), w.lease.asset.as_str()];
    let s = op
        .consent(&w.person_id, CAPITAL, CAPITAL_SCOPE, Some(&chosen))
        .await;
    let r = s
        .md_get(&format!("/v1/capital/loans?org_code={CAPITAL}"))
        .await;
    assert_rsp(&r, "00000");
    let flags: Vec<(String, bool)> = list(&r, "account_list")
        .iter()
        .map(|a| {
            (
                a["account_num"].as_str().unwrap().to_owned(),
                a["is_consent"].as_bool().unwrap(),
            )
        })
        .collect();
    assert!(
        flags.contains(&(w.credit.asset.clone(), false)),
        "{flags:?}"
    );
    assert!(
        flags.contains(&(w.instalment.asset.clone(), true)),
        "{flags:?}"
    );
    let credit = asset_body("account_num", &w.credit, CAPITAL);
    for path in ["basic", "detail"] {
        let r = s
            .md_post(&format!("/v1/capital/loans/{path}"), credit.clone())
            .await;
        assert_rsp(&r, "40105");
    }
    let tx = history_body("account_num", &w.credit, CAPITAL, json!({}));
    assert_rsp(
        &s.md_post("/v1/capital/loans/transactions", tx).await,
        "40105",
    );
    // The consented ones answer.
    let r = s
        .md_post(
            "/v1/capital/loans/basic",
            asset_body("account_num", &w.instalment, CAPITAL),
        )
        .await;
    assert_rsp(&r, "00000");
    // A list-only consent: the contract APIs are outside its scope.
    let list_only = op
        .consent(&w.person_id, CAPITAL, "capital.list", None)
        .await;
    let r = list_only
        .md_post(
            "/v1/capital/loans/basic",
            asset_body("account_num", &w.instalment, CAPITAL),
        )
        .await;
    assert_rsp(&r, "40104");
    let r = list_only
        .md_post(
            "/v1/capital/loans/oplease/basic",
            asset_body("account_num", &w.lease, CAPITAL),
        )
        .await;
    assert_rsp(&r, "40104");
}

#[tokio::test]
async fn every_refusal_has_its_code_and_changes_nothing() {
    let app = app_at_start().await;
    let w = world(&app).await;
    let op = app.operator("할부 앱").await;
    let s = op.consent(&w.person_id, CAPITAL, CAPITAL_SCOPE, None).await;
    let before = app.world.account(&w.instalment.account_id).await.unwrap();
    for tx in [
        "/v1/capital/loans/transactions",
        "/v1/capital/loans/oplease/transactions",
    ] {
        let h = if tx.contains("oplease") {
            &w.lease
        } else {
            &w.instalment
        };
        let with = |extra: Value| history_body("account_num", h, CAPITAL, extra);
        assert_rsp(&s.md_post(tx, with(json!({"limit": 501}))).await, "42901");
        assert_rsp(&s.md_post(tx, with(json!({"limit": 0}))).await, "40001");
        assert_rsp(
            &s.md_post(tx, with(json!({"from_date": "20261211"}))).await,
            "40001",
        );
        assert_rsp(
            &s.md_post(tx, with(json!({"to_date": "2026-12-10"}))).await,
            "40001",
        );
        assert_rsp(
            &s.md_post(tx, with(json!({"from_date": "20211209"}))).await,
            "40304",
        );
        assert_rsp(
            &s.md_post(tx, with(json!({"next_page": "%%%"}))).await,
            "40001",
        );
        assert_rsp(
            &s.md_post(tx, with(json!({"org_code": P2P}))).await,
            "40303",
        );
        assert_rsp(
            &s.md_post(tx, with(json!({"account_num": "0000000000"})))
                .await,
            "40402",
        );
        assert_rsp(&s.md_post(tx, with(json!({"limit": "ten"}))).await, "40001");
    }
    for path in ["basic", "detail", "oplease/basic"] {
        let p = format!("/v1/capital/loans/{path}");
        assert_rsp(&s.md_post(&p, json!({"org_code": CAPITAL})).await, "40001");
        let bad = [
            json!(null),
            json!([]),
            json!({"org_code": CAPITAL, "account_num": 5}),
            json!({"org_code": CAPITAL, "account_num": w.instalment.asset, "search_timestamp": "yesterday"}),
        ];
        for b in bad {
            assert_rsp(&s.md_post(&p, b).await, "40001");
        }
    }
    assert_rsp(
        &s.md_get("/v1/capital/loans?search_timestamp=0").await,
        "40001",
    );
    let r = s
        .md_get(&format!("/v1/capital/loans?org_code={CAPITAL}&limit=501"))
        .await;
    assert_rsp(&r, "42901");
    let after = app.world.account(&w.instalment.account_id).await.unwrap();
    assert_eq!(before, after, "a refused call writes nothing");
}

#[tokio::test]
async fn an_operator_reads_a_p2p_lender_as_the_world_holds_it() {
    let app = app_at_start().await;
    let w = world(&app).await;
    let op = app.operator("P2P 앱").await;
    let s = op
        .consent(&w.person_id, P2P, "p2p.list p2p.lending", None)
        .await;
    app.advance(2).await;

    let r = s
        .md_get(&format!("/v1/p2p/apis?org_code={P2P}&client_id=any"))
        .await;
    assert_rsp(&r, "00000");
    assert_eq!(codes(&r), ["CM01", "CM02", "LD01", "LD02", "LD03", "LD04"]);

    check_p2p_list(&s, &w).await;
    let ts = check_p2p_basic(&s, &w).await;
    check_p2p_detail(&s, &w).await;
    check_p2p_transactions(&s, &w).await;
    let path = "/v1/p2p/lendings/transactions";

    // The timestamp: nothing changed on the basic information.
    app.advance(2).await;
    let mut b = asset_body("lending_id", &w.secured, P2P);
    b["search_timestamp"] = ts.into();
    assert_rsp(&s.md_post("/v1/p2p/lendings/basic", b).await, "00001");

    // Bad input.
    let tx = |extra: Value| history_body("lending_id", &w.secured, P2P, extra);
    assert_rsp(&s.md_post(path, tx(json!({"limit": 501}))).await, "42901");
    assert_rsp(
        &s.md_post(path, tx(json!({"from_date": "2026"}))).await,
        "40001",
    );
    assert_rsp(
        &s.md_post("/v1/p2p/lendings/basic", json!({"org_code": P2P}))
            .await,
        "40001",
    );
    assert_rsp(
        &s.md_post(
            "/v1/p2p/lendings/detail",
            json!({"org_code": P2P, "lending_id": "0"}),
        )
        .await,
        "40402",
    );

    check_p2p_partial(&op, &w).await;
}

async fn check_p2p_list(s: &Session<'_>, w: &World) {
    // P2P-001.
    let r = s
        .md_get(&format!(
            "/v1/p2p/lendings?org_code={P2P}&search_timestamp=0&limit=1"
        ))
        .await;
    assert_rsp(&r, "00000");
    assert_eq!(r["lending_cnt"], 1);
    let first = r["lending_list"][0].clone();
    assert_eq!(first["lending_id"], w.secured.asset.as_str());
    assert_eq!(
        (first["type"].as_str(), first["lending_amt"].as_i64()),
        (Some("02"), Some(10_000_000))
    );
    assert_eq!(
        (first["issue_date"].as_str(), first["is_consent"].as_bool()),
        (Some("20260301"), Some(true))
    );
    let next = r["next_page"].as_str().unwrap();
    let r = s
        .md_get(&format!(
            "/v1/p2p/lendings?org_code={P2P}&limit=1&next_page={next}"
        ))
        .await;
    assert_rsp(&r, "00000");
    assert!(r.get("next_page").is_none() && r.get("search_timestamp").is_none());
    assert_eq!(r["lending_list"][0]["type"], "01");
}

async fn check_p2p_basic(s: &Session<'_>, w: &World) -> i64 {
    // P2P-002: the secured loan has its LTV, the credit loan none.
    let r = s
        .md_post(
            "/v1/p2p/lendings/basic",
            asset_body("lending_id", &w.secured, P2P),
        )
        .await;
    assert_rsp(&r, "00000");
    assert_eq!(
        (r["exp_date"].as_str(), r["offered_rate"].as_f64()),
        (Some("20270310"), Some(9.5))
    );
    assert_eq!(
        (r["repay_method"].as_str(), r["ltv_rate"].as_f64()),
        (Some("02"), Some(65.5))
    );
    let ts = r["search_timestamp"].as_i64().unwrap();
    let r = s
        .md_post(
            "/v1/p2p/lendings/basic",
            asset_body("lending_id", &w.personal, P2P),
        )
        .await;
    assert_rsp(&r, "00000");
    assert!(r.get("ltv_rate").is_none());
    assert_eq!(r["repay_method"], "03");

    ts
}

async fn check_p2p_detail(s: &Session<'_>, w: &World) {
    // P2P-003: owed 6,000,000 after eight repayments; the ninth is due today,
    // a quarter of it (four left to 10 March 2027) and a month's interest.
    let r = s
        .md_post(
            "/v1/p2p/lendings/detail",
            asset_body("lending_id", &w.secured, P2P),
        )
        .await;
    assert_rsp(&r, "00000");
    assert_eq!(r["balance_amt"], 6_000_000);
    assert_eq!(
        (r["next_repay_cnt"].as_i64(), r["next_repay_date"].as_str()),
        (Some(9), Some("20261210"))
    );
    assert_eq!(r["principal_amt"], 1_500_000);
    assert_eq!(r["int_amt"], monthly_interest(6_000_000, 9_500));
}

async fn check_p2p_transactions(s: &Session<'_>, w: &World) {
    // P2P-004: the repayments only, numbered, newest first, paged.
    let path = "/v1/p2p/lendings/transactions";
    let body = history_body("lending_id", &w.secured, P2P, json!({}));
    let mut first = body.clone();
    first["limit"] = 5.into();
    let r = s.md_post(path, first.clone()).await;
    assert_rsp(&r, "00000");
    assert_eq!(r["trans_cnt"], 5);
    let cnts: Vec<i64> = list(&r, "trans_list")
        .iter()
        .map(|t| t["repay_cnt"].as_i64().unwrap())
        .collect();
    assert_eq!(cnts, [8, 7, 6, 5, 4]);
    let t = &r["trans_list"][0];
    assert_eq!(
        (t["repay_type"].as_str(), t["principal_amt"].as_i64()),
        (Some("01"), Some(500_000))
    );
    let int = monthly_interest(6_500_000, 9_500);
    assert_eq!(
        (t["int_amt"].as_i64(), t["trans_amt"].as_i64()),
        (Some(int), Some(500_000 + int))
    );
    assert_eq!(t["trans_dtime"], "20261110090000");
    first["next_page"] = r["next_page"].as_str().unwrap().into();
    let r = s.md_post(path, first).await;
    assert_rsp(&r, "00000");
    // Three repayments; the drawdown is no repayment.
    assert_eq!(r["trans_cnt"], 3, "{}", r.text);
    assert!(r.get("next_page").is_none());
}

async fn check_p2p_partial(op: &Operator<'_>, w: &World) {
    let path = "/v1/p2p/lendings/transactions";
    // A partial consent: the credit loan is listed unconsented and refused.
    let only = [w.secured.asset.as_str()];
    let part = op
        .consent(&w.person_id, P2P, "p2p.list p2p.lending", Some(&only))
        .await;
    let r = part
        .md_get(&format!("/v1/p2p/lendings?org_code={P2P}"))
        .await;
    let flags: Vec<bool> = list(&r, "lending_list")
        .iter()
        .map(|l| l["is_consent"].as_bool().unwrap())
        .collect();
    assert_eq!(flags, [true, false]);
    let personal = asset_body("lending_id", &w.personal, P2P);
    assert_rsp(
        &part
            .md_post("/v1/p2p/lendings/detail", personal.clone())
            .await,
        "40105",
    );
    assert_rsp(
        &part.md_post("/v1/p2p/lendings/basic", personal).await,
        "40105",
    );
    let tx = history_body("lending_id", &w.personal, P2P, json!({}));
    assert_rsp(&part.md_post(path, tx).await, "40105");
}

#[tokio::test]
async fn an_operator_reads_a_debt_buyer_and_a_money_lender() {
    let app = app_at_start().await;
    let w = world(&app).await;
    let op = app.operator("채권 앱").await;
    let s = op
        .consent(&w.person_id, BOND, "bond.list bond.bond", None)
        .await;
    app.advance(2).await;

    let r = s
        .md_get(&format!("/v1/bond/apis?org_code={BOND}&client_id=any"))
        .await;
    assert_rsp(&r, "00000");
    assert_eq!(codes(&r), ["BD01", "BD02", "BD03", "CM01", "CM02"]);
    let listed: Vec<String> = list(&r, "api_list")
        .iter()
        .map(|a| a["api_uri"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        listed.contains(&"/bonds/detail".to_owned())
            && listed.contains(&"/bonds/transactions".to_owned())
    );

    let ts = check_bond_list(&s, &w).await;
    check_bond_detail(&s, &w).await;
    check_bond_transactions(&s, &w).await;
    let path = "/v1/bond/bonds/transactions";
    // Nothing on the list changed since the timestamp.
    app.advance(2).await;
    let r = s
        .md_get(&format!(
            "/v1/bond/bonds?org_code={BOND}&search_timestamp={ts}"
        ))
        .await;
    assert_rsp(&r, "00001");

    assert_rsp(
        &s.md_post(
            path,
            history_body("bond_num", &w.card_bond, BOND, json!({"limit": 501})),
        )
        .await,
        "42901",
    );
    assert_rsp(
        &s.md_post(
            "/v1/bond/bonds/detail",
            json!({"org_code": BOND, "bond_num": []}),
        )
        .await,
        "40001",
    );

    // A partial consent.
    let only = [w.card_bond.asset.as_str()];
    let part = op
        .consent(&w.person_id, BOND, "bond.list bond.bond", Some(&only))
        .await;
    let r = part
        .md_get(&format!("/v1/bond/bonds?org_code={BOND}"))
        .await;
    let flags: Vec<bool> = list(&r, "bond_list")
        .iter()
        .map(|l| l["is_consent"].as_bool().unwrap())
        .collect();
    assert_eq!(flags, [true, false]);
    let other = asset_body("bond_num", &w.other_bond, BOND);
    assert_rsp(&part.md_post("/v1/bond/bonds/detail", other).await, "40105");
    let tx = history_body("bond_num", &w.other_bond, BOND, json!({}));
    assert_rsp(&part.md_post(path, tx).await, "40105");

    check_usury(&op, &w, &part).await;
}

async fn check_bond_list(s: &Session<'_>, w: &World) -> i64 {
    // 채권-001.
    let r = s
        .md_get(&format!(
            "/v1/bond/bonds?org_code={BOND}&search_timestamp=0"
        ))
        .await;
    assert_rsp(&r, "00000");
    assert_eq!(r["bond_cnt"], 2);
    let b = &r["bond_list"][0];
    assert_eq!(b["bond_num"], w.card_bond.asset.as_str());
    assert_eq!(
        (b["bond_type"].as_str(), b["takeover_date"].as_str()),
        (Some("02"), Some("20260301"))
    );
    assert_eq!(
        (b["init_org_code"].as_str(), b["is_consent"].as_bool()),
        (Some("00000003"), Some(true))
    );
    assert_eq!(r["bond_list"][1]["bond_type"], "03");
    r["search_timestamp"].as_i64().unwrap()
}

async fn check_bond_detail(s: &Session<'_>, w: &World) {
    // 채권-002.
    let r = s
        .md_post(
            "/v1/bond/bonds/detail",
            asset_body("bond_num", &w.card_bond, BOND),
        )
        .await;
    assert_rsp(&r, "00000");
    assert_eq!(
        (r["prev_org_code"].as_str(), r["is_debt_mgmt"].as_bool()),
        (Some("00000003"), Some(true))
    );
    assert_eq!(r["repay_method"], "02");
    assert_eq!(
        (r["balance_amt"].as_i64(), r["bond_principal"].as_i64()),
        (Some(1_600_000), Some(3_200_000))
    );
    let r = s
        .md_post(
            "/v1/bond/bonds/detail",
            asset_body("bond_num", &w.other_bond, BOND),
        )
        .await;
    assert_rsp(&r, "00000");
    assert!(r.get("prev_org_code").is_none());
    assert_eq!(
        (r["is_debt_mgmt"].as_bool(), r["balance_amt"].as_i64()),
        (Some(false), Some(400_000))
    );
}

async fn check_bond_transactions(s: &Session<'_>, w: &World) {
    // 채권-003: the takeover and eight repayments, paged.
    let path = "/v1/bond/bonds/transactions";
    let all = two_pages(
        s,
        path,
        history_body("bond_num", &w.card_bond, BOND, json!({})),
        5,
        4,
    )
    .await;
    let t = &all[0];
    let int = monthly_interest(1_800_000, 12_000);
    assert_eq!(
        (t["principal_amt"].as_i64(), t["int_amt"].as_i64()),
        (Some(200_000), Some(int))
    );
    assert_eq!(
        (t["trans_amt"].as_i64(), t["balance_amt"].as_i64()),
        (Some(200_000 + int), Some(1_600_000))
    );
    assert_eq!(t["trans_dtime"], "20261120090000");
    assert_eq!(
        (all[8]["trans_amt"].as_i64(), all[8]["balance_amt"].as_i64()),
        (Some(3_200_000), Some(3_200_000))
    );
}

/// The money lender's side, and each industry's token refused on the other's paths.
async fn check_usury(op: &Operator<'_>, w: &World, bond: &Session<'_>) {
    // The money lender: the same APIs under /v1/usury, its own scopes.
    let u = op
        .consent(&w.person_id, USURY, "usury.list usury.bond", None)
        .await;
    let r = u
        .md_get(&format!("/v1/usury/apis?org_code={USURY}&client_id=any"))
        .await;
    assert_eq!(codes(&r), ["BD01", "BD02", "BD03", "CM01", "CM02"]);
    let r = u.md_get(&format!("/v1/usury/bonds?org_code={USURY}")).await;
    assert_rsp(&r, "00000");
    assert_eq!(r["bond_cnt"], 1);
    assert_eq!(
        (
            r["bond_list"][0]["bond_type"].as_str(),
            r["bond_list"][0]["init_org_code"].as_str()
        ),
        (Some("01"), Some("00000001"))
    );
    let r = u
        .md_post(
            "/v1/usury/bonds/detail",
            asset_body("bond_num", &w.usury, USURY),
        )
        .await;
    assert_rsp(&r, "00000");
    assert_eq!(r["balance_amt"], 1_300_000);
    let r = u
        .md_post(
            "/v1/usury/bonds/transactions",
            history_body("bond_num", &w.usury, USURY, json!({})),
        )
        .await;
    assert_rsp(&r, "00000");
    assert_eq!(r["trans_cnt"], 3);
    assert_eq!(r["trans_list"][0]["balance_amt"], 1_300_000);
    // A money lender's token is not for the bond industry's paths.
    let r = u.md_get(&format!("/v1/bond/bonds?org_code={USURY}")).await;
    assert_rsp(&r, "40104");
    let r = bond
        .md_get(&format!("/v1/usury/bonds?org_code={BOND}"))
        .await;
    assert_rsp(&r, "40104");
}

#[tokio::test]
async fn the_document_describes_every_lending_api() {
    let app = finhub_testkit::spawn_app().await;
    let r = app.get("/openapi/mydata.json").await;
    let paths = &r.body["paths"];
    for p in [
        "basic",
        "detail",
        "transactions",
        "oplease/basic",
        "oplease/transactions",
    ] {
        assert!(
            paths[format!("/v1/capital/loans/{p}")]["post"].is_object(),
            "{p}"
        );
    }
    assert!(paths["/v1/capital/loans"]["get"].is_object());
    for p in ["basic", "detail", "transactions"] {
        assert!(
            paths[format!("/v1/p2p/lendings/{p}")]["post"].is_object(),
            "{p}"
        );
    }
    assert!(paths["/v1/p2p/lendings"]["get"].is_object());
    for ind in ["bond", "usury"] {
        assert!(
            paths[format!("/v1/{ind}/bonds")]["get"].is_object(),
            "{ind}"
        );
        for p in ["detail", "transactions"] {
            assert!(
                paths[format!("/v1/{ind}/bonds/{p}")]["post"].is_object(),
                "{ind} {p}"
            );
        }
    }
    let text = r.body.to_string();
    for id in [
        "할부금융-001",
        "할부금융-006",
        "P2P-004",
        "채권-002",
        "채권-003",
    ] {
        assert!(text.contains(id), "{id} named in the document");
    }
    let tags = r.body["tags"].to_string();
    assert!(
        tags.contains("shifts them"),
        "the seed's layout is named: {tags}"
    );
    assert!(tags.contains("mydata.md §11"), "{tags}");
}

/// An API of this module that takes one asset: its path, the asset's field
/// name, whether it is a history.
fn asset_api(id: &str, industry: &str) -> Option<(String, &'static str, bool)> {
    let (path, key, history) = match id {
        "할부금융-002" => ("/v1/capital/loans/basic", "account_num", false),
        "할부금융-003" => ("/v1/capital/loans/detail", "account_num", false),
        "할부금융-004" => ("/v1/capital/loans/transactions", "account_num", true),
        "할부금융-005" => ("/v1/capital/loans/oplease/basic", "account_num", false),
        "할부금융-006" => (
            "/v1/capital/loans/oplease/transactions",
            "account_num",
            true,
        ),
        "P2P-002" => ("/v1/p2p/lendings/basic", "lending_id", false),
        "P2P-003" => ("/v1/p2p/lendings/detail", "lending_id", false),
        "P2P-004" => ("/v1/p2p/lendings/transactions", "lending_id", true),
        "채권-002" => ("/v1/{ind}/bonds/detail", "bond_num", false),
        "채권-003" => ("/v1/{ind}/bonds/transactions", "bond_num", true),
        _ => return None,
    };
    Some((path.replace("{ind}", industry), key, history))
}

/// The list API of an industry of this module.
fn list_path(industry: &str) -> Option<&'static str> {
    Some(match industry {
        "capital" => "/v1/capital/loans",
        "p2p" => "/v1/p2p/lendings",
        "bond" => "/v1/bond/bonds",
        "usury" => "/v1/usury/bonds",
        _ => return None,
    })
}

/// Each API of one seeded asset answers 00000; a detail's balance is what
/// the ledger says is owed.
async fn read_seeded(s: &Session<'_>, a: &Value, industry: &str, owed: i64) -> usize {
    let (org, asset) = (
        a["org_code"].as_str().unwrap(),
        a["asset"].as_str().unwrap(),
    );
    let mut read = 0;
    for id in a["apis"].as_array().unwrap() {
        let Some((path, key, history)) = asset_api(id.as_str().unwrap(), industry) else {
            panic!("{id} is not this module's: {a}");
        };
        let body = if history {
            json!({"org_code": org, key: asset, "from_date": "20220101", "to_date": TO})
        } else {
            json!({"org_code": org, key: asset, "search_timestamp": 0})
        };
        let r = s.md_post(&path, body).await;
        assert_rsp(&r, "00000");
        if path.ends_with("/detail") {
            assert_eq!(r["balance_amt"], owed, "{path} of {a}: {}", r.text);
        }
        read += 1;
    }
    read
}

/// Every capital, P2P, bond and money-lending asset the demo world gives
/// anyone, as the sandbox lists it, answers each API it names, and the list
/// API of its institution names it. (Until the generator gives these
/// products, there is nothing to read; the counts are printed.)
#[tokio::test]
async fn the_seeded_world_reads_back_through_the_lending_apis() {
    let app = TestApp::builder().now(NOW).spawn().await;
    app.seed_demo(20).await;
    let op = app.operator("대출 앱").await;
    let (mut assets, mut reads) = (0, 0);
    for p in app.store.list_people(100, 0).await.unwrap() {
        let path = format!("/sandbox/people/{}/assets", p.person_id);
        let r = app.admin(axum::http::Method::GET, &path, None).await;
        let accounts = app.store.accounts_of_person(&p.person_id).await.unwrap();
        for a in list(&r, "assets") {
            let industry = a["industry"].as_str().unwrap();
            let Some(list) = list_path(industry) else {
                continue;
            };
            let (org, asset) = (
                a["org_code"].as_str().unwrap(),
                a["asset"].as_str().unwrap(),
            );
            let scope = format!("{industry}.list {}", a["scope"].as_str().unwrap());
            let s = op.consent(&p.person_id, org, &scope, Some(&[asset])).await;
            let l = s.md_get(&format!("{list}?org_code={org}")).await;
            assert_rsp(&l, "00000");
            assert!(l.text.contains(asset), "{asset} on {list}: {}", l.text);
            let acct = accounts
                .iter()
                .find(|x| x.org_code == org && x.account_num.replace('-', "") == asset)
                .expect("the asset is an account of the person");
            reads += read_seeded(&s, a, industry, -acct.balance_minor.min(0)).await;
            assets += 1;
        }
    }
    println!("{assets} seeded lending assets, {reads} API reads");
}

/// A timestamped call of one session: GET `path` (a list) or POST `body`.
struct Stamped<'a> {
    s: &'a Session<'a>,
    path: String,
    body: Option<Value>,
}

impl Stamped<'_> {
    async fn call(&self, ts: i64) -> Resp {
        match &self.body {
            None => {
                let sep = if self.path.contains('?') { '&' } else { '?' };
                self.s
                    .md_get(&format!("{}{sep}search_timestamp={ts}", self.path))
                    .await
            }
            Some(b) => {
                let mut b = b.clone();
                b["search_timestamp"] = ts.into();
                self.s.md_post(&self.path, b).await
            }
        }
    }
}

fn post<'a>(s: &'a Session<'a>, path: &str, key: &str, h: &Held, org: &str) -> Stamped<'a> {
    Stamped {
        s,
        path: path.into(),
        body: Some(json!({"org_code": org, key: h.asset})),
    }
}

fn get<'a>(s: &'a Session<'a>, path: String) -> Stamped<'a> {
    Stamped {
        s,
        path,
        body: None,
    }
}

/// Each timestamped lending API once, on its institution's session.
fn stamped_calls<'a>(sessions: [&'a Session<'a>; 4], w: &World) -> Vec<Stamped<'a>> {
    let [cap, p2p, bond, usury] = sessions;
    vec![
        get(cap, format!("/v1/capital/loans?org_code={CAPITAL}")),
        post(
            cap,
            "/v1/capital/loans/basic",
            "account_num",
            &w.instalment,
            CAPITAL,
        ),
        post(
            cap,
            "/v1/capital/loans/detail",
            "account_num",
            &w.instalment,
            CAPITAL,
        ),
        post(
            cap,
            "/v1/capital/loans/oplease/basic",
            "account_num",
            &w.lease,
            CAPITAL,
        ),
        get(p2p, format!("/v1/p2p/lendings?org_code={P2P}")),
        post(p2p, "/v1/p2p/lendings/basic", "lending_id", &w.secured, P2P),
        post(
            p2p,
            "/v1/p2p/lendings/detail",
            "lending_id",
            &w.secured,
            P2P,
        ),
        get(bond, format!("/v1/bond/bonds?org_code={BOND}")),
        post(
            bond,
            "/v1/bond/bonds/detail",
            "bond_num",
            &w.card_bond,
            BOND,
        ),
        get(usury, format!("/v1/usury/bonds?org_code={USURY}")),
        post(usury, "/v1/usury/bonds/detail", "bond_num", &w.usury, USURY),
    ]
}

#[tokio::test]
async fn every_timestamped_api_is_up_to_date_when_nothing_changed() {
    let app = app_at_start().await;
    let w = world(&app).await;
    let op = app.operator("동기화 앱").await;
    let cap = op.consent(&w.person_id, CAPITAL, CAPITAL_SCOPE, None).await;
    let p2p = op
        .consent(&w.person_id, P2P, "p2p.list p2p.lending", None)
        .await;
    let bond = op
        .consent(&w.person_id, BOND, "bond.list bond.bond", None)
        .await;
    let usury = op
        .consent(&w.person_id, USURY, "usury.list usury.bond", None)
        .await;
    let calls = stamped_calls([&cap, &p2p, &bond, &usury], &w);
    app.advance(2).await;
    let mut stamps = Vec::new();
    for c in &calls {
        let r = c.call(0).await;
        assert_rsp(&r, "00000");
        stamps.push(r["search_timestamp"].as_i64().expect("a timestamp"));
    }
    app.advance(2).await;
    for (c, ts) in calls.iter().zip(stamps) {
        let r = c.call(ts).await;
        assert_rsp(&r, "00001");
        let fields: Vec<&String> = r.body.as_object().unwrap().keys().collect();
        assert_eq!(
            fields.len(),
            3,
            "{}: only the head and the timestamp: {}",
            c.path,
            r.text
        );
        assert!(r["search_timestamp"].as_i64() > Some(ts));
    }
}

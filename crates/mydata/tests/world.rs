//! The seeded demo world across the faces: a premium, a telecom bill and a
//! loan repayment paid from a person's bank account are one ledger entry,
//! so each shows in that account's 은행-004 list and its KFTC transaction
//! list, and on the product's own face where its API is served.

use chrono::{DateTime, Duration, Utc};
use finhub_core::account::{Account, AccountKind};
use finhub_core::clock::kst;
use finhub_core::ledger::{Direction, Order, Posting, PostingQuery};
use finhub_core::merchant::LoanMemo;
use finhub_core::party::Person;
use finhub_core::product::insurance::PremiumMemo;
use finhub_core::product::telecom::TelecomMemo;
use finhub_core::product::{LoanType, ProductRepo, ProductTerms};
use finhub_core::repo::{AccountRepo, InstitutionRepo, PartyRepo};
use finhub_testkit::kftc::{dtime, tran_id};
use finhub_testkit::{Resp, TestApp};
use serde_json::{json, Value};

const NOW: &str = "2026-12-10T03:00:00Z";

/// One movement from a bank account into a product: the product's line
/// and the bank account's line of the same entry.
struct Paid {
    person: Person,
    bank: Account,
    product: Account,
    theirs: Posting,
    ours: Posting,
}

async fn statement(app: &TestApp, account_id: &str) -> Vec<Posting> {
    let q = PostingQuery {
        account_id: account_id.into(),
        from: app.clock.now() - Duration::days(120),
        to: app.clock.now(),
        direction: Direction::All,
        order: Order::Desc,
        after: None,
        limit: 500,
    };
    app.world.postings(&q).await.unwrap()
}

/// The newest line the `pick`ed product of some seeded person received from
/// one of their bank accounts, with that account's side of it.
async fn find_paid(
    app: &TestApp,
    pick: impl Fn(&ProductTerms) -> bool,
    line: impl Fn(&Posting) -> bool,
) -> Paid {
    for person in app.store.list_people(100, 0).await.unwrap() {
        let accounts = app
            .store
            .accounts_of_person(&person.person_id)
            .await
            .unwrap();
        let ids: Vec<String> = accounts.iter().map(|a| a.account_id.clone()).collect();
        for rec in app.store.terms_of(&ids).await.unwrap() {
            if !pick(&rec.terms) {
                continue;
            }
            let product = accounts
                .iter()
                .find(|a| a.account_id == rec.account_id)
                .unwrap();
            for theirs in statement(app, &product.account_id)
                .await
                .into_iter()
                .filter(&line)
            {
                for bank in accounts.iter().filter(|a| a.kind == AccountKind::Demand) {
                    let ours = statement(app, &bank.account_id)
                        .await
                        .into_iter()
                        .find(|p| p.entry_id == theirs.entry_id);
                    if let Some(ours) = ours {
                        return Paid {
                            person: person.clone(),
                            bank: bank.clone(),
                            product: product.clone(),
                            theirs,
                            ours,
                        };
                    }
                }
            }
        }
    }
    panic!("nobody in the demo world paid such a product from a bank account");
}

fn kst_day(at: DateTime<Utc>) -> String {
    at.with_timezone(&kst()).format("%Y%m%d").to_string()
}

/// The bank account's line in its 은행-004 list and in its KFTC transaction
/// list, on the day it was paid.
async fn on_the_bank_faces(app: &TestApp, paid: &Paid) {
    let day = kst_day(paid.ours.at);
    let amount = -paid.ours.amount_minor;
    assert!(amount > 0, "the bank account paid: {}", paid.ours.memo);

    let op = app.operator("가계부").await;
    let s = op
        .consent(
            &paid.person.person_id,
            &paid.bank.org_code,
            "bank.list bank.deposit",
            None,
        )
        .await;
    let r = s
        .md_post(
            "/v1/bank/accounts/deposit/transactions",
            json!({"org_code": paid.bank.org_code, "account_num": paid.bank.account_num.replace('-', ""),
                "from_date": day, "to_date": day, "limit": 500}),
        )
        .await;
    assert_eq!(r["rsp_code"], "00000", "{r}");
    let list = r["trans_list"].as_array().unwrap();
    let seq = paid.ours.seq.to_string();
    let seen = list.iter().any(|t| {
        t["trans_memo"] == paid.ours.memo.as_str()
            && t["trans_amt"].as_f64() == Some(amount as f64)
            && t["trans_no"] == seq.as_str()
    });
    assert!(seen, "{} {amount} not in 은행-004: {r}", paid.ours.memo);

    let f = app.fintech("가계부핀테크").await;
    let (_, fin) = app.register_both(&f, (&paid.person, &paid.bank)).await;
    let uri = format!(
        "/v2.0/account/transaction_list/fin_num?bank_tran_id={}&fintech_use_num={fin}&inquiry_type=O&inquiry_base=D&from_date={day}&to_date={day}&sort_order=D&tran_dtime={}",
        tran_id(&f.org),
        dtime()
    );
    let r = app.kftc_get(&f.token, &uri).await;
    assert_eq!(r["rsp_code"], "A0000", "{r}");
    let printed: String = paid.ours.memo.chars().take(20).collect();
    let tran_amt = amount.to_string();
    let seen = r["res_list"].as_array().unwrap().iter().any(|t| {
        t["print_content"] == printed.as_str()
            && t["tran_amt"] == tran_amt.as_str()
            && t["inout_type"] == "출금"
    });
    assert!(
        seen,
        "{} {amount} not in the KFTC list: {r}",
        paid.ours.memo
    );
}

/// The product's own face, where its route is served (a 40401 until the
/// industry's APIs are on main): `find` looks for the line in the answer.
async fn on_the_product_face(
    app: &TestApp,
    paid: &Paid,
    (scope, path, body): (&str, &str, Value),
    find: impl Fn(&Value) -> bool,
) -> bool {
    let op = app.operator("상품가계부").await;
    let s = op
        .consent(&paid.person.person_id, &paid.product.org_code, scope, None)
        .await;
    let r: Resp = s.md_post(path, body).await;
    if r.body["rsp_code"] == "40401" || r.status.as_u16() == 404 {
        return false;
    }
    assert_eq!(r["rsp_code"], "00000", "{path}: {r}");
    let list = r["trans_list"].as_array().unwrap();
    assert!(
        list.iter().any(find),
        "{path}: {} not listed: {r}",
        paid.theirs.memo
    );
    true
}

async fn demo() -> TestApp {
    let app = TestApp::builder().now(NOW).spawn().await;
    app.seed_demo(20).await;
    app
}

#[tokio::test]
async fn a_premium_paid_from_a_bank_account_shows_on_both_sides() {
    let app = demo().await;
    let paid = find_paid(
        &app,
        |t| matches!(t, ProductTerms::Insurance(i) if i.line != finhub_core::product::insurance::InsuranceLine::Guarantee),
        |p| PremiumMemo::decode(&p.memo).is_some(),
    )
    .await;
    let m = PremiumMemo::decode(&paid.theirs.memo).unwrap();
    assert_eq!(paid.ours.memo, paid.theirs.memo);
    assert_eq!(paid.ours.amount_minor, -paid.theirs.amount_minor);
    assert_eq!(paid.ours.counterparty, {
        let i = app
            .store
            .institution(&paid.product.org_code)
            .await
            .unwrap()
            .unwrap();
        i.name
    });
    on_the_bank_faces(&app, &paid).await;
    let day = kst_day(paid.theirs.at);
    let insu_num = paid.product.account_num.replace('-', "");
    // 보험-006 is served: the premium must be there.
    let listed = on_the_product_face(
        &app,
        &paid,
        (
            "insu.list insu.insurance",
            "/v1/insu/insurances/transactions",
            json!({"org_code": paid.product.org_code, "insu_num": insu_num,
                "from_date": day, "to_date": day, "limit": 500}),
        ),
        |t| {
            t["paid_in_cnt"].as_u64() == Some(u64::from(m.instalment))
                && t["paid_amt"].as_f64() == Some(paid.theirs.amount_minor as f64)
                && t["trans_applied_month"].to_string().trim_matches('"') == m.month.to_string()
        },
    )
    .await;
    assert!(listed);
}

#[tokio::test]
async fn a_telecom_bill_paid_from_a_bank_account_shows_on_both_sides() {
    let app = demo().await;
    let paid = find_paid(
        &app,
        |t| matches!(t, ProductTerms::Telecom(_)),
        |p| {
            matches!(
                TelecomMemo::decode(&p.memo),
                Some(TelecomMemo::Payment { .. })
            )
        },
    )
    .await;
    assert_eq!(paid.ours.memo, paid.theirs.memo);
    assert!(paid.theirs.amount_minor > 0);
    on_the_bank_faces(&app, &paid).await;
    let Some(TelecomMemo::Payment { month }) = TelecomMemo::decode(&paid.theirs.memo) else {
        unreachable!()
    };
    let day = kst_day(paid.theirs.at);
    let mgmt_id = paid.product.account_num.replace('-', "");
    // 통신-003 is served: the payment must be there.
    assert!(
        on_the_product_face(
            &app,
            &paid,
            (
                "telecom.list telecom.mgmt",
                "/v1/telecom/telecoms/transactions",
                json!({"org_code": paid.product.org_code, "mgmt_id": mgmt_id,
                    "from_date": day, "to_date": day, "limit": 500}),
            ),
            |t| t["paid_amt"].as_i64() == Some(paid.theirs.amount_minor)
                && t["trans_month"].as_u64() == Some(u64::from(month))
                && t["trans_date"] == day.as_str(),
        )
        .await
    );
}

#[tokio::test]
async fn a_policy_loan_repayment_from_a_bank_account_shows_on_both_sides() {
    let app = demo().await;
    let paid = find_paid(
        &app,
        |t| matches!(t, ProductTerms::Loan(l) if l.loan_type == LoanType::Policy),
        |p| matches!(LoanMemo::decode(&p.memo), Some(LoanMemo::Repayment { .. })),
    )
    .await;
    let Some(LoanMemo::Repayment {
        principal_minor,
        interest_minor,
    }) = LoanMemo::decode(&paid.theirs.memo)
    else {
        unreachable!()
    };
    // The bank account pays principal and interest; the loan takes the principal.
    assert_eq!(paid.theirs.amount_minor, principal_minor);
    assert_eq!(-paid.ours.amount_minor, principal_minor + interest_minor);
    on_the_bank_faces(&app, &paid).await;
    // 보험-011: the policy loan's repayment, principal and interest apart.
    let day = kst_day(paid.theirs.at);
    let listed = on_the_product_face(
        &app,
        &paid,
        (
            "insu.list insu.loan",
            "/v1/insu/loans/transactions",
            json!({"org_code": paid.product.org_code,
                "account_num": paid.product.account_num.replace('-', ""),
                "from_date": day, "to_date": day, "limit": 500}),
        ),
        |t| {
            t["loan_paid_amt"].as_f64() == Some(principal_minor as f64)
                && t["int_paid_amt"].as_f64() == Some(interest_minor as f64)
        },
    )
    .await;
    assert!(listed);
}

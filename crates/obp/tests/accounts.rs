//! Create Account, PUT and POST: a ledger account at the bank with balance 0,
//! for the person of the owner's link or a person made once for the user,
//! and every refusal in OBP's order.

// Each test reads as one account's checks in OBP's order; split, it would hide that order.
#![allow(clippy::too_many_lines)]

use axum::http::Method;
use chrono::NaiveDate;
use finhub_core::account::{Account, AccountKind};
use finhub_core::obp::customers::{Customer, CustomerRepo};
use finhub_core::obp::links::{LinkRepo, UserCustomerLink};
use finhub_core::obp::users::UserRepo;
use finhub_core::obp::{new_id, Obp};
use finhub_core::party::NewPerson;
use finhub_testkit::obp::{assert_obp, obp_app, ObpUser, OBP_BANK, OTHER_BANK, V4};
use finhub_testkit::{Resp, TestApp};
use serde_json::{json, Value};
use std::sync::Arc;

/// A customer at `bank`, written straight to the store (Create Customer is
/// another area's), with a new person behind it.
async fn customer_at(app: &TestApp, bank: &str, name: &str) -> Customer {
    let person = (app.world)
        .create_person(NewPerson {
            name: name.into(),
            birth_date: NaiveDate::from_ymd_opt(1990, 3, 4),
            ..NewPerson::default()
        })
        .await
        .unwrap();
    let now = app.clock.now();
    let c = Customer {
        customer_id: new_id(),
        bank_id: bank.into(),
        customer_number: new_id()[..8].to_owned(),
        person_id: person.person_id,
        legal_name: name.into(),
        created_at: now,
        updated_at: now,
        ..Customer::default()
    };
    assert!(CustomerRepo::insert_customer(&app.store, &c).await.unwrap());
    c
}

async fn link(app: &TestApp, user_id: &str, c: &Customer) {
    let l = UserCustomerLink {
        user_customer_link_id: new_id(),
        user_id: user_id.into(),
        customer_id: c.customer_id.clone(),
        bank_id: c.bank_id.clone(),
        date_inserted: app.clock.now(),
        is_active: true,
    };
    assert!(LinkRepo::insert_link(&app.store, &l).await.unwrap());
}

fn obp(app: &TestApp) -> Obp {
    Obp::new(
        Arc::new(app.store.clone()),
        app.world.clone(),
        Default::default(),
    )
}

fn body(user_id: &str, currency: &str, routings: Value) -> Value {
    json!({"user_id": user_id, "label": "My Account", "product_code": "AC", "branch_id": "DERBY6",
        "balance": {"currency": currency, "amount": "0"}, "account_routings": routings})
}

fn accounts(bank: &str) -> String {
    format!("{V4}/banks/{bank}/accounts")
}

/// The ledger account behind OBP `account_id` among the person's.
async fn ledger_account(app: &TestApp, person_id: &str, account_id: &str) -> Account {
    let all = app.world.repo.accounts_of_person(person_id).await.unwrap();
    let ids: Vec<String> = all.iter().map(|a| a.account_id.clone()).collect();
    let map = obp(app).obp_account_ids(&ids).await.unwrap();
    let ledger_id = (map.iter().find(|(_, obp_id)| *obp_id == account_id))
        .map(|(l, _)| l.clone())
        .unwrap_or_else(|| panic!("{account_id} is not among the person's accounts: {map:?}"));
    app.world.account(&ledger_id).await.unwrap()
}

async fn org_code(app: &TestApp, bank: &str) -> String {
    app.world
        .repo
        .institution_by_bank_code(bank)
        .await
        .unwrap()
        .unwrap()
        .org_code
}

#[tokio::test]
async fn put_opens_a_ledger_account_for_a_person_made_once_for_the_user() {
    let app = obp_app().await;
    let user = app.obp_user("felix").await;
    let routing = json!([{"scheme": "AccountNumber", "address": "4930396"}]);
    let r = user
        .put(
            &format!("{}/acc-1", accounts(OBP_BANK)),
            &body("", "KRW", routing.clone()),
        )
        .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    let want = json!({"account_id": "acc-1", "user_id": user.user_id, "label": "My Account", "product_code": "AC",
        "balance": {"currency": "KRW", "amount": "0"}, "branch_id": "DERBY6", "account_routings": routing,
        "account_attributes": []});
    assert_eq!(r.body, want);

    let u = UserRepo::user(&app.store, &user.user_id)
        .await
        .unwrap()
        .unwrap();
    let person_id = u.person_id.expect("a person made for the user");
    let person = app.world.repo.person(&person_id).await.unwrap().unwrap();
    assert_eq!(person.name, format!("Test {}", user.username));
    assert_eq!(person.email.as_deref(), Some("felix@example.com"));
    let a = ledger_account(&app, &person_id, "acc-1").await;
    assert_eq!(a.balance_minor, 0);
    assert_eq!(a.currency.as_str(), "KRW");
    assert_eq!(a.kind, AccountKind::Demand);
    assert_eq!(a.org_code, org_code(&app, OBP_BANK).await);

    // The second account reuses that person; v3.1.0 serves the PUT too.
    let r = user
        .put(
            &format!("/obp/v3.1.0/banks/{OBP_BANK}/accounts/acc-2"),
            &body("", "USD", json!([])),
        )
        .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    assert_eq!(r.body["balance"], json!({"currency": "USD", "amount": "0"}));
    let u = UserRepo::user(&app.store, &user.user_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(u.person_id.as_deref(), Some(person_id.as_str()));
    assert_eq!(
        ledger_account(&app, &person_id, "acc-2")
            .await
            .currency
            .as_str(),
        "USD"
    );
}

#[tokio::test]
async fn post_opens_it_for_the_person_of_the_owners_newest_link_at_the_bank() {
    let app = obp_app().await;
    let admin = app.obp_admin().await;
    let staff = app.obp_user("staff").await;
    admin
        .grant(&staff.user_id, "CanCreateAccount", OBP_BANK)
        .await;
    let owner = app.obp_user("owner").await;
    let old = customer_at(&app, OBP_BANK, "김민수").await;
    let there = customer_at(&app, OTHER_BANK, "김민수").await;
    link(&app, &owner.user_id, &old).await;
    app.clock.advance(chrono::Duration::seconds(1));
    let newest = customer_at(&app, OBP_BANK, "이서연").await;
    link(&app, &owner.user_id, &newest).await;
    app.clock.advance(chrono::Duration::seconds(1));
    link(&app, &owner.user_id, &there).await;

    let r = staff
        .post(&accounts(OBP_BANK), &body(&owner.user_id, "KRW", json!([])))
        .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    let id = r.body["account_id"].as_str().unwrap();
    assert_eq!(id.len(), 36, "a generated UUID: {id}");
    assert_eq!(r.body["user_id"], owner.user_id.as_str());
    assert_eq!(r.body["account_attributes"], json!([]));
    let a = ledger_account(&app, &newest.person_id, id).await;
    assert_eq!(
        (a.balance_minor, a.org_code.clone()),
        (0, org_code(&app, OBP_BANK).await)
    );
    assert_eq!(a.holder_name, "이서연");
    // No person was made for the owner.
    let u = UserRepo::user(&app.store, &owner.user_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(u.person_id, None);
}

#[tokio::test]
async fn the_published_clients_v220_body_is_read() {
    let app = obp_app().await;
    let user = app.obp_user("felix").await;
    let v220 = json!({"user_id": user.user_id, "label": "Label", "type": "CURRENT",
        "balance": {"currency": "EUR", "amount": 0}, "branch_id": "1234",
        "account_routing": {"scheme": "OBP", "address": "UK123456"}});
    let r = user
        .put(
            &format!("/obp/v3.1.0/banks/{OBP_BANK}/accounts/py-1"),
            &v220,
        )
        .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    assert_eq!(r.body["product_code"], "CURRENT");
    assert_eq!(
        r.body["account_routings"],
        json!([{"scheme": "OBP", "address": "UK123456"}])
    );
    assert_eq!(r.body["balance"], json!({"currency": "EUR", "amount": "0"}));
}

#[tokio::test]
async fn put_gates_come_in_obp_order() {
    let app = obp_app().await;
    let user = app.obp_user("felix").await;
    let put = |id: &str| format!("{}/{id}", accounts(OBP_BANK));
    let ok = body(
        "",
        "KRW",
        json!([{"scheme": "AccountNumber", "address": "1"}]),
    );
    let r = app.call(&Method::PUT, &put("a1"), None, Some(&ok)).await;
    assert_obp(&r, 401, "OBP-20001");
    assert_eq!(user.put(&put("a1"), &ok).await.status.as_u16(), 201);
    // OBP-30208 comes before the body is read.
    assert_obp(
        &user.send_raw(Method::PUT, &put("a1"), "{").await,
        400,
        "OBP-30208",
    );
    assert_obp(
        &user.send_raw(Method::PUT, &put("a2"), "{").await,
        400,
        "OBP-10001",
    );
    // JSON, then the id's format, then the user.
    assert_obp(
        &user.send_raw(Method::PUT, &put("a%20b"), "{").await,
        400,
        "OBP-10001",
    );
    assert_obp(
        &user
            .put(&put("a%20b"), &body("ghost", "x", json!([])))
            .await,
        400,
        "OBP-30110",
    );
    let r = user.put(&put("a2"), &body("ghost", "x", json!([]))).await;
    assert_obp(&r, 404, "OBP-20005");
    assert!(r.text.contains("Current USER_ID(ghost)"), "{}", r.text);
}

/// PUT `body` to `path` and expect OBP's error `code` at `status`.
async fn refused(u: &ObpUser<'_>, path: &str, body: &Value, status: u16, code: &str) -> Resp {
    let r = u.put(path, body).await;
    assert_obp(&r, status, code);
    r
}

#[tokio::test]
async fn put_role_and_body_refusals_come_in_obp_order() {
    let app = obp_app().await;
    let admin = app.obp_admin().await;
    let user = app.obp_user("felix").await;
    let other = app.obp_user("other").await;
    let a2 = format!("{}/a2", accounts(OBP_BANK));
    let ok = body(
        "",
        "KRW",
        json!([{"scheme": "AccountNumber", "address": "1"}]),
    );
    assert_eq!(
        user.put(&format!("{}/a1", accounts(OBP_BANK)), &ok)
            .await
            .status
            .as_u16(),
        201
    );
    // Another user's account needs CanCreateAccount at this bank.
    let mut bad = body(&other.user_id, "x", json!([]));
    bad["balance"]["amount"] = json!("abc");
    let r = refused(&user, &a2, &bad, 403, "OBP-20006").await;
    assert!(
        r.text
            .contains("CanCreateAccount or create account for self"),
        "{}",
        r.text
    );
    admin
        .grant(&user.user_id, "CanCreateAccount", OTHER_BANK)
        .await;
    refused(&user, &a2, &bad, 403, "OBP-20006").await;
    admin
        .grant(&user.user_id, "CanCreateAccount", OBP_BANK)
        .await;
    refused(&user, &a2, &bad, 400, "OBP-30112").await;
    bad["balance"]["amount"] = json!("10");
    refused(&user, &a2, &bad, 400, "OBP-30109").await;
    bad["balance"]["amount"] = json!(0);
    refused(&user, &a2, &bad, 400, "OBP-10003").await;
    bad["balance"]["currency"] = json!("KRW");
    bad["account_routings"] =
        json!([{"scheme": "S", "address": "1"}, {"scheme": "S", "address": "2"}]);
    // ROLE before OBP_BANK for another user's account; then OBP_BANK before OBP-30114.
    let unknown_bank = format!("{V4}/banks/999/accounts/a2");
    refused(
        &app.obp_user("x").await,
        &unknown_bank,
        &bad,
        403,
        "OBP-20006",
    )
    .await;
    let own = body("", "KRW", bad["account_routings"].clone());
    refused(&user, &unknown_bank, &own, 404, "OBP-30001").await;
    refused(&user, &a2, &bad, 400, "OBP-30114").await;
    let r = refused(&user, &a2, &ok, 400, "OBP-30115").await;
    assert!(
        r.text
            .contains("(bankId: 004, scheme: AccountNumber, address: 1)"),
        "{}",
        r.text
    );
    // The same routing at another bank is free; the refused calls opened nothing.
    let there = format!("{V4}/banks/{OTHER_BANK}/accounts/a2");
    assert_eq!(user.put(&there, &ok).await.status.as_u16(), 201);
    let u = UserRepo::user(&app.store, &user.user_id)
        .await
        .unwrap()
        .unwrap();
    let held = app
        .world
        .repo
        .accounts_of_person(&u.person_id.unwrap())
        .await;
    assert_eq!(held.unwrap().len(), 2);
}

#[tokio::test]
async fn post_refusals_come_in_obp_order() {
    let app = obp_app().await;
    let user = app.obp_user("felix").await;
    let other = app.obp_user("other").await;
    let p = accounts(OBP_BANK);
    let r = app
        .call(&Method::POST, &p, None, Some(&body("", "KRW", json!([]))))
        .await;
    assert_obp(&r, 401, "OBP-20001");
    assert_obp(
        &user.send_raw(Method::POST, &p, "{").await,
        400,
        "OBP-10001",
    );
    assert_obp(
        &user.post(&p, &json!({"balance": {"amount": []}})).await,
        400,
        "OBP-10001",
    );
    assert_obp(
        &user.post(&p, &body("ghost", "x", json!([]))).await,
        404,
        "OBP-20005",
    );
    assert_obp(
        &user.post(&p, &body(&other.user_id, "x", json!([]))).await,
        403,
        "OBP-20006",
    );
    let mut b = body("", "KRW", json!([]));
    b["balance"]["amount"] = json!("1e3");
    assert_obp(&user.post(&p, &b).await, 400, "OBP-30112");
    b["balance"]["amount"] = json!("0.01");
    assert_obp(&user.post(&p, &b).await, 400, "OBP-30109");
    b["balance"] = json!({"currency": "krw", "amount": "0"});
    assert_obp(&user.post(&p, &b).await, 400, "OBP-10003");
    assert_obp(
        &user
            .post(&accounts("999"), &body("", "KRW", json!([])))
            .await,
        404,
        "OBP-30001",
    );
    let dup = body(
        "",
        "KRW",
        json!([{"scheme": "A", "address": "1"}, {"scheme": "A", "address": "1"}]),
    );
    assert_obp(&user.post(&p, &dup).await, 400, "OBP-30114");
    let one = body("", "KRW", json!([{"scheme": "A", "address": "1"}]));
    assert_eq!(user.post(&p, &one).await.status.as_u16(), 201);
    assert_obp(&user.post(&p, &one).await, 400, "OBP-30115");
    // An empty body is the caller's account with no currency: OBP-10003, no role asked.
    assert_obp(&user.post(&p, &json!({})).await, 400, "OBP-10003");
}

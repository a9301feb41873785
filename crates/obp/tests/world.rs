//! One world: what the OBP face does shows in `/sandbox/people` — the
//! person's customers, an account opened here (balance 0, its OBP id) and
//! the KYC status added here.

use axum::http::Method;
use finhub_testkit::obp::{customer_body, obp_app, ObpUser, OBP_BANK, V4};
use serde_json::{json, Value};

/// The customer, linked to the caller, with an account (PUT, ACCOUNT_ID
/// `world-acc-1`) and a KYC status: the customer's id.
async fn customer_with_account_and_status(staff: &ObpUser<'_>) -> String {
    let r = staff
        .post(
            &format!("{V4}/banks/{OBP_BANK}/customers"),
            &customer_body("One World", "01077778888"),
        )
        .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    let cid = r.body["customer_id"].as_str().unwrap().to_owned();
    let link = json!({"user_id": staff.user_id, "customer_id": cid});
    let r = staff
        .post(&format!("{V4}/banks/{OBP_BANK}/user_customer_links"), &link)
        .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    // The account belongs to the person of the caller's link at the bank.
    let body = json!({"user_id": "", "label": "main", "product_code": "CURRENT",
        "balance": {"currency": "KRW", "amount": "0"}, "branch_id": "b1",
        "account_routings": [{"scheme": "AccountNumber", "address": "7777001"}]});
    let r = staff
        .put(
            &format!("/obp/v3.1.0/banks/{OBP_BANK}/accounts/world-acc-1"),
            &body,
        )
        .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    let status = json!({"customer_number": "1", "ok": true, "date": "2024-05-06T07:08:09Z"});
    let r = staff
        .put(
            &format!("{V4}/banks/{OBP_BANK}/customers/{cid}/kyc_statuses"),
            &status,
        )
        .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    cid
}

#[tokio::test]
async fn a_customers_account_and_kyc_status_show_on_the_person() {
    let app = obp_app().await;
    let roles = [
        "CanCreateCustomer",
        "CanCreateUserCustomerLink",
        "CanAddKycStatus",
    ];
    let staff = app.obp_staff("staff", &roles).await;
    let cid = customer_with_account_and_status(&staff).await;
    let people = app
        .admin(Method::GET, "/sandbox/people?limit=500", None)
        .await;
    let person: Value = (people.body["people"].as_array().unwrap().iter())
        .find(|p| {
            p["obp_customers"]
                .as_array()
                .is_some_and(|c| c.iter().any(|c| c["customer_id"] == cid.as_str()))
        })
        .cloned()
        .expect("the customer's person");
    assert_eq!(person["name"], "One World");
    assert_eq!(
        person["kyc_status"],
        json!({"ok": true, "date": "2024-05-06T07:08:09Z"})
    );
    let acc = (person["accounts"].as_array().unwrap().iter())
        .find(|a| a["obp_account_id"] == "world-acc-1")
        .expect("the OBP account on the person");
    assert_eq!(acc["balance"], 0);
    assert_eq!(acc["bank_code_std"], OBP_BANK);
    // Nobody else's accounts carry an OBP id.
    let others = people.body["people"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["person_id"] != person["person_id"]);
    assert!(others
        .flat_map(|p| p["accounts"].as_array().unwrap())
        .all(|a| a["obp_account_id"].is_null()));
}

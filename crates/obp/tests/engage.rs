//! Meetings, customer messages (v1.4.0 and v4.0.0), CRM events and the
//! mocked credit-limit requests, as an OBP client sends them.

use axum::http::Method;
use chrono::{TimeZone, Utc};
use finhub_core::obp::customers::{Customer, CustomerRepo};
use finhub_core::obp::engage::{CrmEvent, EngageRepo};
use finhub_core::obp::links::{LinkRepo, UserCustomerLink};
use finhub_core::obp::{new_id, Obp, ObpConfig};
use finhub_core::party::NewPerson;
use finhub_testkit::obp::{assert_obp, obp_app, ObpUser, OBP_BANK, OTHER_BANK, V4};
use finhub_testkit::TestApp;
use serde_json::{json, Value};
use std::sync::Arc;

const V140: &str = "/obp/v1.4.0";
const V200: &str = "/obp/v2.0.0";
const V310: &str = "/obp/v3.1.0";

/// A customer at `bank` (straight into the store; Create Customer is another area's).
async fn customer(app: &TestApp, bank: &str) -> String {
    let p = app
        .world
        .create_person(NewPerson {
            name: "김고객".into(),
            birth_date: chrono::NaiveDate::from_ymd_opt(1990, 3, 4),
            ..Default::default()
        })
        .await
        .unwrap();
    let c = Customer {
        customer_id: new_id(),
        bank_id: bank.into(),
        customer_number: new_id(),
        person_id: p.person_id,
        legal_name: "김고객".into(),
        created_at: Utc::now(),
        updated_at: Utc::now(),
        ..Default::default()
    };
    assert!(CustomerRepo::insert_customer(&app.store, &c).await.unwrap());
    c.customer_id
}

async fn link(app: &TestApp, user_id: &str, customer_id: &str) {
    let l = UserCustomerLink {
        user_customer_link_id: new_id(),
        user_id: user_id.into(),
        customer_id: customer_id.into(),
        bank_id: OBP_BANK.into(),
        date_inserted: Utc::now(),
        is_active: true,
    };
    assert!(LinkRepo::insert_link(&app.store, &l).await.unwrap());
}

fn meeting_body() -> Value {
    json!({
        "provider_id": "example",
        "purpose_id": "onboarding",
        "date": "2017-09-19T00:00:00Z",
        "creator": {"name": "Tom", "mobile_phone": "+44 07972 444 876", "email_address": "tom@example.com"},
        "invitees": [{
            "contact_details": {"name": "Ann", "mobile_phone": "+44 07972 444 877", "email_address": "ann@example.com"},
            "status": "invited"
        }]
    })
}

#[tokio::test]
async fn a_meeting_is_made_read_and_listed_by_its_maker() {
    let app = obp_app().await;
    let tom = app.obp_user("tom").await;
    let r = tom
        .post(&format!("{V4}/banks/{OBP_BANK}/meetings"), &meeting_body())
        .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    let id = r.body["meeting_id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 36);
    let expected = json!({
        "meeting_id": id,
        "provider_id": "example",
        "purpose_id": "onboarding",
        "bank_id": OBP_BANK,
        "present": {"staff_user_id": tom.user_id, "customer_user_id": tom.user_id},
        "keys": {"session_id": "", "staff_token": "", "customer_token": ""},
        "when": "2017-09-19T00:00:00Z",
        "creator": meeting_body()["creator"],
        "invitees": meeting_body()["invitees"],
    });
    assert_eq!(r.body, expected);
    let one = tom
        .get(&format!("{V310}/banks/{OBP_BANK}/meetings/{id}"))
        .await;
    assert_eq!(one.status.as_u16(), 200, "{}", one.text);
    assert_eq!(one.body, expected);

    // Another user's meeting and one at another bank are not listed.
    let ann = app.obp_user("ann").await;
    let r = ann
        .post(&format!("{V4}/banks/{OBP_BANK}/meetings"), &json!({}))
        .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    assert_eq!(r.body["when"], Value::Null);
    assert_eq!(r.body["invitees"], json!([]));
    assert_eq!(
        r.body["creator"],
        json!({"name": "", "mobile_phone": "", "email_address": ""})
    );
    let anns = r.body["meeting_id"].as_str().unwrap().to_owned();
    let r = tom
        .post(
            &format!("{V4}/banks/{OTHER_BANK}/meetings"),
            &meeting_body(),
        )
        .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    let elsewhere = r.body["meeting_id"].as_str().unwrap().to_owned();

    let list = tom.get(&format!("{V4}/banks/{OBP_BANK}/meetings")).await;
    assert_eq!(list.status.as_u16(), 200, "{}", list.text);
    assert_eq!(list.body, json!({"meetings": [expected]}));
    let list = ann.get(&format!("{V4}/banks/{OBP_BANK}/meetings")).await;
    assert_eq!(list.body["meetings"].as_array().unwrap().len(), 1);
    assert_eq!(list.body["meetings"][0]["meeting_id"], anns.as_str());

    // Not the caller's, not at this bank, or unknown: OBP-30104 with 400.
    for m in [anns.as_str(), elsewhere.as_str(), "nope"] {
        let r = tom
            .get(&format!("{V4}/banks/{OBP_BANK}/meetings/{m}"))
            .await;
        assert_obp(&r, 400, "OBP-30104");
        assert!(r.body["message"]
            .as_str()
            .unwrap()
            .contains(&format!("Current MeetingId({m})")));
    }
}

#[tokio::test]
async fn meeting_refusals_come_in_obps_order() {
    let app = obp_app().await;
    let tom = app.obp_user("tom").await;
    let path = format!("{V4}/banks/{OBP_BANK}/meetings");
    assert_obp(
        &app.call(&Method::POST, &path, None, Some(&meeting_body()))
            .await,
        401,
        "OBP-20001",
    );
    assert_obp(&app.get(&path).await, 401, "OBP-20001");
    assert_obp(&app.get(&format!("{path}/x")).await, 401, "OBP-20001");
    // OBP_BANK before JSON.
    let r = tom
        .send_raw(Method::POST, &format!("{V4}/banks/999/meetings"), "{nope")
        .await;
    assert_obp(&r, 404, "OBP-30001");
    assert_obp(
        &tom.send_raw(Method::POST, &path, "{nope").await,
        400,
        "OBP-10001",
    );
    let r = tom.post(&path, &json!({"date": "2017-09-19"})).await;
    assert_obp(&r, 400, "OBP-10001");
    assert_obp(
        &tom.get(&format!("{V4}/banks/999/meetings")).await,
        404,
        "OBP-30001",
    );
    assert_obp(
        &tom.get(&format!("{V4}/banks/999/meetings/x")).await,
        404,
        "OBP-30001",
    );
    // Born in v3.1.0: not under v1.4.0.
    assert_obp(
        &tom.get(&format!("{V140}/banks/{OBP_BANK}/meetings")).await,
        404,
        "OBP-10404",
    );
}

fn v140_message() -> Value {
    json!({"message": "Your card is ready", "from_department": "Cards", "from_person": "Tom"})
}

#[tokio::test]
async fn a_v140_message_reaches_the_users_linked_to_the_customer() {
    let app = obp_app().await;
    let staff = app.obp_user("staff").await;
    let felix = app.obp_user("felix").await;
    let ann = app.obp_user("ann").await;
    let cust = customer(&app, OBP_BANK).await;
    link(&app, &felix.user_id, &cust).await;
    link(&app, &ann.user_id, &cust).await;

    let r = staff
        .post(
            &format!("{V140}/banks/{OBP_BANK}/customer/{cust}/messages"),
            &v140_message(),
        )
        .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    assert_eq!(r.body, json!({"success": "Success"}));

    for u in [&felix, &ann] {
        let r = u
            .get(&format!("{V4}/banks/{OBP_BANK}/customer/messages"))
            .await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.text);
        let ms = r.body["messages"].as_array().unwrap();
        assert_eq!(ms.len(), 1, "{}", r.text);
        let m = ms[0].as_object().unwrap();
        let keys: Vec<&str> = m.keys().map(String::as_str).collect();
        assert_eq!(keys.len(), 5, "{keys:?}");
        assert_eq!(m["id"].as_str().unwrap().len(), 36);
        assert!(m["date"].as_str().unwrap().ends_with('Z'));
        assert_eq!(m["message"], "Your card is ready");
        assert_eq!(m["from_department"], "Cards");
        assert_eq!(m["from_person"], "Tom");
    }
    // Not at another bank, not to the sender, and not in the v4.0.0 list.
    let r = felix
        .get(&format!("{V140}/banks/{OTHER_BANK}/customer/messages"))
        .await;
    assert_eq!(r.body, json!({"messages": []}));
    assert_eq!(
        staff
            .get(&format!("{V310}/banks/{OBP_BANK}/customer/messages"))
            .await
            .body,
        json!({"messages": []})
    );
    let reader = app.obp_staff("reader", &["CanGetCustomerMessages"]).await;
    let r = reader
        .get(&format!("{V4}/banks/{OBP_BANK}/customers/{cust}/messages"))
        .await;
    assert_eq!(r.body, json!({"messages": []}));
}

#[tokio::test]
async fn v140_message_refusals_come_in_obps_order() {
    let app = obp_app().await;
    let staff = app.obp_user("staff").await;
    let cust = customer(&app, OBP_BANK).await;
    let path = |bank: &str, c: &str| format!("{V4}/banks/{bank}/customer/{c}/messages");
    let r = app
        .call(
            &Method::POST,
            &path(OBP_BANK, &cust),
            None,
            Some(&v140_message()),
        )
        .await;
    assert_obp(&r, 401, "OBP-20001");
    // JSON before OBP_BANK.
    assert_obp(
        &staff
            .send_raw(Method::POST, &path("999", &cust), "{nope")
            .await,
        400,
        "OBP-10001",
    );
    assert_obp(
        &staff.post(&path("999", &cust), &v140_message()).await,
        404,
        "OBP-30001",
    );
    assert_obp(
        &staff.post(&path(OBP_BANK, "nobody"), &v140_message()).await,
        404,
        "OBP-30046",
    );
    let r = staff.post(&path(OBP_BANK, &cust), &v140_message()).await;
    assert_obp(&r, 400, "OBP-30008");
    assert!(r.body["message"]
        .as_str()
        .unwrap()
        .contains(&format!("Current customerId ({cust})")));

    let get = format!("{V4}/banks/{OBP_BANK}/customer/messages");
    assert_obp(&app.get(&get).await, 401, "OBP-20001");
    assert_obp(
        &staff
            .get(&format!("{V4}/banks/999/customer/messages"))
            .await,
        404,
        "OBP-30001",
    );
    // Born in v1.4.0: not under v2.0.0.
    assert_obp(
        &staff
            .get(&format!("{V200}/banks/{OBP_BANK}/customer/messages"))
            .await,
        404,
        "OBP-10404",
    );
}

fn v400_message() -> Value {
    json!({"message": "123456", "transport": "SMS", "from_department": "Open Bank", "from_person": "Tom"})
}

#[tokio::test]
async fn a_v400_message_is_kept_for_the_customer() {
    let app = obp_app().await;
    let writer = app.obp_staff("writer", &["CanCreateCustomerMessage"]).await;
    let reader = app.obp_staff("reader", &["CanGetCustomerMessages"]).await;
    let cust = customer(&app, OBP_BANK).await;
    let other = customer(&app, OBP_BANK).await;
    let path = format!("{V4}/banks/{OBP_BANK}/customers/{cust}/messages");
    let r = writer.post(&path, &v400_message()).await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    assert_eq!(r.body, json!({"success": "Success"}));

    let r = reader
        .get(&format!(
            "{V310}/banks/{OBP_BANK}/customers/{cust}/messages"
        ))
        .await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.text);
    let ms = r.body["messages"].as_array().unwrap();
    assert_eq!(ms.len(), 1);
    let m = ms[0].as_object().unwrap();
    assert_eq!(m.len(), 6, "{m:?}");
    assert_eq!(m["id"].as_str().unwrap().len(), 36);
    assert!(m["date"].as_str().unwrap().ends_with('Z'));
    assert_eq!(m["transport"], "SMS");
    assert_eq!(m["message"], "123456");
    assert_eq!(m["from_department"], "Open Bank");
    assert_eq!(m["from_person"], "Tom");
    let r = reader
        .get(&format!("{V4}/banks/{OBP_BANK}/customers/{other}/messages"))
        .await;
    assert_eq!(r.body, json!({"messages": []}));
    // Born in v4.0.0: not under v1.4.0.
    assert_obp(
        &reader
            .get(&format!(
                "{V140}/banks/{OBP_BANK}/customers/{cust}/messages"
            ))
            .await,
        404,
        "OBP-10404",
    );
}

fn v400_path(bank: &str, c: &str) -> String {
    format!("{V4}/banks/{bank}/customers/{c}/messages")
}

/// No role, both roles at OTHER_BANK, the create role, the get role.
async fn v400_users(app: &TestApp) -> [ObpUser<'_>; 4] {
    let nobody = app.obp_user("nobody").await;
    let elsewhere = app.obp_user("elsewhere").await;
    let admin = app.obp_root().await;
    for role in ["CanCreateCustomerMessage", "CanGetCustomerMessages"] {
        admin.grant(&elsewhere.user_id, role, OTHER_BANK).await;
    }
    let writer = app.obp_staff("writer", &["CanCreateCustomerMessage"]).await;
    let reader = app.obp_staff("reader", &["CanGetCustomerMessages"]).await;
    [nobody, elsewhere, writer, reader]
}

#[tokio::test]
async fn v400_create_refusals_come_in_obps_order_and_need_the_role_at_the_bank() {
    let app = obp_app().await;
    let cust = customer(&app, OBP_BANK).await;
    let [nobody, elsewhere, writer, reader] = v400_users(&app).await;
    let anonymous = app
        .call(
            &Method::POST,
            &v400_path(OBP_BANK, &cust),
            None,
            Some(&v400_message()),
        )
        .await;
    assert_obp(&anonymous, 401, "OBP-20001");
    // OBP_BANK before ROLE, ROLE before JSON, JSON before CUST.
    let r = nobody
        .send_raw(Method::POST, &v400_path("999", "x"), "{nope")
        .await;
    assert_obp(&r, 404, "OBP-30001");
    for u in [&nobody, &elsewhere, &reader] {
        let r = u
            .send_raw(Method::POST, &v400_path(OBP_BANK, "x"), "{nope")
            .await;
        assert_obp(&r, 403, "OBP-20006");
        let m = r.body["message"].as_str().unwrap();
        assert!(m.contains("CanCreateCustomerMessage"), "{m}");
    }
    let r = writer
        .send_raw(Method::POST, &v400_path(OBP_BANK, "x"), "{nope")
        .await;
    assert_obp(&r, 400, "OBP-10001");
    let r = writer
        .post(&v400_path(OBP_BANK, "x"), &v400_message())
        .await;
    assert_obp(&r, 404, "OBP-30046");
    // The role at OTHER_BANK works there.
    let there = customer(&app, OTHER_BANK).await;
    let r = elsewhere
        .post(&v400_path(OTHER_BANK, &there), &v400_message())
        .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
}

#[tokio::test]
async fn v400_get_refusals_come_in_obps_order_and_need_the_role_at_the_bank() {
    let app = obp_app().await;
    let cust = customer(&app, OBP_BANK).await;
    let [nobody, elsewhere, writer, reader] = v400_users(&app).await;
    assert_obp(
        &app.get(&v400_path(OBP_BANK, &cust)).await,
        401,
        "OBP-20001",
    );
    assert_obp(&nobody.get(&v400_path("999", "x")).await, 404, "OBP-30001");
    for u in [&nobody, &elsewhere, &writer] {
        let r = u.get(&v400_path(OBP_BANK, "x")).await;
        assert_obp(&r, 403, "OBP-20006");
        let m = r.body["message"].as_str().unwrap();
        assert!(m.contains("CanGetCustomerMessages"), "{m}");
    }
    assert_obp(
        &reader.get(&v400_path(OBP_BANK, "x")).await,
        404,
        "OBP-30046",
    );
    let there = customer(&app, OTHER_BANK).await;
    let r = elsewhere.get(&v400_path(OTHER_BANK, &there)).await;
    assert_eq!(r.body, json!({"messages": []}), "{}", r.text);
}

fn crm(bank: &str, n: i64) -> CrmEvent {
    CrmEvent {
        crm_event_id: format!("crm-{bank}-{n}"),
        bank_id: bank.into(),
        customer_name: "김고객".into(),
        customer_number: format!("C{n}"),
        category: "Call".into(),
        detail: "Offer a card".into(),
        channel: "Phone".into(),
        scheduled_date: Utc.with_ymd_and_hms(2024, 1, n as u32, 9, 0, 0).single(),
        actual_date: None,
        result: "No answer".into(),
    }
}

#[tokio::test]
async fn crm_events_are_the_banks_and_none_is_404() {
    let app = obp_app().await;
    let u = app.obp_user("tom").await;
    let path = format!("{V140}/banks/{OBP_BANK}/crm-events");
    let r = u.get(&path).await;
    assert_obp(&r, 404, "No CRM Events available.");
    assert_obp(&app.get(&path).await, 401, "OBP-20001");
    assert_obp(
        &u.get(&format!("{V4}/banks/999/crm-events")).await,
        404,
        "OBP-30001",
    );

    for e in [crm(OBP_BANK, 2), crm(OBP_BANK, 1), crm(OTHER_BANK, 3)] {
        EngageRepo::insert_crm_event(&app.store, &e).await.unwrap();
    }
    let r = u.get(&format!("{V4}/banks/{OBP_BANK}/crm-events")).await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.text);
    let first = json!({
        "id": "crm-004-1",
        "bank_id": OBP_BANK,
        "customer_name": "김고객",
        "customer_number": "C1",
        "category": "Call",
        "detail": "Offer a card",
        "channel": "Phone",
        "scheduled_date": "2024-01-01T09:00:00Z",
        "actual_date": null,
        "result": "No answer",
    });
    assert_eq!(r.body["crm_events"].as_array().unwrap().len(), 2);
    assert_eq!(r.body["crm_events"][0], first);
    assert_eq!(r.body["crm_events"][1]["id"], "crm-004-2");
    assert_obp(
        &u.get(&format!("{V200}/banks/{OBP_BANK}/crm-events")).await,
        404,
        "OBP-10404",
    );
}

#[tokio::test]
async fn the_service_records_crm_events() {
    let app = obp_app().await;
    let u = app.obp_user("tom").await;
    let mut e = crm(OBP_BANK, 1);
    e.crm_event_id = String::new();
    let obp = Obp::new(
        Arc::new(app.store.clone()),
        app.world.clone(),
        ObpConfig::default(),
    );
    let made = obp.record_crm_event(e).await.unwrap();
    assert_eq!(made.crm_event_id.len(), 36);
    let r = u.get(&format!("{V310}/banks/{OBP_BANK}/crm-events")).await;
    assert_eq!(r.body["crm_events"][0]["id"], made.crm_event_id.as_str());
}

#[tokio::test]
async fn credit_limit_requests_are_static_and_anonymous() {
    let app = obp_app().await;
    let base = format!("{V4}/banks/999/customers/nobody/credit_limit/requests");
    let req = axum::http::Request::builder()
        .method("POST")
        .uri(&base)
        .header("content-type", "application/json")
        .body(axum::body::Body::from("{not json"))
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    let s = "String";
    assert_eq!(
        r.body,
        json!({"execution_time": s, "execution_date": s, "token": s, "short_reference": s})
    );
    let order = json!({"rank_amount_1": s, "nominal_interest_1": s, "rank_amount_2": s, "nominal_interest_2": s});
    for p in [
        base.clone(),
        format!("{base}/any-id"),
        format!("{V310}/banks/{OBP_BANK}/customers/c/credit_limit/requests"),
    ] {
        let r = app.get(&p).await;
        assert_eq!(r.status.as_u16(), 200, "{p}: {}", r.text);
        assert_eq!(r.body, order);
    }
    let r = app
        .get(&format!(
            "{V140}/banks/{OBP_BANK}/customers/c/credit_limit/requests"
        ))
        .await;
    assert_obp(&r, 404, "OBP-10404");
}

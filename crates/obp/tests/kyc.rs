//! KYC documents, media, checks and statuses: upserts by the path's id, the
//! reads with their system roles, the order of checks, and the person's
//! KYC status that the other faces see.

use axum::http::Method;
use chrono::{DateTime, NaiveDate, Utc};
use finhub_core::obp::customers::{Customer, CustomerRepo};
use finhub_core::obp::users::{Entitlement, UserRepo};
use finhub_core::obp::{new_id, Obp};
use finhub_core::party::NewPerson;
use finhub_testkit::obp::{assert_obp, obp_app, ObpUser, OBP_BANK, OTHER_BANK, V4};
use finhub_testkit::TestApp;
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
    customer_of(app, bank, &person.person_id, name).await
}

async fn customer_of(app: &TestApp, bank: &str, person_id: &str, name: &str) -> Customer {
    let now = app.clock.now();
    let c = Customer {
        customer_id: new_id(),
        bank_id: bank.into(),
        customer_number: new_id()[..8].to_owned(),
        person_id: person_id.into(),
        legal_name: name.into(),
        created_at: now,
        updated_at: now,
        ..Customer::default()
    };
    assert!(CustomerRepo::insert_customer(&app.store, &c).await.unwrap());
    c
}

fn add(bank: &str, customer_id: &str, rest: &str) -> String {
    format!("{V4}/banks/{bank}/customers/{customer_id}/{rest}")
}

fn read(customer_id: &str, what: &str) -> String {
    format!("{V4}/customers/{customer_id}/{what}")
}

const ALL_ROLES: [&str; 8] = [
    "CanAddKycDocument",
    "CanAddKycMedia",
    "CanAddKycCheck",
    "CanAddKycStatus",
    "CanGetAnyKycDocuments",
    "CanGetAnyKycMedia",
    "CanGetAnyKycChecks",
    "CanGetAnyKycStatuses",
];

fn document(number: &str) -> Value {
    json!({"customer_number": "5987953", "type": "passport", "number": number,
        "issue_date": "2018-03-04T00:00:00Z", "issue_place": "Seoul", "expiry_date": "2028-03-04T00:00:00Z"})
}

#[tokio::test]
async fn documents_are_upserted_by_id_and_read_back() {
    let app = obp_app().await;
    let staff = app.obp_staff("staff", &ALL_ROLES).await;
    let c = customer_at(&app, OBP_BANK, "김민수").await;
    let r = staff
        .put(
            &add(OBP_BANK, &c.customer_id, "kyc_documents/doc-1"),
            &document("M1234"),
        )
        .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    let want = json!({"bank_id": OBP_BANK, "customer_id": c.customer_id, "id": "doc-1", "customer_number": "5987953",
        "type": "passport", "number": "M1234", "issue_date": "2018-03-04T00:00:00Z", "issue_place": "Seoul",
        "expiry_date": "2028-03-04T00:00:00Z"});
    assert_eq!(r.body, want);
    // The same id again overwrites it; another id adds one, listed first.
    app.clock.advance(chrono::Duration::seconds(1));
    let r = staff
        .put(
            &add(OBP_BANK, &c.customer_id, "kyc_documents/doc-1"),
            &document("M9999"),
        )
        .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    app.clock.advance(chrono::Duration::seconds(1));
    staff
        .put(
            &add(OBP_BANK, &c.customer_id, "kyc_documents/doc-2"),
            &json!({"type": "id_card"}),
        )
        .await;
    let r = staff.get(&read(&c.customer_id, "kyc_documents")).await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.text);
    let docs = r.body["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 2, "{}", r.text);
    assert_eq!(docs[0]["id"], "doc-2");
    assert_eq!(docs[0]["issue_date"], Value::Null);
    assert_eq!(docs[0]["number"], "");
    assert_eq!(docs[1]["number"], "M9999");
    // Born in v2.0.0: served there too.
    let r = staff
        .get(&format!(
            "/obp/v2.0.0/customers/{}/kyc_documents",
            c.customer_id
        ))
        .await;
    assert_eq!(r.body["documents"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn media_and_checks_have_every_field() {
    let app = obp_app().await;
    let staff = app.obp_staff("staff", &ALL_ROLES).await;
    let c = customer_at(&app, OBP_BANK, "김민수").await;
    let media = json!({"customer_number": "5987953", "type": "image", "url": "http://www.example.com/id.jpg",
        "date": "2020-01-01T00:00:00Z", "relates_to_kyc_document_id": "doc-1", "relates_to_kyc_check_id": "chk-1"});
    let r = staff
        .put(&add(OBP_BANK, &c.customer_id, "kyc_media/med-1"), &media)
        .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    let mut want = media.clone();
    let o = want.as_object_mut().unwrap();
    o.insert("bank_id".into(), json!(OBP_BANK));
    o.insert("customer_id".into(), json!(c.customer_id));
    o.insert("id".into(), json!("med-1"));
    assert_eq!(r.body, want);
    let r = staff.get(&read(&c.customer_id, "kyc_media")).await;
    assert_eq!(r.body, json!({"medias": [want]}));

    let check = json!({"customer_number": "5987953", "date": "2020-02-02T10:00:00Z", "how": "online_meeting",
        "staff_user_id": staff.user_id, "staff_name": "Mary", "satisfied": true, "comments": "fine"});
    let r = staff
        .put(&add(OBP_BANK, &c.customer_id, "kyc_check/chk-1"), &check)
        .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    let mut want = check.clone();
    let o = want.as_object_mut().unwrap();
    o.insert("bank_id".into(), json!(OBP_BANK));
    o.insert("customer_id".into(), json!(c.customer_id));
    o.insert("id".into(), json!("chk-1"));
    assert_eq!(r.body, want);
    let r = staff.get(&read(&c.customer_id, "kyc_checks")).await;
    assert_eq!(r.body, json!({"checks": [want]}));
}

fn obp(app: &TestApp) -> Obp {
    Obp::new(
        Arc::new(app.store.clone()),
        app.world.clone(),
        Default::default(),
    )
}

async fn person_status(app: &TestApp, person_id: &str) -> Option<(bool, DateTime<Utc>)> {
    obp(app).kyc_status_of_person(person_id).await.unwrap()
}

async fn customer_kyc(app: &TestApp, customer_id: &str) -> bool {
    let c = CustomerRepo::customer(&app.store, customer_id)
        .await
        .unwrap();
    c.unwrap().kyc_status
}

#[tokio::test]
async fn a_status_is_the_persons_kyc_status() {
    let app = obp_app().await;
    let staff = app.obp_staff("staff", &ALL_ROLES).await;
    let c = customer_at(&app, OBP_BANK, "김민수").await;
    let p = add(OBP_BANK, &c.customer_id, "kyc_statuses");
    assert_eq!(person_status(&app, &c.person_id).await, None);

    let body = json!({"customer_number": "5987953", "ok": true, "date": "2020-05-05T00:00:00Z"});
    let r = staff.put(&p, &body).await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    let mut want = body.clone();
    want["customer_id"] = json!(c.customer_id);
    assert_eq!(r.body, want);
    assert!(customer_kyc(&app, &c.customer_id).await);
    let (ok, date) = person_status(&app, &c.person_id).await.unwrap();
    assert!(ok);
    assert_eq!(date.to_rfc3339(), "2020-05-05T00:00:00+00:00");

    // One row per (bank, customer): a second add overwrites it.
    app.clock.advance(chrono::Duration::seconds(1));
    let body = json!({"customer_number": "5987953", "ok": false, "date": "2020-06-06T00:00:00Z"});
    assert_eq!(staff.put(&p, &body).await.status.as_u16(), 201);
    let r = staff.get(&read(&c.customer_id, "kyc_statuses")).await;
    let mut want = body.clone();
    want["customer_id"] = json!(c.customer_id);
    assert_eq!(r.body, json!({ "statuses": [want] }));
    assert!(!customer_kyc(&app, &c.customer_id).await);
    assert_eq!(
        person_status(&app, &c.person_id).await.map(|s| s.0),
        Some(false)
    );
}

#[tokio::test]
async fn the_persons_status_is_the_latest_at_any_bank() {
    let app = obp_app().await;
    let admin = app.obp_admin().await;
    let staff = app.obp_staff("staff", &ALL_ROLES).await;
    admin
        .grant(&staff.user_id, "CanAddKycStatus", OTHER_BANK)
        .await;
    let here = customer_at(&app, OBP_BANK, "김민수").await;
    let there = customer_of(&app, OTHER_BANK, &here.person_id, "김민수").await;
    let body = json!({"customer_number": "1", "ok": false, "date": "2020-05-05T00:00:00Z"});
    let r = staff
        .put(&add(OBP_BANK, &here.customer_id, "kyc_statuses"), &body)
        .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    app.clock.advance(chrono::Duration::seconds(1));
    let before = app.clock.now();
    let r = staff
        .put(
            &add(OTHER_BANK, &there.customer_id, "kyc_statuses"),
            &json!({"ok": true}),
        )
        .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    assert_eq!(r.body["date"], Value::Null);
    let (ok, date) = person_status(&app, &here.person_id).await.unwrap();
    assert!(ok);
    // Without a date in the body, the status dates from when it was added.
    assert!(before <= date && date <= app.clock.now(), "{date}");
    // Each customer keeps its own; v2.0.0 serves the statuses read.
    assert!(!customer_kyc(&app, &here.customer_id).await);
    let r = staff
        .get(&format!(
            "/obp/v2.0.0/customers/{}/kyc_statuses",
            there.customer_id
        ))
        .await;
    assert_eq!(r.body["statuses"][0]["ok"], true, "{}", r.text);
}

/// The callers of the add-endpoint order test.
struct Gates<'a> {
    app: &'a TestApp,
    admin: ObpUser<'a>,
    staff: ObpUser<'a>,
    nobody: ObpUser<'a>,
    elsewhere: ObpUser<'a>,
    customer_id: String,
}

#[tokio::test]
async fn adds_check_auth_role_bank_customer_then_json() {
    let app = obp_app().await;
    let c = customer_at(&app, OBP_BANK, "김민수").await;
    let g = Gates {
        app: &app,
        admin: app.obp_admin().await,
        staff: app.obp_staff("staff", &ALL_ROLES).await,
        nobody: app.obp_user("nobody").await,
        elsewhere: app.obp_user("elsewhere").await,
        customer_id: c.customer_id,
    };
    add_gates(&g, "kyc_documents/d1", "CanAddKycDocument").await;
    add_gates(&g, "kyc_media/m1", "CanAddKycMedia").await;
    add_gates(&g, "kyc_check/k1", "CanAddKycCheck").await;
    add_gates(&g, "kyc_statuses", "CanAddKycStatus").await;
}

async fn add_gates(g: &Gates<'_>, rest: &str, role: &str) {
    let empty = json!({});
    g.admin.grant(&g.elsewhere.user_id, role, OTHER_BANK).await;
    let p = add(OBP_BANK, &g.customer_id, rest);
    let unknown_bank = add("999", &g.customer_id, rest);
    let r = g.app.call(&Method::PUT, &p, None, Some(&empty)).await;
    assert_obp(&r, 401, "OBP-20001");
    // ROLE before OBP_BANK: an unknown bank without the role is 403.
    assert_obp(&g.nobody.put(&unknown_bank, &empty).await, 403, "OBP-20006");
    let r = g.nobody.put(&p, &empty).await;
    assert_obp(&r, 403, "OBP-20006");
    assert!(r.text.contains(role), "{}", r.text);
    // Held at the other bank, the role does not reach this one.
    assert_obp(&g.elsewhere.put(&p, &empty).await, 403, "OBP-20006");
    // OBP_BANK is reachable only with the role at an unknown bank, which no
    // grant gives: write that entitlement to the store directly.
    let e = Entitlement {
        entitlement_id: new_id(),
        user_id: g.staff.user_id.clone(),
        role_name: role.into(),
        bank_id: "999".into(),
    };
    assert!(UserRepo::insert_entitlement(&g.app.store, &e)
        .await
        .unwrap());
    assert_obp(&g.staff.put(&unknown_bank, &empty).await, 404, "OBP-30001");
    // CUST before JSON.
    let ghost = add(OBP_BANK, "ghost", rest);
    assert_obp(
        &g.staff.send_raw(Method::PUT, &ghost, "{").await,
        404,
        "OBP-30046",
    );
    assert_obp(
        &g.staff.send_raw(Method::PUT, &p, "{").await,
        400,
        "OBP-10001",
    );
    // A date in another format fails the body.
    let bad_date = json!({"date": "2020-01-01", "issue_date": "2020-01-01"});
    assert_obp(&g.staff.put(&p, &bad_date).await, 400, "OBP-10001");
}

#[tokio::test]
async fn reads_need_their_system_role_then_the_customer() {
    let app = obp_app().await;
    let nobody = app.obp_user("nobody").await;
    let c = customer_at(&app, OBP_BANK, "김민수").await;
    let cases = [
        ("kyc_documents", "CanGetAnyKycDocuments", "documents"),
        ("kyc_media", "CanGetAnyKycMedia", "medias"),
        ("kyc_checks", "CanGetAnyKycChecks", "checks"),
        ("kyc_statuses", "CanGetAnyKycStatuses", "statuses"),
    ];
    for (i, (what, role, key)) in cases.into_iter().enumerate() {
        assert_obp(
            &app.get(&read(&c.customer_id, what)).await,
            401,
            "OBP-20001",
        );
        // ROLE before CUST.
        let r = nobody.get(&read("ghost", what)).await;
        assert_obp(&r, 403, "OBP-20006");
        assert!(
            r.body["message"].as_str().unwrap().ends_with(role),
            "{}",
            r.text
        );
        let reader = app.obp_staff(&format!("reader{i}"), &[role]).await;
        assert_obp(&reader.get(&read("ghost", what)).await, 404, "OBP-30046");
        let r = reader.get(&read(&c.customer_id, what)).await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.text);
        assert_eq!(r.body, json!({ key: [] }));
    }
}

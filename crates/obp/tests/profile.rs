//! Addresses, tax residences and social-media handles, as a bank's staff
//! app calls them.

use axum::http::Method;
use chrono::{NaiveDate, TimeZone, Utc};
use finhub_core::obp::customers::{Customer, CustomerRepo};
use finhub_core::obp::new_id;
use finhub_core::party::NewPerson;
use finhub_testkit::obp::{assert_obp, obp_app, ObpUser, OBP_BANK, OTHER_BANK, V4};
use finhub_testkit::TestApp;
use serde_json::{json, Value};

/// A customer at `bank`, written straight to the store (Create Customer is
/// another area's); its id.
async fn customer(app: &TestApp, bank: &str, number: &str) -> String {
    let person = (app.world)
        .create_person(NewPerson {
            name: format!("Customer {number}"),
            birth_date: NaiveDate::from_ymd_opt(1990, 3, 4),
            gender: None,
            phone: None,
            email: None,
            ci: None,
        })
        .await
        .unwrap();
    let at = Utc.with_ymd_and_hms(2020, 1, 1, 0, 0, 0).unwrap();
    let c = Customer {
        customer_id: new_id(),
        bank_id: bank.into(),
        customer_number: number.into(),
        person_id: person.person_id,
        legal_name: format!("Customer {number}"),
        created_at: at,
        updated_at: at,
        ..Customer::default()
    };
    assert!(app.store.insert_customer(&c).await.unwrap());
    c.customer_id
}

/// The super admin, whether or not it exists yet.
async fn admin(app: &TestApp) -> ObpUser<'_> {
    app.obp_root().await
}

const ALL_ROLES: &[&str] = &[
    "CanCreateCustomerAddress",
    "CanGetCustomerAddress",
    "CanDeleteCustomerAddress",
    "CanCreateCustomer",
    "CanCreateTaxResidence",
    "CanGetTaxResidence",
    "CanDeleteTaxResidence",
    "CanAddSocialMediaHandle",
    "CanGetSocialMediaHandles",
];

fn address(city: &str, state: &str) -> Value {
    json!({"line_1": "1 Main St", "line_2": "Apt 2", "line_3": "", "city": city, "county": "Jung-gu",
        "state": state, "postcode": "04524", "country_code": "KR", "tags": ["mailing", "home"], "status": "OK"})
}

#[tokio::test]
async fn addresses_are_created_listed_updated_and_deleted() {
    let app = obp_app().await;
    let staff = app.obp_staff("staff", ALL_ROLES).await;
    let cid = customer(&app, OBP_BANK, "1001").await;
    let base = format!("{V4}/banks/{OBP_BANK}/customers/{cid}");
    let r = staff
        .post(&format!("{base}/address"), &address("Seoul", "Seoul-si"))
        .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    let id = r.body["customer_address_id"].as_str().unwrap().to_owned();
    let date = r.body["insert_date"].as_str().unwrap().to_owned();
    assert!(date.ends_with('Z') && date.len() == 20, "{date}");
    // `status` is the posted `state` (OBP's quirk).
    let created = json!({"customer_address_id": id, "customer_id": cid, "line_1": "1 Main St",
        "line_2": "Apt 2", "line_3": "", "city": "Seoul", "county": "Jung-gu", "state": "Seoul-si",
        "postcode": "04524", "country_code": "KR", "tags": ["mailing", "home"], "status": "Seoul-si",
        "insert_date": date});
    assert_eq!(r.body, created);
    let r = staff.get(&format!("{base}/addresses")).await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.text);
    assert_eq!(r.body, json!({"addresses": [created]}));

    let one = format!("{base}/addresses/{id}");
    let mut body = address("Busan", "Busan-si");
    body["tags"] = json!(["work"]);
    let r = staff.put(&one, &body).await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.text);
    assert_eq!(r.body["customer_address_id"], id.as_str());
    assert_eq!(r.body["city"], "Busan");
    assert_eq!(r.body["status"], "Busan-si");
    assert_eq!(r.body["tags"], json!(["work"]));
    assert_eq!(r.body["insert_date"], date.as_str());
    assert_eq!(
        staff.get(&format!("{base}/addresses")).await.body["addresses"][0]["city"],
        "Busan"
    );

    let r = staff.delete(&one).await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.text);
    assert_eq!(r.body, json!(true));
    assert_eq!(
        staff.get(&format!("{base}/addresses")).await.body,
        json!({"addresses": []})
    );
    assert_obp(&staff.delete(&one).await, 400, "OBP-50200");
    assert_obp(&staff.put(&one, &body).await, 400, "OBP-50200");
    // Born in v3.1.0: not under v2.0.0.
    assert_obp(
        &staff
            .get(&format!(
                "/obp/v2.0.0/banks/{OBP_BANK}/customers/{cid}/addresses"
            ))
            .await,
        404,
        "OBP-10404",
    );
}

#[tokio::test]
async fn address_and_tax_endpoints_refuse_in_obps_order() {
    let app = obp_app().await;
    let staff = app.obp_staff("staff", ALL_ROLES).await;
    let cid = customer(&app, OBP_BANK, "1001").await;
    let base = format!("{V4}/banks/{OBP_BANK}/customers/{cid}");
    let addr = address("Seoul", "S");
    let tax = json!({"domain": "KR", "tax_number": "123"});
    let cases: Vec<(Method, String, Option<Value>)> = vec![
        (Method::POST, format!("{base}/address"), Some(addr.clone())),
        (
            Method::PUT,
            format!("{base}/addresses/some-id"),
            Some(addr.clone()),
        ),
        (Method::GET, format!("{base}/addresses"), None),
        (Method::DELETE, format!("{base}/addresses/some-id"), None),
        (
            Method::POST,
            format!("{base}/tax-residence"),
            Some(tax.clone()),
        ),
        (Method::GET, format!("{base}/tax-residences"), None),
        (
            Method::DELETE,
            format!("{base}/tax_residencies/some-id"),
            None,
        ),
    ];
    for (method, path, body) in cases {
        assert_obp(
            &app.call(&method, &path, None, body.as_ref()).await,
            401,
            "OBP-20001",
        );
        let bad_bank = path.replace("/banks/004/", "/banks/999/");
        assert_obp(
            &staff.call(method.clone(), &bad_bank, body.as_ref()).await,
            404,
            "OBP-30001",
        );
        if body.is_some() {
            assert_obp(
                &staff.send_raw(method.clone(), &path, "{oops").await,
                400,
                "OBP-10001",
            );
        }
        let r = staff
            .call(method.clone(), &path.replace(&cid, "nope"), body.as_ref())
            .await;
        assert_obp(&r, 404, "OBP-30046");
        assert!(
            r.body["message"]
                .as_str()
                .unwrap()
                .ends_with("Current CustomerId(nope)"),
            "{}",
            r.text
        );
    }
}

#[tokio::test]
async fn tax_residences_are_created_listed_and_deleted() {
    let app = obp_app().await;
    let staff = app.obp_staff("staff", ALL_ROLES).await;
    let cid = customer(&app, OBP_BANK, "1001").await;
    let base = format!("{V4}/banks/{OBP_BANK}/customers/{cid}");
    let r = staff
        .post(
            &format!("{base}/tax-residence"),
            &json!({"domain": "KR", "tax_number": "123-45"}),
        )
        .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    let id = r.body["tax_residence_id"].as_str().unwrap().to_owned();
    let t = json!({"domain": "KR", "tax_number": "123-45", "tax_residence_id": id});
    assert_eq!(r.body, t);
    let r = staff.get(&format!("{base}/tax-residences")).await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.text);
    assert_eq!(r.body, json!({"tax_residence": [t]}));
    let one = format!("{base}/tax_residencies/{id}");
    let r = staff.delete(&one).await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.text);
    assert_eq!(r.body, json!(true));
    assert_eq!(
        staff.get(&format!("{base}/tax-residences")).await.body,
        json!({"tax_residence": []})
    );
    assert_obp(&staff.delete(&one).await, 400, "OBP-50200");
}

fn handle(number: &str, h: &str) -> Value {
    json!({"customer_number": number, "type": "twitter", "handle": h,
        "date_added": "2020-01-01T00:00:00Z", "date_activated": "2020-01-02T00:00:00Z"})
}

#[tokio::test]
async fn social_handles_are_kept_under_the_bodys_customer_number() {
    let app = obp_app().await;
    let staff = app.obp_staff("staff", ALL_ROLES).await;
    let c1 = customer(&app, OBP_BANK, "1001").await;
    let c2 = customer(&app, OBP_BANK, "1002").await;
    let path = |c: &str| format!("{V4}/banks/{OBP_BANK}/customers/{c}/social_media_handles");
    let r = staff.post(&path(&c1), &handle("1001", "@first")).await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    assert_eq!(r.body, json!({"success": "Success"}));
    staff.post(&path(&c1), &handle("1001", "@second")).await;
    // Posted on c1's path with c2's number: c2's handle (OBP's quirk).
    staff.post(&path(&c1), &handle("1002", "@other")).await;
    let r = staff.get(&path(&c1)).await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.text);
    assert_eq!(
        r.body,
        json!({"checks": [handle("1001", "@second"), handle("1001", "@first")]})
    );
    assert_eq!(
        staff.get(&path(&c2)).await.body,
        json!({"checks": [handle("1002", "@other")]})
    );
    // Born in v2.0.0: served there and under v3.1.0.
    for v in ["/obp/v2.0.0", "/obp/v3.1.0"] {
        let r = staff
            .get(&format!(
                "{v}/banks/{OBP_BANK}/customers/{c2}/social_media_handles"
            ))
            .await;
        assert_eq!(r.status.as_u16(), 200, "{v}: {}", r.text);
    }
}

#[tokio::test]
async fn social_handles_refuse_in_obps_v2_order() {
    let app = obp_app().await;
    let nobody = app.obp_user("nobody").await;
    let staff = app.obp_staff("staff", ALL_ROLES).await;
    let cid = customer(&app, OBP_BANK, "1001").await;
    let path = format!("{V4}/banks/{OBP_BANK}/customers/{cid}/social_media_handles");
    let body = handle("1001", "@h");
    assert_obp(
        &app.call(&Method::POST, &path, None, Some(&body)).await,
        401,
        "OBP-20001",
    );
    // JSON comes before the bank and the role here, and is the plain message.
    let bad = format!("{V4}/banks/bad%20bank/customers/{cid}/social_media_handles");
    let r = nobody.send_raw(Method::POST, &bad, "{oops").await;
    assert_obp(&r, 400, "OBP-10001");
    assert_eq!(r.body["message"], "OBP-10001: Incorrect json format.");
    let r = nobody.post(&bad, &body).await;
    assert_obp(&r, 400, "OBP-30111");
    let r = nobody
        .post(&path.replace("/banks/004/", "/banks/999/"), &body)
        .await;
    assert_obp(&r, 404, "OBP-30001");
    assert_obp(&nobody.post(&path, &body).await, 403, "OBP-20006");
    assert_obp(
        &staff.post(&path.replace(&cid, "nope"), &body).await,
        404,
        "OBP-30046",
    );

    assert_obp(&app.get(&path).await, 401, "OBP-20001");
    assert_obp(
        &nobody
            .get(&path.replace("/banks/004/", "/banks/999/"))
            .await,
        404,
        "OBP-30001",
    );
    assert_obp(&nobody.get(&path).await, 403, "OBP-20006");
    assert_obp(
        &staff.get(&path.replace(&cid, "nope")).await,
        404,
        "OBP-30046",
    );
}

/// Each role-guarded endpoint (path under the customer; body 1 an address,
/// 2 a tax residence, 3 a social handle) and its role.
const ROLE_CASES: &[(&str, &str, u8, &str)] = &[
    ("POST", "address", 1, "CanCreateCustomerAddress"),
    ("PUT", "addresses/x", 1, "CanCreateCustomer"),
    ("GET", "addresses", 0, "CanGetCustomerAddress"),
    ("DELETE", "addresses/x", 0, "CanDeleteCustomerAddress"),
    ("POST", "tax-residence", 2, "CanCreateTaxResidence"),
    ("GET", "tax-residences", 0, "CanGetTaxResidence"),
    ("DELETE", "tax_residencies/x", 0, "CanDeleteTaxResidence"),
    ("POST", "social_media_handles", 3, "CanAddSocialMediaHandle"),
    ("GET", "social_media_handles", 0, "CanGetSocialMediaHandles"),
];

/// No role: 403 naming it; the role at OTHER_BANK: still 403; at OBP_BANK: through.
async fn role_check(app: &TestApp, admin: &ObpUser<'_>, i: usize, cid: &str) {
    let (method, path, body, role) = ROLE_CASES[i];
    let method = Method::from_bytes(method.as_bytes()).unwrap();
    let path = format!("{V4}/banks/{OBP_BANK}/customers/{cid}/{path}");
    let body = match body {
        1 => Some(address("Seoul", "S")),
        2 => Some(json!({"domain": "KR", "tax_number": "1"})),
        3 => Some(handle("1001", "@h")),
        _ => None,
    };
    let user = app.obp_user(&format!("user{i}")).await;
    let r = user.call(method.clone(), &path, body.as_ref()).await;
    assert_obp(&r, 403, "OBP-20006");
    let m = r.body["message"].as_str().unwrap();
    assert!(m.contains(role), "{path}: {m}");
    admin.grant(&user.user_id, role, OTHER_BANK).await;
    let r = user.call(method.clone(), &path, body.as_ref()).await;
    assert_obp(&r, 403, "OBP-20006");
    admin.grant_role(&user.user_id, role).await;
    let r = user.call(method, &path, body.as_ref()).await;
    assert!(r.status.as_u16() != 403, "{path}: {}", r.text);
}

/// Every role-guarded endpoint: no role is 403 naming it, and the role
/// granted at another bank does not reach OBP_BANK.
#[tokio::test]
async fn every_endpoint_needs_its_role_at_this_bank() {
    let app = obp_app().await;
    let admin = admin(&app).await;
    let cid = customer(&app, OBP_BANK, "1001").await;
    for i in 0..ROLE_CASES.len() {
        role_check(&app, &admin, i, &cid).await;
    }
}

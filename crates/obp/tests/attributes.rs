//! Customer attributes, attribute definitions and Get Customers by
//! ATTRIBUTES, as a bank's staff app calls them.

use axum::http::Method;
use chrono::{NaiveDate, TimeZone, Utc};
use finhub_core::obp::customers::{Customer, CustomerRepo};
use finhub_core::obp::new_id;
use finhub_core::party::NewPerson;
use finhub_testkit::obp::{assert_obp, obp_app, ObpUser, OBP_BANK, OTHER_BANK, V4};
use finhub_testkit::{Resp, TestApp};
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
        mobile_phone_number: "+82 10 1234 5678".into(),
        email: "c@example.com".into(),
        face_image_url: "www.example.com/face.jpg".into(),
        face_image_date: Some(at),
        date_of_birth: Some(Utc.with_ymd_and_hms(1990, 3, 4, 0, 0, 0).unwrap()),
        relationship_status: "single".into(),
        dependants: 1,
        dob_of_dependants: vec![Utc.with_ymd_and_hms(2015, 1, 1, 0, 0, 0).unwrap()],
        credit_rating: "OBP".into(),
        credit_source: "OBP".into(),
        credit_limit_currency: "KRW".into(),
        credit_limit_amount: "1000000".into(),
        highest_education_attained: "Master".into(),
        employment_status: "worker".into(),
        kyc_status: false,
        last_ok_date: Some(at),
        title: "Dr.".into(),
        branch_id: "DERBY6".into(),
        name_suffix: "Sr".into(),
        created_at: at,
        updated_at: at,
    };
    assert!(app.store.insert_customer(&c).await.unwrap());
    c.customer_id
}

/// The super admin, whether or not it exists yet.
async fn admin(app: &TestApp) -> ObpUser<'_> {
    app.obp_root().await
}

const ALL_ROLES: &[&str] = &[
    "CanCreateCustomerAttributeAtOneBank",
    "CanUpdateCustomerAttributeAtOneBank",
    "CanGetCustomerAttributesAtOneBank",
    "CanGetCustomerAttributeAtOneBank",
    "CanDeleteCustomerAttributeAtOneBank",
    "CanCreateCustomerAttributeDefinitionAtOneBank",
    "CanGetCustomerAttributeDefinitionAtOneBank",
    "CanDeleteCustomerAttributeDefinitionAtOneBank",
    "CanGetCustomer",
];

fn attr(name: &str, kind: &str, value: &str) -> Value {
    json!({"name": name, "type": kind, "value": value})
}

async fn create(staff: &ObpUser<'_>, cid: &str, body: &Value) -> Value {
    let r = staff
        .post(
            &format!("{V4}/banks/{OBP_BANK}/customers/{cid}/attribute"),
            body,
        )
        .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    r.body
}

#[tokio::test]
async fn attributes_are_created_read_updated_and_deleted() {
    let app = obp_app().await;
    let staff = app.obp_staff("staff", ALL_ROLES).await;
    let cid = customer(&app, OBP_BANK, "1001").await;
    let a = create(
        &staff,
        &cid,
        &attr("SPECIAL_TAX_NUMBER", "STRING", "123456789"),
    )
    .await;
    let id = a["customer_attribute_id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 36);
    assert_eq!(
        a,
        json!({"customer_attribute_id": id, "name": "SPECIAL_TAX_NUMBER", "type": "STRING", "value": "123456789"})
    );
    // Always a new row, even for the same name.
    let b = create(&staff, &cid, &attr("SPECIAL_TAX_NUMBER", "INTEGER", "7")).await;
    assert_ne!(b["customer_attribute_id"], a["customer_attribute_id"]);
    let list = staff
        .get(&format!("{V4}/banks/{OBP_BANK}/customers/{cid}/attributes"))
        .await;
    assert_eq!(list.status.as_u16(), 200, "{}", list.text);
    assert_eq!(list.body, json!({"customer_attributes": [a, b]}));

    let one = format!("{V4}/banks/{OBP_BANK}/customers/{cid}/attributes/{id}");
    let r = staff.get(&one).await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.text);
    assert_eq!(r.body, a);
    let r = staff
        .put(&one, &attr("SPECIAL_TAX_NUMBER", "DOUBLE", "12.5"))
        .await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.text);
    assert_eq!(
        r.body,
        json!({"customer_attribute_id": id, "name": "SPECIAL_TAX_NUMBER", "type": "DOUBLE", "value": "12.5"})
    );
    assert_eq!(staff.get(&one).await.body["value"], "12.5");

    let r = staff
        .delete(&format!("{V4}/banks/{OBP_BANK}/customers/attributes/{id}"))
        .await;
    assert_eq!(r.status.as_u16(), 204, "{}", r.text);
    assert!(r.text.is_empty());
    assert_obp(&staff.get(&one).await, 400, "OBP-30069");
    // Unknown: still 204.
    let r = staff
        .delete(&format!("{V4}/banks/{OBP_BANK}/customers/attributes/nope"))
        .await;
    assert_eq!(r.status.as_u16(), 204);
    // The documented route works too.
    let bid = b["customer_attribute_id"].as_str().unwrap();
    let r = staff
        .delete(&format!("{V4}/banks/{OBP_BANK}/{cid}/attributes/{bid}"))
        .await;
    assert_eq!(r.status.as_u16(), 204, "{}", r.text);
    let list = staff
        .get(&format!("{V4}/banks/{OBP_BANK}/customers/{cid}/attributes"))
        .await;
    assert_eq!(list.body, json!({"customer_attributes": []}));
    // Born in v4.0.0: served under v3.1.0 too, not v2.0.0.
    let r = staff
        .get(&format!(
            "/obp/v3.1.0/banks/{OBP_BANK}/customers/{cid}/attributes"
        ))
        .await;
    assert_eq!(r.status.as_u16(), 200);
    assert_obp(
        &staff
            .get(&format!(
                "/obp/v2.0.0/banks/{OBP_BANK}/customers/{cid}/attributes"
            ))
            .await,
        404,
        "OBP-10404",
    );
}

/// What the write refusals need.
struct Writes<'a> {
    app: &'a TestApp,
    staff: ObpUser<'a>,
    nobody: ObpUser<'a>,
    cid: String,
    other: String,
}

const TYPE_WORDS: &str = "OBP-10001: Incorrect json format. The `Type` field can only accept the following field: DOUBLE(12.1234), STRING(TAX_NUMBER), INTEGER(123) and DATE_WITH_DAY(2012-04-23)";

/// AUTH → OBP_BANK → ROLE → JSON → type → CUST → OBP-30113 on one write.
async fn write_refusals(w: &Writes<'_>, method: Method, path: &str) {
    let good = attr("A", "STRING", "y");
    let r = w.app.call(&method, path, None, Some(&good)).await;
    assert_obp(&r, 401, "OBP-20001");
    let bad_bank = path.replace("/banks/004/", "/banks/999/");
    let r = w.nobody.call(method.clone(), &bad_bank, Some(&good)).await;
    assert_obp(&r, 404, "OBP-30001");
    let r = w.nobody.call(method.clone(), path, Some(&good)).await;
    assert_obp(&r, 403, "OBP-20006");
    let r = w.staff.send_raw(method.clone(), path, "{not json").await;
    assert_obp(&r, 400, "OBP-10001");
    let bad_type = attr("A", "TEXT", "y");
    let r = w.staff.call(method.clone(), path, Some(&bad_type)).await;
    assert_eq!(r.body["message"], TYPE_WORDS);
    let unknown = path.replace(&w.cid, "no-such-customer");
    let r = w.staff.call(method.clone(), &unknown, Some(&good)).await;
    assert_obp(&r, 404, "OBP-30046");
    let m = r.body["message"].as_str().unwrap();
    assert!(m.ends_with("Current CustomerId(no-such-customer)"), "{m}");
    let elsewhere = path.replace(&w.cid, &w.other);
    let r = w.staff.call(method, &elsewhere, Some(&good)).await;
    assert_obp(&r, 400, "OBP-30113");
    let words = format!(
        "OBP-30113: Invalid Bank Id ({OBP_BANK}). The Customer({}) does not belong to this Bank",
        w.other
    );
    assert_eq!(r.body["message"], words);
}

#[tokio::test]
async fn create_and_update_refuse_in_obps_order() {
    let app = obp_app().await;
    let w = Writes {
        app: &app,
        staff: app.obp_staff("staff", ALL_ROLES).await,
        nobody: app.obp_user("nobody").await,
        cid: customer(&app, OBP_BANK, "1001").await,
        other: customer(&app, OTHER_BANK, "2001").await,
    };
    let cid = &w.cid;
    let a = create(&w.staff, cid, &attr("A", "STRING", "x")).await;
    let id = a["customer_attribute_id"].as_str().unwrap();
    let create_path = format!("{V4}/banks/{OBP_BANK}/customers/{cid}/attribute");
    write_refusals(&w, Method::POST, &create_path).await;
    let update_path = format!("{V4}/banks/{OBP_BANK}/customers/{cid}/attributes/{id}");
    write_refusals(&w, Method::PUT, &update_path).await;
    let unknown = format!("{V4}/banks/{OBP_BANK}/customers/{cid}/attributes/nope");
    let r = w.staff.put(&unknown, &attr("A", "STRING", "y")).await;
    assert_obp(&r, 400, "OBP-30069");
    assert_eq!(
        r.body["message"],
        "OBP-30069: Customer Attribute not found. Please specify a valid value for CUSTOMER_ATTRIBUTE_ID."
    );
}

#[tokio::test]
async fn reads_refuse_in_obps_order() {
    let app = obp_app().await;
    let staff = app.obp_staff("staff", ALL_ROLES).await;
    let cid = customer(&app, OBP_BANK, "1001").await;
    let other = customer(&app, OTHER_BANK, "2001").await;
    for path in [
        format!("{V4}/banks/{OBP_BANK}/customers/{cid}/attributes"),
        format!("{V4}/banks/{OBP_BANK}/customers/{cid}/attributes/some-id"),
    ] {
        assert_obp(&app.get(&path).await, 401, "OBP-20001");
        assert_obp(
            &staff.get(&path.replace("/banks/004/", "/banks/999/")).await,
            404,
            "OBP-30001",
        );
        assert_obp(
            &staff.get(&path.replace(&cid, "nope")).await,
            404,
            "OBP-30046",
        );
        assert_obp(
            &staff.get(&path.replace(&cid, &other)).await,
            400,
            "OBP-30113",
        );
    }
    assert_obp(
        &staff
            .get(&format!(
                "{V4}/banks/{OBP_BANK}/customers/{cid}/attributes/some-id"
            ))
            .await,
        400,
        "OBP-30069",
    );
}

type RoleCase = (Method, String, Option<Value>, &'static [&'static str]);

const CREATE: &[&str] = &[
    "CanCreateCustomerAttributeAtOneBank",
    "CanCreateCustomerAttributeAtAnyBank",
];
const UPDATE: &[&str] = &[
    "CanUpdateCustomerAttributeAtOneBank",
    "CanUpdateCustomerAttributeAtAnyBank",
];
const LIST: &[&str] = &[
    "CanGetCustomerAttributesAtOneBank",
    "CanGetCustomerAttributesAtAnyBank",
];
const GET_ONE: &[&str] = &[
    "CanGetCustomerAttributeAtOneBank",
    "CanGetCustomerAttributeAtAnyBank",
];
const DELETE: &[&str] = &[
    "CanDeleteCustomerAttributeAtOneBank",
    "CanDeleteCustomerAttributeAtAnyBank",
];

/// Each role-guarded endpoint (path under the bank, `C` for the customer
/// id; body 1 an attribute, 2 a definition) and its roles.
const ROLE_CASES: &[(&str, &str, u8, &[&str])] = &[
    ("POST", "customers/C/attribute", 1, CREATE),
    ("PUT", "customers/C/attributes/x", 1, UPDATE),
    ("GET", "customers/C/attributes", 0, LIST),
    ("GET", "customers/C/attributes/x", 0, GET_ONE),
    ("DELETE", "customers/attributes/x", 0, DELETE),
    (
        "PUT",
        "attribute-definitions/customer",
        2,
        &["CanCreateCustomerAttributeDefinitionAtOneBank"],
    ),
    (
        "GET",
        "attribute-definitions/customer",
        0,
        &["CanGetCustomerAttributeDefinitionAtOneBank"],
    ),
    (
        "DELETE",
        "attribute-definitions/x/customer",
        0,
        &["CanDeleteCustomerAttributeDefinitionAtOneBank"],
    ),
    ("GET", "customers", 0, &["CanGetCustomer"]),
];

fn role_cases(cid: &str) -> Vec<RoleCase> {
    (ROLE_CASES.iter())
        .map(|(method, path, body, roles)| {
            let body = match body {
                1 => Some(attr("A", "STRING", "x")),
                2 => Some(definition("A", "Customer", "STRING", "d")),
                _ => None,
            };
            let path = format!("{V4}/banks/{OBP_BANK}/{}", path.replace('C', cid));
            (
                Method::from_bytes(method.as_bytes()).unwrap(),
                path,
                body,
                *roles,
            )
        })
        .collect()
}

/// No role: 403 naming every role; the first role at OTHER_BANK: still
/// 403; at OBP_BANK (or the system role): through.
async fn role_check(app: &TestApp, admin: &ObpUser<'_>, i: usize, case: RoleCase) {
    let (method, path, body, roles) = case;
    let user = app.obp_user(&format!("user{i}")).await;
    let r = user.call(method.clone(), &path, body.as_ref()).await;
    assert_obp(&r, 403, "OBP-20006");
    let m = r.body["message"].as_str().unwrap();
    assert!(m.contains(&roles.join(" or ")), "{path}: {m}");
    admin.grant(&user.user_id, roles[0], OTHER_BANK).await;
    let r = user.call(method.clone(), &path, body.as_ref()).await;
    assert_obp(&r, 403, "OBP-20006");
    admin.grant_role(&user.user_id, roles[0]).await;
    let r = user.call(method.clone(), &path, body.as_ref()).await;
    assert!(r.status.as_u16() != 403, "{path}: {}", r.text);
    if let Some(any) = roles.get(1) {
        let user = app.obp_user(&format!("any{i}")).await;
        admin.grant_role(&user.user_id, any).await;
        let r = user.call(method, &path, body.as_ref()).await;
        assert!(r.status.as_u16() != 403, "{path} with {any}: {}", r.text);
    }
}

/// Every role-guarded endpoint: no role is 403 naming every role of its
/// list, and the role granted at another bank does not reach OBP_BANK.
#[tokio::test]
async fn every_endpoint_needs_its_role_at_this_bank() {
    let app = obp_app().await;
    let admin = admin(&app).await;
    let cid = customer(&app, OBP_BANK, "1001").await;
    for (i, case) in role_cases(&cid).into_iter().enumerate() {
        role_check(&app, &admin, i, case).await;
    }
}

fn definition(name: &str, category: &str, kind: &str, description: &str) -> Value {
    json!({"name": name, "category": category, "type": kind, "description": description,
        "alias": "alias", "can_be_seen_on_views": ["bank"], "is_active": true})
}

async fn put_definition(staff: &ObpUser<'_>, bank: &str, body: Value) -> Value {
    let r = (staff.put(
        &format!("{V4}/banks/{bank}/attribute-definitions/customer"),
        &body,
    ))
    .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    r.body
}

#[tokio::test]
async fn definitions_upsert_by_bank_name_and_category() {
    let app = obp_app().await;
    let staff = app.obp_staff("staff", ALL_ROLES).await;
    let d = put_definition(
        &staff,
        OBP_BANK,
        definition("TAX", "Customer", "STRING", "first"),
    )
    .await;
    let id = d["attribute_definition_id"].as_str().unwrap().to_owned();
    let first = json!({"attribute_definition_id": id, "bank_id": OBP_BANK, "name": "TAX",
        "category": "Customer", "type": "STRING", "description": "first", "alias": "alias",
        "can_be_seen_on_views": ["bank"], "is_active": true});
    assert_eq!(d, first);
    // Same (bank, name, category): updated, same id, 201 again.
    let d = put_definition(
        &staff,
        OBP_BANK,
        definition("TAX", "Customer", "INTEGER", "second"),
    )
    .await;
    assert_eq!(d["attribute_definition_id"], id.as_str());
    assert_eq!(d["type"], "INTEGER");
    assert_eq!(d["description"], "second");
    // Another category is another definition.
    let p = put_definition(
        &staff,
        OBP_BANK,
        definition("TAX", "Product", "STRING", "p"),
    )
    .await;
    assert_ne!(p["attribute_definition_id"], id.as_str());
    assert_eq!(p["category"], "Product");
}

#[tokio::test]
async fn definitions_list_every_bank_and_delete() {
    let app = obp_app().await;
    let staff = app.obp_staff("staff", ALL_ROLES).await;
    let admin = admin(&app).await;
    let role = "CanCreateCustomerAttributeDefinitionAtOneBank";
    admin.grant(&staff.user_id, role, OTHER_BANK).await;
    let mine = put_definition(
        &staff,
        OBP_BANK,
        definition("TAX", "Customer", "STRING", "m"),
    )
    .await;
    let product = put_definition(
        &staff,
        OBP_BANK,
        definition("TAX", "Product", "STRING", "p"),
    )
    .await;
    let other = definition("TAX", "Customer", "DATE_WITH_DAY", "o");
    let elsewhere = put_definition(&staff, OTHER_BANK, other).await;
    assert_eq!(elsewhere["bank_id"], OTHER_BANK);
    // Every bank's Customer definitions, not the Product one.
    let r = staff
        .get(&format!(
            "{V4}/banks/{OBP_BANK}/attribute-definitions/customer"
        ))
        .await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.text);
    assert_eq!(r.body, json!({"attributes": [mine, elsewhere]}));

    let id = mine["attribute_definition_id"].as_str().unwrap();
    let del = format!("{V4}/banks/{OBP_BANK}/attribute-definitions/{id}/customer");
    let r = staff.delete(&del).await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.text);
    assert_eq!(r.body, json!(true));
    let r = staff.delete(&del).await;
    assert_obp(&r, 400, "OBP-30071");
    assert_eq!(
        r.body["message"],
        "OBP-30071: Attribute Definition not found. Please specify a valid value for ATTRIBUTE_DEFINITION_ID."
    );
    // A Product definition is not a customer one.
    let pid = product["attribute_definition_id"].as_str().unwrap();
    let del = format!("{V4}/banks/{OBP_BANK}/attribute-definitions/{pid}/customer");
    assert_obp(&staff.delete(&del).await, 400, "OBP-30071");
}

#[tokio::test]
async fn definitions_refuse_in_obps_order() {
    let app = obp_app().await;
    let staff = app.obp_staff("staff", ALL_ROLES).await;
    let put = format!("{V4}/banks/{OBP_BANK}/attribute-definitions/customer");
    let good = definition("TAX", "Customer", "STRING", "d");
    assert_obp(
        &app.call(&Method::PUT, &put, None, Some(&good)).await,
        401,
        "OBP-20001",
    );
    assert_obp(
        &staff.put(&put.replace("/004/", "/999/"), &good).await,
        404,
        "OBP-30001",
    );
    assert_obp(
        &staff.send_raw(Method::PUT, &put, "[").await,
        400,
        "OBP-10001",
    );
    let r = staff
        .put(&put, &definition("TAX", "Nope", "TEXT", "d"))
        .await;
    assert_eq!(
        r.body["message"],
        "OBP-10001: Incorrect json format. The `Type` field can only accept the following field: DOUBLE(12.1234), STRING(TAX_NUMBER), INTEGER (123)and DATE_WITH_DAY(2012-04-23)"
    );
    let r = staff
        .put(&put, &definition("TAX", "Nope", "STRING", "d"))
        .await;
    assert_obp(&r, 400, "OBP-10001");
    assert_eq!(
        r.body["message"],
        "OBP-10001: Incorrect json format. The `Category` field can only accept the following field: Customer"
    );
    assert_obp(&app.get(&put).await, 401, "OBP-20001");
    assert_obp(
        &staff.get(&put.replace("/004/", "/999/")).await,
        404,
        "OBP-30001",
    );
    let del = format!("{V4}/banks/{OBP_BANK}/attribute-definitions/x/customer");
    assert_obp(
        &app.call(&Method::DELETE, &del, None, None).await,
        401,
        "OBP-20001",
    );
    assert_obp(
        &staff.delete(&del.replace("/004/", "/999/")).await,
        404,
        "OBP-30001",
    );
}

fn ids(r: &Resp) -> Vec<String> {
    (r.body["customers"].as_array().unwrap().iter())
        .map(|c| c["customer_id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn customers_are_found_by_their_attributes() {
    let app = obp_app().await;
    let staff = app.obp_staff("staff", ALL_ROLES).await;
    let c1 = customer(&app, OBP_BANK, "1001").await;
    let c2 = customer(&app, OBP_BANK, "1002").await;
    let _bare = customer(&app, OBP_BANK, "1003").await;
    let c4 = customer(&app, OTHER_BANK, "2001").await;
    create(&staff, &c1, &attr("LEVEL", "STRING", "gold")).await;
    create(&staff, &c1, &attr("CITY", "STRING", "Seoul")).await;
    create(&staff, &c2, &attr("LEVEL", "STRING", "silver")).await;
    let admin = admin(&app).await;
    admin
        .grant(
            &staff.user_id,
            "CanCreateCustomerAttributeAtOneBank",
            OTHER_BANK,
        )
        .await;
    let there = format!("{V4}/banks/{OTHER_BANK}/customers/{c4}/attribute");
    let r = staff.post(&there, &attr("LEVEL", "STRING", "gold")).await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);

    let base = format!("{V4}/banks/{OBP_BANK}/customers");
    let r = staff.get(&format!("{base}?LEVEL=gold")).await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.text);
    assert_eq!(ids(&r), vec![c1.clone()]);
    // Several values of one name: any of them.
    let r = staff.get(&format!("{base}?LEVEL=gold&LEVEL=silver")).await;
    assert_eq!(ids(&r), vec![c1.clone(), c2.clone()]);
    // Different names OR-ed; a customer matching twice repeats.
    let r = staff.get(&format!("{base}?LEVEL=gold&CITY=Seoul")).await;
    assert_eq!(ids(&r), vec![c1.clone(), c1.clone()]);
    // No query: every attribute row of the bank (not the bare customer,
    // not the other bank's).
    assert_eq!(
        ids(&staff.get(&base).await),
        vec![c1.clone(), c1.clone(), c2]
    );
    assert!(ids(&staff.get(&format!("{base}?LEVEL=bronze")).await).is_empty());
    assert_customer_json(&staff.get(&format!("{base}?CITY=Seoul")).await);

    assert_obp(&app.get(&base).await, 401, "OBP-20001");
    let r = staff.get(&format!("{V4}/banks/999/customers")).await;
    assert_obp(&r, 404, "OBP-30001");
}

/// CustomerWithAttributesJsonV310: every field, in the reference's order.
fn assert_customer_json(r: &Resp) {
    let c = &r.body["customers"][0];
    let face = json!({"url": "www.example.com/face.jpg", "date": "2020-01-01T00:00:00Z"});
    let expected = json!({
        "bank_id": OBP_BANK, "customer_id": c["customer_id"], "customer_number": "1001",
        "legal_name": "Customer 1001", "mobile_phone_number": "+82 10 1234 5678",
        "email": "c@example.com", "face_image": face, "date_of_birth": "1990-03-04T00:00:00Z",
        "relationship_status": "single", "dependants": 1,
        "dob_of_dependants": ["2015-01-01T00:00:00Z"],
        "credit_rating": {"rating": "OBP", "source": "OBP"},
        "credit_limit": {"currency": "KRW", "amount": "1000000"},
        "highest_education_attained": "Master", "employment_status": "worker",
        "kyc_status": false, "last_ok_date": "2020-01-01T00:00:00Z", "title": "Dr.",
        "branch_id": "DERBY6", "name_suffix": "Sr",
        "customer_attributes": c["customer_attributes"],
    });
    assert_eq!(c, &expected);
    let attrs = c["customer_attributes"].as_array().unwrap();
    let names: Vec<&str> = attrs.iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["LEVEL", "CITY"]);
    let keys = [
        "bank_id",
        "customer_id",
        "customer_number",
        "legal_name",
        "mobile_phone_number",
        "email",
        "face_image",
        "date_of_birth",
        "relationship_status",
        "dependants",
        "dob_of_dependants",
        "credit_rating",
        "credit_limit",
        "highest_education_attained",
        "employment_status",
        "kyc_status",
        "last_ok_date",
        "title",
        "branch_id",
        "name_suffix",
        "customer_attributes",
    ];
    let at: Vec<usize> = keys
        .iter()
        .map(|k| r.text.find(&format!("\"{k}\":")).unwrap())
        .collect();
    assert!(
        at.windows(2).all(|w| w[0] < w[1]),
        "fields out of order: {}",
        r.text
    );
}

#[tokio::test]
async fn the_openapi_document_lists_these_paths_under_v4_only() {
    let app = obp_app().await;
    let r = app.get("/openapi/obp.json").await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.text);
    let paths = r.body["paths"].as_object().unwrap();
    for (path, method) in [
        (
            "/obp/v4.0.0/banks/{bank_id}/customers/{customer_id}/attribute",
            "post",
        ),
        (
            "/obp/v4.0.0/banks/{bank_id}/customers/attributes/{customer_attribute_id}",
            "delete",
        ),
        (
            "/obp/v4.0.0/banks/{bank_id}/attribute-definitions/customer",
            "put",
        ),
        ("/obp/v4.0.0/banks/{bank_id}/customers", "get"),
        (
            "/obp/v4.0.0/banks/{bank_id}/customers/{customer_id}/social_media_handles",
            "post",
        ),
        (
            "/obp/v4.0.0/banks/{bank_id}/customers/{customer_id}/addresses",
            "get",
        ),
    ] {
        assert!(paths[path][method].is_object(), "{method} {path}");
    }
    assert!(paths
        .keys()
        .all(|p| p.starts_with("/obp/v4.0.0/") || !p.starts_with("/obp/")));
    let schemas = &r.body["components"]["schemas"];
    assert!(schemas["CustomerWithAttributesJsonV310"].is_object());
    let description = paths["/obp/v4.0.0/banks/{bank_id}/attribute-definitions/customer"]["get"]
        ["description"]
        .as_str()
        .unwrap();
    assert!(description.contains("every bank"), "{description}");
}

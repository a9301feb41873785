//! Customer attributes, attribute definitions and Get Customers by
//! ATTRIBUTES, as a bank's staff app calls them.

use axum::http::Method;
use chrono::{NaiveDate, TimeZone, Utc};
use finhub_core::obp::customers::{Customer, CustomerRepo};
use finhub_core::obp::new_id;
use finhub_core::party::NewPerson;
use finhub_testkit::obp::{assert_obp, obp_app, ObpUser, ADMIN, BANK, OTHER_BANK, V4};
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
    ObpUser {
        app,
        user_id: String::new(),
        username: ADMIN.into(),
        token: app.obp_admin_token().await,
    }
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
    let r = staff.post(&format!("{V4}/banks/{BANK}/customers/{cid}/attribute"), body).await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    r.body
}

#[tokio::test]
async fn attributes_are_created_read_updated_and_deleted() {
    let app = obp_app().await;
    let staff = app.obp_staff("staff", ALL_ROLES).await;
    let cid = customer(&app, BANK, "1001").await;
    let a = create(&staff, &cid, &attr("SPECIAL_TAX_NUMBER", "STRING", "123456789")).await;
    let id = a["customer_attribute_id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 36);
    assert_eq!(
        a,
        json!({"customer_attribute_id": id, "name": "SPECIAL_TAX_NUMBER", "type": "STRING", "value": "123456789"})
    );
    // Always a new row, even for the same name.
    let b = create(&staff, &cid, &attr("SPECIAL_TAX_NUMBER", "INTEGER", "7")).await;
    assert_ne!(b["customer_attribute_id"], a["customer_attribute_id"]);
    let list = staff.get(&format!("{V4}/banks/{BANK}/customers/{cid}/attributes")).await;
    assert_eq!(list.status.as_u16(), 200, "{}", list.text);
    assert_eq!(list.body, json!({"customer_attributes": [a, b]}));

    let one = format!("{V4}/banks/{BANK}/customers/{cid}/attributes/{id}");
    let r = staff.get(&one).await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.text);
    assert_eq!(r.body, a);
    let r = staff.put(&one, &attr("SPECIAL_TAX_NUMBER", "DOUBLE", "12.5")).await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.text);
    assert_eq!(
        r.body,
        json!({"customer_attribute_id": id, "name": "SPECIAL_TAX_NUMBER", "type": "DOUBLE", "value": "12.5"})
    );
    assert_eq!(staff.get(&one).await.body["value"], "12.5");

    let r = staff.delete(&format!("{V4}/banks/{BANK}/customers/attributes/{id}")).await;
    assert_eq!(r.status.as_u16(), 204, "{}", r.text);
    assert!(r.text.is_empty());
    assert_obp(&staff.get(&one).await, 400, "OBP-30069");
    // Unknown: still 204.
    let r = staff.delete(&format!("{V4}/banks/{BANK}/customers/attributes/nope")).await;
    assert_eq!(r.status.as_u16(), 204);
    // The documented route works too.
    let bid = b["customer_attribute_id"].as_str().unwrap();
    let r = staff.delete(&format!("{V4}/banks/{BANK}/{cid}/attributes/{bid}")).await;
    assert_eq!(r.status.as_u16(), 204, "{}", r.text);
    let list = staff.get(&format!("{V4}/banks/{BANK}/customers/{cid}/attributes")).await;
    assert_eq!(list.body, json!({"customer_attributes": []}));
    // Born in v4.0.0: served under v3.1.0 too, not v2.0.0.
    let r = staff.get(&format!("/obp/v3.1.0/banks/{BANK}/customers/{cid}/attributes")).await;
    assert_eq!(r.status.as_u16(), 200);
    assert_obp(&staff.get(&format!("/obp/v2.0.0/banks/{BANK}/customers/{cid}/attributes")).await, 404, "OBP-10404");
}

#[tokio::test]
async fn create_and_update_refuse_in_obps_order() {
    let app = obp_app().await;
    let staff = app.obp_staff("staff", ALL_ROLES).await;
    let nobody = app.obp_user("nobody").await;
    let cid = customer(&app, BANK, "1001").await;
    let other = customer(&app, OTHER_BANK, "2001").await;
    let id = create(&staff, &cid, &attr("A", "STRING", "x")).await["customer_attribute_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let good = attr("A", "STRING", "y");
    for (method, path) in [
        (Method::POST, format!("{V4}/banks/{BANK}/customers/{cid}/attribute")),
        (Method::PUT, format!("{V4}/banks/{BANK}/customers/{cid}/attributes/{id}")),
    ] {
        let r = app.call(&method, &path, None, Some(&good)).await;
        assert_obp(&r, 401, "OBP-20001");
        let bad_bank = path.replace("/banks/004/", "/banks/999/");
        assert_obp(&nobody.call(method.clone(), &bad_bank, Some(&good)).await, 404, "OBP-30001");
        assert_obp(&nobody.call(method.clone(), &path, Some(&good)).await, 403, "OBP-20006");
        assert_obp(&staff.send_raw(method.clone(), &path, "{not json").await, 400, "OBP-10001");
        let r = staff.call(method.clone(), &path, Some(&attr("A", "TEXT", "y"))).await;
        assert_obp(&r, 400, "OBP-10001");
        assert_eq!(
            r.body["message"],
            "OBP-10001: Incorrect json format. The `Type` field can only accept the following field: DOUBLE(12.1234), STRING(TAX_NUMBER), INTEGER(123) and DATE_WITH_DAY(2012-04-23)"
        );
        let unknown = path.replace(&cid, "no-such-customer");
        let r = staff.call(method.clone(), &unknown, Some(&good)).await;
        assert_obp(&r, 404, "OBP-30046");
        assert!(r.body["message"].as_str().unwrap().ends_with("Current CustomerId(no-such-customer)"));
        let elsewhere = path.replace(&cid, &other);
        let r = staff.call(method.clone(), &elsewhere, Some(&good)).await;
        assert_obp(&r, 400, "OBP-30113");
        assert_eq!(
            r.body["message"],
            format!("OBP-30113: Invalid Bank Id ({BANK}). The Customer({other}) does not belong to this Bank")
        );
    }
    let r = staff.put(&format!("{V4}/banks/{BANK}/customers/{cid}/attributes/nope"), &good).await;
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
    let cid = customer(&app, BANK, "1001").await;
    let other = customer(&app, OTHER_BANK, "2001").await;
    for path in [
        format!("{V4}/banks/{BANK}/customers/{cid}/attributes"),
        format!("{V4}/banks/{BANK}/customers/{cid}/attributes/some-id"),
    ] {
        assert_obp(&app.get(&path).await, 401, "OBP-20001");
        assert_obp(&staff.get(&path.replace("/banks/004/", "/banks/999/")).await, 404, "OBP-30001");
        assert_obp(&staff.get(&path.replace(&cid, "nope")).await, 404, "OBP-30046");
        assert_obp(&staff.get(&path.replace(&cid, &other)).await, 400, "OBP-30113");
    }
    assert_obp(&staff.get(&format!("{V4}/banks/{BANK}/customers/{cid}/attributes/some-id")).await, 400, "OBP-30069");
}

/// Every role-guarded endpoint: no role is 403 naming every role of its
/// list, and the role granted at another bank does not reach BANK.
#[tokio::test]
async fn every_endpoint_needs_its_role_at_this_bank() {
    let app = obp_app().await;
    let admin = admin(&app).await;
    let cid = customer(&app, BANK, "1001").await;
    let body = attr("A", "STRING", "x");
    let def = json!({"name": "A", "category": "Customer", "type": "STRING", "description": "d",
        "alias": "a", "can_be_seen_on_views": ["bank"], "is_active": true});
    let cases: Vec<(Method, String, Option<Value>, &[&str])> = vec![
        (Method::POST, format!("{V4}/banks/{BANK}/customers/{cid}/attribute"), Some(body.clone()),
            &["CanCreateCustomerAttributeAtOneBank", "CanCreateCustomerAttributeAtAnyBank"]),
        (Method::PUT, format!("{V4}/banks/{BANK}/customers/{cid}/attributes/x"), Some(body.clone()),
            &["CanUpdateCustomerAttributeAtOneBank", "CanUpdateCustomerAttributeAtAnyBank"]),
        (Method::GET, format!("{V4}/banks/{BANK}/customers/{cid}/attributes"), None,
            &["CanGetCustomerAttributesAtOneBank", "CanGetCustomerAttributesAtAnyBank"]),
        (Method::GET, format!("{V4}/banks/{BANK}/customers/{cid}/attributes/x"), None,
            &["CanGetCustomerAttributeAtOneBank", "CanGetCustomerAttributeAtAnyBank"]),
        (Method::DELETE, format!("{V4}/banks/{BANK}/customers/attributes/x"), None,
            &["CanDeleteCustomerAttributeAtOneBank", "CanDeleteCustomerAttributeAtAnyBank"]),
        (Method::PUT, format!("{V4}/banks/{BANK}/attribute-definitions/customer"), Some(def.clone()),
            &["CanCreateCustomerAttributeDefinitionAtOneBank"]),
        (Method::GET, format!("{V4}/banks/{BANK}/attribute-definitions/customer"), None,
            &["CanGetCustomerAttributeDefinitionAtOneBank"]),
        (Method::DELETE, format!("{V4}/banks/{BANK}/attribute-definitions/x/customer"), None,
            &["CanDeleteCustomerAttributeDefinitionAtOneBank"]),
        (Method::GET, format!("{V4}/banks/{BANK}/customers"), None, &["CanGetCustomer"]),
    ];
    for (i, (method, path, body, roles)) in cases.into_iter().enumerate() {
        let user = app.obp_user(&format!("user{i}")).await;
        let r = user.call(method.clone(), &path, body.as_ref()).await;
        assert_obp(&r, 403, "OBP-20006");
        let m = r.body["message"].as_str().unwrap();
        assert!(m.contains(&roles.join(" or ")), "{path}: {m}");
        admin.grant(&user.user_id, roles[0], OTHER_BANK).await;
        assert_obp(&user.call(method.clone(), &path, body.as_ref()).await, 403, "OBP-20006");
        admin.grant_role(&user.user_id, roles[0]).await;
        let r = user.call(method.clone(), &path, body.as_ref()).await;
        assert!(r.status.as_u16() != 403, "{path}: {}", r.text);
        if let Some(any) = roles.get(1) {
            let user = app.obp_user(&format!("any{i}")).await;
            admin.grant_role(&user.user_id, any).await;
            let r = user.call(method.clone(), &path, body.as_ref()).await;
            assert!(r.status.as_u16() != 403, "{path} with {any}: {}", r.text);
        }
    }
}

fn definition(name: &str, category: &str, kind: &str, description: &str) -> Value {
    json!({"name": name, "category": category, "type": kind, "description": description,
        "alias": "alias", "can_be_seen_on_views": ["bank"], "is_active": true})
}

#[tokio::test]
async fn definitions_upsert_list_every_bank_and_delete() {
    let app = obp_app().await;
    let staff = app.obp_staff("staff", ALL_ROLES).await;
    let admin = admin(&app).await;
    admin.grant(&staff.user_id, "CanCreateCustomerAttributeDefinitionAtOneBank", OTHER_BANK).await;
    let put = |bank: &'static str, body: Value| {
        let staff = &staff;
        async move { staff.put(&format!("{V4}/banks/{bank}/attribute-definitions/customer"), &body).await }
    };
    let r = put(BANK, definition("TAX", "Customer", "STRING", "first")).await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    let id = r.body["attribute_definition_id"].as_str().unwrap().to_owned();
    let first = json!({"attribute_definition_id": id, "bank_id": BANK, "name": "TAX", "category": "Customer",
        "type": "STRING", "description": "first", "alias": "alias", "can_be_seen_on_views": ["bank"],
        "is_active": true});
    assert_eq!(r.body, first);
    // Same (bank, name, category): updated, same id, 201 again.
    let r = put(BANK, definition("TAX", "Customer", "INTEGER", "second")).await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    assert_eq!(r.body["attribute_definition_id"], id.as_str());
    assert_eq!(r.body["type"], "INTEGER");
    assert_eq!(r.body["description"], "second");
    // Any category is accepted (OBP's quirk); another bank's definition is listed too.
    let product = put(BANK, definition("TAX", "Product", "STRING", "p")).await;
    assert_eq!(product.status.as_u16(), 201, "{}", product.text);
    let elsewhere = put(OTHER_BANK, definition("TAX", "Customer", "DATE_WITH_DAY", "o")).await;
    assert_eq!(elsewhere.status.as_u16(), 201, "{}", elsewhere.text);
    assert_eq!(elsewhere.body["bank_id"], OTHER_BANK);

    let r = staff.get(&format!("{V4}/banks/{BANK}/attribute-definitions/customer")).await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.text);
    let list = r.body["attributes"].as_array().unwrap();
    assert_eq!(list.len(), 2, "{}", r.text);
    assert_eq!(list[0]["attribute_definition_id"], id.as_str());
    assert_eq!(list[0]["type"], "INTEGER");
    assert_eq!(list[1], elsewhere.body);

    let del = format!("{V4}/banks/{BANK}/attribute-definitions/{id}/customer");
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
    let pid = product.body["attribute_definition_id"].as_str().unwrap();
    assert_obp(&staff.delete(&format!("{V4}/banks/{BANK}/attribute-definitions/{pid}/customer")).await, 400, "OBP-30071");
}

#[tokio::test]
async fn definitions_refuse_in_obps_order() {
    let app = obp_app().await;
    let staff = app.obp_staff("staff", ALL_ROLES).await;
    let put = format!("{V4}/banks/{BANK}/attribute-definitions/customer");
    let good = definition("TAX", "Customer", "STRING", "d");
    assert_obp(&app.call(&Method::PUT, &put, None, Some(&good)).await, 401, "OBP-20001");
    assert_obp(&staff.put(&put.replace("/004/", "/999/"), &good).await, 404, "OBP-30001");
    assert_obp(&staff.send_raw(Method::PUT, &put, "[").await, 400, "OBP-10001");
    let r = staff.put(&put, &definition("TAX", "Nope", "TEXT", "d")).await;
    assert_eq!(
        r.body["message"],
        "OBP-10001: Incorrect json format. The `Type` field can only accept the following field: DOUBLE(12.1234), STRING(TAX_NUMBER), INTEGER (123)and DATE_WITH_DAY(2012-04-23)"
    );
    let r = staff.put(&put, &definition("TAX", "Nope", "STRING", "d")).await;
    assert_obp(&r, 400, "OBP-10001");
    assert_eq!(
        r.body["message"],
        "OBP-10001: Incorrect json format. The `Category` field can only accept the following field: Customer"
    );
    assert_obp(&app.get(&put).await, 401, "OBP-20001");
    assert_obp(&staff.get(&put.replace("/004/", "/999/")).await, 404, "OBP-30001");
    let del = format!("{V4}/banks/{BANK}/attribute-definitions/x/customer");
    assert_obp(&app.call(&Method::DELETE, &del, None, None).await, 401, "OBP-20001");
    assert_obp(&staff.delete(&del.replace("/004/", "/999/")).await, 404, "OBP-30001");
}

#[tokio::test]
async fn customers_are_found_by_their_attributes() {
    let app = obp_app().await;
    let staff = app.obp_staff("staff", ALL_ROLES).await;
    let c1 = customer(&app, BANK, "1001").await;
    let c2 = customer(&app, BANK, "1002").await;
    let _bare = customer(&app, BANK, "1003").await;
    let c4 = customer(&app, OTHER_BANK, "2001").await;
    create(&staff, &c1, &attr("LEVEL", "STRING", "gold")).await;
    create(&staff, &c1, &attr("CITY", "STRING", "Seoul")).await;
    create(&staff, &c2, &attr("LEVEL", "STRING", "silver")).await;
    let admin = admin(&app).await;
    admin.grant(&staff.user_id, "CanCreateCustomerAttributeAtOneBank", OTHER_BANK).await;
    let r = staff.post(&format!("{V4}/banks/{OTHER_BANK}/customers/{c4}/attribute"), &attr("LEVEL", "STRING", "gold")).await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);

    let ids = |r: &finhub_testkit::http::Resp| -> Vec<String> {
        (r.body["customers"].as_array().unwrap().iter())
            .map(|c| c["customer_id"].as_str().unwrap().to_owned())
            .collect()
    };
    let base = format!("{V4}/banks/{BANK}/customers");
    let r = staff.get(&format!("{base}?LEVEL=gold")).await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.text);
    assert_eq!(ids(&r), vec![c1.clone()]);
    // Several values of one name: any of them.
    assert_eq!(ids(&staff.get(&format!("{base}?LEVEL=gold&LEVEL=silver")).await), vec![c1.clone(), c2.clone()]);
    // Different names OR-ed; a customer matching twice repeats.
    assert_eq!(
        ids(&staff.get(&format!("{base}?LEVEL=gold&CITY=Seoul")).await),
        vec![c1.clone(), c1.clone()]
    );
    // No query: every attribute row of the bank (not the bare customer, not the other bank's).
    assert_eq!(ids(&staff.get(&base).await), vec![c1.clone(), c1.clone(), c2.clone()]);
    assert_eq!(ids(&staff.get(&format!("{base}?LEVEL=bronze")).await), Vec::<String>::new());

    // CustomerWithAttributesJsonV310, every field in the reference's order.
    let r = staff.get(&format!("{base}?CITY=Seoul")).await;
    let c = &r.body["customers"][0];
    assert_eq!(c["bank_id"], BANK);
    assert_eq!(c["customer_number"], "1001");
    assert_eq!(c["legal_name"], "Customer 1001");
    assert_eq!(c["mobile_phone_number"], "+82 10 1234 5678");
    assert_eq!(c["email"], "c@example.com");
    assert_eq!(c["face_image"], json!({"url": "www.example.com/face.jpg", "date": "2020-01-01T00:00:00Z"}));
    assert_eq!(c["date_of_birth"], "1990-03-04T00:00:00Z");
    assert_eq!(c["relationship_status"], "single");
    assert_eq!(c["dependants"], 1);
    assert_eq!(c["dob_of_dependants"], json!(["2015-01-01T00:00:00Z"]));
    assert_eq!(c["credit_rating"], json!({"rating": "OBP", "source": "OBP"}));
    assert_eq!(c["credit_limit"], json!({"currency": "KRW", "amount": "1000000"}));
    assert_eq!(c["highest_education_attained"], "Master");
    assert_eq!(c["employment_status"], "worker");
    assert_eq!(c["kyc_status"], false);
    assert_eq!(c["last_ok_date"], "2020-01-01T00:00:00Z");
    assert_eq!(c["title"], "Dr.");
    assert_eq!(c["branch_id"], "DERBY6");
    assert_eq!(c["name_suffix"], "Sr");
    let attrs = c["customer_attributes"].as_array().unwrap();
    assert_eq!(attrs.len(), 2);
    assert_eq!(attrs[0]["name"], "LEVEL");
    assert_eq!(attrs[1]["name"], "CITY");
    let keys = [
        "bank_id", "customer_id", "customer_number", "legal_name", "mobile_phone_number", "email",
        "face_image", "date_of_birth", "relationship_status", "dependants", "dob_of_dependants",
        "credit_rating", "credit_limit", "highest_education_attained", "employment_status",
        "kyc_status", "last_ok_date", "title", "branch_id", "name_suffix", "customer_attributes",
    ];
    assert_eq!(c.as_object().unwrap().len(), keys.len());
    let at: Vec<usize> = keys.iter().map(|k| r.text.find(&format!("\"{k}\":")).unwrap()).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "fields out of order: {}", r.text);

    assert_obp(&app.get(&base).await, 401, "OBP-20001");
    assert_obp(&staff.get(&format!("{V4}/banks/999/customers")).await, 404, "OBP-30001");
}

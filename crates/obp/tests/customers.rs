//! Customers: Create Customer (a person of the world), the reads and the
//! updates, each check in OBP's order.

// The update table reads as one list of the eight endpoints; split, it would hide it.
#![allow(clippy::too_many_lines)]

use axum::http::Method;
use finhub_testkit::obp::{assert_obp, customer_body, obp_app, ObpUser, OBP_BANK, OTHER_BANK, V4};
use finhub_testkit::TestApp;
use serde_json::{json, Value};

async fn create(staff: &ObpUser<'_>, body: &Value) -> Value {
    let r = staff
        .post(&format!("{V4}/banks/{OBP_BANK}/customers"), body)
        .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    r.body
}

/// A seeded person: name, birth date and phone.
async fn seeded(app: &TestApp) -> Value {
    let r = app
        .admin(
            Method::POST,
            "/sandbox/people",
            Some(json!({
        "name": "한지민", "birth_date": "1988-07-09", "phone": "010-4321-8765"})),
        )
        .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    r.body
}

#[tokio::test]
async fn create_customer_echoes_every_field_and_matches_a_person() {
    let app = obp_app().await;
    let staff = app
        .obp_staff("staff", &["CanCreateCustomer", "CanGetCustomer"])
        .await;
    let c = create(
        &staff,
        &customer_body("Eveline Tripman", "+44 07972 444 876"),
    )
    .await;
    let body = customer_body("Eveline Tripman", "+44 07972 444 876");
    for k in [
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
    ] {
        assert_eq!(c[k], body[k], "{k}");
    }
    assert_eq!(c["bank_id"], OBP_BANK);
    assert!(c["customer_number"]
        .as_str()
        .unwrap()
        .parse::<u64>()
        .is_ok());
    // The seeded person is matched: +82 read as 0, the UTC date of birth.
    let p = seeded(&app).await;
    let mut b = customer_body("한지민", "+82 10 4321 8765");
    b["date_of_birth"] = json!("1988-07-09T00:00:00Z");
    let before = app.people_count().await;
    let c = create(&staff, &b).await;
    assert_eq!(app.people_count().await, before, "no new person");
    let people = app
        .admin(Method::GET, "/sandbox/people?limit=500", None)
        .await;
    let me = (people.body["people"].as_array().unwrap().iter())
        .find(|x| x["person_id"] == p["person_id"])
        .cloned()
        .unwrap();
    assert_eq!(me["obp_customers"][0]["customer_id"], c["customer_id"]);
    // A different name is another person.
    let mut b2 = b.clone();
    b2["legal_name"] = json!("한지민2");
    create(&staff, &b2).await;
    assert_eq!(app.people_count().await, before + 1);
}

#[tokio::test]
async fn create_customer_checks_in_obps_order() {
    let app = obp_app().await;
    let staff = app.obp_staff("staff", &["CanCreateCustomer"]).await;
    let nobody = app.obp_user("nobody").await;
    let good = customer_body("Kim", "01099990000");
    let p = |bank: &str| format!("{V4}/banks/{bank}/customers");
    let r = app
        .call(&Method::POST, &p(OBP_BANK), None, Some(&good))
        .await;
    assert_obp(&r, 401, "OBP-20001");
    assert_obp(&staff.post(&p("999"), &good).await, 404, "OBP-30001");
    assert_obp(
        &nobody.post(&p(OBP_BANK), &json!("x")).await,
        403,
        "OBP-20006",
    );
    assert_obp(
        &staff.send_raw(Method::POST, &p(OBP_BANK), "{").await,
        400,
        "OBP-10001",
    );
    let mut two = good.clone();
    two["dependants"] = json!(2);
    assert_obp(&staff.post(&p(OBP_BANK), &two).await, 400, "OBP-10020");
    // A customer the world cannot hold as a person (no name).
    let mut nameless = good.clone();
    nameless["legal_name"] = json!("");
    assert_obp(&staff.post(&p(OBP_BANK), &nameless).await, 400, "OBP-30051");
    // The role at another bank does not reach this one.
    let other = app.obp_user("other").await;
    app.obp_root()
        .await
        .grant(&other.user_id, "CanCreateCustomer", OTHER_BANK)
        .await;
    assert_obp(&other.post(&p(OBP_BANK), &good).await, 403, "OBP-20006");
    assert_eq!(other.post(&p(OTHER_BANK), &good).await.status.as_u16(), 201);
}

#[tokio::test]
async fn obp_pythons_create_customer_body_is_read() {
    let app = obp_app().await;
    let staff = app.obp_staff("staff", &["CanCreateCustomer"]).await;
    let mut b = customer_body("Py Client", "+44 1234 5678");
    let o = b.as_object_mut().unwrap();
    o.remove("branch_id");
    o.remove("name_suffix");
    o.insert("branchId".into(), json!(1234));
    o.insert("nameSuffix".into(), json!("Jr"));
    o.insert(
        "credit_limit".into(),
        json!({"currency": "EUR", "amount": 0}),
    );
    let c = create(&staff, &b).await;
    assert_eq!(c["branch_id"], "1234");
    assert_eq!(c["name_suffix"], "Jr");
    assert_eq!(c["credit_limit"], json!({"currency": "EUR", "amount": "0"}));
}

#[tokio::test]
async fn reads_by_id_number_phone_and_for_the_current_user() {
    let app = obp_app().await;
    let staff = app
        .obp_staff("staff", &["CanCreateCustomer", "CanGetCustomer"])
        .await;
    let c = create(&staff, &customer_body("Felix Smith", "+44 07972 444 876")).await;
    let id = c["customer_id"].as_str().unwrap();
    let r = staff
        .get(&format!("{V4}/banks/{OBP_BANK}/customers/{id}"))
        .await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.text);
    assert_eq!(r.body["customer_number"], c["customer_number"]);
    assert_eq!(r.body["customer_attributes"], json!([]));
    assert_obp(
        &staff
            .get(&format!("{V4}/banks/{OBP_BANK}/customers/nope"))
            .await,
        404,
        "OBP-30046",
    );
    let by_number = format!("{V4}/banks/{OBP_BANK}/customers/customer-number");
    let r = staff
        .post(
            &by_number,
            &json!({"customer_number": c["customer_number"]}),
        )
        .await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.text);
    assert_eq!(r.body["customer_id"], id);
    assert_obp(
        &staff
            .post(&by_number, &json!({"customer_number": "0"}))
            .await,
        404,
        "OBP-30002",
    );
    let search = format!("{V4}/banks/{OBP_BANK}/search/customers/mobile-phone-number");
    let r = staff
        .post(&search, &json!({"mobile_phone_number": "%972%"}))
        .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    assert_eq!(r.body["customers"][0]["customer_id"], id);
    assert_eq!(r.body["customers"][0]["date_of_birth"], "1990-03-04");
    let r = staff
        .post(
            &search,
            &json!({"mobile_phone_number": "+44 0797_ 444 87_"}),
        )
        .await;
    assert_eq!(r.body["customers"].as_array().unwrap().len(), 1);
    let r = staff
        .post(
            &format!("{V4}/banks/nobank/search/customers/mobile-phone-number"),
            &json!({"mobile_phone_number": "%"}),
        )
        .await;
    assert_eq!(r.body["customers"], json!([]));
    let mine = staff.get("/obp/v3.0.0/users/current/customers").await;
    assert_eq!(mine.body["customers"], json!([]), "no link yet");
}

#[tokio::test]
async fn the_firehose_pages_and_refuses_bad_paging() {
    let app = obp_app().await;
    let staff = app
        .obp_staff(
            "staff",
            &["CanCreateCustomer", "CanUseCustomerFirehoseAtAnyBank"],
        )
        .await;
    for i in 0..3 {
        create(
            &staff,
            &customer_body(&format!("Hose {i}"), &format!("0101111000{i}")),
        )
        .await;
    }
    let hose = format!("{V4}/banks/{OBP_BANK}/firehose/customers");
    let r = staff
        .get(&format!("{hose}?limit=2&sort_direction=ASC"))
        .await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.text);
    assert_eq!(r.body["customers"].as_array().unwrap().len(), 2);
    let r = staff.get(&format!("{hose}?limit=2&offset=2")).await;
    assert_eq!(r.body["customers"].as_array().unwrap().len(), 1);
    let r = staff
        .get(&format!("{hose}?to_date=2000-01-01T00:00:00.000Z"))
        .await;
    assert_eq!(r.body["customers"], json!([]));
    for (q, code) in [
        ("limit=0", "OBP-10025"),
        ("offset=x", "OBP-10024"),
        ("sort_direction=up", "OBP-10023"),
        ("from_date=2020", "OBP-10026"),
    ] {
        let r = staff.get(&format!("{hose}?{q}")).await;
        assert_obp(&r, 400, code);
        assert_obp(&r, 400, "OBP-10016");
    }
    let nobody = app.obp_user("nobody").await;
    assert_obp(
        &nobody.get(&hose).await,
        403,
        "CanUseCustomerFirehoseAtAnyBank",
    );
    assert_obp(
        &staff
            .get(&format!("{V4}/banks/999/firehose/customers"))
            .await,
        404,
        "OBP-30001",
    );
}

#[tokio::test]
async fn every_update_writes_its_fields_behind_its_role() {
    let app = obp_app().await;
    let roles = [
        "CanCreateCustomer",
        "CanUpdateCustomerEmail",
        "CanUpdateCustomerNumber",
        "CanUpdateCustomerMobilePhoneNumber",
        "CanUpdateCustomerIdentity",
        "CanUpdateCustomerCreditLimit",
        "CanUpdateCustomerCreditRatingAndSource",
        "CanUpdateCustomerBranch",
        "CanUpdateCustomerData",
    ];
    let staff = app.obp_staff("staff", &roles).await;
    let nobody = app.obp_user("nobody").await;
    let c = create(&staff, &customer_body("Up Date", "01022223333")).await;
    let base = format!(
        "{V4}/banks/{OBP_BANK}/customers/{}",
        c["customer_id"].as_str().unwrap()
    );
    let cases = [
        (
            "email",
            json!({"email": "new@example.com"}),
            "email",
            json!("new@example.com"),
        ),
        (
            "number",
            json!({"customer_number": "777"}),
            "customer_number",
            json!("777"),
        ),
        (
            "mobile-number",
            json!({"mobile_phone_number": "+381631954907"}),
            "mobile_phone_number",
            json!("+381631954907"),
        ),
        (
            "identity",
            json!({"legal_name": "New Name", "date_of_birth": "1980-01-02T00:00:00Z", "title": "Ms", "name_suffix": "II"}),
            "legal_name",
            json!("New Name"),
        ),
        (
            "credit-limit",
            json!({"credit_limit": {"currency": "EUR", "amount": "1000"}}),
            "credit_limit",
            json!({"currency": "EUR", "amount": "1000"}),
        ),
        (
            "credit-rating-and-source",
            json!({"credit_rating": "Good", "credit_source": "Bank"}),
            "credit_rating",
            json!({"rating": "Good", "source": "Bank"}),
        ),
        (
            "branch",
            json!({"branch_id": "123"}),
            "branch_id",
            json!("123"),
        ),
        (
            "data",
            json!({"face_image": {"url": "u", "date": "2021-01-01T00:00:00Z"}, "relationship_status": "married", "dependants": 3, "highest_education_attained": "PhD", "employment_status": "retired"}),
            "dependants",
            json!(3),
        ),
    ];
    for (suffix, body, field, want) in cases {
        let p = format!("{base}/{suffix}");
        assert_obp(&nobody.put(&p, &body).await, 403, "OBP-20006");
        let r = staff.put(&p, &body).await;
        assert_eq!(r.status.as_u16(), 200, "{suffix}: {}", r.text);
        assert_eq!(r.body[field], want, "{suffix}");
        assert_obp(
            &staff.send_raw(Method::PUT, &p, "{").await,
            400,
            "OBP-10001",
        );
        assert_obp(
            &staff
                .put(
                    &format!("{V4}/banks/{OBP_BANK}/customers/nope/{suffix}"),
                    &body,
                )
                .await,
            404,
            "OBP-30046",
        );
    }
    // The data update leaves dob_of_dependants alone.
    let r = staff
        .put(&format!("{base}/email"), &json!({"email": "x@example.com"}))
        .await;
    assert_eq!(r.body["dob_of_dependants"], json!(["2015-01-01T00:00:00Z"]));
    // A number another customer holds at the bank is OBP-30006.
    let d = create(&staff, &customer_body("Second", "01044445555")).await;
    let p = format!(
        "{V4}/banks/{OBP_BANK}/customers/{}/number",
        d["customer_id"].as_str().unwrap()
    );
    assert_obp(
        &staff.put(&p, &json!({"customer_number": "777"})).await,
        400,
        "OBP-30006",
    );
}

#[tokio::test]
async fn a_closed_firehose_is_obp_00009() {
    let mut opts = finhub_testkit::obp::obp_options();
    opts.obp.allow_customer_firehose = false;
    let app = TestApp::builder().faces(opts).spawn().await;
    let staff = app
        .obp_staff("staff", &["CanUseCustomerFirehoseAtAnyBank"])
        .await;
    let r = staff
        .get(&format!("{V4}/banks/{OBP_BANK}/firehose/customers"))
        .await;
    assert_obp(&r, 400, "OBP-00009");
}

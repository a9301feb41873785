//! User–customer links: create, delete, and the two lists, in OBP's order of checks.

use chrono::NaiveDate;
use finhub_core::obp::customers::{Customer, CustomerRepo};
use finhub_core::obp::new_id;
use finhub_core::party::NewPerson;
use finhub_testkit::obp::{assert_obp, obp_app, OBP_BANK, OTHER_BANK, V4};
use finhub_testkit::TestApp;
use serde_json::json;

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

fn links(bank: &str) -> String {
    format!("{V4}/banks/{bank}/user_customer_links")
}

#[tokio::test]
async fn a_link_is_made_listed_and_deleted() {
    let app = obp_app().await;
    let staff = app
        .obp_staff(
            "staff",
            &[
                "CanCreateUserCustomerLink",
                "CanGetUserCustomerLink",
                "CanDeleteUserCustomerLink",
            ],
        )
        .await;
    let user = app.obp_user("felix").await;
    let c = customer_at(&app, OBP_BANK, "김민수").await;
    let r = staff
        .post(
            &links(OBP_BANK),
            &json!({"user_id": user.user_id, "customer_id": c.customer_id}),
        )
        .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    let link = r.body.clone();
    assert_eq!(link["user_id"], user.user_id.as_str());
    assert_eq!(link["customer_id"], c.customer_id.as_str());
    assert_eq!(link["is_active"], true);
    assert_eq!(link["user_customer_link_id"].as_str().unwrap().len(), 36);
    let date = link["date_inserted"].as_str().unwrap();
    assert!(date.ends_with('Z') && date.len() == 20, "{date}");
    assert_eq!(link.as_object().unwrap().len(), 5);

    let by_user = staff
        .get(&format!("{}/users/{}", links(OBP_BANK), user.user_id))
        .await;
    assert_eq!(by_user.status.as_u16(), 200, "{}", by_user.text);
    assert_eq!(by_user.body, json!({"user_customer_links": [link.clone()]}));
    let by_customer = staff
        .get(&format!("{}/customers/{}", links(OBP_BANK), c.customer_id))
        .await;
    assert_eq!(
        by_customer.body,
        json!({"user_customer_links": [link.clone()]})
    );
    // Neither list checks that its user or customer exists.
    let none = staff
        .get(&format!("{}/customers/nobody", links(OBP_BANK)))
        .await;
    assert_eq!(none.body, json!({"user_customer_links": []}));
    let none = staff
        .get(&format!("{}/users/nobody", links(OBP_BANK)))
        .await;
    assert_eq!(none.body, json!({"user_customer_links": []}));

    let id = link["user_customer_link_id"].as_str().unwrap();
    let r = staff.delete(&format!("{}/{id}", links(OBP_BANK))).await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.text);
    assert_eq!(r.body, json!(true));
    assert_obp(
        &staff.delete(&format!("{}/{id}", links(OBP_BANK))).await,
        400,
        "OBP-30035",
    );
    let by_user = staff
        .get(&format!("{}/users/{}", links(OBP_BANK), user.user_id))
        .await;
    assert_eq!(by_user.body, json!({"user_customer_links": []}));
}

#[tokio::test]
async fn the_list_by_user_spans_every_bank() {
    let app = obp_app().await;
    let admin = app.obp_admin().await;
    let staff = app
        .obp_staff(
            "staff",
            &[
                "CanCreateUserCustomerLinkAtAnyBank",
                "CanGetUserCustomerLink",
            ],
        )
        .await;
    admin
        .grant(&staff.user_id, "CanGetUserCustomerLink", OTHER_BANK)
        .await;
    let user = app.obp_user("felix").await;
    let here = customer_at(&app, OBP_BANK, "김민수").await;
    let there = customer_at(&app, OTHER_BANK, "김민수").await;
    for (bank, c) in [(OBP_BANK, &here), (OTHER_BANK, &there)] {
        let r = staff
            .post(
                &links(bank),
                &json!({"user_id": user.user_id, "customer_id": c.customer_id}),
            )
            .await;
        assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    }
    let r = staff
        .get(&format!("{}/users/{}", links(OBP_BANK), user.user_id))
        .await;
    let got: Vec<&str> = (r.body["user_customer_links"].as_array().unwrap().iter())
        .map(|l| l["customer_id"].as_str().unwrap())
        .collect();
    assert_eq!(got.len(), 2, "{}", r.text);
    assert!(got.contains(&here.customer_id.as_str()) && got.contains(&there.customer_id.as_str()));
    // The v3.1.0 prefix serves the same create.
    let other = app.obp_user("other").await;
    let body = json!({"user_id": other.user_id, "customer_id": here.customer_id});
    let r = staff
        .post(
            &format!("/obp/v3.1.0/banks/{OBP_BANK}/user_customer_links"),
            &body,
        )
        .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
}

#[tokio::test]
async fn create_gates_come_in_obp_order() {
    let app = obp_app().await;
    let staff = app.obp_staff("staff", &["CanCreateUserCustomerLink"]).await;
    let nobody = app.obp_user("nobody").await;
    let user = app.obp_user("felix").await;
    let c = customer_at(&app, OBP_BANK, "김민수").await;
    let good = json!({"user_id": user.user_id, "customer_id": c.customer_id});

    let r = app
        .call(
            &axum::http::Method::POST,
            &links(OBP_BANK),
            None,
            Some(&good),
        )
        .await;
    assert_obp(&r, 401, "OBP-20001");
    // OBP_BANK before ROLE: an unknown bank is 404 even without the role.
    assert_obp(&nobody.post(&links("999"), &good).await, 404, "OBP-30001");
    let r = nobody.post(&links(OBP_BANK), &good).await;
    assert_obp(&r, 403, "OBP-20006");
    let m = r.body["message"].as_str().unwrap();
    assert!(
        m.contains("CanCreateUserCustomerLink or CanCreateUserCustomerLinkAtAnyBank"),
        "{m}"
    );
    // ROLE before JSON.
    assert_obp(
        &nobody
            .send_raw(axum::http::Method::POST, &links(OBP_BANK), "{")
            .await,
        403,
        "OBP-20006",
    );
    assert_obp(
        &staff
            .send_raw(axum::http::Method::POST, &links(OBP_BANK), "{")
            .await,
        400,
        "OBP-10001",
    );
}

#[tokio::test]
async fn create_body_refusals_come_in_obp_order() {
    let app = obp_app().await;
    let staff = app.obp_staff("staff", &["CanCreateUserCustomerLink"]).await;
    let user = app.obp_user("felix").await;
    let c = customer_at(&app, OBP_BANK, "김민수").await;
    let elsewhere = customer_at(&app, OTHER_BANK, "이서연").await;
    let good = json!({"user_id": user.user_id, "customer_id": c.customer_id});
    // The user before the customer id.
    let r = staff
        .post(
            &links(OBP_BANK),
            &json!({"user_id": "ghost", "customer_id": ""}),
        )
        .await;
    assert_obp(&r, 404, "OBP-20057");
    let r = staff
        .post(&links(OBP_BANK), &json!({"user_id": user.user_id}))
        .await;
    assert_obp(&r, 400, "OBP-");
    assert!(
        r.text
            .contains("Field customer_id is not defined in the posted json!"),
        "{}",
        r.text
    );
    let r = staff
        .post(
            &links(OBP_BANK),
            &json!({"user_id": user.user_id, "customer_id": "ghost"}),
        )
        .await;
    assert_obp(&r, 404, "OBP-30046");
    let r = staff
        .post(
            &links(OBP_BANK),
            &json!({"user_id": user.user_id, "customer_id": elsewhere.customer_id}),
        )
        .await;
    assert_obp(&r, 400, "OBP-");
    assert!(
        r.text
            .contains(&format!("has to matches BANK_ID({OBP_BANK}) in URL")),
        "{}",
        r.text
    );
    assert_eq!(
        staff.post(&links(OBP_BANK), &good).await.status.as_u16(),
        201
    );
    assert_obp(&staff.post(&links(OBP_BANK), &good).await, 400, "OBP-30007");
}

#[tokio::test]
async fn every_link_endpoint_needs_its_role_at_this_bank() {
    let app = obp_app().await;
    let admin = app.obp_admin().await;
    let user = app.obp_user("felix").await;
    let c = customer_at(&app, OBP_BANK, "김민수").await;
    let holder = app.obp_user("holder").await;
    for role in [
        "CanCreateUserCustomerLink",
        "CanGetUserCustomerLink",
        "CanDeleteUserCustomerLink",
    ] {
        admin.grant(&holder.user_id, role, OTHER_BANK).await;
    }
    let body = json!({"user_id": user.user_id, "customer_id": c.customer_id});
    let calls = [
        holder.post(&links(OBP_BANK), &body).await,
        holder
            .delete(&format!("{}/some-link", links(OBP_BANK)))
            .await,
        holder
            .get(&format!("{}/customers/{}", links(OBP_BANK), c.customer_id))
            .await,
        holder
            .get(&format!("{}/users/{}", links(OBP_BANK), user.user_id))
            .await,
    ];
    for (r, role) in calls.iter().zip([
        "CanCreateUserCustomerLink",
        "CanDeleteUserCustomerLink",
        "CanGetUserCustomerLink",
        "CanGetUserCustomerLink",
    ]) {
        assert_obp(r, 403, "OBP-20006");
        assert!(r.text.contains(role), "{}", r.text);
    }
    for path in [
        format!("{}/l1", links("999")),
        format!("{}/users/u1", links("999")),
        format!("{}/customers/c1", links("999")),
    ] {
        let r = if path.ends_with("/l1") {
            holder.delete(&path).await
        } else {
            holder.get(&path).await
        };
        assert_obp(&r, 404, "OBP-30001");
    }
    let r = app
        .get(&format!("{}/users/{}", links(OBP_BANK), user.user_id))
        .await;
    assert_obp(&r, 401, "OBP-20001");
}

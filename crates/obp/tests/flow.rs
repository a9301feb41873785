//! The staff flow of the issue, end to end through the API only: create
//! user → grant roles → DirectLogin → create customer → link user →
//! attributes → addresses → KYC checks, documents, media, statuses →
//! meetings and messages → queries, each answer read back where it shows.

// One flow, read top to bottom in the order a bank's staff app calls it.
#![allow(clippy::too_many_lines)]

use finhub_testkit::obp::{customer_body, obp_app, ObpUser, OBP_BANK, V4};
use serde_json::{json, Value};

const ROLES: &[&str] = &[
    "CanCreateCustomer",
    "CanGetCustomer",
    "CanCreateUserCustomerLink",
    "CanGetUserCustomerLink",
    "CanCreateCustomerAttributeAtOneBank",
    "CanGetCustomerAttributesAtOneBank",
    "CanCreateCustomerAddress",
    "CanGetCustomerAddress",
    "CanCreateTaxResidence",
    "CanGetTaxResidence",
    "CanAddKycCheck",
    "CanAddKycDocument",
    "CanAddKycMedia",
    "CanAddKycStatus",
    "CanGetAnyKycChecks",
    "CanGetAnyKycDocuments",
    "CanGetAnyKycMedia",
    "CanGetAnyKycStatuses",
    "CanCreateCustomerMessage",
    "CanGetCustomerMessages",
    "CanUseCustomerFirehoseAtAnyBank",
];

async fn ok(u: &ObpUser<'_>, method: &str, path: &str, body: Option<Value>, status: u16) -> Value {
    let m = axum::http::Method::from_bytes(method.as_bytes()).unwrap();
    let r = u.call(m, &format!("{V4}{path}"), body.as_ref()).await;
    assert_eq!(r.status.as_u16(), status, "{method} {path}: {}", r.text);
    r.body
}

#[tokio::test]
async fn a_bank_onboards_a_customer_through_every_area() {
    let app = obp_app().await;
    // Create user, grant roles (the super admin), DirectLogin.
    let staff = app.obp_staff("onboarding-staff", ROLES).await;
    let me = ok(&staff, "GET", "/users/current", None, 200).await;
    assert_eq!(
        me["entitlements"]["list"].as_array().unwrap().len(),
        ROLES.len()
    );
    // The customer, linked to the staff user.
    let c = ok(
        &staff,
        "POST",
        &format!("/banks/{OBP_BANK}/customers"),
        Some(customer_body("Flow Kim", "01055556666")),
        201,
    )
    .await;
    let cid = c["customer_id"].as_str().unwrap().to_owned();
    let number = c["customer_number"].as_str().unwrap().to_owned();
    let link = json!({"user_id": staff.user_id, "customer_id": cid});
    ok(
        &staff,
        "POST",
        &format!("/banks/{OBP_BANK}/user_customer_links"),
        Some(link),
        201,
    )
    .await;
    let links = ok(
        &staff,
        "GET",
        &format!("/banks/{OBP_BANK}/user_customer_links/customers/{cid}"),
        None,
        200,
    )
    .await;
    assert_eq!(
        links["user_customer_links"][0]["user_id"],
        staff.user_id.as_str()
    );
    // Attributes, an address, a tax residence.
    let attr = json!({"name": "SPECIAL_TAX_NUMBER", "type": "STRING", "value": "123456789"});
    ok(
        &staff,
        "POST",
        &format!("/banks/{OBP_BANK}/customers/{cid}/attribute"),
        Some(attr),
        201,
    )
    .await;
    let address = json!({"line_1": "1 Sejong-daero", "line_2": "", "line_3": "", "city": "Seoul", "county": "Jung-gu",
        "state": "Seoul", "postcode": "04524", "country_code": "KR", "tags": ["home"], "status": "OK"});
    ok(
        &staff,
        "POST",
        &format!("/banks/{OBP_BANK}/customers/{cid}/address"),
        Some(address),
        201,
    )
    .await;
    let tax = json!({"domain": "KR", "tax_number": "900101-1234567"});
    ok(
        &staff,
        "POST",
        &format!("/banks/{OBP_BANK}/customers/{cid}/tax-residence"),
        Some(tax),
        201,
    )
    .await;
    // KYC: a document, media of it, a check, the status.
    let doc = json!({"customer_number": number, "type": "passport", "number": "M12345678",
        "issue_date": "2020-01-01T00:00:00Z", "issue_place": "Seoul", "expiry_date": "2030-01-01T00:00:00Z"});
    ok(
        &staff,
        "PUT",
        &format!("/banks/{OBP_BANK}/customers/{cid}/kyc_documents/doc-1"),
        Some(doc),
        201,
    )
    .await;
    let media = json!({"customer_number": number, "type": "image", "url": "https://files.example/p.jpg",
        "date": "2020-01-02T00:00:00Z", "relates_to_kyc_document_id": "doc-1", "relates_to_kyc_check_id": "chk-1"});
    ok(
        &staff,
        "PUT",
        &format!("/banks/{OBP_BANK}/customers/{cid}/kyc_media/med-1"),
        Some(media),
        201,
    )
    .await;
    let check = json!({"customer_number": number, "date": "2020-01-03T00:00:00Z", "how": "online_meeting",
        "staff_user_id": staff.user_id, "staff_name": "Staff", "satisfied": true, "comments": "ok"});
    ok(
        &staff,
        "PUT",
        &format!("/banks/{OBP_BANK}/customers/{cid}/kyc_check/chk-1"),
        Some(check),
        201,
    )
    .await;
    let status = json!({"customer_number": number, "ok": true, "date": "2020-01-04T00:00:00Z"});
    ok(
        &staff,
        "PUT",
        &format!("/banks/{OBP_BANK}/customers/{cid}/kyc_statuses"),
        Some(status),
        201,
    )
    .await;
    // A meeting, and messages both ways.
    let meeting = json!({"provider_id": "video", "purpose_id": "onboarding", "date": "2020-01-05T00:00:00Z",
        "creator": {"name": "Staff", "mobile_phone": "010", "email_address": "s@example.com"},
        "invitees": [{"contact_details": {"name": "Flow Kim", "mobile_phone": "010", "email_address": "c@example.com"}, "status": "invited"}]});
    let m = ok(
        &staff,
        "POST",
        &format!("/banks/{OBP_BANK}/meetings"),
        Some(meeting),
        201,
    )
    .await;
    let mid = m["meeting_id"].as_str().unwrap();
    ok(
        &staff,
        "GET",
        &format!("/banks/{OBP_BANK}/meetings/{mid}"),
        None,
        200,
    )
    .await;
    let v4 = json!({"message": "Welcome", "transport": "SMS", "from_department": "Onboarding", "from_person": "Staff"});
    ok(
        &staff,
        "POST",
        &format!("/banks/{OBP_BANK}/customers/{cid}/messages"),
        Some(v4),
        201,
    )
    .await;
    let v14 = json!({"message": "Your documents are in", "from_department": "Onboarding", "from_person": "Staff"});
    let r = staff
        .post(
            &format!("/obp/v1.4.0/banks/{OBP_BANK}/customer/{cid}/messages"),
            &v14,
        )
        .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);

    // Queries: everything reads back.
    let got = ok(
        &staff,
        "GET",
        &format!("/banks/{OBP_BANK}/customers/{cid}"),
        None,
        200,
    )
    .await;
    assert_eq!(got["kyc_status"], true, "the status is the customer's");
    assert_eq!(got["customer_attributes"][0]["value"], "123456789");
    let by_attr = ok(
        &staff,
        "GET",
        &format!("/banks/{OBP_BANK}/customers?SPECIAL_TAX_NUMBER=123456789"),
        None,
        200,
    )
    .await;
    assert_eq!(by_attr["customers"][0]["customer_id"], cid.as_str());
    let addresses = ok(
        &staff,
        "GET",
        &format!("/banks/{OBP_BANK}/customers/{cid}/addresses"),
        None,
        200,
    )
    .await;
    assert_eq!(addresses["addresses"][0]["city"], "Seoul");
    let taxes = ok(
        &staff,
        "GET",
        &format!("/banks/{OBP_BANK}/customers/{cid}/tax-residences"),
        None,
        200,
    )
    .await;
    assert_eq!(taxes["tax_residence"][0]["domain"], "KR");
    for (what, key, id) in [
        ("kyc_documents", "documents", "doc-1"),
        ("kyc_media", "medias", "med-1"),
        ("kyc_checks", "checks", "chk-1"),
    ] {
        let r = ok(
            &staff,
            "GET",
            &format!("/customers/{cid}/{what}"),
            None,
            200,
        )
        .await;
        assert_eq!(r[key][0]["id"], id, "{what}");
    }
    let statuses = ok(
        &staff,
        "GET",
        &format!("/customers/{cid}/kyc_statuses"),
        None,
        200,
    )
    .await;
    assert_eq!(statuses["statuses"][0]["ok"], true);
    let meetings = ok(
        &staff,
        "GET",
        &format!("/banks/{OBP_BANK}/meetings"),
        None,
        200,
    )
    .await;
    assert_eq!(meetings["meetings"][0]["meeting_id"], mid);
    let msgs = ok(
        &staff,
        "GET",
        &format!("/banks/{OBP_BANK}/customers/{cid}/messages"),
        None,
        200,
    )
    .await;
    assert_eq!(msgs["messages"][0]["message"], "Welcome");
    // The v1.4.0 message went to the user linked to the customer: the staff user.
    let mine = staff
        .get(&format!("/obp/v1.4.0/banks/{OBP_BANK}/customer/messages"))
        .await;
    assert_eq!(
        mine.body["messages"][0]["message"], "Your documents are in",
        "{}",
        mine.text
    );
    let current = staff.get("/obp/v3.0.0/users/current/customers").await;
    assert_eq!(current.body["customers"][0]["customer_id"], cid.as_str());
    assert_eq!(current.body["customers"][0]["date_of_birth"], "1990-03-04");
    let hose = ok(
        &staff,
        "GET",
        &format!("/banks/{OBP_BANK}/firehose/customers?limit=10"),
        None,
        200,
    )
    .await;
    assert!(hose["customers"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["customer_id"] == cid.as_str()));
}

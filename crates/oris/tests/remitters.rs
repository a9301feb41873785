//! Remitters (U1, U2, U6–U8) and the consent gate of U3–U5, as agencies
//! meet them; the sandbox's remitter status.

mod kit {
    use axum::http::StatusCode;
    use chrono::{DateTime, Utc};
    use finhub_testkit::oris::{OrisStaff, THIRD_PARTY_TERM};
    use finhub_testkit::TestApp;
    use serde_json::{json, Value};

    pub fn person(number: &str) -> Value {
        json!({"userType": "내국인", "userName": "류가람", "userCountry": "KR",
               "identityType": "RRN", "identityNumber": number, "birthDate": "19900101"})
    }

    pub async fn remitter(staff: &OrisStaff<'_>, number: &str) -> String {
        let r = staff.post("/api/oris/v1/users", &person(number)).await;
        assert!(r.status.is_success(), "{}", r.text);
        r.body["userId"].as_str().unwrap().to_owned()
    }

    pub fn consent_body() -> Value {
        json!({"termId": THIRD_PARTY_TERM, "identityVerificationMethod": "MOBILE_PHONE",
               "consenterName": "류가람", "isUnderFourteen": false})
    }

    /// A 개인정보제3자제공 term the operator writes (T2), in force from
    /// `initiation` (T3; None: a draft); its id.
    pub async fn add_term(app: &TestApp, initiation: Option<DateTime<Utc>>) -> String {
        let op = app.oris_operator().await;
        let t = op
            .post(
                "/api/oris/v1/terms",
                &json!({"termType": "개인정보제3자제공",
                "title": "개정 동의", "content": "개정", "version": "2.0", "required": true}),
            )
            .await;
        assert_eq!(t.status, StatusCode::CREATED, "{}", t.text);
        let id = t.body["termId"].as_str().unwrap().to_owned();
        if let Some(at) = initiation {
            let d = json!({"initiationDate": finhub_oris::wire::datetime(at)});
            let r = op
                .put(&format!("/api/oris/v1/terms/{id}/initiation-date"), &d)
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        }
        id
    }
}

use axum::http::{Method, StatusCode};
use finhub_testkit::oris::{assert_oris, OrisStaff, PLEDGE_TERM, THIRD_PARTY_TERM};
use finhub_testkit::spawn_app;
use finhub_testkit::TestApp;
use kit::{add_term, consent_body, person, remitter};
use serde_json::json;

/// U2 is personal data: only with the remitter's consent the agency holds.
async fn profile_needs_the_consent(firm: &OrisStaff<'_>, id: &str, u1: &serde_json::Value) {
    let u2 = firm.get(&format!("/api/oris/v1/users/{id}")).await;
    assert_oris(&u2, StatusCode::FORBIDDEN, "CONSENT_REQUIRED");
    assert_eq!(u2.body["missingConsentType"], "개인정보제3자제공");
    let c = firm
        .post(
            &format!("/api/oris/v1/users/{id}/consents"),
            &consent_body(),
        )
        .await;
    assert!(c.status.is_success(), "{}", c.text);
    let u2 = firm.get(&format!("/api/oris/v1/users/{id}")).await;
    assert_eq!(u2.status, StatusCode::OK);
    assert_eq!(&u2.body, u1);
}

#[tokio::test]
async fn a_remitter_is_one_identity_across_agencies() {
    let app = spawn_app().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let firm = app.oris_staff(None).await;
    let first = kb
        .post("/api/oris/v1/users", &person("900101-1234567"))
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    let id = first.body["userId"].as_str().unwrap();
    assert_eq!(id.len(), 26);
    assert_eq!(first.body["userName"], "류가람");
    assert_eq!(first.body["userType"], "내국인");
    assert_eq!(first.body["userCountry"], "KR");
    assert!(first.body["createdAt"]
        .as_str()
        .unwrap()
        .ends_with("+09:00"));
    assert!(!first.text.contains("1234567"), "{}", first.text);
    // The same identity from another agency, written without the hyphen.
    let again = firm
        .post("/api/oris/v1/users", &person("9001011234567"))
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text);
    assert_eq!(again.body["userId"], id);
    let mut passport = person("9001011234567");
    passport["identityType"] = json!("PASSPORT");
    let other = firm.post("/api/oris/v1/users", &passport).await;
    assert_eq!(
        other.status,
        StatusCode::CREATED,
        "a passport is another identity"
    );
    assert_ne!(other.body["userId"], id);

    profile_needs_the_consent(&firm, id, &first.body).await;
    let r = firm
        .get("/api/oris/v1/users/01JR9JH2S5SG85EJDZK4XYXBV4")
        .await;
    assert_oris(&r, StatusCode::NOT_FOUND, "USER_NOT_FOUND");

    for (field, bad) in [
        ("userType", json!("시민")),
        ("identityType", json!("DRIVER")),
        ("identityNumber", json!("12345")),
        ("birthDate", json!("1990-01-01")),
        ("userCountry", json!("korea")),
    ] {
        let mut b = person("8801011234567");
        b[field] = bad;
        let r = kb.post("/api/oris/v1/users", &b).await;
        assert_oris(&r, StatusCode::BAD_REQUEST, "INVALID_REQUEST");
    }
    let r = kb
        .post(
            "/api/oris/v1/users",
            &json!({"userType": "내국인", "userName": "x"}),
        )
        .await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "BAD_REQUEST");
    assert!(r.body["message"]
        .as_str()
        .unwrap()
        .starts_with("Validation failed for argument at index 0 in method"));
    let mut unknown_ci = person("8801011234567");
    unknown_ci["ci"] = json!("no-such-ci");
    let r = kb.post("/api/oris/v1/users", &unknown_ci).await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "INVALID_REQUEST");
}

#[tokio::test]
async fn an_inactive_remitter_is_refused_until_active_again() {
    let app = spawn_app().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let id = remitter(&kb, "9001011234567").await;
    let auth = app.admin_auth();
    let path = format!("/sandbox/oris/users/{id}/status");
    let r = app
        .call(
            &Method::PUT,
            &path,
            Some(&auth),
            Some(&json!({"status": "INACTIVE"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["status"], "INACTIVE");
    let r = kb
        .post("/api/oris/v1/users", &person("9001011234567"))
        .await;
    assert_oris(&r, StatusCode::FORBIDDEN, "USER_NOT_ACTIVE");
    let bmi = format!("20260302{}000000001", kb.agency.agency_code);
    let report = json!({"businessMessageIdentifier": bmi, "userId": id,
        "requestDate": "2026-03-02T10:00:00.000000+09:00", "usdExchangeAmount": 100});
    let r = kb.post("/api/oris/v1/remittances", &report).await;
    assert_oris(&r, StatusCode::FORBIDDEN, "USER_NOT_ACTIVE");

    let r = app
        .call(
            &Method::PUT,
            &path,
            Some(&auth),
            Some(&json!({"status": "ACTIVE"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = kb.post("/api/oris/v1/remittances", &report).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = app
        .call(
            &Method::PUT,
            &path,
            Some(&auth),
            Some(&json!({"status": "GONE"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let r = app
        .call(
            &Method::PUT,
            "/sandbox/oris/users/01JR9JH2S5SG85EJDZK4XYXBV4/status",
            Some(&auth),
            Some(&json!({"status": "ACTIVE"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    let r = app
        .call(
            &Method::PUT,
            &path,
            None,
            Some(&json!({"status": "ACTIVE"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn consents_are_recorded_listed_and_withdrawn() {
    let app = spawn_app().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let id = remitter(&kb, "9001011234567").await;
    let path = format!("/api/oris/v1/users/{id}/consents");
    let first = kb.post(&path, &consent_body()).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    assert_eq!(first.body["termTypeName"], "개인정보제3자제공동의");
    assert_eq!(first.body["isUnderFourteen"], false);
    assert!(first.body["consentAt"]
        .as_str()
        .unwrap()
        .ends_with("+09:00"));
    let again = kb.post(&path, &consent_body()).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body["consentId"], first.body["consentId"]);

    consent_refusals(&app, &kb, &path).await;

    let list = kb.get(&path).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text);
    let items = list.body["content"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["termId"], THIRD_PARTY_TERM);
    assert_eq!(items[0]["withdrawnAt"], json!(null));

    let other = remitter(&kb, "8801011234567").await;
    let cid = first.body["consentId"].as_str().unwrap();
    let r = kb
        .delete(&format!("/api/oris/v1/users/{other}/consents/{cid}"))
        .await;
    assert_oris(&r, StatusCode::CONFLICT, "CONSENT_NOT_MATCH");
    let r = kb
        .delete(&format!("{path}/01JA0000000000000000000XX1"))
        .await;
    assert_oris(&r, StatusCode::NOT_FOUND, "CONSENT_NOT_FOUND");
    let r = kb.delete(&format!("{path}/{cid}")).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let list = kb.get(&path).await;
    assert!(list.body["content"][0]["withdrawnAt"].is_string());
    let limits = kb.get(&format!("/api/oris/v1/users/{id}/limits")).await;
    assert_oris(&limits, StatusCode::FORBIDDEN, "CONSENT_REQUIRED");
    // Consenting again after a withdrawal is a new consent.
    let renewed = kb.post(&path, &consent_body()).await;
    assert_eq!(renewed.status, StatusCode::CREATED, "{}", renewed.text);
    assert_ne!(renewed.body["consentId"], first.body["consentId"]);
}

/// What U6 refuses: a missing isUnderFourteen, an unknown method, an
/// unknown term, the staff pledge, a draft term, an unknown remitter.
async fn consent_refusals(app: &TestApp, kb: &OrisStaff<'_>, path: &str) {
    let mut b = consent_body();
    b.as_object_mut().unwrap().remove("isUnderFourteen");
    assert_oris(
        &kb.post(path, &b).await,
        StatusCode::BAD_REQUEST,
        "INVALID_REQUEST",
    );
    let mut b = consent_body();
    b["identityVerificationMethod"] = json!("TELEPATHY");
    assert_oris(
        &kb.post(path, &b).await,
        StatusCode::BAD_REQUEST,
        "INVALID_REQUEST",
    );
    let mut b = consent_body();
    b["termId"] = json!("01JA0000000000000000000XX1");
    assert_oris(
        &kb.post(path, &b).await,
        StatusCode::NOT_FOUND,
        "TERM_NOT_FOUND",
    );
    let mut b = consent_body();
    b["termId"] = json!(PLEDGE_TERM);
    assert_oris(
        &kb.post(path, &b).await,
        StatusCode::CONFLICT,
        "CONSENT_NOT_MATCH",
    );
    let draft = add_term(app, None).await;
    let mut b = consent_body();
    b["termId"] = json!(draft);
    assert_oris(
        &kb.post(path, &b).await,
        StatusCode::BAD_REQUEST,
        "INVALID_REQUEST",
    );
    let r = kb
        .post(
            "/api/oris/v1/users/01JR9JH2S5SG85EJDZK4XYXBV4/consents",
            &consent_body(),
        )
        .await;
    assert_oris(&r, StatusCode::NOT_FOUND, "USER_NOT_FOUND");
}

#[tokio::test]
async fn reads_need_this_agencys_consent_to_the_term_in_force() {
    let app = spawn_app().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let firm = app.oris_staff(None).await;
    let id = remitter(&kb, "9001011234567").await;
    let reads = [
        format!("/api/oris/v1/users/{id}/limits"),
        format!(
            "/api/oris/v1/users/{id}/remittances?startDateTime=2026-01-01T00:00:00%2B09:00\
             &endDateTime=2026-06-30T00:00:00%2B09:00"
        ),
        format!("/api/oris/v1/users/{id}/remittances/202603020000000000001"),
    ];
    for p in &reads {
        let r = kb.get(p).await;
        assert_oris(&r, StatusCode::FORBIDDEN, "CONSENT_REQUIRED");
        assert_eq!(r.body["missingConsentType"], "개인정보제3자제공");
        assert_eq!(
            r.body["message"],
            "Consent is required for 개인정보제3자제공"
        );
    }
    let r = kb
        .get("/api/oris/v1/users/01JR9JH2S5SG85EJDZK4XYXBV4/limits")
        .await;
    assert_oris(&r, StatusCode::NOT_FOUND, "USER_NOT_FOUND");
    let c = kb
        .post(
            &format!("/api/oris/v1/users/{id}/consents"),
            &consent_body(),
        )
        .await;
    assert_eq!(c.status, StatusCode::CREATED, "{}", c.text);
    assert_eq!(kb.get(&reads[0]).await.status, StatusCode::OK);
    assert_eq!(kb.get(&reads[1]).await.status, StatusCode::OK);
    let r = kb.get(&reads[2]).await;
    assert_oris(&r, StatusCode::NOT_FOUND, "REMITTANCE_NOT_FOUND");
    // One agency's consent does not serve another's reads.
    let r = firm.get(&reads[0]).await;
    assert_oris(&r, StatusCode::FORBIDDEN, "CONSENT_REQUIRED");

    // A newer version comes into force tomorrow: the 403 again until the
    // remitter consents to it.
    let tomorrow = app.clock.now() + chrono::Duration::days(1);
    let v2 = add_term(&app, Some(tomorrow)).await;
    assert_eq!(kb.get(&reads[0]).await.status, StatusCode::OK);
    app.clock.advance(chrono::Duration::days(2));
    let again = app.oris_member(kb.agency.clone()).await;
    let r = again.get(&reads[0]).await;
    assert_oris(&r, StatusCode::FORBIDDEN, "CONSENT_REQUIRED");
    assert_eq!(r.body["missingConsentType"], "개인정보제3자제공");
    let mut b = consent_body();
    b["termId"] = json!(v2);
    let c = again
        .post(&format!("/api/oris/v1/users/{id}/consents"), &b)
        .await;
    assert_eq!(c.status, StatusCode::CREATED, "{}", c.text);
    assert_eq!(again.get(&reads[0]).await.status, StatusCode::OK);
}

#[test]
fn the_openapi_document_names_every_remitter_path_and_the_consent_choice() {
    let doc = serde_json::to_value(finhub_oris::openapi()).unwrap();
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/api/oris/v1/users",
        "/api/oris/v1/users/{userId}",
        "/api/oris/v1/users/{userId}/remittances",
        "/api/oris/v1/users/{userId}/remittances/{businessMessageIdentifier}",
        "/api/oris/v1/users/{userId}/limits",
        "/api/oris/v1/users/{userId}/consents",
        "/api/oris/v1/users/{userId}/consents/{consentId}",
        "/api/oris/v1/remittances",
        "/api/oris/v1/remittances/{businessMessageIdentifier}",
        "/api/oris/v1/remittances/{businessMessageIdentifier}/return",
    ] {
        assert!(paths.contains_key(p), "{p}");
    }
    let op = &doc["paths"]["/api/oris/v1/users/{userId}/remittances"]["get"];
    let u3 = op["description"].as_str().unwrap();
    assert!(u3.contains("does not serve another"), "{u3}");
}

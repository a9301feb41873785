//! Remittance reports (R1–R5) as an agency makes them: new, corrected,
//! returned, and its own reports read back.

mod kit {
    use finhub_testkit::oris::OrisStaff;
    use serde_json::{json, Value};

    /// U1 a remitter with this identity number; its userId.
    pub async fn remitter(staff: &OrisStaff<'_>, number: &str) -> String {
        let r = staff
            .post(
                "/api/oris/v1/users",
                &json!({"userType": "내국인", "userName": "류가람", "userCountry": "KR",
                        "identityType": "RRN", "identityNumber": number, "birthDate": "19900101"}),
            )
            .await;
        assert!(r.status.is_success(), "{}", r.text);
        r.body["userId"].as_str().unwrap().to_owned()
    }

    /// A bmi of this staff's agency: date + code + the 9-digit sequence.
    pub fn bmi(staff: &OrisStaff<'_>, date: &str, seq: u32) -> String {
        format!("{date}{}{seq:09}", staff.agency.agency_code)
    }

    pub fn new_report(bmi: &str, user: &str, at: &str, usd: Value) -> Value {
        json!({"businessMessageIdentifier": bmi, "userId": user,
               "requestDate": at, "usdExchangeAmount": usd})
    }
}

use axum::http::StatusCode;
use finhub_testkit::oris::assert_oris;
use finhub_testkit::spawn_app;
use kit::{bmi, new_report, remitter};
use serde_json::json;

const AT: &str = "2026-03-02T10:00:00.000000+09:00";

#[tokio::test]
async fn a_new_report_answers_the_year_and_its_refusals() {
    let app = spawn_app().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let user = remitter(&kb, "9001011234567").await;
    let b = bmi(&kb, "20260302", 1);
    let r = kb
        .post(
            "/api/oris/v1/remittances",
            &new_report(&b, &user, AT, json!(870)),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["businessMessageIdentifier"], b.as_str());
    assert_eq!(r.body["status"], "신규");
    assert_eq!(r.body["accountYear"], 2026);
    assert_eq!(r.body["usedUsdAmount"], 870);
    assert_eq!(r.body["remainingUsdAmount"], 99130);
    assert_eq!(r.body["limitExceeded"], false);
    assert!(r.body["createdAt"].as_str().unwrap().ends_with("+09:00"));

    let again = kb
        .post(
            "/api/oris/v1/remittances",
            &new_report(&b, &user, AT, json!(870)),
        )
        .await;
    assert_oris(&again, StatusCode::CONFLICT, "REMITTANCE_ALREADY_EXISTS");
    let other = format!(
        "20260302{}000000001",
        if kb.agency.agency_code == "9999" {
            "9998"
        } else {
            "9999"
        }
    );
    let r = kb
        .post(
            "/api/oris/v1/remittances",
            &new_report(&other, &user, AT, json!(1)),
        )
        .await;
    assert_oris(&r, StatusCode::FORBIDDEN, "AGENCY_NOT_MATCH");
    let r = kb
        .post(
            "/api/oris/v1/remittances",
            &new_report("2026030212", &user, AT, json!(1)),
        )
        .await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "INVALID_REQUEST");
    let b2 = bmi(&kb, "20260302", 2);
    for zero in [json!(0), json!(-5)] {
        let r = kb
            .post(
                "/api/oris/v1/remittances",
                &new_report(&b2, &user, AT, zero),
            )
            .await;
        assert_oris(&r, StatusCode::BAD_REQUEST, "INVALID_REQUEST");
    }
    let r = kb
        .post(
            "/api/oris/v1/remittances",
            &new_report(&b2, "01JR9JH2S5SG85EJDZK4XYXBV4", AT, json!(1)),
        )
        .await;
    assert_oris(&r, StatusCode::NOT_FOUND, "USER_NOT_FOUND");
    let r = kb
        .post(
            "/api/oris/v1/remittances",
            &json!({"businessMessageIdentifier": b2, "userId": user}),
        )
        .await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "BAD_REQUEST");
    assert!(r.body["message"]
        .as_str()
        .unwrap()
        .starts_with("Validation failed for argument at index 0 in method"));
}

//! The yearly limit (§8): one remitter's total across every agency's
//! reports, corrections and returns, in cents; U5 and U3 as each agency
//! reads them.

mod kit {
    use finhub_testkit::oris::{OrisStaff, PASSWORD, THIRD_PARTY_TERM};
    use finhub_testkit::TestApp;
    use serde_json::{json, Value};

    pub async fn remitter(staff: &OrisStaff<'_>, number: &str) -> String {
        let r = staff
            .post(
                "/api/oris/v1/users",
                &json!({"userType": "외국인", "userName": "Nguyen Van A", "userCountry": "VN",
                        "identityType": "PASSPORT", "identityNumber": number,
                        "birthDate": "19850505"}),
            )
            .await;
        assert!(r.status.is_success(), "{}", r.text);
        r.body["userId"].as_str().unwrap().to_owned()
    }

    pub async fn consent(staff: &OrisStaff<'_>, user: &str) {
        let r = staff
            .post(
                &format!("/api/oris/v1/users/{user}/consents"),
                &json!({"termId": THIRD_PARTY_TERM, "identityVerificationMethod": "ONEPASS",
                        "isUnderFourteen": false}),
            )
            .await;
        assert!(r.status.is_success(), "{}", r.text);
    }

    /// A securities company's agency, its admin signed in.
    pub async fn securities(app: &TestApp) -> OrisStaff<'_> {
        let a = app
            .oris_agency(json!({"agencyName": "한빛증권", "agencyType": "증권사",
                                "admin": {"password": PASSWORD}}))
            .await;
        let s = app.oris_member(a).await;
        s.sign_pledge().await;
        s
    }

    /// R1 `seq` of this agency; the answer's body.
    pub async fn report(
        staff: &OrisStaff<'_>,
        seq: u32,
        user: &str,
        at: &str,
        usd: Value,
    ) -> Value {
        report_with(
            staff,
            seq,
            json!({"userId": user, "requestDate": at, "usdExchangeAmount": usd}),
        )
        .await
    }

    pub async fn report_with(staff: &OrisStaff<'_>, seq: u32, mut body: Value) -> Value {
        body["businessMessageIdentifier"] = json!(bmi(staff, seq));
        let r = staff.post("/api/oris/v1/remittances", &body).await;
        assert_eq!(r.status, axum::http::StatusCode::CREATED, "{}", r.text);
        r.body
    }

    pub fn bmi(staff: &OrisStaff<'_>, seq: u32) -> String {
        format!("20260115{}{seq:09}", staff.agency.agency_code)
    }
}

use axum::http::StatusCode;
use finhub_testkit::oris::{assert_oris, OrisStaff};
use finhub_testkit::spawn_app;
use kit::{bmi, consent, remitter, report, report_with, securities};
use serde_json::json;

const JAN: &str = "2026-01-15T10:00:00+09:00";

#[tokio::test]
async fn a_yearly_total_is_right_across_three_agencies() {
    let app = spawn_app().await;
    app.clock.set(
        chrono::DateTime::parse_from_rfc3339("2026-06-01T09:00:00+09:00")
            .unwrap()
            .to_utc(),
    );
    let kb = app.oris_staff(Some("BA00000004")).await;
    let firm = app.oris_staff(None).await;
    let sec = securities(&app).await;
    let x = remitter(&kb, "M12345678").await;
    let y = remitter(&firm, "M87654321").await;
    assert_eq!(
        remitter(&sec, "m12345678").await,
        x,
        "one identity, one remitter"
    );

    reports_of_three(&kb, &firm, &sec, &x, &y).await;
    corrections_of_three(&kb, &firm, &sec).await;

    // Every agency reads the same total once the remitter consented to it.
    for staff in [&kb, &firm, &sec] {
        consent(staff, &x).await;
        let l = staff.get(&format!("/api/oris/v1/users/{x}/limits")).await;
        assert_eq!(l.status, StatusCode::OK, "{}", l.text);
        let b = &l.body;
        assert_eq!(b["userId"], x.as_str());
        assert_eq!(b["accountYear"], 2026);
        assert_eq!(b["annualLimitUsdAmount"], 100000);
        assert_eq!(b["usedUsdAmount"], 70001);
        assert_eq!(b["remainingUsdAmount"], 29999);
        assert_eq!(b["remittanceCount"], 4);
        assert_eq!(b["perTransactionCapAfterLimitUsd"], 5000);
        assert!(
            b["asOf"].as_str().unwrap().starts_with("2026-06-01T09:00"),
            "{}",
            l.text
        );
    }
    let l = kb
        .get(&format!("/api/oris/v1/users/{x}/limits?year=2025"))
        .await;
    assert_eq!(
        (
            l.body["usedUsdAmount"].clone(),
            l.body["remittanceCount"].clone()
        ),
        (json!(1000), json!(1))
    );
    let l = kb
        .get(&format!("/api/oris/v1/users/{x}/limits?year=abc"))
        .await;
    assert_oris(&l, StatusCode::BAD_REQUEST, "BAD_REQUEST");
    // The default year follows the world clock.
    // (A new agency's member: the old passwords are past 90 days by then.)
    app.clock.advance(chrono::Duration::days(214));
    let later = app.oris_staff(None).await;
    consent(&later, &x).await;
    let l = later.get(&format!("/api/oris/v1/users/{x}/limits")).await;
    assert_eq!(l.body["accountYear"], 2027, "{}", l.text);
    assert_eq!(l.body["usedUsdAmount"], 7);
}

/// Five reports of `x` by three agencies (one documented, the total going
/// over the limit), one of `y`, two in other years.
async fn reports_of_three(
    kb: &OrisStaff<'_>,
    firm: &OrisStaff<'_>,
    sec: &OrisStaff<'_>,
    x: &str,
    y: &str,
) {
    let r = report(kb, 1, x, JAN, json!(40000)).await;
    assert_eq!(
        (r["usedUsdAmount"].clone(), r["limitExceeded"].clone()),
        (json!(40000), json!(false))
    );
    report(kb, 2, x, JAN, json!(20000)).await;
    let r = report(firm, 1, x, JAN, json!(30000)).await;
    assert_eq!(r["usedUsdAmount"], 90000);
    assert_eq!(r["remainingUsdAmount"], 10000);
    // A documented remittance is kept but not counted.
    let r = report_with(
        firm,
        2,
        json!({"userId": x, "requestDate": JAN,
        "usdExchangeAmount": 15000, "evidenceSubmitted": true, "currency": "VND",
        "amount": 380000000, "receiverCountry": "VN"}),
    )
    .await;
    assert_eq!(r["usedUsdAmount"], 90000);
    // Over the limit: recorded, and said so.
    let r = report(sec, 1, x, JAN, json!(25000)).await;
    assert_eq!(r["usedUsdAmount"], 115000);
    assert_eq!(r["remainingUsdAmount"], 0);
    assert_eq!(r["limitExceeded"], true);
    report(firm, 3, y, JAN, json!(99999.99)).await;
    // Another year: 23:00 KST on New Year's Eve 2025, and 00:30 KST 2027.
    let r = report(kb, 3, x, "2025-12-31T23:00:00+09:00", json!(1000)).await;
    assert_eq!(r["accountYear"], 2025);
    let r = report(kb, 4, x, "2026-12-31T15:30:00Z", json!(7)).await;
    assert_eq!(r["accountYear"], 2027);
}

/// A correction by each reporter, a return, and a documented report made
/// undocumented.
async fn corrections_of_three(kb: &OrisStaff<'_>, firm: &OrisStaff<'_>, sec: &OrisStaff<'_>) {
    // Corrections and returns by each reporter.
    let r = kb
        .put(
            &format!("/api/oris/v1/remittances/{}", bmi(kb, 2)),
            &json!({"requestDate": JAN, "usdExchangeAmount": 5000}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["usedUsdAmount"], 100000);
    assert_eq!(
        r.body["limitExceeded"], false,
        "at the limit is not over it"
    );
    let r = firm
        .post(
            &format!("/api/oris/v1/remittances/{}/return", bmi(firm, 1)),
            &json!({"returnDate": "2026-01-20T10:00:00+09:00"}),
        )
        .await;
    assert_eq!(r.body["usedUsdAmount"], 70000, "{}", r.text);
    let r = sec
        .put(
            &format!("/api/oris/v1/remittances/{}", bmi(sec, 1)),
            &json!({"requestDate": JAN, "usdExchangeAmount": 25000.25}),
        )
        .await;
    assert_eq!(r.body["usedUsdAmount"], 70000.25, "{}", r.text);
    // A documented one corrected to undocumented counts from then on.
    let r = firm
        .put(
            &format!("/api/oris/v1/remittances/{}", bmi(firm, 2)),
            &json!({"requestDate": JAN, "usdExchangeAmount": 0.75, "evidenceSubmitted": false}),
        )
        .await;
    assert_eq!(r.body["usedUsdAmount"], 70001, "{}", r.text);
}

#[tokio::test]
async fn a_remitter_sees_every_agencys_reports_in_a_window() {
    let app = spawn_app().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let firm = app.oris_staff(None).await;
    let sec = securities(&app).await;
    let x = remitter(&kb, "M12345678").await;
    report(&kb, 1, &x, JAN, json!(10)).await;
    report(&firm, 1, &x, "2026-02-15T10:00:00+09:00", json!(20)).await;
    report(&firm, 2, &x, "2026-03-15T10:00:00+09:00", json!(30)).await;
    report(&sec, 1, &x, "2026-04-15T10:00:00+09:00", json!(40)).await;
    firm.post(
        &format!("/api/oris/v1/remittances/{}/return", bmi(&firm, 2)),
        &json!({"returnDate": "2026-03-16T10:00:00+09:00"}),
    )
    .await;
    consent(&sec, &x).await;
    let base = format!("/api/oris/v1/users/{x}/remittances");
    let w = "startDateTime=2026-01-01T00:00:00%2B09:00&endDateTime=2026-12-31T23:59:59%2B09:00";
    let r = sec.get(&format!("{base}?{w}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["page"]["totalElements"], 4);
    let first = &r.body["content"][0];
    assert_eq!(first["businessMessageIdentifier"], bmi(&sec, 1));
    assert_eq!(first["agency"]["agencyName"], "한빛증권");
    assert_eq!(first["remittance"]["usdExchangeAmount"], 40);
    assert_eq!(first["remittance"]["status"], "신규");
    assert_eq!(r.body["content"][1]["remittance"]["status"], "퇴결");
    let r = sec
        .get(&format!("{base}?{w}&agencyId={}", firm.agency.agency_id))
        .await;
    assert_eq!(r.body["page"]["totalElements"], 2);
    let narrow =
        "startDateTime=2026-02-01T00:00:00%2B09:00&endDateTime=2026-02-28T00:00:00%2B09:00";
    let r = sec.get(&format!("{base}?{narrow}&size=1")).await;
    assert_eq!(r.body["page"]["totalElements"], 1);
    assert_eq!(r.body["page"]["size"], 1);
    // Any agency's report in U4, for the consenting agency.
    let r = sec.get(&format!("{base}/{}", bmi(&kb, 1))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["agency"]["agencyId"], kb.agency.agency_id.as_str());

    let r = sec
        .get(&format!("{base}?endDateTime=2026-12-31T23:59:59%2B09:00"))
        .await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "BAD_REQUEST");
    assert!(r.body["message"]
        .as_str()
        .unwrap()
        .starts_with("Required request parameter 'startDateTime'"));
    let long = "startDateTime=2025-01-01T00:00:00%2B09:00&endDateTime=2026-01-01T00:00:01%2B09:00";
    assert_oris(
        &sec.get(&format!("{base}?{long}")).await,
        StatusCode::BAD_REQUEST,
        "INVALID_REQUEST",
    );
    let year = "startDateTime=2025-01-01T00:00:00%2B09:00&endDateTime=2026-01-01T00:00:00%2B09:00";
    assert_eq!(
        sec.get(&format!("{base}?{year}")).await.status,
        StatusCode::OK,
        "one year exactly"
    );
    let back = "startDateTime=2026-02-01T00:00:00%2B09:00&endDateTime=2026-01-01T00:00:00%2B09:00";
    assert_oris(
        &sec.get(&format!("{base}?{back}")).await,
        StatusCode::BAD_REQUEST,
        "INVALID_REQUEST",
    );
    let r = sec.get(&format!("{base}?{w}&page=abc")).await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "BAD_REQUEST");
}

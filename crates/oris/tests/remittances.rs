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

    /// U6 with the seeded 개인정보제3자제공 term.
    pub async fn consent(staff: &OrisStaff<'_>, user: &str) {
        let r = staff
            .post(
                &format!("/api/oris/v1/users/{user}/consents"),
                &json!({"termId": finhub_testkit::oris::THIRD_PARTY_TERM,
                        "identityVerificationMethod": "FACE_TO_FACE_ID", "isUnderFourteen": false}),
            )
            .await;
        assert!(r.status.is_success(), "{}", r.text);
    }

    /// A member of the built-in VIEWER group in `staff`'s agency, signed in
    /// with the pledge signed.
    pub async fn viewer<'a>(staff: &OrisStaff<'a>) -> OrisStaff<'a> {
        use finhub_core::oris::staff::{Member, MemberStatus, VIEWER_GROUP};
        let app = staff.app;
        let reg = finhub_core::oris::Registry::new(
            std::sync::Arc::new(app.store.clone()),
            app.world.clone(),
        );
        let now = app.clock.now();
        let email = format!("viewer@{}.example", staff.agency.agency_code);
        let m = Member {
            member_id: reg.new_id(),
            agency_id: staff.agency.agency_id.clone(),
            email: email.clone(),
            name: "조회자".into(),
            phone: String::new(),
            department: String::new(),
            description: None,
            group_id: VIEWER_GROUP.into(),
            status: MemberStatus::Active,
            password_hash: finhub_core::oris::login::hash_password(finhub_testkit::oris::PASSWORD)
                .await
                .unwrap(),
            password_changed_at: now,
            must_change: false,
            failed_logins: 0,
            locked: false,
            last_login_at: None,
            created_at: now,
        };
        reg.repo.insert_member(&m).await.unwrap();
        let mut agency = staff.agency.clone();
        agency.email = email;
        agency.password = finhub_testkit::oris::PASSWORD.into();
        agency.member_id = m.member_id;
        let v = app.oris_member(agency).await;
        v.sign_pledge().await;
        v
    }
}

use axum::http::StatusCode;
use finhub_testkit::oris::{assert_oris, OrisStaff};
use finhub_testkit::spawn_app;
use kit::{bmi, consent, new_report, remitter, viewer};
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
    new_report_refusals(&kb, &user).await;
}

/// What R1 refuses besides a repeat: another agency's code, a malformed
/// bmi, amounts of 0 and less, an unknown remitter, missing fields.
async fn new_report_refusals(kb: &OrisStaff<'_>, user: &str) {
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
            &new_report(&other, user, AT, json!(1)),
        )
        .await;
    assert_oris(&r, StatusCode::FORBIDDEN, "AGENCY_NOT_MATCH");
    let r = kb
        .post(
            "/api/oris/v1/remittances",
            &new_report("2026030212", user, AT, json!(1)),
        )
        .await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "INVALID_REQUEST");
    let b2 = bmi(kb, "20260302", 2);
    for zero in [json!(0), json!(-5), json!(100000000000.01), json!(1.001)] {
        let r = kb
            .post("/api/oris/v1/remittances", &new_report(&b2, user, AT, zero))
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

/// R5's window: both ends required and parsable, forward, a year at most.
async fn window_refusals(kb: &OrisStaff<'_>) {
    let r = kb
        .get("/api/oris/v1/remittances?startDateTime=2026-04-01T00:00:00%2B09:00")
        .await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "BAD_REQUEST");
    assert!(r.body["message"]
        .as_str()
        .unwrap()
        .starts_with("Required request parameter"));
    let r = kb
        .get("/api/oris/v1/remittances?startDateTime=yesterday&endDateTime=today")
        .await;
    assert!(
        r.body["message"]
            .as_str()
            .unwrap()
            .starts_with("Failed to convert value of type 'java.lang.String' to required type '"),
        "{}",
        r.text
    );
    let long = "startDateTime=2025-01-01T00:00:00%2B09:00&endDateTime=2026-01-02T00:00:00%2B09:00";
    let r = kb.get(&format!("/api/oris/v1/remittances?{long}")).await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "INVALID_REQUEST");
    let back = "startDateTime=2026-04-02T00:00:00%2B09:00&endDateTime=2026-04-01T00:00:00%2B09:00";
    let r = kb.get(&format!("/api/oris/v1/remittances?{back}")).await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "INVALID_REQUEST");
}

#[tokio::test]
async fn corrections_and_returns_follow_the_remittance_states() {
    let app = spawn_app().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let firm = app.oris_staff(None).await;
    let user = remitter(&kb, "9001011234567").await;
    let b = bmi(&kb, "20260302", 7);
    let r = kb
        .post(
            "/api/oris/v1/remittances",
            &new_report(&b, &user, AT, json!(1000)),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let path = format!("/api/oris/v1/remittances/{b}");
    let fix = json!({"requestDate": "2026-03-03T09:00:00+09:00", "usdExchangeAmount": 1200.5});
    let r = kb.put(&path, &fix).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["status"], "정정");
    assert_eq!(r.body["usedUsdAmount"], 1200.5);
    assert_eq!(r.body["remainingUsdAmount"], 98799.5);
    correction_refusals(&kb, &firm, &path, &fix).await;
    let missing = bmi(&kb, "20260302", 8);

    let ret = json!({"returnDate": "2026-03-04T10:00:00+09:00", "reason": "수취인 계좌 오류"});
    let r = kb.post(&format!("{path}/return"), &ret).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["status"], "퇴결");
    assert_eq!(r.body["usedUsdAmount"], 0);
    assert_eq!(r.body["remainingUsdAmount"], 100000);
    let r = kb.post(&format!("{path}/return"), &ret).await;
    assert_oris(&r, StatusCode::CONFLICT, "REMITTANCE_ALREADY_CANCELED");
    assert_oris(
        &kb.put(&path, &fix).await,
        StatusCode::CONFLICT,
        "REMITTANCE_ALREADY_CANCELED",
    );
    let r = kb
        .post(&format!("/api/oris/v1/remittances/{missing}/return"), &ret)
        .await;
    assert_oris(&r, StatusCode::NOT_FOUND, "REMITTANCE_NOT_FOUND");

    // The detail as the guide shows it, every entry oldest first.
    let own = kb.get(&path).await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.text);
    let h = own.body["histories"].as_array().unwrap();
    let states: Vec<&str> = h.iter().map(|e| e["status"].as_str().unwrap()).collect();
    assert_eq!(states, ["신규", "정정", "퇴결"]);
    assert_eq!(h[0]["usdExchangeAmount"], 1000);
    assert_eq!(h[1]["usdExchangeAmount"], 1200.5);
    assert_eq!(h[1]["requestDate"], "2026-03-03T09:00:00.000000+09:00");
    assert_eq!(h[2]["requestDate"], "2026-03-04T10:00:00.000000+09:00");
    assert_oris(
        &firm.get(&path).await,
        StatusCode::NOT_FOUND,
        "REMITTANCE_NOT_FOUND",
    );
}

/// What R2 refuses of a live report: another agency, an unknown bmi, a
/// move to another KST year, a zero amount.
async fn correction_refusals(
    kb: &OrisStaff<'_>,
    firm: &OrisStaff<'_>,
    path: &str,
    fix: &serde_json::Value,
) {
    // Not the reporter: the bmi carries the other agency's code.
    assert_oris(
        &firm.put(path, fix).await,
        StatusCode::FORBIDDEN,
        "AGENCY_NOT_MATCH",
    );
    let missing = bmi(kb, "20260302", 8);
    let r = kb
        .put(&format!("/api/oris/v1/remittances/{missing}"), fix)
        .await;
    assert_oris(&r, StatusCode::NOT_FOUND, "REMITTANCE_NOT_FOUND");
    let next_year = json!({"requestDate": "2027-01-01T00:00:00+09:00", "usdExchangeAmount": 5});
    let r = kb.put(path, &next_year).await;
    assert_oris(&r, StatusCode::CONFLICT, "REMITTANCE_ACCOUNT_YEAR_MISMATCH");
    // 2026-12-31T15:30Z is 2027 in KST.
    let kst_new_year = json!({"requestDate": "2026-12-31T15:30:00Z", "usdExchangeAmount": 5});
    let r = kb.put(path, &kst_new_year).await;
    assert_oris(&r, StatusCode::CONFLICT, "REMITTANCE_ACCOUNT_YEAR_MISMATCH");
    let r = kb
        .put(path, &json!({"requestDate": AT, "usdExchangeAmount": 0}))
        .await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "INVALID_REQUEST");
}

#[tokio::test]
async fn the_detail_is_the_seeds_shape_field_for_field() {
    let app = spawn_app().await;
    let bok = app
        .oris_agency(json!({"agencyName": "한국은행", "agencyType": "한국은행",
                            "agencyCode": "1004", "admin": {"password": finhub_testkit::oris::PASSWORD}}))
        .await;
    let bok = app.oris_member(bok).await;
    bok.sign_pledge().await;
    let user = remitter(&bok, "9001011234567").await;
    let b = "202412161004000000000";
    let at = "2025-06-30T18:02:56.303340+09:00";
    let r = bok
        .post(
            "/api/oris/v1/remittances",
            &new_report(b, &user, at, json!(870)),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    consent(&bok, &user).await;
    let r = bok
        .get(&format!("/api/oris/v1/users/{user}/remittances/{b}"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let created = r.body["histories"][0]["createdAt"].clone();
    assert!(created.as_str().unwrap().ends_with("+09:00"));
    let expected = json!({
      "businessMessageIdentifier": "202412161004000000000",
      "sender": {"userName": "류가람", "userType": "내국인", "userCountry": "KR"},
      "agency": {"agencyName": "한국은행", "agencyId": bok.agency.agency_id},
      "histories": [{"requestDate": "2025-06-30T18:02:56.303340+09:00",
                     "usdExchangeAmount": 870, "status": "신규", "createdAt": created}]
    });
    assert_eq!(r.body, expected);
    // And in the seed's key order, as sent.
    let at = |k: &str| r.text.find(&format!("\"{k}\"")).unwrap();
    let order = [
        "businessMessageIdentifier",
        "sender",
        "userName",
        "userType",
        "userCountry",
        "agency",
        "agencyName",
        "agencyId",
        "histories",
        "requestDate",
        "usdExchangeAmount",
        "status",
        "createdAt",
    ];
    assert!(order.windows(2).all(|w| at(w[0]) < at(w[1])), "{}", r.text);
    let other = remitter(&bok, "8801011234567").await;
    consent(&bok, &other).await;
    let r = bok
        .get(&format!("/api/oris/v1/users/{other}/remittances/{b}"))
        .await;
    assert_oris(&r, StatusCode::NOT_FOUND, "REMITTANCE_NOT_FOUND");
}

#[tokio::test]
async fn an_agency_lists_its_own_reports_in_a_window() {
    let app = spawn_app().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let firm = app.oris_staff(None).await;
    let a = remitter(&kb, "9001011234567").await;
    let c = remitter(&kb, "8801011234567").await;
    for (i, (u, day)) in [(&a, "01"), (&a, "02"), (&c, "03")].into_iter().enumerate() {
        let at = format!("2026-04-{day}T10:00:00+09:00");
        let r = kb
            .post(
                "/api/oris/v1/remittances",
                &new_report(&bmi(&kb, "20260401", i as u32), u, &at, json!(10)),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let r = firm
        .post(
            "/api/oris/v1/remittances",
            &new_report(&bmi(&firm, "20260401", 1), &a, AT, json!(10)),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    kb.post(
        &format!(
            "/api/oris/v1/remittances/{}/return",
            bmi(&kb, "20260401", 0)
        ),
        &json!({"returnDate": "2026-04-05T10:00:00+09:00"}),
    )
    .await;
    let w = "startDateTime=2026-04-01T00:00:00%2B09:00&endDateTime=2026-04-30T00:00:00%2B09:00";
    let r = kb.get(&format!("/api/oris/v1/remittances?{w}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["page"]["totalElements"], 3);
    assert_eq!(
        r.body["content"][0]["businessMessageIdentifier"],
        bmi(&kb, "20260401", 2)
    );
    assert!(r.body["content"][0]["histories"].is_array());
    let r = kb
        .get(&format!(
            "/api/oris/v1/remittances?{w}&userId={a}&size=1&page=1"
        ))
        .await;
    assert_eq!(r.body["page"]["totalElements"], 2);
    assert_eq!(r.body["page"]["totalPages"], 2);
    assert_eq!(
        r.body["content"][0]["businessMessageIdentifier"],
        bmi(&kb, "20260401", 0)
    );
    let r = kb
        .get(&format!(
            "/api/oris/v1/remittances?{w}&status=%ED%87%B4%EA%B2%B0"
        ))
        .await;
    assert_eq!(r.body["page"]["totalElements"], 1, "{}", r.text);
    let r = firm.get(&format!("/api/oris/v1/remittances?{w}")).await;
    assert_eq!(
        r.body["page"]["totalElements"], 0,
        "the firm's report is in March"
    );

    window_refusals(&kb).await;
}

#[tokio::test]
async fn a_viewer_reads_but_does_not_report_and_scopes_are_enforced() {
    let app = spawn_app().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let user = remitter(&kb, "9001011234567").await;
    let v = viewer(&kb).await;
    let b = bmi(&kb, "20260302", 1);
    let r = v
        .post(
            "/api/oris/v1/remittances",
            &new_report(&b, &user, AT, json!(1)),
        )
        .await;
    assert_oris(&r, StatusCode::FORBIDDEN, "MEMBER_ACCESS_DENIED");
    // A VIEWER reads (USER_READ); the profile needs the remitter's consent.
    let r = v.get(&format!("/api/oris/v1/users/{user}")).await;
    assert_oris(&r, StatusCode::FORBIDDEN, "CONSENT_REQUIRED");
    let inquiry = app
        .oris_login(&kb.agency.email, &kb.agency.password, Some("inquiry"))
        .await;
    let token = inquiry.body["accessToken"].as_str().unwrap().to_owned();
    let r = app
        .call(
            &axum::http::Method::POST,
            "/api/oris/v1/remittances",
            Some(&format!("Bearer {token}")),
            Some(&new_report(&b, &user, AT, json!(1))),
        )
        .await;
    assert_oris(
        &r,
        StatusCode::FORBIDDEN,
        "ACCESS_TOKEN_NOT_ENOUGH_PERMISSION",
    );
    let r = app
        .call(
            &axum::http::Method::POST,
            "/api/oris/v1/remittances",
            None,
            Some(&new_report(&b, &user, AT, json!(1))),
        )
        .await;
    assert_oris(&r, StatusCode::UNAUTHORIZED, "ACCESS_TOKEN_REQUIRED");
}

/// 90,000 new reports over `users`, then a correction (to USD 5) of each
/// even one of the first 10,000 and a return of each odd one.
fn hundred_thousand_rows(users: &[String]) -> Vec<finhub_core::oris::reports::ReportRow> {
    use finhub_core::oris::reports::{Correction, NewReport, ReportRow, ReturnReport};
    let at = chrono::DateTime::parse_from_rfc3339(AT).unwrap().to_utc();
    let bmi = |i: usize| format!("202603021004{i:09}");
    let mut rows = Vec::new();
    for i in 0..90_000 {
        rows.push(ReportRow::New(NewReport {
            bmi: bmi(i),
            user_id: users[i % users.len()].clone(),
            request_date: at,
            usd_cents: 10_000 + i as i64,
            currency: None,
            amount: None,
            evidence_submitted: false,
            receiver_country: None,
            withdrawal: None,
        }));
    }
    for i in 0..10_000 {
        rows.push(if i % 2 == 0 {
            ReportRow::Correct(Correction {
                bmi: bmi(i),
                user_id: None,
                request_date: at,
                usd_cents: 500,
                currency: None,
                amount: None,
                evidence_submitted: None,
                receiver_country: None,
            })
        } else {
            ReportRow::Return(ReturnReport {
                bmi: bmi(i),
                return_date: at,
                reason: None,
            })
        });
    }
    rows
}

const CHUNK: usize = 2_000;

/// The batch helper's path: 100,000 rows (new, then corrections and
/// returns of some) in chunks of 2,000, one transaction each.
#[tokio::test]
async fn one_hundred_thousand_rows_apply_in_chunks() {
    use finhub_core::oris::remit::{IdentityType, UserType};
    use finhub_core::oris::remitters::{NewRemitter, SecretString};
    use finhub_core::oris::Registry;
    use std::sync::Arc;

    let app = spawn_app().await;
    let a = app
        .oris_agency(json!({"org_code": "BA00000004", "agencyCode": "1004"}))
        .await;
    let reg = Registry::new(Arc::new(app.store.clone()), app.world.clone());
    let agency = reg.repo.agency(&a.agency_id).await.unwrap().unwrap();
    let mut users = Vec::new();
    for i in 0..200 {
        let n = NewRemitter {
            user_type: UserType::Domestic,
            user_name: format!("송금인{i}"),
            user_country: "KR".into(),
            identity_type: IdentityType::Passport,
            identity_number: SecretString::from(format!("M{i:08}")),
            birth_date: chrono::NaiveDate::from_ymd_opt(1990, 1, 1).unwrap(),
            ci: None,
        };
        users.push(reg.register_remitter(n).await.unwrap().0.user_id);
    }
    let rows = hundred_thousand_rows(&users);
    let started = std::time::Instant::now();
    let mut ok = 0;
    let mut chunk = Vec::new();
    for (i, r) in rows.into_iter().enumerate() {
        chunk.push(r);
        if chunk.len() == CHUNK || i == 99_999 {
            let out = reg
                .apply_reports(&agency, std::mem::take(&mut chunk))
                .await
                .unwrap();
            ok += out.iter().filter(|r| r.is_ok()).count();
        }
    }
    let took = started.elapsed();
    eprintln!("100000 report rows applied in {took:?}");
    assert_eq!(ok, 100_000);
    assert!(took < std::time::Duration::from_secs(60), "{took:?}");
    // 5,000 returned, 5,000 corrected to USD 5, the rest as reported.
    let mut total = 0;
    for u in &users {
        total += reg.repo.used(u, 2026).await.unwrap().cents;
    }
    let reported: i64 = (10_000..90_000).map(|i| 10_000 + i as i64).sum();
    assert_eq!(total, reported + 5_000 * 500);
}

/// A person of the world with a KRW demand account at `org` holding `krw`.
async fn world_person(
    app: &finhub_testkit::TestApp,
    name: &str,
    org: &str,
    krw: i64,
) -> (finhub_core::party::Person, finhub_core::account::Account) {
    use finhub_core::account::AccountKind;
    use finhub_core::money::Currency;
    use finhub_core::party::NewPerson;
    use finhub_core::world::OpenAccount;
    let p = app
        .world
        .create_person(NewPerson {
            name: name.into(),
            birth_date: chrono::NaiveDate::from_ymd_opt(1990, 1, 1),
            ..Default::default()
        })
        .await
        .unwrap();
    let a = app
        .world
        .open_account(OpenAccount {
            org_code: org.into(),
            person_id: p.person_id.clone(),
            kind: AccountKind::Demand,
            product_name: None,
            currency: Currency::KRW,
            opening_balance_minor: krw,
            floor_minor: 0,
            account_num: None,
        })
        .await
        .unwrap();
    (p, a)
}

/// R1 with a withdrawal from `account` at 1385.2 KRW per USD.
fn tied(staff: &OrisStaff<'_>, seq: u32, user: &str, usd: f64, account: &str) -> serde_json::Value {
    let mut b = new_report(&bmi(staff, "20260302", seq), user, AT, json!(usd));
    b["withdrawal"] = json!({"accountNumber": account, "krwExchangeRate": 1385.2});
    b
}

/// U1 of a world person, by CI when given.
async fn registered(staff: &OrisStaff<'_>, number: &str, ci: Option<&str>) -> String {
    let mut who = json!({"userType": "내국인", "userName": "류가람", "userCountry": "KR",
        "identityType": "RRN", "identityNumber": number, "birthDate": "19900101"});
    if let Some(ci) = ci {
        who["ci"] = json!(ci);
    }
    let r = staff.post("/api/oris/v1/users", &who).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.body["userId"].as_str().unwrap().to_owned()
}

async fn balance(app: &finhub_testkit::TestApp, account_id: &str) -> i64 {
    app.world.account(account_id).await.unwrap().balance_minor
}

#[tokio::test]
async fn a_bank_report_moves_the_krw_from_the_remitters_account_once() {
    let app = spawn_app().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let (p, a) = world_person(&app, "류가람", "BA00000004", 200_000).await;
    let user = registered(&kb, "9001011234567", Some(&p.ci)).await;
    let body = tied(&kb, 1, &user, 100.0, &a.account_num);
    let r = kb.post("/api/oris/v1/remittances", &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    // USD 100 at 1385.2 is KRW 138,520.
    assert_eq!(balance(&app, &a.account_id).await, 200_000 - 138_520);
    // A retry moves nothing twice.
    let r = kb.post("/api/oris/v1/remittances", &body).await;
    assert_oris(&r, StatusCode::CONFLICT, "REMITTANCE_ALREADY_EXISTS");
    assert_eq!(balance(&app, &a.account_id).await, 61_480);
}

#[tokio::test]
async fn a_refused_movement_refuses_the_report_and_writes_none() {
    let app = spawn_app().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let (p, a) = world_person(&app, "류가람", "BA00000004", 100_000).await;
    let (_, theirs) = world_person(&app, "남궁민", "BA00000004", 500_000).await;
    let user = registered(&kb, "9001011234567", Some(&p.ci)).await;
    let cases = [
        (2, 100.0, a.account_num.as_str(), "insufficient"),
        (3, 1.0, theirs.account_num.as_str(), "not the remitter's"),
        (4, 1.0, "999-999-999", "not an account"),
    ];
    for (seq, usd, account, why) in cases {
        let r = kb
            .post(
                "/api/oris/v1/remittances",
                &tied(&kb, seq, &user, usd, account),
            )
            .await;
        assert_oris(&r, StatusCode::BAD_REQUEST, "INVALID_REQUEST");
        assert!(
            r.body["message"].as_str().unwrap().contains(why),
            "{}",
            r.text
        );
        let own = kb
            .get(&format!(
                "/api/oris/v1/remittances/{}",
                bmi(&kb, "20260302", seq)
            ))
            .await;
        assert_oris(&own, StatusCode::NOT_FOUND, "REMITTANCE_NOT_FOUND");
    }
    app.world
        .set_institution_status(
            "BA00000004",
            finhub_core::institution::ServiceStatus::Outage,
        )
        .await
        .unwrap();
    let r = kb
        .post(
            "/api/oris/v1/remittances",
            &tied(&kb, 5, &user, 1.0, &a.account_num),
        )
        .await;
    assert!(
        r.body["message"].as_str().unwrap().contains("outage"),
        "{}",
        r.text
    );
    assert_eq!(balance(&app, &a.account_id).await, 100_000);
    assert_eq!(balance(&app, &theirs.account_id).await, 500_000);
}

#[tokio::test]
async fn only_a_bank_agency_ties_a_report_of_a_remitter_with_a_ci() {
    let app = spawn_app().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let firm = app.oris_staff(None).await;
    let (p, a) = world_person(&app, "류가람", "BA00000004", 200_000).await;
    let user = registered(&kb, "9001011234567", Some(&p.ci)).await;
    let r = firm
        .post(
            "/api/oris/v1/remittances",
            &tied(&firm, 1, &user, 1.0, &a.account_num),
        )
        .await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "INVALID_REQUEST");
    let plain = registered(&kb, "8801011234567", None).await;
    let r = kb
        .post(
            "/api/oris/v1/remittances",
            &tied(&kb, 6, &plain, 1.0, &a.account_num),
        )
        .await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "INVALID_REQUEST");
    assert!(
        r.body["message"].as_str().unwrap().contains("ci"),
        "{}",
        r.text
    );
    assert_eq!(balance(&app, &a.account_id).await, 200_000);
    // The CI given later ties the remitter on record; another CI is refused.
    let mut who = json!({"userType": "내국인", "userName": "류가람", "userCountry": "KR",
        "identityType": "RRN", "identityNumber": "8801011234567", "birthDate": "19900101",
        "ci": p.ci});
    let r = kb.post("/api/oris/v1/users", &who).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = kb
        .post(
            "/api/oris/v1/remittances",
            &tied(&kb, 6, &plain, 1.0, &a.account_num),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let (other, _) = world_person(&app, "남궁민", "BA00000004", 0).await;
    who["ci"] = json!(other.ci);
    let r = kb.post("/api/oris/v1/users", &who).await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "INVALID_REQUEST");
}

#[tokio::test]
async fn concurrent_reports_of_one_bmi_create_it_once() {
    let app = spawn_app().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let user = remitter(&kb, "9001011234567").await;
    let body = new_report(&bmi(&kb, "20260302", 9), &user, AT, json!(500));
    let path = "/api/oris/v1/remittances";
    let (a, b, c, d) = tokio::join!(
        kb.post(path, &body),
        kb.post(path, &body),
        kb.post(path, &body),
        kb.post(path, &body)
    );
    let created = [&a, &b, &c, &d]
        .iter()
        .filter(|r| r.status == StatusCode::CREATED)
        .count();
    assert_eq!(created, 1, "{} {} {} {}", a.text, b.text, c.text, d.text);
    for r in [&a, &b, &c, &d] {
        if r.status != StatusCode::CREATED {
            assert_oris(r, StatusCode::CONFLICT, "REMITTANCE_ALREADY_EXISTS");
        }
    }
    consent(&kb, &user).await;
    let l = kb
        .get(&format!("/api/oris/v1/users/{user}/limits?year=2026"))
        .await;
    assert_eq!(l.body["usedUsdAmount"], 500, "{}", l.text);
    assert_eq!(l.body["remittanceCount"], 1);
}

#[tokio::test]
async fn rows_of_one_bmi_in_one_call_apply_in_order() {
    use finhub_core::oris::reports::{Correction, NewReport, ReportRow, ReturnReport};
    use finhub_core::oris::{Refusal, Registry};
    let app = spawn_app().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let user = remitter(&kb, "9001011234567").await;
    let reg = Registry::new(std::sync::Arc::new(app.store.clone()), app.world.clone());
    let agency = reg
        .repo
        .agency(&kb.agency.agency_id)
        .await
        .unwrap()
        .unwrap();
    let b = bmi(&kb, "20260302", 1);
    let at = chrono::DateTime::parse_from_rfc3339(AT).unwrap().to_utc();
    let new = |cents| {
        ReportRow::New(NewReport {
            bmi: b.clone(),
            user_id: user.clone(),
            request_date: at,
            usd_cents: cents,
            currency: None,
            amount: None,
            evidence_submitted: false,
            receiver_country: None,
            withdrawal: None,
        })
    };
    let fix = ReportRow::Correct(Correction {
        bmi: b.clone(),
        user_id: None,
        request_date: at,
        usd_cents: 300,
        currency: None,
        amount: None,
        evidence_submitted: None,
        receiver_country: None,
    });
    let ret = ReportRow::Return(ReturnReport {
        bmi: b.clone(),
        return_date: at,
        reason: None,
    });
    let rows = vec![fix.clone(), new(100), fix, new(200), ret.clone(), ret];
    let out = reg.apply_reports(&agency, rows).await.unwrap();
    assert!(matches!(out[0], Err(Refusal::RemittanceNotFound)));
    assert_eq!(out[1].as_ref().unwrap().used.cents, 100);
    assert_eq!(out[2].as_ref().unwrap().used.cents, 300);
    assert!(matches!(out[3], Err(Refusal::RemittanceExists)));
    assert_eq!(out[4].as_ref().unwrap().used.cents, 0);
    assert!(matches!(out[5], Err(Refusal::RemittanceCanceled)));
    let view = reg.agency_report(&agency, &b).await.unwrap();
    let states: Vec<&str> = view.histories.iter().map(|h| h.status.as_str()).collect();
    assert_eq!(states, ["신규", "정정", "퇴결"]);
}

//! Terms as the operator manages them (T2, T3) and as every member meets
//! them (T1, and the pledge gate when a new pledge comes into force).

mod kit {
    use finhub_testkit::oris::OrisStaff;
    use finhub_testkit::TestApp;
    use serde_json::json;

    /// An agency's admin signed in again (the world clock moved past the
    /// token's life), without signing anything new.
    pub async fn again<'a>(app: &'a TestApp, s: &OrisStaff<'_>) -> OrisStaff<'a> {
        app.oris_member(s.agency.clone()).await
    }

    /// A term body for T2.
    pub fn body(ty: &str, title: &str) -> serde_json::Value {
        json!({"termType": ty, "title": title, "content": "본문", "version": "2.0",
               "required": true})
    }

    /// A KST date-time `hours` from the world clock's now.
    pub fn in_hours(app: &TestApp, hours: i64) -> String {
        let t = app.clock.now() + chrono::Duration::hours(hours);
        t.with_timezone(&finhub_core::clock::kst())
            .format("%Y-%m-%dT%H:%M:%S%.6f%:z")
            .to_string()
    }
}

use axum::http::StatusCode;
use finhub_testkit::oris::{assert_oris, OrisStaff, PLEDGE_TERM, THIRD_PARTY_TERM};
use finhub_testkit::spawn_app;
use kit::{again, body, in_hours};
use serde_json::json;

const TP: &str = "개인정보제3자제공";
const PLEDGE: &str = "개인정보보호서약서";

#[tokio::test]
async fn term_reads_list_one_term_and_the_types() {
    let app = spawn_app().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let types = kb.get("/api/oris/v1/term-types").await;
    assert_eq!(types.status, StatusCode::OK, "{}", types.text);
    assert_eq!(
        types.body,
        json!([{"code": TP, "name": "개인정보제3자제공동의"}, {"code": PLEDGE, "name": PLEDGE}])
    );
    let one = kb.get(&format!("/api/oris/v1/terms/{PLEDGE_TERM}")).await;
    assert_eq!(one.status, StatusCode::OK, "{}", one.text);
    assert_eq!(one.body["termType"]["code"], PLEDGE);
    assert!(one.body["initiationDate"]
        .as_str()
        .unwrap()
        .ends_with("+09:00"));
    let none = kb
        .get("/api/oris/v1/terms/01JA0000000000000000000XX1")
        .await;
    assert_oris(&none, StatusCode::NOT_FOUND, "TERM_NOT_FOUND");
    let bad = kb.get("/api/oris/v1/terms?termType=없는유형").await;
    assert_oris(&bad, StatusCode::NOT_FOUND, "TERM_TYPE_NOT_FOUND");
    let only = kb.get(&format!("/api/oris/v1/terms?termType={TP}")).await;
    assert_eq!(only.body["content"].as_array().unwrap().len(), 1);
    assert_eq!(only.body["content"][0]["termId"], THIRD_PARTY_TERM);
}

#[tokio::test]
async fn only_the_operator_manages_terms() {
    let app = spawn_app().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let r = kb.post("/api/oris/v1/terms", &body(TP, "새 동의서")).await;
    assert_oris(&r, StatusCode::FORBIDDEN, "FORBIDDEN");
    let path = format!("/api/oris/v1/terms/{THIRD_PARTY_TERM}");
    assert_oris(
        &kb.put(&path, &body(TP, "x")).await,
        StatusCode::FORBIDDEN,
        "FORBIDDEN",
    );
    assert_oris(&kb.delete(&path).await, StatusCode::FORBIDDEN, "FORBIDDEN");
    let date = json!({"initiationDate": in_hours(&app, 1)});
    let r = kb.put(&format!("{path}/initiation-date"), &date).await;
    assert_oris(&r, StatusCode::FORBIDDEN, "FORBIDDEN");
    let r = kb.delete(&format!("{path}/initiation-date")).await;
    assert_oris(&r, StatusCode::FORBIDDEN, "FORBIDDEN");

    // Scope admin is needed before anything else.
    let bok = app.oris_operator_agency().await;
    let login = app
        .oris_login(&bok.email, &bok.password, Some("inquiry"))
        .await;
    let op = OrisStaff {
        app: &app,
        agency: bok,
        access: login.body["accessToken"].as_str().unwrap().to_owned(),
        refresh: String::new(),
    };
    op.sign_pledge().await;
    let r = op.post("/api/oris/v1/terms", &body(TP, "x")).await;
    assert_oris(
        &r,
        StatusCode::FORBIDDEN,
        "ACCESS_TOKEN_NOT_ENOUGH_PERMISSION",
    );
}

#[tokio::test]
async fn a_draft_is_written_dated_and_withdrawn() {
    let app = spawn_app().await;
    let op = app.oris_member(app.oris_operator_agency().await).await;
    op.sign_pledge().await;
    let kb = app.oris_staff(Some("BA00000004")).await;

    let r = op.post("/api/oris/v1/terms", &body("없는유형", "x")).await;
    assert_oris(&r, StatusCode::NOT_FOUND, "TERM_TYPE_NOT_FOUND");
    let r = op
        .post("/api/oris/v1/terms", &json!({"termType": TP, "title": "x"}))
        .await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "BAD_REQUEST");
    assert!(r.body["message"]
        .as_str()
        .unwrap()
        .starts_with("Validation failed for argument at index 0 in method"));

    let made = op.post("/api/oris/v1/terms", &body(TP, "동의서 2.0")).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
    assert!(made.body["initiationDate"].is_null());
    assert_eq!(made.body["termType"]["code"], TP);
    let id = made.body["termId"].as_str().unwrap().to_owned();
    let path = format!("/api/oris/v1/terms/{id}");
    // A draft is the operator's: others do not see it.
    assert_eq!(op.get(&path).await.status, StatusCode::OK);
    assert_oris(
        &kb.get(&path).await,
        StatusCode::NOT_FOUND,
        "TERM_NOT_FOUND",
    );
    let listed = op.get("/api/oris/v1/terms").await;
    assert!(listed.text.contains(&id));
    assert!(!kb.get("/api/oris/v1/terms").await.text.contains(&id));

    let edited = op.put(&path, &body(TP, "동의서 2.1")).await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.text);
    assert_eq!(edited.body["title"], "동의서 2.1");

    let dates = format!("{path}/initiation-date");
    let past = op
        .put(&dates, &json!({"initiationDate": in_hours(&app, -1)}))
        .await;
    assert_oris(
        &past,
        StatusCode::BAD_REQUEST,
        "TERM_CANNOT_SET_INITIATION_DATE",
    );
    let r = op.put(&dates, &json!({"initiationDate": "내일"})).await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "BAD_REQUEST");
    let set = op
        .put(&dates, &json!({"initiationDate": in_hours(&app, 1)}))
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.text);
    assert!(set.body["initiationDate"].is_string());
    let twice = op
        .put(&dates, &json!({"initiationDate": in_hours(&app, 2)}))
        .await;
    assert_oris(
        &twice,
        StatusCode::BAD_REQUEST,
        "TERM_CANNOT_SET_INITIATION_DATE",
    );
    // Scheduled for later: still editable, and the date can be withdrawn.
    let r = op.put(&path, &body(TP, "동의서 2.2")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.body["initiationDate"].is_string());
    let w = op.delete(&dates).await;
    assert_eq!(w.status, StatusCode::OK, "{}", w.text);
    assert!(w.body["initiationDate"].is_null());
}

#[tokio::test]
async fn a_term_in_force_is_locked() {
    let app = spawn_app().await;
    let op = app.oris_member(app.oris_operator_agency().await).await;
    op.sign_pledge().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let made = op.post("/api/oris/v1/terms", &body(TP, "동의서 2.0")).await;
    let id = made.body["termId"].as_str().unwrap().to_owned();
    let path = format!("/api/oris/v1/terms/{id}");
    let dates = format!("{path}/initiation-date");
    let set = op
        .put(&dates, &json!({"initiationDate": in_hours(&app, 1)}))
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.text);

    app.clock.advance(chrono::Duration::minutes(61));
    let op = again(&app, &op).await;
    let kb = again(&app, &kb).await;
    // In force: everyone reads it, nobody changes it.
    assert_eq!(kb.get(&path).await.status, StatusCode::OK);
    let r = op.put(&path, &body(TP, "늦은 수정")).await;
    assert_oris(&r, StatusCode::CONFLICT, "TERM_CANNOT_UPDATE");
    assert_oris(
        &op.delete(&path).await,
        StatusCode::CONFLICT,
        "TERM_CANNOT_DELETE",
    );
    assert_oris(
        &op.delete(&dates).await,
        StatusCode::CONFLICT,
        "TERM_CANNOT_WITHDRAW_INITIATION_DATE",
    );
    let current = kb.get(&format!("/api/oris/v1/terms?termType={TP}")).await;
    assert_eq!(current.body["content"][0]["termId"], id.as_str());
}

#[tokio::test]
async fn a_draft_is_deleted_and_unknown_terms_are_not_found() {
    let app = spawn_app().await;
    let op = app.oris_member(app.oris_operator_agency().await).await;
    op.sign_pledge().await;
    let made = op
        .post("/api/oris/v1/terms", &body(PLEDGE, "서약서 초안"))
        .await;
    let id = made.body["termId"].as_str().unwrap().to_owned();
    let path = format!("/api/oris/v1/terms/{id}");
    assert_eq!(op.delete(&path).await.status, StatusCode::NO_CONTENT);
    assert_oris(
        &op.get(&path).await,
        StatusCode::NOT_FOUND,
        "TERM_NOT_FOUND",
    );
    for r in [
        op.put(&path, &body(PLEDGE, "x")).await,
        op.delete(&path).await,
        op.delete(&format!("{path}/initiation-date")).await,
        op.put(
            &format!("{path}/initiation-date"),
            &json!({"initiationDate": in_hours(&app, 1)}),
        )
        .await,
    ] {
        assert_oris(&r, StatusCode::NOT_FOUND, "TERM_NOT_FOUND");
    }
    let seeded = format!("/api/oris/v1/terms/{PLEDGE_TERM}");
    let r = op.put(&seeded, &body(PLEDGE, "x")).await;
    assert_oris(&r, StatusCode::CONFLICT, "TERM_CANNOT_UPDATE");
    assert_oris(
        &op.delete(&seeded).await,
        StatusCode::CONFLICT,
        "TERM_CANNOT_DELETE",
    );
    let r = op
        .put(
            &format!("{seeded}/initiation-date"),
            &json!({"initiationDate": in_hours(&app, 1)}),
        )
        .await;
    assert_oris(
        &r,
        StatusCode::BAD_REQUEST,
        "TERM_CANNOT_SET_INITIATION_DATE",
    );
}

#[tokio::test]
async fn a_new_pledge_in_force_stops_every_member_until_signed() {
    let app = spawn_app().await;
    let op = app.oris_member(app.oris_operator_agency().await).await;
    op.sign_pledge().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let made = op
        .post("/api/oris/v1/terms", &body(PLEDGE, "서약서 2.0"))
        .await;
    let v2 = made.body["termId"].as_str().unwrap().to_owned();
    let dates = format!("/api/oris/v1/terms/{v2}/initiation-date");
    let r = op
        .put(&dates, &json!({"initiationDate": in_hours(&app, 1)}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // Before the date: the old pledge still serves (a member call passes
    // the pledge gate and meets the operator rule).
    let r = kb.post("/api/oris/v1/terms", &body(TP, "x")).await;
    assert_oris(&r, StatusCode::FORBIDDEN, "FORBIDDEN");

    app.clock.advance(chrono::Duration::minutes(90));
    let kb = again(&app, &kb).await;
    let op = again(&app, &op).await;
    for r in [
        kb.post("/api/oris/v1/terms", &body(TP, "x")).await,
        op.post("/api/oris/v1/terms", &body(TP, "x")).await,
        op.put(&dates, &json!({"initiationDate": in_hours(&app, 1)}))
            .await,
    ] {
        assert_oris(&r, StatusCode::FORBIDDEN, "CONSENT_REQUIRED");
        assert_eq!(r.body["missingConsentType"], PLEDGE);
    }
    // Term reads still work, so the member can find what to sign.
    assert_eq!(kb.get("/api/oris/v1/terms").await.status, StatusCode::OK);
    assert_eq!(
        kb.get(&format!("/api/oris/v1/terms/{v2}")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        kb.get("/api/oris/v1/term-types").await.status,
        StatusCode::OK
    );
    let current = kb
        .get(&format!("/api/oris/v1/terms?termType={PLEDGE}"))
        .await;
    assert_eq!(current.body["content"][0]["termId"], v2.as_str());

    let signed = kb
        .post("/api/oris/v1/members/me/consents", &json!({"termId": v2}))
        .await;
    assert_eq!(signed.status, StatusCode::CREATED, "{}", signed.text);
    let r = kb.post("/api/oris/v1/terms", &body(TP, "x")).await;
    assert_oris(&r, StatusCode::FORBIDDEN, "FORBIDDEN");
    let r = op.post("/api/oris/v1/terms", &body(TP, "x")).await;
    assert_oris(&r, StatusCode::FORBIDDEN, "CONSENT_REQUIRED");

    // The clock moved back: v2 is scheduled again, but it was signed, so it
    // cannot be deleted.
    app.clock.advance(chrono::Duration::minutes(-120));
    let op = again(&app, &op).await;
    let r = op.delete(&format!("/api/oris/v1/terms/{v2}")).await;
    assert_oris(&r, StatusCode::CONFLICT, "TERM_CANNOT_DELETE");
}

//! The ORIS registry's authorization matrix: every kind of caller against
//! agency A's staff, keys, reports, remitter data and batches, and the
//! operator's own calls. An agency never reads another's staff, keys,
//! batches or reports; a remitter's data needs the calling agency's pledge
//! and the remitter's consent recorded by that agency; a dead token reads
//! nothing. Each refusal is the exact published code.

use axum::http::{Method, StatusCode};
use finhub_core::oris::staff::{MANAGER_GROUP, VIEWER_GROUP};
use finhub_testkit::oris::{OrisStaff, PASSWORD, THIRD_PARTY_TERM};
use finhub_testkit::{spawn_app, Resp, TestApp};
use serde_json::{json, Value};

const KB: &str = "BA00000004";
const SHINHAN: &str = "BA00000088";

/// A caller: a bearer token (None: no Authorization header).
struct Who {
    name: &'static str,
    token: Option<String>,
}

/// Agency A (KB) with its remitter, report and batch; agency B (Shinhan);
/// the operator; and A's other kinds of callers.
struct World<'a> {
    app: &'a TestApp,
    a: OrisStaff<'a>,
    user: String,
    bmi: String,
    batch: String,
    callers: Vec<Who>,
}

async fn member(a: &OrisStaff<'_>, email: &str, group: &str) -> Value {
    let path = format!("/api/oris/v1/agencies/{}/members", a.agency.agency_id);
    let body = json!({"email": email, "name": "담당자", "phone": "010-0000-0000",
                      "department": "외환", "groupId": group, "password": PASSWORD});
    let r = a.post(&path, &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.body
}

async fn login(app: &TestApp, email: &str, scope: Option<&str>) -> String {
    let r = app.oris_login(email, PASSWORD, scope).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.body["accessToken"].as_str().unwrap().to_owned()
}

async fn pledge(app: &TestApp, token: &str) {
    let auth = format!("Bearer {token}");
    let body = json!({"termId": finhub_testkit::oris::PLEDGE_TERM});
    let r = app
        .call(
            &Method::POST,
            "/api/oris/v1/members/me/consents",
            Some(&auth),
            Some(&body),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.text);
}

async fn key_token(a: &OrisStaff<'_>) -> String {
    let path = format!("/api/oris/v1/agencies/{}/api-keys", a.agency.agency_id);
    let k = a.post(&path, &json!({"name": "batch system"})).await;
    assert_eq!(k.status, StatusCode::CREATED, "{}", k.text);
    let body = json!({"apiKey": k.body["apiKey"], "apiSecret": k.body["apiSecret"]});
    let r = a
        .app
        .call(&Method::POST, "/api/oris/v1/auth/token", None, Some(&body))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.body["accessToken"].as_str().unwrap().to_owned()
}

/// A's remitter with the third-party consent A recorded, and A's report.
async fn remitter_and_report(a: &OrisStaff<'_>) -> (String, String) {
    let u = a
        .post(
            "/api/oris/v1/users",
            &json!({"userType": "내국인", "userName": "류가람",
            "userCountry": "KR", "identityType": "RRN", "identityNumber": "9001011234567",
            "birthDate": "19900101"}),
        )
        .await;
    assert!(u.status.is_success(), "{}", u.text);
    let user = u.body["userId"].as_str().unwrap().to_owned();
    let c = a
        .post(
            &format!("/api/oris/v1/users/{user}/consents"),
            &json!({"termId": THIRD_PARTY_TERM, "identityVerificationMethod": "MOBILE_PHONE",
                    "isUnderFourteen": false}),
        )
        .await;
    assert!(c.status.is_success(), "{}", c.text);
    let bmi = bmi(a, 1);
    let r = a
        .post("/api/oris/v1/remittances", &report(&bmi, &user))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    (user, bmi)
}

fn bmi(a: &OrisStaff<'_>, seq: u32) -> String {
    let day = a.app.clock.now_kst().format("%Y%m%d");
    format!("{day}{}{seq:09}", a.agency.agency_code)
}

fn report(bmi: &str, user: &str) -> Value {
    json!({"businessMessageIdentifier": bmi, "userId": user,
           "requestDate": finhub_oris::wire::datetime(chrono::Utc::now()),
           "usdExchangeAmount": 870})
}

async fn world(app: &TestApp) -> World<'_> {
    let a = app.oris_staff(Some(KB)).await;
    let b = app.oris_staff(Some(SHINHAN)).await;
    let op = app.oris_operator().await;
    let (user, bmi) = remitter_and_report(&a).await;
    let batch = a
        .post(
            "/api/oris/v1/batches",
            &json!({"name": "r.json", "batchType": "REMITTANCE",
            "expectedRows": 1, "source": {"type": "api"}}),
        )
        .await;
    assert_eq!(batch.status, StatusCode::CREATED, "{}", batch.text);
    let viewer = member(&a, "viewer@kb.example", VIEWER_GROUP).await;
    let viewer = login(app, viewer["email"].as_str().unwrap(), None).await;
    pledge(app, &viewer).await;
    member(&a, "new@kb.example", MANAGER_GROUP).await;
    let unpledged = login(app, "new@kb.example", None).await;
    let inquiry = login_as(app, &a, Some("inquiry")).await;
    let gone = login_as(app, &a, None).await;
    let auth = format!("Bearer {gone}");
    let out = app
        .call(&Method::POST, "/api/oris/v1/auth/logout", Some(&auth), None)
        .await;
    assert!(out.status.is_success(), "{}", out.text);
    let key = key_token(&a).await;
    let callers = vec![
        Who {
            name: "own",
            token: Some(a.access.clone()),
        },
        Who {
            name: "other",
            token: Some(b.access.clone()),
        },
        Who {
            name: "operator",
            token: Some(op.access.clone()),
        },
        Who {
            name: "viewer",
            token: Some(viewer),
        },
        Who {
            name: "unpledged",
            token: Some(unpledged),
        },
        Who {
            name: "inquiry",
            token: Some(inquiry),
        },
        Who {
            name: "key",
            token: Some(key),
        },
        Who {
            name: "logged_out",
            token: Some(gone),
        },
        Who {
            name: "none",
            token: None,
        },
    ];
    World {
        app,
        user,
        bmi,
        batch: batch.body["batchId"].as_str().unwrap().to_owned(),
        a,
        callers,
    }
}

async fn login_as(app: &TestApp, a: &OrisStaff<'_>, scope: Option<&str>) -> String {
    let r = app
        .oris_login(&a.agency.email, &a.agency.password, scope)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.body["accessToken"].as_str().unwrap().to_owned()
}

async fn call(w: &World<'_>, who: &Who, method: &Method, path: &str, body: Option<&Value>) -> Resp {
    let auth = who.token.as_ref().map(|t| format!("Bearer {t}"));
    w.app.call(method, path, auth.as_deref(), body).await
}

/// One row: a call, and what each caller (in `World::callers` order) gets:
/// "200"/"201" for success, else the code.
struct Row {
    method: Method,
    path: String,
    body: Option<Value>,
    want: [&'static str; 9],
}

const TOKEN: [&str; 2] = ["ACCESS_TOKEN_INVALID", "ACCESS_TOKEN_REQUIRED"];

fn rows(w: &World<'_>) -> Vec<Row> {
    let a = &w.a.agency.agency_id;
    let [dead, none] = TOKEN;
    // A remitter's data: the calling agency's pledge and the remitter's
    // consent recorded by that agency (the operator holds none).
    let remitter = [
        "200",
        "CONSENT_REQUIRED",
        "CONSENT_REQUIRED",
        "200",
        "CONSENT_REQUIRED",
        "200",
        "200",
        dead,
        none,
    ];
    let get = |path: String, want| Row {
        method: Method::GET,
        path,
        body: None,
        want,
    };
    vec![
        // own, other, operator, viewer, unpledged, inquiry, key, logged_out, none
        get(
            format!("/api/oris/v1/agencies/{a}/members"),
            [
                "200",
                "AGENCY_ACCESS_DENIED",
                "200",
                "200",
                "CONSENT_REQUIRED",
                "200",
                "200",
                dead,
                none,
            ],
        ),
        get(
            format!("/api/oris/v1/agencies/{a}/api-keys"),
            [
                "200",
                "AGENCY_ACCESS_DENIED",
                "200",
                "MEMBER_ACCESS_DENIED",
                "CONSENT_REQUIRED",
                "ACCESS_TOKEN_NOT_ENOUGH_PERMISSION",
                "MEMBER_ACCESS_DENIED",
                dead,
                none,
            ],
        ),
        // Reading one's own agency needs the admin scope, no permission.
        get(
            format!("/api/oris/v1/agencies/{a}"),
            [
                "200",
                "AGENCY_ACCESS_DENIED",
                "200",
                "200",
                "CONSENT_REQUIRED",
                "ACCESS_TOKEN_NOT_ENOUGH_PERMISSION",
                "200",
                dead,
                none,
            ],
        ),
        get(
            "/api/oris/v1/agencies".into(),
            [
                "FORBIDDEN",
                "FORBIDDEN",
                "200",
                "FORBIDDEN",
                "CONSENT_REQUIRED",
                "ACCESS_TOKEN_NOT_ENOUGH_PERMISSION",
                "FORBIDDEN",
                dead,
                none,
            ],
        ),
        get(
            format!("/api/oris/v1/remittances/{}", w.bmi),
            [
                "200",
                "REMITTANCE_NOT_FOUND",
                "REMITTANCE_NOT_FOUND",
                "200",
                "CONSENT_REQUIRED",
                "200",
                "200",
                dead,
                none,
            ],
        ),
        get(
            format!("/api/oris/v1/users/{}/remittances/{}", w.user, w.bmi),
            remitter,
        ),
        get(format!("/api/oris/v1/users/{}", w.user), remitter),
        get(format!("/api/oris/v1/users/{}/limits", w.user), remitter),
        get(
            format!("/api/oris/v1/batches/{}", w.batch),
            [
                "200",
                "BATCH_NOT_FOUND",
                "BATCH_NOT_FOUND",
                "200",
                "CONSENT_REQUIRED",
                "200",
                "200",
                dead,
                none,
            ],
        ),
    ]
}

/// "200"/"201" for a success, else the error's code.
fn answer(r: &Resp) -> String {
    if r.status.is_success() {
        r.status.as_u16().to_string()
    } else {
        r.body["code"].as_str().unwrap_or("?").to_owned()
    }
}

/// The matrix as a table of mismatches: empty when every cell is right.
async fn mismatches(w: &World<'_>, rows: Vec<Row>) -> Vec<String> {
    let mut out = Vec::new();
    for row in rows {
        for (who, want) in w.callers.iter().zip(row.want) {
            let r = call(w, who, &row.method, &row.path, row.body.as_ref()).await;
            let got = answer(&r);
            if got != want {
                out.push(format!(
                    "{} {} as {}: want {want}, got {} {}",
                    row.method, row.path, who.name, r.status, r.text
                ));
            }
        }
    }
    out
}

#[tokio::test]
async fn every_caller_gets_exactly_its_answer_for_agency_as_data() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let rows = rows(&w);
    let wrong = mismatches(&w, rows).await;
    assert!(
        wrong.is_empty(),
        "{} cells wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[tokio::test]
async fn only_the_agency_whose_code_a_report_carries_may_make_it() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let [dead, none] = TOKEN;
    // own, other, operator, viewer, unpledged, inquiry, key, logged_out, none
    let want = [
        "201",
        "AGENCY_NOT_MATCH",
        "AGENCY_NOT_MATCH",
        "MEMBER_ACCESS_DENIED",
        "CONSENT_REQUIRED",
        "ACCESS_TOKEN_NOT_ENOUGH_PERMISSION",
        "201",
        dead,
        none,
    ];
    let mut wrong = Vec::new();
    // Each caller once, with a report number of its own under A's code.
    for (i, (who, want)) in w.callers.iter().zip(want).enumerate() {
        let body = report(&bmi(&w.a, 100 + i as u32), &w.user);
        let r = call(
            &w,
            who,
            &Method::POST,
            "/api/oris/v1/remittances",
            Some(&body),
        )
        .await;
        if answer(&r) != want {
            wrong.push(format!("as {}: want {want}, got {}", who.name, r.text));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

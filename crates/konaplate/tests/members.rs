//! Members (U1–U13) and named cards (L1–L3) as a provider's integration
//! drives them, with the sandbox's member status switch.

use axum::http::{Method, StatusCode};
use finhub_core::konaplate::ids::UserId;
use finhub_core::konaplate::members::MemberRepo;
use finhub_testkit::konaplate::{assert_kona, KonaProject, KONA_PASSWORD};
use finhub_testkit::{assert_error, spawn_app, Resp, TestApp};
use serde_json::{json, Value};

const MANDATORY: [&str; 4] = ["29184", "29186", "29187", "29188"];

async fn project() -> (TestApp, KonaProject) {
    let app = spawn_app().await;
    let kp = app.kona_project().await;
    (app, kp)
}

/// A registration of `login` with every mandatory term and marketing.
fn reg(login: &str) -> Value {
    json!({
        "loginId": login, "loginPassword": KONA_PASSWORD, "birthDate": "19900304",
        "nationality": "Korean", "gender": "Male", "userName": "홍길동",
        "mobileNumber": "010-2468-1357", "email": "hong@example.com", "joinChannel": "OPENAPI",
        "addressInfo": {"address": "서울시 중구 세종대로 110", "addressDetail": "1층", "zipCode": "04524"},
        "tcIdList": ["29184", "29186", "29187", "29188", "601151"]
    })
}

/// Register `body`; the new userId.
async fn register(app: &TestApp, kp: &KonaProject, body: &Value) -> u64 {
    let r = kp.call(app, "U1", body).await;
    assert_kona(&r, StatusCode::OK, "000_000");
    r.body["userId"].as_u64().expect("userId is a number")
}

/// The code of a call, with the description naming `field` when given.
async fn refused(app: &TestApp, kp: &KonaProject, id: &str, body: &Value, code: &str) -> Resp {
    let r = kp.call(app, id, body).await;
    assert_kona(&r, StatusCode::BAD_REQUEST, code);
    assert!(r.body.get("userId").is_none(), "{}", r.text);
    r
}

async fn set_status(app: &TestApp, kp: &KonaProject, user_id: u64, status: &str) -> Resp {
    let path = format!(
        "/sandbox/konaplate/projects/{}/members/{user_id}/status",
        kp.project_id
    );
    (app.kona_sandbox(Method::PUT, &path, Some(&json!({"status": status})))).await
}

async fn check_password(app: &TestApp, kp: &KonaProject, login: &str, pw: &str) -> Resp {
    let body = json!({"loginId": login, "loginPassword": pw});
    kp.call(app, "U12", &body).await
}

#[tokio::test]
async fn u1_registers_a_member_with_a_basic_card_and_u2_reads_it_back() {
    let (app, kp) = project().await;
    let user_id = register(&app, &kp, &reg("hong@example.com")).await;
    assert!(user_id.to_string().len() <= 19);
    let again = kp.call(&app, "U2", &json!({"userId": user_id})).await;
    assert_kona(&again, StatusCode::OK, "000_000");
    let u = &again.body["userInfo"];
    assert_eq!(u["userId"], user_id);
    assert_eq!(u["aspId"], kp.asp_id.as_str());
    assert_eq!(u["loginId"], "hong@example.com");
    assert_eq!(u["birthDate"], "19900304");
    assert_eq!(u["userName"], "홍길동");
    assert_eq!(u["mobileNumber"], "010-2468-1357");
    assert_eq!(u["joinChannel"], "OPENAPI");
    assert_eq!(u["addressInfo"]["zipCode"], "04524");
    assert_eq!(u["ci"].as_str().unwrap().len(), 88);
    // The basic card: on the first mobile product, and it is the member's.
    let r = kp.call(&app, "U1", &reg("kim@example.com")).await;
    assert_kona(&r, StatusCode::OK, "000_000");
    let card = &r.body["basicCardInfo"];
    assert_eq!(card["par"].as_str().unwrap().len(), 27);
    assert_eq!(card["cardNo"].as_str().unwrap().len(), 16);
    let exp = card["expiryDate"].as_str().unwrap();
    assert!(
        exp.len() == 6 && exp.bytes().all(|b| b.is_ascii_digit()),
        "{exp}"
    );
    assert_eq!(card["serviceId"], kp.services[0].as_str());
    let uid = UserId(r.body["userId"].as_u64().unwrap());
    let cards = finhub_core::konaplate::cards::CardRepo::cards_of(&app.store, &kp.project_id, uid)
        .await
        .unwrap();
    assert_eq!(cards.len(), 1);
    assert!(cards[0].is_basic && !cards[0].is_named);
    assert_eq!(cards[0].par.as_str(), card["par"].as_str().unwrap());
}

#[tokio::test]
async fn u1_checks_fields_in_the_references_order_each_missing_empty_then_length() {
    let (app, kp) = project().await;
    let with = |k: &str, v: Value| {
        let mut b = reg("order@example.com");
        if v.is_null() {
            b.as_object_mut().unwrap().remove(k);
        } else {
            b[k] = v;
        }
        b
    };
    let mut two = with("loginId", Value::Null);
    two["birthDate"] = json!("1990");
    let cases = [
        (with("loginId", Value::Null), "000_003", "loginId"),
        (two, "000_003", "loginId"),
        (with("loginId", json!("")), "000_002", "loginId"),
        (with("loginId", json!("not-an-email")), "000_002", "loginId"),
        (with("ci", json!("short")), "000_015", "ci"),
        (with("birthDate", json!("1990034")), "000_015", "birthDate"),
        (with("birthDate", json!("19901340")), "000_002", "birthDate"),
        (
            with("nationality", json!("Martian")),
            "000_002",
            "nationality",
        ),
        (with("gender", json!("X")), "000_015", "gender"),
        (
            with("mobileNumber", json!("0101")),
            "000_015",
            "mobileNumber",
        ),
        (with("email", Value::Null), "000_003", "email"),
        (with("tcIdList", Value::Null), "000_003", "tcIdList"),
        (
            with("tcIdList", json!(["29184", "29186", "29187"])),
            "000_003",
            "tcIdList",
        ),
    ];
    for (body, code, field) in cases {
        let r = refused(&app, &kp, "U1", &body, code).await;
        let d = r.body["response"]["description"].as_str().unwrap();
        assert!(d.contains(field), "{code} {field}: {d}");
    }
    let mut unknown = reg("order@example.com");
    unknown["tcIdList"] = json!(["29184", "29186", "29187", "29188", "1"]);
    refused(&app, &kp, "U1", &unknown, "001_079").await;
    // Nothing was written by any of them.
    let r = kp
        .call(&app, "U11", &json!({"loginId": "order@example.com"}))
        .await;
    assert_eq!(r.body["isDuplicated"], false, "{}", r.text);
}

#[tokio::test]
async fn u1_refuses_weak_passwords_with_000_002_login_password() {
    let (app, kp) = project().await;
    for pw in ["111357", "912357", "135321", "12a456", "024681"] {
        let mut b = reg("pw@example.com");
        b["loginPassword"] = json!(pw);
        let r = refused(&app, &kp, "U1", &b, "000_002").await;
        let d = r.body["response"]["description"].as_str().unwrap();
        assert!(d.contains("loginPassword"), "{pw}: {d}");
    }
    let mut short = reg("pw@example.com");
    short["loginPassword"] = json!("13579");
    refused(&app, &kp, "U1", &short, "000_015").await;
}

#[tokio::test]
async fn a_duplicate_login_id_or_ci_in_the_project_is_001_001() {
    let (app, kp) = project().await;
    let user_id = register(&app, &kp, &reg("dup@example.com")).await;
    refused(&app, &kp, "U1", &reg("dup@example.com"), "001_001").await;
    let info = kp.call(&app, "U2", &json!({"userId": user_id})).await;
    let mut same_ci = reg("other@example.com");
    same_ci["ci"] = info.body["userInfo"]["ci"].clone();
    refused(&app, &kp, "U1", &same_ci, "001_001").await;
    let r = kp
        .call(&app, "U11", &json!({"loginId": "dup@example.com"}))
        .await;
    assert_kona(&r, StatusCode::OK, "000_000");
    assert_eq!(r.body["isDuplicated"], true);
    let r = kp
        .call(&app, "U11", &json!({"loginId": "free@example.com"}))
        .await;
    assert_eq!(r.body["isDuplicated"], false);
}

#[tokio::test]
async fn a_ci_of_a_person_of_the_world_makes_the_member_that_person() {
    let (app, kp) = project().await;
    let person = app.sandbox_person("이순신", "01055557777", 100_000).await;
    let people = app.people_count().await;
    let mut b = reg("yi@example.com");
    b["ci"] = json!(person.ci);
    b["userName"] = json!("이순신");
    let user_id = register(&app, &kp, &b).await;
    assert_eq!(app.people_count().await, people, "no new person");
    let m = (app.store.member(&kp.project_id, UserId(user_id)).await)
        .unwrap()
        .unwrap();
    assert_eq!(m.person_id, person.person_id);
    let r = kp.call(&app, "U10", &json!({"ci": person.ci})).await;
    assert_kona(&r, StatusCode::OK, "000_000");
    assert_eq!(r.body["userId"], user_id.to_string(), "a string");
    // Without a known CI a new person of the world is made.
    register(&app, &kp, &reg("new@example.com")).await;
    assert_eq!(app.people_count().await, people + 1);
    refused(&app, &kp, "U10", &json!({"ci": "A".repeat(88)}), "001_006").await;
    refused(&app, &kp, "U10", &json!({"ci": "A"}), "000_015").await;
}

#[tokio::test]
async fn five_password_failures_lock_the_member_until_a_reset() {
    let (app, kp) = project().await;
    let login = "lock@example.com";
    let user_id = register(&app, &kp, &reg(login)).await;
    let r = check_password(&app, &kp, login, KONA_PASSWORD).await;
    assert_kona(&r, StatusCode::OK, "000_000");
    assert_eq!(r.body["userId"], user_id);
    for _ in 0..5 {
        let r = check_password(&app, &kp, login, "246802").await;
        assert_kona(&r, StatusCode::BAD_REQUEST, "001_045");
    }
    let r = check_password(&app, &kp, login, KONA_PASSWORD).await;
    assert_kona(&r, StatusCode::BAD_REQUEST, "001_069");
    let change = json!({"userId": user_id, "type": "CHANGE", "oldPassword": KONA_PASSWORD,
                        "newPassword": "246802"});
    refused(&app, &kp, "U3", &change, "001_069").await;
    let reset = json!({"userId": user_id, "type": "RESET", "newPassword": "246802"});
    assert_kona(
        &kp.call(&app, "U3", &reset).await,
        StatusCode::OK,
        "000_000",
    );
    let r = check_password(&app, &kp, login, KONA_PASSWORD).await;
    assert_kona(&r, StatusCode::BAD_REQUEST, "001_045");
    let r = check_password(&app, &kp, login, "246802").await;
    assert_kona(&r, StatusCode::OK, "000_000");
    let unknown = check_password(&app, &kp, "nobody@example.com", KONA_PASSWORD).await;
    assert_kona(&unknown, StatusCode::BAD_REQUEST, "001_006");
}

#[tokio::test]
async fn u3_change_checks_the_old_password_and_the_rules() {
    let (app, kp) = project().await;
    let login = "change@example.com";
    let user_id = register(&app, &kp, &reg(login)).await;
    let body = |t: &str, old: Option<&str>, new: &str| {
        let mut b = json!({"userId": user_id, "type": t, "newPassword": new});
        if let Some(o) = old {
            b["oldPassword"] = json!(o);
        }
        b
    };
    refused(&app, &kp, "U3", &body("CHANGE", None, "246802"), "000_003").await;
    refused(
        &app,
        &kp,
        "U3",
        &body("CHANGE", Some("975318"), "246802"),
        "001_045",
    )
    .await;
    refused(
        &app,
        &kp,
        "U3",
        &body("CHANGE", Some(KONA_PASSWORD), "123580"),
        "000_002",
    )
    .await;
    refused(&app, &kp, "U3", &body("SWAP", None, "246802"), "000_015").await;
    refused(&app, &kp, "U3", &body("UNSET", None, "246802"), "000_002").await;
    let ok = kp
        .call(&app, "U3", &body("CHANGE", Some(KONA_PASSWORD), "246802"))
        .await;
    assert_kona(&ok, StatusCode::OK, "000_000");
    let r = check_password(&app, &kp, login, "246802").await;
    assert_kona(&r, StatusCode::OK, "000_000");
    let other = json!({"userId": 1, "type": "RESET", "newPassword": "246802"});
    refused(&app, &kp, "U3", &other, "001_006").await;
}

#[tokio::test]
async fn dormancy_through_the_sandbox_then_u7_and_the_fraud_list() {
    let (app, kp) = project().await;
    let login = "sleep@example.com";
    let user_id = register(&app, &kp, &reg(login)).await;
    let info = kp.call(&app, "U2", &json!({"userId": user_id})).await;
    let ci = info.body["userInfo"]["ci"].as_str().unwrap().to_owned();
    refused(&app, &kp, "U7", &json!({"ci": ci}), "001_087").await;
    let r = set_status(&app, &kp, user_id, "DORMANT").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body, json!({"userId": user_id, "status": "DORMANT"}));
    let r = check_password(&app, &kp, login, KONA_PASSWORD).await;
    assert_kona(&r, StatusCode::BAD_REQUEST, "001_068");
    let r = kp.call(&app, "U7", &json!({"ci": ci})).await;
    assert_kona(&r, StatusCode::OK, "000_000");
    let r = check_password(&app, &kp, login, KONA_PASSWORD).await;
    assert_kona(&r, StatusCode::OK, "000_000");
    refused(&app, &kp, "U7", &json!({"ci": "B".repeat(88)}), "001_006").await;
    let r = set_status(&app, &kp, user_id, "BLOCKED").await;
    assert_eq!(r.body["status"], "BLOCKED", "{}", r.text);
    let r = check_password(&app, &kp, login, KONA_PASSWORD).await;
    assert_kona(&r, StatusCode::BAD_REQUEST, "001_080");
    refused(&app, &kp, "U7", &json!({"ci": ci}), "001_080").await;
}

#[tokio::test]
async fn the_status_switch_refuses_unknown_statuses_and_members() {
    let (app, kp) = project().await;
    let user_id = register(&app, &kp, &reg("switch@example.com")).await;
    let r = set_status(&app, &kp, user_id, "SLEEPING").await;
    assert_error(&r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    let r = set_status(&app, &kp, user_id, "CANCELLED").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let r = set_status(&app, &kp, user_id + 1, "DORMANT").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    let path = format!(
        "/sandbox/konaplate/projects/{}/members/abc/status",
        kp.project_id
    );
    let r = (app.kona_sandbox(Method::PUT, &path, Some(&json!({"status": "ACTIVE"})))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    let r = set_status(&app, &kp, user_id, "ACTIVE").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
}

#[tokio::test]
async fn u4_changes_the_members_details() {
    let (app, kp) = project().await;
    let user_id = register(&app, &kp, &reg("change4@example.com")).await;
    let other = register(&app, &kp, &reg("other4@example.com")).await;
    let change = json!({"userId": user_id, "userName": "홍길순", "mobileNumber": "01099998888",
        "nationality": "Foreigner", "birthDate": "19910101",
        "addressInfo": {"address": "부산시 해운대구", "zipCode": "48094"}});
    let r = kp.call(&app, "U4", &change).await;
    assert_kona(&r, StatusCode::OK, "000_000");
    assert_eq!(r.body["userId"], user_id);
    let u = &kp.call(&app, "U2", &json!({"userId": user_id})).await.body["userInfo"];
    assert_eq!(u["userName"], "홍길순");
    assert_eq!(u["mobileNumber"], "01099998888");
    assert_eq!(u["nationality"], "Foreigner");
    assert_eq!(u["birthDate"], "19910101");
    assert_eq!(u["addressInfo"]["address"], "부산시 해운대구");
    assert_eq!(u["loginId"], "change4@example.com");
    let theirs = kp.call(&app, "U2", &json!({"userId": other})).await;
    let taken = json!({"userId": user_id, "ci": theirs.body["userInfo"]["ci"]});
    refused(&app, &kp, "U4", &taken, "001_001").await;
    refused(
        &app,
        &kp,
        "U4",
        &json!({"userId": user_id, "birthDate": "199"}),
        "000_015",
    )
    .await;
    refused(
        &app,
        &kp,
        "U4",
        &json!({"userId": 7, "userName": "x"}),
        "001_006",
    )
    .await;
}

#[tokio::test]
async fn after_u5_every_api_answers_001_006_for_the_member() {
    let (app, kp) = project().await;
    let login = "bye@example.com";
    let user_id = register(&app, &kp, &reg(login)).await;
    let info = kp.call(&app, "U2", &json!({"userId": user_id})).await;
    let ci = info.body["userInfo"]["ci"].clone();
    let r = kp.call(&app, "U5", &json!({"userId": user_id})).await;
    assert_kona(&r, StatusCode::OK, "000_000");
    let uid = json!({"userId": user_id});
    for id in ["U2", "U5", "U13", "U8"] {
        refused(&app, &kp, id, &uid, "001_006").await;
    }
    refused(&app, &kp, "U10", &json!({"ci": ci}), "001_006").await;
    refused(&app, &kp, "U7", &json!({"ci": ci}), "001_006").await;
    let r = check_password(&app, &kp, login, KONA_PASSWORD).await;
    assert_kona(&r, StatusCode::BAD_REQUEST, "001_006");
    let reset = json!({"userId": user_id, "type": "RESET", "newPassword": "246802"});
    refused(&app, &kp, "U3", &reset, "001_006").await;
    let r = set_status(&app, &kp, user_id, "ACTIVE").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    // The login id stays taken.
    refused(&app, &kp, "U1", &reg(login), "001_001").await;
    let cards = finhub_core::konaplate::cards::CardRepo::cards_of(
        &app.store,
        &kp.project_id,
        UserId(user_id),
    )
    .await
    .unwrap();
    assert!(cards.iter().all(|c| c.status.as_str() == "TERMINATED"));
}

#[tokio::test]
async fn u6_finds_the_login_id_by_person_or_by_ci() {
    let (app, kp) = project().await;
    let user_id = register(&app, &kp, &reg("find@example.com")).await;
    let info = kp.call(&app, "U2", &json!({"userId": user_id})).await;
    let by_person = json!({"userName": "홍길동", "birthDate": "19900304",
                           "mobileNumber": "01024681357"});
    let r = kp.call(&app, "U6", &by_person).await;
    assert_kona(&r, StatusCode::OK, "000_000");
    assert_eq!(r.body["loginId"], "find@example.com");
    let r = kp
        .call(&app, "U6", &json!({"ci": info.body["userInfo"]["ci"]}))
        .await;
    assert_eq!(r.body["loginId"], "find@example.com", "{}", r.text);
    let nobody = json!({"userName": "홍길동", "birthDate": "19900305",
                        "mobileNumber": "01024681357"});
    refused(&app, &kp, "U6", &nobody, "001_006").await;
    let r = refused(
        &app,
        &kp,
        "U6",
        &json!({"birthDate": "19900304"}),
        "000_003",
    )
    .await;
    assert!(r.text.contains("userName"), "{}", r.text);
}

#[tokio::test]
async fn u8_lists_the_terms_and_u9_agrees_and_withdraws_optional_ones() {
    let (app, kp) = project().await;
    let user_id = register(&app, &kp, &reg("terms@example.com")).await;
    let r = kp.call(&app, "U8", &json!({})).await;
    assert_kona(&r, StatusCode::OK, "000_000");
    let list = r.body["termsList"].as_array().unwrap();
    assert_eq!(list.len(), 8);
    assert!(list
        .iter()
        .all(|t| t["isAgree"] == false && t["tcId"].is_u64()));
    let mandatory: Vec<String> = (list.iter())
        .filter(|t| t["required"] == "MANDATORY")
        .map(|t| t["tcId"].to_string())
        .collect();
    assert_eq!(mandatory, MANDATORY);
    let agreed = |r: &Resp, id: u64| {
        let t = (r.body["termsList"].as_array().unwrap().iter())
            .find(|t| t["tcId"] == id)
            .unwrap()
            .clone();
        (t["isAgree"] == true, t["agreeDate"].as_str().map(str::len))
    };
    let mine = kp.call(&app, "U8", &json!({"userId": user_id})).await;
    assert_eq!(agreed(&mine, 29184), (true, Some(17)));
    assert_eq!(agreed(&mine, 601151), (true, Some(17)));
    assert_eq!(agreed(&mine, 604150), (false, None));
    let items = json!([{"tcId": 604150, "isAgree": true}, {"tcId": 601151, "isAgree": false}]);
    let r = kp
        .call(&app, "U9", &json!({"userId": user_id, "tcList": items}))
        .await;
    assert_kona(&r, StatusCode::OK, "000_000");
    let mine = kp.call(&app, "U8", &json!({"userId": user_id})).await;
    assert_eq!(agreed(&mine, 604150), (true, Some(17)));
    assert_eq!(agreed(&mine, 601151), (false, None));
    let body =
        |id: u64, yes: bool| json!({"userId": user_id, "tcList": [{"tcId": id, "isAgree": yes}]});
    refused(&app, &kp, "U9", &body(29184, false), "001_081").await;
    refused(&app, &kp, "U9", &body(1, true), "001_079").await;
    let stranger = json!({"userId": 5, "tcList": [{"tcId": 604150, "isAgree": true}]});
    refused(&app, &kp, "U9", &stranger, "001_006").await;
    refused(&app, &kp, "U9", &json!({"userId": user_id}), "000_003").await;
}

#[tokio::test]
async fn u13_answers_the_verification_state_encrypted_when_a_key_is_named() {
    let (app, kp) = project().await;
    let user_id = register(&app, &kp, &reg("auth@example.com")).await;
    let info = kp.call(&app, "U2", &json!({"userId": user_id})).await;
    let r = kp.call(&app, "U13", &json!({"userId": user_id})).await;
    assert_kona(&r, StatusCode::OK, "000_000");
    assert_eq!(r.body["ci"], info.body["userInfo"]["ci"]);
    assert_eq!(r.body["isBankAccountVerified"], false);
    assert_eq!(r.body["isRealNameVerified"], false);
    assert!(r.body.get("verifiedDateTime").is_none());
    let raw = app
        .kona_send(&kp.encrypted("U13", &json!({"userId": user_id})))
        .await;
    assert!(raw.body["encData"].is_string(), "{}", raw.text);
    let opened = kp.opened(raw);
    assert_kona(&opened, StatusCode::OK, "000_000");
    assert_eq!(opened.body["ci"], info.body["userInfo"]["ci"]);
}

#[tokio::test]
async fn the_encrypted_variants_of_u1_and_u2() {
    let (app, kp) = project().await;
    let r = kp.call_enc(&app, "U1", &reg("enc@example.com")).await;
    assert_kona(&r, StatusCode::OK, "000_000");
    let user_id = r.body["userId"].as_u64().unwrap();
    let raw = app
        .kona_send(&kp.encrypted("U2", &json!({"userId": user_id})))
        .await;
    assert!(raw.body["encData"].is_string(), "{}", raw.text);
    let r = kp.opened(raw);
    assert_kona(&r, StatusCode::OK, "000_000");
    assert_eq!(r.body["userInfo"]["loginId"], "enc@example.com");
    // An error answer is never encrypted.
    let r = app
        .kona_send(&kp.encrypted("U2", &json!({"userId": 1})))
        .await;
    assert_kona(&r, StatusCode::BAD_REQUEST, "001_006");
}

#[tokio::test]
async fn another_projects_member_is_not_found() {
    let (app, kp) = project().await;
    let other = app.kona_project().await;
    let user_id = register(&app, &kp, &reg("mine@example.com")).await;
    let info = kp.call(&app, "U2", &json!({"userId": user_id})).await;
    let ci = info.body["userInfo"]["ci"].clone();
    refused(&app, &other, "U2", &json!({"userId": user_id}), "001_006").await;
    refused(&app, &other, "U10", &json!({"ci": ci}), "001_006").await;
    let r = check_password(&app, &other, "mine@example.com", KONA_PASSWORD).await;
    assert_kona(&r, StatusCode::BAD_REQUEST, "001_006");
    let r = set_status(&app, &other, user_id, "DORMANT").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    // The same login id and CI are free in the other project.
    let mut again = reg("mine@example.com");
    again["ci"] = ci;
    register(&app, &other, &again).await;
}

#[tokio::test]
async fn l1_needs_the_members_own_registered_account_and_l2_l3_keep_a_corporate_request() {
    let (app, kp) = project().await;
    let r = kp.call(&app, "U1", &reg("named@example.com")).await;
    let user_id = r.body["userId"].as_u64().unwrap();
    let par = r.body["basicCardInfo"]["par"].as_str().unwrap().to_owned();
    let l1 = json!({"userId": user_id, "par": par});
    refused(&app, &kp, "L1", &l1, "002_020").await;
    let elsewhere = json!({"userId": user_id, "par": format!("Q1{}", "A".repeat(25))});
    refused(&app, &kp, "L1", &elsewhere, "003_021").await;
    refused(
        &app,
        &kp,
        "L1",
        &json!({"userId": user_id, "par": "Q1"}),
        "000_015",
    )
    .await;
    let corp = json!({"userId": user_id, "par": par, "corporationName": "코나상사",
                      "bizLicenseNo": "1234567890", "registrationNumber": "1101111234567"});
    let r = kp.call(&app, "L2", &corp).await;
    assert_kona(&r, StatusCode::OK, "000_000");
    assert_eq!(r.body["status"], "REQUESTED");
    let r = kp.call(&app, "L3", &json!({"par": par})).await;
    assert_kona(&r, StatusCode::OK, "000_000");
    assert_eq!(r.body["status"], "REQUESTED");
    assert_eq!(r.body["corporationName"], "코나상사");
    assert_eq!(r.body["bizLicenseNo"], "1234567890");
    assert_eq!(r.body["updatedDateTime"].as_str().unwrap().len(), 17);
    let mut short = corp.clone();
    short["bizLicenseNo"] = json!("123456789");
    refused(&app, &kp, "L2", &short, "000_015").await;
    refused(&app, &kp, "L3", &elsewhere, "003_021").await;
    let other = app.kona_project().await;
    refused(&app, &other, "L3", &json!({"par": par}), "003_021").await;
}

#[tokio::test]
async fn u5_is_refused_while_a_card_holds_a_balance_or_is_suspended() {
    use finhub_core::konaplate::cards::{CardRepo, CardStatus};
    use finhub_testkit::ledger::transfer;
    let (app, kp) = project().await;
    let mut person = app.sandbox_person("강감찬", "01066668888", 50_000).await;
    let mut b = reg("balance@example.com");
    b["ci"] = json!(person.ci);
    let user_id = register(&app, &kp, &b).await;
    let uid = json!({"userId": user_id});
    let mut card = (app.store.cards_of(&kp.project_id, UserId(user_id)).await)
        .unwrap()
        .remove(0);
    // Money on the card straight through the ledger (charging is another area's).
    let bank = person.accounts.remove(0).id;
    let go = transfer("test", "in", &bank, &card.account_id, 1_000);
    assert!(app.world.transfer(go).await.unwrap().result.is_ok());
    refused(&app, &kp, "U5", &uid, "001_052").await;
    let back = transfer("test", "out", &card.account_id, &bank, 1_000);
    assert!(app.world.transfer(back).await.unwrap().result.is_ok());
    card.status = CardStatus::Suspended;
    app.store.update_card(&card).await.unwrap();
    refused(&app, &kp, "U5", &uid, "001_090").await;
    card.status = CardStatus::Active;
    app.store.update_card(&card).await.unwrap();
    assert_kona(&kp.call(&app, "U5", &uid).await, StatusCode::OK, "000_000");
}

#[tokio::test]
async fn every_members_api_is_in_the_faces_document() {
    let doc = serde_json::to_value(finhub_konaplate::openapi()).unwrap();
    let ids = (1..=13)
        .map(|n| format!("U{n}"))
        .chain(["L1", "L2", "L3"].map(String::from));
    for id in ids {
        let path = finhub_konaplate::catalogue::by_id(&id).path;
        let op = &doc["paths"][path]["post"];
        assert_eq!(op["tags"][0], "members", "{id} {path}");
        assert!(op["requestBody"].is_object(), "{id}");
        assert!(op["responses"]["200"].is_object(), "{id}");
    }
}

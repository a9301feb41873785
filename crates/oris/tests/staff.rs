//! Agencies (G1–G3), members (M1–M4), API keys (K1, A2) and groups (P1), as
//! the operator and an agency's admin meet them.

mod kit {
    use axum::http::StatusCode;
    use finhub_testkit::http::Resp;
    use finhub_testkit::oris::{OrisAgency, OrisStaff, PASSWORD};
    use finhub_testkit::TestApp;
    use serde_json::{json, Value};

    pub const VIEWER: &str = "01JA0000000000000000000VW1";
    pub const ADMIN: &str = "01JA0000000000000000000AD1";

    pub fn member_body(email: &str, group: &str) -> Value {
        json!({"email": email, "name": "김담당", "phone": "010-1234-5678",
               "department": "해외송금부", "groupId": group, "password": PASSWORD})
    }

    /// M2 by `admin` in its own agency; the new member's id.
    pub async fn add(admin: &OrisStaff<'_>, email: &str, group: &str) -> String {
        let path = format!("/api/oris/v1/agencies/{}/members", admin.agency.agency_id);
        let r = admin.post(&path, &member_body(email, group)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        r.body["id"].as_str().unwrap().to_owned()
    }

    /// A member signed in (scope as given) with the pledge signed.
    pub async fn sign_in<'a>(
        app: &'a TestApp,
        agency: &OrisAgency,
        email: &str,
        scope: Option<&str>,
    ) -> OrisStaff<'a> {
        let r = app.oris_login(email, PASSWORD, scope).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let s = OrisStaff {
            app,
            agency: OrisAgency {
                email: email.to_owned(),
                member_id: r.body["memberId"].as_str().unwrap().to_owned(),
                ..agency.clone()
            },
            access: r.body["accessToken"].as_str().unwrap().to_owned(),
            refresh: r.body["refreshToken"].as_str().unwrap_or("").to_owned(),
        };
        s.sign_pledge().await;
        s
    }

    pub fn ok(r: &Resp) {
        assert!(r.status.is_success(), "{}", r.text);
    }

    /// A2 with this body.
    pub async fn a2(app: &TestApp, body: &Value) -> Resp {
        let m = axum::http::Method::POST;
        app.call(&m, "/api/oris/v1/auth/token", None, Some(body))
            .await
    }

    pub fn members(agency_id: &str) -> String {
        format!("/api/oris/v1/agencies/{agency_id}/members")
    }
}

use axum::http::{Method, StatusCode};
use finhub_testkit::oris::{assert_oris, PASSWORD};
use finhub_testkit::spawn_app;
use kit::{add, members, ok, sign_in, ADMIN, VIEWER};
use serde_json::json;

#[tokio::test]
async fn the_operator_registers_approves_and_suspends_agencies() {
    let app = spawn_app().await;
    let bok = app.oris_operator().await;
    let kb = app.oris_staff(Some("BA00000004")).await;

    let r = bok
        .post(
            "/api/oris/v1/agencies",
            &json!({"agencyCode": "1234", "agencyName": "새송금", "agencyType": "소액해외송금업자"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["approvalStatus"], "PENDING");
    assert_eq!(r.body["agencyType"], "소액해외송금업자");
    assert!(r.body["createdAt"].as_str().unwrap().ends_with("+09:00"));
    let new_id = r.body["agencyId"].as_str().unwrap().to_owned();
    let again = json!({"agencyCode": "1234", "agencyName": "또송금", "agencyType": "은행"});
    let r = bok.post("/api/oris/v1/agencies", &again).await;
    assert_oris(&r, StatusCode::CONFLICT, "AGENCY_CODE_DUPLICATED");
    let bad = json!({"agencyCode": "12a4", "agencyName": "x", "agencyType": "은행"});
    assert_oris(
        &bok.post("/api/oris/v1/agencies", &bad).await,
        StatusCode::BAD_REQUEST,
        "BAD_REQUEST",
    );
    let r = kb
        .post(
            "/api/oris/v1/agencies",
            &json!({"agencyCode": "1235", "agencyName": "x", "agencyType": "은행"}),
        )
        .await;
    assert_oris(&r, StatusCode::FORBIDDEN, "FORBIDDEN");
    assert_oris(
        &kb.get("/api/oris/v1/agencies").await,
        StatusCode::FORBIDDEN,
        "FORBIDDEN",
    );

    let list = bok.get("/api/oris/v1/agencies?size=100").await;
    ok(&list);
    assert_eq!(list.body["page"]["totalElements"], 3);
    assert!(list.body["content"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["agencyId"] == new_id.as_str()));
}

#[tokio::test]
async fn approval_and_activity_gate_sign_in_and_every_call() {
    let app = spawn_app().await;
    let bok = app.oris_operator().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let r = bok
        .post(
            "/api/oris/v1/agencies",
            &json!({"agencyCode": "1234", "agencyName": "새송금", "agencyType": "소액해외송금업자"}),
        )
        .await;
    let new_id = r.body["agencyId"].as_str().unwrap().to_owned();
    // The operator adds the first member; it cannot sign in until approved.
    let r = bok
        .post(
            &members(&new_id),
            &kit::member_body("first@new.example", ADMIN),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = app.oris_login("first@new.example", PASSWORD, None).await;
    assert_oris(&r, StatusCode::FORBIDDEN, "AGENCY_NOT_APPROVED");
    let act = |a: &str| format!("/api/oris/v1/agencies/{new_id}/{a}");
    assert_oris(
        &kb.post(&act("approve"), &json!({})).await,
        StatusCode::FORBIDDEN,
        "FORBIDDEN",
    );
    let r = bok.post(&act("approve"), &json!({})).await;
    ok(&r);
    assert_eq!(r.body["approvalStatus"], "APPROVED");
    assert_eq!(r.body["active"], true);
    let r = app.oris_login("first@new.example", PASSWORD, None).await;
    ok(&r);
    let token = format!("Bearer {}", r.body["accessToken"].as_str().unwrap());

    let r = bok.post(&act("deactivate"), &json!({})).await;
    assert_eq!(r.body["active"], false, "{}", r.text);
    let r = app.oris_login("first@new.example", PASSWORD, None).await;
    assert_oris(&r, StatusCode::FORBIDDEN, "AGENCY_NOT_ACTIVE");
    let r = app
        .call(&Method::GET, "/api/oris/v1/terms", Some(&token), None)
        .await;
    assert_oris(&r, StatusCode::FORBIDDEN, "AGENCY_NOT_ACTIVE");
    ok(&bok.post(&act("activate"), &json!({})).await);
    let r = bok.post(&act("reject"), &json!({})).await;
    assert_eq!(r.body["approvalStatus"], "REJECTED", "{}", r.text);
    let r = app
        .call(&Method::GET, "/api/oris/v1/terms", Some(&token), None)
        .await;
    assert_oris(&r, StatusCode::FORBIDDEN, "AGENCY_NOT_APPROVED");
    let r = bok.post(&act("suspend"), &json!({})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    let own = format!("/api/oris/v1/agencies/{}/deactivate", bok.agency.agency_id);
    assert_oris(
        &bok.post(&own, &json!({})).await,
        StatusCode::BAD_REQUEST,
        "INVALID_REQUEST",
    );
}

#[tokio::test]
async fn an_agency_sees_and_changes_only_itself() {
    let app = spawn_app().await;
    let bok = app.oris_operator().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let other = app.oris_staff(None).await;
    let kb_path = format!("/api/oris/v1/agencies/{}", kb.agency.agency_id);

    let r = kb.get(&kb_path).await;
    ok(&r);
    assert_eq!(r.body["agencyType"], "은행");
    assert_eq!(r.body["approvalStatus"], "APPROVED");
    assert_oris(
        &other.get(&kb_path).await,
        StatusCode::FORBIDDEN,
        "AGENCY_ACCESS_DENIED",
    );
    let r = other
        .patch(&kb_path, &json!({"agencyName": "남의 은행"}))
        .await;
    assert_oris(&r, StatusCode::FORBIDDEN, "AGENCY_ACCESS_DENIED");
    ok(&bok.get(&kb_path).await);
    let unknown = "/api/oris/v1/agencies/01JA0000000000000000000XX9";
    assert_oris(
        &bok.get(unknown).await,
        StatusCode::NOT_FOUND,
        "AGENCY_NOT_FOUND",
    );
    assert_oris(
        &kb.get(unknown).await,
        StatusCode::FORBIDDEN,
        "AGENCY_ACCESS_DENIED",
    );

    let r = kb
        .patch(&kb_path, &json!({"agencyName": "KB국민은행 해외송금"}))
        .await;
    ok(&r);
    assert_eq!(r.body["agencyName"], "KB국민은행 해외송금");
    // Only the operator changes a type: it is what makes an operator.
    let r = kb.patch(&kb_path, &json!({"agencyType": "한국은행"})).await;
    assert_oris(&r, StatusCode::FORBIDDEN, "FORBIDDEN");
    let r = bok.patch(&kb_path, &json!({"agencyType": "증권사"})).await;
    assert_eq!(r.body["agencyType"], "증권사", "{}", r.text);

    // Scopes first: an inquiry token cannot manage.
    let narrow = sign_in(&app, &kb.agency, &kb.agency.email, Some("inquiry")).await;
    let r = narrow.get(&kb_path).await;
    assert_oris(
        &r,
        StatusCode::FORBIDDEN,
        "ACCESS_TOKEN_NOT_ENOUGH_PERMISSION",
    );
}

#[tokio::test]
async fn an_admin_adds_lists_and_changes_members() {
    let app = spawn_app().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let other = app.oris_staff(None).await;
    let path = members(&kb.agency.agency_id);

    let r = kb
        .post(&path, &kit::member_body("viewer@kb.example", VIEWER))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let b = &r.body;
    assert_eq!(b["email"], "viewer@kb.example");
    assert_eq!(b["group"]["id"], VIEWER);
    assert_eq!(b["group"]["name"], "VIEWER");
    assert_eq!(b["agency"]["agencyCode"], kb.agency.agency_code.as_str());
    assert_eq!(b["agency"]["agencyType"], "은행");
    assert_eq!(b["status"], "ACTIVE");
    assert!(b["lastLoginAt"].is_null());

    let dup = kb
        .post(&path, &kit::member_body("viewer@kb.example", VIEWER))
        .await;
    assert_oris(&dup, StatusCode::CONFLICT, "MEMBER_EMAIL_DUPLICATED");
    let mut weak = kit::member_body("weak@kb.example", VIEWER);
    weak["password"] = json!("password");
    assert_oris(
        &kb.post(&path, &weak).await,
        StatusCode::BAD_REQUEST,
        "MEMBER_PASSWORD_INVALID_FORMAT",
    );
    let nogroup = kit::member_body("nogroup@kb.example", "01JA0000000000000000000XX1");
    assert_oris(
        &kb.post(&path, &nogroup).await,
        StatusCode::NOT_FOUND,
        "GROUP_NOT_FOUND",
    );
    let r = kb.post(&path, &json!({"email": "x@kb.example"})).await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "BAD_REQUEST");
    let r = other
        .post(&path, &kit::member_body("spy@kb.example", ADMIN))
        .await;
    assert_oris(&r, StatusCode::FORBIDDEN, "AGENCY_ACCESS_DENIED");
}

#[tokio::test]
async fn m1_lists_the_agencys_members_and_m2_changes_and_removes_them() {
    let app = spawn_app().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let other = app.oris_staff(None).await;
    let path = members(&kb.agency.agency_id);
    let viewer_id = add(&kb, "viewer@kb.example", VIEWER).await;
    // The viewer signs in; M1 shows the login, and the viewer may read M1
    // but not manage (its group lacks MEMBER_ADMIN).
    let viewer = sign_in(&app, &kb.agency, "viewer@kb.example", None).await;
    let list = viewer.get(&format!("{path}?size=1&page=1")).await;
    ok(&list);
    assert_eq!(list.body["page"]["totalElements"], 2);
    assert_eq!(list.body["page"]["totalPages"], 2);
    let item = &list.body["content"][0];
    assert_eq!(item["id"], viewer_id.as_str());
    assert!(item["lastLoginAt"].as_str().unwrap().ends_with("+09:00"));
    let r = viewer
        .post(&path, &kit::member_body("more@kb.example", VIEWER))
        .await;
    assert_oris(&r, StatusCode::FORBIDDEN, "MEMBER_ACCESS_DENIED");
    assert_oris(
        &other.get(&path).await,
        StatusCode::FORBIDDEN,
        "AGENCY_ACCESS_DENIED",
    );

    let one = format!("{path}/{viewer_id}");
    ok(&kb.get(&one).await);
    let r = kb.get(&format!("{path}/{}", other.agency.member_id)).await;
    assert_oris(&r, StatusCode::FORBIDDEN, "MEMBER_NOT_MATCH");
    let r = kb.get(&format!("{path}/01JA0000000000000000000XX2")).await;
    assert_oris(&r, StatusCode::NOT_FOUND, "MEMBER_NOT_FOUND");

    let r = kb
        .patch(&one, &json!({"department": "외환부", "status": "INACTIVE"}))
        .await;
    ok(&r);
    assert_eq!(r.body["department"], "외환부");
    assert_eq!(r.body["status"], "INACTIVE");
    assert_oris(
        &viewer.get("/api/oris/v1/terms").await,
        StatusCode::FORBIDDEN,
        "MEMBER_NOT_ACTIVE",
    );
    let r = app.oris_login("viewer@kb.example", PASSWORD, None).await;
    assert_oris(&r, StatusCode::FORBIDDEN, "MEMBER_NOT_ACTIVE");
    let r = kb.patch(&one, &json!({"status": "GONE"})).await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "BAD_REQUEST");
    assert_eq!(r.body["message"], "Invalid argument");
    let r = kb
        .patch(&one, &json!({"status": "ACTIVE", "groupId": ADMIN}))
        .await;
    assert_eq!(r.body["group"]["name"], "ADMIN", "{}", r.text);

    let r = kb.delete(&one).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    assert_oris(
        &kb.get(&one).await,
        StatusCode::NOT_FOUND,
        "MEMBER_NOT_FOUND",
    );
    assert_oris(
        &kb.delete(&one).await,
        StatusCode::NOT_FOUND,
        "MEMBER_NOT_FOUND",
    );
    let r = app.oris_login("viewer@kb.example", PASSWORD, None).await;
    assert_oris(&r, StatusCode::UNAUTHORIZED, "ACCOUNT_NOT_FOUND");
}

#[tokio::test]
async fn a_locked_member_shows_locked_until_unlocked_and_a_reset_forces_a_change() {
    let app = spawn_app().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let id = add(&kb, "clerk@kb.example", VIEWER).await;
    let one = format!("{}/{id}", members(&kb.agency.agency_id));
    for _ in 0..5 {
        app.oris_login("clerk@kb.example", "Wrong!pass1", None)
            .await;
    }
    let r = kb.get(&one).await;
    assert_eq!(r.body["status"], "LOCKED", "{}", r.text);
    assert_eq!(r.body["failedLoginCount"], 5);
    let r = kb.post(&format!("{one}/unlock"), &json!({})).await;
    ok(&r);
    assert_eq!(r.body["status"], "ACTIVE");
    let clerk = sign_in(&app, &kb.agency, "clerk@kb.example", None).await;

    // M3: a temporary password; the member's sessions end.
    for _ in 0..5 {
        app.oris_login("clerk@kb.example", "Wrong!pass1", None)
            .await;
    }
    let r = kb.post(&format!("{one}/password-reset"), &json!({})).await;
    ok(&r);
    let temp = r.body["temporaryPassword"].as_str().unwrap().to_owned();
    assert_oris(
        &clerk.get("/api/oris/v1/terms").await,
        StatusCode::UNAUTHORIZED,
        "ACCESS_TOKEN_INVALID",
    );
    let r = app.oris_login("clerk@kb.example", &temp, None).await;
    assert_oris(&r, StatusCode::FORBIDDEN, "MEMBER_PASSWORD_RESET");
    let change = |old: &str, new: &str| json!({"email": "clerk@kb.example", "oldPassword": old, "newPassword": new});
    let r = app
        .call(
            &Method::POST,
            "/api/oris/v1/auth/password",
            None,
            Some(&change(&temp, &temp)),
        )
        .await;
    assert_oris(
        &r,
        StatusCode::BAD_REQUEST,
        "MEMBER_PASSWORD_RESET_WITH_OLD",
    );
    // The password before the reset is among the replaced ones.
    let r = app
        .call(
            &Method::POST,
            "/api/oris/v1/auth/password",
            None,
            Some(&change(&temp, PASSWORD)),
        )
        .await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "MEMBER_PASSWORD_REUSED");
    let r = app
        .call(
            &Method::POST,
            "/api/oris/v1/auth/password",
            None,
            Some(&change(&temp, "Changed!2026")),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    ok(&app
        .oris_login("clerk@kb.example", "Changed!2026", None)
        .await);
    let r = kb.get(&one).await;
    assert_eq!(r.body["mustChangePassword"], false, "{}", r.text);
}

#[tokio::test]
async fn api_keys_are_shown_once_sign_systems_in_and_end_with_their_tokens() {
    let app = spawn_app().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let other = app.oris_staff(None).await;
    let keys = format!("/api/oris/v1/agencies/{}/api-keys", kb.agency.agency_id);
    let r = kb.post(&keys, &json!({"name": "core banking"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let (key_id, key, secret) = (
        r.body["apiKeyId"].as_str().unwrap().to_owned(),
        r.body["apiKey"].as_str().unwrap().to_owned(),
        r.body["apiSecret"].as_str().unwrap().to_owned(),
    );
    assert!(key.starts_with(r.body["prefix"].as_str().unwrap()));
    assert_eq!(r.body["name"], "core banking");
    let list = kb.get(&keys).await;
    ok(&list);
    assert_eq!(list.body["content"][0]["apiKeyId"], key_id.as_str());
    assert!(!list.text.contains(&secret) && !list.text.contains(&key));
    assert_oris(
        &other.get(&keys).await,
        StatusCode::FORBIDDEN,
        "AGENCY_ACCESS_DENIED",
    );
}

#[tokio::test]
async fn a2_signs_an_agencys_system_in_until_its_key_is_revoked() {
    let app = spawn_app().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let keys = format!("/api/oris/v1/agencies/{}/api-keys", kb.agency.agency_id);
    let other = app.oris_staff(None).await;
    let r = kb.post(&keys, &json!({"name": "core banking"})).await;
    let (key_id, key, secret) = (
        r.body["apiKeyId"].as_str().unwrap().to_owned(),
        r.body["apiKey"].as_str().unwrap().to_owned(),
        r.body["apiSecret"].as_str().unwrap().to_owned(),
    );
    let token = |k: &str, s: &str| json!({"apiKey": k, "apiSecret": s, "scope": "inquiry report"});
    let r = kit::a2(&app, &token(&key, &secret)).await;
    ok(&r);
    assert!(r.body.get("refreshToken").is_none(), "{}", r.text);
    assert_eq!(r.body["scope"], "inquiry report");
    assert_eq!(r.body["agencyId"], kb.agency.agency_id.as_str());
    let bearer = format!("Bearer {}", r.body["accessToken"].as_str().unwrap());
    // The agency's system needs no pledge; staff management needs a person.
    let m1 = members(&kb.agency.agency_id);
    ok(&app.call(&Method::GET, &m1, Some(&bearer), None).await);
    let r = app.call(&Method::GET, &keys, Some(&bearer), None).await;
    assert_oris(
        &r,
        StatusCode::FORBIDDEN,
        "ACCESS_TOKEN_NOT_ENOUGH_PERMISSION",
    );
    let wide = kit::a2(&app, &json!({"apiKey": key, "apiSecret": secret})).await;
    let wide = format!("Bearer {}", wide.body["accessToken"].as_str().unwrap());
    let r = app.call(&Method::GET, &keys, Some(&wide), None).await;
    assert_oris(&r, StatusCode::FORBIDDEN, "MEMBER_ACCESS_DENIED");

    let r = kit::a2(&app, &token(&key, "wrong")).await;
    assert_oris(&r, StatusCode::UNAUTHORIZED, "UNAUTHORIZED");
    let r = kit::a2(&app, &token("oris_nope", &secret)).await;
    assert_oris(&r, StatusCode::UNAUTHORIZED, "API_KEY_NOT_FOUND");

    assert_oris(
        &other.delete(&format!("{keys}/{key_id}")).await,
        StatusCode::FORBIDDEN,
        "AGENCY_ACCESS_DENIED",
    );
    let r = kb.delete(&format!("{keys}/{key_id}")).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let r = kb.delete(&format!("{keys}/{key_id}")).await;
    assert_oris(&r, StatusCode::NOT_FOUND, "API_KEY_NOT_FOUND");
    let r = kit::a2(&app, &token(&key, &secret)).await;
    assert_oris(&r, StatusCode::UNAUTHORIZED, "API_KEY_NOT_FOUND");
    let r = app.call(&Method::GET, &m1, Some(&bearer), None).await;
    assert_oris(&r, StatusCode::UNAUTHORIZED, "ACCESS_TOKEN_INVALID");
    let list = kb.get(&keys).await;
    assert!(
        list.body["content"][0]["revokedAt"].is_string(),
        "{}",
        list.text
    );
}

#[tokio::test]
async fn groups_are_the_built_ins_plus_the_agencys_own() {
    let app = spawn_app().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let other = app.oris_staff(None).await;
    let r = kb.get("/api/oris/v1/groups").await;
    ok(&r);
    let names: Vec<&str> = r.body["content"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["ADMIN", "MANAGER", "VIEWER"]);
    assert!(r.body["content"]
        .as_array()
        .unwrap()
        .iter()
        .all(|g| g["builtIn"] == true));

    let body = json!({"name": "조회+관리", "permissions": ["USER_READ"]});
    let r = kb.post("/api/oris/v1/groups", &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["builtIn"], false);
    let gid = r.body["id"].as_str().unwrap().to_owned();
    let g = format!("/api/oris/v1/groups/{gid}");
    let r = kb
        .post(
            "/api/oris/v1/groups",
            &json!({"name": "x", "permissions": ["FLY"]}),
        )
        .await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "INVALID_REQUEST");
    // Another agency neither lists nor reaches it.
    let r = other.get("/api/oris/v1/groups").await;
    assert_eq!(r.body["content"].as_array().unwrap().len(), 3, "{}", r.text);
    assert_oris(
        &other.get(&g).await,
        StatusCode::NOT_FOUND,
        "GROUP_NOT_FOUND",
    );
    assert_oris(
        &other.put(&g, &body).await,
        StatusCode::NOT_FOUND,
        "GROUP_NOT_FOUND",
    );
    let r = other
        .post(
            &members(&other.agency.agency_id),
            &kit::member_body("x@o.example", &gid),
        )
        .await;
    assert_oris(&r, StatusCode::NOT_FOUND, "GROUP_NOT_FOUND");

    let builtin = format!("/api/oris/v1/groups/{VIEWER}");
    ok(&kb.get(&builtin).await);
    assert_oris(
        &kb.put(&builtin, &body).await,
        StatusCode::FORBIDDEN,
        "GROUP_UPDATE_FORBIDDEN",
    );
    assert_oris(
        &kb.delete(&builtin).await,
        StatusCode::CONFLICT,
        "GROUP_DELETE_FORBIDDEN",
    );
}

#[tokio::test]
async fn a_groups_permissions_apply_at_once_and_a_held_group_stays() {
    let app = spawn_app().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let body = json!({"name": "조회+관리", "permissions": ["USER_READ"]});
    let r = kb.post("/api/oris/v1/groups", &body).await;
    let gid = r.body["id"].as_str().unwrap().to_owned();
    let g = format!("/api/oris/v1/groups/{gid}");
    // A member of the group gets its permissions, and the new ones at once.
    add(&kb, "custom@kb.example", &gid).await;
    let custom = sign_in(&app, &kb.agency, "custom@kb.example", None).await;
    let path = members(&kb.agency.agency_id);
    let r = custom
        .post(&path, &kit::member_body("c2@kb.example", VIEWER))
        .await;
    assert_oris(&r, StatusCode::FORBIDDEN, "MEMBER_ACCESS_DENIED");
    let more = json!({"name": "조회+관리", "permissions": ["USER_READ", "MEMBER_ADMIN"]});
    let r = kb.put(&g, &more).await;
    assert_eq!(
        r.body["permissions"],
        json!(["USER_READ", "MEMBER_ADMIN"]),
        "{}",
        r.text
    );
    let r = custom
        .post(&path, &kit::member_body("c2@kb.example", VIEWER))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);

    assert_oris(
        &kb.delete(&g).await,
        StatusCode::CONFLICT,
        "GROUP_DELETE_FORBIDDEN",
    );
    let r = kb
        .delete(&format!("{path}/{}", custom.agency.member_id))
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    assert_eq!(kb.delete(&g).await.status, StatusCode::NO_CONTENT);
    assert_oris(&kb.get(&g).await, StatusCode::NOT_FOUND, "GROUP_NOT_FOUND");
    assert_oris(
        &kb.delete(&g).await,
        StatusCode::NOT_FOUND,
        "GROUP_NOT_FOUND",
    );
}

#[test]
fn the_document_describes_every_call_of_the_area() {
    let doc = serde_json::to_value(finhub_oris::openapi()).unwrap();
    let paths = &doc["paths"];
    for (path, method) in [
        ("/api/oris/v1/auth/token", "post"),
        ("/api/oris/v1/auth/refresh", "post"),
        ("/api/oris/v1/auth/logout", "post"),
        ("/api/oris/v1/auth/password", "post"),
        ("/api/oris/v1/agencies", "get"),
        ("/api/oris/v1/agencies", "post"),
        ("/api/oris/v1/agencies/{agencyId}", "patch"),
        ("/api/oris/v1/agencies/{agencyId}/{action}", "post"),
        ("/api/oris/v1/agencies/{agencyId}/members", "get"),
        (
            "/api/oris/v1/agencies/{agencyId}/members/{memberId}",
            "delete",
        ),
        (
            "/api/oris/v1/agencies/{agencyId}/members/{memberId}/password-reset",
            "post",
        ),
        (
            "/api/oris/v1/agencies/{agencyId}/members/{memberId}/unlock",
            "post",
        ),
        (
            "/api/oris/v1/agencies/{agencyId}/api-keys/{apiKeyId}",
            "delete",
        ),
        ("/api/oris/v1/groups/{groupId}", "put"),
    ] {
        let op = &paths[path][method];
        assert!(
            op["description"].is_string() || op["summary"].is_string(),
            "{method} {path}"
        );
    }
    let schemas = &doc["components"]["schemas"];
    for s in [
        "MemberItem",
        "AgencyView",
        "IssuedApiKey",
        "GroupItem",
        "TokenResponse",
    ] {
        assert!(schemas[s].is_object(), "{s}");
    }
}

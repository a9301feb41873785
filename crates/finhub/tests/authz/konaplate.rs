//! The Konaplate face's authorization matrix: every API of the catalogue
//! called by project A's owner, by another project B naming A's members,
//! cards, applications, charges and tokens, with A's ASP id but B's access
//! key, and unsigned. One project never sees or moves another's members,
//! cards or money: every cross-project call is refused with its code, no
//! refusal carries A's data, and A's world is the same afterwards.

use axum::http::StatusCode;
use finhub_testkit::konaplate::{assert_kona, KonaProject, KONA_PASSWORD};
use finhub_testkit::{spawn_app, Resp, TestApp};
use serde_json::{json, Value};

/// A's member with everything the APIs name.
struct Fixture {
    a: KonaProject,
    b: KonaProject,
    user: u64,
    ci: String,
    login: String,
    par: String,
    card_no: String,
    apply: String,
    seq: String,
    nr: String,
    reg: String,
    account: String,
}

async fn fixture(app: &TestApp) -> Fixture {
    let (a, b) = (app.kona_project().await, app.kona_project().await);
    let p = app.sandbox_person("권한", "01055550101", 5_000_000).await;
    let login = "owner@example.com".to_owned();
    let u1 = json!({"ci": p.ci, "loginId": login, "loginPassword": KONA_PASSWORD, "birthDate": "19900304",
        "nationality": "Korean", "gender": "Female", "userName": p.name, "mobileNumber": "01055550101",
        "email": login, "tcIdList": ["29184", "29186", "29187", "29188", "604150"]});
    let m = a.call(app, "U1", &u1).await;
    assert_kona(&m, StatusCode::OK, "000_000");
    let user = m.body["userId"].as_u64().unwrap();
    let (par, card_no) = (
        m.body["basicCardInfo"]["par"].as_str().unwrap().to_owned(),
        m.body["basicCardInfo"]["cardNo"]
            .as_str()
            .unwrap()
            .to_owned(),
    );
    let account = p.accounts[0].num.clone();
    let acc = json!({"userId": user, "bankCode": "004", "bankAccount": account, "bankName": "국민은행",
                     "userName": p.name, "birthDate": "19900304"});
    for id in ["B2", "B3"] {
        assert_kona(&a.call(app, id, &acc).await, StatusCode::OK, "000_000");
    }
    let r = a.call(app, "B4", &acc).await;
    let reg = r.body["bankAccRegNo"].as_str().unwrap().to_owned();
    wait_registered(app, &a, &reg).await;
    let t = a.call(app, "R1", &json!({"cardNo": card_no})).await;
    let seq = "AUTHZ00000000000000000000001".to_owned();
    let charge = json!({"sequenceId": seq, "userId": user, "amount": 10_000, "oneTimeToken": t.body["oneTimeToken"],
                        "dcvv": t.body["dcvv"], "merchantId": a.merchants[0]});
    let c = a.call(app, "R2", &charge).await;
    assert_kona(&c, StatusCode::OK, "000_000");
    let nr = c.body["nrNumber"].as_str().unwrap().to_owned();
    let issue = json!({"userInfo": {"userId": user}, "serviceId": a.services[1], "isDeliveryRequired": true,
        "addressInfo": {"address": "서울시 중구 세종대로 110", "addressDetail": "1층", "zipCode": "04524"}});
    let ap = a.call(app, "C1", &issue).await;
    assert_kona(&ap, StatusCode::OK, "000_000");
    let apply = ap.body["cardApplyNo"].as_str().unwrap().to_owned();
    let ci = p.ci.clone();
    Fixture {
        a,
        b,
        user,
        ci,
        login,
        par,
        card_no,
        apply,
        seq,
        nr,
        reg,
        account,
    }
}

async fn wait_registered(app: &TestApp, kp: &KonaProject, reg: &str) {
    for _ in 0..40 {
        let v = kp.call(app, "B5", &json!({"regNo": reg})).await;
        if v.body["status"] == "BANK_ACC_REGISTERED" {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    panic!("registration {reg} did not settle");
}

/// Each API with a body naming A's things.
fn bodies(f: &Fixture) -> Vec<(&'static str, Value)> {
    let (u, par, card) = (f.user, f.par.as_str(), f.card_no.as_str());
    let acc = json!({"userId": u, "bankCode": "004", "bankAccount": f.account, "bankName": "국민은행",
                     "userName": "권한", "birthDate": "19900304"});
    vec![
        ("U2", json!({"userId": u})),
        (
            "U3",
            json!({"userId": u, "type": "RESET", "newPassword": "246813"}),
        ),
        ("U4", json!({"userId": u, "userName": "탈취"})),
        ("U5", json!({"userId": u})),
        ("U6", json!({"ci": f.ci})),
        ("U7", json!({"ci": f.ci})),
        ("U8", json!({"userId": u})),
        (
            "U9",
            json!({"userId": u, "tcList": [{"tcId": 601151, "isAgree": true}]}),
        ),
        ("U10", json!({"ci": f.ci})),
        (
            "U12",
            json!({"loginId": f.login, "loginPassword": KONA_PASSWORD}),
        ),
        ("U13", json!({"userId": u})),
        ("B2", acc.clone()),
        ("B3", json!({"userId": u})),
        ("B4", acc.clone()),
        ("B5", json!({"regNo": f.reg})),
        ("B6", json!({"userId": u})),
        ("B7", json!({"userId": u})),
        ("B8", json!({"userId": u})),
        ("B9", json!({"userId": u})),
        (
            "B10",
            json!({"userId": u, "bankCode": "004", "bankAccount": f.account}),
        ),
        ("L1", json!({"userId": u, "par": par})),
        (
            "L2",
            json!({"userId": u, "par": par, "corporationName": "탈취", "bizLicenseNo": "1234567890", "registrationNumber": "1101111234567"}),
        ),
        ("L3", json!({"par": par})),
        ("R1", json!({"cardNo": card})),
        (
            "R3",
            json!({"sequenceId": "AUTHZ-CANCEL-1", "userId": u, "nrNumber": f.nr, "oneTimeToken": "1234567890123456", "dcvv": "123"}),
        ),
        ("R4", json!({"sequenceId": f.seq})),
        ("R5", json!({"userId": u, "par": par, "amount": 1000})),
        (
            "R6",
            json!({"userId": u, "par": par, "startDate": "20000101", "endDate": "29991231",
                      "pageRequest": {"page": 0, "pageSize": 100, "sort": "approvalDateTime", "orderByDirection": "DESC"}}),
        ),
        ("C2", json!({"userId": u, "cardApplyNo": f.apply})),
        (
            "C3",
            json!({"userInfo": {"userId": u}, "par": par, "serviceId": f.a.services[0], "isDeliveryRequired": false}),
        ),
        (
            "C4",
            json!({"userInfo": {"userId": u}, "par": par, "serviceId": f.a.services[0], "isDeliveryRequired": false}),
        ),
        ("C5", json!({"userId": u, "cardApplyNo": f.apply})),
        ("C6", json!({"userId": u})),
        ("C8", json!({"userId": u})),
        (
            "C9",
            json!({"cardNo": card, "expiryDate": "3112", "cardCVC": "123"}),
        ),
        ("C10", json!({"userId": u, "par": par, "status": "SUSPEND"})),
        ("C11", json!({"userId": u, "par": par})),
        (
            "C12",
            json!({"userId": u, "par": par, "limits": {"once": 1, "day": 1, "month": 1}}),
        ),
        ("C13", json!({"userId": u, "par": par})),
        ("C14", json!({"par": par})),
        ("C17", json!({"userId": u, "par": par})),
        ("C18", json!({"cardNo": card})),
        (
            "P3",
            json!({"cardNo": card, "amount": 10_000, "nrNumber": f.nr, "merchantId": f.a.merchants[0], "channel": "OPENAPI"}),
        ),
    ]
}

/// A's things that must not appear in anything B is answered.
fn secrets(f: &Fixture) -> Vec<String> {
    vec![
        f.par.clone(),
        f.card_no.clone(),
        f.ci.clone(),
        f.apply.clone(),
        f.nr.clone(),
        f.account.clone(),
    ]
}

fn refused(r: &Resp) -> bool {
    r.body["response"]["code"]
        .as_str()
        .is_some_and(|c| c != "000_000")
}

/// What A sees of its member, to compare before and after.
async fn snapshot(app: &TestApp, f: &Fixture) -> Vec<Value> {
    let mut out = Vec::new();
    for (id, body) in [
        ("U2", json!({"userId": f.user})),
        ("C8", json!({"userId": f.user})),
        ("B6", json!({"userId": f.user})),
        ("C5", json!({"userId": f.user, "cardApplyNo": f.apply})),
    ] {
        let r = f.a.call(app, id, &body).await;
        assert_kona(&r, StatusCode::OK, "000_000");
        out.push(r.body);
    }
    out
}

#[tokio::test]
async fn another_project_never_reads_or_moves_a_projects_members_cards_or_money() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let before = snapshot(&app, &f).await;
    for (id, body) in bodies(&f) {
        let r = f.b.call(&app, id, &body).await;
        assert!(refused(&r), "{id} as project B: {}", r.text);
        for s in secrets(&f) {
            assert!(!r.text.contains(&s), "{id} as B leaks {s}: {}", r.text);
        }
    }
    // The lookups that answer for any project answer nothing of A's.
    let r = f.b.call(&app, "U11", &json!({"loginId": f.login})).await;
    assert_kona(&r, StatusCode::OK, "000_000");
    assert_eq!(r.body["isDuplicated"], false, "{}", r.text);
    // A's card is mapped to nobody in B (C15 answers userId 0 and nothing else).
    let r = f.b.call(&app, "C15", &json!({"cardNo": f.card_no})).await;
    assert_kona(&r, StatusCode::OK, "000_000");
    assert_eq!(r.body["userId"].as_u64().unwrap_or(0), 0, "{}", r.text);
    assert_eq!(r.body.as_object().unwrap().len(), 2, "{}", r.text);
    // A token A took for its card is no use to B.
    let t = f.a.call(&app, "R1", &json!({"cardNo": f.card_no})).await;
    let steal = json!({"sequenceId": "AUTHZ-STEAL-1", "userId": f.user, "amount": 1000,
        "oneTimeToken": t.body["oneTimeToken"], "dcvv": t.body["dcvv"], "merchantId": f.b.merchants[0]});
    assert!(refused(&f.b.call(&app, "R2", &steal).await));
    let pay = json!({"oneTimeToken": t.body["oneTimeToken"], "dcvv": t.body["dcvv"], "amount": 1000,
        "merchantId": f.b.merchants[0], "channel": "OPENAPI", "transactionId": "AUTHZ-STEAL-2"});
    assert!(refused(&f.b.call(&app, "P2", &pay).await));
    assert_eq!(
        snapshot(&app, &f).await,
        before,
        "project B changed project A's member"
    );
}

#[tokio::test]
async fn a_projects_asp_id_with_another_projects_key_or_no_signature_reaches_nothing() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    for (id, body) in bodies(&f) {
        let mut r = f.a.plain(id, &body);
        for h in r.headers.iter_mut() {
            if h.0 == "X-KM-Access-Key" {
                h.1 = f.b.access_key.clone();
            }
        }
        assert_kona(
            &app.kona_send(&r).await,
            StatusCode::UNAUTHORIZED,
            "000_102",
        );
        r.headers.clear();
        assert_kona(
            &app.kona_send(&r).await,
            StatusCode::UNAUTHORIZED,
            "000_101",
        );
    }
    // Signed with B's secret under A's key: the token fails.
    for (id, body) in bodies(&f).into_iter().take(5) {
        let mut r = f.a.plain(id, &body);
        let forged = finhub_testkit::konaplate::tran_token(&f.b.secret_key, r.body.as_bytes());
        for h in r.headers.iter_mut() {
            if h.0 == "X-KM-Tran-Token" {
                h.1 = forged.clone();
            }
        }
        assert_kona(
            &app.kona_send(&r).await,
            StatusCode::UNAUTHORIZED,
            "000_103",
        );
    }
}

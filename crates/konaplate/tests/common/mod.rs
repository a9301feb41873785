//! What the bank and charging suites share: a member with a basic card and
//! a funded bank account of their own, and the ARS registration of it.

#![allow(
    dead_code,
    reason = "each test binary uses its own part of the shared helpers"
)]

use axum::http::StatusCode;
use finhub_core::konaplate::cards::Card;
use finhub_core::konaplate::ids::UserId;
use finhub_core::konaplate::Kona;
use finhub_testkit::konaplate::{assert_kona, KonaProject, KONA_PASSWORD};
use finhub_testkit::{Person, Resp, TestApp};
use serde_json::{json, Value};
use std::sync::Arc;

/// A member of the project, their person, card and bank account.
pub struct Holder {
    pub user_id: u64,
    pub person: Person,
    pub card: Card,
    /// The person's demand account at bank 004 (id, number).
    pub bank_id: String,
    pub bank_num: String,
}

impl Holder {
    /// The bank account's digits, as a client sends them.
    pub fn digits(&self) -> String {
        self.bank_num.chars().filter(char::is_ascii_digit).collect()
    }
    pub fn card_no(&self) -> String {
        self.card.mobile_card_no.as_ref().unwrap().to_string()
    }
    pub fn par(&self) -> String {
        self.card.par.to_string()
    }
}

/// The platform over the test app's store.
pub fn kona(app: &TestApp) -> Kona {
    Kona::new(
        Arc::new(app.store.clone()),
        app.world.clone(),
        Arc::new(finhub_konaplate::crypto::Josekit),
    )
}

fn phone() -> String {
    format!("010{:08}", rand_u32() % 100_000_000)
}

fn rand_u32() -> u32 {
    use std::time::{SystemTime, UNIX_EPOCH};
    let n = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    n ^ std::process::id().rotate_left(7)
        ^ (COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed) * 7919)
}

static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);

/// A person with `balance` won at bank 004, registered through U1 as a
/// member of `kp` (the member is that person), with its basic card.
pub async fn member_with_card(app: &TestApp, kp: &KonaProject, name: &str, balance: i64) -> Holder {
    let person = app.sandbox_person(name, &phone(), balance).await;
    let login = format!("m{}@example.com", rand_u32());
    let u1 = json!({"ci": person.ci, "loginId": login, "loginPassword": KONA_PASSWORD,
        "birthDate": "19900304", "nationality": "Korean", "gender": "Male", "userName": name,
        "mobileNumber": person.phone, "email": login, "joinChannel": "OPENAPI",
        "tcIdList": ["29184", "29186", "29187", "29188"]});
    let r = ok(app, kp, "U1", &u1).await;
    let user_id = r["userId"].as_u64().unwrap();
    let par = r["basicCardInfo"]["par"].as_str().unwrap();
    let card = kona(app)
        .card_of(&kp.project_id, UserId(user_id), par)
        .await
        .unwrap();
    let (bank_id, bank_num) = (
        person.accounts[0].id.clone(),
        person.accounts[0].num.clone(),
    );
    Holder {
        user_id,
        person,
        card,
        bank_id,
        bank_num,
    }
}

/// B5 until the registration leaves ARS_AUTH_IN_PROGRESS (every 250 ms, 8 s at most).
pub async fn poll(app: &TestApp, kp: &KonaProject, reg_no: &str) -> String {
    for _ in 0..32 {
        let r = kp.call(app, "B5", &json!({"regNo": reg_no})).await;
        assert_kona(&r, StatusCode::OK, "000_000");
        let st = r.body["status"].as_str().unwrap().to_owned();
        if st != "ARS_AUTH_IN_PROGRESS" {
            return st;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    panic!("the ARS call never ended");
}

/// B2, B3, B4 and B5 until registered: the member's account is the charge account.
pub async fn register(app: &TestApp, kp: &KonaProject, h: &Holder) {
    let acc = json!({"userId": h.user_id, "bankCode": "004", "bankAccount": h.digits()});
    assert_kona(
        &kp.call_enc(app, "B2", &acc).await,
        StatusCode::OK,
        "000_000",
    );
    let r = kp.call_enc(app, "B3", &json!({"userId": h.user_id})).await;
    assert_kona(&r, StatusCode::OK, "000_000");
    let r = kp.call_enc(app, "B4", &acc).await;
    assert_kona(&r, StatusCode::OK, "000_000");
    let reg = r.body["bankAccRegNo"].as_str().unwrap().to_owned();
    assert_eq!(poll(app, kp, &reg).await, "BANK_ACC_REGISTERED");
}

/// A call expected to succeed; its body.
pub async fn ok(app: &TestApp, kp: &KonaProject, id: &str, body: &Value) -> Value {
    let r: Resp = kp.call(app, id, body).await;
    assert_kona(&r, StatusCode::OK, "000_000");
    r.body
}

/// A call expected to be refused with this code (HTTP 400).
pub async fn refused(app: &TestApp, kp: &KonaProject, id: &str, body: &Value, code: &str) {
    let r = kp.call(app, id, body).await;
    assert_kona(&r, StatusCode::BAD_REQUEST, code);
}

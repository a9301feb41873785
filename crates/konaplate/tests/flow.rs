//! A provider's whole flow with signatures and JWE on for every call:
//! project keys → member registration → bank-account registration →
//! one-time token → charge → card issue and delivery → physical card →
//! payment → payment cancel → charge cancel and next-day refund → history.
//! Money is conserved between the bank account, the cards and the
//! merchants at every step; a bad signature, a stale time, a reused
//! correlation id, an over-cap charge and a wrong or discarded key id each
//! get their code and move nothing.

// Scenario tests read top to bottom in the order things happen; split, they would hide it.
#![allow(clippy::too_many_lines)]

mod common;

use axum::http::{Method, StatusCode};
use common::{kona, poll};
use finhub_core::konaplate::ids::UserId;
use finhub_testkit::konaplate::{
    assert_kona, kst_now, tran_token, KonaProject, KonaRequest, KONA_PASSWORD,
};
use finhub_testkit::{spawn_app, Person, Resp, TestApp};
use serde_json::{json, Value};

/// A call with the body encrypted and the answer decrypted; must succeed.
async fn enc(app: &TestApp, kp: &KonaProject, id: &str, body: Value) -> Value {
    let r = kp.call_enc(app, id, &body).await;
    assert_kona(&r, StatusCode::OK, "000_000");
    r.body
}

/// Bank account, every card of the member, every merchant: what they hold.
async fn holdings(app: &TestApp, kp: &KonaProject, p: &Person, user: u64) -> (i64, i64, i64) {
    let k = kona(app);
    let bank = app.balance_of(&p.accounts[0].id).await;
    let mut cards = 0;
    for c in k.repo.cards_of(&kp.project_id, UserId(user)).await.unwrap() {
        cards += app.balance_of(&c.account_id).await;
    }
    let mut merchants = 0;
    for m in k.repo.merchants(&kp.project_id).await.unwrap() {
        merchants += app.balance_of(&m.account_id).await;
    }
    (bank, cards, merchants)
}

fn header(r: &mut KonaRequest, name: &str, value: &str) {
    r.headers.retain(|(k, _)| k != name);
    r.headers.push((name.to_owned(), value.to_owned()));
}

/// The member registered (U1), its account registered (B2 → B5).
async fn member(app: &TestApp, kp: &KonaProject, p: &Person) -> (u64, String) {
    let u1 = json!({"ci": p.ci, "loginId": "flow@example.com", "loginPassword": KONA_PASSWORD,
        "birthDate": "19900304", "nationality": "Korean", "gender": "Female", "userName": p.name,
        "mobileNumber": p.phone, "email": "flow@example.com", "joinChannel": "OPENAPI",
        "tcIdList": ["29184", "29186", "29187", "29188", "604150"]});
    let m = enc(app, kp, "U1", u1).await;
    let user = m["userId"].as_u64().unwrap();
    let card = m["basicCardInfo"]["cardNo"].as_str().unwrap().to_owned();
    let u2 = enc(app, kp, "U2", json!({"userId": user})).await;
    assert_eq!(u2["userInfo"]["ci"], p.ci.as_str());
    let acc = json!({"userId": user, "bankCode": "004", "bankAccount": p.accounts[0].num.replace('-', ""),
        "bankName": "국민은행", "userName": p.name, "birthDate": "19900304"});
    enc(app, kp, "B2", acc.clone()).await;
    enc(app, kp, "B3", json!({"userId": user})).await;
    let reg = enc(app, kp, "B4", acc).await;
    assert_eq!(
        poll(app, kp, reg["bankAccRegNo"].as_str().unwrap()).await,
        "BANK_ACC_REGISTERED"
    );
    let u13 = enc(app, kp, "U13", json!({"userId": user})).await;
    assert_eq!(u13["isBankAccountVerified"], true);
    (user, card)
}

/// A one-time token of the card: (token, dcvv).
async fn token(app: &TestApp, kp: &KonaProject, card: &str) -> (Value, Value) {
    let t = enc(app, kp, "R1", json!({"cardNo": card})).await;
    (t["oneTimeToken"].clone(), t["dcvv"].clone())
}

/// A delivery card issued (C1), carried to SHIPPING, then registered (C7).
async fn plastic(app: &TestApp, kp: &KonaProject, user: u64) -> Value {
    let issue = json!({"userInfo": {"userId": user}, "serviceId": kp.services[1], "isDeliveryRequired": true,
        "addressInfo": {"address": "서울시 중구 세종대로 110", "addressDetail": "3층", "zipCode": "04524"}});
    let c1 = enc(app, kp, "C1", issue).await;
    let apply = c1["cardApplyNo"].as_str().unwrap();
    let path = format!(
        "/sandbox/konaplate/projects/{}/card-applications/{apply}/delivery",
        kp.project_id
    );
    let d = app
        .kona_sandbox(Method::PUT, &path, Some(&json!({"status": "SHIPPING"})))
        .await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.text);
    let pc = &d.body["physical_card"];
    let c7 = enc(
        app,
        kp,
        "C7",
        json!({"userId": user, "cardApplyNo": apply, "physicalCardNo": pc["card_no"],
        "physicalCardExpDate": pc["expiry_date"], "physicalCardCVC": pc["cvc"]}),
    )
    .await;
    assert_eq!(c7["par"], c1["mobileCardPar"]);
    c7
}

#[tokio::test]
async fn a_providers_whole_flow_with_jwe_conserves_money_and_keeps_its_history() {
    let app = spawn_app().await;
    let kp = app.kona_project().await;
    let p = app.sandbox_person("하나로", "01077778888", 1_000_000).await;
    let (user, card) = member(&app, &kp, &p).await;
    assert_eq!(holdings(&app, &kp, &p, user).await, (1_000_000, 0, 0));

    let (t, dcvv) = token(&app, &kp, &card).await;
    let charge = json!({"sequenceId": "FLOW-CHARGE-1", "userId": user, "amount": 100_000,
        "oneTimeToken": t, "dcvv": dcvv, "merchantId": kp.merchants[0]});
    let charged = enc(&app, &kp, "R2", charge).await;
    assert_eq!(charged["isPending"], false);
    assert_eq!(holdings(&app, &kp, &p, user).await, (900_000, 100_000, 0));
    let r4 = enc(&app, &kp, "R4", json!({"sequenceId": "FLOW-CHARGE-1"})).await;
    assert_eq!(
        (r4["result"].clone(), r4["nrNumber"].clone()),
        (json!("COMPLETED"), charged["nrNumber"].clone())
    );

    let c7 = plastic(&app, &kp, user).await;
    let list = enc(&app, &kp, "C8", json!({"userId": user})).await;
    assert_eq!(list["cardDataInfo"].as_array().unwrap().len(), 2, "{list}");
    assert!(list.to_string().contains(c7["par"].as_str().unwrap()));

    let (t, dcvv) = token(&app, &kp, &card).await;
    let pay = json!({"oneTimeToken": t, "dcvv": dcvv, "amount": 30_000, "merchantId": kp.merchants[0],
        "channel": "OPENAPI", "transactionId": "FLOW-PAY-1"});
    let paid = enc(&app, &kp, "P2", pay).await;
    assert_eq!(paid["balanceAfter"], 70_000);
    assert_eq!(
        holdings(&app, &kp, &p, user).await,
        (900_000, 70_000, 30_000)
    );
    let back = json!({"cardNo": card, "amount": 30_000, "nrNumber": paid["nrNumber"],
        "merchantId": kp.merchants[0], "channel": "OPENAPI"});
    enc(&app, &kp, "P3", back).await;
    assert_eq!(holdings(&app, &kp, &p, user).await, (900_000, 100_000, 0));

    let (t, dcvv) = token(&app, &kp, &card).await;
    let cancel = json!({"sequenceId": "FLOW-CANCEL-1", "userId": user, "nrNumber": charged["nrNumber"],
        "oneTimeToken": t, "dcvv": dcvv});
    enc(&app, &kp, "R3", cancel).await;
    let (bank, cards, merchants) = holdings(&app, &kp, &p, user).await;
    assert_eq!(
        (bank, cards, merchants),
        (900_000, 0, 0),
        "the refund waits for the next day"
    );
    app.advance(86_400).await;
    assert_eq!(holdings(&app, &kp, &p, user).await, (1_000_000, 0, 0));

    let today = kst_now("%Y%m%d");
    let h = enc(&app, &kp, "R6", json!({"userId": user, "startDate": "20000101", "endDate": "29991231",
        "pageRequest": {"page": 0, "pageSize": 100, "sort": "approvalDateTime", "orderByDirection": "ASC"}})).await;
    let rows: Vec<(String, String)> = (h["transactionInfo"].as_array().unwrap().iter())
        .map(|r| {
            (
                r["trType"].as_str().unwrap().to_owned(),
                r["authCancelType"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let want = [
        ("01", "AUTH"),
        ("00", "AUTH"),
        ("00", "CANCEL"),
        ("01", "CANCEL"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(rows, want, "{h} ({today})");
}

/// Send as built; an `encData` answer decrypted.
async fn send(app: &TestApp, kp: &KonaProject, r: KonaRequest) -> Resp {
    kp.opened(app.kona_send(&r).await)
}

/// A charge request of the member, signed and encrypted, ready to spoil.
async fn charge_request(
    app: &TestApp,
    kp: &KonaProject,
    (user, card): (u64, &str),
    seq: &str,
    amount: i64,
) -> KonaRequest {
    let (t, dcvv) = token(app, kp, card).await;
    kp.encrypted(
        "R2",
        &json!({"sequenceId": seq, "userId": user, "amount": amount,
        "oneTimeToken": t, "dcvv": dcvv, "merchantId": kp.merchants[0]}),
    )
}

#[tokio::test]
async fn spoiled_charges_get_their_code_and_move_nothing() {
    let app = spawn_app().await;
    let kp = app.kona_project().await;
    let p = app.sandbox_person("둘리", "01066665555", 2_000_000).await;
    let (user, card) = member(&app, &kp, &p).await;
    let before = holdings(&app, &kp, &p, user).await;

    let mut bad_sig = charge_request(&app, &kp, (user, &card), "SPOIL-1", 1_000).await;
    let forged = tran_token(
        "not the project's secret key at all!!",
        bad_sig.body.as_bytes(),
    );
    header(&mut bad_sig, "X-KM-Tran-Token", &forged);
    assert_kona(
        &send(&app, &kp, bad_sig).await,
        StatusCode::UNAUTHORIZED,
        "000_103",
    );
    let mut stale = charge_request(&app, &kp, (user, &card), "SPOIL-2", 1_000).await;
    header(&mut stale, "X-KM-Tran-Time", "20200101000000");
    assert_kona(
        &send(&app, &kp, stale).await,
        StatusCode::BAD_REQUEST,
        "000_104",
    );
    let mut wrong_key = charge_request(&app, &kp, (user, &card), "SPOIL-3", 1_000).await;
    header(
        &mut wrong_key,
        "X-KM-Crypto-Key-Id",
        "0123456789abcdef0123456789abcdef",
    );
    assert_kona(
        &send(&app, &kp, wrong_key).await,
        StatusCode::BAD_REQUEST,
        "000_105",
    );
    let over = charge_request(&app, &kp, (user, &card), "SPOIL-4", 500_001).await;
    assert_kona(
        &send(&app, &kp, over).await,
        StatusCode::BAD_REQUEST,
        "007_003",
    );
    assert_eq!(holdings(&app, &kp, &p, user).await, before);

    // A charge that applied, then its correlation id reused with another body.
    let first = charge_request(&app, &kp, (user, &card), "SPOIL-5", 10_000).await;
    let cid = first.header("X-KM-Correlation-Id").to_owned();
    let a: Resp = send(&app, &kp, first).await;
    assert_kona(&a, StatusCode::OK, "000_000");
    let mut again = charge_request(&app, &kp, (user, &card), "SPOIL-6", 20_000).await;
    header(&mut again, "X-KM-Correlation-Id", &cid);
    let b = send(&app, &kp, again).await;
    assert_eq!(
        b.body, a.body,
        "a reused correlation id answers the first answer"
    );
    let after = holdings(&app, &kp, &p, user).await;
    assert_eq!(after, (before.0 - 10_000, 10_000, 0));

    // The crypto key discarded: its requests are 000_105 and move nothing.
    let path = format!(
        "/sandbox/konaplate/projects/{}/crypto-keys/{}",
        kp.project_id, kp.crypto_key_id
    );
    let gone = charge_request(&app, &kp, (user, &card), "SPOIL-7", 1_000).await;
    assert_eq!(
        app.kona_sandbox(Method::DELETE, &path, None).await.status,
        StatusCode::OK
    );
    assert_kona(
        &send(&app, &kp, gone).await,
        StatusCode::BAD_REQUEST,
        "000_105",
    );
    assert_eq!(holdings(&app, &kp, &p, user).await, after);
}

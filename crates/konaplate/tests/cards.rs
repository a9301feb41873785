//! Cards (C1–C18, P1) end to end through the signed face, with the
//! physical-card and delivery switches of the sandbox.

// Each test follows one card or application through its life in order; split, it would hide it.
#![allow(clippy::too_many_lines)]

use axum::http::{Method, StatusCode};
use finhub_core::konaplate::cards::held;
use finhub_core::konaplate::ids::UserId;
use finhub_core::ledger::{Direction, EntryKind, Leg, Order, PostingQuery, TransferRequest};
use finhub_core::money::Currency;
use finhub_testkit::konaplate::{assert_kona, KonaProject};
use finhub_testkit::{spawn_app, Resp, TestApp};
use serde_json::{json, Value};

const OK: StatusCode = StatusCode::OK;
const BAD: StatusCode = StatusCode::BAD_REQUEST;

/// A member of the project and its basic card.
struct M {
    user_id: u64,
    person_id: String,
    basic_par: String,
}

/// A member registered through U1: a person of the sandbox's world (the
/// registration names its CI, so the member is that person) and the basic
/// card U1 issues. `deduct`: the DEDUCT term (604150) is agreed too.
async fn member(app: &TestApp, kp: &KonaProject, deduct: bool) -> M {
    let n = UserId::generate().0 % 100_000_000;
    let p = app.sandbox_person("김카드", &format!("010{n:08}"), 0).await;
    let mut terms = vec!["29184", "29186", "29187", "29188"];
    terms.extend(deduct.then_some("604150"));
    let body = json!({
        "ci": p.ci, "loginId": format!("m{n}@example.com"), "loginPassword": "135790",
        "birthDate": "19900304", "nationality": "Korean", "gender": "Male",
        "userName": "김카드", "mobileNumber": p.phone, "email": format!("m{n}@example.com"),
        "joinChannel": "OPENAPI", "tcIdList": terms,
    });
    let r = kp.call(app, "U1", &body).await;
    assert_kona(&r, OK, "000_000");
    M {
        user_id: r.body["userId"].as_u64().expect("userId is a number"),
        person_id: p.person_id,
        basic_par: r.body["basicCardInfo"]["par"].as_str().unwrap().to_owned(),
    }
}

async fn setup() -> (TestApp, KonaProject) {
    let app = spawn_app().await;
    let kp = app.kona_project().await;
    (app, kp)
}

fn address() -> Value {
    json!({"address": "서울시 중구 세종대로 110", "addressDetail": "3층", "zipCode": "04524"})
}

/// C1 of the mobile product (`services[0]`) or with delivery (`services[1]`).
async fn apply(app: &TestApp, kp: &KonaProject, m: &M, delivery: bool) -> Value {
    let body = if delivery {
        json!({"userInfo": {"userId": m.user_id}, "serviceId": kp.services[1],
               "isDeliveryRequired": true, "addressInfo": address()})
    } else {
        json!({"userInfo": {"userId": m.user_id}, "serviceId": kp.services[0]})
    };
    let r = kp.call(app, "C1", &body).await;
    assert_kona(&r, OK, "000_000");
    r.body
}

/// The account behind a card.
async fn account_of(app: &TestApp, kp: &KonaProject, par: &str) -> String {
    use finhub_core::konaplate::cards::CardRepo;
    let c = app.store.card(&kp.project_id, par).await.unwrap().unwrap();
    c.account_id
}

/// Put money on a card as a charge would: one movement from a bank account,
/// with the card's cap counter.
async fn fund(app: &TestApp, kp: &KonaProject, par: &str, amount: i64) -> String {
    let bank = app.sandbox_person("충전자", "01099990000", 1_000_000).await;
    let card = account_of(app, kp, par).await;
    let leg = |account_id: &str, amount_minor: i64| Leg {
        account_id: account_id.to_owned(),
        amount_minor,
        currency: Currency::KRW,
        memo: "충전".into(),
        counterparty: "코나아이".into(),
    };
    let req = TransferRequest {
        scope: "test:fund".into(),
        key: format!("{par}:{amount}"),
        at: app.world.clock.now(),
        kind: EntryKind::Charge,
        legs: vec![leg(&bank.accounts[0].id, -amount), leg(&card, amount)],
        limits: vec![held(&card, amount, Some(500_000))],
        meta: Value::Null,
    };
    assert!(app.world.transfer(req).await.unwrap().result.is_ok());
    bank.accounts[0].id.clone()
}

async fn cards(app: &TestApp, kp: &KonaProject, m: &M) -> Vec<Value> {
    let r = kp.call(app, "C8", &json!({"userId": m.user_id})).await;
    assert_kona(&r, OK, "000_000");
    r.body["cardDataInfo"].as_array().unwrap().clone()
}

async fn delivery(app: &TestApp, kp: &KonaProject, no: &str, status: &str) -> Resp {
    let path = format!(
        "/sandbox/konaplate/projects/{}/card-applications/{no}/delivery",
        kp.project_id
    );
    let body = json!({ "status": status });
    app.kona_sandbox(Method::PUT, &path, Some(&body)).await
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

#[tokio::test]
async fn c1_issues_a_mobile_card_at_once_and_a_delivery_card_with_its_delivery() {
    let (app, kp) = setup().await;
    let m = member(&app, &kp, false).await;
    let b = apply(&app, &kp, &m, false).await;
    assert_eq!(s(&b["cardApplyNo"]).len(), 22);
    assert_eq!(s(&b["mobileCardNo"]).len(), 16);
    assert_eq!(s(&b["mobileCardCVC"]).len(), 3);
    assert_eq!(s(&b["mobileCardPar"]).len(), 27);
    let listed = cards(&app, &kp, &m).await;
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert!(listed.iter().any(|c| c["par"] == b["mobileCardPar"]));
    // A mobile-only application has no delivery to follow.
    let body = json!({"userId": m.user_id, "cardApplyNo": b["cardApplyNo"]});
    assert_kona(&kp.call(&app, "C5", &body).await, BAD, "003_001");
    let r = delivery(&app, &kp, s(&b["cardApplyNo"]), "RECEIPT").await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);

    let user = json!({"userId": m.user_id});
    let cases = [
        (
            json!({"userInfo": user, "serviceId": kp.services[1]}),
            "003_024",
        ),
        (
            json!({"userInfo": user, "serviceId": kp.services[1], "isDeliveryRequired": true}),
            "003_024",
        ),
        (
            json!({"userInfo": user, "serviceId": kp.services[1], "addressInfo": address()}),
            "003_024",
        ),
        (json!({"userInfo": user, "serviceId": "12345"}), "000_002"),
        (
            json!({"userInfo": user, "serviceId": "000170000009999"}),
            "000_002",
        ),
        (json!({"userInfo": user}), "000_003"),
        (json!({"serviceId": kp.services[0]}), "000_003"),
        (
            json!({"userInfo": {"userId": 12345}, "serviceId": kp.services[0]}),
            "001_006",
        ),
    ];
    for (body, code) in cases {
        assert_kona(&kp.call(&app, "C1", &body).await, BAD, code);
    }
    let d = apply(&app, &kp, &m, true).await;
    assert_eq!(s(&d["mobileCardNo"]).len(), 16);
    let body = json!({"userId": m.user_id, "cardApplyNo": d["cardApplyNo"]});
    let r = kp.call(&app, "C5", &body).await;
    assert_kona(&r, OK, "000_000");
    assert_eq!(r.body["status"], "READY");
    // The encrypted form of the request is accepted too (R).
    let body = json!({"userInfo": {"userId": m.user_id}, "serviceId": kp.services[0]});
    assert_kona(&kp.call_enc(&app, "C1", &body).await, OK, "000_000");
}

#[tokio::test]
async fn the_delivery_walks_through_the_switch_and_c7_links_the_plastic_card() {
    let (app, kp) = setup().await;
    let m = member(&app, &kp, false).await;
    let d = apply(&app, &kp, &m, true).await;
    let no = s(&d["cardApplyNo"]).to_owned();
    let r = kp.call(&app, "C6", &json!({"userId": m.user_id})).await;
    assert_kona(&r, OK, "000_000");
    let list = r.body["issuedCardList"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{}", r.text);
    assert_eq!(list[0]["cardApplyNo"], no.as_str());
    assert_eq!(list[0]["issueType"], "ISSUE");
    assert_eq!(list[0]["digital"]["par"], d["mobileCardPar"]);
    assert_eq!(list[0]["digital"]["mobileCardCVC"], d["mobileCardCVC"]);

    let c7 = |card: &Value, cvc: &str| {
        json!({"userId": m.user_id, "cardApplyNo": no, "physicalCardNo": card["card_no"],
               "physicalCardExpDate": card["expiry_date"], "physicalCardCVC": cvc})
    };
    let early = json!({"card_no": "9491330000000000", "expiry_date": "3112"});
    assert_kona(
        &kp.call(&app, "C7", &c7(&early, "123")).await,
        BAD,
        "003_012",
    );
    let r = delivery(&app, &kp, &no, "RECEIPT").await;
    assert_eq!(r.status, OK, "{}", r.text);
    assert_eq!(r.body["status"], "RECEIPT");
    assert!(r.body["physical_card"].is_null(), "{}", r.text);
    let r = delivery(&app, &kp, &no, "SHIPPING").await;
    assert_eq!(r.status, OK, "{}", r.text);
    let card = r.body["physical_card"].clone();
    assert_eq!(s(&card["card_no"]).len(), 16, "{}", r.text);
    assert_eq!(s(&card["expiry_date"]).len(), 4);
    assert_eq!(s(&card["cvc"]).len(), 3);
    assert_eq!(
        delivery(&app, &kp, &no, "RECEIPT").await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        delivery(&app, &kp, &no, "FLYING").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let unknown = "KMA0000000000000000000";
    assert_eq!(
        delivery(&app, &kp, unknown, "RECEIPT").await.status,
        StatusCode::NOT_FOUND
    );

    let cvc = s(&card["cvc"]).to_owned();
    let wrong = if cvc == "000" { "001" } else { "000" };
    assert_kona(
        &kp.call(&app, "C7", &c7(&card, wrong)).await,
        BAD,
        "003_001",
    );
    let mut other = c7(&card, &cvc);
    other["cardApplyNo"] = json!(unknown);
    assert_kona(&kp.call(&app, "C7", &other).await, BAD, "003_013");
    let r = kp.call_enc(&app, "C7", &c7(&card, &cvc)).await;
    assert_kona(&r, OK, "000_000");
    assert_eq!(r.body["par"], d["mobileCardPar"]);
    assert_eq!(r.body["mobileCardNo"], d["mobileCardNo"]);

    // One par for the pair; C8 finds it by the plastic card's number.
    let body = json!({"userId": m.user_id, "physicalCardNo": card["card_no"]});
    let r = kp.call(&app, "C8", &body).await;
    let found = r.body["cardDataInfo"].as_array().unwrap();
    assert_eq!(found.len(), 1, "{}", r.text);
    assert_eq!(found[0]["par"], d["mobileCardPar"]);
    assert_eq!(found[0]["mobileCardNo"], d["mobileCardNo"]);
    assert_eq!(found[0]["physicalCardNo"], card["card_no"]);
    let r = kp.call(&app, "C6", &json!({"userId": m.user_id})).await;
    assert_eq!(r.body["issuedCardList"].as_array().unwrap().len(), 0);
    assert_eq!(delivery(&app, &kp, &no, "ARRIVAL").await.status, OK);
    let body = json!({"userId": m.user_id, "cardApplyNo": no});
    assert_eq!(kp.call(&app, "C5", &body).await.body["status"], "ARRIVAL");
}

#[tokio::test]
async fn c7_refuses_an_application_whose_mobile_card_is_terminated() {
    let (app, kp) = setup().await;
    let m = member(&app, &kp, false).await;
    let d = apply(&app, &kp, &m, true).await;
    let no = s(&d["cardApplyNo"]).to_owned();
    let r = delivery(&app, &kp, &no, "ARRIVAL").await;
    let card = r.body["physical_card"].clone();
    let body = json!({"userId": m.user_id, "par": d["mobileCardPar"]});
    assert_kona(&kp.call(&app, "C11", &body).await, OK, "000_000");
    let body = json!({"userId": m.user_id, "cardApplyNo": no, "physicalCardNo": card["card_no"],
                      "physicalCardExpDate": card["expiry_date"], "physicalCardCVC": card["cvc"]});
    assert_kona(&kp.call(&app, "C7", &body).await, BAD, "003_014");
}

#[tokio::test]
async fn c2_cancels_only_on_the_day_and_before_pre_shipping() {
    let (app, kp) = setup().await;
    let m = member(&app, &kp, false).await;
    let a = apply(&app, &kp, &m, true).await;
    let b = apply(&app, &kp, &m, true).await;
    let c = apply(&app, &kp, &m, true).await;
    let cancel = |v: &Value| json!({"userId": m.user_id, "cardApplyNo": v["cardApplyNo"]});
    let r = kp.call(&app, "C2", &cancel(&a)).await;
    assert_kona(&r, OK, "000_000");
    assert_eq!(r.body["par"], a["mobileCardPar"]);
    assert_eq!(r.body["mobileCardNo"], a["mobileCardNo"]);
    assert_eq!(
        kp.call(&app, "C5", &cancel(&a)).await.body["status"],
        "CANCEL"
    );
    assert!(!cards(&app, &kp, &m)
        .await
        .iter()
        .any(|x| x["par"] == a["mobileCardPar"]));
    assert_kona(&kp.call(&app, "C2", &cancel(&a)).await, BAD, "003_003");
    let r = delivery(&app, &kp, s(&a["cardApplyNo"]), "RECEIPT").await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert_eq!(r.body["error"], "conflict");

    assert_eq!(
        delivery(&app, &kp, s(&b["cardApplyNo"]), "PRE_SHIPPING")
            .await
            .status,
        OK
    );
    assert_kona(&kp.call(&app, "C2", &cancel(&b)).await, BAD, "003_003");
    let unknown = json!({"userId": m.user_id, "cardApplyNo": "KMA0000000000000000000"});
    assert_kona(&kp.call(&app, "C2", &unknown).await, BAD, "003_013");

    app.advance(24 * 3600).await;
    assert_kona(&kp.call(&app, "C2", &cancel(&c)).await, BAD, "003_002");
}

#[tokio::test]
async fn a_pre_issued_card_is_seen_by_c9_and_registered_by_c7_without_an_application() {
    let (app, kp) = setup().await;
    let m = member(&app, &kp, false).await;
    let path = format!(
        "/sandbox/konaplate/projects/{}/physical-cards",
        kp.project_id
    );
    let r = app.kona_sandbox(Method::POST, &path, None).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let p = r.body.clone();
    assert_eq!(s(&p["card_no"]).len(), 16);
    assert_eq!(s(&p["expiry_date"]).len(), 4);
    assert_eq!(s(&p["cvc"]).len(), 3);
    assert_eq!(p["service_id"], kp.services[0].as_str());
    let bad = app
        .kona_sandbox(Method::POST, &path, Some(&json!({"service_id": "1"})))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
    let plastic = json!({"service_id": kp.services[1]});
    let r2 = app.kona_sandbox(Method::POST, &path, Some(&plastic)).await;
    assert_eq!(r2.status, StatusCode::CREATED, "{}", r2.text);
    assert_eq!(r2.body["service_id"], kp.services[1].as_str());
    let wrong = if s(&p["cvc"]) == "000" { "001" } else { "000" };

    let c9 =
        |cvc: &str| json!({"cardNo": p["card_no"], "expiryDate": p["expiry_date"], "cardCVC": cvc});
    let r = kp.call_enc(&app, "C9", &c9(s(&p["cvc"]))).await;
    assert_kona(&r, OK, "000_000");
    assert_eq!(r.body["isRegistered"], false);
    assert_eq!(r.body["cardStatus"], "INACTIVE");
    assert_eq!(r.body["balance"], 0);
    let pre_par = r.body["par"].clone();
    assert_eq!(s(&pre_par).len(), 27);
    assert_kona(&kp.call(&app, "C9", &c9(wrong)).await, BAD, "003_001");
    let r = kp.call(&app, "C15", &json!({"cardNo": p["card_no"]})).await;
    assert_kona(&r, OK, "000_000");
    assert_eq!(r.body["userId"], 0);

    let c7 = |exp: &Value| {
        json!({"userId": m.user_id, "physicalCardNo": p["card_no"],
                                  "physicalCardExpDate": exp, "physicalCardCVC": p["cvc"]})
    };
    assert_kona(
        &kp.call(&app, "C7", &c7(&json!("0101"))).await,
        BAD,
        "003_001",
    );
    let r = kp.call(&app, "C7", &c7(&p["expiry_date"])).await;
    assert_kona(&r, OK, "000_000");
    assert_eq!(r.body["par"], pre_par);
    assert_eq!(s(&r.body["mobileCardNo"]).len(), 16);
    let listed = cards(&app, &kp, &m).await;
    let card = listed.iter().find(|c| c["par"] == pre_par).unwrap();
    assert_eq!(card["physicalCardNo"], p["card_no"]);
    assert_eq!(card["mobileCardNo"], r.body["mobileCardNo"]);

    let r = kp.call(&app, "C9", &c9(s(&p["cvc"]))).await;
    assert_eq!(r.body["isRegistered"], true, "{}", r.text);
    assert_eq!(r.body["cardStatus"], "ACTIVE");
    let r = kp.call(&app, "C15", &json!({"cardNo": p["card_no"]})).await;
    assert_eq!(r.body["userId"], m.user_id, "{}", r.text);
    // A second registration of the same plastic card.
    let other = member(&app, &kp, false).await;
    let mut again = c7(&p["expiry_date"]);
    again["userId"] = json!(other.user_id);
    assert_kona(&kp.call(&app, "C7", &again).await, BAD, "003_001");
}

#[tokio::test]
async fn c8_c15_and_c18_answer_encrypted_to_the_client_key() {
    let (app, kp) = setup().await;
    let m = member(&app, &kp, false).await;
    let b = apply(&app, &kp, &m, false).await;
    let raw = app
        .kona_send(&kp.encrypted("C8", &json!({"userId": m.user_id})))
        .await;
    assert!(raw.body["encData"].is_string(), "{}", raw.text);
    let r = kp.opened(raw);
    assert_kona(&r, OK, "000_000");
    let list = r.body["cardDataInfo"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    let c = list
        .iter()
        .find(|c| c["par"] == b["mobileCardPar"])
        .unwrap();
    for k in [
        "balance",
        "pendingAmount",
        "isNamed",
        "serviceId",
        "serviceName",
        "expiryDate",
        "mobileCardNo",
        "physicalCardNo",
        "mobileCardStatus",
        "limits",
    ] {
        assert!(c.get(k).is_some(), "{k}: {c}");
    }
    assert_eq!(c["mobileCardStatus"], "ACTIVE");
    assert_eq!(c["balance"], 0);
    let one = json!({"userId": m.user_id, "par": b["mobileCardPar"]});
    let r = kp.call_enc(&app, "C8", &one).await;
    assert_eq!(r.body["cardDataInfo"].as_array().unwrap().len(), 1);

    let raw = app
        .kona_send(&kp.encrypted("C15", &json!({"cardNo": b["mobileCardNo"]})))
        .await;
    assert!(raw.body["encData"].is_string(), "{}", raw.text);
    let r = kp.opened(raw);
    assert_eq!(r.body["userId"], m.user_id);
    assert_eq!(r.body["serviceId"], kp.services[0].as_str());

    let raw = app
        .kona_send(&kp.encrypted("C18", &json!({"cardNo": b["mobileCardNo"]})))
        .await;
    assert!(raw.body["encData"].is_string(), "{}", raw.text);
    let r = kp.opened(raw);
    assert_kona(&r, OK, "000_000");
    let no = s(&r.body["accountNo"]).to_owned();
    assert!(!no.is_empty() && no.len() <= 20 && no.bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(s(&r.body["bankCode"]).len(), 3);
    assert_eq!(r.body["connectType"], "FIXED");
    let again = kp
        .call(&app, "C18", &json!({"cardNo": b["mobileCardNo"]}))
        .await;
    assert_eq!(again.body["accountNo"], no.as_str(), "{}", again.text);
    let unknown = kp
        .call(&app, "C18", &json!({"cardNo": "1111222233334444"}))
        .await;
    assert_kona(&unknown, BAD, "003_001");
    assert_kona(
        &kp.call(&app, "C18", &json!({"cardNo": "12"})).await,
        BAD,
        "000_015",
    );
}

#[tokio::test]
async fn c10_suspends_and_resumes_only() {
    let (app, kp) = setup().await;
    let m = member(&app, &kp, false).await;
    let other = member(&app, &kp, false).await;
    let b = apply(&app, &kp, &m, false).await;
    let st = |par: &Value, status: &str| json!({"userId": m.user_id, "par": par, "status": status});
    let r = kp
        .call(&app, "C10", &st(&b["mobileCardPar"], "SUSPEND"))
        .await;
    assert_kona(&r, OK, "000_000");
    assert_eq!(r.body["cardStatus"], "SUSPENDED");
    let listed = cards(&app, &kp, &m).await;
    let c = listed
        .iter()
        .find(|c| c["par"] == b["mobileCardPar"])
        .unwrap();
    assert_eq!(c["mobileCardStatus"], "SUSPENDED");
    let by_no = json!({"userId": m.user_id, "cardNo": b["mobileCardNo"], "status": "RESUME"});
    let r = kp.call(&app, "C10", &by_no).await;
    assert_kona(&r, OK, "000_000");
    assert_eq!(r.body["cardStatus"], "ACTIVE");
    for wrong in ["ACTIVE", "CLOSE"] {
        assert_kona(
            &kp.call(&app, "C10", &st(&b["mobileCardPar"], wrong)).await,
            BAD,
            "000_002",
        );
    }
    let unknown = json!(finhub_core::konaplate::ids::Par::generate().as_str());
    assert_kona(
        &kp.call(&app, "C10", &st(&unknown, "SUSPEND")).await,
        BAD,
        "003_021",
    );
    let theirs = json!(other.basic_par);
    assert_kona(
        &kp.call(&app, "C10", &st(&theirs, "SUSPEND")).await,
        BAD,
        "003_021",
    );
    let body = json!({"userId": m.user_id, "par": b["mobileCardPar"]});
    assert_kona(&kp.call(&app, "C11", &body).await, OK, "000_000");
    assert_kona(
        &kp.call(&app, "C10", &st(&b["mobileCardPar"], "RESUME"))
            .await,
        BAD,
        "003_022",
    );
    let nobody = json!({"userId": 12345, "par": b["mobileCardPar"], "status": "SUSPEND"});
    assert_kona(&kp.call(&app, "C10", &nobody).await, BAD, "001_006");
}

#[tokio::test]
async fn c3_replaces_a_suspended_card_and_moves_its_balance_in_one_movement() {
    let (app, kp) = setup().await;
    let m = member(&app, &kp, false).await;
    let b = apply(&app, &kp, &m, false).await;
    let old = s(&b["mobileCardPar"]).to_owned();
    let bank = fund(&app, &kp, &old, 30_000).await;
    let before = app.balance_of(&bank).await + 30_000;
    let body = json!({"userInfo": {"userId": m.user_id}, "par": old});
    assert_kona(&kp.call(&app, "C3", &body).await, BAD, "003_025");
    let st = json!({"userId": m.user_id, "par": old, "status": "SUSPEND"});
    assert_kona(&kp.call(&app, "C10", &st).await, OK, "000_000");
    let r = kp.call(&app, "C3", &body).await;
    assert_kona(&r, OK, "000_000");
    let new = s(&r.body["mobileCardPar"]).to_owned();
    assert_ne!(new, old);
    assert_eq!(s(&r.body["cardApplyNo"]).len(), 22);
    let new_acc = account_of(&app, &kp, &new).await;
    let old_acc = account_of(&app, &kp, &old).await;
    assert_eq!(app.balance_of(&new_acc).await, 30_000);
    assert_eq!(app.balance_of(&old_acc).await, 0);
    assert_eq!(
        app.balance_of(&bank).await + app.balance_of(&new_acc).await,
        before
    );
    let q = PostingQuery {
        account_id: new_acc.clone(),
        from: app.world.clock.now() - chrono::Duration::days(1),
        to: app.world.clock.now() + chrono::Duration::days(1),
        direction: Direction::All,
        order: Order::Asc,
        after: None,
        limit: 10,
    };
    let postings = app.world.postings(&q).await.unwrap();
    assert_eq!(postings.len(), 1, "{postings:?}");
    assert_eq!(postings[0].amount_minor, 30_000);
    let listed = cards(&app, &kp, &m).await;
    assert!(listed.iter().all(|c| c["par"] != old.as_str()));
    let c = listed.iter().find(|c| c["par"] == new.as_str()).unwrap();
    assert_eq!(c["balance"], 30_000);
    // The old card is terminated now: a second reissue is refused.
    assert_kona(&kp.call(&app, "C3", &body).await, BAD, "003_025");
    let unknown = json!({"userInfo": {"userId": m.user_id},
                         "par": finhub_core::konaplate::ids::Par::generate().as_str()});
    assert_kona(&kp.call(&app, "C3", &unknown).await, BAD, "003_021");
}

#[tokio::test]
async fn c4_renews_only_within_sixty_days_of_expiry() {
    let (app, kp) = setup().await;
    let m = member(&app, &kp, false).await;
    let b = apply(&app, &kp, &m, false).await;
    let par = s(&b["mobileCardPar"]).to_owned();
    let body = json!({"userInfo": {"userId": m.user_id}, "par": par});
    assert_kona(&kp.call(&app, "C4", &body).await, BAD, "003_026");
    let listed = cards(&app, &kp, &m).await;
    let c = listed.iter().find(|c| c["par"] == par.as_str()).unwrap();
    let expiry = chrono::NaiveDate::parse_from_str(s(&c["expiryDate"]), "%y%m%d").unwrap();
    let at = (expiry - chrono::Duration::days(30))
        .and_hms_opt(3, 0, 0)
        .unwrap();
    app.set_now(&format!("{}Z", at.format("%Y-%m-%dT%H:%M:%S")))
        .await;
    let r = kp.call(&app, "C4", &body).await;
    assert_kona(&r, OK, "000_000");
    assert_ne!(r.body["mobileCardPar"], par.as_str());
    let listed = cards(&app, &kp, &m).await;
    assert!(listed.iter().all(|c| c["par"] != par.as_str()));
    assert!(listed.iter().any(|c| c["par"] == r.body["mobileCardPar"]));
}

#[tokio::test]
async fn c11_keeps_the_basic_card_and_money_and_takes_sub_cards_with_the_main() {
    let (app, kp) = setup().await;
    let m = member(&app, &kp, false).await;
    let term = |par: &Value| json!({"userId": m.user_id, "par": par});
    assert_kona(
        &kp.call(&app, "C11", &term(&json!(m.basic_par))).await,
        BAD,
        "001_059",
    );
    let rich = apply(&app, &kp, &m, false).await;
    fund(&app, &kp, s(&rich["mobileCardPar"]), 1_000).await;
    assert_kona(
        &kp.call(&app, "C11", &term(&rich["mobileCardPar"])).await,
        BAD,
        "001_052",
    );
    let main = apply(&app, &kp, &m, false).await;
    let sub = apply(&app, &kp, &m, false).await;
    let r = kp.call(&app, "C17", &term(&main["mobileCardPar"])).await;
    assert_kona(&r, OK, "000_000");
    assert_eq!(r.body["isMain"], true);
    // The main card's sub cards must be empty too.
    assert_kona(
        &kp.call(&app, "C11", &term(&main["mobileCardPar"])).await,
        BAD,
        "001_052",
    );
    let r = kp.call(&app, "C17", &term(&sub["mobileCardPar"])).await;
    assert_kona(&r, OK, "000_000");
    let r = kp.call(&app, "C11", &term(&sub["mobileCardPar"])).await;
    assert_kona(&r, BAD, "001_052");
    let listed = cards(&app, &kp, &m).await;
    assert_eq!(listed.iter().filter(|c| c["isMain"] == true).count(), 1);
    // Without the rich card, the main card takes the other one with it.
    let p = kp.call(&app, "C17", &term(&main["mobileCardPar"])).await;
    assert_kona(&p, OK, "000_000");
    let fresh = member(&app, &kp, false).await;
    let main2 = apply(&app, &kp, &fresh, false).await;
    let sub2 = apply(&app, &kp, &fresh, false).await;
    let t2 = |par: &Value| json!({"userId": fresh.user_id, "par": par});
    assert_kona(
        &kp.call(&app, "C17", &t2(&main2["mobileCardPar"])).await,
        OK,
        "000_000",
    );
    let r = kp.call(&app, "C11", &t2(&main2["mobileCardPar"])).await;
    assert_kona(&r, OK, "000_000");
    assert_eq!(r.body["cardStatus"], "TERMINATED");
    let left = cards(&app, &kp, &fresh).await;
    assert_eq!(left.len(), 1, "{left:?}");
    assert_eq!(left[0]["par"], fresh.basic_par.as_str());
    assert_kona(
        &kp.call(&app, "C11", &t2(&sub2["mobileCardPar"])).await,
        BAD,
        "003_022",
    );
}

#[tokio::test]
async fn c12_stores_limits_that_c8_shows() {
    let (app, kp) = setup().await;
    let m = member(&app, &kp, false).await;
    let body = json!({"userId": m.user_id, "par": m.basic_par,
                      "limits": {"once": 10_000, "day": 50_000, "month": 0}});
    let r = kp.call(&app, "C12", &body).await;
    assert_kona(&r, OK, "000_000");
    assert_eq!(r.body["limits"]["day"], 50_000);
    let listed = cards(&app, &kp, &m).await;
    assert_eq!(
        listed[0]["limits"],
        json!({"day": 50_000, "once": 10_000, "month": 0})
    );
    let missing = json!({"userId": m.user_id, "par": m.basic_par});
    assert_kona(&kp.call(&app, "C12", &missing).await, BAD, "000_003");
    let neg = json!({"userId": m.user_id, "par": m.basic_par,
                     "limits": {"once": -1, "day": 0, "month": 0}});
    assert_kona(&kp.call(&app, "C12", &neg).await, BAD, "000_002");
    let short =
        json!({"userId": m.user_id, "par": "Q1ABC", "limits": {"once": 0, "day": 0, "month": 0}});
    assert_kona(&kp.call(&app, "C12", &short).await, BAD, "000_015");
}

#[tokio::test]
async fn c13_needs_the_deduct_term_and_c14_reads_it_back() {
    let (app, kp) = setup().await;
    let without = member(&app, &kp, false).await;
    let body = json!({"userId": without.user_id, "par": without.basic_par});
    assert_kona(&kp.call(&app, "C13", &body).await, BAD, "001_079");
    let r = kp
        .call(&app, "C14", &json!({"par": without.basic_par}))
        .await;
    assert_kona(&r, OK, "000_000");
    assert!(r.body.get("deductionDate").is_none(), "{}", r.text);

    let m = member(&app, &kp, true).await;
    let body = json!({"userId": m.user_id, "par": m.basic_par});
    let r = kp.call_enc(&app, "C13", &body).await;
    assert_kona(&r, OK, "000_000");
    assert_eq!(r.body["par"], m.basic_par.as_str());
    let today: u64 = app.today().parse().unwrap();
    assert_eq!(r.body["deductionDate"], today);
    let created = s(&r.body["created"]).to_owned();
    assert_eq!(created.len(), 14);
    let r = kp.call(&app, "C14", &json!({"par": m.basic_par})).await;
    assert_eq!(r.body["deductionDate"], today);
    assert_eq!(r.body["created"], created.as_str());
    let unknown = json!({"par": finhub_core::konaplate::ids::Par::generate().as_str()});
    assert_kona(&kp.call(&app, "C14", &unknown).await, BAD, "003_021");
    let _ = &m.person_id;
}

#[tokio::test]
async fn another_projects_cards_are_not_seen() {
    let (app, kp) = setup().await;
    let other = app.kona_project().await;
    let m = member(&app, &kp, false).await;
    let them = member(&app, &other, false).await;
    let b = apply(&app, &kp, &m, false).await;
    // Their member with our par.
    let st = json!({"userId": them.user_id, "par": b["mobileCardPar"], "status": "SUSPEND"});
    assert_kona(&other.call(&app, "C10", &st).await, BAD, "003_021");
    // Our member is unknown to them.
    let body = json!({"userId": m.user_id});
    assert_kona(&other.call(&app, "C8", &body).await, BAD, "001_006");
    let r = other
        .call(&app, "C15", &json!({"cardNo": b["mobileCardNo"]}))
        .await;
    assert_kona(&r, OK, "000_000");
    assert_eq!(r.body["userId"], 0);
    assert!(r.body.get("balance").is_none());
    let r = other
        .call(&app, "C18", &json!({"cardNo": b["mobileCardNo"]}))
        .await;
    assert_kona(&r, BAD, "003_001");
    let body =
        json!({"cardNo": b["mobileCardNo"], "expiryDate": "3112", "cardCVC": b["mobileCardCVC"]});
    assert_kona(&other.call(&app, "C9", &body).await, BAD, "003_001");
    assert_kona(
        &other
            .call(&app, "C14", &json!({"par": b["mobileCardPar"]}))
            .await,
        BAD,
        "003_021",
    );
    // Their sandbox cannot move our delivery.
    let d = apply(&app, &kp, &m, true).await;
    let r = delivery(&app, &other, s(&d["cardApplyNo"]), "RECEIPT").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
}

#[tokio::test]
async fn p1_answers_the_wrong_issue_type_for_a_prepaid_product() {
    let (app, kp) = setup().await;
    let m = member(&app, &kp, false).await;
    let body = json!({"userInfo": {"userId": m.user_id}, "serviceId": kp.services[0]});
    assert_kona(&kp.call(&app, "P1", &body).await, BAD, "003_061");
    let body = json!({"userInfo": {"userId": m.user_id}, "serviceId": "000170000009999"});
    assert_kona(&kp.call(&app, "P1", &body).await, BAD, "000_002");
    let body = json!({"userInfo": {"userId": 12345}, "serviceId": kp.services[0]});
    assert_kona(&kp.call(&app, "P1", &body).await, BAD, "001_006");
}

#[tokio::test]
async fn c6_and_c5_answer_for_the_member_only() {
    let (app, kp) = setup().await;
    let m = member(&app, &kp, false).await;
    let other = member(&app, &kp, false).await;
    let d = apply(&app, &kp, &m, true).await;
    let r = kp.call(&app, "C6", &json!({"userId": other.user_id})).await;
    assert_kona(&r, OK, "000_000");
    assert_eq!(r.body["issuedCardList"], json!([]));
    let theirs = json!({"userId": other.user_id, "cardApplyNo": d["cardApplyNo"]});
    assert_kona(&kp.call(&app, "C5", &theirs).await, BAD, "003_001");
    assert_kona(&kp.call(&app, "C2", &theirs).await, BAD, "003_013");
    let short = json!({"userId": m.user_id, "cardApplyNo": "KMA1"});
    assert_kona(&kp.call(&app, "C5", &short).await, BAD, "000_015");
    assert_kona(&kp.call(&app, "C6", &json!({})).await, BAD, "000_003");
}

#[tokio::test]
async fn terminated_and_unknown_cards_are_refused_and_a_replayed_reissue_moves_once() {
    let (app, kp) = setup().await;
    let m = member(&app, &kp, true).await;
    let b = apply(&app, &kp, &m, false).await;
    let par = b["mobileCardPar"].clone();
    let unknown = json!(finhub_core::konaplate::ids::Par::generate().as_str());
    let limits = json!({"once": 0, "day": 0, "month": 0});
    for id in ["C11", "C12", "C13", "C17"] {
        let body = json!({"userId": m.user_id, "par": unknown, "limits": limits});
        assert_kona(&kp.call(&app, id, &body).await, BAD, "003_021");
    }
    fund(&app, &kp, s(&par), 7_000).await;
    let st = json!({"userId": m.user_id, "par": par, "status": "SUSPEND"});
    assert_kona(&kp.call(&app, "C10", &st).await, OK, "000_000");
    // The same request (same correlation id) twice: one answer, one movement.
    let req = kp.plain(
        "C3",
        &json!({"userInfo": {"userId": m.user_id}, "par": par}),
    );
    let first = app.kona_send(&req).await;
    assert_kona(&first, OK, "000_000");
    let again = app.kona_send(&req).await;
    assert_eq!(again.body, first.body);
    let listed = cards(&app, &kp, &m).await;
    assert_eq!(listed.len(), 2, "{listed:?}");
    let new = listed
        .iter()
        .find(|c| c["par"] == first.body["mobileCardPar"])
        .unwrap();
    assert_eq!(new["balance"], 7_000);
    for id in ["C11", "C12", "C13", "C17"] {
        let body = json!({"userId": m.user_id, "par": par, "limits": limits});
        assert_kona(&kp.call(&app, id, &body).await, BAD, "003_022");
    }
    let body = json!({"cardNo": b["mobileCardNo"]});
    assert_kona(&kp.call(&app, "C18", &body).await, BAD, "003_022");
    // The whole face is served again under /open-api.
    let mut r = kp.plain("C8", &json!({"userId": m.user_id}));
    r.path = format!("/open-api{}", r.path);
    let r = app.kona_send(&r).await;
    assert_kona(&r, OK, "000_000");
    assert_eq!(r.body["cardDataInfo"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn every_cards_api_is_in_the_faces_document_with_its_request_body() {
    let doc = serde_json::to_value(finhub_konaplate::openapi()).unwrap();
    let ids = (1..=18).map(|n| format!("C{n}")).chain(["P1".to_owned()]);
    for id in ids {
        let path = finhub_konaplate::catalogue::by_id(&id).path;
        let op = &doc["paths"][path]["post"];
        assert_eq!(op["tags"][0], "cards", "{id} {path}");
        let schema = &op["requestBody"]["content"]["application/json"]["schema"];
        let name = schema["$ref"].as_str().expect(&id);
        let name = name.trim_start_matches("#/components/schemas/");
        let props = &doc["components"]["schemas"][name]["properties"];
        assert!(props.is_object(), "{id} {name}");
        if id != "P1" {
            assert!(op["responses"]["200"].is_object(), "{id}");
        }
    }
    // Numbers where the handlers take numbers; nested objects described.
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["CardApplicationRequest"]["properties"]["userId"]["type"],
        "integer"
    );
    assert_eq!(
        schemas["MemberRef"]["properties"]["userId"]["type"],
        "integer"
    );
    let c7 = &schemas["PhysicalRegisterRequest"];
    assert!(c7["properties"]["physicalCardCVC"].is_object(), "{c7}");
    let required = c7["required"].as_array().unwrap();
    assert!(required.contains(&json!("userId")), "{c7}");
    assert!(!required.contains(&json!("cardApplyNo")), "{c7}");
}

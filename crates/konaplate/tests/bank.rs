//! Bank accounts (B1–B10) against the world's accounts: the real-name
//! check, the ARS code and the async registration polled through B5, the
//! registered account, auto-recharge, deletion and the 1-KRW verification.

mod common;

use axum::http::{Method, StatusCode};
use common::{member_with_card, ok, poll, refused, register, Holder};
use finhub_testkit::konaplate::{assert_kona, KonaProject};
use finhub_testkit::{spawn_app, TestApp};
use serde_json::{json, Value};

async fn setup() -> (TestApp, KonaProject, Holder) {
    let app = spawn_app().await;
    let kp = app.kona_project().await;
    let h = member_with_card(&app, &kp, "김코나", 100_000).await;
    (app, kp, h)
}

fn acc(h: &Holder) -> Value {
    json!({"userId": h.user_id, "bankCode": "004", "bankAccount": h.bank_num})
}

async fn outage(app: &TestApp, code: &str, status: &str) {
    let path = format!("/sandbox/institutions/{code}/status");
    let r = app
        .admin(Method::PUT, &path, Some(json!({"status": status})))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
}

#[tokio::test]
async fn b1_lists_the_reference_banks_the_world_holds_and_whether_each_is_up() {
    let (app, kp, _) = setup().await;
    let b = ok(&app, &kp, "B1", &json!({})).await;
    let list = b["bankList"].as_array().unwrap();
    assert!(list.len() >= 5, "{b}");
    for e in list {
        assert_eq!(e["bankCode"].as_str().unwrap().len(), 3);
        let name = e["bankName"].as_str().unwrap();
        assert!((1..=10).contains(&name.chars().count()), "{name}");
    }
    let kb = |b: &Value| {
        b["bankList"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["bankCode"] == "004")
            .unwrap()["isAvailable"]
            .clone()
    };
    assert_eq!(kb(&b), true);
    outage(&app, "004", "outage").await;
    assert_eq!(kb(&ok(&app, &kp, "B1", &json!({})).await), false);
}

#[tokio::test]
async fn b2_passes_the_members_own_account_and_refuses_the_others() {
    let (app, kp, h) = setup().await;
    // Hyphens or not, the digits decide.
    ok(&app, &kp, "B2", &acc(&h)).await;
    let mut digits = acc(&h);
    digits["bankAccount"] = h.digits().into();
    digits["userName"] = "김코나".into();
    digits["birthDate"] = "19900304".into();
    let r = kp.call_enc(&app, "B2", &digits).await;
    assert_kona(&r, StatusCode::OK, "000_000");
    let mut born = digits.clone();
    born["birthDate"] = "19911111".into();
    refused(&app, &kp, "B2", &born, "002_020").await;
    let mut unknown = acc(&h);
    unknown["bankAccount"] = "99999999999999".into();
    refused(&app, &kp, "B2", &unknown, "002_016").await;
    let mut bank = acc(&h);
    bank["bankCode"] = "088".into();
    refused(&app, &kp, "B2", &bank, "002_016").await;
    let other = member_with_card(&app, &kp, "이코나", 0).await;
    let mut theirs = acc(&h);
    theirs["bankAccount"] = other.bank_num.clone().into();
    refused(&app, &kp, "B2", &theirs, "002_020").await;
    refused(
        &app,
        &kp,
        "B2",
        &json!({"bankCode": "004", "bankAccount": "1"}),
        "000_003",
    )
    .await;
    let mut nobody = acc(&h);
    nobody["userId"] = 12345.into();
    refused(&app, &kp, "B2", &nobody, "001_006").await;
    let mut code = acc(&h);
    code["bankCode"] = "04".into();
    refused(&app, &kp, "B2", &code, "000_015").await;
}

#[tokio::test]
async fn registration_runs_the_ars_call_then_b6_to_b9_read_and_change_it() {
    let (app, kp, h) = setup().await;
    let user = json!({"userId": h.user_id});
    // No real-name pass yet: the account cannot be registered.
    refused(&app, &kp, "B4", &acc(&h), "002_016").await;
    refused(&app, &kp, "B6", &user, "007_001").await;
    ok(&app, &kp, "B2", &acc(&h)).await;
    let code = ok(&app, &kp, "B3", &user).await["authNumber"].clone();
    let code = code.as_str().unwrap();
    assert!(
        code.len() == 2 && code.bytes().all(|b| b.is_ascii_digit()),
        "{code}"
    );
    let r = ok(&app, &kp, "B4", &acc(&h)).await;
    let reg = r["bankAccRegNo"].as_str().unwrap().to_owned();
    assert_eq!(reg.len(), 22);
    let started = std::time::Instant::now();
    let b5 = ok(&app, &kp, "B5", &json!({"regNo": reg})).await;
    assert_eq!(b5["status"], "ARS_AUTH_IN_PROGRESS");
    refused(&app, &kp, "B4", &acc(&h), "002_013").await;
    let mut unchecked = acc(&h);
    unchecked["bankAccount"] = "11112222333344".into();
    refused(&app, &kp, "B4", &unchecked, "002_013").await;
    assert_eq!(poll(&app, &kp, &reg).await, "BANK_ACC_REGISTERED");
    let took = started.elapsed().as_millis();
    assert!((1_000..=5_500).contains(&took), "{took} ms");
    // Final: read again, the same.
    assert_eq!(
        ok(&app, &kp, "B5", &json!({"regNo": reg})).await["status"],
        "BANK_ACC_REGISTERED"
    );
    let r = kp.call_enc(&app, "B6", &user).await;
    assert_kona(&r, StatusCode::OK, "000_000");
    let info = &r.body["accountInfo"];
    assert_eq!(r.body["userId"], h.user_id);
    assert_eq!(info["accountId"].as_str().unwrap().len(), 5);
    assert_eq!(info["userName"], "김코나");
    assert_eq!(info["bankAccount"], h.digits());
    assert_eq!(info["bankCode"], "004");
    assert!(info["bankName"].as_str().unwrap().chars().count() <= 10);
    for k in ["createdDateTime", "updatedDateTime"] {
        let d = info[k].as_str().unwrap();
        assert!(
            d.len() == 17 && d.bytes().all(|b| b.is_ascii_digit()),
            "{d}"
        );
    }
    let b7 = ok(&app, &kp, "B7", &user).await;
    assert_eq!(b7["bankAccount"]["accountId"], info["accountId"]);
    assert!(b7["bankAccForAutoRcg"].is_null());
    assert_eq!(b7["isAutoRcgAccRegAllowed"], true);
    let r = kp.call_enc(&app, "B8", &user).await;
    assert_kona(&r, StatusCode::OK, "000_000");
    assert_eq!(r.body["bankAccRegNo"], reg.as_str());
    let b7 = ok(&app, &kp, "B7", &user).await;
    assert_eq!(b7["bankAccForAutoRcg"]["bankAccount"], h.digits());
    assert_eq!(b7["isAutoRcgAccRegAllowed"], false);
    ok(&app, &kp, "B9", &user).await;
    for id in ["B6", "B7", "B8", "B9"] {
        refused(&app, &kp, id, &user, "007_001").await;
    }
}

#[tokio::test]
async fn without_a_live_code_the_ars_call_fails_and_nothing_is_registered() {
    let (app, kp, h) = setup().await;
    let user = json!({"userId": h.user_id});
    ok(&app, &kp, "B2", &acc(&h)).await;
    // No code at all.
    let reg = ok(&app, &kp, "B4", &acc(&h)).await["bankAccRegNo"].clone();
    assert_eq!(
        poll(&app, &kp, reg.as_str().unwrap()).await,
        "ARS_AUTH_FAILED"
    );
    refused(&app, &kp, "B6", &user, "007_001").await;
    // A code that outlived its 3 minutes on the world clock.
    ok(&app, &kp, "B3", &user).await;
    app.advance(181).await;
    let reg = ok(&app, &kp, "B4", &acc(&h)).await["bankAccRegNo"].clone();
    assert_eq!(
        poll(&app, &kp, reg.as_str().unwrap()).await,
        "ARS_AUTH_FAILED"
    );
    // A new code replaces the old one, and is used up by its registration.
    ok(&app, &kp, "B3", &user).await;
    let reg = ok(&app, &kp, "B4", &acc(&h)).await["bankAccRegNo"].clone();
    assert_eq!(
        poll(&app, &kp, reg.as_str().unwrap()).await,
        "BANK_ACC_REGISTERED"
    );
    let reg = ok(&app, &kp, "B4", &acc(&h)).await["bankAccRegNo"].clone();
    assert_eq!(
        poll(&app, &kp, reg.as_str().unwrap()).await,
        "ARS_AUTH_FAILED"
    );
    // The failed one did not unregister the account.
    ok(&app, &kp, "B6", &user).await;
    refused(
        &app,
        &kp,
        "B5",
        &json!({"regNo": "KMR0000000000000000000"}),
        "002_019",
    )
    .await;
    refused(&app, &kp, "B5", &json!({"regNo": "KMR1"}), "000_015").await;
}

#[tokio::test]
async fn registrations_belong_to_their_project() {
    let (app, kp, h) = setup().await;
    register(&app, &kp, &h).await;
    let other = app.kona_project().await;
    let user = json!({"userId": h.user_id});
    refused(&app, &other, "B6", &user, "001_006").await;
    refused(&app, &other, "B2", &acc(&h), "001_006").await;
}

#[tokio::test]
async fn b10_sends_one_won_once_per_request_and_not_while_the_bank_is_down() {
    let (app, kp, h) = setup().await;
    let before = app.balance_of(&h.bank_id).await;
    let req = kp.plain("B10", &acc(&h));
    let r = app.kona_send(&req).await;
    assert_kona(&r, StatusCode::OK, "000_000");
    let tid = r.body["transactionId"].as_str().unwrap().to_owned();
    assert!((1..=30).contains(&tid.len()), "{tid}");
    assert_eq!(app.balance_of(&h.bank_id).await, before + 1);
    // The same request again (same correlation id): the first answer, no second won.
    let again = app.kona_send(&req).await;
    assert_eq!(again.body["transactionId"], tid.as_str());
    assert_eq!(app.balance_of(&h.bank_id).await, before + 1);
    ok(&app, &kp, "B10", &acc(&h)).await;
    assert_eq!(app.balance_of(&h.bank_id).await, before + 2);
    outage(&app, "004", "outage").await;
    refused(&app, &kp, "B10", &acc(&h), "002_034").await;
    assert_eq!(app.balance_of(&h.bank_id).await, before + 2);
    let mut nobody = acc(&h);
    nobody["bankAccount"] = "1234".into();
    outage(&app, "004", "active").await;
    refused(&app, &kp, "B10", &nobody, "002_016").await;
    refused(
        &app,
        &kp,
        "B10",
        &json!({"userId": h.user_id, "bankCode": "004"}),
        "000_003",
    )
    .await;
}

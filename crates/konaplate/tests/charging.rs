//! Charging and paying (R1–R6, P2, P3) over the one ledger: a charge is one
//! movement from the member's registered bank account into the card, a
//! cancel takes it off at once and refunds the bank at 00:00 KST next day,
//! a payment pays a merchant of the project; no money is created or lost,
//! and every request id applies once.

mod common;

use axum::http::{Method, StatusCode};
use common::{member_with_card, ok, refused, register, Holder};
use finhub_core::konaplate::cards::{CardRepo, CardStatus, Limits};
use finhub_core::konaplate::project::ProjectRepo;
use finhub_core::ledger::{Direction, Order, PostingQuery};
use finhub_testkit::konaplate::{assert_kona, KonaProject};
use finhub_testkit::{spawn_app, TestApp};
use serde_json::{json, Value};

async fn setup(balance: i64) -> (TestApp, KonaProject, Holder) {
    let app = spawn_app().await;
    let kp = app.kona_project().await;
    let h = member_with_card(&app, &kp, "박코나", balance).await;
    (app, kp, h)
}

/// A fresh one-time token of the holder's card: (token, dcvv).
async fn token(app: &TestApp, kp: &KonaProject, h: &Holder) -> (String, String) {
    let r = kp
        .call_enc(app, "R1", &json!({"cardNo": h.card_no()}))
        .await;
    assert_kona(&r, StatusCode::OK, "000_000");
    let s = |k: &str| r.body[k].as_str().unwrap().to_owned();
    (s("oneTimeToken"), s("dcvv"))
}

async fn charge_body(app: &TestApp, kp: &KonaProject, h: &Holder, seq: &str, amount: i64) -> Value {
    let (t, d) = token(app, kp, h).await;
    json!({"sequenceId": seq, "userId": h.user_id, "amount": amount,
           "oneTimeToken": t, "dcvv": d, "merchantId": kp.merchants[0]})
}

/// A charge that succeeds; its nrNumber.
async fn charge(app: &TestApp, kp: &KonaProject, h: &Holder, seq: &str, amount: i64) -> String {
    let b = charge_body(app, kp, h, seq, amount).await;
    let r = ok(app, kp, "R2", &b).await;
    assert_eq!(r["isPending"], false);
    r["nrNumber"].as_str().unwrap().to_owned()
}

async fn result(app: &TestApp, kp: &KonaProject, seq: &str) -> Value {
    ok(app, kp, "R4", &json!({"sequenceId": seq})).await
}

async fn card_balance(app: &TestApp, h: &Holder) -> i64 {
    app.balance_of(&h.card.account_id).await
}

/// The merchants' settlement accounts of the project.
async fn merchants(app: &TestApp, kp: &KonaProject) -> Vec<String> {
    let all = app.store.merchants(&kp.project_id).await.unwrap();
    all.into_iter().map(|m| m.account_id).collect()
}

/// Bank account + card + the project's merchants.
async fn sum(app: &TestApp, kp: &KonaProject, h: &Holder) -> i64 {
    let mut s = app.balance_of(&h.bank_id).await + card_balance(app, h).await;
    for m in merchants(app, kp).await {
        s += app.balance_of(&m).await;
    }
    s
}

async fn status(app: &TestApp, code: &str, st: &str) {
    let path = format!("/sandbox/institutions/{code}/status");
    let r = app
        .admin(Method::PUT, &path, Some(json!({"status": st})))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
}

fn history_body(h: &Holder, app: &TestApp) -> Value {
    json!({"userId": h.user_id, "startDate": app.today(), "endDate": app.today(),
           "pageRequest": {"page": 0, "pageSize": 100, "sort": "approvalDateTime",
                           "orderByDirection": "ASC"}})
}

#[tokio::test]
async fn r1_tokens_live_30_seconds_or_5_minutes_and_only_for_active_cards() {
    let (app, kp, h) = setup(0).await;
    let now = app.world.clock.now().timestamp_millis();
    let r = kp.call(&app, "R1", &json!({"cardNo": h.card_no()})).await;
    assert_kona(&r, StatusCode::OK, "000_000");
    let t = r.body["oneTimeToken"].as_str().unwrap();
    assert!(t.len() == 16 && t.bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(r.body["dcvv"].as_str().unwrap().len(), 3);
    let life = r.body["expiryTime"].as_i64().unwrap() - now;
    assert!((29_000..=31_000).contains(&life), "{life}");
    for ty in ["ATM", "CREDIT"] {
        let r = ok(&app, &kp, "R1", &json!({"cardNo": h.card_no(), "type": ty})).await;
        let life = r["expiryTime"].as_i64().unwrap() - now;
        assert!((299_000..=301_000).contains(&life), "{life}");
    }
    refused(
        &app,
        &kp,
        "R1",
        &json!({"cardNo": h.card_no(), "type": "BUS"}),
        "000_002",
    )
    .await;
    refused(
        &app,
        &kp,
        "R1",
        &json!({"cardNo": "9491330000000000"}),
        "003_001",
    )
    .await;
    refused(&app, &kp, "R1", &json!({"cardNo": "1234"}), "000_015").await;
    refused(&app, &kp, "R1", &json!({}), "000_003").await;
    let mut card = h.card.clone();
    card.status = CardStatus::Suspended;
    app.store.update_card(&card).await.unwrap();
    refused(&app, &kp, "R1", &json!({"cardNo": h.card_no()}), "003_023").await;
}

#[tokio::test]
async fn a_charge_is_one_debit_of_the_bank_account_and_applies_once_per_sequence_id() {
    let (app, kp, h) = setup(100_000).await;
    register(&app, &kp, &h).await;
    let total = sum(&app, &kp, &h).await;
    let body = charge_body(&app, &kp, &h, "SEQ-1", 10_000).await;
    let req = kp.plain("R2", &body);
    let r = app.kona_send(&req).await;
    assert_kona(&r, StatusCode::OK, "000_000");
    let nr = r.body["nrNumber"].as_str().unwrap().to_owned();
    assert!(nr.starts_with("KMN") && nr.len() == 18, "{nr}");
    assert_eq!(app.balance_of(&h.bank_id).await, 90_000);
    assert_eq!(card_balance(&app, &h).await, 10_000);
    assert_eq!(sum(&app, &kp, &h).await, total);
    // The bank account's ledger shows the same amount going out, now.
    let q = PostingQuery {
        account_id: h.bank_id.clone(),
        from: app.world.clock.now() - chrono::Duration::days(1),
        to: app.world.clock.now() + chrono::Duration::days(1),
        direction: Direction::Out,
        order: Order::Desc,
        after: None,
        limit: 10,
    };
    let out = app.world.postings(&q).await.unwrap();
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].amount_minor, -10_000);
    // The same request again (same correlation id): the first answer.
    assert_eq!(app.kona_send(&req).await.text, r.text);
    // A new request with the same sequenceId and body: the first answer.
    let again = ok(&app, &kp, "R2", &body).await;
    assert_eq!(again["nrNumber"], nr.as_str());
    assert_eq!(app.balance_of(&h.bank_id).await, 90_000);
    // With another body: refused, nothing moves.
    let mut other = body.clone();
    other["amount"] = 20_000.into();
    refused(&app, &kp, "R2", &other, "000_002").await;
    // The token is used up.
    let mut reuse = body.clone();
    reuse["sequenceId"] = "SEQ-2".into();
    refused(&app, &kp, "R2", &reuse, "000_002").await;
    assert_eq!(result(&app, &kp, "SEQ-2").await["result"], "FAILED");
    let r4 = result(&app, &kp, "SEQ-1").await;
    assert_eq!(
        (r4["result"].as_str(), r4["nrNumber"].as_str()),
        (Some("COMPLETED"), Some(nr.as_str()))
    );
    refused(&app, &kp, "R4", &json!({"sequenceId": "NOPE"}), "007_006").await;
    assert_eq!(card_balance(&app, &h).await, 10_000);
    assert_eq!(sum(&app, &kp, &h).await, total);
}

#[tokio::test]
async fn refused_charges_move_nothing_and_use_up_their_sequence_id() {
    let (app, kp, h) = setup(1_000_000).await;
    // No registered account.
    let b = charge_body(&app, &kp, &h, "NOACC", 1_000).await;
    refused(&app, &kp, "R2", &b, "007_001").await;
    assert_eq!(result(&app, &kp, "NOACC").await["result"], "FAILED");
    // The same sequenceId and body again: the same refusal, even now.
    register(&app, &kp, &h).await;
    refused(&app, &kp, "R2", &b, "007_001").await;
    let total = sum(&app, &kp, &h).await;
    let b = charge_body(&app, &kp, &h, "CAP", 500_001).await;
    refused(&app, &kp, "R2", &b, "007_003").await;
    assert_eq!(result(&app, &kp, "CAP").await["result"], "FAILED");
    status(&app, "004", "outage").await;
    let b = charge_body(&app, &kp, &h, "DOWN", 1_000).await;
    refused(&app, &kp, "R2", &b, "007_004").await;
    status(&app, "004", "active").await;
    refused(&app, &kp, "R2", &b, "007_004").await;
    assert_eq!(app.balance_of(&h.bank_id).await, 1_000_000);
    assert_eq!(card_balance(&app, &h).await, 0);
    // Wrong dcvv, an expired token, another member's token, another merchant.
    let mut b = charge_body(&app, &kp, &h, "DCVV", 1_000).await;
    b["dcvv"] = if b["dcvv"] == "000" { "001" } else { "000" }.into();
    refused(&app, &kp, "R2", &b, "000_002").await;
    let b = charge_body(&app, &kp, &h, "LATE", 1_000).await;
    app.advance(31).await;
    refused(&app, &kp, "R2", &b, "000_002").await;
    let other = member_with_card(&app, &kp, "최코나", 0).await;
    let mut b = charge_body(&app, &kp, &other, "THEIRS", 1_000).await;
    b["userId"] = h.user_id.into();
    refused(&app, &kp, "R2", &b, "000_002").await;
    let mut b = charge_body(&app, &kp, &h, "SHOP", 1_000).await;
    b["merchantId"] = "999999999999999".into();
    refused(&app, &kp, "R2", &b, "000_002").await;
    b["merchantId"] = kp.merchants[0].clone().into();
    b["amount"] = 0.into();
    refused(&app, &kp, "R2", &b, "000_002").await;
    assert_eq!(sum(&app, &kp, &h).await, total);
    // Too little money in the bank.
    let poor = member_with_card(&app, &kp, "정코나", 1_000).await;
    register(&app, &kp, &poor).await;
    let b = charge_body(&app, &kp, &poor, "POOR", 5_000).await;
    refused(&app, &kp, "R2", &b, "007_004").await;
    assert_eq!(app.balance_of(&poor.bank_id).await, 1_000);
}

#[tokio::test]
async fn a_cancel_takes_the_charge_off_at_once_and_refunds_the_bank_the_next_day() {
    let (app, kp, h) = setup(100_000).await;
    register(&app, &kp, &h).await;
    app.set_now("2026-12-10T03:00:00Z").await; // 12:00 KST
    let total = sum(&app, &kp, &h).await;
    let nr = charge(&app, &kp, &h, "C-1", 30_000).await;
    let (t, d) = token(&app, &kp, &h).await;
    let cancel = json!({"sequenceId": "X-1", "userId": h.user_id, "nrNumber": nr,
                        "oneTimeToken": t, "dcvv": d});
    ok(&app, &kp, "R3", &cancel).await;
    assert_eq!(card_balance(&app, &h).await, 0);
    assert_eq!(app.balance_of(&h.bank_id).await, 70_000);
    let r4 = result(&app, &kp, "X-1").await;
    assert_eq!(
        (r4["result"].as_str(), r4["nrNumber"].as_str()),
        (Some("COMPLETED"), Some(nr.as_str()))
    );
    // A second cancel of the same charge.
    let (t, d) = token(&app, &kp, &h).await;
    let twice = json!({"sequenceId": "X-2", "userId": h.user_id, "nrNumber": nr,
                       "oneTimeToken": t, "dcvv": d});
    refused(&app, &kp, "R3", &twice, "007_005").await;
    let (t, _) = token(&app, &kp, &h).await;
    let unknown = json!({"sequenceId": "X-3", "userId": h.user_id, "nrNumber": "KMN000000000000000",
                         "oneTimeToken": t});
    refused(&app, &kp, "R3", &unknown, "007_006").await;
    // Not yet at 23:59 KST; paid once the world passes 00:00 KST.
    app.set_now("2026-12-10T14:59:00Z").await;
    assert_eq!(app.balance_of(&h.bank_id).await, 70_000);
    app.set_now("2026-12-10T15:00:01Z").await;
    assert_eq!(app.balance_of(&h.bank_id).await, 100_000);
    app.advance(3600).await;
    ok(&app, &kp, "R4", &json!({"sequenceId": "X-1"})).await;
    assert_eq!(app.balance_of(&h.bank_id).await, 100_000);
    assert_eq!(sum(&app, &kp, &h).await, total);
    let mut q = history_body(&h, &app);
    q["startDate"] = "20261210".into();
    q["endDate"] = "20261210".into();
    let rows = ok(&app, &kp, "R6", &q).await["transactionInfo"].clone();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(
        (
            rows[0]["trType"].as_str(),
            rows[0]["authCancelType"].as_str()
        ),
        (Some("01"), Some("AUTH"))
    );
    assert_eq!(rows[1]["authCancelType"], "CANCEL");
    assert_eq!(rows[1]["nrNumber"], nr.as_str());
    assert_eq!(
        (
            rows[1]["balanceBefore"].as_i64(),
            rows[1]["balanceAfter"].as_i64()
        ),
        (Some(30_000), Some(0))
    );
    assert_eq!(rows[0]["rechargeCancelable"], 0);
}

#[tokio::test]
async fn a_cancel_is_refused_when_the_card_holds_less_than_the_charge() {
    let (app, kp, h) = setup(100_000).await;
    register(&app, &kp, &h).await;
    let nr = charge(&app, &kp, &h, "C-1", 20_000).await;
    let (t, d) = token(&app, &kp, &h).await;
    let pay = json!({"oneTimeToken": t, "dcvv": d, "amount": 15_000, "merchantId": kp.merchants[0],
                     "channel": "OPENAPI", "transactionId": "TX-1"});
    ok(&app, &kp, "P2", &pay).await;
    let (t, d) = token(&app, &kp, &h).await;
    let cancel = json!({"sequenceId": "X-1", "userId": h.user_id, "nrNumber": nr,
                        "oneTimeToken": t, "dcvv": d});
    refused(&app, &kp, "R3", &cancel, "007_008").await;
    assert_eq!(result(&app, &kp, "X-1").await["result"], "FAILED");
    assert_eq!(card_balance(&app, &h).await, 5_000);
}

#[tokio::test]
async fn payments_pay_a_merchant_within_the_balance_and_limits_and_cancel_back() {
    let (app, kp, h) = setup(200_000).await;
    register(&app, &kp, &h).await;
    app.set_now("2026-12-10T03:00:00Z").await;
    charge(&app, &kp, &h, "C-1", 50_000).await;
    let total = sum(&app, &kp, &h).await;
    let merchant = merchants(&app, &kp).await[0].clone();
    let m0 = app.balance_of(&merchant).await;
    let pay = |t: &str, d: &str, amount: i64, tx: &str| {
        json!({"oneTimeToken": t, "dcvv": d, "amount": amount, "merchantId": kp.merchants[0],
               "channel": "OPENAPI", "transactionId": tx})
    };
    let (t, d) = token(&app, &kp, &h).await;
    let body = pay(&t, &d, 20_000, "TX-1");
    let r = kp.call(&app, "P2", &body).await;
    assert_kona(&r, StatusCode::OK, "000_000");
    let nr = r.body["nrNumber"].as_str().unwrap().to_owned();
    assert_eq!(r.body["balanceAfter"], 30_000);
    assert_eq!(r.body["approvalCode"].as_str().unwrap().len(), 8);
    // The same transactionId and body again: the first answer, paid once.
    assert_eq!(ok(&app, &kp, "P2", &body).await["nrNumber"], nr.as_str());
    assert_eq!(card_balance(&app, &h).await, 30_000);
    assert_eq!(app.balance_of(&merchant).await, m0 + 20_000);
    assert_eq!(sum(&app, &kp, &h).await, total);
    let (t, d) = token(&app, &kp, &h).await;
    refused(&app, &kp, "P2", &pay(&t, &d, 30_001, "TX-2"), "007_003").await;
    let (t, d) = token(&app, &kp, &h).await;
    let mut elsewhere = pay(&t, &d, 1_000, "TX-3");
    elsewhere["merchantId"] = "999999999999999".into();
    refused(&app, &kp, "P2", &elsewhere, "000_002").await;
    // P3: all of it back to the card at once.
    let back = json!({"cardNo": h.card_no(), "amount": 20_000, "nrNumber": nr,
                      "merchantId": kp.merchants[0], "channel": "OPENAPI"});
    let mut wrong = back.clone();
    wrong["amount"] = 1_000.into();
    refused(&app, &kp, "P3", &wrong, "000_002").await;
    let r = ok(&app, &kp, "P3", &back).await;
    assert_eq!(r["balanceAfter"], 50_000);
    assert_eq!(ok(&app, &kp, "P3", &back).await["balanceAfter"], 50_000);
    assert_eq!(card_balance(&app, &h).await, 50_000);
    assert_eq!(sum(&app, &kp, &h).await, total);
    let rows = ok(&app, &kp, "R6", &history_body(&h, &app)).await["transactionInfo"].clone();
    let kinds: Vec<String> = (rows.as_array().unwrap().iter())
        .map(|r| {
            format!(
                "{}{}",
                r["trType"].as_str().unwrap(),
                r["authCancelType"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(kinds, ["01AUTH", "00AUTH", "00CANCEL"]);
}

#[tokio::test]
async fn the_cards_limits_hold_per_payment_day_and_month() {
    let (app, kp, h) = setup(500_000).await;
    register(&app, &kp, &h).await;
    app.set_now("2026-12-10T03:00:00Z").await;
    charge(&app, &kp, &h, "C-1", 100_000).await;
    let mut card = app
        .store
        .card(&kp.project_id, &h.par())
        .await
        .unwrap()
        .unwrap();
    card.limits = Limits {
        once: 10_000,
        day: 15_000,
        month: 20_000,
    };
    app.store.update_card(&card).await.unwrap();
    let mut n = 0;
    let mut pay = |amount: i64| {
        n += 1;
        (amount, format!("TX-{n}"))
    };
    for (amount, code) in [
        (11_000, "007_003"),
        (8_000, "000_000"),
        (8_000, "007_003"),
        (7_000, "000_000"),
    ] {
        let (t, d) = token(&app, &kp, &h).await;
        let (amount, tx) = pay(amount);
        let b = json!({"oneTimeToken": t, "dcvv": d, "amount": amount,
                       "merchantId": kp.merchants[1], "transactionId": tx});
        let status = if code == "000_000" {
            StatusCode::OK
        } else {
            StatusCode::BAD_REQUEST
        };
        assert_kona(&kp.call(&app, "P2", &b).await, status, code);
    }
    // The next day: the day limit is fresh, the month's 20,000 holds.
    app.set_now("2026-12-11T03:00:00Z").await;
    for (amount, code) in [(6_000, "007_003"), (5_000, "000_000")] {
        let (t, d) = token(&app, &kp, &h).await;
        let (amount, tx) = pay(amount);
        let b = json!({"oneTimeToken": t, "dcvv": d, "amount": amount,
                       "merchantId": kp.merchants[1], "transactionId": tx});
        let status = if code == "000_000" {
            StatusCode::OK
        } else {
            StatusCode::BAD_REQUEST
        };
        assert_kona(&kp.call(&app, "P2", &b).await, status, code);
    }
    assert_eq!(card_balance(&app, &h).await, 80_000);
}

#[tokio::test]
async fn twenty_charges_at_once_never_pass_the_cap() {
    let (app, kp, h) = setup(2_000_000).await;
    register(&app, &kp, &h).await;
    let mut bodies = Vec::new();
    for i in 0..20 {
        bodies.push(charge_body(&app, &kp, &h, &format!("PAR-{i}"), 50_000).await);
    }
    let calls = bodies.iter().map(|b| kp.call(&app, "R2", b));
    let answers = futures::future::join_all(calls).await;
    let done = answers
        .iter()
        .filter(|r| r.status == StatusCode::OK)
        .count();
    for r in answers.iter().filter(|r| r.status != StatusCode::OK) {
        assert_kona(r, StatusCode::BAD_REQUEST, "007_003");
    }
    assert_eq!(done, 10);
    assert_eq!(card_balance(&app, &h).await, 500_000);
    assert_eq!(app.balance_of(&h.bank_id).await, 1_500_000);
}

#[tokio::test]
async fn r5_recharges_from_the_platform_within_the_cap() {
    let (app, kp, h) = setup(0).await;
    let body = |seq: &str, amount: i64| json!({"sequenceId": seq, "userId": h.user_id, "par": h.par(), "amount": amount});
    let r = ok(&app, &kp, "R5", &body("S-1", 100_000)).await;
    assert_eq!(r["par"], h.par());
    assert_eq!(r["availableDepositAmt"], 400_000);
    assert_eq!(
        ok(&app, &kp, "R5", &body("S-1", 100_000)).await["nrNumber"],
        r["nrNumber"]
    );
    assert_eq!(card_balance(&app, &h).await, 100_000);
    assert_eq!(result(&app, &kp, "S-1").await["result"], "COMPLETED");
    refused(&app, &kp, "R5", &body("S-2", 0), "007_007").await;
    refused(&app, &kp, "R5", &body("S-3", 400_001), "007_003").await;
    let mut theirs = body("S-4", 1);
    theirs["par"] = "Q10000000000000000000000000".into();
    refused(&app, &kp, "R5", &theirs, "003_021").await;
    assert_eq!(card_balance(&app, &h).await, 100_000);
}

#[tokio::test]
async fn r6_pages_and_filters_the_members_rows() {
    let (app, kp, h) = setup(100_000).await;
    register(&app, &kp, &h).await;
    for i in 0..5 {
        charge(&app, &kp, &h, &format!("C-{i}"), 1_000 * (i + 1)).await;
    }
    let mut q = history_body(&h, &app);
    q["pageRequest"] = json!({"page": 1, "pageSize": 2, "orderByDirection": "DESC"});
    let b = ok(&app, &kp, "R6", &q).await;
    assert_eq!(b["pageResponse"]["totalPages"], 3);
    assert_eq!(b["pageResponse"]["numberOfElements"], 2);
    let rows = b["transactionInfo"].as_array().unwrap();
    assert_eq!(rows[0]["trAmount"], 3_000);
    assert_eq!(rows[0]["rechargeCancelable"], 3_000);
    assert_eq!(rows[0]["approvalDateTime"].as_str().unwrap().len(), 14);
    q["par"] = h.par().into();
    q["pageRequest"]["pageSize"] = 101.into();
    refused(&app, &kp, "R6", &q, "000_002").await;
    q["pageRequest"]["pageSize"] = 100.into();
    q["startDate"] = "20000101".into();
    q["endDate"] = "20000102".into();
    assert_eq!(ok(&app, &kp, "R6", &q).await["transactionInfo"], json!([]));
    q["par"] = "Q10000000000000000000000000".into();
    refused(&app, &kp, "R6", &q, "003_021").await;
}

#[tokio::test]
async fn another_project_can_neither_charge_nor_read_the_member() {
    let (app, kp, h) = setup(100_000).await;
    register(&app, &kp, &h).await;
    charge(&app, &kp, &h, "MINE", 1_000).await;
    let other = app.kona_project().await;
    refused(
        &app,
        &other,
        "R1",
        &json!({"cardNo": h.card_no()}),
        "003_001",
    )
    .await;
    let b = charge_body(&app, &kp, &h, "MINE", 1_000).await;
    let mut theirs = b.clone();
    theirs["merchantId"] = other.merchants[0].clone().into();
    refused(&app, &other, "R2", &theirs, "001_006").await;
    refused(&app, &other, "R6", &history_body(&h, &app), "001_006").await;
    refused(
        &app,
        &other,
        "R4",
        &json!({"sequenceId": "MINE"}),
        "007_006",
    )
    .await;
    assert_eq!(card_balance(&app, &h).await, 1_000);
}

#[tokio::test]
async fn one_request_sent_many_times_at_once_moves_the_money_once() {
    let (app, kp, h) = setup(100_000).await;
    register(&app, &kp, &h).await;
    // The same sequenceId and body, each with its own correlation id.
    let b = charge_body(&app, &kp, &h, "SAME", 10_000).await;
    let answers = futures::future::join_all((0..8).map(|_| kp.call(&app, "R2", &b))).await;
    let nrs: std::collections::HashSet<String> = (answers.iter())
        .map(|r| {
            assert_kona(r, StatusCode::OK, "000_000");
            r.body["nrNumber"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(nrs.len(), 1);
    assert_eq!(card_balance(&app, &h).await, 10_000);
    assert_eq!(app.balance_of(&h.bank_id).await, 90_000);
    // The same payment, likewise.
    let (t, d) = token(&app, &kp, &h).await;
    let pay = json!({"oneTimeToken": t, "dcvv": d, "amount": 4_000, "merchantId": kp.merchants[0],
                     "channel": "OPENAPI", "transactionId": "PAY-SAME"});
    let answers = futures::future::join_all((0..8).map(|_| kp.call(&app, "P2", &pay))).await;
    for r in &answers {
        assert_kona(r, StatusCode::OK, "000_000");
        assert_eq!(r.body["nrNumber"], answers[0].body["nrNumber"]);
    }
    assert_eq!(card_balance(&app, &h).await, 6_000);
    let rows = ok(&app, &kp, "R6", &history_body(&h, &app)).await["transactionInfo"].clone();
    assert_eq!(rows.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_charge_that_crashed_after_the_ledger_runs_again_and_moves_the_money_once() {
    use finhub_core::konaplate::charging::{ChargeRepo, MoveResult};
    let (app, kp, h) = setup(100_000).await;
    register(&app, &kp, &h).await;
    let b = charge_body(&app, &kp, &h, "CRASH", 10_000).await;
    let nr = ok(&app, &kp, "R2", &b).await["nrNumber"].clone();
    // As if the process died between the ledger entry and the answer.
    let mut m = (app.store.move_by_key(&kp.project_id, "seq:CRASH").await)
        .unwrap()
        .unwrap();
    m.result = MoveResult::Pending;
    app.store.finish_move(&m).await.unwrap();
    assert_eq!(result(&app, &kp, "CRASH").await["result"], "PENDING");
    // The client's retry: the same sequenceId and body.
    assert_eq!(ok(&app, &kp, "R2", &b).await["nrNumber"], nr);
    assert_eq!(result(&app, &kp, "CRASH").await["result"], "COMPLETED");
    assert_eq!(card_balance(&app, &h).await, 10_000);
    assert_eq!(app.balance_of(&h.bank_id).await, 90_000);
    let rows = ok(&app, &kp, "R6", &history_body(&h, &app)).await["transactionInfo"].clone();
    assert_eq!(rows.as_array().unwrap().len(), 1);
}

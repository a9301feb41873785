//! Recovery of money requests a killed process left half-done (R2 here):
//! with no retry from the client, a later call finishes the move from what
//! the ledger kept under its key, once, however many passes and retries
//! run beside it.

mod common;

use axum::http::StatusCode;
use common::{kona, member_with_card, ok, refused, register, Holder};
use finhub_core::konaplate::charging::{
    ChargeCancel, ChargeRepo, ChargeRequest, Claimed, Move, MoveResult, Movement, PayRequest,
};
use finhub_core::konaplate::ids::UserId;
use finhub_core::konaplate::Kona;
use finhub_testkit::konaplate::{assert_kona, KonaProject};
use finhub_testkit::{spawn_app, TestApp};
use serde_json::{json, Value};

async fn setup(balance: i64) -> (TestApp, KonaProject, Holder) {
    let app = spawn_app().await;
    let kp = app.kona_project().await;
    let h = member_with_card(&app, &kp, "한코나", balance).await;
    register(&app, &kp, &h).await;
    (app, kp, h)
}

async fn charge_body(app: &TestApp, kp: &KonaProject, h: &Holder, seq: &str, amount: i64) -> Value {
    let r = kp
        .call_enc(app, "R1", &json!({"cardNo": h.card_no()}))
        .await;
    assert_kona(&r, StatusCode::OK, "000_000");
    json!({"sequenceId": seq, "userId": h.user_id, "amount": amount,
           "oneTimeToken": r.body["oneTimeToken"], "dcvv": r.body["dcvv"],
           "merchantId": kp.merchants[0]})
}

/// An R2 a process began and was killed in: its move claimed a minute ago
/// (real time), its token used, its movement built but not yet sent.
struct Crash {
    body: Value,
    kona: Kona,
    m: Move,
    mv: Movement,
}

/// The R2 of `body` as the face reads it.
fn request<'a>(kp: &'a KonaProject, body: &'a Value) -> ChargeRequest<'a> {
    ChargeRequest {
        project_id: &kp.project_id,
        user_id: UserId(body["userId"].as_u64().unwrap()),
        sequence_id: body["sequenceId"].as_str().unwrap(),
        amount_minor: body["amount"].as_i64().unwrap(),
        token: body["oneTimeToken"].as_str().unwrap(),
        dcvv: body["dcvv"].as_str().unwrap(),
        merchant_id: body["merchantId"].as_str().unwrap(),
    }
}

impl Crash {
    /// Claimed `ago` seconds ago (real time), through the face's own steps.
    /// No call to the app here: each one runs a recovery pass.
    async fn claimed(app: &TestApp, kp: &KonaProject, body: Value, ago: i64) -> Crash {
        let kona = kona(app);
        kona.real.advance(chrono::Duration::seconds(-ago));
        let q = request(kp, &body);
        let claimed = kona.claim_move(Kona::charge_move(&q), "sequenceId").await;
        let Ok(Claimed::Run(m)) = claimed else {
            panic!("the move was not claimed")
        };
        let (_, _, mv) = kona.charge_movement(&m, &q).await.unwrap();
        Crash { body, kona, m, mv }
    }

    /// Killed before the ledger entry, a minute ago.
    async fn before_ledger(app: &TestApp, kp: &KonaProject, body: Value) -> Crash {
        Crash::claimed(app, kp, body, 60).await
    }

    /// Killed after the ledger entry, a minute ago: the money moved,
    /// nothing else was written.
    async fn after_ledger(app: &TestApp, kp: &KonaProject, body: Value) -> Crash {
        let mut c = Crash::claimed(app, kp, body, 60).await;
        let mv = std::mem::replace(&mut c.mv, empty());
        let o = c.kona.move_money(&c.m, mv).await.unwrap();
        assert!(o.result.is_ok(), "{o:?}");
        c
    }
}

fn empty() -> Movement {
    Movement {
        kind: finhub_core::ledger::EntryKind::Charge,
        legs: vec![],
        limits: vec![],
        rules: vec![],
    }
}

async fn r4(app: &TestApp, kp: &KonaProject, seq: &str) -> Value {
    ok(app, kp, "R4", &json!({"sequenceId": seq})).await
}

/// R6's rows of the holder today.
async fn rows(app: &TestApp, kp: &KonaProject, h: &Holder) -> Vec<Value> {
    let q = json!({"userId": h.user_id, "startDate": app.today(), "endDate": app.today(),
                   "pageRequest": {"page": 0, "pageSize": 100, "orderByDirection": "ASC"}});
    let b = ok(app, kp, "R6", &q).await;
    b["transactionInfo"].as_array().unwrap().clone()
}

/// What R6 says the card holds: charges and payments given back, less
/// payments and cancelled charges.
fn held_by_rows(rows: &[Value]) -> i64 {
    (rows.iter())
        .map(|r| {
            let amt = r["trAmount"].as_i64().unwrap();
            let into_card = (r["trType"] == "01") == (r["authCancelType"] == "AUTH");
            if into_card {
                amt
            } else {
                -amt
            }
        })
        .sum()
}

async fn card_balance(app: &TestApp, h: &Holder) -> i64 {
    app.balance_of(&h.card.account_id).await
}

/// R6's rows of this nrNumber.
fn of<'a>(rows: &'a [Value], nr: &str) -> Vec<&'a Value> {
    rows.iter().filter(|r| r["nrNumber"] == nr).collect()
}

#[tokio::test]
async fn a_charge_killed_after_the_ledger_completes_without_a_retry() {
    let (app, kp, h) = setup(100_000).await;
    let first = charge_body(&app, &kp, &h, "C-0", 5_000).await;
    ok(&app, &kp, "R2", &first).await;
    let body = charge_body(&app, &kp, &h, "LOST", 10_000).await;
    let c = Crash::after_ledger(&app, &kp, body).await;
    assert_eq!(card_balance(&app, &h).await, 15_000);
    let m = app.store.move_by_key(&kp.project_id, "seq:LOST").await;
    assert_eq!(m.unwrap().unwrap().result, MoveResult::Pending);
    // A later call of any kind finishes it: R4 answers it done.
    let r = r4(&app, &kp, "LOST").await;
    assert_eq!(r["result"], "COMPLETED");
    assert_eq!(r["nrNumber"], c.m.nr_number.as_str());
    let all = rows(&app, &kp, &h).await;
    let lost = of(&all, &c.m.nr_number);
    assert_eq!(lost.len(), 1, "{all:?}");
    assert_eq!(lost[0]["trAmount"], 10_000);
    assert_eq!(
        (
            lost[0]["balanceBefore"].as_i64(),
            lost[0]["balanceAfter"].as_i64()
        ),
        (Some(5_000), Some(15_000))
    );
    assert_eq!(card_balance(&app, &h).await, held_by_rows(&all));
    // The client's late retry gets the same answer; nothing moves again.
    let again = ok(&app, &kp, "R2", &c.body).await;
    assert_eq!(again["nrNumber"], c.m.nr_number.as_str());
    assert_eq!(card_balance(&app, &h).await, 15_000);
    assert_eq!(app.balance_of(&h.bank_id).await, 85_000);
    assert_eq!(rows(&app, &kp, &h).await.len(), 2);
    // The recovered charge is a charge like any: it can be cancelled.
    let t = kp
        .call_enc(&app, "R1", &json!({"cardNo": h.card_no()}))
        .await;
    let cancel = json!({"sequenceId": "X-LOST", "userId": h.user_id, "nrNumber": c.m.nr_number,
                        "oneTimeToken": t.body["oneTimeToken"], "dcvv": t.body["dcvv"]});
    ok(&app, &kp, "R3", &cancel).await;
    assert_eq!(card_balance(&app, &h).await, 5_000);
    let all = rows(&app, &kp, &h).await;
    assert_eq!(card_balance(&app, &h).await, held_by_rows(&all));
}

#[tokio::test]
async fn a_charge_killed_before_the_ledger_fails_and_can_never_move_money() {
    let (app, kp, h) = setup(100_000).await;
    let body = charge_body(&app, &kp, &h, "GONE", 10_000).await;
    let c = Crash::before_ledger(&app, &kp, body).await;
    assert_eq!(r4(&app, &kp, "GONE").await["result"], "FAILED");
    assert!(rows(&app, &kp, &h).await.is_empty());
    // The process that claimed it, had it lived on: its entry is refused.
    assert!(c.kona.move_money(&c.m, c.mv).await.is_err());
    assert_eq!(card_balance(&app, &h).await, 0);
    assert_eq!(app.balance_of(&h.bank_id).await, 100_000);
    // Its retry gets the failure; its token stays used.
    refused(&app, &kp, "R2", &c.body, "007_004").await;
    let mut other = c.body.clone();
    other["sequenceId"] = "GONE-2".into();
    refused(&app, &kp, "R2", &other, "000_002").await;
    assert_eq!(card_balance(&app, &h).await, 0);
    assert_eq!(r4(&app, &kp, "GONE").await["result"], "FAILED");
}

#[tokio::test]
async fn recovery_run_twice_writes_nothing_more() {
    let (app, kp, h) = setup(100_000).await;
    let (b1, b2) = (
        charge_body(&app, &kp, &h, "TWICE", 7_000).await,
        charge_body(&app, &kp, &h, "TWICE-GONE", 3_000).await,
    );
    let c = Crash::after_ledger(&app, &kp, b1).await;
    let gone = Crash::before_ledger(&app, &kp, b2).await;
    let pass = kona(&app);
    let first = pass.recover_moves().await.unwrap();
    assert_eq!((first.completed, first.failed), (1, 1), "{first:?}");
    let second = pass.recover_moves().await.unwrap();
    assert_eq!((second.completed, second.failed), (0, 0), "{second:?}");
    assert!(second.errors.is_empty());
    let all = rows(&app, &kp, &h).await;
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(of(&all, &c.m.nr_number).len(), 1);
    assert_eq!(card_balance(&app, &h).await, 7_000);
    assert_eq!(card_balance(&app, &h).await, held_by_rows(&all));
    assert_eq!(r4(&app, &kp, "TWICE").await["result"], "COMPLETED");
    assert_eq!(r4(&app, &kp, "TWICE-GONE").await["result"], "FAILED");
    drop(gone);
}

#[tokio::test]
async fn a_retry_racing_recovery_writes_one_row() {
    let (app, kp, h) = setup(100_000).await;
    let (b1, b2) = (
        charge_body(&app, &kp, &h, "RACE", 4_000).await,
        charge_body(&app, &kp, &h, "RACE-2", 6_000).await,
    );
    let c = Crash::after_ledger(&app, &kp, b1).await;
    let pass = kona(&app);
    let (retry, done) = tokio::join!(kp.call(&app, "R2", &c.body), pass.recover_moves());
    assert_kona(&retry, StatusCode::OK, "000_000");
    assert_eq!(retry.body["nrNumber"], c.m.nr_number.as_str());
    assert!(done.unwrap().errors.is_empty());
    let all = rows(&app, &kp, &h).await;
    assert_eq!(of(&all, &c.m.nr_number).len(), 1, "{all:?}");
    assert_eq!(card_balance(&app, &h).await, 4_000);
    assert_eq!(card_balance(&app, &h).await, held_by_rows(&all));
    assert_eq!(r4(&app, &kp, "RACE").await["result"], "COMPLETED");
    // Killed before the ledger: the retry and the pass agree on one answer.
    let c = Crash::before_ledger(&app, &kp, b2).await;
    let (retry, _) = tokio::join!(kp.call(&app, "R2", &c.body), pass.recover_moves());
    let all = rows(&app, &kp, &h).await;
    let result = r4(&app, &kp, "RACE-2").await["result"].clone();
    if retry.status == StatusCode::OK {
        assert_eq!(result, "COMPLETED");
        assert_eq!(of(&all, &c.m.nr_number).len(), 1, "{all:?}");
        assert_eq!(card_balance(&app, &h).await, 10_000);
    } else {
        assert_kona(&retry, StatusCode::BAD_REQUEST, "007_004");
        assert_eq!(result, "FAILED");
        assert!(of(&all, &c.m.nr_number).is_empty(), "{all:?}");
        assert_eq!(card_balance(&app, &h).await, 4_000);
    }
    assert_eq!(card_balance(&app, &h).await, held_by_rows(&all));
}

#[tokio::test]
async fn a_running_request_is_left_alone_within_the_grace() {
    let (app, kp, h) = setup(100_000).await;
    let (b1, b2) = (
        charge_body(&app, &kp, &h, "LIVE", 2_000).await,
        charge_body(&app, &kp, &h, "LIVE-2", 1_000).await,
    );
    let c = Crash::after_ledger(&app, &kp, b1).await;
    // Claimed just now, its entry made: a live request on its way.
    let live = Crash::claimed(&app, &kp, b2, 0).await;
    let o = live.kona.move_money(&live.m, live.mv).await.unwrap();
    assert!(o.result.is_ok());
    let done = kona(&app).recover_moves().await.unwrap();
    assert_eq!((done.completed, done.failed), (1, 0), "{done:?}");
    assert_eq!(r4(&app, &kp, "LIVE-2").await["result"], "PENDING");
    assert_eq!(r4(&app, &kp, "LIVE").await["result"], "COMPLETED");
    let all = rows(&app, &kp, &h).await;
    assert_eq!(of(&all, &c.m.nr_number).len(), 1);
    assert!(
        of(&all, &live.m.nr_number).is_empty(),
        "left to its request"
    );
}

#[tokio::test]
async fn a_payment_killed_after_the_ledger_completes_and_can_be_cancelled() {
    let (app, kp, h) = setup(100_000).await;
    let charge = charge_body(&app, &kp, &h, "C-1", 30_000).await;
    ok(&app, &kp, "R2", &charge).await;
    let t = kp
        .call_enc(&app, "R1", &json!({"cardNo": h.card_no()}))
        .await;
    let (token, dcvv) = (t.body["oneTimeToken"].as_str(), t.body["dcvv"].as_str());
    let q = PayRequest {
        project_id: &kp.project_id,
        token: token.unwrap(),
        dcvv: dcvv.unwrap(),
        amount_minor: 12_000,
        merchant_id: &kp.merchants[0],
        transaction_id: "TX-LOST",
    };
    let body = json!({"oneTimeToken": q.token, "dcvv": q.dcvv, "amount": 12_000,
                      "merchantId": kp.merchants[0], "channel": "OPENAPI",
                      "transactionId": "TX-LOST"});
    // Killed a minute ago, after the ledger entry.
    let k = kona(&app);
    k.real.advance(chrono::Duration::seconds(-60));
    let Ok(Claimed::Run(m)) = k.claim_move(Kona::pay_move(&q), "transactionId").await else {
        panic!("the payment was not claimed")
    };
    let merchant = k.merchant(&kp.project_id, &kp.merchants[0]).await;
    let merchant = merchant.unwrap().unwrap();
    let (_, mv) = k.pay_movement(&m, &q, &merchant).await.unwrap();
    assert!(k.move_money(&m, mv).await.unwrap().result.is_ok());
    assert_eq!(card_balance(&app, &h).await, 18_000);
    // A later call (R6 here) finishes it.
    let all = rows(&app, &kp, &h).await;
    let paid = of(&all, &m.nr_number);
    assert_eq!(paid.len(), 1, "{all:?}");
    assert_eq!(
        (paid[0]["trType"].as_str(), paid[0]["trAmount"].as_i64()),
        (Some("00"), Some(12_000))
    );
    assert_eq!(
        (
            paid[0]["balanceBefore"].as_i64(),
            paid[0]["balanceAfter"].as_i64()
        ),
        (Some(30_000), Some(18_000))
    );
    assert_eq!(card_balance(&app, &h).await, held_by_rows(&all));
    // The client's late retry: the same payment, paid once.
    let again = ok(&app, &kp, "P2", &body).await;
    assert_eq!(again["nrNumber"], m.nr_number.as_str());
    assert_eq!(again["balanceAfter"], 18_000);
    // The recovered payment is a payment like any: P3 gives it back.
    let back = json!({"cardNo": h.card_no(), "amount": 12_000, "nrNumber": m.nr_number,
                      "merchantId": kp.merchants[0], "channel": "OPENAPI"});
    assert_eq!(ok(&app, &kp, "P3", &back).await["balanceAfter"], 30_000);
    let all = rows(&app, &kp, &h).await;
    assert_eq!(all.len(), 3, "{all:?}");
    assert_eq!(card_balance(&app, &h).await, 30_000);
    assert_eq!(card_balance(&app, &h).await, held_by_rows(&all));
}

#[tokio::test]
async fn a_cancel_killed_after_the_ledger_completes_and_its_refund_is_paid() {
    let (app, kp, h) = setup(100_000).await;
    app.set_now("2026-12-10T03:00:00Z").await; // 12:00 KST
    let charge = charge_body(&app, &kp, &h, "C-1", 30_000).await;
    let nr = ok(&app, &kp, "R2", &charge).await["nrNumber"].clone();
    let nr = nr.as_str().unwrap().to_owned();
    let t = kp
        .call_enc(&app, "R1", &json!({"cardNo": h.card_no()}))
        .await;
    let q = ChargeCancel {
        project_id: &kp.project_id,
        user_id: UserId(h.user_id),
        sequence_id: "X-LOST",
        nr_number: &nr,
        token: t.body["oneTimeToken"].as_str().unwrap(),
        dcvv: t.body["dcvv"].as_str(),
    };
    // Killed a minute ago, after the ledger entry.
    let k = kona(&app);
    k.real.advance(chrono::Duration::seconds(-60));
    let Ok(Claimed::Run(m)) = k.claim_move(Kona::cancel_move(&q), "sequenceId").await else {
        panic!("the cancel was not claimed")
    };
    let (target, card) = k.cancel_target(&m, &q).await.unwrap();
    let marked = app
        .store
        .mark_cancel(&kp.project_id, &target.request_key, &m.request_key);
    assert!(marked.await.unwrap());
    let mv = k.cancel_movement(&target, &card).await.unwrap();
    assert!(k.move_money(&m, mv).await.unwrap().result.is_ok());
    assert_eq!(card_balance(&app, &h).await, 0);
    // A later call finishes it: done, in R6, and its refund kept.
    let r = r4(&app, &kp, "X-LOST").await;
    assert_eq!(
        (r["result"].as_str(), r["nrNumber"].as_str()),
        (Some("COMPLETED"), Some(nr.as_str()))
    );
    let all = rows(&app, &kp, &h).await;
    assert_eq!(all.len(), 2, "{all:?}");
    assert_eq!(all[1]["authCancelType"], "CANCEL");
    assert_eq!(
        (
            all[1]["balanceBefore"].as_i64(),
            all[1]["balanceAfter"].as_i64()
        ),
        (Some(30_000), Some(0))
    );
    assert_eq!(all[0]["rechargeCancelable"], 0);
    assert_eq!(card_balance(&app, &h).await, held_by_rows(&all));
    assert_eq!(app.balance_of(&h.bank_id).await, 70_000);
    // 00:00 KST next day: the bank gets its money back, once.
    app.set_now("2026-12-10T15:00:01Z").await;
    r4(&app, &kp, "X-LOST").await;
    assert_eq!(app.balance_of(&h.bank_id).await, 100_000);
    r4(&app, &kp, "X-LOST").await;
    assert_eq!(app.balance_of(&h.bank_id).await, 100_000);
}

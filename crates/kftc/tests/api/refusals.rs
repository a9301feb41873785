//! A refusal decided before the ledger is the first outcome of its
//! bank_tran_id: a retry gets it again after the condition changed, nothing
//! moves, and transfer/result reports it with its codes.

use finhub_core::institution::ServiceStatus;
use finhub_core::registration::{ClientLimits, RegistrationRepo};
use finhub_testkit::kftc::*;
use finhub_testkit::*;
use serde_json::{json, Value};

async fn result(app: &TestApp, f: &Fintech, check_type: &str, tran: &str, amt: i64) -> Value {
    let r = app.kftc_post(&f.token, "/v2.0/transfer/result", json!({"check_type": check_type, "tran_dtime": dtime(), "req_cnt": "1",
            "req_list": [{"tran_no": "1", "org_bank_tran_id": tran, "org_bank_tran_date": app.today(), "org_tran_amt": amt.to_string()}]}))
        .await;
    assert_eq!(r["rsp_code"], "A0000", "{r}");
    r["res_list"][0].clone()
}

async fn balance(app: &TestApp, f: &Fintech, fin: &str) -> String {
    let b = app.balance(f, fin).await;
    b["balance_amt"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn an_item_limit_refusal_is_answered_again_after_the_limit_is_raised() {
    let app = spawn_app().await;
    let f = app.fintech("핀테크").await;
    let (p, a) = app.person("홍길동", "BA00000004", 100_000_000).await;
    let (_, fin) = app.register_both(&f, (&p, &a)).await;
    let tran = tran_id(&f.org);
    let first = app.withdraw(&f, &fin, 10_000_001, &tran).await;
    assert_eq!(first["rsp_code"], "A0111", "{first}");

    let raised = ClientLimits {
        user_wd_item_minor: 1_000_000_000,
        user_wd_day_minor: 1_000_000_000,
        ..Default::default()
    };
    assert!(app.store.set_limits(&f.org, &raised).await.unwrap());
    let again = app.withdraw(&f, &fin, 10_000_001, &tran).await;
    assert_eq!(again["rsp_code"], "A0111", "{again}");
    assert_eq!(balance(&app, &f, &fin).await, "100000000");

    let line = result(&app, &f, "1", &tran, 10_000_001).await;
    assert_eq!(line["org_rsp_code"], "A0111", "{line}");
    assert_eq!(line["bank_rsp_code"], "");
    // the raised limit holds for a new bank_tran_id
    let fresh = app.withdraw(&f, &fin, 10_000_001, &tran_id(&f.org)).await;
    assert_eq!(fresh["rsp_code"], "A0000", "{fresh}");
}

#[tokio::test]
async fn a_wrong_pass_phrase_is_answered_again_with_the_right_one() {
    let app = spawn_app().await;
    let f = app.fintech("핀테크").await;
    let (p, a) = app.person("홍길동", "BA00000004", 0).await;
    let (_, fin) = app.register_both(&f, (&p, &a)).await;
    let item = f.deposit_item(1, &fin, 1_000);
    let tran = item["bank_tran_id"].as_str().unwrap().to_owned();
    let mut wrong = f.deposit_body(vec![item.clone()]);
    wrong["wd_pass_phrase"] = json!("SECRET");
    let first = app
        .kftc_post(&f.token, "/v2.0/transfer/deposit/fin_num", wrong)
        .await;
    assert_eq!(first["rsp_code"], "A0307", "{first}");

    let right = f.deposit_body(vec![item]);
    let again = app
        .kftc_post(&f.token, "/v2.0/transfer/deposit/fin_num", right)
        .await;
    assert_eq!(again["rsp_code"], "A0307", "{again}");
    assert_eq!(balance(&app, &f, &fin).await, "0");

    let line = result(&app, &f, "2", &tran, 1_000).await;
    assert_eq!(line["org_rsp_code"], "A0307", "{line}");
    let fresh = f.deposit_body(vec![f.deposit_item(1, &fin, 1_000)]);
    let ok = app
        .kftc_post(&f.token, "/v2.0/transfer/deposit/fin_num", fresh)
        .await;
    assert_eq!(ok["rsp_code"], "A0000", "{ok}");
    assert_eq!(balance(&app, &f, &fin).await, "1000");
}

#[tokio::test]
async fn a_missing_transfer_consent_is_answered_again_once_given() {
    let app = spawn_app().await;
    let f = app.fintech("핀테크").await;
    let (p, a) = app.person("홍길동", "BA00000004", 100_000).await;
    let r = app.register(&f, (&p, &a), "inquiry").await;
    let fin = r["fintech_use_num"].as_str().unwrap().to_owned();
    let tran = tran_id(&f.org);
    assert_eq!(
        app.withdraw(&f, &fin, 1_000, &tran).await["rsp_code"],
        "A0306"
    );
    assert_eq!(
        app.register(&f, (&p, &a), "transfer").await["rsp_code"],
        "A0000"
    );
    let again = app.withdraw(&f, &fin, 1_000, &tran).await;
    assert_eq!(again["rsp_code"], "A0306", "{again}");
    assert_eq!(balance(&app, &f, &fin).await, "100000");

    let line = result(&app, &f, "1", &tran, 1_000).await;
    assert_eq!(line["org_rsp_code"], "A0306", "{line}");
    let fresh = app.withdraw(&f, &fin, 1_000, &tran_id(&f.org)).await;
    assert_eq!(fresh["rsp_code"], "A0000", "{fresh}");
}

#[tokio::test]
async fn an_outage_refusal_is_answered_again_when_the_bank_is_back() {
    let app = spawn_app().await;
    let f = app.fintech("핀테크").await;
    let (p, a) = app.person("홍길동", "BA00000004", 100_000).await;
    let (_, fin) = app.register_both(&f, (&p, &a)).await;
    app.world
        .set_institution_status("004", ServiceStatus::Outage)
        .await
        .unwrap();
    let tran = tran_id(&f.org);
    let first = app.withdraw(&f, &fin, 1_000, &tran).await;
    assert_eq!(first["rsp_code"], "A0002", "{first}");
    assert_eq!(first["bank_rsp_code"], "499");
    app.world
        .set_institution_status("004", ServiceStatus::Active)
        .await
        .unwrap();
    let again = app.withdraw(&f, &fin, 1_000, &tran).await;
    assert_eq!(again["rsp_code"], "A0002", "{again}");
    assert_eq!(again["bank_rsp_code"], "499");
    assert_eq!(again["rsp_message"], first["rsp_message"]);
    assert_eq!(balance(&app, &f, &fin).await, "100000");

    let line = result(&app, &f, "1", &tran, 1_000).await;
    assert_eq!(line["org_rsp_code"], "A0002", "{line}");
    assert_eq!(line["bank_rsp_code"], "499");
    let fresh = app.withdraw(&f, &fin, 1_000, &tran_id(&f.org)).await;
    assert_eq!(fresh["rsp_code"], "A0000", "{fresh}");
}

#[tokio::test]
async fn an_applied_transfer_is_not_refused_on_retry() {
    let app = spawn_app().await;
    let f = app.fintech("핀테크").await;
    let (p, a) = app.person("홍길동", "BA00000004", 100_000).await;
    let (_, fin) = app.register_both(&f, (&p, &a)).await;
    let tran = tran_id(&f.org);
    assert_eq!(
        app.withdraw(&f, &fin, 1_000, &tran).await["rsp_code"],
        "A0000"
    );
    app.world
        .set_institution_status("004", ServiceStatus::Outage)
        .await
        .unwrap();
    // the first outcome (applied) stands: A0326, not an outage refusal
    let again = app.withdraw(&f, &fin, 1_000, &tran).await;
    assert_eq!(again["rsp_code"], "A0326", "{again}");
    app.world
        .set_institution_status("004", ServiceStatus::Active)
        .await
        .unwrap();
    assert_eq!(balance(&app, &f, &fin).await, "99000");
    let line = result(&app, &f, "1", &tran, 1_000).await;
    assert_eq!(line["org_rsp_code"], "A0000", "{line}");
}

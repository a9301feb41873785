//! Transfers: idempotency (also under concurrency), limits, refusals,
//! several deposit items, paging, outage.

use finhub_core::institution::ServiceStatus;
use finhub_core::registration::{ClientLimits, RegistrationRepo};
use finhub_testkit::kftc::*;
use finhub_testkit::*;
use serde_json::json;

#[tokio::test]
async fn a_repeated_bank_tran_id_moves_nothing_and_result_reports_the_original() {
    let app = spawn_app().await;
    let f = app.fintech("핀테크").await;
    let (p, a) = app.person("홍길동", "BA00000004", 100_000).await;
    let (_, fin) = app.register_both(&f, (&p, &a)).await;
    let tran = tran_id(&f.org);
    assert_eq!(
        app.withdraw(&f, &fin, 1_000, &tran).await["rsp_code"],
        "A0000"
    );
    let again = app.withdraw(&f, &fin, 1_000, &tran).await;
    assert_eq!(again["rsp_code"], "A0326", "{again}");
    let different = app.withdraw(&f, &fin, 2_000, &tran).await;
    assert_eq!(different["rsp_code"], "A0326");
    assert_eq!(app.balance(&f, &fin).await["balance_amt"], "99000");

    // a refused transfer is recorded too: result reports the refusal
    let poor = tran_id(&f.org);
    let r = app.withdraw(&f, &fin, 5_000_000, &poor).await;
    assert_eq!(r["rsp_code"], "A0002", "{r}");
    assert_eq!(r["bank_rsp_code"], "453");
    assert_eq!(
        app.withdraw(&f, &fin, 5_000_000, &poor).await["rsp_code"],
        "A0326"
    );
    let res = app
        .kftc_post(&f.token, "/v2.0/transfer/result", json!({"check_type": "1", "tran_dtime": dtime(), "req_cnt": "2",
            "req_list": [
              {"tran_no": "1", "org_bank_tran_id": poor, "org_bank_tran_date": app.today(), "org_tran_amt": "5000000"},
              {"tran_no": "2", "org_bank_tran_id": tran, "org_bank_tran_date": app.today(), "org_tran_amt": "1000"}]}))
        .await;
    assert_eq!(res["rsp_code"], "A0000", "{res}");
    assert_eq!(res["res_list"][0]["bank_rsp_code"], "453");
    assert_eq!(res["res_list"][0]["org_rsp_code"], "A0002");
    assert_eq!(res["res_list"][1]["bank_rsp_code"], "000");
    // an unknown original, or the wrong amount, is A0310
    for (id, amt) in [(tran_id(&f.org), "1000"), (tran.clone(), "999")] {
        let r = app
            .kftc_post(&f.token, "/v2.0/transfer/result", json!({"check_type": "1", "tran_dtime": dtime(), "req_cnt": "1",
                "req_list": [{"tran_no": "1", "org_bank_tran_id": id, "org_bank_tran_date": app.today(), "org_tran_amt": amt}]}))
            .await;
        assert_eq!(r["rsp_code"], "A0310", "{r}");
    }
}

#[tokio::test]
async fn concurrent_requests_with_one_bank_tran_id_move_money_once() {
    let app = spawn_app().await;
    let f = app.fintech("핀테크").await;
    let (p, a) = app.person("홍길동", "BA00000004", 100_000).await;
    let (_, fin) = app.register_both(&f, (&p, &a)).await;
    let tran = tran_id(&f.org);
    let calls = (0..16).map(|_| app.withdraw(&f, &fin, 7_000, &tran));
    let answers = futures::future::join_all(calls).await;
    let ok = answers.iter().filter(|r| r["rsp_code"] == "A0000").count();
    let dup = answers.iter().filter(|r| r["rsp_code"] == "A0326").count();
    assert_eq!((ok, dup), (1, 15));
    assert_eq!(app.balance(&f, &fin).await["balance_amt"], "93000");
    assert!(app.world.repo.audit().await.unwrap().is_empty());
}

#[tokio::test]
async fn limits_answer_with_their_codes() {
    let app = spawn_app().await;
    let f = app.fintech("핀테크").await;
    let (p, a) = app.person("홍길동", "BA00000004", 100_000_000).await;
    let (_, fin) = app.register_both(&f, (&p, &a)).await;
    // user per item, then user per day (10,000,000 by default)
    assert_eq!(
        app.withdraw(&f, &fin, 10_000_001, &tran_id(&f.org)).await["rsp_code"],
        "A0111"
    );
    assert_eq!(
        app.withdraw(&f, &fin, 6_000_000, &tran_id(&f.org)).await["rsp_code"],
        "A0000"
    );
    let day = app.withdraw(&f, &fin, 6_000_000, &tran_id(&f.org)).await;
    assert_eq!(day["rsp_code"], "A0112", "{day}");
    assert_eq!(app.balance(&f, &fin).await["balance_amt"], "94000000");

    let org = f.org.clone();
    let set = |l: ClientLimits| {
        let repo = app.store.clone();
        let org = org.clone();
        async move { assert!(repo.set_limits(&org, &l).await.unwrap()) }
    };
    let base = ClientLimits {
        user_wd_day_minor: 1_000_000_000,
        user_wd_item_minor: 1_000_000_000,
        ..Default::default()
    };
    set(ClientLimits {
        wd_item_minor: 1_000,
        ..base
    })
    .await;
    assert_eq!(
        app.withdraw(&f, &fin, 1_001, &tran_id(&f.org)).await["rsp_code"],
        "A0105"
    );
    set(ClientLimits {
        wd_day_minor: 6_001_000,
        ..base
    })
    .await;
    assert_eq!(
        app.withdraw(&f, &fin, 2_000, &tran_id(&f.org)).await["rsp_code"],
        "A0103"
    );
    set(ClientLimits {
        wd_month_minor: 6_001_000,
        ..base
    })
    .await;
    assert_eq!(
        app.withdraw(&f, &fin, 2_000, &tran_id(&f.org)).await["rsp_code"],
        "A0104"
    );

    let dep = |amt| f.deposit_body(vec![f.deposit_item(1, &fin, amt)]);
    set(ClientLimits {
        dps_item_minor: 1_000,
        ..base
    })
    .await;
    assert_eq!(
        app.kftc_post(&f.token, "/v2.0/transfer/deposit/fin_num", dep(1_001))
            .await["rsp_code"],
        "A0106"
    );
    set(ClientLimits {
        dps_day_minor: 1_000,
        ..base
    })
    .await;
    assert_eq!(
        app.kftc_post(&f.token, "/v2.0/transfer/deposit/fin_num", dep(1_001))
            .await["rsp_code"],
        "A0101"
    );
    set(ClientLimits {
        dps_month_minor: 1_000,
        ..base
    })
    .await;
    assert_eq!(
        app.kftc_post(&f.token, "/v2.0/transfer/deposit/fin_num", dep(1_001))
            .await["rsp_code"],
        "A0102"
    );
    assert_eq!(app.balance(&f, &fin).await["balance_amt"], "94000000");
}

#[tokio::test]
async fn deposits_take_several_items_and_check_the_count_phrase_and_name() {
    let app = spawn_app().await;
    let f = app.fintech("핀테크").await;
    let (p, a) = app.person("홍길동", "BA00000004", 0).await;
    let (q, b) = app.person("김영수", "BA00000088", 0).await;
    let (_, fin_p) = app.register_both(&f, (&p, &a)).await;
    let (_, fin_q) = app.register_both(&f, (&q, &b)).await;

    let body = f.deposit_body(vec![
        f.deposit_item(1, &fin_p, 1_000),
        f.deposit_item(2, &fin_q, 2_000),
        f.deposit_item(3, &fin_p, 3_000),
    ]);
    let r = app
        .kftc_post(&f.token, "/v2.0/transfer/deposit/fin_num", body)
        .await;
    assert_eq!(r["rsp_code"], "A0000", "{r}");
    assert_eq!(r["res_cnt"], "3");
    assert_eq!(app.balance(&f, &fin_p).await["balance_amt"], "4000");
    assert_eq!(app.balance(&f, &fin_q).await["balance_amt"], "2000");

    // req_cnt differs from the list
    let mut bad = f.deposit_body(vec![f.deposit_item(1, &fin_p, 1_000)]);
    bad["req_cnt"] = json!("2");
    let r = app
        .kftc_post(&f.token, "/v2.0/transfer/deposit/fin_num", bad)
        .await;
    assert_eq!(r["rsp_code"], "A0004");
    assert!(r["rsp_message"].as_str().unwrap().contains('['));

    // pass phrase
    let mut wrong = f.deposit_body(vec![f.deposit_item(1, &fin_p, 1_000)]);
    wrong["wd_pass_phrase"] = json!("SECRET");
    assert_eq!(
        app.kftc_post(&f.token, "/v2.0/transfer/deposit/fin_num", wrong)
            .await["rsp_code"],
        "A0307"
    );

    // a contract account that is not the caller's
    let mut other = f.deposit_body(vec![f.deposit_item(1, &fin_p, 1_000)]);
    other["cntr_account_num"] = json!("999999999999");
    assert_eq!(
        app.kftc_post(&f.token, "/v2.0/transfer/deposit/fin_num", other)
            .await["rsp_code"],
        "A0322"
    );

    // holder-name check on the account-number variant
    let mut item = f.deposit_item(1, "", 1_000);
    let o = item.as_object_mut().unwrap();
    o.remove("fintech_use_num");
    o.insert("bank_code_std".into(), json!("088"));
    o.insert("account_num".into(), json!(b.account_num));
    o.insert("account_holder_name".into(), json!("김엉뚱"));
    let r = app
        .kftc_post(
            &f.token,
            "/v2.0/transfer/deposit/acnt_num",
            f.deposit_body(vec![item]),
        )
        .await;
    assert_eq!(r["rsp_code"], "A0312", "{r}");
    assert_eq!(r["res_list"][0]["bank_rsp_code"], "815");

    // one good and one unknown item: A0009, the good one moved
    let mut unknown = f.deposit_item(2, &fin_p, 1_000);
    unknown["fintech_use_num"] = json!("120260001300000000000000");
    let r = app
        .kftc_post(
            &f.token,
            "/v2.0/transfer/deposit/fin_num",
            f.deposit_body(vec![f.deposit_item(1, &fin_q, 500), unknown]),
        )
        .await;
    assert_eq!(r["rsp_code"], "A0009", "{r}");
    assert_eq!(r["res_list"][0]["bank_rsp_code"], "000");
    assert_eq!(app.balance(&f, &fin_q).await["balance_amt"], "2500");

    // a repeated deposit item is A0326 and moves nothing
    let item = f.deposit_item(1, &fin_q, 100);
    assert_eq!(
        app.kftc_post(
            &f.token,
            "/v2.0/transfer/deposit/fin_num",
            f.deposit_body(vec![item.clone()])
        )
        .await["rsp_code"],
        "A0000"
    );
    assert_eq!(
        app.kftc_post(
            &f.token,
            "/v2.0/transfer/deposit/fin_num",
            f.deposit_body(vec![item])
        )
        .await["rsp_code"],
        "A0326"
    );
    assert_eq!(app.balance(&f, &fin_q).await["balance_amt"], "2600");
}

#[tokio::test]
async fn transaction_list_pages_by_25_with_a_cursor() {
    let app = spawn_app().await;
    let f = app.fintech("핀테크").await;
    let (p, a) = app.person("홍길동", "BA00000004", 1_000_000).await;
    let (_, fin) = app.register_both(&f, (&p, &a)).await;
    for i in 0..29 {
        let r = app.withdraw(&f, &fin, 100 + i, &tran_id(&f.org)).await;
        assert_eq!(r["rsp_code"], "A0000");
    }
    let today = app.today();
    let page = |cursor: Option<String>| {
        let c = cursor
            .map(|c| format!("&befor_inquiry_trace_info={c}"))
            .unwrap_or_default();
        format!(
            "/v2.0/account/transaction_list/fin_num?bank_tran_id={}&fintech_use_num={fin}&inquiry_type=A&inquiry_base=D&from_date={today}&to_date={today}&sort_order=D&tran_dtime={}{c}",
            tran_id(&f.org),
            dtime()
        )
    };
    let first = app.kftc_get(&f.token, &page(None)).await;
    assert_eq!(first["page_record_cnt"], "25", "{first}");
    assert_eq!(first["next_page_yn"], "Y");
    let cursor = first["befor_inquiry_trace_info"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(cursor.len(), 20);
    assert_eq!(first["res_list"][0]["tran_amt"], "128");
    let second = app.kftc_get(&f.token, &page(Some(cursor))).await;
    assert_eq!(second["page_record_cnt"], "5", "{second}");
    assert_eq!(second["next_page_yn"], "N");
    assert_eq!(second["befor_inquiry_trace_info"], "");
    // the opening deposit is the oldest line
    assert_eq!(second["res_list"][4]["inout_type"], "입금");
    assert_eq!(second["res_list"][4]["tran_amt"], "1000000");

    // by time, a window before anything happened: A0018
    let none = app
        .kftc_get(&f.token, &format!(
            "/v2.0/account/transaction_list/fin_num?bank_tran_id={}&fintech_use_num={fin}&inquiry_type=A&inquiry_base=T&from_date=20200101&from_time=000000&to_date=20200101&to_time=235959&sort_order=D&tran_dtime={}",
            tran_id(&f.org), dtime()))
        .await;
    assert_eq!(none["rsp_code"], "A0018", "{none}");
    // inquiry_base=T needs the times
    let no_time = app
        .kftc_get(&f.token, &format!(
            "/v2.0/account/transaction_list/fin_num?bank_tran_id={}&fintech_use_num={fin}&inquiry_type=A&inquiry_base=T&from_date={today}&to_date={today}&sort_order=D&tran_dtime={}",
            tran_id(&f.org), dtime()))
        .await;
    assert_eq!(no_time["rsp_code"], "A0004");
}

#[tokio::test]
async fn a_bank_in_outage_refuses_inquiries_and_transfers() {
    let app = spawn_app().await;
    let f = app.fintech("핀테크").await;
    let (p, a) = app.person("홍길동", "BA00000004", 100_000).await;
    let (_, fin) = app.register_both(&f, (&p, &a)).await;
    app.world
        .set_institution_status("004", ServiceStatus::Outage)
        .await
        .unwrap();
    let st = app.kftc_get(&f.token, "/v2.0/bank/status").await;
    let kb = st["res_list"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["bank_code_std"] == "004")
        .unwrap()
        .clone();
    assert_eq!(kb["bank_status"], "N");
    let bal = app.balance(&f, &fin).await;
    assert_eq!(bal["rsp_code"], "A0002", "{bal}");
    assert_eq!(bal["bank_rsp_code"], "499");
    assert_eq!(bal["bank_code_tran"], "004");
    let wd = app.withdraw(&f, &fin, 1_000, &tran_id(&f.org)).await;
    assert_eq!(wd["rsp_code"], "A0002");
    app.world
        .set_institution_status("004", ServiceStatus::Active)
        .await
        .unwrap();
    assert_eq!(app.balance(&f, &fin).await["balance_amt"], "100000");
}

#[tokio::test]
async fn closed_accounts_and_missing_consents_are_refused() {
    let app = spawn_app().await;
    let f = app.fintech("핀테크").await;
    let (p, a) = app.person("홍길동", "BA00000004", 100_000).await;
    // inquiry only: no withdrawal consent
    let r = app.register(&f, (&p, &a), "inquiry").await;
    let fin = r["fintech_use_num"].as_str().unwrap().to_owned();
    assert_eq!(
        app.withdraw(&f, &fin, 1_000, &tran_id(&f.org)).await["rsp_code"],
        "A0306"
    );
    assert_eq!(
        app.register(&f, (&p, &a), "inquiry").await["rsp_code"],
        "A0324"
    );
    assert_eq!(
        app.register(&f, (&p, &a), "transfer").await["rsp_code"],
        "A0000"
    );
    assert_eq!(
        app.register(&f, (&p, &a), "transfer").await["rsp_code"],
        "A0325"
    );
    // inquiry consent cancelled: balance needs it
    let c = app
        .kftc_post(
            &f.token,
            "/v2.0/account/cancel",
            json!({"bank_tran_id": tran_id(&f.org), "scope": "inquiry", "fintech_use_num": fin}),
        )
        .await;
    assert_eq!(c["rsp_code"], "A0000");
    assert_eq!(app.balance(&f, &fin).await["rsp_code"], "A0305");
    // registering without consent
    let mut body = json!({
        "bank_tran_id": tran_id(&f.org), "bank_code_std": "004", "register_account_num": a.account_num,
        "user_info": "19900517", "user_name": p.name, "user_ci": p.ci, "scope": "inquiry",
        "info_prvd_agmt_yn": "N", "tran_dtime": dtime()});
    assert_eq!(
        app.kftc_post(&f.token, "/v2.0/user/register", body.clone())
            .await["rsp_code"],
        "A0305"
    );
    body["scope"] = json!("transfer");
    body["wd_agmt_yn"] = json!("N");
    assert_eq!(
        app.kftc_post(&f.token, "/v2.0/user/register", body.clone())
            .await["rsp_code"],
        "A0306"
    );
    // a holder-name mismatch on register
    body["wd_agmt_yn"] = json!("Y");
    body["user_name"] = json!("김엉뚱");
    let r = app.kftc_post(&f.token, "/v2.0/user/register", body).await;
    assert_eq!(r["rsp_code"], "A0312");
    assert_eq!(r["bank_rsp_code"], "815");
    // a closed account
    app.world
        .repo
        .close_account(&a.account_id, app.clock.now())
        .await
        .unwrap();
    let wd = app.withdraw(&f, &fin, 1_000, &tran_id(&f.org)).await;
    assert_eq!(wd["rsp_code"], "A0002");
    assert_eq!(wd["bank_rsp_code"], "415");
}

//! Management APIs: counts and fees from the call log, limits, fraud
//! detection windows, terms.

use chrono::Duration;
use finhub_testkit::kftc::*;
use finhub_testkit::*;
use serde_json::json;

#[tokio::test]
async fn counts_and_fees_come_from_the_call_log_with_the_period_rules() {
    let app = spawn_app().await;
    let f = app.fintech("핀테크").await;
    let (p, a) = app.person("홍길동", "BA00000004", 100_000).await;
    let (_, fin) = app.register_both(&f, (&p, &a)).await;
    let day = app.today();
    app.balance(&f, &fin).await;
    app.balance(&f, &fin).await;
    app.withdraw(&f, &fin, 1_000, &tran_id(&f.org)).await;
    // today cannot be asked
    let today = app
        .kftc_get(&f.token, &format!("/v2.0/manage/count?inquiry_date={day}"))
        .await;
    assert_eq!(today["rsp_code"], "A0004");
    app.clock.advance(Duration::days(1));
    let c = app
        .kftc_get(&f.token, &format!("/v2.0/manage/count?inquiry_date={day}"))
        .await;
    assert_eq!(c["rsp_code"], "A0000", "{c}");
    let lines = c["res_list"].as_array().unwrap();
    let cnt = |api: &str| {
        lines
            .iter()
            .find(|l| l["api_name"] == api)
            .map(|l| l["api_cnt"].clone())
    };
    assert_eq!(cnt("account/balance/fin_num"), Some(json!("2")));
    assert_eq!(cnt("user/register"), Some(json!("2")));
    assert_eq!(cnt("transfer/withdraw/fin_num"), Some(json!("1")));
    // every authenticated call counts, the refused manage/count too
    assert_eq!(cnt("manage/count"), Some(json!("1")));
    assert_eq!(c["total_cnt"], "6");
    let fee = app
        .kftc_get(
            &f.token,
            &format!("/v2.0/manage/fee?from_date={day}&to_date={day}"),
        )
        .await;
    assert_eq!(fee["rsp_code"], "A0000", "{fee}");
    assert_eq!(fee["total_fee_amt"], "70"); // 2 x 10 + 1 x 50
                                            // more than a month per request, more than a year back
    let long = app
        .kftc_get(
            &f.token,
            "/v2.0/manage/fee?from_date=20200101&to_date=20200301",
        )
        .await;
    assert_eq!(long["rsp_code"], "A0004");
    let old = app
        .kftc_get(&f.token, "/v2.0/manage/count?inquiry_date=20200101")
        .await;
    assert_eq!(old["rsp_code"], "A0004");
    let missing = app
        .kftc_get(&f.token, "/v2.0/manage/fee?from_date=20200101")
        .await;
    assert_eq!(missing["rsp_code"], "A0004");
}

#[tokio::test]
async fn wd_limit_reports_what_remains() {
    let app = spawn_app().await;
    let f = app.fintech("핀테크").await;
    let (p, a) = app.person("홍길동", "BA00000004", 100_000).await;
    let (_, fin) = app.register_both(&f, (&p, &a)).await;
    let before = app.kftc_get(&f.token, "/v2.0/manage/wd_limit").await;
    assert_eq!(before["rsp_code"], "A0000", "{before}");
    let limit: i64 = before["wd_day_limit_amt"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(before["wd_day_remain_amt"], limit.to_string().as_str());
    assert!(before.get("wd_limit_remain_amt").is_none());
    assert_eq!(
        app.withdraw(&f, &fin, 10_000, &tran_id(&f.org)).await["wd_limit_remain_amt"],
        "9990000"
    );
    let after = app
        .kftc_get(
            &f.token,
            &format!("/v2.0/manage/wd_limit?fintech_use_num={fin}"),
        )
        .await;
    assert_eq!(
        after["wd_day_remain_amt"],
        (limit - 10_000).to_string().as_str()
    );
    assert_eq!(after["wd_limit_remain_amt"], "9990000");
}

#[tokio::test]
async fn fds_detect_flags_bursts_and_first_large_deposits_within_its_window_rules() {
    let app = spawn_app().await;
    let f = app.fintech("핀테크").await;
    let (p, a) = app.person("홍길동", "BA00000004", 1_000_000).await;
    let (q, b) = app.person("김영수", "BA00000004", 0).await;
    let (_, fin_p) = app.register_both(&f, (&p, &a)).await;
    let (_, fin_q) = app.register_both(&f, (&q, &b)).await;
    let start = app.clock.now_kst();
    for _ in 0..3 {
        assert_eq!(
            app.withdraw(&f, &fin_p, 1_000, &tran_id(&f.org)).await["rsp_code"],
            "A0000"
        );
    }
    let r = app
        .kftc_post(
            &f.token,
            "/v2.0/transfer/deposit/fin_num",
            f.deposit_body(vec![f.deposit_item(1, &fin_q, 2_000_000)]),
        )
        .await;
    assert_eq!(r["rsp_code"], "A0000", "{r}");
    // the window must end at least a minute ago
    let from = (start - Duration::minutes(1)).format("%H%M%S").to_string();
    let to = (start + Duration::minutes(5)).format("%H%M%S").to_string();
    let date = start.format("%Y%m%d").to_string();
    let url = format!("/v2.0/inquiry/fds_detect?inquiry_date={date}&from_time={from}&to_time={to}");
    assert_eq!(app.kftc_get(&f.token, &url).await["rsp_code"], "A0004");
    app.clock.advance(Duration::minutes(7));
    let d = app.kftc_get(&f.token, &url).await;
    assert_eq!(d["rsp_code"], "A0000", "{d}");
    let list = d["res_list"].as_array().unwrap();
    assert!(
        list.iter()
            .any(|i| i["detect_rule_code"] == "R001" && i["fintech_use_num"] == fin_p.as_str()),
        "{d}"
    );
    assert!(
        list.iter().any(|i| i["detect_rule_code"] == "R002"
            && i["fintech_use_num"] == fin_q.as_str()
            && i["tran_amt"] == "2000000"),
        "{d}"
    );
    // at most ten minutes per request
    let wide = format!(
        "/v2.0/inquiry/fds_detect?inquiry_date={date}&from_time={}&to_time={to}",
        (start - Duration::minutes(6)).format("%H%M%S")
    );
    assert_eq!(app.kftc_get(&f.token, &wide).await["rsp_code"], "A0004");
    // at most a month back
    let old = app
        .kftc_get(
            &f.token,
            "/v2.0/inquiry/fds_detect?inquiry_date=20200101&from_time=100000&to_time=100500",
        )
        .await;
    assert_eq!(old["rsp_code"], "A0004");
}

#[tokio::test]
async fn terms_list_current_and_upcoming_versions_per_bank() {
    let app = spawn_app().await;
    let f = app.fintech("핀테크").await;
    let all = app.kftc_get(&f.token, "/v2.0/manage/terms").await;
    assert_eq!(all["rsp_code"], "A0000", "{all}");
    let one = app
        .kftc_get(&f.token, "/v2.0/manage/terms?bank_code_std=004")
        .await;
    let list = one["res_list"].as_array().unwrap();
    assert!(list.iter().all(|t| t["bank_code_std"] == "004"));
    assert_eq!(list.iter().filter(|t| t["current_yn"] == "Y").count(), 1);
    assert!(all["res_list"].as_array().unwrap().len() > list.len());
    assert_eq!(
        app.kftc_get(&f.token, "/v2.0/manage/terms?bank_code_std=999")
            .await["rsp_code"],
        "A0004"
    );
}

#[tokio::test]
async fn error_envelopes_carry_the_worlds_time() {
    let app = spawn_app().await;
    let f = app.fintech("핀테크").await;
    app.clock.advance(Duration::days(30));
    let e = app
        .kftc_get(&f.token, "/v2.0/manage/count?inquiry_date=20200101")
        .await;
    assert_eq!(e["rsp_code"], "A0004");
    let want = app.clock.now_kst().format("%Y%m%d").to_string();
    assert!(
        e["api_tran_dtm"].as_str().unwrap().starts_with(&want),
        "{e}"
    );
}

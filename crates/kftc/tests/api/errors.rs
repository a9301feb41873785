//! Gateway and format errors: each with its exact KFTC code, HTTP 200, never a 500.

use finhub_testkit::kftc::*;
use finhub_testkit::*;
use serde_json::json;

#[tokio::test]
async fn token_problems_get_o_codes() {
    let app = spawn_app().await;
    let f = app.fintech("핀테크").await;
    let none = app.kftc_call("GET", None, "/v2.0/bank/status", None).await;
    assert_eq!(none["rsp_code"], "O0001");
    assert!(
        none["rsp_message"].as_str().unwrap().contains("992"),
        "{none}"
    );
    assert!(
        none.get("api_tran_id").is_none(),
        "gateway errors carry only two fields"
    );
    let bad = app
        .kftc_call("GET", Some("not-a-token"), "/v2.0/bank/status", None)
        .await;
    assert_eq!(bad["rsp_code"], "O0002");
    let expired = app.sign(&f, &["sa"], None, -10);
    assert_eq!(
        app.kftc_get(&expired, "/v2.0/bank/status").await["rsp_code"],
        "O0003"
    );
    let oob = app.sign(&f, &["oob"], None, 3600);
    assert_eq!(
        app.kftc_get(&oob, "/v2.0/bank/status").await["rsp_code"],
        "A0000"
    );
    let reg = app.kftc_post(&oob, "/v2.0/user/register", json!({})).await;
    assert_eq!(reg["rsp_code"], "O0011");
    assert_eq!(reg["rsp_message"], "허용되지 않은 Scope 입니다.");
    // wrong method, unknown API
    let m = app
        .kftc_call(
            "POST",
            Some(&f.token),
            "/v2.0/bank/status",
            Some("{}".into()),
        )
        .await;
    assert_eq!(m["rsp_code"], "O0010");
    let u = app.kftc_get(&f.token, "/v2.0/no/such/api").await;
    assert_eq!(u["rsp_code"], "O0005");
}

#[tokio::test]
async fn malformed_requests_get_a0004_with_a_reason() {
    let app = spawn_app().await;
    let f = app.fintech("핀테크").await;
    let (p, a) = app.person("홍길동", "BA00000004", 100_000).await;
    let (_, fin) = app.register_both(&f, (&p, &a)).await;
    let check = |v: Resp, hint: &str| {
        assert_eq!(v["rsp_code"], "A0004", "{v}");
        let msg = v["rsp_message"].as_str().unwrap();
        assert!(msg.starts_with("요청전문 포맷 에러 ["), "{msg}");
        assert!(msg.contains(hint), "{msg} lacks {hint}");
        assert_eq!(v["api_tran_id"].as_str().unwrap().len(), 36);
        assert_eq!(v["api_tran_dtm"].as_str().unwrap().len(), 17);
    };
    // malformed JSON
    let v = app
        .kftc_call(
            "POST",
            Some(&f.token),
            "/v2.0/transfer/withdraw/fin_num",
            Some("{not json".into()),
        )
        .await;
    check(v, "JSON");
    // a number where a string belongs
    let mut body = f.withdraw_body(&fin, 1_000, &tran_id(&f.org));
    body["tran_amt"] = json!(1000);
    check(
        app.kftc_post(&f.token, "/v2.0/transfer/withdraw/fin_num", body)
            .await,
        "JSON",
    );
    // a missing field
    let mut body = f.withdraw_body(&fin, 1_000, &tran_id(&f.org));
    body.as_object_mut().unwrap().remove("tran_dtime");
    check(
        app.kftc_post(&f.token, "/v2.0/transfer/withdraw/fin_num", body)
            .await,
        "tran_dtime",
    );
    // a wrong length
    let mut body = f.withdraw_body(&fin, 1_000, &tran_id(&f.org));
    body["req_client_name"] = json!("가".repeat(21));
    check(
        app.kftc_post(&f.token, "/v2.0/transfer/withdraw/fin_num", body)
            .await,
        "req_client_name",
    );
    // another institution's bank_tran_id prefix
    let body = f.withdraw_body(&fin, 1_000, &tran_id("T991667950"));
    check(
        app.kftc_post(&f.token, "/v2.0/transfer/withdraw/fin_num", body)
            .await,
        "이용기관코드",
    );
    // missing final-recipient data
    let mut body = f.withdraw_body(&fin, 1_000, &tran_id(&f.org));
    body.as_object_mut().unwrap().remove("recv_client_name");
    check(
        app.kftc_post(&f.token, "/v2.0/transfer/withdraw/fin_num", body)
            .await,
        "최종수취고객정보",
    );
    // a missing query field and a bad enum
    check(
        app.kftc_get(
            &f.token,
            "/v2.0/account/list?user_seq_no=1100000001&sort_order=D",
        )
        .await,
        "include_cancel_yn",
    );
    check(
        app.kftc_get(
            &f.token,
            "/v2.0/account/list?user_seq_no=1100000001&include_cancel_yn=X&sort_order=D",
        )
        .await,
        "include_cancel_yn",
    );
    // a bad amount
    let body = f.withdraw_body(&fin, -5, &tran_id(&f.org));
    check(
        app.kftc_post(&f.token, "/v2.0/transfer/withdraw/fin_num", body)
            .await,
        "tran_amt",
    );
    // nothing moved
    assert_eq!(app.balance(&f, &fin).await["balance_amt"], "100000");
    // real_name: holder info format that disagrees with its type
    let rn = app
        .kftc_post(
            &f.token,
            "/v2.0/inquiry/real_name",
            json!({
            "bank_tran_id": tran_id(&f.org), "bank_code_std": "004", "account_num": a.account_num,
            "account_holder_info_type": " ", "account_holder_info": "1234", "tran_dtime": dtime()}),
        )
        .await;
    assert_eq!(rn["rsp_code"], "A0321");
    let rn = app
        .kftc_post(&f.token, "/v2.0/inquiry/real_name", json!({
            "bank_tran_id": tran_id(&f.org), "bank_code_std": "004", "account_num": a.account_num,
            "account_holder_info_type": " ", "account_holder_info": "010101", "tran_dtime": dtime()}))
        .await;
    assert_eq!(rn["rsp_code"], "A0002");
    assert_eq!(rn["bank_rsp_code"], "463");
    // an unknown account
    let rn = app
        .kftc_post(&f.token, "/v2.0/inquiry/real_name", json!({
            "bank_tran_id": tran_id(&f.org), "bank_code_std": "004", "account_num": "000-000000-00000",
            "account_holder_info_type": "N", "tran_dtime": dtime()}))
        .await;
    assert_eq!(rn["rsp_code"], "A0002");
    assert_eq!(rn["bank_rsp_code"], "412");
}

#[tokio::test]
async fn one_institution_never_sees_anothers_users() {
    let app = spawn_app().await;
    let f = app.fintech("핀테크A").await;
    let g = app.fintech("핀테크B").await;
    let (p, a) = app.person("홍길동", "BA00000004", 100_000).await;
    let (user, fin) = app.register_both(&f, (&p, &a)).await;
    // G has not registered the account: its fintech_use_num is unknown to G
    assert_eq!(app.balance(&g, &fin).await["rsp_code"], "A0304");
    let wd = app.withdraw(&g, &fin, 1_000, &tran_id(&g.org)).await;
    assert_eq!(wd["rsp_code"], "A0304");
    let me = app
        .kftc_get(&g.token, &format!("/v2.0/user/me?user_seq_no={user}"))
        .await;
    assert_eq!(me["rsp_code"], "A0313");
    let list = app
        .kftc_get(
            &g.token,
            &format!("/v2.0/account/list?user_seq_no={user}&include_cancel_yn=Y&sort_order=D"),
        )
        .await;
    assert_eq!(list["rsp_code"], "A0313");
    let bal = app
        .kftc_post(
            &g.token,
            "/v2.0/account/balance/acnt_num",
            json!({
            "bank_tran_id": tran_id(&g.org), "bank_code_std": "004", "account_num": a.account_num,
            "user_seq_no": user, "tran_dtime": dtime()}),
        )
        .await;
    assert_eq!(bal["rsp_code"], "A0323");
    // G registers the same account: same user_seq_no, its own fintech_use_num
    let (user_g, fin_g) = app.register_both(&g, (&p, &a)).await;
    assert_eq!(user_g, user);
    assert_ne!(fin_g, fin);
    assert!(fin_g.starts_with(&format!("1{}", &g.org[1..])));
    // G's contract account is not F's
    let mut body = f.withdraw_body(&fin, 1_000, &tran_id(&f.org));
    body["cntr_account_num"] = json!(g.cntr);
    assert_eq!(
        app.kftc_post(&f.token, "/v2.0/transfer/withdraw/fin_num", body)
            .await["rsp_code"],
        "A0322"
    );
    // user/close for another institution's code
    let close = app
        .kftc_post(
            &g.token,
            "/v2.0/user/close",
            json!({"client_use_code": f.org, "user_seq_no": user}),
        )
        .await;
    assert_eq!(close["rsp_code"], "A0004");
}

#[tokio::test]
async fn the_openapi_document_covers_every_route() {
    let app = spawn_app().await;
    let doc = app.kftc_call("GET", None, "/openapi/kftc.json", None).await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = doc["paths"].as_object().unwrap();
    assert_eq!(paths.len(), 24);
    for p in [
        "/v2.0/user/register",
        "/v2.0/transfer/deposit/fin_num",
        "/v2.0/manage/terms",
        "/v2.0/inquiry/fds_detect",
    ] {
        assert!(paths.contains_key(p), "{p}");
    }
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let wd = serde_json::to_string(&schemas["WithdrawResponse"]).unwrap();
    assert!(wd.contains("wd_limit_remain_amt"));
    assert!(schemas.contains_key("DepositItemRequest"));
}

#[tokio::test]
async fn odd_bodies_and_oversized_lists_are_format_errors() {
    let app = spawn_app().await;
    let f = app.fintech("핀테크").await;
    let (p, a) = app.person("홍길동", "BA00000004", 100_000).await;
    let (_, fin) = app.register_both(&f, (&p, &a)).await;
    // no body and no content type
    let v = app
        .kftc_call("POST", Some(&f.token), "/v2.0/transfer/result", None)
        .await;
    assert_eq!(v["rsp_code"], "A0004", "{v}");
    // a JSON array instead of an object
    let v = app
        .kftc_call(
            "POST",
            Some(&f.token),
            "/v2.0/inquiry/receive",
            Some("[]".into()),
        )
        .await;
    assert_eq!(v["rsp_code"], "A0004", "{v}");
    // more than 25 deposit items
    let items = (1..=26).map(|i| f.deposit_item(i, &fin, 1)).collect();
    let v = app
        .kftc_post(
            &f.token,
            "/v2.0/transfer/deposit/fin_num",
            f.deposit_body(items),
        )
        .await;
    assert_eq!(v["rsp_code"], "A0004", "{v}");
    assert_eq!(app.balance(&f, &fin).await["balance_amt"], "100000");
    // a 2-legged token claiming a user scope gets no user API
    let t = app.sign(&f, &["inquiry", "transfer"], None, 3600);
    let v = app
        .kftc_get(
            &t,
            &format!(
                "/v2.0/account/balance/fin_num?bank_tran_id={}&fintech_use_num={fin}&tran_dtime={}",
                tran_id(&f.org),
                dtime()
            ),
        )
        .await;
    assert_eq!(v["rsp_code"], "O0011", "{v}");
    let g = Fintech {
        token: t,
        ..f.clone()
    };
    assert_eq!(
        app.withdraw(&g, &fin, 1, &tran_id(&f.org)).await["rsp_code"],
        "O0011"
    );
    // GET on a POST-only API
    let m = app
        .kftc_get(&f.token, "/v2.0/transfer/withdraw/fin_num")
        .await;
    assert_eq!(m["rsp_code"], "O0010");
}

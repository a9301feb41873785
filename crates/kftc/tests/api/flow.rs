//! token → register → list → balance → transactions → withdraw → deposit →
//! result → management, as a real app calls them.

use finhub_testkit::kftc::*;
use finhub_testkit::*;
use serde_json::json;

#[tokio::test]
async fn a_fintech_app_runs_the_whole_flow() {
    let app = spawn_app().await;
    let f = app.fintech("핀테크쇼핑").await;
    assert!(f.org.starts_with('M') && f.org.len() == 10);
    let (p, a) = app.person("홍길동", "BA00000004", 500_000).await;

    // register for inquiry, then transfer: one fintech_use_num, one user_seq_no.
    let (user, fin) = app.register_both(&f, (&p, &a)).await;
    assert_eq!(user.len(), 10);
    assert!(user.starts_with("11"));
    assert_eq!(fin.len(), 24);
    assert!(fin.starts_with(&format!("1{}", &f.org[1..])));

    // account/list and user/me
    let list = app
        .kftc_get(
            &f.token,
            &format!("/v2.0/account/list?user_seq_no={user}&include_cancel_yn=N&sort_order=D"),
        )
        .await;
    assert_eq!(list["rsp_code"], "A0000", "{list}");
    assert_eq!(list["rsp_message"], "");
    assert_eq!(list["api_tran_dtm"].as_str().unwrap().len(), 17);
    assert_eq!(list["user_name"], "홍길동");
    assert_eq!(list["res_cnt"], "1");
    let item = &list["res_list"][0];
    assert_eq!(item["fintech_use_num"], fin.as_str());
    assert_eq!(item["bank_code_std"], "004");
    assert_eq!(item["bank_name"], "국민은행");
    assert_eq!(item["inquiry_agree_yn"], "Y");
    assert_eq!(item["transfer_agree_yn"], "Y");
    assert_eq!(item["account_state"], "01");
    let masked = item["account_num_masked"].as_str().unwrap();
    assert!(masked.ends_with("***"));
    assert_eq!(masked.len(), a.account_num.len());
    assert_eq!(
        &masked[..masked.len() - 3],
        &a.account_num[..a.account_num.len() - 3]
    );

    let me = app
        .kftc_get(&f.token, &format!("/v2.0/user/me?user_seq_no={user}"))
        .await;
    assert_eq!(me["rsp_code"], "A0000", "{me}");
    assert_eq!(me["user_ci"], p.ci.as_str());
    assert_eq!(me["user_info"], "19900517");
    assert_eq!(me["res_cnt"], "1");
    assert!(me["res_list"][0].get("account_state").is_none());

    // balance
    let bal = app.balance(&f, &fin).await;
    assert_eq!(bal["rsp_code"], "A0000", "{bal}");
    assert_eq!(bal["balance_amt"], "500000");
    assert_eq!(bal["available_amt"], "500000");
    assert_eq!(bal["bank_rsp_code"], "000");
    assert_eq!(bal["bank_code_tran"], "004");
    assert_eq!(bal["account_type"], "1");
    assert_eq!(bal["bank_tran_date"], app.today().as_str());

    // withdraw: the money moves at once
    let tran = tran_id(&f.org);
    let wd = app.withdraw(&f, &fin, 10_000, &tran).await;
    assert_eq!(wd["rsp_code"], "A0000", "{wd}");
    assert_eq!(wd["bank_tran_id"], tran.as_str());
    assert_eq!(wd["tran_amt"], "10000");
    assert_eq!(wd["wd_limit_remain_amt"], "9990000");
    assert_eq!(wd["dps_bank_code_std"], "097");
    assert_eq!(wd["dps_account_holder_name"], "핀테크쇼핑");
    assert_eq!(wd["account_holder_name"], "홍길동");
    assert_eq!(app.balance(&f, &fin).await["balance_amt"], "490000");

    // transactions show it
    let today = app.today();
    let tx = app
        .kftc_get(
            &f.token,
            &format!(
                "/v2.0/account/transaction_list/fin_num?bank_tran_id={}&fintech_use_num={fin}&inquiry_type=O&inquiry_base=D&from_date={today}&to_date={today}&sort_order=D&tran_dtime={}",
                tran_id(&f.org),
                dtime()
            ),
        )
        .await;
    assert_eq!(tx["rsp_code"], "A0000", "{tx}");
    assert_eq!(tx["page_record_cnt"], "1");
    assert_eq!(tx["next_page_yn"], "N");
    assert_eq!(tx["balance_amt"], "490000");
    let line = &tx["res_list"][0];
    assert_eq!(line["inout_type"], "출금");
    assert_eq!(line["tran_amt"], "10000");
    assert_eq!(line["after_balance_amt"], "490000");
    assert_eq!(line["print_content"], "오픈뱅킹출금");
    assert_eq!(line["tran_date"], today.as_str());

    // deposit back
    let dp = app
        .kftc_post(
            &f.token,
            "/v2.0/transfer/deposit/fin_num",
            f.deposit_body(vec![f.deposit_item(1, &fin, 3_000)]),
        )
        .await;
    assert_eq!(dp["rsp_code"], "A0000", "{dp}");
    assert_eq!(dp["res_cnt"], "1");
    assert_eq!(dp["wd_bank_code_std"], "097");
    assert_eq!(dp["res_list"][0]["bank_rsp_code"], "000");
    assert_eq!(dp["res_list"][0]["account_holder_name"], "홍길동");
    let dps_tran = dp["res_list"][0]["bank_tran_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(app.balance(&f, &fin).await["balance_amt"], "493000");

    // transfer/result reports both originals
    for (check, id, amt) in [
        ("1", tran.as_str(), "10000"),
        ("2", dps_tran.as_str(), "3000"),
    ] {
        let r = app
            .kftc_post(
                &f.token,
                "/v2.0/transfer/result",
                json!({"check_type": check, "tran_dtime": dtime(), "req_cnt": "1",
                       "req_list": [{"tran_no": "1", "org_bank_tran_id": id,
                                     "org_bank_tran_date": today, "org_tran_amt": amt}]}),
            )
            .await;
        assert_eq!(r["rsp_code"], "A0000", "{r}");
        let l = &r["res_list"][0];
        assert_eq!(l["bank_rsp_code"], "000");
        assert_eq!(l["tran_amt"], amt);
        if check == "1" {
            assert_eq!(l["wd_fintech_use_num"], fin.as_str());
            assert_eq!(l["dps_bank_code_std"], "097");
        } else {
            assert_eq!(l["dps_fintech_use_num"], fin.as_str());
            assert_eq!(l["wd_account_holder_name"], "핀테크쇼핑");
        }
    }

    // management
    let lim = app
        .kftc_get(
            &f.token,
            &format!("/v2.0/manage/wd_limit?fintech_use_num={fin}"),
        )
        .await;
    assert_eq!(lim["rsp_code"], "A0000", "{lim}");
    assert_eq!(lim["wd_limit_remain_amt"], "9990000");
    assert_eq!(lim["user_wd_day_limit_amt"], "10000000");
    let st = app.kftc_get(&f.token, "/v2.0/bank/status").await;
    assert_eq!(st["rsp_code"], "A0000");
    assert!(st["res_list"]
        .as_array()
        .unwrap()
        .iter()
        .any(|b| b["bank_code_std"] == "004" && b["bank_status"] == "Y"));
}

#[tokio::test]
async fn account_number_variants_and_institution_inquiries() {
    let app = spawn_app().await;
    let f = app.fintech("핀테크").await;
    let (p, a) = app.person("김철수", "BA00000088", 200_000).await;
    let (user, fin) = app.register_both(&f, (&p, &a)).await;

    let bal = app
        .kftc_post(
            &f.token,
            "/v2.0/account/balance/acnt_num",
            json!({
            "bank_tran_id": tran_id(&f.org), "bank_code_std": "088", "account_num": a.account_num,
            "user_seq_no": user, "tran_dtime": dtime()}),
        )
        .await;
    assert_eq!(bal["rsp_code"], "A0000", "{bal}");
    assert_eq!(bal["fintech_use_num"], fin.as_str());
    assert_eq!(bal["balance_amt"], "200000");

    let mut body = f.withdraw_body("", 5_000, &tran_id(&f.org));
    let o = body.as_object_mut().unwrap();
    o.remove("fintech_use_num");
    o.insert("wd_bank_code_std".into(), json!("088"));
    o.insert("wd_account_num".into(), json!(a.account_num));
    o.insert("user_seq_no".into(), json!(user));
    let wd = app
        .kftc_post(&f.token, "/v2.0/transfer/withdraw/acnt_num", body)
        .await;
    assert_eq!(wd["rsp_code"], "A0000", "{wd}");
    assert_eq!(wd["account_num"], a.account_num.as_str());

    let today = app.today();
    let tx = app
        .kftc_post(
            &f.token,
            "/v2.0/account/transaction_list/acnt_num",
            json!({
            "bank_tran_id": tran_id(&f.org), "bank_code_std": "088", "account_num": a.account_num,
            "user_seq_no": user, "inquiry_type": "A", "inquiry_base": "D", "from_date": today,
            "to_date": today, "sort_order": "A", "tran_dtime": dtime()}),
        )
        .await;
    assert_eq!(tx["rsp_code"], "A0000", "{tx}");
    // opening deposit, then the withdrawal, oldest first
    assert_eq!(tx["page_record_cnt"], "2");
    assert_eq!(tx["res_list"][0]["inout_type"], "입금");
    assert_eq!(tx["res_list"][1]["inout_type"], "출금");

    let (q, b) = app.person("이영희", "BA00000004", 1_000).await;
    let mut items = vec![f.deposit_item(1, "", 7_000)];
    let it = items[0].as_object_mut().unwrap();
    it.remove("fintech_use_num");
    it.insert("bank_code_std".into(), json!("004"));
    it.insert("account_num".into(), json!(b.account_num));
    it.insert("account_holder_name".into(), json!("이영희"));
    let dp = app
        .kftc_post(
            &f.token,
            "/v2.0/transfer/deposit/acnt_num",
            f.deposit_body(items),
        )
        .await;
    assert_eq!(dp["rsp_code"], "A0000", "{dp}");
    assert_eq!(dp["res_list"][0]["account_num"], b.account_num.as_str());
    assert_eq!(
        app.world
            .account(&b.account_id)
            .await
            .unwrap()
            .balance_minor,
        8_000
    );

    let rn = app
        .kftc_post(&f.token, "/v2.0/inquiry/real_name", json!({
            "bank_tran_id": tran_id(&f.org), "bank_code_std": "004", "account_num": b.account_num,
            "account_holder_info_type": " ", "account_holder_info": q.birth_date.format("%y%m%d").to_string(),
            "tran_dtime": dtime()}))
        .await;
    assert_eq!(rn["rsp_code"], "A0000", "{rn}");
    assert_eq!(rn["account_holder_name"], "이영희");

    let rc = app
        .kftc_post(&f.token, "/v2.0/inquiry/receive", json!({
            "bank_tran_id": tran_id(&f.org), "cntr_account_type": "N", "cntr_account_num": f.cntr,
            "bank_code_std": "004", "account_num": b.account_num, "print_content": "환불",
            "tran_amt": "1000", "req_client_name": "김철수", "req_client_bank_code": "088",
            "req_client_account_num": a.account_num, "req_client_num": "KIM01", "transfer_purpose": "TR"}))
        .await;
    assert_eq!(rc["rsp_code"], "A0000", "{rc}");
    assert_eq!(rc["account_holder_name"], "이영희");
    assert!(rc["account_num_masked"].as_str().unwrap().ends_with("***"));

    // account/update, account/info, account/cancel, user/close
    let up = app
        .kftc_post(&f.token, "/v2.0/account/update", json!({
            "bank_tran_id": tran_id(&f.org), "user_seq_no": user, "bank_code_std": "088",
            "account_num": a.account_num, "scope": "inquiry", "update_user_email": "new@example.com"}))
        .await;
    assert_eq!(up["rsp_code"], "A0000", "{up}");
    assert_eq!(up["bank_rsp_code"], "000");
    let info = app
        .kftc_post(
            &f.token,
            "/v2.0/account/info",
            json!({
            "bank_tran_id": tran_id(&f.org), "user_seq_no": user, "bank_code_std": "088",
            "account_num": a.account_num, "scope": "transfer"}),
        )
        .await;
    assert_eq!(info["rsp_code"], "A0000", "{info}");
    assert_eq!(info["user_email"], "new@example.com");
    assert_eq!(info["fintech_use_num"], fin.as_str());

    let c = app
        .kftc_post(
            &f.token,
            "/v2.0/account/cancel",
            json!({
            "bank_tran_id": tran_id(&f.org), "scope": "transfer", "fintech_use_num": fin}),
        )
        .await;
    assert_eq!(c["rsp_code"], "A0000", "{c}");
    let again = app
        .kftc_post(
            &f.token,
            "/v2.0/account/cancel",
            json!({
            "bank_tran_id": tran_id(&f.org), "scope": "transfer", "fintech_use_num": fin}),
        )
        .await;
    assert_eq!(again["rsp_code"], "A0002");
    assert_eq!(again["bank_rsp_code"], "551");
    // with transfer consent gone, a withdrawal is refused
    let wd = app.withdraw(&f, &fin, 1_000, &tran_id(&f.org)).await;
    assert_eq!(wd["rsp_code"], "A0306");

    let close = app
        .kftc_post(
            &f.token,
            "/v2.0/user/close",
            json!({"client_use_code": f.org, "user_seq_no": user}),
        )
        .await;
    assert_eq!(close["rsp_code"], "A0000", "{close}");
    let list = app
        .kftc_get(
            &f.token,
            &format!("/v2.0/account/list?user_seq_no={user}&include_cancel_yn=Y&sort_order=A"),
        )
        .await;
    assert_eq!(list["res_cnt"], "1");
    assert_eq!(list["res_list"][0]["account_state"], "09");
    let none = app
        .kftc_get(
            &f.token,
            &format!("/v2.0/account/list?user_seq_no={user}&include_cancel_yn=N&sort_order=A"),
        )
        .await;
    assert_eq!(none["res_cnt"], "0");
    assert_eq!(app.balance(&f, &fin).await["rsp_code"], "A0304");
}

#[tokio::test]
async fn three_legged_tokens_see_only_their_user() {
    let app = spawn_app().await;
    let f = app.fintech("핀테크").await;
    let (p, a) = app.person("박민수", "BA00000004", 50_000).await;
    let (q, b) = app.person("최지우", "BA00000004", 50_000).await;
    let (user_p, fin_p) = app.register_both(&f, (&p, &a)).await;
    let (_, fin_q) = app.register_both(&f, (&q, &b)).await;
    let t = app.sign(
        &f,
        &["login", "inquiry", "transfer"],
        Some((&p.person_id, &user_p)),
        3600,
    );
    let ok = app
        .kftc_get(&t, &format!("/v2.0/account/balance/fin_num?bank_tran_id={}&fintech_use_num={fin_p}&tran_dtime={}", tran_id(&f.org), dtime()))
        .await;
    assert_eq!(ok["rsp_code"], "A0000", "{ok}");
    let other = app
        .kftc_get(&t, &format!("/v2.0/account/balance/fin_num?bank_tran_id={}&fintech_use_num={fin_q}&tran_dtime={}", tran_id(&f.org), dtime()))
        .await;
    assert_eq!(other["rsp_code"], "A0313");
    // a login-scope API the token has, and an sa-only one it has not
    let me = app
        .kftc_get(&t, &format!("/v2.0/user/me?user_seq_no={user_p}"))
        .await;
    assert_eq!(me["rsp_code"], "A0000");
    let reg = app.kftc_post(&t, "/v2.0/user/register", json!({})).await;
    assert_eq!(reg["rsp_code"], "O0011");
}

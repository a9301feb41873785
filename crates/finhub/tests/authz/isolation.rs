//! Institution B never reads or moves A's data: each attempt gets its exact
//! refusal, the answer carries nothing of A's customer, and the ledger does
//! not move (balances before and after, the store's audit).

use crate::fixture::*;
use crate::helpers::*;
use axum::http::Method;
use serde_json::{json, Value};

/// Strings of A's customer that B must never see in an answer.
fn secrets_of(w: &World) -> Vec<String> {
    let mut v = vec![
        w.p.ci.clone(),
        w.p.phone.clone(),
        w.p.name.clone(),
        w.a.cntr.clone(),
    ];
    for a in &w.p.accounts {
        // Masked numbers keep all but the last three digits.
        v.push(a.num[..a.num.len() - 3].to_owned());
    }
    v
}

fn leaks(v: &Value, bad: &[String], out: &mut Vec<String>) {
    match v {
        Value::String(s) => {
            for b in bad {
                if s.contains(b.as_str()) {
                    out.push(s.clone());
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| leaks(x, bad, out)),
        Value::Object(o) => o.values().for_each(|x| leaks(x, bad, out)),
        _ => {}
    }
}

async fn snapshot(w: &World) -> Vec<i64> {
    let t = &w.t;
    let mut v = Vec::new();
    for p in [&w.p, &w.q, &w.r, &w.p2] {
        for a in &p.accounts {
            v.push(t.balance_of(&a.id).await);
        }
    }
    v.push(t.contract_balance(&w.a).await);
    v.push(t.contract_balance(&w.b).await);
    v
}

#[tokio::test]
async fn another_institution_never_reads_or_moves_a_customers_data() {
    let w = world().await;
    let t = &w.t;
    let (a, b, tok) = (&w.a, &w.b, &w.tok);
    let dt = t.dtime();
    let acc = w.p.accounts[0].num.clone();
    let wd_b = |cntr: &str| {
        Withdraw::new(&tran_id(&b.org), cntr, &w.fin, 5000)
            .at(&dt)
            .req_client_account("004", "1234567890")
            .body()
    };
    let mut wd_acnt = wd_b(&b.cntr);
    {
        let o = wd_acnt.as_object_mut().unwrap();
        o.remove("fintech_use_num");
        o.insert("wd_bank_code_std".into(), json!("004"));
        o.insert("wd_account_num".into(), json!(acc));
        o.insert("user_seq_no".into(), json!(w.user));
    }
    // B's id with A's tail: still only B's own results are searched.
    let b_twin = format!("{}{}", b.org, &w.wd.0[10..]);
    let result = |id: &str| {
        json!({"check_type": "1", "tran_dtime": dt, "req_cnt": "1",
            "req_list": [{"tran_no": "1", "org_bank_tran_id": id,
                "org_bank_tran_date": w.wd.1, "org_tran_amt": w.wd.2}]})
    };
    let attempts: Vec<(&str, &str, Method, &str, Value, &str)> = vec![
        (
            "user info",
            &tok.b_sa,
            Method::GET,
            "/v2.0/user/me",
            json!({"user_seq_no": w.user}),
            "A0313",
        ),
        (
            "user info, P's own consent to B",
            &tok.b_user,
            Method::GET,
            "/v2.0/user/me",
            json!({"user_seq_no": w.user}),
            "A0313",
        ),
        (
            "accounts",
            &tok.b_sa,
            Method::GET,
            "/v2.0/account/list",
            json!({"user_seq_no": w.user, "include_cancel_yn": "Y", "sort_order": "D"}),
            "A0313",
        ),
        (
            "balance by fin",
            &tok.b_user,
            Method::GET,
            "/v2.0/account/balance/fin_num",
            json!({"bank_tran_id": tran_id(&b.org), "fintech_use_num": w.fin, "tran_dtime": dt}),
            "A0304",
        ),
        (
            "balance by account",
            &tok.b_sa,
            Method::POST,
            "/v2.0/account/balance/acnt_num",
            json!({"bank_tran_id": tran_id(&b.org), "bank_code_std": "004", "account_num": acc,
                "user_seq_no": w.user, "tran_dtime": dt}),
            "A0323",
        ),
        (
            "transactions by fin",
            &tok.b_sa,
            Method::GET,
            "/v2.0/account/transaction_list/fin_num",
            json!({"bank_tran_id": tran_id(&b.org), "fintech_use_num": w.fin, "inquiry_type": "A",
                "inquiry_base": "D", "from_date": w.start_date, "to_date": t.today(),
                "sort_order": "D", "tran_dtime": dt}),
            "A0304",
        ),
        (
            "transactions by account",
            &tok.b_sa,
            Method::POST,
            "/v2.0/account/transaction_list/acnt_num",
            json!({"bank_tran_id": tran_id(&b.org), "bank_code_std": "004", "account_num": acc,
                "user_seq_no": w.user, "inquiry_type": "A", "inquiry_base": "D",
                "from_date": w.start_date, "to_date": t.today(), "sort_order": "D",
                "tran_dtime": dt}),
            "A0323",
        ),
        (
            "registration info",
            &tok.b_sa,
            Method::POST,
            "/v2.0/account/info",
            json!({"bank_tran_id": tran_id(&b.org), "user_seq_no": w.user, "bank_code_std": "004",
                "account_num": acc, "scope": "inquiry"}),
            "A0323",
        ),
        (
            "registration update",
            &tok.b_sa,
            Method::POST,
            "/v2.0/account/update",
            json!({"bank_tran_id": tran_id(&b.org), "user_seq_no": w.user, "bank_code_std": "004",
                "account_num": acc, "scope": "inquiry", "update_user_email": "x@example.com"}),
            "A0323",
        ),
        (
            "cancel A's registration",
            &tok.b_sa,
            Method::POST,
            "/v2.0/account/cancel",
            json!({"bank_tran_id": tran_id(&b.org), "scope": "transfer", "fintech_use_num": w.fin}),
            "A0304",
        ),
        (
            "close A's user",
            &tok.b_sa,
            Method::POST,
            "/v2.0/user/close",
            json!({"client_use_code": b.org, "user_seq_no": w.user}),
            "A0313",
        ),
        (
            "withdraw by fin into B",
            &tok.b_user,
            Method::POST,
            "/v2.0/transfer/withdraw/fin_num",
            wd_b(&b.cntr),
            "A0304",
        ),
        (
            "withdraw by fin, sa",
            &tok.b_sa,
            Method::POST,
            "/v2.0/transfer/withdraw/fin_num",
            wd_b(&b.cntr),
            "A0304",
        ),
        (
            "withdraw into A's contract",
            &tok.b_sa,
            Method::POST,
            "/v2.0/transfer/withdraw/fin_num",
            wd_b(&a.cntr),
            "A0322",
        ),
        (
            "withdraw by account",
            &tok.b_sa,
            Method::POST,
            "/v2.0/transfer/withdraw/acnt_num",
            wd_acnt,
            "A0323",
        ),
        (
            "deposit to A's fin",
            &tok.b_oob,
            Method::POST,
            "/v2.0/transfer/deposit/fin_num",
            deposit_body_at(
                &b.cntr,
                vec![DepositItem::new(1, &tran_id(&b.org), &w.fin, 1000)
                    .req_client_account("004", "1234567890")
                    .body()],
                Some(&dt),
            ),
            "A0304",
        ),
        (
            "deposit from A's contract",
            &tok.b_oob,
            Method::POST,
            "/v2.0/transfer/deposit/acnt_num",
            deposit_body_at(
                &a.cntr,
                vec![DepositItem::new(1, &tran_id(&b.org), "", 1000)
                    .req_client_account("004", "1234567890")
                    .to_account("004", &acc, &w.p.name)
                    .body()],
                Some(&dt),
            ),
            "A0322",
        ),
        (
            "receive check on A's contract",
            &tok.b_oob,
            Method::POST,
            "/v2.0/inquiry/receive",
            json!({"bank_tran_id": tran_id(&b.org), "cntr_account_type": "N", "cntr_account_num": a.cntr,
                "bank_code_std": "004", "account_num": acc, "print_content": "환불",
                "tran_amt": "1000", "req_client_name": "고객", "req_client_bank_code": "004",
                "req_client_account_num": "1234567890", "req_client_num": "CUST0001",
                "transfer_purpose": "TR"}),
            "A0322",
        ),
        (
            "A's transfer result",
            &tok.b_oob,
            Method::POST,
            "/v2.0/transfer/result",
            result(&w.wd.0),
            "A0004",
        ),
        (
            "A's transfer result under B's code",
            &tok.b_oob,
            Method::POST,
            "/v2.0/transfer/result",
            result(&b_twin),
            "A0310",
        ),
        (
            "withdrawal limit of A's user",
            &tok.b_oob,
            Method::GET,
            "/v2.0/manage/wd_limit",
            json!({"fintech_use_num": w.fin}),
            "A0304",
        ),
    ];
    let bad = secrets_of(&w);
    let before = snapshot(&w).await;
    let mut failures = Vec::new();
    for (name, token, method, path, body, want) in &attempts {
        let r = t.kftc(token, method.clone(), path, body.clone()).await;
        if r.status != 200 || r.code() != *want {
            failures.push(format!("{name}: want {want}, got {} {}", r.status, r.text));
        }
        let mut found = Vec::new();
        leaks(&r.body, &bad, &mut found);
        if !found.is_empty() {
            failures.push(format!(
                "{name}: answer shows A's data {found:?}: {}",
                r.text
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(snapshot(&w).await, before, "B's refused calls moved money");
    use finhub_core::repo::LedgerRepo;
    assert!(t.store.audit().await.unwrap().is_empty());
    assert!(t
        .store
        .balance_totals()
        .await
        .unwrap()
        .iter()
        .all(|(_, s)| *s == 0));

    // The same person may register with B too: B gets its own number, sees
    // only its own registration, and A's number stays A's.
    let (b_user, b_fin) = t.register_both(&b.with_token(&tok.b_sa), (&w.p, 0)).await;
    assert_eq!(b_user, w.user, "user_seq_no is the person's");
    assert_ne!(b_fin, w.fin);
    let list = t
        .kftc(
            &tok.b_user,
            Method::GET,
            "/v2.0/account/list",
            json!({"user_seq_no": w.user, "include_cancel_yn": "Y", "sort_order": "D"}),
        )
        .await;
    assert_eq!(list.code(), "A0000", "{}", list.text);
    let fins: Vec<&str> = list.body["res_list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["fintech_use_num"].as_str().unwrap())
        .collect();
    assert_eq!(fins, vec![b_fin.as_str()]);
    let r = t
        .kftc(
            &tok.b_user,
            Method::GET,
            "/v2.0/account/balance/fin_num",
            json!({"bank_tran_id": tran_id(&b.org), "fintech_use_num": w.fin, "tran_dtime": dt}),
        )
        .await;
    assert_eq!(
        r.code(),
        "A0304",
        "registering does not open A's number to B"
    );
    let r = t
        .kftc(
            &tok.a_user.access,
            Method::GET,
            "/v2.0/account/balance/fin_num",
            json!({"bank_tran_id": tran_id(&a.org), "fintech_use_num": b_fin, "tran_dtime": dt}),
        )
        .await;
    assert_eq!(r.code(), "A0304", "nor B's to A");

    // Usage is counted per institution: B's day holds exactly B's calls.
    let day = t.today();
    t.advance(24 * 3600).await;
    let count = |tok: String| async move {
        t.kftc(
            &tok,
            Method::GET,
            "/v2.0/manage/count",
            json!({"inquiry_date": day}),
        )
        .await
    };
    let b_count = count(t.two_legged(b, "oob").await).await;
    assert_eq!(b_count.code(), "A0000", "{}", b_count.text);
    // The attempts, two registrations, the list and the balance.
    let b_calls = attempts.len() + 4;
    assert_eq!(
        b_count.body["total_cnt"],
        b_calls.to_string(),
        "{}",
        b_count.text
    );
}

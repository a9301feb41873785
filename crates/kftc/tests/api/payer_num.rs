//! user/me list items carry payer_num (spec §6.1): a stable number per
//! registration, only in user/me.

use finhub_testkit::*;

#[tokio::test]
async fn user_me_items_carry_a_stable_payer_num() {
    let app = spawn_app().await;
    let f = app.fintech("핀테크납부").await;
    let (p, a) = app.person("김납부", "BA00000004", 10_000).await;
    let (user, fin) = app.register_both(&f, (&p, &a)).await;
    let me_uri = format!("/v2.0/user/me?user_seq_no={user}");

    let me = app.kftc_get(&f.token, &me_uri).await;
    assert_eq!(me["rsp_code"], "A0000", "{me}");
    let payer = me["res_list"][0]["payer_num"].as_str().unwrap().to_owned();
    assert_eq!(payer.len(), 14, "{me}");
    assert!(payer.bytes().all(|b| b.is_ascii_digit()), "{payer}");
    assert!(fin.ends_with(&payer), "{fin} {payer}");
    // The same registration answers the same number on every call.
    let again = app.kftc_get(&f.token, &me_uri).await;
    assert_eq!(again["res_list"][0]["payer_num"], payer.as_str());

    // account/list items are §6.4's: account_state, no payer_num.
    let list = app
        .kftc_get(
            &f.token,
            &format!("/v2.0/account/list?user_seq_no={user}&include_cancel_yn=N&sort_order=D"),
        )
        .await;
    assert_eq!(list["rsp_code"], "A0000", "{list}");
    assert!(list["res_list"][0].get("payer_num").is_none(), "{list}");
    assert_eq!(list["res_list"][0]["account_state"], "01");
}

#[tokio::test]
async fn each_registration_has_its_own_payer_num() {
    let app = spawn_app().await;
    let f = app.fintech("핀테크납부").await;
    let (p, a) = app.person("김납부", "BA00000004", 10_000).await;
    let (q, b) = app.person("이납부", "BA00000004", 10_000).await;
    let (user_p, fin_p) = app.register_both(&f, (&p, &a)).await;
    let (user_q, fin_q) = app.register_both(&f, (&q, &b)).await;
    let payer = |user: String| {
        let app = &app;
        let token = f.token.clone();
        async move {
            let me = app
                .kftc_get(&token, &format!("/v2.0/user/me?user_seq_no={user}"))
                .await;
            assert_eq!(me["rsp_code"], "A0000", "{me}");
            me["res_list"][0]["payer_num"].as_str().unwrap().to_owned()
        }
    };
    let (pp, pq) = (payer(user_p).await, payer(user_q).await);
    assert_ne!(fin_p, fin_q);
    assert_ne!(pp, pq);
    assert!(fin_p.ends_with(&pp) && fin_q.ends_with(&pq));
}

//! One world: a Konaplate charge is the same money the other faces see. The
//! member's bank account shows the charge at once, with its amount, as a
//! withdrawal in its KFTC transaction list and balance, and in its MyData
//! deposit transactions; the card's balance is the charge.

mod common;

use common::{member_with_card, ok, register};
use finhub_testkit::kftc::{dtime, today};
use finhub_testkit::spawn_app;
use serde_json::json;

const KB: &str = "BA00000004";

#[tokio::test]
async fn a_charge_shows_in_the_bank_accounts_kftc_and_mydata_transactions() {
    let app = spawn_app().await;
    let kp = app.kona_project().await;
    let h = member_with_card(&app, &kp, "한세계", 1_000_000).await;
    register(&app, &kp, &h).await;
    let t = ok(&app, &kp, "R1", &json!({"cardNo": h.card_no()})).await;
    let charge = json!({"sequenceId": "WORLD-1", "userId": h.user_id, "amount": 12_345,
        "oneTimeToken": t["oneTimeToken"], "dcvv": t["dcvv"], "merchantId": kp.merchants[0]});
    ok(&app, &kp, "R2", &charge).await;

    // KFTC: a fintech the person registered with sees the withdrawal.
    let f = app.fintech("가계부").await;
    let (_, fin) = app.register_both(&f, (&h.person, 0)).await;
    let uri = format!(
        "/v2.0/account/transaction_list/fin_num?bank_tran_id={}&fintech_use_num={fin}&inquiry_type=A\
         &inquiry_base=D&from_date={d}&to_date={d}&sort_order=D&tran_dtime={}",
        f.tran_id(),
        dtime(),
        d = today()
    );
    let r = app.kftc_get(&f.token, &uri).await;
    assert_eq!(r["rsp_code"], "A0000", "{r}");
    let top = &r["res_list"][0];
    assert_eq!(top["inout_type"], "출금", "{r}");
    assert_eq!(top["tran_amt"], "12345", "{r}");
    assert_eq!(top["after_balance_amt"], "987655", "{r}");
    let b = app.balance(&f, &fin).await;
    assert_eq!(b["balance_amt"], "987655", "{b}");

    // MyData: the same line in the deposit account's transactions.
    let op = app.operator("자산관리").await;
    let asset = h.digits();
    let s = op
        .consent(
            &h.person.person_id,
            KB,
            "bank.list bank.deposit",
            Some(&[asset.as_str()]),
        )
        .await;
    let d = app.now_kst().format("%Y%m%d").to_string();
    let body =
        json!({"org_code": KB, "account_num": asset, "from_date": d, "to_date": d, "limit": 100});
    let m = s
        .md_post("/v1/bank/accounts/deposit/transactions", body)
        .await;
    assert_eq!(m["rsp_code"], "00000", "{m}");
    let lines = m["trans_list"].as_array().unwrap();
    assert!(
        lines
            .iter()
            .any(|l| l["trans_amt"] == 12_345 && l["balance_amt"] == 987_655),
        "{m}"
    );
    let card = app.world.account(&h.card.account_id).await.unwrap();
    assert_eq!(card.balance_minor, 12_345);
}

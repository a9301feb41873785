//! The KFTC requests the multi-node suite sends, and how it reads answers.

use crate::client::{json_body, must_json, request};
use finhub_testkit::http::form_body;
use finhub_testkit::{kftc, ADMIN_KEY};
use serde_json::{json, Value};

/// One registered account the suite moves money out of.
#[derive(Debug, Clone)]
pub struct Holder {
    pub fin: String,
    pub account_num: String,
    pub user_seq_no: String,
    pub opening: i64,
}

/// The client, its token and its holders.
#[derive(Debug, Clone)]
pub struct Setup {
    pub org: String,
    pub client_id: String,
    pub client_secret: String,
    pub token: String,
    pub cntr: String,
    pub holders: Vec<Holder>,
}

/// What one withdrawal's answer says.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Ack,
    /// A0326: the id was recorded before.
    Dup,
    /// A business refusal (rsp_code/bank_rsp_code): nothing moved.
    Refused(String),
    /// No answer (a killed node), so the outcome is not known.
    Lost(String),
    /// A0003 or no envelope: an internal error, which the suite forbids.
    Internal(String),
}

pub async fn withdraw(addr: &str, s: &Setup, h: &Holder, id: &str, amt: i64) -> Answer {
    let body = kftc::withdraw_body(id, &s.cntr, &h.fin, amt);
    let r = request(
        addr,
        "POST",
        "/v2.0/transfer/withdraw/fin_num",
        Some(&s.token),
        json_body(&body),
    )
    .await;
    classify(r)
}

fn classify(r: Result<(u16, Vec<u8>), String>) -> Answer {
    let (status, body) = match r {
        Ok(x) => x,
        Err(e) => return Answer::Lost(e),
    };
    let Ok(v) = serde_json::from_slice::<Value>(&body) else {
        return Answer::Internal(format!("HTTP {status}: {}", String::from_utf8_lossy(&body)));
    };
    let code = v["rsp_code"].as_str().unwrap_or("");
    let bank = v["bank_rsp_code"].as_str().unwrap_or("");
    match code {
        "A0000" => Answer::Ack,
        "A0326" => Answer::Dup,
        "A0003" | "" => Answer::Internal(format!("HTTP {status}: {v}")),
        _ => Answer::Refused(format!("{code}/{bank}")),
    }
}

/// The balance a node answers for a holder (OBI-011), with `token`.
pub async fn balance(addr: &str, s: &Setup, h: &Holder, token: &str) -> Result<i64, String> {
    let body = json!({
        "bank_tran_id": kftc::tran_id(&s.org), "bank_code_std": "004",
        "account_num": h.account_num, "user_seq_no": h.user_seq_no,
        "tran_dtime": kftc::dtime(),
    });
    let (status, b) = request(
        addr,
        "POST",
        "/v2.0/account/balance/acnt_num",
        Some(token),
        json_body(&body),
    )
    .await?;
    let v: Value = serde_json::from_slice(&b).map_err(|_| format!("HTTP {status}: not JSON"))?;
    match v["balance_amt"].as_str().and_then(|a| a.parse().ok()) {
        Some(n) if v["rsp_code"] == "A0000" => Ok(n),
        _ => Err(format!("HTTP {status}: {v}")),
    }
}

/// A fresh client-credentials token of the suite's client.
pub async fn token(addr: &str, client_id: &str, secret: &str) -> String {
    let form = form_body(&[
        ("grant_type", "client_credentials"),
        ("scope", "sa"),
        ("client_id", client_id),
        ("client_secret", secret),
    ]);
    let t = must_json(
        addr,
        "POST",
        "/oauth/2.0/token",
        None,
        Some(("application/x-www-form-urlencoded", form)),
    )
    .await;
    t["access_token"].as_str().expect("token").to_owned()
}

pub async fn revoke(addr: &str, s: &Setup, token: &str) {
    let form = form_body(&[
        ("client_id", &s.client_id),
        ("client_secret", &s.client_secret),
        ("access_token", token),
    ]);
    let (status, b) = request(
        addr,
        "POST",
        "/oauth/2.0/revoke",
        None,
        Some(("application/x-www-form-urlencoded", form)),
    )
    .await
    .expect("revoke answered");
    assert_eq!(status, 200, "revoke: {}", String::from_utf8_lossy(&b));
}

pub async fn set_status(addr: &str, org_code: &str, status: &str) {
    let path = format!("/sandbox/institutions/{org_code}/status");
    let body = json_body(&json!({ "status": status }));
    let (code, b) = crate::client::request_with(addr, "PUT", &path, &admin(), body)
        .await
        .expect("status answered");
    assert_eq!(
        code,
        200,
        "set {org_code} {status}: {}",
        String::from_utf8_lossy(&b)
    );
}

fn admin() -> Vec<(String, String)> {
    vec![("authorization".into(), format!("Bearer {ADMIN_KEY}"))]
}

/// A KFTC client with a token, and `n` holders of `opening` KRW each,
/// registered for inquiry and transfer.
pub async fn set_up(addr: &str, n: usize, opening: i64) -> Setup {
    let c = must_json(addr, "POST", "/sandbox/clients", Some(ADMIN_KEY),
        json_body(&json!({"profile": "kftc", "name": "nodes", "redirect_uris": [], "scopes": ["oob", "sa"]}))).await;
    let (client_id, client_secret) = (
        c["client_id"].as_str().unwrap(),
        c["client_secret"].as_str().unwrap(),
    );
    let mut s = Setup {
        org: c["org_code"].as_str().expect("org_code").to_owned(),
        client_id: client_id.to_owned(),
        client_secret: client_secret.to_owned(),
        token: token(addr, client_id, client_secret).await,
        cntr: c["cntr_account_num"].as_str().expect("cntr").to_owned(),
        holders: Vec::new(),
    };
    for i in 0..n {
        let h = holder(addr, &s, i, opening).await;
        s.holders.push(h);
    }
    s
}

async fn holder(addr: &str, s: &Setup, i: usize, opening: i64) -> Holder {
    let p = must_json(
        addr,
        "POST",
        "/sandbox/people",
        Some(ADMIN_KEY),
        json_body(&json!({"name": format!("노드{i}"), "birth_date": "1990-01-01"})),
    )
    .await;
    let pid = p["person_id"].as_str().expect("person_id");
    let acc = must_json(
        addr,
        "POST",
        &format!("/sandbox/people/{pid}/accounts"),
        Some(ADMIN_KEY),
        json_body(&json!({"bank_code_std": "004", "kind": "demand", "balance": opening})),
    )
    .await;
    let mut r = Value::Null;
    for scope in ["inquiry", "transfer"] {
        r = must_json(
            addr,
            "POST",
            "/v2.0/user/register",
            Some(&s.token),
            json_body(&json!({
                "bank_tran_id": kftc::tran_id(&s.org),
                "bank_code_std": "004", "register_account_num": acc["account_num"],
                "user_info": "19900101", "user_name": p["name"], "user_ci": p["ci"],
                "user_email": "user@example.com", "scope": scope, "info_prvd_agmt_yn": "Y",
                "wd_agmt_yn": "Y", "agmt_data_type": "1", "tran_dtime": kftc::dtime(),
            })),
        )
        .await;
        assert_eq!(r["rsp_code"], "A0000", "register: {r}");
    }
    Holder {
        fin: r["fintech_use_num"].as_str().unwrap().to_owned(),
        account_num: acc["account_num"].as_str().unwrap().to_owned(),
        user_seq_no: r["user_seq_no"].as_str().unwrap().to_owned(),
        opening,
    }
}

//! The crash suite's world, which its `check` and `load` modules expect at
//! the crate root: a KFTC client with a token, holders registered for
//! transfers, and the world's clock pinned to one KST day. Shared by the
//! failover suite (`#[path]`).

use crate::client::{json_body, must_json};
use crate::server::{Server, ADMIN_KEY};
use finhub_testkit::http::form_body;
use finhub_testkit::kftc;
use serde_json::json;
use std::time::Instant;

/// One person's account the test moves money on.
#[derive(Debug, Clone)]
pub struct Holder {
    pub person_id: String,
    pub account_id: String,
    pub fin: String,
    pub opening: i64,
    /// Withdrawal amounts are drawn from 1..=max_wd.
    pub max_wd: i64,
}

/// What the test set up and keeps across restarts.
#[derive(Debug, Clone)]
pub struct Setup {
    pub org: String,
    pub token: String,
    pub cntr_num: String,
    pub holders: Vec<Holder>,
    pub people_total: u64,
    pub clients_total: usize,
}

pub async fn set_up(server: &Server) -> Setup {
    let a = &server.addr;
    let c = must_json(
        a,
        "POST",
        "/sandbox/clients",
        Some(ADMIN_KEY),
        json_body(&json!({"profile": "kftc", "name": "failover", "redirect_uris": [], "scopes": ["oob", "sa"]})),
    )
    .await;
    let org = c["org_code"].as_str().expect("org_code").to_owned();
    let cntr_num = c["cntr_account_num"].as_str().expect("cntr").to_owned();
    let form = form_body(&[
        ("grant_type", "client_credentials"),
        ("scope", "sa"),
        ("client_id", c["client_id"].as_str().unwrap()),
        ("client_secret", c["client_secret"].as_str().unwrap()),
    ]);
    let t = must_json(
        a,
        "POST",
        "/oauth/2.0/token",
        None,
        Some(("application/x-www-form-urlencoded", form)),
    )
    .await;
    let token = t["access_token"].as_str().expect("token").to_owned();
    // Holder 0 runs dry (refusals), holder 1 meets the per-person daily
    // limit, the rest take small amounts.
    let plan: Vec<(i64, i64)> = [(60_000, 20_000), (100_000_000, 2_500_000)]
        .into_iter()
        .chain(std::iter::repeat_n((20_000_000, 50_000), 6))
        .collect();
    let mut holders = Vec::new();
    for (i, (opening, max_wd)) in plan.into_iter().enumerate() {
        holders.push(holder(a, &org, &token, i, (opening, max_wd)).await);
    }
    let people = must_json(a, "GET", "/sandbox/people?limit=1", Some(ADMIN_KEY), None).await;
    let clients = must_json(a, "GET", "/sandbox/clients", Some(ADMIN_KEY), None).await;
    Setup {
        org,
        token,
        cntr_num,
        holders,
        people_total: people["total"].as_u64().expect("total"),
        clients_total: clients["clients"].as_array().expect("clients").len(),
    }
}

/// A person with a demand account, registered for inquiry and transfer.
async fn holder(
    a: &str,
    org: &str,
    token: &str,
    i: usize,
    (opening, max_wd): (i64, i64),
) -> Holder {
    let p = must_json(
        a,
        "POST",
        "/sandbox/people",
        Some(ADMIN_KEY),
        json_body(&json!({"name": format!("장애{i}"), "birth_date": "1990-01-01"})),
    )
    .await;
    let pid = p["person_id"].as_str().expect("person_id").to_owned();
    let acc = must_json(
        a,
        "POST",
        &format!("/sandbox/people/{pid}/accounts"),
        Some(ADMIN_KEY),
        json_body(&json!({"bank_code_std": "004", "kind": "demand", "balance": opening})),
    )
    .await;
    let mut fin = String::new();
    for scope in ["inquiry", "transfer"] {
        let r = must_json(
            a,
            "POST",
            "/v2.0/user/register",
            Some(token),
            json_body(&json!({
                "bank_tran_id": format!("{org}U{:09}", 900_000_000 + i * 2 + (scope == "transfer") as usize),
                "bank_code_std": acc["bank_code_std"], "register_account_num": acc["account_num"],
                "user_info": "19900101", "user_name": p["name"], "user_ci": p["ci"],
                "user_email": "user@example.com", "scope": scope, "info_prvd_agmt_yn": "Y",
                "wd_agmt_yn": "Y", "agmt_data_type": "1", "tran_dtime": kftc::dtime(),
            })),
        )
        .await;
        assert_eq!(r["rsp_code"], "A0000", "register: {r}");
        fin = r["fintech_use_num"].as_str().unwrap().to_owned();
    }
    Holder {
        person_id: pid,
        account_id: acc["account_id"].as_str().unwrap().to_owned(),
        fin,
        opening,
        max_wd,
    }
}

/// KFTC scopes a bank_tran_id to its KST day: every start puts the world's
/// clock on one KST day (from noon, moving with real time), so a run that
/// crosses midnight does not see a retry become a new transfer.
pub struct Day {
    noon: chrono::DateTime<chrono::Utc>,
    t0: Instant,
}

impl Day {
    pub fn today() -> Day {
        let kst = chrono::Utc::now() + chrono::Duration::hours(9);
        let noon_kst = kst.date_naive().and_hms_opt(12, 0, 0).expect("noon");
        Day {
            noon: noon_kst.and_utc() - chrono::Duration::hours(9),
            t0: Instant::now(),
        }
    }

    pub async fn pin(&self, server: &Server) {
        let now = self.noon + chrono::Duration::from_std(self.t0.elapsed()).expect("elapsed");
        let v = must_json(
            &server.addr,
            "POST",
            "/sandbox/clock",
            Some(ADMIN_KEY),
            json_body(&json!({ "now": now.to_rfc3339() })),
        )
        .await;
        assert!(v.get("offset_seconds").is_some(), "sandbox clock: {v}");
    }
}

/// A number from the environment, or `default`.
pub fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

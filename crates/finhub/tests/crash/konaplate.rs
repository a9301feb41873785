//! Crash safety of Konaplate money: the real server takes concurrent charges
//! (R1 + R2) and payments (R1 + P2) from members of one project, is
//! SIGKILLed at a random moment, and restarted on the same database. Then:
//!
//! 1. every acknowledged charge reads COMPLETED in R4 with its nrNumber, and
//!    every acknowledged charge and payment is in the card's R6 history once;
//! 2. a charge whose answer was lost, sent again with its sequenceId and
//!    body after the restart, applies once at most (R4 and R6 agree);
//! 3. money is conserved: the members' bank accounts, their cards and the
//!    merchants' settlement accounts sum to what the bank accounts held, and,
//!    once a recovery pass past the grace has finished the moves a killed
//!    request left half-done, each card's balance is its R6 charges less
//!    its payments;
//! 4. the ledger's own audit is clean.

use crate::client::{json_body, must_json, request_with};
use crate::server::{Backend, Server, ADMIN_KEY};
use finhub_core::konaplate::charging::RECOVER_GRACE_SECS;
use finhub_core::konaplate::ids::UserId;
use finhub_core::konaplate::Kona;
use finhub_core::repo::LedgerRepo;
use finhub_testkit::konaplate::{correlation_id, kst_now, tran_token, KONA_PASSWORD};
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;

/// The project's credentials and its members.
#[derive(Debug, Clone)]
struct Kp {
    project_id: String,
    asp_id: String,
    access_key: String,
    secret: String,
    merchant: String,
    members: Vec<M>,
}

#[derive(Debug, Clone)]
struct M {
    user_id: u64,
    card_no: String,
    bank_account_id: String,
}

/// One money request as sent, and what came back.
#[derive(Debug, Clone)]
struct Sent {
    charge: bool,
    member: usize,
    body: Value,
    /// Some(nrNumber) on 000_000; None when refused or lost.
    nr: Option<String>,
    lost: bool,
}

impl Kp {
    async fn call(&self, addr: &str, path: &str, body: &Value) -> Result<Value, String> {
        let text = body.to_string();
        let headers = vec![
            ("X-KM-User-AspId".to_owned(), self.asp_id.clone()),
            ("X-KM-Correlation-Id".to_owned(), correlation_id()),
            ("X-KM-Access-Key".to_owned(), self.access_key.clone()),
            ("X-KM-Tran-Time".to_owned(), kst_now("%Y%m%d%H%M%S")),
            ("X-KM-Time-Zone".to_owned(), "KST".to_owned()),
            (
                "X-KM-Tran-Token".to_owned(),
                tran_token(&self.secret, text.as_bytes()),
            ),
        ];
        let (_, b) = request_with(addr, "POST", path, &headers, json_body(body)).await?;
        serde_json::from_slice(&b).map_err(|_| format!("{path}: not JSON"))
    }

    async fn must(&self, addr: &str, path: &str, body: &Value) -> Value {
        let v = self
            .call(addr, path, body)
            .await
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(v["response"]["code"], "000_000", "{path} {body}: {v}");
        v
    }
}

async fn admin(addr: &str, method: &str, path: &str, body: &Value) -> Value {
    must_json(addr, method, path, Some(ADMIN_KEY), json_body(body)).await
}

/// A world person with 10,000,000 KRW at KB, registered as a member with
/// that account as its charge account.
async fn member(addr: &str, kp: &Kp, i: usize) -> (M, String) {
    let p = admin(
        addr,
        "POST",
        "/sandbox/people",
        &json!({"name": format!("크래시{i}"), "birth_date": "1990-01-01"}),
    )
    .await;
    let pid = p["person_id"].as_str().unwrap();
    let acct = json!({"bank_code_std": "004", "kind": "demand", "balance": 10_000_000});
    let a = admin(
        addr,
        "POST",
        &format!("/sandbox/people/{pid}/accounts"),
        &acct,
    )
    .await;
    let u1 = json!({"ci": p["ci"], "loginId": format!("crash{i}@example.com"), "loginPassword": KONA_PASSWORD,
        "birthDate": "19900101", "nationality": "Korean", "gender": "Male", "userName": p["name"],
        "mobileNumber": format!("010{:08}", i), "email": format!("crash{i}@example.com"),
        "tcIdList": ["29184", "29186", "29187", "29188"]});
    let m = kp.must(addr, "/api/v1/user/registration", &u1).await;
    let user_id = m["userId"].as_u64().unwrap();
    let acc = json!({"userId": user_id, "bankCode": "004", "bankAccount": a["account_num"],
        "bankName": "국민은행", "userName": p["name"], "birthDate": "19900101"});
    kp.must(addr, "/api/v1/bankaccounts/user/valid", &acc).await;
    kp.must(
        addr,
        "/api/v1/bankaccounts/ars/auth",
        &json!({"userId": user_id}),
    )
    .await;
    let reg = kp
        .must(addr, "/api/v1/bankaccounts/ars/register", &acc)
        .await;
    let card_no = m["basicCardInfo"]["cardNo"].as_str().unwrap().to_owned();
    let bank_account_id = a["account_id"].as_str().unwrap().to_owned();
    (
        M {
            user_id,
            card_no,
            bank_account_id,
        },
        reg["bankAccRegNo"].as_str().unwrap().to_owned(),
    )
}

async fn setup(addr: &str, members: usize) -> Kp {
    let p = admin(
        addr,
        "POST",
        "/sandbox/konaplate/projects",
        &json!({"name": "crash"}),
    )
    .await;
    let s = |k: &str| p[k].as_str().unwrap().to_owned();
    let mut kp = Kp {
        project_id: s("project_id"),
        asp_id: s("asp_id"),
        access_key: s("access_key"),
        secret: s("secret_key"),
        merchant: p["merchants"][0]["merchant_id"]
            .as_str()
            .unwrap()
            .to_owned(),
        members: Vec::new(),
    };
    let mut regs = Vec::new();
    for i in 0..members {
        let (m, reg) = member(addr, &kp, i).await;
        kp.members.push(m);
        regs.push(reg);
    }
    for reg in regs {
        let mut done = false;
        for _ in 0..40 {
            let v = kp
                .must(
                    addr,
                    "/api/v1/bankaccounts/ars/register/inquiry",
                    &json!({"regNo": reg}),
                )
                .await;
            if v["status"] == "BANK_ACC_REGISTERED" {
                done = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        assert!(done, "registration {reg} did not settle");
    }
    kp
}

/// R1 then R2 (charge) or P2 (payment); `lost` when no answer came back.
async fn money(addr: &str, kp: &Kp, i: usize, (charge, amount): (bool, i64), n: u64) -> Sent {
    let m = &kp.members[i];
    let mut sent = Sent {
        charge,
        member: i,
        body: Value::Null,
        nr: None,
        lost: false,
    };
    let t = match kp
        .call(
            addr,
            "/api/v2/payment/generate/onetimetoken",
            &json!({"cardNo": m.card_no}),
        )
        .await
    {
        Ok(t) if t["response"]["code"] == "000_000" => t,
        Ok(_) => return sent,
        Err(_) => return Sent { lost: true, ..sent },
    };
    let (path, body) = if charge {
        (
            "/api/v1/recharges/by-bank-accounts/no-hce",
            json!({"sequenceId": format!("C{n:012}"), "userId": m.user_id, "amount": amount,
                "oneTimeToken": t["oneTimeToken"], "dcvv": t["dcvv"], "merchantId": kp.merchant}),
        )
    } else {
        (
            "/api/v1/payment/no-hce",
            json!({"oneTimeToken": t["oneTimeToken"], "dcvv": t["dcvv"], "amount": amount,
                "merchantId": kp.merchant, "channel": "OPENAPI", "transactionId": format!("P{n:012}")}),
        )
    };
    sent.body = body.clone();
    match kp.call(addr, path, &body).await {
        Ok(v) if v["response"]["code"] == "000_000" => {
            sent.nr = v["nrNumber"].as_str().map(str::to_owned)
        }
        Ok(_) => {}
        Err(_) => sent.lost = true,
    }
    sent
}

/// The card's R6 rows today: nrNumber → (trType, authCancelType, amount).
async fn history(addr: &str, kp: &Kp, m: &M) -> Vec<(String, String, i64)> {
    let today = kst_now("%Y%m%d");
    let mut rows = Vec::new();
    for page in 0.. {
        let body = json!({"userId": m.user_id, "startDate": today, "endDate": today,
            "pageRequest": {"page": page, "pageSize": 100, "sort": "approvalDateTime", "orderByDirection": "ASC"}});
        let v = kp.must(addr, "/api/v1/transaction/card", &body).await;
        let list = v["transactionInfo"].as_array().cloned().unwrap_or_default();
        for r in &list {
            rows.push((
                r["nrNumber"].as_str().unwrap_or_default().to_owned(),
                r["trType"].as_str().unwrap_or_default().to_owned(),
                r["trAmount"].as_i64().unwrap_or_default(),
            ));
        }
        if list.len() < 100 {
            break;
        }
    }
    rows
}

/// Run recovery passes as if the grace had passed, until none is left;
/// how many moves they finished.
async fn recover_after_grace(url: &str) -> usize {
    let st = crate::check::open(url).await;
    let mut kona = Kona::new(
        Arc::new(st.clone()),
        st.clone().into_world(),
        Arc::new(finhub_konaplate::crypto::Josekit),
    );
    let later = chrono::Utc::now() + chrono::Duration::seconds(RECOVER_GRACE_SECS + 1);
    kona.real = finhub_core::clock::Clock::starting_at(later);
    let mut finished = 0;
    loop {
        let r = kona.recover_moves().await.expect("a recovery pass");
        assert!(r.errors.is_empty(), "recovery: {:?}", r.errors);
        if r.completed + r.failed == 0 {
            break;
        }
        finished += r.completed + r.failed;
    }
    st.db().close().await;
    finished
}

/// Money held by the members' bank accounts, their cards and the
/// merchants, read from the store the server left behind.
async fn held(url: &str, kp: &Kp) -> (i64, Vec<i64>) {
    let st = crate::check::open(url).await;
    let world = st.clone().into_world();
    let kona = Kona::new(
        Arc::new(st.clone()),
        world.clone(),
        Arc::new(finhub_konaplate::crypto::Josekit),
    );
    let (mut total, mut cards) = (0, Vec::new());
    for m in &kp.members {
        total += world
            .account(&m.bank_account_id)
            .await
            .unwrap()
            .balance_minor;
        let mut card = 0;
        for c in kona
            .repo
            .cards_of(&kp.project_id, UserId(m.user_id))
            .await
            .unwrap()
        {
            card += world.account(&c.account_id).await.unwrap().balance_minor;
        }
        cards.push(card);
        total += card;
    }
    for m in kona.repo.merchants(&kp.project_id).await.unwrap() {
        total += world.account(&m.account_id).await.unwrap().balance_minor;
    }
    let audit = st.audit().await.unwrap();
    assert!(audit.is_empty(), "ledger audit after the kill: {audit:?}");
    st.db().close().await;
    (total, cards)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn konaplate_charges_and_payments_survive_sigkill() {
    let seed = std::env::var("FINHUB_CRASH_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| rand::thread_rng().gen());
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let backend = Backend::fresh().await;
    eprintln!(
        "konaplate crash test: backend {} seed {seed}; log {}",
        backend.name,
        backend.log_path().display()
    );
    let server = Server::start(&backend, 1).await;
    let kp = setup(&server.addr, 8).await;
    let before = kp.members.len() as i64 * 10_000_000;
    // Charges and payments on 8 members at once, until the kill.
    let addr = server.addr.clone();
    let kill_after = Duration::from_millis(rng.gen_range(300..1500));
    let plans: Vec<Vec<(bool, i64)>> = (0..kp.members.len())
        .map(|_| {
            (0..400)
                .map(|_| (rng.gen_bool(0.6), rng.gen_range(1..=5_000)))
                .collect()
        })
        .collect();
    let mut tasks = Vec::new();
    for (i, plan) in plans.into_iter().enumerate() {
        let (kp, addr) = (kp.clone(), addr.clone());
        tasks.push(tokio::spawn(async move {
            let mut out = Vec::new();
            for (k, (charge, amount)) in plan.into_iter().enumerate() {
                let s = money(&addr, &kp, i, (charge, amount), (i * 1000 + k) as u64).await;
                let lost = s.lost;
                out.push(s);
                if lost {
                    break;
                }
            }
            out
        }));
    }
    tokio::time::sleep(kill_after).await;
    server.kill();
    let mut sent: Vec<Sent> = Vec::new();
    for t in tasks {
        sent.extend(t.await.unwrap());
    }
    backend.settle().await;
    let (total, _) = held(&backend.url, &kp).await;
    assert_eq!(total, before, "money created or lost over the kill");

    let server = Server::start(&backend, 2).await;
    let addr = server.addr.clone();
    // A lost charge sent again with its sequenceId and body: once at most.
    for s in sent
        .iter_mut()
        .filter(|s| s.lost && s.charge && !s.body.is_null())
    {
        let v = kp
            .call(&addr, "/api/v1/recharges/by-bank-accounts/no-hce", &s.body)
            .await
            .unwrap();
        if v["response"]["code"] == "000_000" {
            s.nr = v["nrNumber"].as_str().map(str::to_owned);
        }
    }
    let acked = sent.iter().filter(|s| s.nr.is_some()).count();
    assert!(
        acked > 0,
        "no money request was acknowledged before the kill"
    );
    for s in sent.iter().filter(|s| s.charge && !s.body.is_null()) {
        let r4 = kp
            .must(
                &addr,
                "/api/v1/recharges/by-bank-account/result/inquiry",
                &json!({"sequenceId": s.body["sequenceId"]}),
            )
            .await;
        if let Some(nr) = &s.nr {
            assert_eq!(r4["result"], "COMPLETED", "{s:?}: {r4}");
            assert_eq!(r4["nrNumber"].as_str(), Some(nr.as_str()), "{s:?}: {r4}");
        }
    }
    // Lost payments are not retried: one killed after its ledger entry
    // leaves the card debited and R6 short of it until a pass after the
    // grace finishes it (as the next R- or P-call past the grace would).
    let finished = recover_after_grace(&backend.url).await;
    eprintln!("konaplate crash test: {finished} unfinished moves finished after the grace");
    let (total, cards) = held(&backend.url, &kp).await;
    assert_eq!(total, before, "money created or lost after the retries");
    for (i, m) in kp.members.iter().enumerate() {
        let rows = history(&addr, &kp, m).await;
        for s in sent.iter().filter(|s| s.member == i && s.nr.is_some()) {
            let n = rows.iter().filter(|r| Some(&r.0) == s.nr.as_ref()).count();
            assert_eq!(n, 1, "acknowledged {s:?} is in R6 {n} times");
        }
        let sum: i64 = rows
            .iter()
            .map(|(_, t, a)| if t == "01" { *a } else { -*a })
            .sum();
        assert_eq!(
            sum, cards[i],
            "member {i}: R6 rows {rows:?} do not sum to the card balance"
        );
    }
    server.kill();
    eprintln!(
        "konaplate crash test: {} requests, {acked} acknowledged",
        sent.len()
    );
    backend.remove().await;
}

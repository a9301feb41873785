//! Crash safety of durable transfers: the real server binary takes concurrent
//! KFTC withdrawals and deposits (fresh bank_tran_ids, some retries), is
//! SIGKILLed at a random moment, and restarted on the same database. Then:
//!
//! 1. every acknowledged transfer is in the ledger exactly once (store rows
//!    read right after the kill, and transfer/result through the API);
//! 2. every transfer whose answer was lost is applied once or not at all, and
//!    a retry with the same bank_tran_id after restart answers A0326 (the
//!    standard's duplicate) when it was applied, or applies it now, once;
//! 3. the ledger is whole: entries sum to zero, balances agree with postings
//!    and floors, all balances sum to zero, limit counters equal the applied
//!    withdrawals and deposits;
//! 4. each account holds its opening balance plus the applied amounts.
//!
//! `konaplate` does the same for the Konaplate face's charges (R1 + R2) and
//! payments (R1 + P2): see its own header.
//!
//! SQLite by default; PostgreSQL (a fresh database) when
//! FINHUB_TEST_DATABASE_URL is set. FINHUB_CRASH_ROUNDS (default 3) sets the
//! number of kills, FINHUB_CRASH_SEED replays a run, FINHUB_CRASH_TASKS the
//! concurrent clients (default 16); FINHUB_CRASH_KEEP keeps the database and
//! the server log of a passing run too.

// Scenario tests read top to bottom in the order things happen; split, they would hide it.
#![allow(clippy::too_many_lines)]

mod check;
mod client;
mod konaplate;
mod load;
mod server;

use client::{json_body, must_json};
use finhub_testkit::http::form_body;
use finhub_testkit::kftc;
use rand::{Rng, SeedableRng};
use serde_json::json;
use server::{Backend, Server, ADMIN_KEY};
use std::time::{Duration, Instant};

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

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn transfers_survive_sigkill() {
    let rounds = env_num("FINHUB_CRASH_ROUNDS", 3) as usize;
    let tasks = env_num("FINHUB_CRASH_TASKS", 16) as usize;
    let seed = env_num("FINHUB_CRASH_SEED", rand::thread_rng().gen());
    let backend = Backend::fresh().await;
    eprintln!(
        "crash test: backend {} seed {seed} rounds {rounds} tasks {tasks} (replay with FINHUB_CRASH_SEED={seed}); log {}",
        backend.name,
        backend.log_path().display()
    );
    let t0 = Instant::now();
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let fail = |round: usize, what: &str, problems: &[String]| -> ! {
        panic!(
            "crash test FAILED on {} (seed {seed}, round {round}) {what}: {} problem(s):\n  {}\nserver log kept at {}\n(replay: FINHUB_CRASH_SEED={seed} FINHUB_CRASH_ROUNDS={rounds})",
            backend.name,
            problems.len(),
            problems.iter().take(40).cloned().collect::<Vec<_>>().join("\n  "),
            backend.log_path().display()
        )
    };

    // A first start killed part way (migrations, the demo world): the next
    // start on that database must come up.
    let early = Duration::from_millis(rng.gen_range(50..1500));
    let was_ready = Server::start_and_kill(&backend, 0, early).await;
    eprintln!(
        "start 0: killed after {early:?} ({})",
        if was_ready {
            "it was ready"
        } else {
            "before ready"
        }
    );
    let mut starts = 1;
    let day = Day::today();
    let mut server = Server::start(&backend, starts).await;
    day.pin(&server).await;
    starts += 1;
    let setup = set_up(&server).await;
    let mut model = load::Model::default();
    let mut totals = load::Counts::default();
    let mut resolved = check::Resolved::default();
    for round in 0..rounds {
        // Load until a kill at a random moment.
        let mut kill_after = Duration::from_millis(rng.gen_range(300..2500));
        let round_seed: u64 = rng.gen();
        // On PostgreSQL every other round also cuts the server's database
        // sessions half way: its pools must reconnect and go on acknowledging.
        let cut = (backend.is_pg() && round % 2 == 1).then(|| {
            let at = kill_after / 2;
            kill_after += Duration::from_millis(2000);
            (at, &backend)
        });
        let addr = server.addr.clone();
        let r = load::Round {
            addr: &addr,
            setup: &setup,
            round,
            tasks,
            seed: round_seed,
            kill_after,
            cut,
        };
        let counts = load::run(r, &mut model, server).await;
        eprintln!("round {round}: killed after {kill_after:?}: {counts}");
        if cut.is_some() && counts.acked_after_cut == 0 {
            fail(
                round,
                "after cutting the database sessions",
                &["no request sent after the cut was acknowledged within 2 s: the pools did not recover".into()],
            );
        }
        totals.add(&counts);

        // What is on disk, read before the server comes back.
        backend.settle().await;
        let view = match check::store(&backend.url, &setup, &model).await {
            Ok(v) => v,
            Err(p) => fail(round, "store check after SIGKILL", &p),
        };

        server = Server::start(&backend, starts).await;
        day.pin(&server).await;
        starts += 1;
        match check::api(&server, &setup, &mut model, &view, round).await {
            Ok(r) => {
                eprintln!(
                    "round {round}: restarted; lost answers: {} applied before the kill, {} refused, {} not recorded (retried)",
                    r.applied, r.refused, r.absent
                );
                resolved.add(r);
            }
            Err(p) => fail(round, "API check after restart", &p),
        }
    }
    server.kill();
    backend.settle().await;
    let applied = match check::store(&backend.url, &setup, &model).await {
        Ok(v) => v.applied.len(),
        Err(p) => fail(rounds, "final store check", &p),
    };
    eprintln!(
        "crash test PASSED on {}: seed {seed}, {rounds} kills, {totals}; lost answers: {} applied, {} refused, {} not recorded; {} transfers applied, {:.1} s",
        backend.name,
        resolved.applied,
        resolved.refused,
        resolved.absent,
        applied,
        t0.elapsed().as_secs_f64()
    );
    if std::env::var_os("FINHUB_CRASH_KEEP").is_some() {
        eprintln!("kept {} and {}", backend.url, backend.log_path().display());
    } else {
        backend.remove().await;
    }
}

/// A KFTC client with a token, and holders registered for transfers.
async fn set_up(server: &Server) -> Setup {
    let a = &server.addr;
    let c = must_json(
        a,
        "POST",
        "/sandbox/clients",
        Some(ADMIN_KEY),
        json_body(&json!({"profile": "kftc", "name": "crash", "redirect_uris": [], "scopes": ["oob", "sa"]})),
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
    // Holder 0 runs dry (453 refusals), holder 1 meets the per-person daily
    // limit (A0112), the rest take small amounts.
    let plan: Vec<(i64, i64)> = [(60_000, 20_000), (100_000_000, 2_500_000)]
        .into_iter()
        .chain(std::iter::repeat_n((20_000_000, 50_000), 6))
        .collect();
    let mut holders = Vec::new();
    for (i, (opening, max_wd)) in plan.into_iter().enumerate() {
        let p = must_json(
            a,
            "POST",
            "/sandbox/people",
            Some(ADMIN_KEY),
            json_body(&json!({"name": format!("충돌{i}"), "birth_date": "1990-01-01"})),
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
                Some(&token),
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
        holders.push(Holder {
            person_id: pid,
            account_id: acc["account_id"].as_str().unwrap().to_owned(),
            fin,
            opening,
            max_wd,
        });
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

/// KFTC scopes a bank_tran_id to its KST day: the same id after midnight is
/// a new transfer by the standard, and the daily limits start afresh. A run
/// that crossed midnight would see "applied twice" where the server was
/// right, so every start puts the world's clock on one KST day (from noon,
/// moving with real time) and the checks mean what they say.
struct Day {
    noon: chrono::DateTime<chrono::Utc>,
    t0: Instant,
}

impl Day {
    fn today() -> Day {
        let kst = chrono::Utc::now() + chrono::Duration::hours(9);
        let noon_kst = kst.date_naive().and_hms_opt(12, 0, 0).expect("noon");
        Day {
            noon: noon_kst.and_utc() - chrono::Duration::hours(9),
            t0: Instant::now(),
        }
    }

    async fn pin(&self, server: &Server) {
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

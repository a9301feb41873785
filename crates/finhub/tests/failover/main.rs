//! Failover of the PostgreSQL primary under load: the real server binary on
//! a pg_auto_failover formation (`scripts/ha/pg-ha.sh up`, the formation's
//! multi-host URI in FINHUB_HA_URI) takes concurrent KFTC withdrawals and
//! deposits (fresh bank_tran_ids, some retries) while the primary node is
//! killed (`pg-ha.sh kill-primary`). The server keeps running; its pools
//! must follow the promoted standby. Then, as the crash suite checks after
//! a SIGKILL of the server itself:
//!
//! 1. every acknowledged transfer is in the ledger of the new primary
//!    exactly once: nothing acknowledged was lost with the old primary;
//! 2. every transfer without a definite answer is applied once or not at
//!    all, and its retry answers A0326 when it was applied, or applies now;
//! 3. the ledger is whole (entries sum to zero, balances agree with postings
//!    and floors, limit counters with the applied transfers).
//!
//! It prints the failover time as clients saw it and the counts. Skipped
//! (passing) without FINHUB_HA_URI: `scripts/ha/failover-test.sh` sets it up.
//! FINHUB_FAILOVER_TASKS (default 16) load clients, FINHUB_FAILOVER_AFTER_S
//! (default 15) seconds of load after the kill, FINHUB_FAILOVER_SEED.

// The crash suite's modules, shared as they are. That suite allows long
// scenario functions at its crate root and uses every helper; this test
// allows the same for these modules and needs no crash-only helper (a kill
// during start-up, its own backend's settle).
#[path = "../crash/check.rs"]
#[allow(dead_code, clippy::too_many_lines, reason = "the crash suite's module")]
mod check;
#[path = "../crash/client.rs"]
mod client;
#[path = "../crash/load.rs"]
#[allow(clippy::too_many_lines, reason = "the crash suite's module")]
mod load;
#[path = "../crash/server.rs"]
#[allow(dead_code, reason = "the crash suite's module")]
mod server;

mod canary;
mod formation;
#[path = "../crash/setup.rs"]
mod setup;

use rand::Rng;
use server::{Backend, Server};
use setup::{env_num, Setup};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Load before the kill, so it lands on a busy primary.
const KILL_AT: Duration = Duration::from_secs(3);
const CANARIES: usize = 2;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn transfers_survive_primary_failover() {
    let Some(uri) = std::env::var("FINHUB_HA_URI")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        eprintln!(
            "failover test skipped: FINHUB_HA_URI is not set (scripts/ha/failover-test.sh runs it on a formation of its own)"
        );
        return;
    };
    let t0 = Instant::now();
    let (old_primary, sync) = before_kill(&uri).await;
    eprintln!("failover test: primary {old_primary}, {sync}");
    let backend = on_formation(&uri).await;
    let day = setup::Day::today();
    let server = Server::start(&backend, 0).await;
    day.pin(&server).await;
    let setup = setup::set_up(&server).await;
    let run = under_load(&server.addr.clone(), &setup, server).await;
    let mut model = run.model;
    let (killed, kill_at) = (run.killed, run.kill_at);
    let mut sent = Vec::new();
    for s in run.canaries {
        model.order.push(s.intent.id.clone());
        model.intents.insert(s.intent.id.clone(), s.intent.clone());
        sent.push(s);
    }
    let fig = canary::figures(&sent, kill_at);
    let new_primary = formation::primary(&uri).await.map(|(u, _)| u);
    eprintln!(
        "killed {killed} ({old_primary}); new primary {new_primary:?}; load: {}",
        run.counts
    );
    assert!(
        new_primary.as_deref().is_some_and(|p| p != old_primary),
        "the primary did not move: {new_primary:?}"
    );
    let failover = fig.failover.unwrap_or_else(|| {
        fail(
            &backend,
            "after the kill",
            &["no transfer sent after the kill was acknowledged: the server did not follow the promotion".into()],
        )
    });
    let acked = model.intents.values().filter(|i| i.acks() == 1).count();
    let samples = error_samples(&model);
    let (resolved, applied) = verify(&uri, &backend, &setup, &mut model, &day).await;
    eprintln!(
        "failover test PASSED: {acked} transfers acknowledged under load, lost 0 (each in the new primary's ledger, once); \
         failover {:.2} s (kill to the first acknowledged transfer sent after it), {} canary transfers failed meanwhile; \
         {} error answers from the load: {samples:?}; slowest acknowledged answer {:.2} s; canaries {} sent / {} acknowledged; \
         unanswered: {} applied, {} refused, {} not recorded (retried); {applied} transfers applied; {:.1} s",
        failover.as_secs_f64(),
        fig.failed_meanwhile,
        run.counts.errors,
        fig.slowest_ack.as_secs_f64(),
        fig.sent,
        fig.acked,
        resolved.applied,
        resolved.refused,
        resolved.absent,
        t0.elapsed().as_secs_f64()
    );
    backend.remove().await;
}

/// The error answers clients got, by kind (what a client sees meanwhile):
/// "count× HTTP status rsp_code message".
fn error_samples(model: &load::Model) -> Vec<String> {
    let mut kinds: BTreeMap<String, (usize, String)> = BTreeMap::new();
    let answers = model.intents.values().flat_map(|it| &it.attempts);
    for a in answers {
        let load::Answer::Unknown(why) = a else {
            continue;
        };
        let Some(rest) = why.strip_prefix("answer ") else {
            continue; // no answer at all: the server's own SIGKILL at the end
        };
        let (status, body) = rest.split_once(": ").unwrap_or((rest, ""));
        let v: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
        let code = v["rsp_code"].as_str().unwrap_or("-");
        let msg = v["rsp_message"].as_str().unwrap_or(body);
        let kind = kinds
            .entry(format!("{status} {code}"))
            .or_insert_with(|| (0, msg.chars().take(80).collect()));
        kind.0 += 1;
    }
    kinds
        .into_iter()
        .map(|(k, (n, msg))| format!("{n}× {k} {msg}"))
        .collect()
}

/// The current primary, which must replicate synchronously.
async fn before_kill(uri: &str) -> (String, String) {
    let (url, mut c) = formation::primary(uri)
        .await
        .unwrap_or_else(|| panic!("no primary in the formation {uri}"));
    let sync = formation::synchronous(&mut c)
        .await
        .unwrap_or_else(|e| panic!("the primary {url} does not replicate synchronously: {e}"));
    (url, sync)
}

/// The crash suite's Backend (a temp dir for the log), pointed at the formation.
async fn on_formation(uri: &str) -> Backend {
    let mut b = Backend::fresh().await;
    b.name = "postgres failover formation";
    b.url = uri.to_owned();
    b
}

struct LoadRun {
    model: load::Model,
    counts: load::Counts,
    canaries: Vec<canary::Sent>,
    killed: String,
    kill_at: Instant,
}

/// The crash suite's load (which SIGKILLs the server when it ends), with the
/// primary killed KILL_AT into it and canaries timing the outage.
async fn under_load(addr: &str, setup: &Setup, server: Server) -> LoadRun {
    let tasks = env_num("FINHUB_FAILOVER_TASKS", 16) as usize;
    let after = Duration::from_secs(env_num("FINHUB_FAILOVER_AFTER_S", 15));
    let seed = env_num("FINHUB_FAILOVER_SEED", rand::thread_rng().gen());
    eprintln!("load: {tasks} clients + {CANARIES} canaries, seed {seed}, primary killed after {KILL_AT:?}, {after:?} more");
    let stop = Arc::new(AtomicBool::new(false));
    let canaries = canary::start(addr, setup, CANARIES, &stop);
    let killer = tokio::spawn(async {
        tokio::time::sleep(KILL_AT).await;
        let node = formation::kill_primary().await;
        (node, Instant::now())
    });
    let mut model = load::Model::default();
    let r = load::Round {
        addr,
        setup,
        round: 0,
        tasks,
        seed,
        kill_after: KILL_AT + after,
        cut: None,
    };
    let counts = load::run(r, &mut model, server).await;
    stop.store(true, Ordering::SeqCst);
    let (killed, kill_at) = killer.await.expect("killer");
    let mut sent = Vec::new();
    for h in canaries {
        sent.extend(h.await.expect("canary"));
    }
    LoadRun {
        model,
        counts,
        canaries: sent,
        killed,
        kill_at,
    }
}

/// The checks: the new primary's rows, then a restarted server's answers
/// (retrying what had none), then the rows again.
async fn verify(
    uri: &str,
    backend: &Backend,
    setup: &Setup,
    model: &mut load::Model,
    day: &setup::Day,
) -> (check::Resolved, usize) {
    formation::settle(uri).await;
    let view = match check::store(uri, setup, model).await {
        Ok(v) => v,
        Err(p) => fail(backend, "store check on the new primary", &p),
    };
    let server = Server::start(backend, 1).await;
    day.pin(&server).await;
    let resolved = match check::api(&server, setup, model, &view, 0).await {
        Ok(r) => r,
        Err(p) => fail(backend, "API check after the failover", &p),
    };
    server.kill();
    formation::settle(uri).await;
    match check::store(uri, setup, model).await {
        Ok(v) => (resolved, v.applied.len()),
        Err(p) => fail(backend, "final store check", &p),
    }
}

fn fail(backend: &Backend, what: &str, problems: &[String]) -> ! {
    panic!(
        "failover test FAILED {what}: {} problem(s):\n  {}\nserver log kept at {}",
        problems.len(),
        problems
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n  "),
        backend.log_path().display()
    )
}

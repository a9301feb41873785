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
mod setup;

use rand::{Rng, SeedableRng};
use server::{Backend, Server};
use setup::{env_num, set_up, Day};
pub use setup::{Holder, Setup};
use std::time::{Duration, Instant};

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

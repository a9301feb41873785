//! Database faults on PostgreSQL, end to end: the assembled server on a bound
//! port, its store reaching PostgreSQL through a proxy the test controls,
//! KFTC, OAuth and sandbox load over real HTTP, and faults injected mid-load.
//! Every answer during a fault must be the face's own error envelope, each
//! within a bound, and the server must recover without a restart with the
//! ledger whole: no partial write, every acknowledged withdrawal applied
//! exactly once, a retried failed one at most once.
//!
//! PostgreSQL only (set FINHUB_TEST_DATABASE_URL); the machine's server is
//! never touched, only this test's own connections to it.

// Scenario tests read top to bottom in the order things happen; split, they would hide it.
#![allow(clippy::too_many_lines)]

mod env;
mod load;
mod proxy;

use env::Env;
use finhub_core::repo::LedgerRepo;
use finhub_testkit::kftc::tran_id;
use load::{Face, Outcome, Sample};
use proxy::Mode;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Healthy load before the fault.
const WARM: Duration = Duration::from_millis(1500);
/// After the fault is lifted, every request started this much later must succeed.
const RECOVERY_BOUND: Duration = Duration::from_secs(5);
/// Load kept on after every face answered again.
const TAIL: Duration = Duration::from_millis(1500);

#[derive(Debug, Clone, Copy)]
enum Fault {
    /// A crash or restart: every connection reset at once, new ones refused
    /// for a second, then the server is back.
    Restart,
    /// The server shuts its sessions (FATAL 57P01, as on a restart) and then
    /// cannot be reached: new connections are swallowed without an answer for
    /// longer than the pool's acquire timeout.
    Unreachable,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_restart_mid_load_answers_in_envelopes_and_recovers() {
    run(
        Fault::Restart,
        Duration::from_secs(1),
        Duration::from_secs(10),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_unreachable_past_the_acquire_timeout_answers_within_a_bound() {
    // The pool's acquire timeout (StoreOptions default, as `finhub serve` runs).
    let acquire = finhub_store::StoreOptions::default().acquire_timeout;
    run(
        Fault::Unreachable,
        acquire + Duration::from_secs(2),
        acquire * 2 + Duration::from_secs(2),
    )
    .await;
}

/// A ledger batch whose session the server ends mid-transaction (the writer
/// waits on a held row; PostgreSQL then terminates it and stays out of
/// reach): every command of the batch answers an error at once — no retry
/// one by one against a dead server — nothing of it is written, and the
/// writer serves the next batch once PostgreSQL is back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ledger_writer_fails_a_batch_cut_mid_transaction_fast_and_keeps_serving() {
    let Some(env) = Env::new().await else {
        eprintln!("skipped: set FINHUB_TEST_DATABASE_URL to run the PostgreSQL fault tests");
        return;
    };
    let began = Instant::now();
    let acquire = finhub_store::StoreOptions::default().acquire_timeout;
    const BURST: usize = 16;
    let l1 = env.lock_account(1).await;
    let l0 = env.lock_account(0).await;
    // One withdrawal of user 1 makes a batch that waits on its row...
    let first = env.spawn_withdrawals(1, 1);
    env.wait_for_lock_wait().await;
    // ...while user 0's withdrawals queue behind it.
    let burst = env.spawn_withdrawals(0, BURST);
    tokio::time::sleep(Duration::from_millis(800)).await;
    // Let the first batch through: the queued ones form one batch, which
    // now waits on user 0's row, mid-transaction.
    l1.commit().await.unwrap();
    let first = tokio::time::timeout(Duration::from_secs(20), first)
        .await
        .expect("the first batch was not let through")
        .unwrap();
    assert_eq!(first[0].1.body["rsp_code"], "A0000", "{}", first[0].1.text);
    env.wait_for_lock_wait().await;
    tokio::time::sleep(Duration::from_millis(200)).await;

    env.proxy.set(Mode::Blackhole);
    let t_fault = Instant::now();
    assert!(env.terminate_backends().await > 0);
    l0.rollback().await.unwrap();
    let burst = burst.await.unwrap();
    let answered = t_fault.elapsed();
    let mut max_latency = Duration::ZERO;
    for (_, r) in &burst {
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(r.body["rsp_code"], "A0003", "{}", r.text);
        max_latency = max_latency.max(r.latency);
    }
    // Retried one by one, each command would wait out an acquire timeout
    // (16 x 5 s, past the shell's 30 s). Failed together, the batch answers
    // at once; a straggler that missed the batch waits out one timeout.
    assert!(
        answered < acquire * 2,
        "the failed batch took {answered:?} to answer its {BURST} callers"
    );
    let ids: Vec<String> = burst.iter().map(|(t, _)| t.clone()).collect();
    let counts = env.entries_per_key(&ids).await;
    assert!(
        counts.is_empty(),
        "a rolled-back batch left entries: {counts:?}"
    );

    // Still unreachable: new withdrawals fail within the acquire timeout.
    let during = env.spawn_withdrawals(2, 2).await.unwrap();
    for (_, r) in &during {
        assert_eq!(r.body["rsp_code"], "A0003", "{}", r.text);
        assert!(
            r.latency < acquire + Duration::from_secs(2),
            "{:?}",
            r.latency
        );
        max_latency = max_latency.max(r.latency);
    }
    env.proxy.set(Mode::Open);
    let t_restore = Instant::now();

    // The writer serves again, without a restart.
    let mut recovered = None;
    while t_restore.elapsed() < Duration::from_secs(10) {
        let r = env.withdraw(3, &tran_id(&env.creds.org)).await;
        if r.body["rsp_code"] == "A0000" {
            recovered = Some(t_restore.elapsed());
            break;
        }
        assert_eq!(r.body["rsp_code"], "A0003", "{}", r.text);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let recovered = recovered.expect("the ledger writer did not recover");
    // A client retries the failed ones: each applies now, once.
    for (tran, _) in burst.iter().chain(&during) {
        let user = if during.iter().any(|(t, _)| t == tran) {
            2
        } else {
            0
        };
        let r = env.withdraw(user, tran).await;
        assert_eq!(r.body["rsp_code"], "A0000", "{}", r.text);
    }
    let ids: Vec<String> = burst
        .iter()
        .chain(&during)
        .map(|(t, _)| t.clone())
        .collect();
    let counts = env.entries_per_key(&ids).await;
    for t in &ids {
        assert_eq!(counts.get(t).copied(), Some(1), "{t}");
    }
    assert!(env.store.audit().await.unwrap().is_empty());
    for (_, total) in env.store.balance_totals().await.unwrap() {
        assert_eq!(total, 0);
    }
    assert_eq!(
        env.balance_of(&env.users[0].account_id).await,
        env::OPENING_KRW - BURST as i64 * env::WITHDRAW_KRW
    );
    eprintln!(
        "writer: batch of {BURST} cut mid-transaction answered A0003 in {answered:?}; \
         max latency {max_latency:?}; served again {recovered:?} after the restore; whole run {:?}",
        began.elapsed()
    );
}

/// The answer to a COMMIT is lost (the server committed, the connection
/// died before the client heard): the caller gets an error, never a
/// success it cannot trust, and a retry with the same bank_tran_id finds
/// the first result (A0326) instead of moving the money again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_withdrawal_whose_commit_answer_is_lost_is_an_error_applied_once() {
    let Some(env) = Env::new().await else {
        eprintln!("skipped: set FINHUB_TEST_DATABASE_URL to run the PostgreSQL fault tests");
        return;
    };
    env.proxy.lose_next_commit();
    let tran = tran_id(&env.creds.org);
    let r = env.withdraw(0, &tran).await;
    assert!(
        !env.proxy.commit_armed(),
        "no COMMIT went through the proxy"
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["rsp_code"], "A0003", "{}", r.text);
    let counts = env.entries_per_key(std::slice::from_ref(&tran)).await;
    assert_eq!(
        counts.get(&tran).copied(),
        Some(1),
        "the commit was durable"
    );

    let again = env.withdraw(0, &tran).await;
    assert_eq!(again.body["rsp_code"], "A0326", "{}", again.text);
    let next = env.withdraw(0, &tran_id(&env.creds.org)).await;
    assert_eq!(next.body["rsp_code"], "A0000", "{}", next.text);
    let counts = env.entries_per_key(std::slice::from_ref(&tran)).await;
    assert_eq!(counts.get(&tran).copied(), Some(1));
    assert!(env.store.audit().await.unwrap().is_empty());
    assert_eq!(
        env.balance_of(&env.users[0].account_id).await,
        env::OPENING_KRW - 2 * env::WITHDRAW_KRW
    );
}

async fn run(fault: Fault, hold: Duration, latency_bound: Duration) {
    let Some(env) = Env::new().await else {
        eprintln!("skipped: set FINHUB_TEST_DATABASE_URL to run the PostgreSQL fault tests");
        return;
    };
    let began = Instant::now();
    let load = load::start(&env);
    tokio::time::sleep(WARM).await;

    let t_fault = Instant::now();
    match fault {
        Fault::Restart => {
            env.proxy.set(Mode::Refuse);
            env.proxy.cut();
        }
        Fault::Unreachable => {
            env.proxy.set(Mode::Blackhole);
            let n = env.terminate_backends().await;
            assert!(n > 0, "no backend of this store to terminate");
        }
    }
    tokio::time::sleep(hold).await;
    env.proxy.set(Mode::Open);
    let t_restore = Instant::now();

    // Wait until every face answered a request started after the restore.
    let deadline = t_restore + RECOVERY_BOUND + Duration::from_secs(10);
    loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let s = load.samples();
        let back = Face::ALL.iter().all(|f| {
            s.iter()
                .any(|x| x.face == *f && x.start >= t_restore && x.outcome.is_ok())
        });
        if back || Instant::now() > deadline {
            break;
        }
    }
    tokio::time::sleep(TAIL).await;
    let samples = load.stop().await;

    let report = Report::of(&samples, t_fault, t_restore);
    eprintln!("{fault:?} held {hold:?}: {report}");
    for f in Face::ALL {
        if let Some(s) = samples
            .iter()
            .filter(|s| s.face == f)
            .max_by_key(|s| s.latency)
        {
            let at = s
                .start
                .checked_duration_since(t_fault)
                .map(|d| format!("+{d:?}"))
                .unwrap_or_else(|| format!("-{:?}", t_fault - s.start));
            eprintln!(
                "  slowest {f:?}: {:?}, started {at} from the fault, {:?}",
                s.latency, s.outcome
            );
        }
    }

    // Every answer is the face's own envelope or success; no hang, no bare 500.
    let bad: Vec<&Sample> = samples.iter().filter(|s| s.outcome.is_bad()).collect();
    assert!(
        bad.is_empty(),
        "answers outside the envelopes: {:#?}",
        &bad[..bad.len().min(10)]
    );
    // Healthy before the fault.
    for s in samples.iter().filter(|s| s.start + s.latency < t_fault) {
        assert!(s.outcome.is_ok(), "failed before the fault: {s:?}");
    }
    // The fault was seen (the test would prove nothing otherwise).
    assert!(
        report
            .clean_errors
            .get(&Face::Withdraw)
            .copied()
            .unwrap_or(0)
            > 0
            && report
                .clean_errors
                .get(&Face::Balance)
                .copied()
                .unwrap_or(0)
                > 0,
        "the fault was not observed: {report}"
    );
    assert!(
        report.max_latency < latency_bound,
        "an answer took {:?} (bound {latency_bound:?})",
        report.max_latency
    );
    // Recovery without a restart of anything.
    for f in Face::ALL {
        assert!(
            samples
                .iter()
                .any(|s| s.face == f && s.start >= t_restore && s.outcome.is_ok()),
            "{f:?} did not recover: {report}"
        );
    }
    for s in samples
        .iter()
        .filter(|s| s.start >= t_restore + RECOVERY_BOUND)
    {
        assert!(
            s.outcome.is_ok(),
            "still failing {:?} after the restore: {s:?}",
            s.start - t_restore
        );
    }

    check_ledger(&env, &samples).await;
    eprintln!("{fault:?}: whole run {:?}", began.elapsed());
}

/// Exactly-once and the ledger's invariants, after retrying every withdrawal
/// that was answered with an error under its own bank_tran_id.
async fn check_ledger(env: &Env, samples: &[Sample]) {
    let withdrawals: Vec<&Sample> = samples
        .iter()
        .filter(|s| s.face == Face::Withdraw)
        .collect();
    let acked: Vec<&Sample> = withdrawals
        .iter()
        .copied()
        .filter(|s| s.outcome.is_ok())
        .collect();
    let failed: Vec<&Sample> = withdrawals
        .iter()
        .copied()
        .filter(|s| !s.outcome.is_ok())
        .collect();
    let ids =
        |v: &[&Sample]| -> Vec<String> { v.iter().map(|s| s.tran.clone().unwrap()).collect() };

    let before = env.entries_per_key(&ids(&failed)).await;
    let applied_unacked = before.values().filter(|n| **n > 0).count();
    for (k, n) in &before {
        assert!(*n <= 1, "{k} applied {n} times");
    }

    // A client retries each failed withdrawal with the same bank_tran_id:
    // either it is applied now (A0000) or it was already (A0326, look it up).
    let mut retried: HashMap<&str, usize> = HashMap::new();
    for s in &failed {
        let tran = s.tran.as_deref().unwrap();
        let r = env.withdraw(s.user, tran).await;
        let code = r.body["rsp_code"].as_str().unwrap_or("").to_owned();
        match code.as_str() {
            "A0000" => assert_eq!(
                before.get(tran).copied().unwrap_or(0),
                0,
                "{tran} applied twice"
            ),
            "A0326" => assert_eq!(
                before.get(tran).copied().unwrap_or(0),
                1,
                "{tran}: A0326 but not applied"
            ),
            other => panic!("retry of {tran} answered {other}: {}", r.text),
        }
        *retried
            .entry(if code == "A0000" {
                "applied on retry"
            } else {
                "already applied"
            })
            .or_default() += 1;
    }

    let all: Vec<String> = ids(&withdrawals);
    let after = env.entries_per_key(&all).await;
    for s in &withdrawals {
        let tran = s.tran.as_deref().unwrap();
        assert_eq!(
            after.get(tran).copied().unwrap_or(0),
            1,
            "{tran} ({:?}) not applied exactly once",
            s.outcome
        );
    }

    // No partial write: every entry balances, every balance agrees with its
    // postings, and all money sums to zero.
    let problems = env.store.audit().await.expect("audit");
    assert!(problems.is_empty(), "ledger audit: {problems:?}");
    for (cur, total) in env.store.balance_totals().await.expect("totals") {
        assert_eq!(total, 0, "sum of {cur:?} balances");
    }
    for (i, u) in env.users.iter().enumerate() {
        let n = withdrawals.iter().filter(|s| s.user == i).count() as i64;
        assert_eq!(
            env.balance_of(&u.account_id).await,
            env::OPENING_KRW - n * env::WITHDRAW_KRW,
            "user {i}'s balance after {n} withdrawals"
        );
    }
    eprintln!(
        "withdrawals: {} acknowledged, {} answered with an error ({} of them applied before the answer), retries: {retried:?}",
        acked.len(),
        failed.len(),
        applied_unacked
    );
}

struct Report {
    requests: usize,
    during_fault: usize,
    clean_errors: HashMap<Face, usize>,
    codes: HashMap<String, usize>,
    max_latency: Duration,
    max_latency_face: Option<Face>,
    /// From the restore to the first success of the slowest face.
    recovery: Duration,
    /// From the restore to the end of the last failed answer.
    last_error: Duration,
}

impl Report {
    fn of(samples: &[Sample], t_fault: Instant, t_restore: Instant) -> Report {
        let mut r = Report {
            requests: samples.len(),
            during_fault: 0,
            clean_errors: HashMap::new(),
            codes: HashMap::new(),
            max_latency: Duration::ZERO,
            max_latency_face: None,
            recovery: Duration::ZERO,
            last_error: Duration::ZERO,
        };
        for s in samples {
            if s.start + s.latency >= t_fault && s.start < t_restore {
                r.during_fault += 1;
            }
            if let Outcome::Clean(code) = &s.outcome {
                *r.clean_errors.entry(s.face).or_default() += 1;
                *r.codes.entry(format!("{:?} {code}", s.face)).or_default() += 1;
                let end = (s.start + s.latency).saturating_duration_since(t_restore);
                r.last_error = r.last_error.max(end);
            }
            if s.latency > r.max_latency {
                r.max_latency = s.latency;
                r.max_latency_face = Some(s.face);
            }
        }
        for f in Face::ALL {
            if let Some(first) = samples
                .iter()
                .filter(|s| s.face == f && s.start >= t_restore && s.outcome.is_ok())
                .map(|s| s.start + s.latency)
                .min()
            {
                r.recovery = r.recovery.max(first - t_restore);
            }
        }
        r
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut codes: Vec<_> = self.codes.iter().collect();
        codes.sort();
        write!(
            f,
            "{} requests ({} overlapping the fault); errors {:?}; max latency {:?} ({:?}); \
             every face answered again {:?} after the restore, last error ended {:?} after it",
            self.requests,
            self.during_fault,
            codes,
            self.max_latency,
            self.max_latency_face,
            self.recovery,
            self.last_error
        )
    }
}

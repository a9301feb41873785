//! Clients that send one small transfer at a time, each with a fresh
//! bank_tran_id, and keep when every attempt started and ended: how long the
//! failover lasted as a client saw it. The load's clients keep no times.

use crate::load::{self, Answer, Intent, Kind};
use crate::Setup;
use rand::{Rng, SeedableRng};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::task::JoinHandle;

/// Between one answer and the next request.
const GAP: Duration = Duration::from_millis(50);

/// One transfer a canary sent (once: an unknown answer is retried by the
/// checks after the failover, as the crash suite does).
pub struct Sent {
    pub intent: Intent,
    pub sent: Instant,
    pub done: Instant,
}

pub fn start(
    addr: &str,
    setup: &Setup,
    tasks: usize,
    stop: &Arc<AtomicBool>,
) -> Vec<JoinHandle<Vec<Sent>>> {
    (0..tasks)
        .map(|t| {
            let (addr, setup, stop) = (addr.to_owned(), setup.clone(), stop.clone());
            tokio::spawn(async move { run(&addr, &setup, t, &stop).await })
        })
        .collect()
}

async fn run(addr: &str, setup: &Setup, t: usize, stop: &AtomicBool) -> Vec<Sent> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(t as u64);
    let mut out = Vec::new();
    while !stop.load(Ordering::SeqCst) {
        // Ids of their own (the load counts from 1, set-up uses 9xx_xxx_xxx).
        let id = format!(
            "{}U{:09}",
            setup.org,
            700_000_000 + t * 1_000_000 + out.len()
        );
        let kind = if rng.gen_bool(0.5) {
            Kind::Deposit
        } else {
            Kind::Withdraw
        };
        let mut intent = Intent {
            id,
            kind,
            // The holders with room on both sides (not 0, which runs dry,
            // nor 1, which meets its daily limit).
            holder: 2 + t % (setup.holders.len() - 2),
            amount: rng.gen_range(1..=1000),
            round: 0,
            attempts: vec![],
        };
        let sent = Instant::now();
        intent.attempts.push(load::send(addr, setup, &intent).await);
        out.push(Sent {
            intent,
            sent,
            done: Instant::now(),
        });
        tokio::time::sleep(GAP).await;
    }
    out
}

/// What the canaries saw around the kill.
#[derive(Debug, Default)]
pub struct Figures {
    pub sent: usize,
    pub acked: usize,
    /// From the kill to the first acknowledgement of a transfer sent after it.
    pub failover: Option<Duration>,
    /// Attempts that ended without an acknowledgement in that time.
    pub failed_meanwhile: usize,
    /// The longest a transfer that was acknowledged waited for its answer.
    pub slowest_ack: Duration,
}

pub fn figures(all: &[Sent], kill: Instant) -> Figures {
    let ack = |s: &&Sent| s.intent.attempts[0] == Answer::Ack;
    let recovered = all
        .iter()
        .filter(|s| s.sent >= kill)
        .filter(ack)
        .map(|s| s.done)
        .min();
    let failed_meanwhile = recovered.map_or(0, |r| {
        all.iter()
            .filter(|s| s.done >= kill && s.done <= r && s.intent.attempts[0] != Answer::Ack)
            .count()
    });
    Figures {
        sent: all.len(),
        acked: all.iter().filter(ack).count(),
        failover: recovered.map(|r| r - kill),
        failed_meanwhile,
        slowest_ack: all
            .iter()
            .filter(ack)
            .map(|s| s.done - s.sent)
            .max()
            .unwrap_or_default(),
    }
}

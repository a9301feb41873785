//! Mixed withdrawals over every node with one node killed part way, and the
//! ledger's check afterwards.

use crate::kftc::{self, Answer, Setup};
use crate::server::Server;
use finhub_core::clock::Clock;
use finhub_core::repo::LedgerRepo;
use finhub_store::{Store, StoreOptions};
use rand::{Rng, SeedableRng};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Every bank_tran_id sent: its holder, amount and every answer it got.
#[derive(Default)]
pub struct Ledger {
    ids: HashMap<String, Sent>,
}

struct Sent {
    holder: usize,
    amount: i64,
    answers: Vec<Answer>,
}

impl Ledger {
    pub fn sent(&mut self, id: &str, holder: usize, amount: i64, a: &Answer) {
        let e = self.ids.entry(id.to_owned()).or_insert(Sent {
            holder,
            amount,
            answers: Vec::new(),
        });
        e.answers.push(a.clone());
    }
}

#[derive(Debug, Default)]
pub struct Counts {
    pub sent: usize,
    pub acked: usize,
    pub refused: usize,
    pub dup: usize,
    pub lost: usize,
    pub internal: usize,
}

impl std::fmt::Display for Counts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} sent: {} acknowledged, {} refused, {} A0326, {} lost with the killed node, {} A0003",
            self.sent, self.acked, self.refused, self.dup, self.lost, self.internal
        )
    }
}

impl Counts {
    fn add(&mut self, a: &Answer) {
        self.sent += 1;
        match a {
            Answer::Ack => self.acked += 1,
            Answer::Dup => self.dup += 1,
            Answer::Refused(_) => self.refused += 1,
            Answer::Lost(_) => self.lost += 1,
            Answer::Internal(_) => self.internal += 1,
        }
    }
}

type Sends = Vec<(String, usize, i64, Answer)>;

/// 12 clients for 3 s over every node; the last node is SIGKILLed after
/// 1.2 s. A client whose node died goes on with the first. Lost answers are
/// then retried on the first node, until each has a definite one.
pub async fn run(addrs: &[String], s: &Setup, ledger: &mut Ledger, killed: Server) -> Counts {
    let t0 = Instant::now();
    let tasks: Vec<_> = (0..12u64)
        .map(|t| tokio::spawn(client(addrs.to_vec(), s.clone(), t, t0)))
        .collect();
    tokio::time::sleep(Duration::from_millis(1200)).await;
    killed.kill();
    let mut counts = Counts::default();
    let mut lost = Vec::new();
    for t in tasks {
        for (id, h, amt, a) in t.await.expect("client task") {
            counts.add(&a);
            if matches!(a, Answer::Lost(_)) {
                lost.push((id.clone(), h, amt));
            }
            ledger.sent(&id, h, amt, &a);
        }
    }
    for (id, h, amt) in lost {
        let a = kftc::withdraw(&addrs[0], s, &s.holders[h], &id, amt).await;
        // Applied now, recorded before (A0326), or refused now (it never
        // reached the ledger and the balance has gone meanwhile).
        assert!(
            !matches!(a, Answer::Lost(_) | Answer::Internal(_)),
            "retry of lost {id} on a live node: {a:?}"
        );
        ledger.sent(&id, h, amt, &a);
    }
    assert_eq!(
        counts.internal, 0,
        "internal errors under multi-node load: {counts}"
    );
    counts
}

async fn client(addrs: Vec<String>, s: Setup, t: u64, t0: Instant) -> Sends {
    let mut rng = rand::rngs::StdRng::seed_from_u64(t);
    let mut node = (t as usize) % addrs.len();
    let mut out = Vec::new();
    while t0.elapsed() < Duration::from_secs(3) {
        let h = rng.gen_range(0..s.holders.len());
        let amt = rng.gen_range(1..=30_000);
        let id = finhub_testkit::kftc::tran_id(&s.org);
        let a = kftc::withdraw(&addrs[node], &s, &s.holders[h], &id, amt).await;
        let lost = matches!(a, Answer::Lost(_));
        out.push((id.clone(), h, amt, a));
        if lost {
            node = 0;
        } else if rng.gen_bool(0.1) {
            // The same id again to another live node (never the one that
            // will be killed): a client's retry after a timeout.
            let other = (node + 1) % (addrs.len() - 1);
            let again = kftc::withdraw(&addrs[other], &s, &s.holders[h], &id, amt).await;
            out.push((id, h, amt, again));
        }
    }
    out
}

/// Exactly once, nothing created or lost, and a clean audit.
pub async fn check(url: &str, addr: &str, s: &Setup, ledger: &Ledger) {
    let opts = StoreOptions {
        max_connections: 2,
        ..Default::default()
    };
    let st = Store::open(url, opts, Clock::system())
        .await
        .expect("store");
    let entries = st
        .inspect_entries(&format!("kftc:{}:", s.org))
        .await
        .expect("entries");
    let mut times: HashMap<&str, usize> = HashMap::new();
    for e in &entries {
        *times.entry(e.key.as_str()).or_default() += 1;
    }
    let mut owed = vec![0i64; s.holders.len()];
    for (id, sent) in &ledger.ids {
        let applied = times.get(id.as_str()).copied().unwrap_or(0);
        let said = &sent.answers;
        assert!(applied <= 1, "{id} applied {applied} times");
        // A lost answer then A0326 may be either; an A0000 or a refusal is not.
        if said.contains(&Answer::Ack) {
            assert_eq!(
                applied, 1,
                "{id} acknowledged but not in the ledger: {said:?}"
            );
        }
        if said.iter().any(|a| matches!(a, Answer::Refused(_))) {
            assert_eq!(applied, 0, "{id} refused but in the ledger: {said:?}");
        }
        if applied == 1 {
            owed[sent.holder] += sent.amount;
        }
    }
    for (h, holder) in s.holders.iter().enumerate() {
        let b = kftc::balance(addr, s, holder, &s.token)
            .await
            .expect("balance");
        assert_eq!(
            b,
            holder.opening - owed[h],
            "holder {h}: balance against what applied"
        );
    }
    let audit = st.audit().await.expect("audit");
    assert!(audit.is_empty(), "audit: {audit:?}");
    st.db().close().await;
}

//! The load of one round: concurrent clients sending withdrawals, deposits
//! and retries of ids already sent, until the server is SIGKILLed. Every
//! attempt's answer is kept per bank_tran_id.

use crate::client::{self, json_body};
use crate::server::{Backend, Server};
use crate::Setup;
use finhub_testkit::kftc;
use rand::{Rng, SeedableRng};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Withdraw,
    Deposit,
}

/// What one attempt got back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// A0000: the transfer is done.
    Ack,
    /// A0326: the id was already recorded (applied or refused).
    Dup,
    /// A definite business refusal (rsp_code/bank_rsp_code): nothing moved.
    Refused(String),
    /// No definite answer: connection error, cut answer, A0003, not KFTC.
    Unknown(String),
}

impl Answer {
    pub fn is_definite(&self) -> bool {
        !matches!(self, Answer::Unknown(_))
    }
}

/// One bank_tran_id: what was asked, and every answer it got.
#[derive(Debug, Clone)]
pub struct Intent {
    pub id: String,
    pub kind: Kind,
    pub holder: usize,
    pub amount: i64,
    pub round: usize,
    pub attempts: Vec<Answer>,
}

impl Intent {
    pub fn path(&self) -> &'static str {
        match self.kind {
            Kind::Withdraw => "/v2.0/transfer/withdraw/fin_num",
            Kind::Deposit => "/v2.0/transfer/deposit/fin_num",
        }
    }

    pub fn body(&self, s: &Setup) -> Value {
        let fin = &s.holders[self.holder].fin;
        match self.kind {
            Kind::Withdraw => kftc::withdraw_body(&self.id, &s.cntr_num, fin, self.amount),
            Kind::Deposit => kftc::deposit_body(
                &s.cntr_num,
                vec![kftc::deposit_item(1, &self.id, fin, self.amount)],
            ),
        }
    }

    /// The holder's balance change when applied.
    pub fn signed(&self) -> i64 {
        match self.kind {
            Kind::Withdraw => -self.amount,
            Kind::Deposit => self.amount,
        }
    }

    pub fn acks(&self) -> usize {
        self.attempts.iter().filter(|a| **a == Answer::Ack).count()
    }
}

#[derive(Debug, Default)]
pub struct Model {
    pub intents: HashMap<String, Intent>,
    /// Ids in the order they were first sent.
    pub order: Vec<String>,
    next_tail: u64,
}

impl Model {
    fn new_id(&mut self, org: &str) -> String {
        self.next_tail += 1;
        format!("{org}U{:09}", self.next_tail)
    }
}

#[derive(Debug, Default, Clone)]
pub struct Counts {
    pub sent: u64,
    pub acked: u64,
    pub refused: u64,
    pub dup: u64,
    pub unknown: u64,
    /// Unknowns that were answers (A0003, not KFTC), not connection errors.
    pub errors: u64,
    /// Acknowledged requests sent after the database sessions were cut.
    pub acked_after_cut: u64,
}

impl Counts {
    pub fn add(&mut self, o: &Counts) {
        self.sent += o.sent;
        self.acked += o.acked;
        self.refused += o.refused;
        self.dup += o.dup;
        self.unknown += o.unknown;
        self.errors += o.errors;
        self.acked_after_cut += o.acked_after_cut;
    }

    fn count(&mut self, a: &Answer) {
        self.sent += 1;
        match a {
            Answer::Ack => self.acked += 1,
            Answer::Dup => self.dup += 1,
            Answer::Refused(_) => self.refused += 1,
            Answer::Unknown(why) => {
                self.unknown += 1;
                if why.starts_with("answer") {
                    self.errors += 1;
                }
            }
        }
    }
}

impl std::fmt::Display for Counts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} requests: {} acknowledged, {} refused, {} duplicate (A0326), {} unknown ({} error answers)",
            self.sent, self.acked, self.refused, self.dup, self.unknown, self.errors
        )?;
        if self.acked_after_cut > 0 {
            write!(
                f,
                ", {} acknowledged after a session cut",
                self.acked_after_cut
            )?;
        }
        Ok(())
    }
}

/// Send one attempt of `intent` and classify the answer.
pub async fn send(addr: &str, s: &Setup, intent: &Intent) -> Answer {
    let r = client::request(
        addr,
        "POST",
        intent.path(),
        Some(&s.token),
        json_body(&intent.body(s)),
    )
    .await;
    classify(r)
}

pub fn classify(r: Result<(u16, Vec<u8>), String>) -> Answer {
    let (status, body) = match r {
        Ok(x) => x,
        Err(e) => return Answer::Unknown(e),
    };
    let Ok(v) = serde_json::from_slice::<Value>(&body) else {
        return Answer::Unknown(format!(
            "answer HTTP {status}: {}",
            String::from_utf8_lossy(&body)
        ));
    };
    let code = v["rsp_code"].as_str().unwrap_or("");
    let bank = v["bank_rsp_code"]
        .as_str()
        .or_else(|| v["res_list"][0]["bank_rsp_code"].as_str())
        .unwrap_or("");
    match code {
        "A0000" => Answer::Ack,
        "A0326" => Answer::Dup,
        // Internal errors say nothing about whether the money moved.
        "A0003" | "" => Answer::Unknown(format!("answer HTTP {status}: {v}")),
        _ => Answer::Refused(format!("{code}/{bank}")),
    }
}

/// One round of load: who to hit, how hard, and when to kill.
pub struct Round<'a> {
    pub addr: &'a str,
    pub setup: &'a Setup,
    pub round: usize,
    pub tasks: usize,
    pub seed: u64,
    pub kill_after: Duration,
    /// On PostgreSQL: cut the server's sessions this long into the round.
    pub cut: Option<(Duration, &'a Backend)>,
}

/// Run `tasks` clients against the server, SIGKILL it after `kill_after`,
/// wait for every client to see it gone; the answers go into `model`.
pub async fn run(r: Round<'_>, model: &mut Model, server: Server) -> Counts {
    let Round {
        addr,
        setup,
        round,
        tasks,
        seed,
        kill_after,
        cut,
    } = r;
    let shared = Arc::new(Mutex::new(std::mem::take(model)));
    let killed = Arc::new(AtomicBool::new(false));
    let cut_done = Arc::new(AtomicBool::new(false));
    let round_ids = Arc::new(Mutex::new(Vec::<String>::new()));
    let mut handles = Vec::new();
    for t in 0..tasks {
        let (shared, killed, round_ids) = (shared.clone(), killed.clone(), round_ids.clone());
        let cut_done = cut_done.clone();
        let (addr, setup) = (addr.to_owned(), setup.clone());
        let mut rng = rand::rngs::StdRng::seed_from_u64(
            seed ^ (t as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15),
        );
        handles.push(tokio::spawn(async move {
            let mut counts = Counts::default();
            // After the kill no new request starts: the unknowns are the
            // requests the kill caught in flight.
            while !killed.load(Ordering::SeqCst) {
                let pick = rng.gen_range(0..100);
                let intent = {
                    let mut m = shared.lock().unwrap();
                    let retry = if pick < 8 {
                        let ids = round_ids.lock().unwrap();
                        (!ids.is_empty()).then(|| ids[rng.gen_range(0..ids.len())].clone())
                    } else {
                        None
                    };
                    match retry {
                        Some(id) => m.intents[&id].clone(),
                        None => {
                            let holder = rng.gen_range(0..setup.holders.len());
                            let (kind, amount) = if pick < 30 {
                                (Kind::Deposit, rng.gen_range(1..=30_000))
                            } else {
                                (
                                    Kind::Withdraw,
                                    rng.gen_range(1..=setup.holders[holder].max_wd),
                                )
                            };
                            let id = m.new_id(&setup.org);
                            let it = Intent {
                                id: id.clone(),
                                kind,
                                holder,
                                amount,
                                round,
                                attempts: vec![],
                            };
                            m.intents.insert(id.clone(), it.clone());
                            m.order.push(id.clone());
                            round_ids.lock().unwrap().push(id);
                            it
                        }
                    }
                };
                let after_cut = cut_done.load(Ordering::SeqCst);
                let a = send(&addr, &setup, &intent).await;
                counts.count(&a);
                if after_cut && a == Answer::Ack {
                    counts.acked_after_cut += 1;
                }
                let unknown = !a.is_definite();
                shared
                    .lock()
                    .unwrap()
                    .intents
                    .get_mut(&intent.id)
                    .unwrap()
                    .attempts
                    .push(a);
                if unknown && !killed.load(Ordering::SeqCst) {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
            counts
        }));
    }
    let mut slept = Duration::ZERO;
    if let Some((at, backend)) = cut {
        tokio::time::sleep(at).await;
        let n = backend.terminate_sessions().await;
        cut_done.store(true, Ordering::SeqCst);
        eprintln!("round {round}: terminated {n} PostgreSQL sessions of the server after {at:?}");
        slept = at;
    }
    tokio::time::sleep(kill_after.saturating_sub(slept)).await;
    killed.store(true, Ordering::SeqCst);
    server.kill();
    let mut counts = Counts::default();
    for h in handles {
        counts.add(&h.await.expect("load task"));
    }
    *model = Arc::try_unwrap(shared)
        .unwrap_or_else(|_| panic!("load tasks still hold the model"))
        .into_inner()
        .unwrap();
    counts
}

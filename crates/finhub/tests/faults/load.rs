//! The load kept on the server while faults come and go: per user a KFTC
//! task (balance, then a withdrawal with a fresh bank_tran_id), one OAuth
//! token task and one sandbox task. Each answer is classified as success,
//! the face's clean error envelope, or anything else (bad).

use crate::env::{kftc, Creds, Env};
use finhub_testkit::kftc::{dtime, tran_id};
use finhub_testkit::net::{Conn, Reply};
use finhub_testkit::ADMIN_KEY;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::watch;
use tokio::task::JoinHandle;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Face {
    Balance,
    Withdraw,
    Token,
    Sandbox,
}

impl Face {
    pub const ALL: [Face; 4] = [Face::Balance, Face::Withdraw, Face::Token, Face::Sandbox];
}

#[derive(Debug, Clone)]
pub enum Outcome {
    Ok,
    /// The face's own error envelope, with its code.
    Clean(String),
    /// Anything else: no answer, a bare 500, a shape the face does not use.
    /// (What was seen shows in the failure message, through Debug.)
    #[allow(dead_code)]
    Bad(String),
}

impl Outcome {
    pub fn is_ok(&self) -> bool {
        matches!(self, Outcome::Ok)
    }
    pub fn is_bad(&self) -> bool {
        matches!(self, Outcome::Bad(_))
    }
}

#[derive(Debug, Clone)]
pub struct Sample {
    pub face: Face,
    pub user: usize,
    pub tran: Option<String>,
    pub start: Instant,
    pub latency: Duration,
    pub outcome: Outcome,
}

pub struct Load {
    stop: watch::Sender<bool>,
    samples: Arc<Mutex<Vec<Sample>>>,
    tasks: Vec<JoinHandle<()>>,
}

impl Load {
    pub fn samples(&self) -> Vec<Sample> {
        self.samples.lock().unwrap().clone()
    }

    pub async fn stop(self) -> Vec<Sample> {
        self.stop.send_replace(true);
        for t in self.tasks {
            t.await.expect("load task panicked");
        }
        let out = self.samples.lock().unwrap().clone();
        out
    }
}

pub fn start(env: &Env) -> Load {
    let (stop, _) = watch::channel(false);
    let samples: Arc<Mutex<Vec<Sample>>> = Default::default();
    let mut tasks = Vec::new();
    for user in 0..env.users.len() {
        let (c, s, st) = (env.creds.clone(), samples.clone(), stop.subscribe());
        tasks.push(tokio::spawn(kftc_task(c, user, s, st)));
    }
    let (c, s, st) = (env.creds.clone(), samples.clone(), stop.subscribe());
    tasks.push(tokio::spawn(token_task(c, s, st)));
    let (c, s, st) = (env.creds.clone(), samples.clone(), stop.subscribe());
    tasks.push(tokio::spawn(sandbox_task(c, s, st)));
    Load {
        stop,
        samples,
        tasks,
    }
}

/// One request of a load task: which, by whom, when it started.
struct Call {
    face: Face,
    user: usize,
    tran: Option<String>,
    start: Instant,
}

fn record(
    out: &Mutex<Vec<Sample>>,
    call: Call,
    r: Result<Reply, String>,
    classify: fn(&Reply) -> Outcome,
) {
    let Call {
        face,
        user,
        tran,
        start,
    } = call;
    let latency = start.elapsed();
    let outcome = match &r {
        Ok(reply) => classify(reply),
        Err(e) => Outcome::Bad(format!("no HTTP answer: {e}")),
    };
    out.lock().unwrap().push(Sample {
        face,
        user,
        tran,
        start,
        latency,
        outcome,
    });
}

async fn kftc_task(
    c: Creds,
    user: usize,
    out: Arc<Mutex<Vec<Sample>>>,
    stop: watch::Receiver<bool>,
) {
    let mut http = Conn::new(c.addr);
    let fin = c.fins[user].clone();
    while !*stop.borrow() {
        let start = Instant::now();
        let path = format!(
            "/v2.0/account/balance/fin_num?bank_tran_id={}&fintech_use_num={fin}&tran_dtime={}",
            tran_id(&c.org),
            dtime()
        );
        let r = kftc(&mut http, &c, "GET", &path, None).await;
        record(
            &out,
            Call {
                face: Face::Balance,
                user,
                tran: None,
                start,
            },
            r,
            kftc_outcome,
        );

        let tran = tran_id(&c.org);
        let start = Instant::now();
        let body = c.withdrawal(user, &tran);
        let r = kftc(
            &mut http,
            &c,
            "POST",
            "/v2.0/transfer/withdraw/fin_num",
            Some(body),
        )
        .await;
        record(
            &out,
            Call {
                face: Face::Withdraw,
                user,
                tran: Some(tran),
                start,
            },
            r,
            kftc_outcome,
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// KFTC answers every call with HTTP 200 and its envelope; a store failure
/// is A0003 (내부 처리 에러) with the envelope's fields present.
fn kftc_outcome(r: &Reply) -> Outcome {
    let code = r.body["rsp_code"].as_str().unwrap_or("");
    let envelope = r.body["api_tran_id"].is_string()
        && r.body["api_tran_dtm"].is_string()
        && r.body["rsp_message"]
            .as_str()
            .is_some_and(|m| !m.is_empty());
    match (r.status, code) {
        (200, "A0000") => Outcome::Ok,
        (200, "A0003") if envelope => Outcome::Clean(code.into()),
        _ => Outcome::Bad(format!("HTTP {} {}", r.status, r.text)),
    }
}

async fn token_task(c: Creds, out: Arc<Mutex<Vec<Sample>>>, stop: watch::Receiver<bool>) {
    let mut http = Conn::new(c.addr);
    let form = serde_urlencoded::to_string([
        ("client_id", c.client_id.as_str()),
        ("client_secret", c.secret.as_str()),
        ("grant_type", "client_credentials"),
        ("scope", "sa"),
    ])
    .unwrap();
    while !*stop.borrow() {
        let start = Instant::now();
        let r = http
            .send(
                "POST",
                "/oauth/2.0/token",
                &[],
                Some((
                    "application/x-www-form-urlencoded; charset=UTF-8",
                    form.clone(),
                )),
            )
            .await;
        record(
            &out,
            Call {
                face: Face::Token,
                user: 0,
                tran: None,
                start,
            },
            r,
            token_outcome,
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Before the client is known, RFC 6749 §5.2 JSON: a store outage is
/// `temporarily_unavailable` with 503. Once it is known to be a KFTC client,
/// KFTC's gateway envelope: O0007 (the request cannot be processed), never
/// O0001, which would blame the client's parameters.
fn token_outcome(r: &Reply) -> Outcome {
    let json = r.content_type.starts_with("application/json");
    match (
        r.status,
        r.body["error"].as_str(),
        r.body["rsp_code"].as_str(),
    ) {
        (200, None, None) if r.body["access_token"].is_string() => Outcome::Ok,
        (503, Some(e @ "temporarily_unavailable"), _)
            if json && r.body["error_description"].is_string() =>
        {
            Outcome::Clean(format!("503 {e}"))
        }
        (200, None, Some(c @ "O0007")) if r.body["rsp_message"].is_string() => {
            Outcome::Clean(format!("200 {c}"))
        }
        _ => Outcome::Bad(format!("HTTP {} {}", r.status, r.text)),
    }
}

async fn sandbox_task(c: Creds, out: Arc<Mutex<Vec<Sample>>>, stop: watch::Receiver<bool>) {
    let mut http = Conn::new(c.addr);
    let auth = [("authorization", format!("Bearer {ADMIN_KEY}"))];
    while !*stop.borrow() {
        let start = Instant::now();
        let r = http
            .send("GET", "/sandbox/people?limit=3", &auth, None)
            .await;
        record(
            &out,
            Call {
                face: Face::Sandbox,
                user: 0,
                tran: None,
                start,
            },
            r,
            sandbox_outcome,
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The sandbox envelope `{"error", "message"}`; a store outage is 503 `unavailable`.
fn sandbox_outcome(r: &Reply) -> Outcome {
    match (r.status, r.body["error"].as_str()) {
        (200, None) if r.body["people"].is_array() => Outcome::Ok,
        (503, Some(e @ "unavailable")) if r.body["message"].is_string() => {
            Outcome::Clean(format!("503 {e}"))
        }
        _ => Outcome::Bad(format!("HTTP {} {}", r.status, r.text)),
    }
}

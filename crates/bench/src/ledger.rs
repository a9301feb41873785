//! Durable transfers straight through the store's ledger writer: the figure
//! that needs no HTTP face. Each transfer is a KFTC-style withdrawal (user
//! account -> the fintech's contract account, with a daily limit counter) under
//! a fresh request id, acknowledged only after its batch's durable commit.

use crate::fresh;
use crate::stats::{self, Summary};
use chrono::Utc;
use finhub_core::account::AccountKind;
use finhub_core::ledger::{EntryKind, Leg, Limit, TransferRequest};
use finhub_core::money::{Currency, Money};
use finhub_core::party::NewPerson;
use finhub_core::world::{OpenAccount, World};
use serde_json::json;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, clap::Args)]
pub struct LedgerArgs {
    /// Backends to measure, comma separated: sqlite,postgres.
    #[arg(long, default_value = "sqlite,postgres")]
    pub backends: String,
    #[arg(
        long,
        env = "FINHUB_BENCH_PG",
        default_value = "postgres://postgres@127.0.0.1:5432/postgres"
    )]
    pub pg_url: String,
    /// Concurrent callers, comma separated.
    #[arg(long, default_value = "1,16,64")]
    pub concurrency: String,
    /// Measured seconds per series.
    #[arg(long, default_value_t = 10.0)]
    pub seconds: f64,
    /// Most transfers per series.
    #[arg(long, default_value_t = 500_000)]
    pub max_requests: u64,
    #[arg(long, default_value_t = 1.0)]
    pub warmup: f64,
    /// Also run a paced series at this fraction of the peak rate (0 = skip),
    /// latency measured from each call's scheduled start.
    #[arg(long, default_value_t = 0.5)]
    pub paced_fraction: f64,
    /// Where SQLite files go.
    #[arg(long, default_value = "/tmp")]
    pub tmp: std::path::PathBuf,
}

const USERS: usize = 64;

pub async fn run(args: &LedgerArgs) -> Result<(), String> {
    let levels: Vec<usize> = crate::parse_list(&args.concurrency)?;
    for backend in args.backends.split(',').filter(|s| !s.is_empty()) {
        let f = fresh::open(backend, &args.pg_url, &args.tmp).await?;
        let durability = f.durability().await?;
        if durability["durable"] != true {
            return Err(format!("{backend} is not durable here: {durability}"));
        }
        let world = f.store.clone().into_world();
        let (users, contract) = setup(&world).await?;
        let bench = Bench {
            world: &world,
            backend,
            users: Arc::new(users),
            contract: &contract,
            args,
        };
        let mut peak = 0.0f64;
        for &c in &levels {
            let s = measure(&bench, c, None).await;
            peak = peak.max(s.per_second);
            s.emit();
        }
        if args.paced_fraction > 0.0 && peak > 0.0 {
            let rate = peak * args.paced_fraction;
            let c = levels.iter().copied().max().unwrap_or(64);
            let mut s = measure(&bench, c, Some(rate)).await;
            s.name = format!("store.transfer_paced.{backend}");
            s.emit();
        }
        // The figures count only if the ledger is still whole.
        let problems = world.repo.audit().await.map_err(|e| e.to_string())?;
        let totals = world
            .repo
            .balance_totals()
            .await
            .map_err(|e| e.to_string())?;
        let conserved = totals.iter().all(|(_, s)| *s == 0);
        println!(
            "{}",
            json!({"meta": format!("ledger.{backend}"), "durability": durability,
                   "audit_problems": problems.len(), "money_conserved": conserved})
        );
        f.cleanup().await;
        if !problems.is_empty() || !conserved {
            return Err(format!("{backend}: ledger audit failed: {problems:?}"));
        }
    }
    Ok(())
}

pub struct User {
    pub person_id: String,
    pub account_id: String,
}

/// 64 people with funded accounts and one fintech contract account.
pub async fn setup(world: &World) -> Result<(Vec<User>, String), String> {
    let e = |e: finhub_core::CoreError| e.to_string();
    let contract = world
        .open_institution_account(
            "BA00000004",
            "벤치핀테크",
            AccountKind::Contract,
            Money::krw(0),
        )
        .await
        .map_err(e)?;
    let mut users = Vec::with_capacity(USERS);
    for k in 0..USERS {
        let p = world
            .create_person(NewPerson {
                name: format!("벤치{k}"),
                birth_date: chrono::NaiveDate::from_ymd_opt(1990, 1, 1),
                ..Default::default()
            })
            .await
            .map_err(e)?;
        let a = world
            .open_account(OpenAccount {
                org_code: "BA00000004".into(),
                person_id: p.person_id.clone(),
                kind: AccountKind::Demand,
                product_name: None,
                currency: Currency::KRW,
                opening_balance_minor: 1_000_000_000_000,
                floor_minor: 0,
                account_num: None,
            })
            .await
            .map_err(e)?;
        users.push(User {
            person_id: p.person_id,
            account_id: a.account_id,
        });
    }
    Ok((users, contract.account_id))
}

/// A KFTC withdrawal as the face would submit it.
pub fn withdrawal(user: &User, contract: &str, bank_tran_id: String) -> TransferRequest {
    let now = Utc::now();
    TransferRequest {
        scope: "kftc:withdraw:bench-client".into(),
        key: bank_tran_id,
        at: now,
        kind: EntryKind::Withdrawal,
        legs: vec![
            Leg {
                account_id: user.account_id.clone(),
                amount_minor: -1_000,
                currency: Currency::KRW,
                memo: "벤치핀테크".into(),
                counterparty: "벤치핀테크".into(),
            },
            Leg {
                account_id: contract.to_owned(),
                amount_minor: 1_000,
                currency: Currency::KRW,
                memo: "출금이체".into(),
                counterparty: "벤치".into(),
            },
        ],
        limits: vec![Limit {
            counter: format!("wd:person:{}:client:bench", user.person_id),
            period: now.format("%Y-%m-%d").to_string(),
            amount_minor: 1_000,
            max_minor: i64::MAX / 4,
            code: "A0314".into(),
        }],
        meta: serde_json::Value::Null,
    }
}

static TRAN_SEQ: AtomicU64 = AtomicU64::new(0);

/// A fresh KFTC-shaped bank_tran_id: 10-char org code, 'U', 9 digits.
pub fn next_bank_tran_id() -> String {
    let n = TRAN_SEQ.fetch_add(1, Ordering::Relaxed);
    format!("M202300001U{:09}", n % 1_000_000_000)
}

/// What every series on one backend shares.
struct Bench<'a> {
    world: &'a World,
    backend: &'a str,
    users: Arc<Vec<User>>,
    contract: &'a str,
    args: &'a LedgerArgs,
}

/// One caller's share of a series: which user it pays from, its schedule
/// and the series' bounds.
struct Caller {
    w: usize,
    concurrency: usize,
    /// Paced: each caller keeps its own fixed schedule (open loop), so a
    /// slow answer does not hide the calls that should have started meanwhile.
    interval: Option<Duration>,
    warm_end: Instant,
    deadline: Instant,
    max: u64,
    issued: Arc<AtomicU64>,
}

/// What one caller measured.
struct Measured {
    hist: hdrhistogram::Histogram<u64>,
    errors: u64,
    first: Option<Instant>,
    last: Option<Instant>,
}

async fn measure(bench: &Bench<'_>, concurrency: usize, rate_per_s: Option<f64>) -> Summary {
    let args = bench.args;
    let issued = Arc::new(AtomicU64::new(0));
    let warm_end = Instant::now() + Duration::from_secs_f64(args.warmup);
    let deadline = warm_end + Duration::from_secs_f64(args.seconds);
    let mut tasks = Vec::new();
    for w in 0..concurrency {
        let c = Caller {
            w,
            concurrency,
            interval: rate_per_s.map(|r| Duration::from_secs_f64(concurrency as f64 / r)),
            warm_end,
            deadline,
            max: args.max_requests,
            issued: issued.clone(),
        };
        let (world, users) = (bench.world.clone(), bench.users.clone());
        let contract = bench.contract.to_owned();
        tasks.push(tokio::spawn(async move {
            caller(&world, &users[w % users.len()], &contract, c).await
        }));
    }
    let mut h = stats::histogram();
    let mut errors = 0;
    let (mut first, mut last): (Option<Instant>, Option<Instant>) = (None, None);
    for t in tasks {
        let m = t.await.expect("worker does not panic");
        h.add(&m.hist).expect("same bounds");
        errors += m.errors;
        first = [first, m.first].into_iter().flatten().min();
        last = [last, m.last].into_iter().flatten().max();
    }
    let elapsed = match (first, last) {
        (Some(a), Some(b)) => b - a,
        _ => Duration::ZERO,
    };
    Summary::new(
        format!("store.transfer.{}", bench.backend),
        concurrency,
        &h,
        errors,
        elapsed,
    )
}

/// One caller: transfers one after another (or on its schedule) until the deadline.
async fn caller(world: &World, user: &User, contract: &str, c: Caller) -> Measured {
    let mut m = Measured {
        hist: stats::histogram(),
        errors: 0,
        first: None,
        last: None,
    };
    let mut next_at = Instant::now()
        + c.interval
            .map(|i| i.mul_f64(c.w as f64 / c.concurrency as f64))
            .unwrap_or_default();
    loop {
        if let Some(i) = c.interval {
            tokio::time::sleep_until(next_at.into()).await;
            next_at += i;
        }
        let now = Instant::now();
        if now >= c.deadline {
            break;
        }
        let measured = now >= c.warm_end;
        if measured && c.issued.fetch_add(1, Ordering::Relaxed) >= c.max {
            break;
        }
        let req = withdrawal(user, contract, next_bank_tran_id());
        let start = match c.interval {
            Some(i) => next_at - i,
            None => Instant::now(),
        };
        let r = world.transfer(req).await;
        let end = Instant::now();
        if measured {
            m.first.get_or_insert(start);
            m.last = Some(end);
            stats::record(&mut m.hist, end - start);
            if !matches!(&r, Ok(o) if o.result.is_ok() && !o.replayed) {
                m.errors += 1;
            }
        }
    }
    m
}

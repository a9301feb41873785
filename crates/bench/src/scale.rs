//! Scale: statement paging on an account with 1,000 and with 1,000,000 lines,
//! and lookups in a world of 1,000 and of 1,000,000 people. The cost of one
//! page or one lookup must not grow with the size of the history or world.

use crate::fresh;
use crate::stats::{self, Summary};
use chrono::{Duration as CDuration, Utc};
use finhub_core::account::AccountKind;
use finhub_core::ledger::{Direction, Order, PostingQuery};
use finhub_core::money::Currency;
use finhub_core::party::NewPerson;
use finhub_core::world::{OpenAccount, World};
use rand::{Rng, SeedableRng};
use serde_json::json;
use std::time::Instant;

#[derive(Debug, Clone, clap::Args)]
pub struct ScaleArgs {
    #[arg(long, default_value = "sqlite,postgres")]
    pub backends: String,
    #[arg(
        long,
        env = "FINHUB_BENCH_PG",
        default_value = "postgres://postgres@127.0.0.1:5432/postgres"
    )]
    pub pg_url: String,
    /// Statement sizes to measure, ascending, comma separated.
    #[arg(long, default_value = "1000,1000000")]
    pub rows: String,
    /// World sizes to measure, ascending, comma separated.
    #[arg(long, default_value = "1000,1000000")]
    pub people: String,
    /// Measured calls per series (sequential, one caller).
    #[arg(long, default_value_t = 2000)]
    pub iterations: u32,
    /// Lines per page (KFTC transaction_list pages hold 25).
    #[arg(long, default_value_t = 25)]
    pub page: u32,
    #[arg(long, default_value = "/tmp")]
    pub tmp: std::path::PathBuf,
}

pub async fn run(args: &ScaleArgs) -> Result<(), String> {
    let rows: Vec<usize> = crate::parse_list(&args.rows)?;
    let people: Vec<usize> = crate::parse_list(&args.people)?;
    for backend in args.backends.split(',').filter(|s| !s.is_empty()) {
        let f = fresh::open(backend, &args.pg_url, &args.tmp).await?;
        let world = f.store.clone().into_world();
        paging(&f, &world, backend, &rows, args).await?;
        lookups(&f, &world, backend, &people, args).await?;
        let problems = world.repo.audit().await.map_err(|e| e.to_string())?;
        println!(
            "{}",
            json!({"meta": format!("scale.{backend}"), "audit_problems": problems.len()})
        );
        f.cleanup().await;
    }
    Ok(())
}

fn e(e: finhub_core::CoreError) -> String {
    e.to_string()
}

async fn paging(
    f: &fresh::Fresh,
    world: &World,
    backend: &str,
    sizes: &[usize],
    args: &ScaleArgs,
) -> Result<(), String> {
    let account_id = history_account(world).await?;
    let settle = "settle:BA00000004:KRW";
    let mut have = 1usize; // the opening line
    for &size in sizes {
        let started = Instant::now();
        while have < size {
            // Bounded transactions: at most 250,000 lines each.
            let add = (size - have).min(250_000);
            f.store
                .bench_add_history(&account_id, settle, add as i64, 7_000)
                .await
                .map_err(e)?;
            have += add;
        }
        eprintln!(
            "{backend}: account history at {have} lines (built in {:.1}s)",
            started.elapsed().as_secs_f64()
        );
        if backend == "postgres" {
            f.store.bench_analyze().await.map_err(e)?;
        }
        let q = |order, after| PostingQuery {
            account_id: account_id.clone(),
            from: Utc::now() - CDuration::days(90),
            to: Utc::now() + CDuration::days(2),
            direction: Direction::All,
            order,
            after,
            limit: args.page,
        };
        let cursor = mid_cursor(world, q(Order::Asc, None), q(Order::Desc, None)).await?;
        for (label, query) in [
            ("first", q(Order::Desc, None)),
            ("deep", q(Order::Desc, cursor)),
        ] {
            let name = format!("paging.{label}.{backend}.rows{size}");
            page_series(world, name, query, args).await?.emit();
        }
    }
    Ok(())
}

/// One person's demand account, funded, to grow a long history on.
async fn history_account(world: &World) -> Result<String, String> {
    let p = world
        .create_person(NewPerson {
            name: "이력많은".into(),
            birth_date: chrono::NaiveDate::from_ymd_opt(1985, 5, 5),
            ..Default::default()
        })
        .await
        .map_err(e)?;
    let acct = world
        .open_account(OpenAccount {
            org_code: "BA00000004".into(),
            person_id: p.person_id,
            kind: AccountKind::Demand,
            product_name: None,
            currency: Currency::KRW,
            opening_balance_minor: 1_000_000,
            floor_minor: 0,
            account_num: None,
        })
        .await
        .map_err(e)?;
    Ok(acct.account_id)
}

/// A cursor in the middle of the history, for a deep page.
async fn mid_cursor(
    world: &World,
    asc: PostingQuery,
    desc: PostingQuery,
) -> Result<Option<(i64, i64)>, String> {
    let oldest = world.postings(&asc).await.map_err(e)?;
    let newest = world.postings(&desc).await.map_err(e)?;
    let (Some(o), Some(n)) = (oldest.first(), newest.first()) else {
        return Err("history is empty".into());
    };
    let mid_at = (o.at.timestamp_micros() + n.at.timestamp_micros()) / 2;
    let mut mid_q = asc;
    mid_q.from = finhub_core::clock::from_micros(mid_at);
    mid_q.limit = 1;
    let mid = world.postings(&mid_q).await.map_err(e)?;
    Ok(mid.first().map(|p| p.cursor()))
}

/// Time one page query, each call checked to return a full page.
async fn page_series(
    world: &World,
    name: String,
    query: PostingQuery,
    args: &ScaleArgs,
) -> Result<Summary, String> {
    timed(name, args.iterations, |_| {
        let query = query.clone();
        let world = world.clone();
        let page = args.page as usize;
        async move {
            let got = world.postings(&query).await.map_err(e)?;
            if got.len() != page {
                return Err(format!("page held {} lines", got.len()));
            }
            Ok(())
        }
    })
    .await
}

async fn lookups(
    f: &fresh::Fresh,
    world: &World,
    backend: &str,
    sizes: &[usize],
    args: &ScaleArgs,
) -> Result<(), String> {
    let mut have = 0usize;
    for &size in sizes {
        let started = Instant::now();
        while have < size {
            let add = (size - have).min(250_000);
            f.store
                .bench_add_people("BA00000004", have as i64 + 1, add as i64)
                .await
                .map_err(e)?;
            have += add;
        }
        eprintln!(
            "{backend}: world at {have} bench people (built in {:.1}s)",
            started.elapsed().as_secs_f64()
        );
        if backend == "postgres" {
            f.store.bench_analyze().await.map_err(e)?;
        }
        let mut rng = rand::rngs::StdRng::seed_from_u64(size as u64);
        let picks: Vec<usize> = (0..args.iterations + args.iterations / 10)
            .map(|_| rng.gen_range(1..=size))
            .collect();
        // What a KFTC call does before it answers: find the person, then their accounts.
        let s = timed(
            format!("lookup.person_accounts.{backend}.people{size}"),
            args.iterations,
            |i| {
                let world = world.clone();
                let n = picks[i as usize];
                async move {
                    let pid = format!("bench-p-{n}");
                    world
                        .repo
                        .person(&pid)
                        .await
                        .map_err(e)?
                        .ok_or("person missing")?;
                    let accts = world.repo.accounts_of_person(&pid).await.map_err(e)?;
                    let a = accts.first().ok_or("account missing")?;
                    world.account(&a.account_id).await.map_err(e)?;
                    Ok(())
                }
            },
        )
        .await?;
        s.emit();
    }
    Ok(())
}

/// Call `op` sequentially: a tenth of `iterations` as warm-up, then `iterations` measured.
async fn timed<F, Fut>(name: String, iterations: u32, mut op: F) -> Result<Summary, String>
where
    F: FnMut(u32) -> Fut,
    Fut: std::future::Future<Output = Result<(), String>>,
{
    let warm = iterations / 10;
    for i in 0..warm {
        op(i).await?;
    }
    let mut h = stats::histogram();
    let start = Instant::now();
    for i in warm..warm + iterations {
        let t = Instant::now();
        op(i).await?;
        stats::record(&mut h, t.elapsed());
    }
    Ok(Summary::new(name, 1, &h, 0, start.elapsed()))
}

//! Ledger invariants on the real store: conservation, floors, exactly-once,
//! under concurrency. Runs on PostgreSQL when FINHUB_TEST_DATABASE_URL is set.

// Scenario tests read top to bottom in the order things happen; split, they would hide it.
#![allow(clippy::too_many_lines)]

use chrono::Utc;
use finhub_core::account::AccountKind;
use finhub_core::institution::default_institutions;
use finhub_core::ledger::{Direction, Limit, Order, PostingQuery, Rejection};
use finhub_core::money::Currency;
use finhub_core::party::NewPerson;
use finhub_core::repo::InstitutionRepo;
use finhub_core::world::{OpenAccount, World};
use finhub_core::CoreError;
use finhub_store::testing::TestStore;
use finhub_testkit::ledger::{assert_whole, transfer};
use rand::{Rng, SeedableRng};
use std::collections::HashMap;

async fn world_with_accounts(n: usize, balance: i64) -> (TestStore, World, Vec<String>) {
    let ts = TestStore::new().await;
    for i in default_institutions() {
        ts.store.upsert_institution(&i).await.unwrap();
    }
    let world = ts.store.clone().into_world();
    let mut ids = Vec::new();
    for k in 0..n {
        let p = world
            .create_person(NewPerson {
                name: format!("사람{k}"),
                birth_date: chrono::NaiveDate::from_ymd_opt(1990, 1, 1),
                ..Default::default()
            })
            .await
            .unwrap();
        let a = world
            .open_account(OpenAccount {
                org_code: if k % 2 == 0 {
                    "BA00000004".into()
                } else {
                    "BA00000088".into()
                },
                person_id: p.person_id,
                kind: AccountKind::Demand,
                product_name: None,
                currency: Currency::KRW,
                opening_balance_minor: balance,
                floor_minor: if k % 10 == 0 { -5_000 } else { 0 },
                account_num: None,
            })
            .await
            .unwrap();
        assert_eq!(a.balance_minor, balance);
        ids.push(a.account_id);
    }
    (ts, world, ids)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_random_transfers_keep_every_invariant() {
    let (_ts, world, ids) = world_with_accounts(50, 100_000).await;
    let tasks = 8;
    let per_task = 1_000;
    let mut handles = Vec::new();
    for t in 0..tasks {
        let world = world.clone();
        let ids = ids.clone();
        handles.push(tokio::spawn(async move {
            let mut rng = rand::rngs::StdRng::seed_from_u64(t as u64);
            let mut applied: HashMap<String, i64> = HashMap::new();
            for i in 0..per_task {
                // Every fifth request retries an earlier key of this task, unchanged.
                let (key, from, to, amt) = if i % 5 == 4 && i > 0 {
                    let j = rng.gen_range(0..i);
                    let mut r2 = rand::rngs::StdRng::seed_from_u64((t * 1_000_000 + j) as u64);
                    (
                        format!("t{t}-{j}"),
                        r2.gen_range(0..50),
                        r2.gen_range(0..50),
                        r2.gen_range(1..30_000),
                    )
                } else {
                    let mut r2 = rand::rngs::StdRng::seed_from_u64((t * 1_000_000 + i) as u64);
                    (
                        format!("t{t}-{i}"),
                        r2.gen_range(0..50),
                        r2.gen_range(0..50),
                        r2.gen_range(1..30_000),
                    )
                };
                if from == to {
                    continue;
                }
                let out = world
                    .transfer(transfer("test", &key, &ids[from], &ids[to], amt))
                    .await
                    .unwrap();
                match (&out.result, out.replayed) {
                    (Ok(a), false) => {
                        assert!(
                            applied.insert(key.clone(), a.entry_id).is_none(),
                            "key applied twice: {key}"
                        );
                    }
                    (Ok(a), true) => assert_eq!(
                        applied.get(&key),
                        Some(&a.entry_id),
                        "replay differs for {key}"
                    ),
                    (Err(Rejection::InsufficientFunds { .. }), _) => {}
                    (Err(r), _) => panic!("unexpected rejection {r:?}"),
                }
            }
            applied
        }));
    }
    let mut entries = std::collections::HashSet::new();
    for h in handles {
        for (_, e) in h.await.unwrap() {
            assert!(entries.insert(e), "one entry answered two keys");
        }
    }
    assert!(
        entries.len() > 1000,
        "too few transfers applied: {}",
        entries.len()
    );
    assert_whole(&world).await;
    for id in &ids {
        let a = world.account(id).await.unwrap();
        assert!(a.balance_minor >= a.floor_minor);
    }
}

#[tokio::test]
async fn same_key_different_content_is_refused_and_moves_nothing() {
    let (_ts, world, ids) = world_with_accounts(2, 10_000).await;
    let first = world
        .transfer(transfer("c1", "k", &ids[0], &ids[1], 100))
        .await
        .unwrap();
    assert!(first.result.is_ok() && !first.replayed);
    let again = world
        .transfer(transfer("c1", "k", &ids[0], &ids[1], 100))
        .await
        .unwrap();
    assert!(again.replayed);
    assert_eq!(again.result, first.result);
    let err = world
        .transfer(transfer("c1", "k", &ids[0], &ids[1], 200))
        .await
        .unwrap_err();
    assert!(matches!(err, CoreError::IdempotencyMismatch));
    // Keys are scoped per caller: another caller may use the same key.
    let other = world
        .transfer(transfer("c2", "k", &ids[0], &ids[1], 200))
        .await
        .unwrap();
    assert!(other.result.is_ok() && !other.replayed);
    assert_eq!(
        world.account(&ids[0]).await.unwrap().balance_minor,
        10_000 - 300
    );
    assert_whole(&world).await;
}

#[tokio::test]
async fn rejections_are_recorded_and_replayed() {
    let (_ts, world, ids) = world_with_accounts(2, 1_000).await;
    let out = world
        .transfer(transfer("c", "big", &ids[1], &ids[0], 5_000))
        .await
        .unwrap();
    assert!(matches!(
        out.result,
        Err(Rejection::InsufficientFunds {
            available_minor: 1_000,
            ..
        })
    ));
    let again = world
        .transfer(transfer("c", "big", &ids[1], &ids[0], 5_000))
        .await
        .unwrap();
    assert!(again.replayed);
    assert_eq!(again.result, out.result);
    let stored = world.repo.outcome("c", "big").await.unwrap().unwrap();
    assert_eq!(stored.result, out.result);
    // Unbalanced entries are refused outright and not recorded.
    let mut bad = transfer("c", "bad", &ids[0], &ids[1], 10);
    bad.legs[1].amount_minor = 11;
    assert!(matches!(
        world.transfer(bad).await,
        Err(CoreError::Rejected(Rejection::Unbalanced))
    ));
    assert!(world.repo.outcome("c", "bad").await.unwrap().is_none());
    assert_whole(&world).await;
}

#[tokio::test]
async fn limits_are_checked_with_the_movement() {
    let (_ts, world, ids) = world_with_accounts(2, 100_000).await;
    let with_limit = |key: &str, amt: i64| {
        let mut r = transfer("c", key, &ids[0], &ids[1], amt);
        r.limits.push(Limit {
            counter: "wd:p0".into(),
            period: "day1".into(),
            amount_minor: amt,
            max_minor: 25_000,
            code: "day".into(),
        });
        r
    };
    let a = world.transfer(with_limit("a", 10_000)).await.unwrap();
    assert_eq!(a.result.as_ref().unwrap().limit_totals, vec![10_000]);
    let b = world.transfer(with_limit("b", 10_000)).await.unwrap();
    assert_eq!(b.result.as_ref().unwrap().limit_totals, vec![20_000]);
    let c = world.transfer(with_limit("c", 10_000)).await.unwrap();
    assert_eq!(
        c.result,
        Err(Rejection::LimitExceeded {
            code: "day".into(),
            remaining_minor: 5_000
        })
    );
    assert_eq!(world.account(&ids[0]).await.unwrap().balance_minor, 80_000);
}

#[tokio::test]
async fn statement_pages_are_keyset_and_complete() {
    let (_ts, world, ids) = world_with_accounts(2, 1_000_000).await;
    for i in 0..60 {
        let (f, t) = if i % 3 == 0 { (1, 0) } else { (0, 1) };
        world
            .transfer(transfer("c", &format!("p{i}"), &ids[f], &ids[t], 10 + i))
            .await
            .unwrap();
    }
    let base = PostingQuery {
        account_id: ids[0].clone(),
        from: Utc::now() - chrono::Duration::days(1),
        to: Utc::now() + chrono::Duration::days(1),
        direction: Direction::All,
        order: Order::Desc,
        after: None,
        limit: 25,
    };
    let mut seen = Vec::new();
    let mut q = base.clone();
    loop {
        let page = world.postings(&q).await.unwrap();
        seen.extend(page.iter().map(|p| p.seq));
        if page.len() < 25 {
            break;
        }
        q.after = Some(page.last().unwrap().cursor());
    }
    // 60 transfers plus the opening line, newest first, no gaps or repeats.
    assert_eq!(seen.len(), 61);
    assert!(seen.windows(2).all(|w| w[0] > w[1]));
    let ins = world
        .postings(&PostingQuery {
            direction: Direction::In,
            limit: 100,
            ..base.clone()
        })
        .await
        .unwrap();
    assert_eq!(ins.len(), 21, "20 credits plus opening");
    assert!(ins.iter().all(|p| p.amount_minor > 0));
    let last = world
        .postings(&PostingQuery { limit: 1, ..base })
        .await
        .unwrap();
    assert_eq!(
        last[0].balance_after_minor,
        world.account(&ids[0]).await.unwrap().balance_minor
    );
}

#[tokio::test]
async fn closed_accounts_and_duplicates_are_refused() {
    let (_ts, world, ids) = world_with_accounts(2, 1_000).await;
    world.repo.close_account(&ids[1], Utc::now()).await.unwrap();
    let out = world
        .transfer(transfer("c", "x", &ids[0], &ids[1], 10))
        .await
        .unwrap();
    assert!(matches!(out.result, Err(Rejection::AccountClosed { .. })));
    let a = world.account(&ids[0]).await.unwrap();
    let p = world
        .repo
        .person(a.person_id.as_deref().unwrap())
        .await
        .unwrap()
        .unwrap();
    let dup = world
        .open_account(OpenAccount {
            org_code: a.org_code.clone(),
            person_id: p.person_id,
            kind: AccountKind::Demand,
            product_name: None,
            currency: Currency::KRW,
            opening_balance_minor: 5,
            floor_minor: 0,
            account_num: Some(a.account_num.clone()),
        })
        .await;
    assert!(matches!(dup, Err(CoreError::Conflict(_))));
    assert_whole(&world).await;
}

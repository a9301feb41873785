//! Two stores on one database, as two finhub nodes are: each with its own
//! ledger writer, moving money between the same accounts at once, some
//! requests sent to both. Nothing fails for the other's sake (no id taken
//! twice, no internal error), each request applies once, and the ledger
//! stays whole. Runs on PostgreSQL when FINHUB_TEST_DATABASE_URL is set.

use finhub_core::account::AccountKind;
use finhub_core::clock::Clock;
use finhub_core::institution::default_institutions;
use finhub_core::ledger::Rejection;
use finhub_core::money::Currency;
use finhub_core::party::NewPerson;
use finhub_core::repo::InstitutionRepo;
use finhub_core::world::{OpenAccount, World};
use finhub_store::testing::TestStore;
use finhub_store::Store;
use finhub_testkit::ledger::{assert_whole, transfer};
use rand::{Rng, SeedableRng};
use std::collections::HashMap;

async fn accounts(world: &World, n: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for k in 0..n {
        let p = world
            .create_person(NewPerson {
                name: format!("노드{k}"),
                birth_date: chrono::NaiveDate::from_ymd_opt(1990, 1, 1),
                ..Default::default()
            })
            .await
            .unwrap();
        let a = world
            .open_account(OpenAccount {
                org_code: "BA00000004".into(),
                person_id: p.person_id,
                kind: AccountKind::Demand,
                product_name: None,
                currency: Currency::KRW,
                opening_balance_minor: 50_000,
                floor_minor: 0,
                account_num: None,
            })
            .await
            .unwrap();
        ids.push(a.account_id);
    }
    ids
}

/// Request `i` of a run: its key and legs, the same on every node.
fn request(i: u64, n: usize) -> (String, usize, usize, i64) {
    let mut r = rand::rngs::StdRng::seed_from_u64(i);
    let from = r.gen_range(0..n);
    let to = (from + r.gen_range(1..n)) % n;
    (format!("n-{i}"), from, to, r.gen_range(1..20_000))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_nodes_share_one_ledger_without_colliding() {
    let ts = TestStore::new().await;
    for i in default_institutions() {
        ts.store.upsert_institution(&i).await.unwrap();
    }
    let second = Store::open(&ts.url, ts.opts.clone(), Clock::system())
        .await
        .unwrap();
    let nodes = [ts.store.clone().into_world(), second.into_world()];
    let ids = accounts(&nodes[0], 20).await;
    let mut tasks = Vec::new();
    for t in 0..8u64 {
        let world = nodes[(t % 2) as usize].clone();
        let ids = ids.clone();
        tasks.push(tokio::spawn(async move {
            let mut seen = HashMap::new();
            // Tasks t and t + 1 (on the other node) send the same requests.
            for i in 0..300 {
                let (key, from, to, amt) = request((t / 2) * 1_000 + i, ids.len());
                let out = world
                    .transfer(transfer("nodes", &key, &ids[from], &ids[to], amt))
                    .await
                    .unwrap_or_else(|e| panic!("{key} failed on its node: {e}"));
                match out.result {
                    Ok(a) => {
                        seen.insert(key, (a.entry_id, out.replayed));
                    }
                    Err(Rejection::InsufficientFunds { .. }) => {}
                    Err(r) => panic!("{key}: {r:?}"),
                }
            }
            seen
        }));
    }
    let mut by_key: HashMap<String, Vec<(i64, bool)>> = HashMap::new();
    for t in tasks {
        for (k, v) in t.await.unwrap() {
            by_key.entry(k).or_default().push(v);
        }
    }
    let mut entries = std::collections::HashSet::new();
    for (key, answers) in &by_key {
        // Both nodes answer the one entry; at most one of them applied it.
        assert!(
            answers.iter().all(|a| a.0 == answers[0].0),
            "{key}: {answers:?}"
        );
        assert!(
            answers.iter().filter(|a| !a.1).count() <= 1,
            "{key}: {answers:?}"
        );
        assert!(entries.insert(answers[0].0), "{key} shares its entry");
    }
    assert!(by_key.len() > 300, "too few applied: {}", by_key.len());
    assert_whole(&nodes[0]).await;
    // A third store, with no copies of its own, reads what is stored.
    let fresh = Store::open(&ts.url, ts.opts.clone(), Clock::system())
        .await
        .unwrap()
        .into_world();
    for id in &ids {
        let a = fresh.account(id).await.unwrap();
        assert!(a.balance_minor >= a.floor_minor, "{id}: {a:?}");
    }
}

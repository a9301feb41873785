//! Two stores on one PostgreSQL, as two nodes are, each keeping its row
//! copies: after a write on one is acknowledged, the other's next fence
//! (`Store::fresh`, which every request runs first) shows it — balances,
//! institution status, consents, the world clock and revocations. On SQLite
//! (one process's file) there is nothing to cross and the test says so.

use chrono::Duration;
use finhub_core::clock::Clock;
use finhub_core::institution::ServiceStatus;
use finhub_core::oauth::{AccessTokenRecord, Client, OAuthRepo, Profile};
use finhub_core::repo::{AccountRepo, InstitutionRepo, LedgerRepo};
use finhub_store::testing::TestStore;
use finhub_store::{epoch, Store};
use finhub_testkit::ledger::{kb_accounts, transfer};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

async fn balance(store: &Store, id: &str) -> i64 {
    store.account(id).await.unwrap().unwrap().balance_minor
}

/// `n` accounts of `balance` and a second store on the same database; None
/// on SQLite (one process per database file: no second node to keep true).
async fn two_nodes(n: usize, balance: i64) -> Option<(TestStore, Store, Vec<String>)> {
    let (ts, _world, ids) = kb_accounts(n, balance).await;
    if !ts.store.is_postgres() {
        eprintln!("SQLite: one process per database file, no second node to keep true");
        return None;
    }
    let b = Store::open(&ts.url, ts.opts.clone(), Clock::system())
        .await
        .unwrap();
    Some((ts, b, ids))
}

#[tokio::test]
async fn a_second_node_sees_every_acknowledged_write_at_its_next_fence() {
    let Some((ts, b, ids)) = two_nodes(2, 10_000).await else {
        return;
    };
    let a = &ts.store;
    b.fresh().await.unwrap();

    // Balances: B holds a copy, A's writer moves the money.
    assert_eq!(balance(&b, &ids[0]).await, 10_000);
    a.transfer(transfer("coh", "t1", &ids[0], &ids[1], 2_500))
        .await
        .unwrap();
    assert_eq!(balance(&b, &ids[0]).await, 10_000, "B reads its copy");
    // What a request whose fence failed does: it reads the database.
    let read = finhub_store::without_copies(balance(&b, &ids[0])).await;
    assert_eq!(read, 7_500, "without its copies B reads the database");
    b.fresh().await.unwrap();
    assert_eq!(balance(&b, &ids[0]).await, 7_500);

    // B's own writer keeps its copies without a fence; A sees B's move.
    b.transfer(transfer("coh", "t2", &ids[1], &ids[0], 500))
        .await
        .unwrap();
    assert_eq!(balance(&b, &ids[0]).await, 8_000);
    a.fresh().await.unwrap();
    assert_eq!(balance(a, &ids[0]).await, 8_000);

    // Institution status (a money rule's input).
    let bank = "BA00000004";
    assert_eq!(
        b.institution(bank).await.unwrap().unwrap().status,
        ServiceStatus::Active
    );
    a.set_institution_status(bank, ServiceStatus::Outage)
        .await
        .unwrap();
    b.fresh().await.unwrap();
    assert_eq!(
        b.institution(bank).await.unwrap().unwrap().status,
        ServiceStatus::Outage
    );

    // The world clock.
    a.clock().advance(Duration::days(3));
    a.save_clock().await.unwrap();
    b.fresh().await.unwrap();
    let drift = (a.clock().now() - b.clock().now()).num_seconds().abs();
    assert!(drift <= 1, "B's clock follows A's: {drift} s apart");
}

#[tokio::test]
async fn a_revocation_elsewhere_runs_the_hook_before_the_next_request() {
    let Some((ts, b, _ids)) = two_nodes(1, 1_000).await else {
        return;
    };
    let a = &ts.store;
    let runs = Arc::new(AtomicUsize::new(0));
    let seen = runs.clone();
    let hook: finhub_store::Hook = Arc::new(move || {
        seen.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { Ok(()) })
    });
    b.on_change(epoch::REVOCATIONS, &hook);
    b.fresh().await.unwrap();
    let first = runs.load(Ordering::SeqCst);
    b.fresh().await.unwrap();
    assert_eq!(
        runs.load(Ordering::SeqCst),
        first,
        "no revocation, no reload"
    );

    a.insert_client(&client()).await.unwrap();
    a.insert_access(&AccessTokenRecord {
        jti: "jti-1".into(),
        client_id: "coh-client".into(),
        person_id: None,
        family_id: None,
        expires_at: chrono::Utc::now() + Duration::hours(1),
        revoked: false,
    })
    .await
    .unwrap();
    a.revoke_access("jti-1").await.unwrap();
    b.fresh().await.unwrap();
    assert_eq!(runs.load(Ordering::SeqCst), first + 1);
    let revoked = b.revoked_unexpired(chrono::Utc::now()).await.unwrap();
    assert!(revoked.iter().any(|(j, _)| j == "jti-1"));
}

/// Waiters woken as a leader ends must find the lead free: with nothing
/// else arriving (a closed-loop client whose every request waits here), a
/// waiter left asleep would wait for ever.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_fences_share_reads_and_all_return() {
    let (ts, _world, _ids) = kb_accounts(1, 1_000).await;
    // 16 closed-loop callers, each fencing again as soon as its last returned.
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let s = ts.store.clone();
            tokio::spawn(async move {
                for _ in 0..500 {
                    s.fresh().await.unwrap();
                }
            })
        })
        .collect();
    for t in tasks {
        tokio::time::timeout(std::time::Duration::from_secs(30), t)
            .await
            .expect("every fence returned")
            .unwrap();
    }
}

fn client() -> Client {
    Client {
        client_id: "coh-client".into(),
        secret_hash: "x".into(),
        name: "coherence".into(),
        profile: Profile::Kftc,
        org_code: "M202300001".into(),
        redirect_uris: vec![],
        scopes: vec![],
        created_at: chrono::Utc::now(),
        disabled: false,
    }
}

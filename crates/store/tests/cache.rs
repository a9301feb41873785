//! The store's in-memory row copies never answer older than an acknowledged
//! write: balances after transfers (under concurrency), closed accounts,
//! registrations, contracts, institutions; and the fraud-log line written in
//! the ledger's commit exactly once. Each answer is checked against a second
//! store on the same database with the copies turned off. Runs on PostgreSQL
//! when FINHUB_TEST_DATABASE_URL is set.

// Scenario tests read top to bottom in the order things happen; split, they would hide it.
#![allow(clippy::too_many_lines)]

use chrono::{Duration, Utc};
use finhub_core::account::AccountStatus;
use finhub_core::clock::Clock;
use finhub_core::fraud::{TransferDirection, TransferEvent, TransferLog};
use finhub_core::institution::ServiceStatus;
use finhub_core::ledger::{Rejection, TransferRequest};
use finhub_core::registration::NewRegistration;
use finhub_core::registration::{ClientContract, ClientLimits, RegistrationRepo, Service};
use finhub_core::repo::{AccountRepo, InstitutionRepo};
use finhub_core::world::World;
use finhub_store::testing::TestStore;
use finhub_store::{Store, StoreOptions};
use finhub_testkit::ledger::transfer;

async fn setup(n: usize, balance: i64) -> (TestStore, Store, World, Vec<String>) {
    let (ts, world, ids) = finhub_testkit::ledger::kb_accounts(n, balance).await;
    // The same database seen without copies: what is really committed.
    let plain = Store::open(
        &ts.url,
        StoreOptions {
            row_cache: false,
            ..ts.opts.clone()
        },
        Clock::system(),
    )
    .await
    .unwrap();
    (ts, plain, world, ids)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_read_after_an_acknowledged_transfer_shows_it() {
    let tasks = 6;
    let per_task = 60;
    let (_ts, plain, world, ids) = setup(tasks + 1, 1_000_000).await;
    let sink = ids[tasks].clone();
    let mut handles = Vec::new();
    for (t, src) in ids[..tasks].iter().enumerate() {
        let world = world.clone();
        let src = src.clone();
        let sink = sink.clone();
        handles.push(tokio::spawn(async move {
            // This task is the only one moving money out of `src`.
            let mut expect = world.account(&src).await.unwrap().balance_minor;
            for i in 0..per_task {
                let amt = 1 + (i as i64 % 7);
                let o = world
                    .transfer(transfer(
                        "cache-test",
                        &format!("{t}-{i}"),
                        &src,
                        &sink,
                        amt,
                    ))
                    .await
                    .unwrap();
                assert!(o.result.is_ok());
                expect -= amt;
                assert_eq!(world.account(&src).await.unwrap().balance_minor, expect);
                // Reads of the shared sink race the writer's publishing.
                let seen = world.account(&sink).await.unwrap().balance_minor;
                assert!(seen >= 1_000_000 + i as i64, "sink went back: {seen}");
            }
        }));
    }
    for h in handles {
        h.await.unwrap();
    }
    for id in &ids {
        let cached = world.account(id).await.unwrap();
        let stored = plain.account(id).await.unwrap().unwrap();
        assert_eq!(cached.balance_minor, stored.balance_minor, "{id}");
        assert_eq!(cached.last_tran_at, stored.last_tran_at, "{id}");
    }
}

#[tokio::test]
async fn writes_outside_the_ledger_writer_are_seen_at_once() {
    let (ts, plain, world, ids) = setup(2, 1_000).await;
    let store = &ts.store;
    // Closing an account that was read (so copied) before.
    assert_eq!(
        world.account(&ids[0]).await.unwrap().status,
        AccountStatus::Active
    );
    assert!(store.close_account(&ids[0], Utc::now()).await.unwrap());
    assert_eq!(
        world.account(&ids[0]).await.unwrap().status,
        AccountStatus::Closed
    );
    // Institutions.
    let bank = store.institution("BA00000004").await.unwrap().unwrap();
    let code = bank.bank_code.clone().unwrap();
    assert!(store
        .institution_by_bank_code(&code)
        .await
        .unwrap()
        .is_some());
    world
        .set_institution_status("BA00000004", ServiceStatus::Outage)
        .await
        .unwrap();
    for i in [
        store.institution("BA00000004").await.unwrap().unwrap(),
        store
            .institution_by_bank_code(&code)
            .await
            .unwrap()
            .unwrap(),
    ] {
        assert_eq!(i.status, ServiceStatus::Outage);
    }
    // Registrations.
    let org = "M202600001";
    let acc = store.account(&ids[1]).await.unwrap().unwrap();
    let person = acc.person_id.clone().unwrap();
    let handle = || "123456789012345678901234".to_owned();
    let (reg, _) = store
        .register(
            NewRegistration {
                org_code: org,
                person_id: &person,
                account_id: &ids[1],
                service: Service::Inquiry,
                email: None,
                at: Utc::now(),
            },
            &handle,
        )
        .await
        .unwrap();
    let r = store.registration(org, &reg.handle).await.unwrap().unwrap();
    assert!(r.has(Service::Inquiry) && !r.has(Service::Transfer));
    store
        .register(
            NewRegistration {
                org_code: org,
                person_id: &person,
                account_id: &ids[1],
                service: Service::Transfer,
                email: None,
                at: Utc::now(),
            },
            &handle,
        )
        .await
        .unwrap();
    let r = store.registration(org, &reg.handle).await.unwrap().unwrap();
    assert!(r.has(Service::Transfer));
    store
        .set_email(org, &reg.handle, "a@example.com")
        .await
        .unwrap();
    let r = store.registration(org, &reg.handle).await.unwrap().unwrap();
    assert_eq!(r.email.as_deref(), Some("a@example.com"));
    store
        .cancel_service(org, &reg.handle, Service::Transfer, Utc::now())
        .await
        .unwrap();
    assert!(!store
        .registration(org, &reg.handle)
        .await
        .unwrap()
        .unwrap()
        .has(Service::Transfer));
    store.cancel_person(org, &person, Utc::now()).await.unwrap();
    let r = store.registration(org, &reg.handle).await.unwrap().unwrap();
    assert!(!r.is_active());
    assert_eq!(
        Some(r),
        plain.registration(org, &reg.handle).await.unwrap(),
        "the copy and the row agree"
    );
    // Contracts.
    assert!(store.contract(org).await.unwrap().is_none());
    store
        .insert_contract(&ClientContract {
            org_code: org.into(),
            client_id: "c".into(),
            account_id: ids[1].clone(),
            pass_phrase: "NONE".into(),
            limits: ClientLimits::default(),
        })
        .await
        .unwrap();
    let c = store.contract(org).await.unwrap().unwrap();
    let limits = ClientLimits {
        wd_day_minor: 5,
        ..c.limits
    };
    assert!(store.set_limits(org, &limits).await.unwrap());
    assert_eq!(store.contract(org).await.unwrap().unwrap().limits, limits);
}

#[tokio::test]
async fn the_fraud_log_line_is_written_with_the_transfer_exactly_once() {
    let (ts, _plain, world, ids) = setup(2, 100).await;
    let store = &ts.store;
    let org = "M202600001";
    let ev = |req: &TransferRequest, amt: i64| TransferEvent {
        org_code: org.into(),
        scope: req.scope.clone(),
        key: req.key.clone(),
        account_id: ids[0].clone(),
        direction: TransferDirection::Withdrawal,
        amount_minor: amt,
        at: req.at,
    };
    let req = transfer("cache-test", "k1", &ids[0], &ids[1], 30);
    let o = store
        .transfer_logged(req.clone(), ev(&req, 30))
        .await
        .unwrap();
    assert!(o.result.is_ok() && !o.replayed);
    // A retry replays and logs nothing new.
    let o = store
        .transfer_logged(req.clone(), ev(&req, 30))
        .await
        .unwrap();
    assert!(o.replayed);
    // A refusal moves nothing and logs nothing.
    let big = transfer("cache-test", "k2", &ids[0], &ids[1], 1_000);
    let o = store
        .transfer_logged(big.clone(), ev(&big, 1_000))
        .await
        .unwrap();
    assert!(matches!(o.result, Err(Rejection::InsufficientFunds { .. })));
    let from = Utc::now() - Duration::hours(1);
    let to = Utc::now() + Duration::hours(1);
    let log = store.transfers(org, from, to, 10).await.unwrap();
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!((log[0].key.as_str(), log[0].amount_minor), ("k1", 30));
    assert_eq!(
        store
            .total(org, TransferDirection::Withdrawal, None, from..to)
            .await
            .unwrap(),
        30
    );
    assert_eq!(world.account(&ids[0]).await.unwrap().balance_minor, 70);
}

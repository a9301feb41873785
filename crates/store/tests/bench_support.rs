//! The bulk builders the benchmark uses keep the ledger whole, and keyset
//! pages stay complete when many lines share one instant.

use chrono::{Duration, Utc};
use finhub_core::account::AccountKind;
use finhub_core::institution::default_institutions;
use finhub_core::ledger::{Direction, EntryKind, Leg, Order, PostingQuery, TransferRequest};
use finhub_core::money::Currency;
use finhub_core::party::NewPerson;
use finhub_core::repo::{AccountRepo, InstitutionRepo, LedgerRepo, PartyRepo};
use finhub_core::world::{OpenAccount, World};
use finhub_store::testing::TestStore;

async fn world_with_account() -> (TestStore, World, String) {
    let ts = TestStore::new().await;
    for i in default_institutions() {
        ts.store.upsert_institution(&i).await.unwrap();
    }
    let world = ts.store.clone().into_world();
    let p = world
        .create_person(NewPerson {
            name: "이력".into(),
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
            opening_balance_minor: 100_000,
            floor_minor: 0,
            account_num: None,
        })
        .await
        .unwrap();
    (ts, world, a.account_id)
}

fn query(account_id: &str, order: Order) -> PostingQuery {
    PostingQuery {
        account_id: account_id.into(),
        from: Utc::now() - Duration::days(1),
        to: Utc::now() + Duration::days(1),
        direction: Direction::All,
        order,
        after: None,
        limit: 7,
    }
}

async fn all_pages(world: &World, mut q: PostingQuery) -> Vec<i64> {
    let mut seen = Vec::new();
    loop {
        let page = world.postings(&q).await.unwrap();
        seen.extend(page.iter().map(|p| p.seq));
        if page.len() < q.limit as usize {
            return seen;
        }
        q.after = Some(page.last().unwrap().cursor());
    }
}

#[tokio::test]
async fn bulk_history_keeps_the_ledger_whole_and_pages_through() {
    let (ts, world, acct) = world_with_account().await;
    ts.store
        .bench_add_history(&acct, "settle:BA00000004:KRW", 101, 500)
        .await
        .unwrap();
    assert!(world.repo.audit().await.unwrap().is_empty());
    assert!(world
        .repo
        .balance_totals()
        .await
        .unwrap()
        .iter()
        .all(|(_, s)| *s == 0));
    // An odd count leaves the account one credit up.
    assert_eq!(world.account(&acct).await.unwrap().balance_minor, 100_500);
    let desc = all_pages(&world, query(&acct, Order::Desc)).await;
    assert_eq!(desc, (1..=102).rev().collect::<Vec<i64>>());
    let asc = all_pages(&world, query(&acct, Order::Asc)).await;
    assert_eq!(asc, (1..=102).collect::<Vec<i64>>());
    // The ledger writer carries on after the bulk lines.
    let settle = "settle:BA00000004:KRW";
    let out = world
        .transfer(TransferRequest {
            scope: "t".into(),
            key: "after-bulk".into(),
            at: Utc::now(),
            kind: EntryKind::Transfer,
            legs: vec![leg(&acct, -1), leg(settle, 1)],
            limits: vec![],
            meta: serde_json::Value::Null,
        })
        .await
        .unwrap();
    assert_eq!(out.result.unwrap().postings[0].seq, 103);
    assert!(world.repo.audit().await.unwrap().is_empty());
}

fn leg(account_id: &str, amount_minor: i64) -> Leg {
    Leg {
        account_id: account_id.into(),
        amount_minor,
        currency: Currency::KRW,
        memo: "m".into(),
        counterparty: "c".into(),
    }
}

#[tokio::test]
async fn pages_are_complete_when_lines_share_an_instant() {
    let (_ts, world, acct) = world_with_account().await;
    let settle = "settle:BA00000004:KRW";
    let at = Utc::now();
    for i in 0..30 {
        world
            .transfer(TransferRequest {
                scope: "t".into(),
                key: format!("same-{i}"),
                at,
                kind: EntryKind::Transfer,
                legs: vec![leg(&acct, -10), leg(settle, 10)],
                limits: vec![],
                meta: serde_json::Value::Null,
            })
            .await
            .unwrap();
    }
    let desc = all_pages(&world, query(&acct, Order::Desc)).await;
    assert_eq!(desc, (1..=31).rev().collect::<Vec<i64>>());
    let asc = all_pages(&world, query(&acct, Order::Asc)).await;
    assert_eq!(asc, (1..=31).collect::<Vec<i64>>());
}

#[tokio::test]
async fn bulk_people_are_found_with_their_accounts() {
    let ts = TestStore::new().await;
    for i in default_institutions() {
        ts.store.upsert_institution(&i).await.unwrap();
    }
    ts.store
        .bench_add_people("BA00000004", 1, 50)
        .await
        .unwrap();
    ts.store
        .bench_add_people("BA00000004", 51, 50)
        .await
        .unwrap();
    assert_eq!(ts.store.count_people().await.unwrap(), 100);
    let accts = ts.store.accounts_of_person("bench-p-77").await.unwrap();
    assert_eq!(accts.len(), 1);
    assert_eq!(accts[0].account_id, "bench-a-77");
    assert!(ts.store.audit().await.unwrap().is_empty());
    assert!(ts
        .store
        .bench_add_history("bench-a-1", "bench-a-1", 2, 1)
        .await
        .is_err());
}

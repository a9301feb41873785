//! The seeded world on the real store: deterministic, whole, believable.
//! Runs on PostgreSQL when FINHUB_TEST_DATABASE_URL is set.

// Scenario tests read top to bottom in the order things happen; split, they would hide it.
#![allow(clippy::too_many_lines)]

use chrono::{DateTime, Duration, Utc};
use finhub_core::account::{Account, AccountKind, NewAccount};
use finhub_core::clock::Clock;
use finhub_core::ledger::{
    Direction, EntryKind, Leg, Order, Posting, PostingQuery, Rejection, TransferRequest,
};
use finhub_core::money::Currency;
use finhub_core::party::{Gender, Person};
use finhub_core::repo::{AccountRepo, PartyRepo};
use finhub_core::world::World;
use finhub_core::CoreError;
use finhub_seed::{add_history, seed_world, SeedOptions};
use finhub_store::testing::TestStore;
use finhub_store::{settlement_account_id, BulkBatch, BulkEntry};
use finhub_testkit::ledger::assert_whole;
use indicatif::ProgressBar;
use std::collections::HashSet;

fn noon() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-06-15T12:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

async fn fresh() -> TestStore {
    TestStore::with_clock(Clock::starting_at(noon())).await
}

fn opts(people: u64, seed: u64) -> SeedOptions {
    SeedOptions {
        people,
        seed,
        ..Default::default()
    }
}

async fn everyone(w: &World) -> Vec<Person> {
    let mut out = Vec::new();
    loop {
        let page = w.repo.list_people(500, out.len() as u64).await.unwrap();
        if page.is_empty() {
            return out;
        }
        out.extend(page);
    }
}

async fn accounts(w: &World, people: &[Person]) -> Vec<Account> {
    let mut out = Vec::new();
    for chunk in people.chunks(200) {
        let ids: Vec<String> = chunk.iter().map(|p| p.person_id.clone()).collect();
        out.extend(w.repo.accounts_of_people(&ids).await.unwrap());
    }
    out
}

async fn statement(w: &World, account_id: &str) -> Vec<Posting> {
    let mut out: Vec<Posting> = Vec::new();
    loop {
        let page = w
            .postings(&PostingQuery {
                account_id: account_id.into(),
                from: DateTime::<Utc>::from_timestamp(0, 0).unwrap(),
                to: noon() + Duration::days(3650),
                direction: Direction::All,
                order: Order::Asc,
                after: out.last().map(|p| p.cursor()),
                limit: 1000,
            })
            .await
            .unwrap();
        if page.is_empty() {
            return out;
        }
        out.extend(page);
    }
}

/// Everything a world holds, in a comparable form.
async fn snapshot(w: &World) -> (Vec<Person>, Vec<Account>, Vec<Posting>) {
    let people = everyone(w).await;
    let accts = accounts(w, &people).await;
    let mut postings = Vec::new();
    for a in &accts {
        postings.extend(statement(w, &a.account_id).await);
    }
    (people, accts, postings)
}

#[tokio::test]
async fn same_seed_same_world_other_seed_other_world() {
    let (a, b, c) = (fresh().await, fresh().await, fresh().await);
    let hidden = ProgressBar::hidden();
    let ra = seed_world(&a.store, &opts(60, 42), &hidden).await.unwrap();
    let rb = seed_world(&b.store, &opts(60, 42), &hidden).await.unwrap();
    seed_world(&c.store, &opts(60, 43), &hidden).await.unwrap();
    assert_eq!(
        (ra.people, ra.accounts, ra.postings),
        (rb.people, rb.accounts, rb.postings)
    );
    assert_eq!(ra.people, 60);
    let sa = snapshot(&a.store.clone().into_world()).await;
    let sb = snapshot(&b.store.clone().into_world()).await;
    let sc = snapshot(&c.store.clone().into_world()).await;
    assert_eq!(sa.0, sb.0);
    assert_eq!(sa.1, sb.1);
    assert_eq!(sa.2, sb.2);
    assert!(!sa.2.is_empty());
    let ids_a: HashSet<_> = sa.0.iter().map(|p| &p.person_id).collect();
    assert!(sc.0.iter().all(|p| !ids_a.contains(&p.person_id)));
    assert_ne!(
        sa.0.iter().map(|p| &p.name).collect::<Vec<_>>(),
        sc.0.iter().map(|p| &p.name).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn seeded_world_is_whole_and_believable() {
    let ts = fresh().await;
    let o = opts(1_100, 7);
    let bar = ProgressBar::hidden();
    let r = seed_world(&ts.store, &o, &bar).await.unwrap();
    assert_eq!(bar.position(), 1_100);
    assert_eq!(r.people, 1_100);
    let w = ts.store.clone().into_world();
    assert_whole(&w).await;
    let people = everyone(&w).await;
    assert_eq!(people.len(), 1_100);
    let phones: HashSet<_> = people.iter().filter_map(|p| p.phone.clone()).collect();
    let cis: HashSet<_> = people.iter().map(|p| p.ci.clone()).collect();
    assert_eq!(phones.len(), 1_100);
    assert_eq!(cis.len(), 1_100);
    for p in &people {
        let ph = p.phone.as_ref().unwrap();
        assert!(ph.len() == 11 && ph.starts_with("010"), "{ph}");
        assert!(finhub_core::ids::is_valid_ci(&p.ci));
        assert_eq!(p.name.chars().count(), 3);
        let y = chrono::Datelike::year(&p.birth_date);
        assert!((1950..=2005).contains(&y));
        assert!(p.email.as_ref().unwrap().contains('@'));
    }
    assert!(people.iter().any(|p| p.gender == Some(Gender::Female)));
    assert!(people.iter().any(|p| p.name.starts_with('김')));

    let accts = accounts(&w, &people).await;
    assert_eq!(accts.len() as u64, r.accounts);
    let deposits: Vec<&Account> = accts
        .iter()
        .filter(|a| matches!(a.kind, AccountKind::Demand | AccountKind::Savings))
        .collect();
    assert!(deposits.len() >= 1_100 && deposits.len() <= 3_300);
    assert!(deposits
        .iter()
        .any(|a| a.kind == AccountKind::Savings && a.maturity_date.is_some()));
    let banks: HashSet<_> = deposits.iter().map(|a| a.org_code.clone()).collect();
    assert!(banks.len() > 10, "accounts spread over the banks");
    let kb = w.institution_by_any_code("004").await.unwrap();
    assert_eq!(kb.name, "국민은행");
    let window_start = noon() - Duration::days(366);
    let mut lines = 0u64;
    let mut earliest = noon();
    let mut latest = window_start;
    let mut memos = HashSet::new();
    // A sample keeps the debug-build test quick; the audit covered every account.
    for a in accts.iter().step_by(7) {
        let deposit = matches!(a.kind, AccountKind::Demand | AccountKind::Savings);
        if deposit {
            assert!(a.balance_minor >= 0);
            assert!(a.account_num.contains('-'));
        }
        let st = statement(&w, &a.account_id).await;
        assert!(st.len() as u32 <= o.max_tx_per_account);
        if deposit {
            assert_eq!(st[0].kind, EntryKind::Opening);
        }
        for (i, p) in st.iter().enumerate() {
            assert_eq!(p.seq, i as i64 + 1);
            assert!(p.balance_after_minor >= a.floor_minor);
            if i > 0 {
                assert!(p.at >= st[i - 1].at);
                assert_eq!(
                    p.balance_after_minor,
                    st[i - 1].balance_after_minor + p.amount_minor
                );
            }
            if p.kind != EntryKind::Opening {
                assert!(p.at >= window_start && p.at < noon());
                earliest = earliest.min(p.at);
                latest = latest.max(p.at);
                memos.insert(p.memo.clone());
            }
        }
        if let Some(last) = st.last() {
            assert_eq!(last.balance_after_minor, a.balance_minor);
            assert_eq!(a.last_tran_at, Some(last.at));
        }
        lines += st.len() as u64;
    }
    assert!(
        latest - earliest > Duration::days(330),
        "history spans a year"
    );
    for m in [
        "급여",
        "카드대금",
        "관리비",
        "통신비",
        "타행이체",
        "현금",
        "이자",
    ] {
        assert!(memos.contains(m), "no {m} line");
    }
    assert!(
        lines > accts.len() as u64 / 7 * 30,
        "believably busy: {lines}"
    );
}

#[tokio::test]
async fn seeding_twice_adds_nothing() {
    let ts = fresh().await;
    let hidden = ProgressBar::hidden();
    let first = seed_world(&ts.store, &opts(40, 5), &hidden).await.unwrap();
    let second = seed_world(&ts.store, &opts(40, 5), &hidden).await.unwrap();
    assert_eq!(first.people, 40);
    assert_eq!((second.people, second.accounts, second.postings), (0, 0, 0));
    assert_eq!(ts.store.count_people().await.unwrap(), 40);
    // Another seed is another population beside the first.
    let other = seed_world(&ts.store, &opts(40, 6), &hidden).await.unwrap();
    assert_eq!(other.people, 40);
    assert_eq!(ts.store.count_people().await.unwrap(), 80);
    assert_whole(&ts.store.clone().into_world()).await;
}

#[tokio::test]
async fn add_history_appends_exactly_n_lines_in_time_order() {
    let ts = fresh().await;
    let hidden = ProgressBar::hidden();
    seed_world(&ts.store, &opts(20, 9), &hidden).await.unwrap();
    let w = ts.store.clone().into_world();
    let people = everyone(&w).await;
    let acct = accounts(&w, &people).await.into_iter().next().unwrap();
    let before = statement(&w, &acct.account_id).await;
    let bar = ProgressBar::hidden();
    let n = add_history(&ts.store, &acct.account_id, 25_000, 1, &bar)
        .await
        .unwrap();
    assert_eq!(n, 25_000);
    assert_eq!(bar.position(), 25_000);
    let after = statement(&w, &acct.account_id).await;
    assert_eq!(after.len(), before.len() + 25_000);
    for (i, p) in after.iter().enumerate() {
        assert_eq!(p.seq, i as i64 + 1);
        assert!(p.balance_after_minor >= acct.balance_minor.min(0));
        if i > 0 {
            assert!(p.at > after[i - 1].at || i < before.len());
        }
    }
    let now = w.account(&acct.account_id).await.unwrap();
    assert_eq!(now.balance_minor, after.last().unwrap().balance_after_minor);
    assert_whole(&w).await;
    assert!(matches!(
        add_history(&ts.store, "no-such-account", 5, 1, &hidden).await,
        Err(CoreError::NotFound(_))
    ));
}

#[tokio::test]
async fn ledger_writer_continues_after_a_bulk_load() {
    let ts = fresh().await;
    let hidden = ProgressBar::hidden();
    seed_world(&ts.store, &opts(10, 11), &hidden).await.unwrap();
    let w = ts.store.clone().into_world();
    let people = everyone(&w).await;
    let accts = accounts(&w, &people).await;
    let (from, to) = (&accts[0], &accts[1]);
    let leg = |a: &Account, amt: i64| Leg {
        account_id: a.account_id.clone(),
        amount_minor: amt,
        currency: Currency::KRW,
        memo: "이체".into(),
        counterparty: String::new(),
    };
    let out = w
        .transfer(TransferRequest {
            scope: "test".into(),
            key: "after-bulk".into(),
            at: w.clock.now(),
            kind: EntryKind::Transfer,
            legs: vec![leg(from, -1_000), leg(to, 1_000)],
            limits: vec![],
            meta: serde_json::Value::Null,
        })
        .await
        .unwrap();
    let applied = out.result.unwrap();
    let st = statement(&w, &from.account_id).await;
    assert_eq!(st.last().unwrap().entry_id, applied.entry_id);
    assert!(st[..st.len() - 1]
        .iter()
        .all(|p| p.entry_id < applied.entry_id));
    // And a bulk load after the writer continues after the writer's ids.
    add_history(&ts.store, &to.account_id, 10, 2, &hidden)
        .await
        .unwrap();
    assert_whole(&w).await;
}

#[tokio::test]
async fn a_bad_batch_writes_nothing() {
    let ts = fresh().await;
    let hidden = ProgressBar::hidden();
    seed_world(&ts.store, &opts(1, 3), &hidden).await.unwrap();
    let person = Person {
        person_id: "p-bulk".into(),
        ci: finhub_core::ids::ci_from_seed(b"p-bulk"),
        name: "최수진".into(),
        birth_date: chrono::NaiveDate::from_ymd_opt(1980, 5, 5).unwrap(),
        gender: Some(Gender::Female),
        phone: Some("01099998888".into()),
        email: None,
    };
    let account = NewAccount {
        account_id: "a-bulk".into(),
        org_code: "BA00000004".into(),
        account_num: "123-456789-01234".into(),
        kind: AccountKind::Demand,
        product_name: "자유입출금통장".into(),
        currency: Currency::KRW,
        person_id: Some("p-bulk".into()),
        holder_name: "최수진".into(),
        opened_at: noon() - Duration::days(10),
        maturity_date: None,
        floor_minor: 0,
        opening_balance_minor: 10_000,
    };
    let settle = settlement_account_id("BA00000004", Currency::KRW);
    let entry = |amt: i64, settle_amt: i64| BulkEntry {
        scope: "t".into(),
        key: "k".into(),
        at: noon() - Duration::days(1),
        kind: EntryKind::Cash,
        legs: vec![
            Leg {
                account_id: "a-bulk".into(),
                amount_minor: amt,
                currency: Currency::KRW,
                memo: "현금".into(),
                counterparty: String::new(),
            },
            Leg {
                account_id: settle.clone(),
                amount_minor: settle_amt,
                currency: Currency::KRW,
                memo: "현금".into(),
                counterparty: String::new(),
            },
        ],
    };
    let batch = |e: BulkEntry| BulkBatch {
        people: vec![person.clone()],
        accounts: vec![account.clone()],
        entries: vec![e],
        terms: vec![],
    };
    let overdraw = ts.store.bulk_load(batch(entry(-10_001, 10_001))).await;
    assert!(matches!(
        overdraw,
        Err(CoreError::Rejected(Rejection::InsufficientFunds { .. }))
    ));
    let unbalanced = ts.store.bulk_load(batch(entry(-5_000, 4_000))).await;
    assert!(matches!(
        unbalanced,
        Err(CoreError::Rejected(Rejection::Unbalanced))
    ));
    let mut unknown = entry(-5_000, 5_000);
    unknown.legs[1].account_id = "nobody".into();
    assert!(matches!(
        ts.store.bulk_load(batch(unknown)).await,
        Err(CoreError::Rejected(Rejection::AccountNotFound { .. }))
    ));
    assert!(ts.store.person("p-bulk").await.unwrap().is_none());
    assert_eq!(ts.store.count_people().await.unwrap(), 1);
    // The same batch, made whole, loads.
    let ok = ts
        .store
        .bulk_load(batch(entry(-10_000, 10_000)))
        .await
        .unwrap();
    assert_eq!(
        (ok.people, ok.accounts, ok.entries, ok.postings),
        (1, 1, 2, 4)
    );
    let a = ts.store.account("a-bulk").await.unwrap().unwrap();
    assert_eq!(a.balance_minor, 0);
    // Loading it again conflicts and changes nothing.
    assert!(matches!(
        ts.store.bulk_load(batch(entry(-10_000, 10_000))).await,
        Err(CoreError::Conflict(_))
    ));
    assert_whole(&ts.store.clone().into_world()).await;
}

#[tokio::test]
async fn transfers_during_a_bulk_load_never_collide() {
    let ts = fresh().await;
    let hidden = ProgressBar::hidden();
    seed_world(&ts.store, &opts(30, 13), &hidden).await.unwrap();
    let w = ts.store.clone().into_world();
    let people = everyone(&w).await;
    let accts = accounts(&w, &people).await;
    let demand: Vec<Account> = accts
        .into_iter()
        .filter(|a| a.kind == AccountKind::Demand && a.balance_minor >= 100_000)
        .collect();
    assert!(demand.len() >= 3);
    let (history, a, b) = (demand[0].clone(), demand[1].clone(), demand[2].clone());
    let store = ts.store.clone();
    let loader = tokio::spawn(async move {
        add_history(
            &store,
            &history.account_id,
            45_000,
            4,
            &ProgressBar::hidden(),
        )
        .await
    });
    let mut moves = Vec::new();
    for i in 0..200 {
        let w = w.clone();
        let (from, to) = if i % 2 == 0 { (&a, &b) } else { (&b, &a) };
        let leg = |acc: &Account, amt: i64| Leg {
            account_id: acc.account_id.clone(),
            amount_minor: amt,
            currency: Currency::KRW,
            memo: "이체".into(),
            counterparty: String::new(),
        };
        let req = TransferRequest {
            scope: "test".into(),
            key: format!("during-{i}"),
            at: w.clock.now(),
            kind: EntryKind::Transfer,
            legs: vec![leg(from, -100), leg(to, 100)],
            limits: vec![],
            meta: serde_json::Value::Null,
        };
        moves.push(tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(i * 5)).await;
            w.transfer(req).await
        }));
    }
    for m in moves {
        let out = m.await.unwrap().expect("transfer during a bulk load");
        assert!(out.result.is_ok(), "{:?}", out.result);
    }
    assert_eq!(loader.await.unwrap().unwrap(), 45_000);
    assert_whole(&w).await;
}

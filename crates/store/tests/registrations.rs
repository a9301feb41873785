//! Registrations, user numbers and the usage log on the real store, under
//! concurrency. Runs on PostgreSQL when FINHUB_TEST_DATABASE_URL is set.

// Scenario tests read top to bottom in the order things happen; split, they would hide it.
#![allow(clippy::too_many_lines)]

use chrono::{NaiveDate, Utc};
use finhub_core::account::AccountKind;
use finhub_core::institution::default_institutions;
use finhub_core::money::Currency;
use finhub_core::party::NewPerson;
use finhub_core::registration::NewRegistration;
use finhub_core::registration::{RegisterResult, RegistrationRepo, Service};
use finhub_core::repo::InstitutionRepo;
use finhub_core::usage::UsageRepo;
use finhub_core::world::OpenAccount;
use finhub_store::testing::TestStore;

async fn person_with_account(ts: &TestStore, k: usize) -> (String, String) {
    let world = ts.store.clone().into_world();
    let p = world
        .create_person(NewPerson {
            name: format!("사람{k}"),
            birth_date: NaiveDate::from_ymd_opt(1990, 1, 1),
            ..Default::default()
        })
        .await
        .unwrap();
    let a = world
        .open_account(OpenAccount {
            org_code: "BA00000004".into(),
            person_id: p.person_id.clone(),
            kind: AccountKind::Demand,
            product_name: None,
            currency: Currency::KRW,
            opening_balance_minor: 0,
            floor_minor: 0,
            account_num: None,
        })
        .await
        .unwrap();
    (p.person_id, a.account_id)
}

async fn store() -> TestStore {
    let ts = TestStore::new().await;
    for i in default_institutions() {
        ts.store.upsert_institution(&i).await.unwrap();
    }
    ts
}

#[tokio::test]
async fn user_numbers_are_unique_and_stable_under_concurrency() {
    let ts = store().await;
    let mut people = Vec::new();
    for k in 0..6 {
        people.push(person_with_account(&ts, k).await.0);
    }
    let calls = people
        .iter()
        .flat_map(|p| (0..3).map(move |_| p.clone()))
        .map(|p| {
            let s = ts.store.clone();
            async move { (p.clone(), s.user_number(&p).await.unwrap()) }
        });
    let got = futures::future::join_all(calls).await;
    let mut by_person = std::collections::HashMap::new();
    for (p, n) in got {
        assert_eq!(
            *by_person.entry(p.clone()).or_insert(n),
            n,
            "one number per person"
        );
        assert!((1_100_000_001..1_100_000_100).contains(&n));
        assert_eq!(ts.store.person_by_user_number(n).await.unwrap(), Some(p));
    }
    let mut nums: Vec<_> = by_person.values().copied().collect();
    nums.sort();
    nums.dedup();
    assert_eq!(nums.len(), people.len());
}

#[tokio::test]
async fn one_registration_per_account_and_client_with_unique_handles() {
    let ts = store().await;
    let (p, a) = person_with_account(&ts, 0).await;
    let now = Utc::now();
    // Racing registrations of the same account end in one row.
    let calls = (0..6).map(|_| {
        let s = ts.store.clone();
        let (p, a) = (p.clone(), a.clone());
        async move {
            s.register(
                NewRegistration {
                    org_code: "M202600001",
                    person_id: &p,
                    account_id: &a,
                    service: Service::Inquiry,
                    email: None,
                    at: now,
                },
                &|| {
                    format!(
                        "1202600001{:014}",
                        rand::random::<u64>() % 100_000_000_000_000
                    )
                },
            )
            .await
            .unwrap()
        }
    });
    let got = futures::future::join_all(calls).await;
    assert_eq!(
        got.iter()
            .filter(|(_, r)| *r == RegisterResult::Created)
            .count(),
        1
    );
    let handle = got[0].0.handle.clone();
    assert!(got.iter().all(|(r, _)| r.handle == handle));
    // A handle that collides is retried with a fresh one.
    let (_, b) = person_with_account(&ts, 1).await;
    let next = std::sync::Mutex::new(0);
    let gen = || {
        let mut k = next.lock().unwrap();
        *k += 1;
        if *k == 1 {
            handle.clone()
        } else {
            format!("1202600001{:014}", 42)
        }
    };
    let (reg, r) = ts
        .store
        .register(
            NewRegistration {
                org_code: "M202600001",
                person_id: &p,
                account_id: &b,
                service: Service::Transfer,
                email: Some("a@b.c"),
                at: now,
            },
            &gen,
        )
        .await
        .unwrap();
    assert_eq!(r, RegisterResult::Created);
    assert_ne!(reg.handle, handle);
    // Another client may use the same handle: unique per client only.
    let (other, _) = ts
        .store
        .register(
            NewRegistration {
                org_code: "T991667950",
                person_id: &p,
                account_id: &a,
                service: Service::Inquiry,
                email: None,
                at: now,
            },
            &|| handle.clone(),
        )
        .await
        .unwrap();
    assert_eq!(other.handle, handle);
    // Cancel one service, then the other: the registration is cancelled.
    let (added, r) = ts
        .store
        .register(
            NewRegistration {
                org_code: "M202600001",
                person_id: &p,
                account_id: &a,
                service: Service::Transfer,
                email: None,
                at: now,
            },
            &|| String::from("not used: the registration exists"),
        )
        .await
        .unwrap();
    assert_eq!(r, RegisterResult::Added);
    assert!(added.has(Service::Transfer) && added.has(Service::Inquiry));
    assert!(ts
        .store
        .cancel_service("M202600001", &handle, Service::Inquiry, now)
        .await
        .unwrap());
    assert!(!ts
        .store
        .cancel_service("M202600001", &handle, Service::Inquiry, now)
        .await
        .unwrap());
    assert!(ts
        .store
        .registration("M202600001", &handle)
        .await
        .unwrap()
        .unwrap()
        .is_active());
    assert!(ts
        .store
        .cancel_service("M202600001", &handle, Service::Transfer, now)
        .await
        .unwrap());
    assert!(!ts
        .store
        .registration("M202600001", &handle)
        .await
        .unwrap()
        .unwrap()
        .is_active());
    assert_eq!(
        ts.store.cancel_person("M202600001", &p, now).await.unwrap(),
        1
    );
}

#[tokio::test]
async fn the_usage_log_counts_every_call() {
    let ts = store().await;
    let day = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    let calls = (0..20).map(|i| {
        let s = ts.store.clone();
        async move {
            s.record_call("M202600001", if i % 2 == 0 { "a" } else { "b" }, day)
                .await
                .unwrap()
        }
    });
    futures::future::join_all(calls).await;
    let lines = ts.store.usage("M202600001", day, day).await.unwrap();
    assert_eq!(
        lines.iter().map(|l| l.count).collect::<Vec<_>>(),
        vec![10, 10]
    );
    assert!(ts
        .store
        .usage("T991667950", day, day)
        .await
        .unwrap()
        .is_empty());
}

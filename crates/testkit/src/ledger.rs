//! The ledger as store tests see it: a plain two-leg transfer request and
//! the invariants every test ends on.

use chrono::{NaiveDate, Utc};
use finhub_core::account::AccountKind;
use finhub_core::institution::default_institutions;
use finhub_core::ledger::{EntryKind, Leg, TransferRequest};
use finhub_core::money::Currency;
use finhub_core::party::NewPerson;
use finhub_core::repo::InstitutionRepo;
use finhub_core::world::{OpenAccount, World};
use finhub_store::testing::TestStore;

/// A fresh store with the institutions and `n` people, each holding one
/// KB demand account of `balance` KRW; returns the account ids.
pub async fn kb_accounts(n: usize, balance: i64) -> (TestStore, World, Vec<String>) {
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
                birth_date: NaiveDate::from_ymd_opt(1990, 1, 1),
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
                opening_balance_minor: balance,
                floor_minor: 0,
                account_num: None,
            })
            .await
            .unwrap();
        ids.push(a.account_id);
    }
    (ts, world, ids)
}

/// `amt` KRW from `from` to `to`, idempotent under (`scope`, `key`), now.
pub fn transfer(scope: &str, key: &str, from: &str, to: &str, amt: i64) -> TransferRequest {
    let leg = |account: &str, amount_minor: i64, memo: &str, other: &str| Leg {
        account_id: account.into(),
        amount_minor,
        currency: Currency::KRW,
        memo: memo.into(),
        counterparty: other.into(),
    };
    TransferRequest {
        scope: scope.into(),
        key: key.into(),
        at: Utc::now(),
        kind: EntryKind::Transfer,
        legs: vec![leg(from, -amt, "out", to), leg(to, amt, "in", from)],
        limits: vec![],
        meta: serde_json::Value::Null,
    }
}

/// The ledger is whole: every currency sums to zero, the audit finds nothing.
pub async fn assert_whole(world: &World) {
    for (cur, total) in world.repo.balance_totals().await.unwrap() {
        assert_eq!(total, 0, "money created or lost in {cur}");
    }
    let problems = world.repo.audit().await.unwrap();
    assert!(problems.is_empty(), "audit found: {problems:?}");
}

//! The ledger as store tests see it: a plain two-leg transfer request and
//! the invariants every test ends on.

use chrono::Utc;
use finhub_core::ledger::{EntryKind, Leg, TransferRequest};
use finhub_core::money::Currency;
use finhub_core::world::World;

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

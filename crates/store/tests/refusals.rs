//! The idempotency contract over refusals decided before the ledger: a
//! key's first outcome, applied or refused, is what every retry gets, also
//! when many requests race for one key. Runs on PostgreSQL when
//! FINHUB_TEST_DATABASE_URL is set.

use finhub_core::institution::ServiceStatus;
use finhub_core::ledger::{Rejection, TransferRequest};
use finhub_core::payments::{Payment, Rule, RuleId};
use finhub_core::world::World;
use finhub_core::CoreError;
use finhub_store::testing::TestStore;
use finhub_testkit::ledger;

async fn world_with_two(balance: i64) -> (TestStore, World, String, String) {
    let (ts, world, mut ids) = ledger::kb_accounts(2, balance).await;
    let b = ids.pop().unwrap();
    (ts, world, ids.pop().unwrap(), b)
}

const RULE: RuleId = RuleId(1);

fn payment(req: &TransferRequest, passed: bool) -> Payment {
    Payment {
        transfer: req.clone(),
        rules: vec![
            Rule::InstitutionAvailable {
                org_code: "BA00000004".into(),
                status: ServiceStatus::Active,
            },
            Rule::Standard { rule: RULE, passed },
        ],
        log: None,
    }
}

async fn balance(world: &World, id: &str) -> i64 {
    world.account(id).await.unwrap().balance_minor
}

#[tokio::test]
async fn a_recorded_refusal_is_every_retrys_answer() {
    let (_ts, world, a, b) = world_with_two(10_000).await;
    let req = ledger::transfer("test:refusals", "k1", &a, &b, 1_000);
    let first = world.pay(payment(&req, false)).await.unwrap();
    assert!(!first.replayed);
    assert_eq!(first.result, Err(Rejection::Refused { rule: RULE }));
    // the condition changed: the first outcome still answers, nothing moves
    let again = world.pay(payment(&req, true)).await.unwrap();
    assert!(again.replayed);
    assert_eq!(again.result, Err(Rejection::Refused { rule: RULE }));
    assert_eq!(again.meta, req.meta);
    assert_eq!(balance(&world, &a).await, 10_000);
    // the ledger itself answers the recorded refusal as a replay
    let direct = world.transfer(req.clone()).await.unwrap();
    assert!(direct.replayed);
    assert_eq!(direct.result, Err(Rejection::Refused { rule: RULE }));
    assert_eq!(balance(&world, &a).await, 10_000);
    let stored = world.repo.outcome(&req.scope, &req.key).await.unwrap();
    assert_eq!(
        stored.unwrap().result,
        Err(Rejection::Refused { rule: RULE })
    );
    // a different request under the key is a mismatch, refused or not
    let other = ledger::transfer("test:refusals", "k1", &a, &b, 2_000);
    for passed in [false, true] {
        assert!(matches!(
            world.pay(payment(&other, passed)).await,
            Err(CoreError::IdempotencyMismatch)
        ));
    }
    assert!(world.repo.audit().await.unwrap().is_empty());
}

#[tokio::test]
async fn an_applied_first_outcome_is_not_overwritten_by_a_later_refusal() {
    let (_ts, world, a, b) = world_with_two(10_000).await;
    let req = ledger::transfer("test:refusals", "k2", &a, &b, 1_000);
    let first = world.pay(payment(&req, true)).await.unwrap();
    assert!(first.result.is_ok());
    let again = world.pay(payment(&req, false)).await.unwrap();
    assert!(again.replayed);
    assert_eq!(again.result, first.result);
    assert_eq!(balance(&world, &a).await, 9_000);
    let stored = world.repo.outcome(&req.scope, &req.key).await.unwrap();
    assert!(stored.unwrap().result.is_ok());
}

#[tokio::test]
async fn a_ledger_refusal_stays_the_first_outcome_too() {
    let (_ts, world, a, b) = world_with_two(500).await;
    let req = ledger::transfer("test:refusals", "k3", &a, &b, 1_000);
    let first = world.pay(payment(&req, true)).await.unwrap();
    assert!(matches!(
        first.result,
        Err(Rejection::InsufficientFunds { .. })
    ));
    let again = world.pay(payment(&req, false)).await.unwrap();
    assert!(again.replayed);
    assert_eq!(again.result, first.result);
}

/// Many requests race for one key, some refused before the ledger, some
/// not: exactly one outcome is first, every answer is that one, and money
/// moved at most once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_requests_for_one_key_agree_on_the_first_outcome() {
    let (_ts, world, a, b) = world_with_two(1_000_000).await;
    for round in 0..8 {
        let req = ledger::transfer("test:refusals", &format!("race{round}"), &a, &b, 1_000);
        let tasks: Vec<_> = (0..16)
            .map(|i| {
                let world = world.clone();
                let p = payment(&req, (i + round) % 2 == 0);
                tokio::spawn(async move { world.pay(p).await })
            })
            .collect();
        let mut answers = Vec::new();
        for t in tasks {
            answers.push(t.await.unwrap().unwrap());
        }
        let fresh: Vec<_> = answers.iter().filter(|o| !o.replayed).collect();
        assert_eq!(fresh.len(), 1, "round {round}: one first outcome");
        let stored = world
            .repo
            .outcome(&req.scope, &req.key)
            .await
            .unwrap()
            .unwrap();
        for o in &answers {
            assert_eq!(o.result, stored.result, "round {round}");
        }
    }
    let moved = 1_000_000 - balance(&world, &a).await;
    assert_eq!(moved % 1_000, 0);
    assert!(moved <= 8_000);
    assert_eq!(balance(&world, &b).await - 1_000_000, moved);
    assert!(world.repo.audit().await.unwrap().is_empty());
}

//! The batch's balance check must be able to fail.

use super::batch::{assert_balanced, check_balanced, PostingRow};
use finhub_core::money::Currency;

fn line(entry_id: i64, account: &str, currency: Currency, amount: i64) -> PostingRow {
    PostingRow {
        account_id: account.into(),
        seq: 1,
        entry_id,
        at: 0,
        kind: "transfer",
        currency,
        amount,
        after: amount.max(0),
        memo: String::new(),
        counterparty: String::new(),
    }
}

fn balanced() -> Vec<PostingRow> {
    vec![
        line(1, "a", Currency::KRW, -1_000),
        line(1, "b", Currency::KRW, 1_000),
        line(2, "a", Currency::KRW, -5),
        line(2, "c", Currency::KRW, 5),
    ]
}

#[test]
fn balanced_batch_passes() {
    assert_eq!(check_balanced(&balanced()), Ok(()));
    assert_eq!(check_balanced(&[]), Ok(()));
    assert_balanced(&balanced());
}

#[test]
fn unbalanced_entry_fails() {
    let mut rows = balanced();
    rows[3].amount = 6;
    let err = check_balanced(&rows).unwrap_err();
    assert!(err.contains("entry 2"), "{err}");
}

#[test]
fn entries_balance_on_their_own_not_across_the_batch() {
    // +1 in entry 1 and -1 in entry 2 sum to zero over the batch only.
    let mut rows = balanced();
    rows[1].amount = 1_001;
    rows[3].amount = 4;
    assert!(check_balanced(&rows).is_err());
}

#[test]
fn each_currency_balances_on_its_own() {
    let rows = vec![
        line(1, "a", Currency::KRW, -1_000),
        line(1, "b", Currency::USD, 1_000),
    ];
    assert!(check_balanced(&rows).is_err());
}

#[test]
#[cfg(debug_assertions)]
#[should_panic(expected = "ledger batch out of balance")]
fn the_assertion_stops_an_unbalanced_batch() {
    let mut rows = balanced();
    rows.pop();
    assert_balanced(&rows);
}

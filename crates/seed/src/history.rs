//! Appending a long history to one existing account (the benchmark's
//! million-line statement).

use crate::mix;
use chrono::{DateTime, Duration, Utc};
use finhub_core::account::{Account, AccountKind};
use finhub_core::ledger::{EntryKind, Leg};
use finhub_core::repo::AccountRepo;
use finhub_core::CoreError;
use finhub_store::{settlement_account_id, BulkBatch, BulkEntry, Store};
use indicatif::ProgressBar;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Entries per load transaction: bounds memory and lock time.
const ROWS_PER_LOAD: u64 = 20_000;
const HISTORY_SCOPE: &str = "finhub:seed-history";

const CREDITS: &[(EntryKind, &str, &str)] = &[
    (EntryKind::Deposit, "입금", "홍길동"),
    (EntryKind::Transfer, "타행이체", "김민준"),
    (EntryKind::Salary, "급여", "삼성전자(주)"),
    (EntryKind::Refund, "환불", "쿠팡"),
];
const DEBITS: &[(EntryKind, &str, &str)] = &[
    (EntryKind::Card, "카드대금", "신한카드"),
    (EntryKind::Cash, "현금", "국민은행 ATM"),
    (EntryKind::Withdrawal, "관리비", "래미안아파트관리사무소"),
    (EntryKind::Withdrawal, "통신비", "SK텔레콤"),
    (EntryKind::Transfer, "타행이체", "이서연"),
];

/// Append `rows` statement lines to one account, timed after its last line
/// (spread over the year before now, or packed after the last line when it
/// is more recent), each an entry against the bank's settlement account.
/// The lines never take the account below the balance it started with, so
/// its floor holds whatever it held before. Returns the lines written.
pub async fn add_history(
    store: &Store,
    account_id: &str,
    rows: u64,
    seed: u64,
    progress: &ProgressBar,
) -> Result<u64, CoreError> {
    let account = store
        .account(account_id)
        .await?
        .ok_or(CoreError::NotFound("account"))?;
    if account.kind == AccountKind::Settlement {
        return Err(CoreError::Invalid(
            "history goes on customer accounts, not settlement accounts".into(),
        ));
    }
    progress.set_length(rows);
    if rows == 0 {
        return Ok(0);
    }
    let mut lines = Lines::new(store, &account, rows, seed);
    let mut written = 0u64;
    while written < rows {
        let n = (rows - written).min(ROWS_PER_LOAD);
        let entries = (written..written + n).map(|i| lines.entry(i)).collect();
        store
            .bulk_load(BulkBatch {
                entries,
                ..Default::default()
            })
            .await?;
        written += n;
        progress.inc(n);
    }
    Ok(written)
}

/// Draws one account's history lines, in order, from the account's RNG.
struct Lines<'a> {
    account: &'a Account,
    settle: String,
    seed: u64,
    start: i64,
    step: i64,
    unit: i64,
    rng: StdRng,
    /// Money the history itself brought in: debits never exceed it.
    above_start: i64,
}

impl<'a> Lines<'a> {
    fn new(store: &Store, account: &'a Account, rows: u64, seed: u64) -> Self {
        let now = store.clock().now().timestamp_micros();
        let year_ago = now - Duration::days(365).num_microseconds().expect("fits");
        let start = account
            .last_tran_at
            .map(|t| t.timestamp_micros() + 1_000)
            .unwrap_or(i64::MIN)
            .max(year_ago);
        // At least a millisecond apart, even when the last line is recent.
        let end = now.max(start + rows as i64 * 1_000);
        Lines {
            account,
            settle: settlement_account_id(&account.org_code, account.currency),
            seed,
            start,
            step: ((end - start) / rows as i64).max(1),
            unit: 10i64.pow(account.currency.exponent()),
            rng: StdRng::seed_from_u64(mix(seed, fnv(&account.account_id))),
            above_start: 0,
        }
    }

    /// The `i`-th line: an entry against the bank's settlement account.
    fn entry(&mut self, i: u64) -> BulkEntry {
        let (account, unit, rng) = (self.account, self.unit, &mut self.rng);
        let at_us = self.start + i as i64 * self.step + rng.gen_range(0..self.step);
        let credit = self.above_start < 300_000 * unit || rng.gen_bool(0.45);
        let (kind, memo, cp, amount) = if credit {
            let (k, m, c) = CREDITS[rng.gen_range(0..CREDITS.len())];
            (k, m, c, rng.gen_range(10..=500) * 1_000 * unit)
        } else {
            let (k, m, c) = DEBITS[rng.gen_range(0..DEBITS.len())];
            let amount = (rng.gen_range(1..=300) * 1_000 * unit).min(self.above_start);
            (k, m, c, -amount)
        };
        self.above_start += amount;
        BulkEntry {
            scope: HISTORY_SCOPE.into(),
            key: format!("{}:{}:{i}", account.account_id, self.seed),
            at: DateTime::<Utc>::from_timestamp_micros(at_us).expect("in range"),
            kind,
            legs: vec![
                Leg {
                    account_id: self.settle.clone(),
                    amount_minor: -amount,
                    currency: account.currency,
                    memo: memo.into(),
                    counterparty: account.holder_name.clone(),
                },
                Leg {
                    account_id: account.account_id.clone(),
                    amount_minor: amount,
                    currency: account.currency,
                    memo: memo.into(),
                    counterparty: cp.into(),
                },
            ],
        }
    }
}

/// A stable 64-bit hash of a string (FNV-1a), to key the RNG by account.
fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

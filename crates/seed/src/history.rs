//! Appending a long history to one existing account (the benchmark's
//! million-line statement).

use crate::mix;
use chrono::{DateTime, Duration, Utc};
use finhub_core::account::AccountKind;
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
    let settle = settlement_account_id(&account.org_code, account.currency);
    let now = store.clock().now().timestamp_micros();
    let year_ago = now - Duration::days(365).num_microseconds().expect("fits");
    let start = account
        .last_tran_at
        .map(|t| t.timestamp_micros() + 1_000)
        .unwrap_or(i64::MIN)
        .max(year_ago);
    // At least a millisecond apart, even when the last line is recent.
    let end = now.max(start + rows as i64 * 1_000);
    let step = ((end - start) / rows as i64).max(1);
    let mut rng = StdRng::seed_from_u64(mix(seed, fnv(account_id)));
    // Money the history itself brought in: debits never exceed it.
    let mut above_start: i64 = 0;
    let unit = 10i64.pow(account.currency.exponent());
    let mut written = 0u64;
    while written < rows {
        let n = (rows - written).min(ROWS_PER_LOAD);
        let mut entries = Vec::with_capacity(n as usize);
        for i in written..written + n {
            let at_us = start + i as i64 * step + rng.gen_range(0..step);
            let credit = above_start < 300_000 * unit || rng.gen_bool(0.45);
            let (kind, memo, cp, amount) = if credit {
                let (k, m, c) = CREDITS[rng.gen_range(0..CREDITS.len())];
                (k, m, c, rng.gen_range(10..=500) * 1_000 * unit)
            } else {
                let (k, m, c) = DEBITS[rng.gen_range(0..DEBITS.len())];
                let amount = (rng.gen_range(1..=300) * 1_000 * unit).min(above_start);
                (k, m, c, -amount)
            };
            above_start += amount;
            entries.push(BulkEntry {
                scope: HISTORY_SCOPE.into(),
                key: format!("{account_id}:{seed}:{i}"),
                at: DateTime::<Utc>::from_timestamp_micros(at_us).expect("in range"),
                kind,
                legs: vec![
                    Leg {
                        account_id: settle.clone(),
                        amount_minor: -amount,
                        currency: account.currency,
                        memo: memo.into(),
                        counterparty: account.holder_name.clone(),
                    },
                    Leg {
                        account_id: account_id.to_owned(),
                        amount_minor: amount,
                        currency: account.currency,
                        memo: memo.into(),
                        counterparty: cp.into(),
                    },
                ],
            });
        }
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

/// A stable 64-bit hash of a string (FNV-1a), to key the RNG by account.
fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

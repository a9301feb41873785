//! The double-entry ledger: journal entries whose postings sum to zero per
//! currency, applied exactly once per idempotency key.

use crate::account::AccountStatus;
use crate::money::Currency;
use crate::payments::RuleId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What kind of movement an entry is; faces translate it to their own codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Opening,
    Transfer,
    Withdrawal,
    Deposit,
    Salary,
    Card,
    Cash,
    Fee,
    Interest,
    Charge,
    Refund,
    Remittance,
}

impl EntryKind {
    pub const ALL: [EntryKind; 12] = [
        Self::Opening,
        Self::Transfer,
        Self::Withdrawal,
        Self::Deposit,
        Self::Salary,
        Self::Card,
        Self::Cash,
        Self::Fee,
        Self::Interest,
        Self::Charge,
        Self::Refund,
        Self::Remittance,
    ];
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Opening => "opening",
            Self::Transfer => "transfer",
            Self::Withdrawal => "withdrawal",
            Self::Deposit => "deposit",
            Self::Salary => "salary",
            Self::Card => "card",
            Self::Cash => "cash",
            Self::Fee => "fee",
            Self::Interest => "interest",
            Self::Charge => "charge",
            Self::Refund => "refund",
            Self::Remittance => "remittance",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One side of an entry: money into (positive) or out of (negative) an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Leg {
    pub account_id: String,
    pub amount_minor: i64,
    pub currency: Currency,
    /// Passbook text shown on this account's statement.
    pub memo: String,
    /// Who is on the other side, as this account's statement names them.
    pub counterparty: String,
}

/// A running total that must stay within a maximum, checked and raised in the
/// same transaction as the movement (daily withdrawal limits and the like).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limit {
    /// Names the counter, e.g. "wd:person:<id>:client:<id>".
    pub counter: String,
    /// Names the period, e.g. "2026-11-23" or "2026-11".
    pub period: String,
    pub amount_minor: i64,
    pub max_minor: i64,
    /// Returned in the rejection so a face can choose its code: a
    /// `RuleId::tag`, read back with `RuleId::of`.
    pub code: String,
}

/// A request to move money. `scope` + `key` make it idempotent.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TransferRequest {
    pub scope: String,
    pub key: String,
    pub at: DateTime<Utc>,
    pub kind: EntryKind,
    pub legs: Vec<Leg>,
    #[serde(default)]
    pub limits: Vec<Limit>,
    /// Free-form facts a face wants back on replay (kept with the outcome).
    #[serde(default)]
    pub meta: serde_json::Value,
}

/// Why a transfer was refused. Nothing moved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Rejection {
    Unbalanced,
    EmptyEntry,
    ZeroAmount,
    AccountNotFound {
        account_id: String,
    },
    AccountClosed {
        account_id: String,
    },
    CurrencyMismatch {
        account_id: String,
    },
    InsufficientFunds {
        account_id: String,
        available_minor: i64,
    },
    LimitExceeded {
        code: String,
        remaining_minor: i64,
    },
    // Refusals decided before the ledger (see `payments`): recorded under the
    // key like the ledger's own, so a retry gets them again.
    /// The institution holding the account is in an outage.
    InstitutionUnavailable {
        org_code: String,
    },
    /// The account is closed or dormant.
    AccountUnusable {
        account_id: String,
        status: AccountStatus,
    },
    /// A per-item maximum, named by the face's rule id.
    ItemLimitExceeded {
        limit: RuleId,
        max_minor: i64,
    },
    /// The name the caller gave is not the account holder's.
    NameMismatch {
        account_id: String,
    },
    /// A rule only the face's standard knows refused.
    Refused {
        rule: RuleId,
    },
}

impl Rejection {
    /// True for the refusals `World::pay` decides before the ledger runs.
    pub fn is_before_ledger(&self) -> bool {
        matches!(
            self,
            Self::InstitutionUnavailable { .. }
                | Self::AccountUnusable { .. }
                | Self::ItemLimitExceeded { .. }
                | Self::NameMismatch { .. }
                | Self::Refused { .. }
        )
    }
}

/// The balance an account reached, as the entry left it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostingResult {
    pub account_id: String,
    pub seq: i64,
    pub balance_after_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applied {
    pub entry_id: i64,
    pub postings: Vec<PostingResult>,
    /// Each limit counter's total after this entry, in request order.
    pub limit_totals: Vec<i64>,
}

/// The first outcome recorded for an idempotency key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferOutcome {
    pub scope: String,
    pub key: String,
    pub fingerprint: String,
    pub at: DateTime<Utc>,
    pub result: Result<Applied, Rejection>,
    pub meta: serde_json::Value,
    /// True when this answer is a replay of an earlier request with the same key.
    #[serde(default)]
    pub replayed: bool,
}

impl TransferRequest {
    /// A digest of what the request asks for (not when): a retry carries the
    /// same fingerprint; a different request under the same key does not.
    pub fn fingerprint(&self) -> String {
        let mut h = Sha256::new();
        h.update(self.kind.as_str());
        for l in &self.legs {
            h.update([0u8]);
            h.update(&l.account_id);
            h.update([1u8]);
            h.update(l.amount_minor.to_be_bytes());
            h.update(l.currency.as_str());
            h.update([2u8]);
            h.update(&l.memo);
            h.update([3u8]);
            h.update(&l.counterparty);
        }
        // A limit's maximum is a condition, not part of the request: a retry
        // after the limit changed is the same request.
        for l in &self.limits {
            h.update([4u8]);
            h.update(&l.counter);
            h.update([5u8]);
            h.update(&l.period);
        }
        hex::encode(&h.finalize()[..16])
    }

    /// Rules that need no stored state: the entry balances per currency and
    /// every leg moves something.
    pub fn check_shape(&self) -> Result<(), Rejection> {
        if self.legs.len() < 2 {
            return Err(Rejection::EmptyEntry);
        }
        if self.legs.iter().any(|l| l.amount_minor == 0) {
            return Err(Rejection::ZeroAmount);
        }
        let mut sums: Vec<(Currency, i128)> = Vec::new();
        for l in &self.legs {
            match sums.iter_mut().find(|(c, _)| *c == l.currency) {
                Some((_, s)) => *s += l.amount_minor as i128,
                None => sums.push((l.currency, l.amount_minor as i128)),
            }
        }
        if sums.iter().any(|(_, s)| *s != 0) {
            return Err(Rejection::Unbalanced);
        }
        Ok(())
    }
}

/// The state of one account as the ledger writer sees it while applying.
#[derive(Debug, Clone)]
pub struct BalanceState {
    pub balance_minor: i64,
    pub floor_minor: i64,
    pub currency: Currency,
    pub closed: bool,
    pub seq: i64,
    pub last_tran_at_us: i64,
}

/// Check one leg against the account it touches. Credits to a closed account
/// are refused too: money must not land where nobody can reach it.
pub fn check_leg(leg: &Leg, state: &BalanceState) -> Result<i64, Rejection> {
    if state.closed {
        return Err(Rejection::AccountClosed {
            account_id: leg.account_id.clone(),
        });
    }
    if state.currency != leg.currency {
        return Err(Rejection::CurrencyMismatch {
            account_id: leg.account_id.clone(),
        });
    }
    let next =
        state
            .balance_minor
            .checked_add(leg.amount_minor)
            .ok_or(Rejection::InsufficientFunds {
                account_id: leg.account_id.clone(),
                available_minor: 0,
            })?;
    if leg.amount_minor < 0 && next < state.floor_minor {
        return Err(Rejection::InsufficientFunds {
            account_id: leg.account_id.clone(),
            available_minor: (state.balance_minor - state.floor_minor).max(0),
        });
    }
    Ok(next)
}

/// Check a limit counter; returns the new total.
pub fn check_limit(limit: &Limit, total_minor: i64) -> Result<i64, Rejection> {
    let next = total_minor.saturating_add(limit.amount_minor);
    if next > limit.max_minor {
        return Err(Rejection::LimitExceeded {
            code: limit.code.clone(),
            remaining_minor: (limit.max_minor - total_minor).max(0),
        });
    }
    Ok(next)
}

/// Which way a statement line moved money, from the account's side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    All,
    In,
    Out,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    Asc,
    Desc,
}

/// A page request over one account's postings. Keyset-paged by (at, seq).
#[derive(Debug, Clone)]
pub struct PostingQuery {
    pub account_id: String,
    pub from: DateTime<Utc>,
    /// Exclusive upper bound.
    pub to: DateTime<Utc>,
    pub direction: Direction,
    pub order: Order,
    /// The (at_us, seq) of the last row of the previous page.
    pub after: Option<(i64, i64)>,
    /// Bounded by the caller's standard (25 for KFTC, 500 for MyData).
    pub limit: u32,
}

/// One statement line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posting {
    pub entry_id: i64,
    pub account_id: String,
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub kind: EntryKind,
    pub amount_minor: i64,
    pub balance_after_minor: i64,
    pub memo: String,
    pub counterparty: String,
}

impl Posting {
    /// Cursor after this line.
    pub fn cursor(&self) -> (i64, i64) {
        (self.at.timestamp_micros(), self.seq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leg(acc: &str, amt: i64) -> Leg {
        Leg {
            account_id: acc.into(),
            amount_minor: amt,
            currency: Currency::KRW,
            memo: String::new(),
            counterparty: String::new(),
        }
    }
    fn req(legs: Vec<Leg>) -> TransferRequest {
        TransferRequest {
            scope: "s".into(),
            key: "k".into(),
            at: Utc::now(),
            kind: EntryKind::Transfer,
            legs,
            limits: vec![],
            meta: serde_json::Value::Null,
        }
    }

    #[test]
    fn entries_must_balance_per_currency() {
        assert!(req(vec![leg("a", -5), leg("b", 5)]).check_shape().is_ok());
        assert_eq!(
            req(vec![leg("a", -5), leg("b", 4)]).check_shape(),
            Err(Rejection::Unbalanced)
        );
        assert_eq!(
            req(vec![leg("a", -5)]).check_shape(),
            Err(Rejection::EmptyEntry)
        );
        assert_eq!(
            req(vec![leg("a", 0), leg("b", 0)]).check_shape(),
            Err(Rejection::ZeroAmount)
        );
        let mut usd = leg("b", 5);
        usd.currency = Currency::USD;
        assert_eq!(
            req(vec![leg("a", -5), usd]).check_shape(),
            Err(Rejection::Unbalanced)
        );
    }

    #[test]
    fn fingerprint_ignores_time_but_not_content() {
        let a = req(vec![leg("a", -5), leg("b", 5)]);
        let mut b = a.clone();
        b.at = a.at + chrono::Duration::seconds(30);
        assert_eq!(a.fingerprint(), b.fingerprint());
        let c = req(vec![leg("a", -6), leg("b", 6)]);
        assert_ne!(a.fingerprint(), c.fingerprint());
        let limited = |max_minor| {
            let mut r = a.clone();
            r.limits.push(Limit {
                counter: "c".into(),
                period: "p".into(),
                amount_minor: 5,
                max_minor,
                code: "day".into(),
            });
            r.fingerprint()
        };
        assert_eq!(limited(10), limited(1_000));
        assert_ne!(limited(10), a.fingerprint());
    }

    #[test]
    fn floors_hold_and_credits_always_fit() {
        let st = BalanceState {
            balance_minor: 100,
            floor_minor: 0,
            currency: Currency::KRW,
            closed: false,
            seq: 0,
            last_tran_at_us: 0,
        };
        assert_eq!(check_leg(&leg("a", -100), &st), Ok(0));
        assert!(matches!(
            check_leg(&leg("a", -101), &st),
            Err(Rejection::InsufficientFunds {
                available_minor: 100,
                ..
            })
        ));
        let overdraft = BalanceState {
            floor_minor: -50,
            ..st.clone()
        };
        assert_eq!(check_leg(&leg("a", -150), &overdraft), Ok(-50));
        let closed = BalanceState { closed: true, ..st };
        assert!(matches!(
            check_leg(&leg("a", 1), &closed),
            Err(Rejection::AccountClosed { .. })
        ));
    }

    #[test]
    fn limits_report_what_remains() {
        let l = Limit {
            counter: "c".into(),
            period: "p".into(),
            amount_minor: 10,
            max_minor: 100,
            code: "day".into(),
        };
        assert_eq!(check_limit(&l, 90), Ok(100));
        assert_eq!(
            check_limit(&l, 95),
            Err(Rejection::LimitExceeded {
                code: "day".into(),
                remaining_minor: 5
            })
        );
    }
}

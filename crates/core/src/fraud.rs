//! Rule-based detection of suspicious transfers over a client's recent
//! movements. The rules read a transfer log the faces append to.

use crate::error::CoreResult;
use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransferDirection {
    /// Money out of the person's account.
    Withdrawal,
    /// Money into the person's account.
    Deposit,
}

impl TransferDirection {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Withdrawal => "withdrawal",
            Self::Deposit => "deposit",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "withdrawal" => Some(Self::Withdrawal),
            "deposit" => Some(Self::Deposit),
            _ => None,
        }
    }
}

/// One applied transfer between a person's account and a client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferEvent {
    pub org_code: String,
    pub scope: String,
    pub key: String,
    pub account_id: String,
    pub direction: TransferDirection,
    pub amount_minor: i64,
    pub at: DateTime<Utc>,
}

/// The rules and their thresholds.
#[derive(Debug, Clone)]
pub struct FraudRules {
    /// Rule 1: this many withdrawals from one account within `burst_window`.
    pub burst_count: usize,
    pub burst_window: Duration,
    /// Rule 2: a first deposit into an account of at least this amount.
    pub first_large_minor: i64,
}

impl Default for FraudRules {
    fn default() -> Self {
        FraudRules {
            burst_count: 3,
            burst_window: Duration::minutes(10),
            first_large_minor: 1_000_000,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FraudRule {
    /// Many withdrawals from one account in a short window.
    WithdrawalBurst,
    /// A first large transfer into an account the client never paid before.
    FirstLargeTransfer,
}

impl FraudRule {
    pub fn code(&self) -> &'static str {
        match self {
            Self::WithdrawalBurst => "R001",
            Self::FirstLargeTransfer => "R002",
        }
    }
    pub fn description(&self) -> &'static str {
        match self {
            Self::WithdrawalBurst => "단시간 다수 출금",
            Self::FirstLargeTransfer => "신규 계좌 고액 입금",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detection {
    pub rule: FraudRule,
    pub event: TransferEvent,
}

impl FraudRules {
    /// Detections for the events in `[from, to)`. `history` holds the client's
    /// events from at least `burst_window` before `from` up to `to`, plus
    /// every earlier deposit into the accounts involved (for rule 2).
    pub fn detect(
        &self,
        history: &[TransferEvent],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Vec<Detection> {
        let mut out = Vec::new();
        for (i, ev) in history.iter().enumerate() {
            if ev.at < from || ev.at >= to {
                continue;
            }
            match ev.direction {
                TransferDirection::Withdrawal => {
                    let n = history
                        .iter()
                        .filter(|o| {
                            o.direction == TransferDirection::Withdrawal
                                && o.account_id == ev.account_id
                                && o.at <= ev.at
                                && ev.at - o.at < self.burst_window
                        })
                        .count();
                    if n >= self.burst_count {
                        out.push(Detection {
                            rule: FraudRule::WithdrawalBurst,
                            event: ev.clone(),
                        });
                    }
                }
                TransferDirection::Deposit => {
                    let earlier = history.iter().enumerate().any(|(j, o)| {
                        j != i
                            && o.direction == TransferDirection::Deposit
                            && o.account_id == ev.account_id
                            && (o.at < ev.at || (o.at == ev.at && j < i))
                    });
                    if !earlier && ev.amount_minor >= self.first_large_minor {
                        out.push(Detection {
                            rule: FraudRule::FirstLargeTransfer,
                            event: ev.clone(),
                        });
                    }
                }
            }
        }
        out
    }
}

#[async_trait]
pub trait TransferLog: Send + Sync {
    /// Apply `req` as `World::transfer` does and, when it applies (not a
    /// replay, not refused), record `ev` in the same durable commit.
    async fn transfer_logged(
        &self,
        req: crate::ledger::TransferRequest,
        ev: TransferEvent,
    ) -> CoreResult<crate::ledger::TransferOutcome>;
    /// The client's events in `[from, to)`, oldest first (bounded by `limit`).
    async fn transfers(
        &self,
        org_code: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: u32,
    ) -> CoreResult<Vec<TransferEvent>>;
    /// The client's deposits into the account before `before`, at most `limit`.
    async fn deposits_before(
        &self,
        org_code: &str,
        account_id: &str,
        before: DateTime<Utc>,
        limit: u32,
    ) -> CoreResult<Vec<TransferEvent>>;
    /// Sum of the client's transfers in one direction in `period`
    /// (`from..to`, end excluded), optionally for one account only.
    async fn total(
        &self,
        org_code: &str,
        direction: TransferDirection,
        account_id: Option<&str>,
        period: std::ops::Range<DateTime<Utc>>,
    ) -> CoreResult<i64>;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(acc: &str, dir: TransferDirection, amt: i64, min: i64) -> TransferEvent {
        TransferEvent {
            org_code: "o".into(),
            scope: "s".into(),
            key: format!("{acc}{min}{amt}"),
            account_id: acc.into(),
            direction: dir,
            amount_minor: amt,
            at: DateTime::<Utc>::from_timestamp(1_800_000_000 + min * 60, 0).unwrap(),
        }
    }

    #[test]
    fn bursts_and_first_large_deposits_are_flagged() {
        use TransferDirection::*;
        let r = FraudRules::default();
        let h = vec![
            ev("a", Withdrawal, 10, 0),
            ev("a", Withdrawal, 10, 1),
            ev("a", Withdrawal, 10, 2),
            ev("b", Withdrawal, 10, 2),
            ev("c", Deposit, 2_000_000, 3),
            ev("c", Deposit, 2_000_000, 4),
            ev("d", Deposit, 999_999, 4),
        ];
        let from = h[0].at;
        let to = from + Duration::minutes(10);
        let found = r.detect(&h, from, to);
        let rules: Vec<_> = found
            .iter()
            .map(|d| (d.rule, d.event.account_id.as_str()))
            .collect();
        assert_eq!(
            rules,
            vec![
                (FraudRule::WithdrawalBurst, "a"),
                (FraudRule::FirstLargeTransfer, "c")
            ]
        );
    }
}

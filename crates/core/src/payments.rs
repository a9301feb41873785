//! Payments: the rules that guard a money movement before the ledger, and
//! the idempotency contract over both. A face lists the rules its standard
//! checks, in its standard's order, with the transfer; `World::pay` judges
//! them once, here, and either records the first refusal under the request's
//! scope and key or hands the transfer to the ledger. Whatever a key's first
//! outcome was, applied or refused, is what every retry gets.

use crate::account::AccountStatus;
use crate::error::{CoreError, CoreResult};
use crate::fraud::TransferEvent;
use crate::institution::ServiceStatus;
use crate::ledger::{Rejection, TransferOutcome, TransferRequest};
use crate::world::World;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

/// A face's name for one of its own rules or limits (an index into its
/// catalogue). Core keeps it with a refusal and gives it back untouched, so
/// the face can answer with its own code without parsing one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RuleId(pub u16);

impl RuleId {
    const TAG: &'static str = "rule:";

    /// The tag a ledger `Limit` carries as its `code`, so a period limit's
    /// refusal names the rule too.
    pub fn tag(self) -> String {
        format!("{}{}", Self::TAG, self.0)
    }

    /// The rule a refusal names: an item limit, a face-decided rule, or a
    /// ledger limit tagged by `tag`.
    pub fn of(r: &Rejection) -> Option<RuleId> {
        match r {
            Rejection::ItemLimitExceeded { limit, .. } => Some(*limit),
            Rejection::Refused { rule } => Some(*rule),
            Rejection::LimitExceeded { code, .. } => code
                .strip_prefix(Self::TAG)
                .and_then(|n| n.parse().ok())
                .map(RuleId),
            _ => None,
        }
    }
}

/// One rule a movement must pass before it reaches the ledger. A face builds
/// these from what it looked up; `check` judges them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// The institution holding the account is not in an outage.
    InstitutionAvailable {
        org_code: String,
        status: ServiceStatus,
    },
    /// The account is not closed (a dormant one may still move).
    AccountOpen {
        account_id: String,
        status: AccountStatus,
    },
    /// The account is neither closed nor dormant.
    AccountActive {
        account_id: String,
        status: AccountStatus,
    },
    /// One movement's amount stays within a per-item maximum.
    ItemLimit {
        limit: RuleId,
        amount_minor: i64,
        max_minor: i64,
    },
    /// The name the caller gave matches the account holder's (surrounding
    /// spaces aside). No name given: nothing to check.
    HolderName {
        account_id: String,
        holder_name: String,
        given: Option<String>,
    },
    /// A rule only the face's standard knows (a pass phrase, a consent),
    /// judged by the face; core records its refusal like any other.
    Standard { rule: RuleId, passed: bool },
}

impl Rule {
    pub fn check(&self) -> Result<(), Rejection> {
        match self {
            Rule::InstitutionAvailable { org_code, status } if !status.is_available() => {
                Err(Rejection::InstitutionUnavailable {
                    org_code: org_code.clone(),
                })
            }
            Rule::AccountOpen { account_id, status } if *status == AccountStatus::Closed => {
                Err(unusable(account_id, *status))
            }
            Rule::AccountActive { account_id, status } if *status != AccountStatus::Active => {
                Err(unusable(account_id, *status))
            }
            Rule::ItemLimit {
                limit,
                amount_minor,
                max_minor,
            } if amount_minor > max_minor => Err(Rejection::ItemLimitExceeded {
                limit: *limit,
                max_minor: *max_minor,
            }),
            Rule::HolderName {
                account_id,
                holder_name,
                given: Some(given),
            } if given.trim() != holder_name => Err(Rejection::NameMismatch {
                account_id: account_id.clone(),
            }),
            Rule::Standard {
                rule,
                passed: false,
            } => Err(Rejection::Refused { rule: *rule }),
            _ => Ok(()),
        }
    }
}

fn unusable(account_id: &str, status: AccountStatus) -> Rejection {
    Rejection::AccountUnusable {
        account_id: account_id.to_owned(),
        status,
    }
}

/// The first rule that refuses, in the order given.
pub fn first_refusal(rules: &[Rule]) -> Option<Rejection> {
    rules.iter().find_map(|r| r.check().err())
}

/// A movement as a face asks for it: the transfer, the rules before the
/// ledger in the standard's order, and the fraud-log line to write in the
/// ledger's commit when it applies.
#[derive(Debug, Clone)]
pub struct Payment {
    pub transfer: TransferRequest,
    pub rules: Vec<Rule>,
    pub log: Option<TransferEvent>,
}

#[async_trait]
pub trait RefusalRepo: Send + Sync {
    /// Record `refusal` as its key's first outcome unless the key has one
    /// already (the unique key decides, also against the ledger writer), and
    /// return the key's first outcome: `refusal` itself, or the earlier one
    /// with `replayed = true`.
    async fn record_refusal(&self, refusal: &TransferOutcome) -> CoreResult<TransferOutcome>;
}

impl World {
    /// Judge `p.rules` in order, then move the money; every retry of a key
    /// gets the key's first outcome (`replayed = true`), applied or refused.
    /// A different request under a used key is `IdempotencyMismatch`.
    pub async fn pay(&self, p: Payment) -> CoreResult<TransferOutcome> {
        if let Some(r) = first_refusal(&p.rules) {
            return self.refuse(&p.transfer, r).await;
        }
        match p.log {
            Some(ev) => self.repo.transfer_logged(p.transfer, ev).await,
            None => self.repo.transfer(p.transfer).await,
        }
    }

    /// Record a refusal decided before the ledger as the request's outcome,
    /// unless its key already has one (which is then the answer).
    pub async fn refuse(&self, req: &TransferRequest, r: Rejection) -> CoreResult<TransferOutcome> {
        let refusal = TransferOutcome {
            scope: req.scope.clone(),
            key: req.key.clone(),
            fingerprint: req.fingerprint(),
            at: req.at,
            result: Err(r),
            meta: req.meta.clone(),
            replayed: false,
        };
        let first = self.repo.record_refusal(&refusal).await?;
        if first.replayed {
            return replay(first, &refusal.fingerprint);
        }
        Ok(first)
    }
}

fn replay(mut first: TransferOutcome, fingerprint: &str) -> CoreResult<TransferOutcome> {
    if first.fingerprint != fingerprint {
        return Err(CoreError::IdempotencyMismatch);
    }
    first.replayed = true;
    Ok(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ITEM: RuleId = RuleId(3);
    const PHRASE: RuleId = RuleId(7);

    fn rules(
        inst: ServiceStatus,
        acc: AccountStatus,
        amt: i64,
        name: &str,
        phrase: bool,
    ) -> Vec<Rule> {
        vec![
            Rule::Standard {
                rule: PHRASE,
                passed: phrase,
            },
            Rule::InstitutionAvailable {
                org_code: "BA00000004".into(),
                status: inst,
            },
            Rule::AccountOpen {
                account_id: "a".into(),
                status: acc,
            },
            Rule::HolderName {
                account_id: "a".into(),
                holder_name: "홍길동".into(),
                given: Some(name.into()),
            },
            Rule::ItemLimit {
                limit: ITEM,
                amount_minor: amt,
                max_minor: 1_000,
            },
        ]
    }

    use AccountStatus::{Active, Closed, Dormant};
    use ServiceStatus::Outage;
    const UP: ServiceStatus = ServiceStatus::Active;

    #[test]
    fn each_rule_refuses_with_its_own_rejection() {
        assert_eq!(
            first_refusal(&rules(UP, Active, 1_000, " 홍길동 ", true)),
            None
        );
        assert_eq!(
            first_refusal(&rules(UP, Active, 1_000, "홍길동", false)),
            Some(Rejection::Refused { rule: PHRASE })
        );
        assert_eq!(
            first_refusal(&rules(Outage, Active, 1_000, "홍길동", true)),
            Some(Rejection::InstitutionUnavailable {
                org_code: "BA00000004".into()
            })
        );
        for st in [ServiceStatus::NotStarted, ServiceStatus::Ended] {
            assert!(first_refusal(&rules(st, Active, 1, "홍길동", true)).is_some());
        }
        assert_eq!(
            first_refusal(&rules(UP, Closed, 1_000, "홍길동", true)),
            Some(Rejection::AccountUnusable {
                account_id: "a".into(),
                status: Closed
            })
        );
        assert_eq!(
            first_refusal(&rules(UP, Active, 1_000, "김엉뚱", true)),
            Some(Rejection::NameMismatch {
                account_id: "a".into()
            })
        );
        assert_eq!(
            first_refusal(&rules(UP, Active, 1_001, "홍길동", true)),
            Some(Rejection::ItemLimitExceeded {
                limit: ITEM,
                max_minor: 1_000
            })
        );
    }

    #[test]
    fn the_first_failing_rule_in_the_given_order_decides() {
        let all_bad = rules(Outage, Closed, 5_000, "김엉뚱", false);
        assert_eq!(
            first_refusal(&all_bad),
            Some(Rejection::Refused { rule: PHRASE })
        );
        assert!(matches!(
            first_refusal(&all_bad[1..]),
            Some(Rejection::InstitutionUnavailable { .. })
        ));
        assert!(matches!(
            first_refusal(&all_bad[2..]),
            Some(Rejection::AccountUnusable { .. })
        ));
        assert!(matches!(
            first_refusal(&all_bad[3..]),
            Some(Rejection::NameMismatch { .. })
        ));
        let mut reversed = all_bad.clone();
        reversed.reverse();
        assert!(matches!(
            first_refusal(&reversed),
            Some(Rejection::ItemLimitExceeded { .. })
        ));
    }

    #[test]
    fn dormant_accounts_are_open_but_not_active_and_no_name_is_no_check() {
        let open = Rule::AccountOpen {
            account_id: "a".into(),
            status: Dormant,
        };
        assert_eq!(open.check(), Ok(()));
        let active = Rule::AccountActive {
            account_id: "a".into(),
            status: Dormant,
        };
        assert!(matches!(
            active.check(),
            Err(Rejection::AccountUnusable {
                status: Dormant,
                ..
            })
        ));
        let nameless = Rule::HolderName {
            account_id: "a".into(),
            holder_name: "홍길동".into(),
            given: None,
        };
        assert_eq!(nameless.check(), Ok(()));
    }

    #[test]
    fn refusals_name_their_rule_and_survive_the_outcome_record() {
        let r = Rejection::LimitExceeded {
            code: RuleId(5).tag(),
            remaining_minor: 0,
        };
        assert_eq!(RuleId::of(&r), Some(RuleId(5)));
        let foreign = Rejection::LimitExceeded {
            code: "day".into(),
            remaining_minor: 0,
        };
        assert_eq!(RuleId::of(&foreign), None);
        assert!(!r.is_before_ledger());
        for r in [
            Rejection::Refused { rule: PHRASE },
            Rejection::ItemLimitExceeded {
                limit: ITEM,
                max_minor: 1,
            },
            Rejection::AccountUnusable {
                account_id: "a".into(),
                status: Closed,
            },
        ] {
            assert!(r.is_before_ledger());
            let json = serde_json::to_string(&r).unwrap();
            assert_eq!(serde_json::from_str::<Rejection>(&json).unwrap(), r);
        }
    }
}

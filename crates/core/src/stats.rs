//! Usage statistics a participant submits to the portal once a week: what an
//! operator or a provider reports about the calls of the week before. The
//! world keeps each submission as it came (the standard's own document),
//! one per submitter, kind, type and week, so a re-send replaces it.

use crate::error::CoreResult;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Who reports: an operator about its own calls, or a provider about the
/// calls it served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatsKind {
    Operator,
    Provider,
}

impl StatsKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Operator => "operator",
            Self::Provider => "provider",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Operator, Self::Provider]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatsSubmission {
    pub kind: StatsKind,
    /// The organisation the statistics are about.
    pub org_code: String,
    /// The client whose token submitted them.
    pub client_id: String,
    /// The standard's statistics type (periodic, user-initiated, ...).
    pub stat_type: u8,
    /// The day the reported week ends on.
    pub inquiry_date: NaiveDate,
    /// The submitted document, as validated.
    pub body: serde_json::Value,
    pub received_at: DateTime<Utc>,
}

#[async_trait]
pub trait StatsRepo: Send + Sync {
    /// Insert, or replace the submission of the same kind, organisation,
    /// type and week.
    async fn put_stats(&self, s: &StatsSubmission) -> CoreResult<()>;
    /// Every submission about an organisation, newest week first.
    async fn stats_of(&self, org_code: &str) -> CoreResult<Vec<StatsSubmission>>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_their_names() {
        for k in [StatsKind::Operator, StatsKind::Provider] {
            assert_eq!(StatsKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(StatsKind::parse("relay"), None);
    }
}

//! API usage: a call log per client organisation, API and day, and the fee
//! table that prices it. Faces name their APIs with their own codes.

use crate::error::CoreResult;
use async_trait::async_trait;
use chrono::NaiveDate;

/// Calls of one API by one client on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageCount {
    pub org_code: String,
    pub api_code: String,
    pub day: NaiveDate,
    pub count: i64,
}

/// Price per call of each API code, in minor units; unknown codes cost nothing.
#[derive(Debug, Clone)]
pub struct FeeTable {
    pub fees: Vec<(String, i64)>,
}

impl FeeTable {
    pub fn new(fees: &[(&str, i64)]) -> Self {
        FeeTable {
            fees: fees.iter().map(|(c, f)| ((*c).to_owned(), *f)).collect(),
        }
    }
    pub fn fee_per_call(&self, api_code: &str) -> i64 {
        self.fees
            .iter()
            .find(|(c, _)| c == api_code)
            .map(|(_, f)| *f)
            .unwrap_or(0)
    }
    /// The fee of a count line; saturates rather than overflows.
    pub fn fee(&self, line: &UsageCount) -> i64 {
        self.fee_per_call(&line.api_code).saturating_mul(line.count)
    }
}

/// Why a period query was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("from date is after to date")]
    Reversed,
    #[error("today cannot be queried")]
    IncludesToday,
    #[error("more than one year back")]
    TooOld,
    #[error("period longer than one month")]
    TooLong,
}

/// The rule for usage queries: past days only, at most a year back, and
/// (for ranges) at most one month per request.
pub fn check_period(
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
    max_one_month: bool,
) -> Result<(), PeriodError> {
    if from > to {
        return Err(PeriodError::Reversed);
    }
    if to >= today {
        return Err(PeriodError::IncludesToday);
    }
    let year_ago = today
        .checked_sub_months(chrono::Months::new(12))
        .unwrap_or(today);
    if from < year_ago {
        return Err(PeriodError::TooOld);
    }
    if max_one_month {
        let limit = from
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(from);
        if to >= limit {
            return Err(PeriodError::TooLong);
        }
    }
    Ok(())
}

#[async_trait]
pub trait UsageRepo: Send + Sync {
    /// Count one call (an upsert; concurrent calls all count).
    async fn record_call(&self, org_code: &str, api_code: &str, day: NaiveDate) -> CoreResult<()>;
    /// Counts per API and day in [from, to], ordered by day then API code.
    async fn usage(
        &self,
        org_code: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> CoreResult<Vec<UsageCount>>;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y%m%d").unwrap()
    }

    #[test]
    fn periods_are_past_recent_and_short() {
        let today = d("20261123");
        assert_eq!(
            check_period(d("20261101"), d("20261122"), today, true),
            Ok(())
        );
        assert_eq!(
            check_period(d("20261101"), d("20261123"), today, true),
            Err(PeriodError::IncludesToday)
        );
        assert_eq!(
            check_period(d("20251101"), d("20251110"), today, true),
            Err(PeriodError::TooOld)
        );
        assert_eq!(
            check_period(d("20261001"), d("20261101"), today, true),
            Err(PeriodError::TooLong)
        );
        assert_eq!(
            check_period(d("20261001"), d("20261031"), today, true),
            Ok(())
        );
        assert_eq!(
            check_period(d("20261110"), d("20261101"), today, true),
            Err(PeriodError::Reversed)
        );
    }

    #[test]
    fn fees_multiply_counts() {
        let t = FeeTable::new(&[("a", 10)]);
        let line = UsageCount {
            org_code: "o".into(),
            api_code: "a".into(),
            day: d("20261122"),
            count: 3,
        };
        assert_eq!(t.fee(&line), 30);
        assert_eq!(t.fee_per_call("b"), 0);
    }
}

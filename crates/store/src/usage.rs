//! The API call log and the transfer log behind fraud detection.

use crate::{map_err, on_db, Store};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use finhub_core::clock::{from_micros, to_micros};
use finhub_core::fraud::{TransferDirection, TransferEvent, TransferLog};
use finhub_core::usage::{UsageCount, UsageRepo};
use finhub_core::{CoreError, CoreResult};
use std::collections::HashMap;
use std::sync::Arc;

/// API calls counted but not yet written. Counting sits on every request's
/// path, so it stays in memory and is written as one upsert per key at each
/// flush (every second, and before any read of the log) rather than as a
/// durable commit per request, which serialized the KFTC face at one fsync per
/// call. A crash may lose up to a second of counts; the fee and count APIs
/// never report the current day, so no answer depends on them.
pub(crate) struct CallCounts {
    db: crate::Db,
    pending: std::sync::Mutex<HashMap<(String, String, String), i64>>,
    flush_lock: tokio::sync::Mutex<()>,
}

impl CallCounts {
    pub(crate) fn new(db: crate::Db) -> Arc<CallCounts> {
        let counts = Arc::new(CallCounts {
            db,
            pending: Default::default(),
            flush_lock: Default::default(),
        });
        let weak = Arc::downgrade(&counts);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                // Stop once every Store handle is gone.
                let Some(counts) = weak.upgrade() else { return };
                let flushed = counts.flush().await.map(drop);
                if let Err(e) = flushed {
                    tracing::warn!(error = %e, "api usage flush failed; counts kept for the next one");
                }
            }
        });
        counts
    }

    fn count(&self, org_code: &str, api_code: &str, day: NaiveDate) {
        let mut pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        *pending
            .entry((org_code.to_owned(), api_code.to_owned(), day_str(day)))
            .or_insert(0) += 1;
    }

    /// Write what is pending; the returned guard keeps other flushes out.
    async fn flush(&self) -> CoreResult<tokio::sync::MutexGuard<'_, ()>> {
        let guard = self.flush_lock.lock().await;
        let taken = std::mem::take(&mut *self.pending.lock().unwrap_or_else(|p| p.into_inner()));
        let mut left = taken.into_iter();
        while let Some(((org, api, day), n)) = left.next() {
            let r = on_db!(&self.db, p => sqlx::query(
                "INSERT INTO api_usage (org_code, api_code, day, calls) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (org_code, day, api_code) DO UPDATE SET calls = api_usage.calls + excluded.calls")
                .bind(&org).bind(&api).bind(&day).bind(n).execute(p).await.map(|_| ()));
            if let Err(e) = r {
                // Put back what was not written, so nothing is lost or counted twice.
                let mut pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
                for (k, v) in std::iter::once(((org, api, day), n)).chain(left) {
                    *pending.entry(k).or_insert(0) += v;
                }
                return Err(map_err(e));
            }
        }
        Ok(guard)
    }
}

fn day_str(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

#[async_trait]
impl UsageRepo for Store {
    async fn record_call(&self, org_code: &str, api_code: &str, day: NaiveDate) -> CoreResult<()> {
        self.usage.count(org_code, api_code, day);
        Ok(())
    }

    async fn usage(
        &self,
        org_code: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> CoreResult<Vec<UsageCount>> {
        // Hold the flush lock while reading, so counts another flush has
        // taken but not yet committed cannot be missed.
        let _flushing = self.usage.flush().await?;
        let rows: Vec<(String, String, i64)> = on_db!(&self.db, p => sqlx::query_as(
            "SELECT api_code, day, calls FROM api_usage WHERE org_code = $1 AND day >= $2 AND day <= $3 \
             ORDER BY day, api_code")
            .bind(org_code).bind(day_str(from)).bind(day_str(to)).fetch_all(p).await)
        .map_err(map_err)?;
        rows.into_iter()
            .map(|(api_code, day, count)| {
                Ok(UsageCount {
                    org_code: org_code.to_owned(),
                    day: NaiveDate::parse_from_str(&day, "%Y%m%d")
                        .map_err(|_| CoreError::Internal(format!("stored day {day:?}")))?,
                    api_code,
                    count,
                })
            })
            .collect()
    }
}

type EventRow = (String, String, String, String, String, i64, i64);
/// The transfer log's columns, in the order every read and the writer's insert bind them.
pub(crate) const EVENT_COLS: &str =
    "org_code, scope, idem_key, account_id, direction, amount_minor, at";

fn to_event(r: EventRow) -> CoreResult<TransferEvent> {
    Ok(TransferEvent {
        direction: TransferDirection::parse(&r.4)
            .ok_or_else(|| CoreError::Internal(format!("stored direction {:?}", r.4)))?,
        org_code: r.0,
        scope: r.1,
        key: r.2,
        account_id: r.3,
        amount_minor: r.5,
        at: from_micros(r.6),
    })
}

#[async_trait]
impl TransferLog for Store {
    async fn transfer_logged(
        &self,
        req: finhub_core::ledger::TransferRequest,
        ev: TransferEvent,
    ) -> CoreResult<finhub_core::ledger::TransferOutcome> {
        self.transfer_with_log(req, Some(ev)).await
    }

    async fn transfers(
        &self,
        org_code: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: u32,
    ) -> CoreResult<Vec<TransferEvent>> {
        let rows: Vec<EventRow> = on_db!(&self.db, p => sqlx::query_as(&format!(
            "SELECT {EVENT_COLS} FROM transfer_log WHERE org_code = $1 AND at >= $2 AND at < $3 \
             ORDER BY at, idem_key LIMIT $4"))
            .bind(org_code).bind(to_micros(from)).bind(to_micros(to)).bind(limit as i64)
            .fetch_all(p).await)
        .map_err(map_err)?;
        rows.into_iter().map(to_event).collect()
    }

    async fn deposits_before(
        &self,
        org_code: &str,
        account_id: &str,
        before: DateTime<Utc>,
        limit: u32,
    ) -> CoreResult<Vec<TransferEvent>> {
        let rows: Vec<EventRow> = on_db!(&self.db, p => sqlx::query_as(&format!(
            "SELECT {EVENT_COLS} FROM transfer_log WHERE org_code = $1 AND account_id = $2 \
             AND direction = 'deposit' AND at < $3 ORDER BY at LIMIT $4"))
            .bind(org_code).bind(account_id).bind(to_micros(before)).bind(limit as i64)
            .fetch_all(p).await)
        .map_err(map_err)?;
        rows.into_iter().map(to_event).collect()
    }

    async fn total(
        &self,
        org_code: &str,
        direction: TransferDirection,
        account_id: Option<&str>,
        period: std::ops::Range<DateTime<Utc>>,
    ) -> CoreResult<i64> {
        let (from, to) = (period.start, period.end);
        let sum: Option<i64> = on_db!(&self.db, p => sqlx::query_scalar(
            "SELECT CAST(SUM(amount_minor) AS BIGINT) FROM transfer_log WHERE org_code = $1 \
             AND direction = $2 AND ($3 IS NULL OR account_id = $3) AND at >= $4 AND at < $5")
            .bind(org_code).bind(direction.as_str()).bind(account_id)
            .bind(to_micros(from)).bind(to_micros(to)).fetch_one(p).await)
        .map_err(map_err)?;
        Ok(sum.unwrap_or(0))
    }
}

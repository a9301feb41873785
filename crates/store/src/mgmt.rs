//! Statistics submitted to the support APIs: finhub_core::stats.

use crate::{map_err, on_db, Store};
use async_trait::async_trait;
use chrono::NaiveDate;
use finhub_core::clock::from_micros;
use finhub_core::stats::{StatsKind, StatsRepo, StatsSubmission};
use finhub_core::{CoreError, CoreResult};

const COLS: &str = "kind, org_code, stat_type, inquiry_date, client_id, body, received_at";

#[derive(sqlx::FromRow)]
struct StatsRow {
    kind: String,
    org_code: String,
    stat_type: i64,
    inquiry_date: String,
    client_id: String,
    body: String,
    received_at: i64,
}

fn bad(what: &str) -> CoreError {
    CoreError::Internal(format!("stored statistics have a bad {what}"))
}

impl StatsRow {
    fn into_submission(self) -> CoreResult<StatsSubmission> {
        Ok(StatsSubmission {
            kind: StatsKind::parse(&self.kind).ok_or_else(|| bad("kind"))?,
            stat_type: u8::try_from(self.stat_type).map_err(|_| bad("type"))?,
            inquiry_date: NaiveDate::parse_from_str(&self.inquiry_date, "%Y-%m-%d")
                .map_err(|_| bad("date"))?,
            body: serde_json::from_str(&self.body).map_err(|_| bad("body"))?,
            org_code: self.org_code,
            client_id: self.client_id,
            received_at: from_micros(self.received_at),
        })
    }
}

#[async_trait]
impl StatsRepo for Store {
    async fn put_stats(&self, s: &StatsSubmission) -> CoreResult<()> {
        // The week's unique key decides a re-send, not a read before the write.
        let sql = format!(
            "INSERT INTO mydata_statistics ({COLS}) VALUES ({}) \
             ON CONFLICT (kind, org_code, stat_type, inquiry_date) DO UPDATE SET \
             client_id = excluded.client_id, body = excluded.body, received_at = excluded.received_at",
            crate::sql::placeholders(1, 7)
        );
        let body =
            serde_json::to_string(&s.body).map_err(|e| CoreError::Internal(e.to_string()))?;
        on_db!(&self.db, p => sqlx::query(&sql)
            .bind(s.kind.as_str()).bind(&s.org_code).bind(i64::from(s.stat_type))
            .bind(s.inquiry_date.format("%Y-%m-%d").to_string()).bind(&s.client_id)
            .bind(&body).bind(s.received_at.timestamp_micros())
            .execute(p).await.map(|_| ()).map_err(map_err))
    }

    async fn stats_of(&self, org_code: &str) -> CoreResult<Vec<StatsSubmission>> {
        let sql = format!(
            "SELECT {COLS} FROM mydata_statistics WHERE org_code = $1 \
             ORDER BY inquiry_date DESC, kind, stat_type"
        );
        let rows = on_db!(&self.db, p => sqlx::query_as::<_, StatsRow>(&sql)
            .bind(org_code).fetch_all(p).await)
        .map_err(map_err)?;
        rows.into_iter().map(StatsRow::into_submission).collect()
    }
}

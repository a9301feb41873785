//! Correlation ids and their first answers.

use crate::sql::Arg;
use crate::{map_err, Store};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use finhub_core::clock::{from_micros, to_micros};
use finhub_core::konaplate::exchange::{Answer, ExchangeRepo, Held};
use finhub_core::CoreResult;

#[derive(sqlx::FromRow)]
struct ExchangeRow {
    path: String,
    started_at: i64,
    status: Option<i64>,
    answer: Option<String>,
}

#[async_trait]
impl ExchangeRepo for Store {
    async fn claim_exchange(
        &self,
        project_id: &str,
        id: &str,
        path: &str,
        now: DateTime<Utc>,
    ) -> CoreResult<bool> {
        let sql = "INSERT INTO kona_exchanges (project_id, correlation_id, path, started_at) \
                   VALUES ($1, $2, $3, $4) ON CONFLICT (project_id, correlation_id) DO NOTHING";
        let args = [
            Arg::Text(project_id),
            Arg::Text(id),
            Arg::Text(path),
            Arg::Int(to_micros(now)),
        ];
        Ok(self.db.execute(sql, &args).await.map_err(map_err)? == 1)
    }

    async fn exchange(&self, project_id: &str, id: &str) -> CoreResult<Held> {
        let sql = "SELECT path, started_at, status, answer FROM kona_exchanges \
                   WHERE project_id = $1 AND correlation_id = $2";
        let row: Option<ExchangeRow> = (self.db)
            .fetch_optional(sql, &[Arg::Text(project_id), Arg::Text(id)])
            .await
            .map_err(map_err)?;
        Ok(match row {
            None => Held::None,
            Some(ExchangeRow {
                path,
                status: Some(status),
                answer: Some(body),
                ..
            }) => Held::Done {
                path,
                answer: Answer {
                    status: u16::try_from(status).unwrap_or(500),
                    body,
                },
            },
            Some(r) => Held::Running {
                path: r.path,
                since: from_micros(r.started_at),
            },
        })
    }

    async fn retake_exchange(
        &self,
        project_id: &str,
        id: &str,
        stale: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> CoreResult<bool> {
        let sql = "UPDATE kona_exchanges SET started_at = $4 WHERE project_id = $1 \
                   AND correlation_id = $2 AND answer IS NULL AND started_at < $3";
        let args = [
            Arg::Text(project_id),
            Arg::Text(id),
            Arg::Int(to_micros(stale)),
            Arg::Int(to_micros(now)),
        ];
        Ok(self.db.execute(sql, &args).await.map_err(map_err)? == 1)
    }

    async fn finish_exchange(&self, project_id: &str, id: &str, a: &Answer) -> CoreResult<()> {
        let sql = "UPDATE kona_exchanges SET status = $3, answer = $4 \
                   WHERE project_id = $1 AND correlation_id = $2";
        let args = [
            Arg::Text(project_id),
            Arg::Text(id),
            Arg::Int(i64::from(a.status)),
            Arg::Text(&a.body),
        ];
        self.db.execute(sql, &args).await.map_err(map_err).map(drop)
    }

    async fn drop_exchange(&self, project_id: &str, id: &str) -> CoreResult<()> {
        let sql = "DELETE FROM kona_exchanges WHERE project_id = $1 AND correlation_id = $2 \
                   AND answer IS NULL";
        (self
            .db
            .execute(sql, &[Arg::Text(project_id), Arg::Text(id)])
            .await)
            .map_err(map_err)
            .map(drop)
    }
}

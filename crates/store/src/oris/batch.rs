//! Batches, chunks, their rows and refused rows: finhub_core::oris::batch.

use super::{bad, flag};
use crate::sql::{Arg, BindRow, Tx};
use crate::{map_err, on_db, Store};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use finhub_core::clock::{from_micros, to_micros};
use finhub_core::oris::batch::{
    Batch, BatchFilter, BatchRepo, BatchRow, BatchStatus, BatchType, Chunk, ChunkKind,
    ChunkOutcome, ChunkStatus, ChunkStored, Progress, RowAction, RowError, Source, SourceType,
};
use finhub_core::CoreResult;

const BATCH_COLS: &str = "batch_id, agency_id, name, batch_type, expected_rows, source_type, \
     file_name, file_size, notes, status, created_by_id, created_by_name, created_at, \
     completed_at, rows_received, rows_validated, rows_merged, rows_failed";

#[derive(sqlx::FromRow)]
struct BatchDbRow {
    batch_id: String,
    agency_id: String,
    name: String,
    batch_type: String,
    expected_rows: i64,
    source_type: String,
    file_name: Option<String>,
    file_size: Option<i64>,
    notes: Option<String>,
    status: String,
    created_by_id: String,
    created_by_name: String,
    created_at: i64,
    completed_at: Option<i64>,
    rows_received: i64,
    rows_validated: i64,
    rows_merged: i64,
    rows_failed: i64,
}

impl BatchDbRow {
    fn into_batch(self) -> CoreResult<Batch> {
        Ok(Batch {
            batch_type: BatchType::parse(&self.batch_type).ok_or_else(|| bad("batch type"))?,
            status: BatchStatus::parse(&self.status).ok_or_else(|| bad("batch status"))?,
            source: Source {
                kind: SourceType::parse(&self.source_type).ok_or_else(|| bad("source type"))?,
                file_name: self.file_name,
                file_size: self.file_size,
            },
            batch_id: self.batch_id,
            agency_id: self.agency_id,
            name: self.name,
            expected_rows: self.expected_rows,
            notes: self.notes,
            created_by_id: self.created_by_id,
            created_by_name: self.created_by_name,
            created_at: from_micros(self.created_at),
            completed_at: self.completed_at.map(from_micros),
            progress: Progress {
                received: self.rows_received,
                validated: self.rows_validated,
                merged: self.rows_merged,
                errors: self.rows_failed,
            },
        })
    }
}

const CHUNK_COLS: &str = "batch_id, seq, upload_type, status, rows_declared, rows_received, \
     file_name, file_size, sha256, idempotency_key, created_at, merged_at";

#[derive(sqlx::FromRow)]
struct ChunkDbRow {
    batch_id: String,
    seq: i64,
    upload_type: String,
    status: String,
    rows_declared: i64,
    rows_received: i64,
    file_name: String,
    file_size: i64,
    sha256: String,
    idempotency_key: Option<String>,
    created_at: i64,
    merged_at: Option<i64>,
}

fn count(v: i64, what: &str) -> CoreResult<u32> {
    u32::try_from(v).map_err(|_| bad(what))
}

impl ChunkDbRow {
    fn into_chunk(self) -> CoreResult<Chunk> {
        Ok(Chunk {
            kind: ChunkKind::parse(&self.upload_type).ok_or_else(|| bad("upload type"))?,
            status: ChunkStatus::parse(&self.status).ok_or_else(|| bad("chunk status"))?,
            seq: count(self.seq, "seq")?,
            rows_declared: count(self.rows_declared, "row count")?,
            rows_received: count(self.rows_received, "row count")?,
            batch_id: self.batch_id,
            file_name: self.file_name,
            file_size: self.file_size,
            sha256: self.sha256,
            idempotency_key: self.idempotency_key,
            created_at: from_micros(self.created_at),
            merged_at: self.merged_at.map(from_micros),
        })
    }
}

const ROW_COLS: &str = "batch_id, seq, row_index, action, bmi, user_id, request_date, \
     usd_cents, currency, amount, evidence, receiver_country, return_date, reason, problem";

/// A chunk's row on its way in.
struct RowIn<'a> {
    batch_id: &'a str,
    seq: i64,
    r: &'a BatchRow,
}

impl BindRow for RowIn<'_> {
    const COLS: &'static str = ROW_COLS;
    fn args<'a>(&'a self, out: &mut Vec<Arg<'a>>) {
        let r = self.r;
        out.extend([
            Arg::Text(self.batch_id),
            Arg::Int(self.seq),
            Arg::Int(i64::from(r.index)),
            Arg::OptText(r.action.map(RowAction::as_str)),
            Arg::Text(&r.bmi),
            Arg::OptText(r.user_id.as_deref()),
            Arg::OptInt(r.request_date.map(to_micros)),
            Arg::OptInt(r.usd_cents),
            Arg::OptText(r.currency.as_deref()),
            Arg::OptText(r.amount.as_deref()),
            Arg::OptInt(r.evidence_submitted.map(flag)),
            Arg::OptText(r.receiver_country.as_deref()),
            Arg::OptInt(r.return_date.map(to_micros)),
            Arg::OptText(r.reason.as_deref()),
            Arg::OptText(r.problem.as_deref()),
        ]);
    }
}

#[derive(sqlx::FromRow)]
struct RowDbRow {
    row_index: i64,
    action: Option<String>,
    bmi: String,
    user_id: Option<String>,
    request_date: Option<i64>,
    usd_cents: Option<i64>,
    currency: Option<String>,
    amount: Option<String>,
    evidence: Option<i64>,
    receiver_country: Option<String>,
    return_date: Option<i64>,
    reason: Option<String>,
    problem: Option<String>,
}

impl RowDbRow {
    fn into_row(self) -> CoreResult<BatchRow> {
        let action = match self.action {
            Some(a) => Some(RowAction::parse(&a).ok_or_else(|| bad("row action"))?),
            None => None,
        };
        Ok(BatchRow {
            index: count(self.row_index, "row index")?,
            action,
            bmi: self.bmi,
            user_id: self.user_id,
            request_date: self.request_date.map(from_micros),
            usd_cents: self.usd_cents,
            currency: self.currency,
            amount: self.amount,
            evidence_submitted: self.evidence.map(|e| e != 0),
            receiver_country: self.receiver_country,
            return_date: self.return_date.map(from_micros),
            reason: self.reason,
            problem: self.problem,
        })
    }
}

const ERROR_COLS: &str = "batch_id, seq, row_index, bmi, code, message";

struct ErrorIn<'a> {
    batch_id: &'a str,
    e: &'a RowError,
}

impl BindRow for ErrorIn<'_> {
    const COLS: &'static str = ERROR_COLS;
    fn args<'a>(&'a self, out: &mut Vec<Arg<'a>>) {
        out.extend([
            Arg::Text(self.batch_id),
            Arg::Int(i64::from(self.e.seq)),
            Arg::Int(i64::from(self.e.row_index)),
            Arg::Text(&self.e.bmi),
            Arg::Text(&self.e.code),
            Arg::Text(&self.e.message),
        ]);
    }
}

#[derive(sqlx::FromRow)]
struct ErrorDbRow {
    seq: i64,
    row_index: i64,
    bmi: String,
    code: String,
    message: String,
}

/// The one-column answer of an `UPDATE … RETURNING` (a BIGINT column:
/// PostgreSQL would type a literal as int4).
type Touched = (i64,);

fn st(s: BatchStatus) -> &'static str {
    s.as_str()
}

#[async_trait]
impl BatchRepo for Store {
    async fn insert_batch(&self, b: &Batch) -> CoreResult<()> {
        let sql = format!(
            "INSERT INTO oris_batches ({BATCH_COLS}) VALUES ({})",
            crate::sql::placeholders(1, 18)
        );
        let p = &b.progress;
        on_db!(&self.db, db => sqlx::query(&sql)
            .bind(&b.batch_id).bind(&b.agency_id).bind(&b.name).bind(b.batch_type.as_str())
            .bind(b.expected_rows).bind(b.source.kind.as_str()).bind(&b.source.file_name)
            .bind(b.source.file_size).bind(&b.notes).bind(st(b.status)).bind(&b.created_by_id)
            .bind(&b.created_by_name).bind(to_micros(b.created_at))
            .bind(b.completed_at.map(to_micros)).bind(p.received).bind(p.validated)
            .bind(p.merged).bind(p.errors)
            .execute(db).await.map(|_| ()).map_err(map_err))
    }

    async fn batch(&self, batch_id: &str) -> CoreResult<Option<Batch>> {
        let sql = format!("SELECT {BATCH_COLS} FROM oris_batches WHERE batch_id = $1");
        let row = on_db!(&self.db, p => sqlx::query_as::<_, BatchDbRow>(&sql)
            .bind(batch_id).fetch_optional(p).await)
        .map_err(map_err)?;
        row.map(BatchDbRow::into_batch).transpose()
    }

    async fn batches(&self, agency_id: &str, f: &BatchFilter) -> CoreResult<(Vec<Batch>, u64)> {
        // The status is bound as NULL for "any".
        let status = f.status.map(st);
        let dir = if f.descending { "DESC" } else { "ASC" };
        let filter = "agency_id = $1 AND ($2 IS NULL OR status = $2)";
        let sql = format!(
            "SELECT {BATCH_COLS} FROM oris_batches WHERE {filter} \
             ORDER BY created_at {dir}, batch_id {dir} LIMIT $3 OFFSET $4"
        );
        let count_sql = format!("SELECT COUNT(*) FROM oris_batches WHERE {filter}");
        let offset = i64::try_from(f.offset).unwrap_or(i64::MAX);
        let (rows, total) = on_db!(&self.db, p => {
            let rows = sqlx::query_as::<_, BatchDbRow>(&sql)
                .bind(agency_id).bind(status).bind(i64::from(f.limit)).bind(offset)
                .fetch_all(p).await;
            let total = sqlx::query_scalar::<_, i64>(&count_sql)
                .bind(agency_id).bind(status).fetch_one(p).await;
            (rows, total)
        });
        let rows = rows.map_err(map_err)?;
        let total = total.map_err(map_err)?;
        let batches = rows
            .into_iter()
            .map(BatchDbRow::into_batch)
            .collect::<CoreResult<Vec<_>>>()?;
        Ok((batches, u64::try_from(total).unwrap_or(0)))
    }

    async fn insert_chunk(&self, c: &Chunk, rows: &[BatchRow]) -> CoreResult<ChunkStored> {
        let mut tx = Tx::begin(&self.db).await.map_err(map_err)?;
        // The batch first: its row is the lock an upload and B3 meet on.
        let open = tx
            .fetch_optional::<Touched>(
                "UPDATE oris_batches SET status = 'UPLOADING', \
                 rows_received = rows_received + $1 \
                 WHERE batch_id = $2 AND status IN ('CREATED', 'UPLOADING') RETURNING expected_rows",
                &[Arg::Int(i64::from(c.rows_received)), Arg::Text(&c.batch_id)],
            )
            .await
            .map_err(map_err)?;
        if open.is_none() {
            return Ok(ChunkStored::Closed);
        }
        let sql = format!(
            "INSERT INTO oris_batch_chunks ({CHUNK_COLS}) VALUES ({}) \
             ON CONFLICT (batch_id, seq) DO NOTHING RETURNING seq",
            crate::sql::placeholders(1, 12)
        );
        let (status, kind) = (c.status.as_str(), c.kind.as_str());
        let args = [
            Arg::Text(&c.batch_id),
            Arg::Int(i64::from(c.seq)),
            Arg::Text(kind),
            Arg::Text(status),
            Arg::Int(i64::from(c.rows_declared)),
            Arg::Int(i64::from(c.rows_received)),
            Arg::Text(&c.file_name),
            Arg::Int(c.file_size),
            Arg::Text(&c.sha256),
            Arg::OptText(c.idempotency_key.as_deref()),
            Arg::Int(to_micros(c.created_at)),
            Arg::OptInt(c.merged_at.map(to_micros)),
        ];
        let stored = tx
            .fetch_optional::<Touched>(&sql, &args)
            .await
            .map_err(map_err)?;
        if stored.is_none() {
            return Ok(ChunkStored::Taken);
        }
        let ins: Vec<RowIn> = rows
            .iter()
            .map(|r| RowIn {
                batch_id: &c.batch_id,
                seq: i64::from(c.seq),
                r,
            })
            .collect();
        tx.insert("oris_batch_rows", &ins, "")
            .await
            .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        Ok(ChunkStored::Stored)
    }

    async fn chunk(&self, batch_id: &str, seq: u32) -> CoreResult<Option<Chunk>> {
        let sql =
            format!("SELECT {CHUNK_COLS} FROM oris_batch_chunks WHERE batch_id = $1 AND seq = $2");
        let row = on_db!(&self.db, p => sqlx::query_as::<_, ChunkDbRow>(&sql)
            .bind(batch_id).bind(i64::from(seq)).fetch_optional(p).await)
        .map_err(map_err)?;
        row.map(ChunkDbRow::into_chunk).transpose()
    }

    async fn chunks(&self, batch_id: &str) -> CoreResult<Vec<Chunk>> {
        let sql =
            format!("SELECT {CHUNK_COLS} FROM oris_batch_chunks WHERE batch_id = $1 ORDER BY seq");
        let rows = on_db!(&self.db, p => sqlx::query_as::<_, ChunkDbRow>(&sql)
            .bind(batch_id).fetch_all(p).await)
        .map_err(map_err)?;
        rows.into_iter().map(ChunkDbRow::into_chunk).collect()
    }

    async fn chunk_rows(&self, batch_id: &str, seq: u32) -> CoreResult<Vec<BatchRow>> {
        let sql = "SELECT row_index, action, bmi, user_id, request_date, usd_cents, currency, \
             amount, evidence, receiver_country, return_date, reason, problem \
             FROM oris_batch_rows WHERE batch_id = $1 AND seq = $2 ORDER BY row_index";
        let rows = on_db!(&self.db, p => sqlx::query_as::<_, RowDbRow>(sql)
            .bind(batch_id).bind(i64::from(seq)).fetch_all(p).await)
        .map_err(map_err)?;
        rows.into_iter().map(RowDbRow::into_row).collect()
    }

    async fn close_batch(&self, batch_id: &str, chunks: u32, rows: i64) -> CoreResult<bool> {
        let sql = "UPDATE oris_batches SET status = 'PROCESSING' \
             WHERE batch_id = $1 AND status IN ('CREATED', 'UPLOADING') AND rows_received = $2 \
             AND (SELECT COUNT(*) FROM oris_batch_chunks c WHERE c.batch_id = $1) = $3";
        let n = on_db!(&self.db, p => sqlx::query(sql)
            .bind(batch_id).bind(rows).bind(i64::from(chunks))
            .execute(p).await.map(|r| r.rows_affected()))
        .map_err(map_err)?;
        Ok(n == 1)
    }

    async fn claim_batch(
        &self,
        batch_id: &str,
        owner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> CoreResult<bool> {
        let sql = "UPDATE oris_batches SET lease_owner = $2, lease_until = $4 \
             WHERE batch_id = $1 AND status = 'PROCESSING' \
             AND (lease_owner IS NULL OR lease_owner = $2 OR lease_until < $3)";
        let n = on_db!(&self.db, p => sqlx::query(sql)
            .bind(batch_id).bind(owner).bind(to_micros(now)).bind(to_micros(until))
            .execute(p).await.map(|r| r.rows_affected()))
        .map_err(map_err)?;
        Ok(n == 1)
    }

    async fn set_chunk_status(&self, batch_id: &str, seq: u32, s: ChunkStatus) -> CoreResult<()> {
        let sql = "UPDATE oris_batch_chunks SET status = $3 WHERE batch_id = $1 AND seq = $2";
        on_db!(&self.db, p => sqlx::query(sql)
            .bind(batch_id).bind(i64::from(seq)).bind(s.as_str())
            .execute(p).await.map(|_| ()).map_err(map_err))
    }

    async fn finish_chunk(&self, batch_id: &str, o: &ChunkOutcome) -> CoreResult<()> {
        let mut tx = Tx::begin(&self.db).await.map_err(map_err)?;
        let marked = tx
            .fetch_optional::<Touched>(
                "UPDATE oris_batch_chunks SET status = 'COMPLETED', merged_at = $3 \
                 WHERE batch_id = $1 AND seq = $2 AND status <> 'COMPLETED' RETURNING seq",
                &[
                    Arg::Text(batch_id),
                    Arg::Int(i64::from(o.seq)),
                    Arg::Int(to_micros(o.at)),
                ],
            )
            .await
            .map_err(map_err)?;
        if marked.is_none() {
            return Ok(());
        }
        let errs: Vec<ErrorIn> = o.errors.iter().map(|e| ErrorIn { batch_id, e }).collect();
        tx.insert("oris_batch_errors", &errs, " ON CONFLICT DO NOTHING")
            .await
            .map_err(map_err)?;
        let failed = o.errors.len() as i64;
        tx.execute(
            "UPDATE oris_batches SET rows_validated = rows_validated + $2, \
             rows_merged = rows_merged + $3, rows_failed = rows_failed + $4 WHERE batch_id = $1",
            &[
                Arg::Text(batch_id),
                Arg::Int(o.merged + failed),
                Arg::Int(o.merged),
                Arg::Int(failed),
            ],
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn finish_batch(
        &self,
        batch_id: &str,
        s: BatchStatus,
        at: DateTime<Utc>,
    ) -> CoreResult<()> {
        let sql = "UPDATE oris_batches SET status = $2, completed_at = $3, lease_owner = NULL, \
             lease_until = NULL WHERE batch_id = $1 AND status = 'PROCESSING'";
        on_db!(&self.db, p => sqlx::query(sql)
            .bind(batch_id).bind(st(s)).bind(to_micros(at))
            .execute(p).await.map(|_| ()).map_err(map_err))
    }

    async fn batch_errors(
        &self,
        batch_id: &str,
        offset: u64,
        limit: u32,
    ) -> CoreResult<(Vec<RowError>, u64)> {
        let sql = "SELECT seq, row_index, bmi, code, message FROM oris_batch_errors \
             WHERE batch_id = $1 ORDER BY seq, row_index LIMIT $2 OFFSET $3";
        let count_sql = "SELECT COUNT(*) FROM oris_batch_errors WHERE batch_id = $1";
        let offset = i64::try_from(offset).unwrap_or(i64::MAX);
        let (rows, total) = on_db!(&self.db, p => {
            let rows = sqlx::query_as::<_, ErrorDbRow>(sql)
                .bind(batch_id).bind(i64::from(limit)).bind(offset).fetch_all(p).await;
            let total = sqlx::query_scalar::<_, i64>(count_sql)
                .bind(batch_id).fetch_one(p).await;
            (rows, total)
        });
        let errors = rows
            .map_err(map_err)?
            .into_iter()
            .map(|e| {
                Ok(RowError {
                    seq: count(e.seq, "seq")?,
                    row_index: count(e.row_index, "row index")?,
                    bmi: e.bmi,
                    code: e.code,
                    message: e.message,
                })
            })
            .collect::<CoreResult<Vec<_>>>()?;
        Ok((errors, u64::try_from(total.map_err(map_err)?).unwrap_or(0)))
    }

    async fn processing_batches(&self) -> CoreResult<Vec<String>> {
        let sql =
            "SELECT batch_id FROM oris_batches WHERE status = 'PROCESSING' ORDER BY created_at";
        on_db!(&self.db, p => sqlx::query_scalar::<_, String>(sql).fetch_all(p).await)
            .map_err(map_err)
    }
}

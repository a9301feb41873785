//! Bulk reporting: a batch of chunks (JSON or CSV rows), each row applied as
//! a single report is. The face decodes a chunk into rows; the registry
//! checks the chunk (hash, seq, counts, the batch's state), keeps it, and
//! once the batch is completed applies its rows in the background, chunk by
//! chunk, each chunk's outcome recorded so a restart resumes where it was.

mod job;

pub use job::RenderRefusal;

use super::registry::Principal;
use super::staff::Subject;
use super::{OrisResult, Refusal, Registry};
use crate::CoreResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// The published limits (B1's `limits`).
pub const MAX_CHUNK_ROWS: u32 = 5_000;
pub const MAX_CHUNK_BYTES: u64 = 16_777_216;
pub const MAX_CHUNKS: u32 = 1_000;
pub const MAX_EXPECTED_ROWS: u64 = 1_000_000;

macro_rules! words {
    ($name:ident { $($v:ident = $w:literal),+ $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($v),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$v => $w),+ }
            }

            /// Case-insensitive, as the list's `status` filter is matched.
            pub fn parse(s: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|x| x.as_str().eq_ignore_ascii_case(s.trim()))
            }
        }
    };
}

words!(BatchStatus {
    Created = "CREATED",
    Uploading = "UPLOADING",
    Processing = "PROCESSING",
    Completed = "COMPLETED",
    CompletedWithErrors = "COMPLETED_WITH_ERRORS",
    Failed = "FAILED",
});

words!(BatchType {
    Remittance = "REMITTANCE"
});

words!(SourceType {
    Api = "api",
    File = "file"
});

words!(ChunkKind {
    Json = "JSON",
    Csv = "CSV"
});

words!(ChunkStatus {
    Queued = "QUEUED",
    Validating = "VALIDATING",
    Completed = "COMPLETED",
    Failed = "FAILED",
});

words!(RowAction {
    New = "NEW",
    Correct = "CORRECT",
    Return = "RETURN",
});

impl BatchStatus {
    /// Chunks may still arrive.
    pub fn open(self) -> bool {
        matches!(self, BatchStatus::Created | BatchStatus::Uploading)
    }
}

/// Where the rows came from (B1's `source`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub kind: SourceType,
    pub file_name: Option<String>,
    pub file_size: Option<i64>,
}

/// How far the batch is: rows uploaded, checked, applied, refused.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub received: i64,
    pub validated: i64,
    pub merged: i64,
    pub errors: i64,
}

#[derive(Debug, Clone)]
pub struct Batch {
    pub batch_id: String,
    pub agency_id: String,
    pub name: String,
    pub batch_type: BatchType,
    pub expected_rows: i64,
    pub source: Source,
    pub notes: Option<String>,
    pub status: BatchStatus,
    /// The member (or API key) who opened it, and that one's name.
    pub created_by_id: String,
    pub created_by_name: String,
    pub created_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    pub progress: Progress,
}

#[derive(Debug, Clone)]
pub struct Chunk {
    pub batch_id: String,
    pub seq: u32,
    pub kind: ChunkKind,
    pub status: ChunkStatus,
    pub rows_declared: u32,
    pub rows_received: u32,
    pub file_name: String,
    /// Bytes as sent (compressed when gzip was used).
    pub file_size: i64,
    pub sha256: String,
    pub idempotency_key: Option<String>,
    pub created_at: DateTime<Utc>,
    pub merged_at: Option<DateTime<Utc>>,
}

/// One row of a chunk as the face read it. `problem` holds why it could not
/// be read (a missing or malformed field); such a row is refused when the
/// batch is applied, with its place kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchRow {
    pub index: u32,
    pub action: Option<RowAction>,
    pub bmi: String,
    pub user_id: Option<String>,
    pub request_date: Option<DateTime<Utc>>,
    pub usd_cents: Option<i64>,
    pub currency: Option<String>,
    /// The original amount as a decimal string.
    pub amount: Option<String>,
    pub evidence_submitted: Option<bool>,
    pub receiver_country: Option<String>,
    pub return_date: Option<DateTime<Utc>>,
    pub reason: Option<String>,
    pub problem: Option<String>,
}

/// A refused row (B6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub seq: u32,
    pub row_index: u32,
    pub bmi: String,
    pub code: String,
    pub message: String,
}

/// B1's request.
#[derive(Debug, Clone)]
pub struct NewBatch {
    pub name: String,
    pub batch_type: BatchType,
    pub expected_rows: i64,
    pub source: Source,
    pub notes: Option<String>,
}

/// B2's request, decoded by the face.
#[derive(Debug, Clone)]
pub struct ChunkUpload {
    pub batch_id: String,
    pub seq: u32,
    pub kind: ChunkKind,
    pub gzip: bool,
    pub rows_declared: u32,
    /// `X-Chunk-SHA256` as sent, and the hash of the bytes that came.
    pub declared_sha256: String,
    pub sent_sha256: String,
    pub sent_bytes: i64,
    pub idempotency_key: Option<String>,
    pub rows: Vec<BatchRow>,
}

/// A listing's filter and window.
#[derive(Debug, Clone)]
pub struct BatchFilter {
    pub status: Option<BatchStatus>,
    pub offset: u64,
    pub limit: u32,
    pub descending: bool,
}

/// What storing a chunk came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChunkStored {
    Stored,
    /// The seq was already taken (the held chunk decides replay or conflict).
    Taken,
    /// The batch no longer takes chunks.
    Closed,
}

/// One chunk's outcome, written at once with the batch's counters.
#[derive(Debug, Clone)]
pub struct ChunkOutcome {
    pub seq: u32,
    pub merged: i64,
    pub errors: Vec<RowError>,
    pub at: DateTime<Utc>,
}

#[async_trait]
pub trait BatchRepo: Send + Sync {
    async fn insert_batch(&self, b: &Batch) -> CoreResult<()>;
    async fn batch(&self, batch_id: &str) -> CoreResult<Option<Batch>>;
    /// One agency's batches in `createdAt` order, and how many match.
    async fn batches(&self, agency_id: &str, f: &BatchFilter) -> CoreResult<(Vec<Batch>, u64)>;
    /// The chunk and its rows at once, the batch moved to UPLOADING and its
    /// `received` counted, while the batch is open.
    async fn insert_chunk(&self, c: &Chunk, rows: &[BatchRow]) -> CoreResult<ChunkStored>;
    async fn chunk(&self, batch_id: &str, seq: u32) -> CoreResult<Option<Chunk>>;
    async fn chunks(&self, batch_id: &str) -> CoreResult<Vec<Chunk>>;
    async fn chunk_rows(&self, batch_id: &str, seq: u32) -> CoreResult<Vec<BatchRow>>;
    /// Open → PROCESSING, only if it still holds `chunks` chunks and
    /// `rows` received rows (no upload slipped in after the check).
    async fn close_batch(&self, batch_id: &str, chunks: u32, rows: i64) -> CoreResult<bool>;
    /// Take (or renew) the right to apply a PROCESSING batch until `until`.
    async fn claim_batch(
        &self,
        batch_id: &str,
        owner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> CoreResult<bool>;
    async fn set_chunk_status(&self, batch_id: &str, seq: u32, s: ChunkStatus) -> CoreResult<()>;
    /// A chunk's errors, its COMPLETED mark and the batch's counters, in one
    /// transaction, once (a chunk already completed is left alone).
    async fn finish_chunk(&self, batch_id: &str, o: &ChunkOutcome) -> CoreResult<()>;
    async fn finish_batch(
        &self,
        batch_id: &str,
        s: BatchStatus,
        at: DateTime<Utc>,
    ) -> CoreResult<()>;
    async fn batch_errors(
        &self,
        batch_id: &str,
        offset: u64,
        limit: u32,
    ) -> CoreResult<(Vec<RowError>, u64)>;
    /// Ids of the batches being applied (for a restart to resume).
    async fn processing_batches(&self) -> CoreResult<Vec<String>>;
}

impl Registry {
    /// B1: open a batch for the caller's agency.
    pub async fn open_batch(&self, p: &Principal, n: NewBatch) -> OrisResult<Batch> {
        if n.expected_rows < 1 || n.expected_rows as u64 > MAX_EXPECTED_ROWS {
            return Err(Refusal::Invalid(format!(
                "expectedRows must be between 1 and {MAX_EXPECTED_ROWS}"
            )));
        }
        if n.name.trim().is_empty() {
            return Err(Refusal::Invalid("name must not be blank".into()));
        }
        // An API key's token is the agency itself: its key and the agency's name.
        let (by_id, by_name) = match (&p.member, &p.session.subject) {
            (Some(m), _) => (m.member_id.clone(), m.name.clone()),
            (None, Subject::ApiKey(k) | Subject::Member(k)) => {
                (k.clone(), p.agency.agency_name.clone())
            }
        };
        let b = Batch {
            batch_id: self.new_id(),
            agency_id: p.agency.agency_id.clone(),
            name: n.name,
            batch_type: n.batch_type,
            expected_rows: n.expected_rows,
            source: n.source,
            notes: n.notes,
            status: BatchStatus::Created,
            created_by_id: by_id,
            created_by_name: by_name,
            created_at: self.now(),
            completed_at: None,
            progress: Progress::default(),
        };
        self.repo.insert_batch(&b).await?;
        Ok(b)
    }

    /// The caller's agency's batch; another agency's is not found.
    async fn own_batch(&self, p: &Principal, batch_id: &str) -> OrisResult<Batch> {
        match self.repo.batch(batch_id).await? {
            Some(b) if b.agency_id == p.agency.agency_id => Ok(b),
            _ => Err(Refusal::BatchNotFound),
        }
    }

    /// B2: keep one chunk. `Ok((chunk, true))` is a replay of the chunk held.
    pub async fn upload_chunk(&self, p: &Principal, up: ChunkUpload) -> OrisResult<(Chunk, bool)> {
        let batch = self.own_batch(p, &up.batch_id).await?;
        if !up.declared_sha256.eq(&up.sent_sha256) {
            return Err(Refusal::Invalid("Chunk hash mismatch".into()));
        }
        if let Some(held) = self.repo.chunk(&up.batch_id, up.seq).await? {
            return replay(held, &up.sent_sha256);
        }
        if !batch.status.open() {
            return Err(closed());
        }
        check_chunk(&up)?;
        let chunk = chunk_of(&up, &batch, self.now());
        match self.repo.insert_chunk(&chunk, &up.rows).await? {
            ChunkStored::Stored => Ok((chunk, false)),
            ChunkStored::Closed => Err(closed()),
            ChunkStored::Taken => {
                let held = self.repo.chunk(&up.batch_id, up.seq).await?;
                replay(held.ok_or(Refusal::BatchChunkNotFound)?, &up.sent_sha256)
            }
        }
    }

    /// B3: close the batch and start applying it in the background. A batch
    /// already PROCESSING is resumed (its chunks not yet merged).
    pub async fn complete_batch(
        &self,
        p: &Principal,
        batch_id: &str,
        render: RenderRefusal,
    ) -> OrisResult<Batch> {
        let batch = self.own_batch(p, batch_id).await?;
        match batch.status {
            s if s.open() => {
                let chunks = self.repo.chunks(batch_id).await?;
                let (n, rows) = contiguous(&chunks, batch.expected_rows)?;
                if !self.repo.close_batch(batch_id, n, rows).await? {
                    return Err(Refusal::Invalid(
                        "The batch changed while it was being completed; retry".into(),
                    ));
                }
            }
            BatchStatus::Processing => {}
            _ => return Ok(batch),
        }
        self.spawn_batch(batch_id.to_owned(), render);
        self.own_batch(p, batch_id).await
    }

    /// B4: the caller's agency's batches.
    pub async fn list_batches(
        &self,
        p: &Principal,
        f: &BatchFilter,
    ) -> OrisResult<(Vec<Batch>, u64)> {
        Ok(self.repo.batches(&p.agency.agency_id, f).await?)
    }

    /// B5: a batch with its chunks in seq order.
    pub async fn batch_detail(
        &self,
        p: &Principal,
        batch_id: &str,
    ) -> OrisResult<(Batch, Vec<Chunk>)> {
        let b = self.own_batch(p, batch_id).await?;
        let chunks = self.repo.chunks(batch_id).await?;
        Ok((b, chunks))
    }

    /// One chunk of a batch (B5's `chunks[]` item).
    pub async fn batch_chunk(&self, p: &Principal, batch_id: &str, seq: u32) -> OrisResult<Chunk> {
        self.own_batch(p, batch_id).await?;
        self.repo
            .chunk(batch_id, seq)
            .await?
            .ok_or(Refusal::BatchChunkNotFound)
    }

    /// B6: the refused rows, in seq and row order.
    pub async fn batch_errors(
        &self,
        p: &Principal,
        batch_id: &str,
        offset: u64,
        limit: u32,
    ) -> OrisResult<(Vec<RowError>, u64)> {
        self.own_batch(p, batch_id).await?;
        Ok(self.repo.batch_errors(batch_id, offset, limit).await?)
    }
}

fn closed() -> Refusal {
    Refusal::Conflict("The batch no longer accepts chunks".into())
}

/// The same seq again: the same bytes are a replay, others a conflict.
fn replay(held: Chunk, sha256: &str) -> OrisResult<(Chunk, bool)> {
    if held.sha256 == sha256 {
        Ok((held, true))
    } else {
        Err(Refusal::Conflict(format!(
            "Chunk {} was already uploaded with another hash",
            held.seq
        )))
    }
}

fn check_chunk(up: &ChunkUpload) -> OrisResult<()> {
    if up.seq >= MAX_CHUNKS {
        return Err(Refusal::Invalid(format!("seq must be below {MAX_CHUNKS}")));
    }
    if up.rows_declared < 1 || up.rows_declared > MAX_CHUNK_ROWS {
        return Err(Refusal::Invalid(format!(
            "rowCount must be between 1 and {MAX_CHUNK_ROWS}"
        )));
    }
    if up.rows.len() != up.rows_declared as usize {
        return Err(Refusal::Invalid(format!(
            "Row count mismatch: rowCount {} but {} rows received",
            up.rows_declared,
            up.rows.len()
        )));
    }
    Ok(())
}

fn chunk_of(up: &ChunkUpload, batch: &Batch, now: DateTime<Utc>) -> Chunk {
    let ext = match up.kind {
        ChunkKind::Json => "json",
        ChunkKind::Csv => "csv",
    };
    let gz = if up.gzip { ".gz" } else { "" };
    Chunk {
        batch_id: up.batch_id.clone(),
        seq: up.seq,
        kind: up.kind,
        status: ChunkStatus::Queued,
        rows_declared: up.rows_declared,
        rows_received: up.rows.len() as u32,
        file_name: format!("{}.{}.v1.{ext}{gz}", up.seq, batch.source.kind.as_str()),
        file_size: up.sent_bytes,
        sha256: up.sent_sha256.clone(),
        idempotency_key: up.idempotency_key.clone(),
        created_at: now,
        merged_at: None,
    }
}

/// Chunks 0..n with no gap whose rows sum to `expected`: (n, rows).
fn contiguous(chunks: &[Chunk], expected: i64) -> OrisResult<(u32, i64)> {
    let mut seqs: Vec<u32> = chunks.iter().map(|c| c.seq).collect();
    seqs.sort_unstable();
    if let Some(gap) = seqs.iter().enumerate().find(|(i, s)| **s != *i as u32) {
        return Err(Refusal::Invalid(format!(
            "Chunks are not contiguous from 0: chunk {} is missing",
            gap.0
        )));
    }
    let rows: i64 = chunks.iter().map(|c| i64::from(c.rows_received)).sum();
    if chunks.is_empty() || rows != expected {
        return Err(Refusal::Invalid(format!(
            "Rows received ({rows}) do not match expectedRows ({expected})"
        )));
    }
    Ok((chunks.len() as u32, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(seq: u32, rows: u32) -> Chunk {
        Chunk {
            batch_id: "b".into(),
            seq,
            kind: ChunkKind::Json,
            status: ChunkStatus::Queued,
            rows_declared: rows,
            rows_received: rows,
            file_name: String::new(),
            file_size: 0,
            sha256: String::new(),
            idempotency_key: None,
            created_at: Utc::now(),
            merged_at: None,
        }
    }

    #[test]
    fn completing_needs_contiguous_chunks_summing_to_the_expected_rows() {
        assert_eq!(contiguous(&[chunk(1, 2), chunk(0, 3)], 5).unwrap(), (2, 5));
        assert!(contiguous(&[chunk(0, 3), chunk(2, 2)], 5).is_err());
        assert!(contiguous(&[chunk(0, 3)], 5).is_err());
        assert!(contiguous(&[], 0).is_err());
    }

    #[test]
    fn words_parse_case_insensitively() {
        assert_eq!(
            BatchStatus::parse("completed"),
            Some(BatchStatus::Completed)
        );
        assert_eq!(
            BatchStatus::parse("completed_with_errors"),
            Some(BatchStatus::CompletedWithErrors)
        );
        assert_eq!(ChunkKind::parse("csv"), Some(ChunkKind::Csv));
        assert_eq!(SourceType::parse("FILE"), Some(SourceType::File));
        assert!(BatchStatus::parse("done").is_none());
    }
}

//! Bulk reporting (B1–B6): open a batch, upload its chunks (JSON or CSV,
//! gzip or not, each hashed as sent), complete it, and watch its rows being
//! applied in the background; the refused rows are listed with their codes.

mod rows;

use crate::caller::Caller;
use crate::error::{OrisError, OrisResult};
use crate::extract::{convert_failed, missing_param, Json, Path, Query, INVALID_ARGUMENT};
use crate::extract::{Paging, Sort};
use crate::wire::{datetime, opt_datetime, PageInfo};
use crate::OrisState;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use finhub_core::oris::batch::{
    Batch, BatchFilter, BatchStatus, BatchType, Chunk, ChunkKind, ChunkUpload, NewBatch, RowError,
    Source, SourceType, MAX_CHUNKS, MAX_CHUNK_BYTES, MAX_CHUNK_ROWS, MAX_EXPECTED_ROWS,
};
use finhub_core::oris::staff::{Permission, Scope};
use finhub_core::oris::{Need, Refusal};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, OpenApi, ToSchema};

pub fn routes() -> Router<OrisState> {
    Router::new()
        .route("/api/oris/v1/batches", post(open).get(list))
        .route("/api/oris/v1/batches/{batch_id}", get(detail))
        .route(
            "/api/oris/v1/batches/{batch_id}/chunks/{seq}",
            post(upload).get(chunk),
        )
        .route("/api/oris/v1/batches/{batch_id}/complete", post(complete))
        .route("/api/oris/v1/batches/{batch_id}/errors", get(errors))
}

#[derive(OpenApi)]
#[openapi(
    paths(open, upload, complete, list, detail, chunk, errors),
    components(schemas(
        OpenRequest,
        SourceItem,
        Limits,
        OpenResponse,
        UploadResponse,
        CompleteResponse,
        ProgressItem,
        ChunkItem,
        BatchDetail,
        BatchItem,
        CreatedBy,
        BatchPage,
        ErrorItem,
        ErrorPage
    ))
)]
pub struct Doc;

/// Writes need BATCH_WRITE; B1 and B3 the `report` scope, B2 `inquiry` (as
/// the guide marks it).
const WRITE_REPORT: Need = Need::of(Scope::Report, Some(Permission::BatchWrite));
const WRITE_INQUIRY: Need = Need::of(Scope::Inquiry, Some(Permission::BatchWrite));
const READ: Need = Need::of(Scope::Inquiry, None);

/// A refused row as B6 shows it: its published code and message.
fn render(r: Refusal) -> (String, String) {
    let e = OrisError::from(r);
    (e.code.as_str().to_owned(), e.message.into_owned())
}

/// At start: resume the batches a stopped process left being applied.
pub fn resume(st: &OrisState) {
    st.registry.resume_batches(render);
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SourceItem {
    /// `api` or `file`.
    #[serde(rename = "type")]
    pub kind: String,
    pub file_name: Option<String>,
    pub file_size: Option<i64>,
}

impl From<&Source> for SourceItem {
    fn from(s: &Source) -> Self {
        SourceItem {
            kind: s.kind.as_str().to_owned(),
            file_name: s.file_name.clone(),
            file_size: s.file_size,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OpenRequest {
    pub name: String,
    /// `REMITTANCE`.
    pub batch_type: String,
    pub expected_rows: i64,
    pub source: SourceItem,
    pub notes: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Limits {
    pub max_chunk_rows: u32,
    pub max_chunk_bytes: u64,
    pub max_chunks: u32,
    pub max_expected_rows: u64,
}

const LIMITS: Limits = Limits {
    max_chunk_rows: MAX_CHUNK_ROWS,
    max_chunk_bytes: MAX_CHUNK_BYTES,
    max_chunks: MAX_CHUNKS,
    max_expected_rows: MAX_EXPECTED_ROWS,
};

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OpenResponse {
    pub batch_id: String,
    pub status: &'static str,
    pub limits: Limits,
}

impl OpenRequest {
    fn into_new(self) -> OrisResult<NewBatch> {
        let batch_type = BatchType::parse(&self.batch_type)
            .ok_or_else(|| OrisError::invalid("batchType must be REMITTANCE"))?;
        let kind = SourceType::parse(&self.source.kind)
            .ok_or_else(|| OrisError::invalid("source.type must be api or file"))?;
        Ok(NewBatch {
            name: self.name,
            batch_type,
            expected_rows: self.expected_rows,
            source: Source {
                kind,
                file_name: self.source.file_name,
                file_size: self.source.file_size,
            },
            notes: self.notes,
        })
    }
}

/// B1: open a batch for the caller's agency (scope `report`, BATCH_WRITE).
/// `expectedRows` is 1..=1,000,000.
#[utoipa::path(post, path = "/api/oris/v1/batches", tag = "batches", request_body = OpenRequest,
    security(("bearer" = [])),
    responses((status = 201, body = OpenResponse),
        (status = 400, description = "BAD_REQUEST (missing fields), INVALID_REQUEST"),
        (status = 403, description = "ACCESS_TOKEN_NOT_ENOUGH_PERMISSION, MEMBER_ACCESS_DENIED")))]
pub async fn open(
    State(st): State<OrisState>,
    caller: Caller,
    Json(req): Json<OpenRequest>,
) -> OrisResult<(StatusCode, axum::Json<OpenResponse>)> {
    caller.need(&st, WRITE_REPORT).await?;
    let b = st
        .registry
        .open_batch(&caller.principal, req.into_new()?)
        .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(OpenResponse {
            batch_id: b.batch_id,
            status: b.status.as_str(),
            limits: LIMITS,
        }),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
pub struct UploadQuery {
    /// `JSON` (default) or `CSV`.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub kind: Option<String>,
    /// Rows in this chunk (1..=5000); required.
    pub row_count: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UploadResponse {
    pub accepted_bytes: i64,
    pub status: &'static str,
    pub sha256: String,
}

fn seq_param(s: &str) -> OrisResult<u32> {
    let n: i64 = s.trim().parse().map_err(|_| {
        convert_failed(
            "java.lang.Integer",
            &format!("For input string: \"{s}\" (seq)"),
        )
    })?;
    u32::try_from(n).map_err(|_| OrisError::invalid("seq must be 0 or more"))
}

fn header<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// The chunk as the registry takes it: hash over the bytes as sent, then
/// gzip undone and the rows read.
fn decode(
    batch_id: String,
    seq: u32,
    q: UploadQuery,
    h: &HeaderMap,
    body: &[u8],
) -> OrisResult<ChunkUpload> {
    let declared = header(h, "x-chunk-sha256").ok_or_else(|| {
        OrisError::bad(
            "Required request header 'X-Chunk-SHA256' for method parameter type String is not present",
        )
    })?;
    let rows_declared = crate::extract::int_param("rowCount", q.row_count.as_deref())?
        .ok_or_else(|| missing_param("rowCount", "Integer"))?;
    let kind = match q.kind.as_deref() {
        None | Some("") => ChunkKind::Json,
        Some(k) => ChunkKind::parse(k).ok_or_else(|| OrisError::bad(INVALID_ARGUMENT))?,
    };
    let gzip = match header(h, "content-encoding") {
        None => false,
        Some(e) if e.eq_ignore_ascii_case("gzip") => true,
        Some(e) => {
            return Err(OrisError::invalid(format!(
                "Unsupported Content-Encoding {e}"
            )))
        }
    };
    let sent = hex::encode(Sha256::digest(body));
    let rows = if declared.eq_ignore_ascii_case(&sent) {
        rows::read(kind, &rows::inflate(body, gzip)?)?
    } else {
        Vec::new() // the registry refuses the mismatch (after the batch is found)
    };
    Ok(ChunkUpload {
        batch_id,
        seq,
        kind,
        gzip,
        rows_declared: u32::try_from(rows_declared).unwrap_or(0),
        declared_sha256: declared.to_ascii_lowercase(),
        sent_sha256: sent,
        sent_bytes: body.len() as i64,
        idempotency_key: header(h, "idempotency-key").map(str::to_owned),
        rows,
    })
}

/// B2: upload chunk `seq` (scope `inquiry`, BATCH_WRITE). `X-Chunk-SHA256`
/// is the lower-case hex SHA-256 of the body as sent (compressed, with
/// `Content-Encoding: gzip`). JSON: an array of rows. CSV: a header row
/// naming `action, businessMessageIdentifier, userId, requestDate,
/// usdExchangeAmount` (optional columns: `returnDate`, `reason`,
/// `currency`, `amount`, `evidenceSubmitted`, `receiverCountry`). A RETURN
/// row's date is `returnDate`, or `requestDate` in its place when there is
/// no `returnDate`. A row without `action` is NEW. Rows are only read here;
/// each is applied (or refused, see B6) after B3. The same seq with the
/// same hash is a replay (200, the same body; `Idempotency-Key` is kept
/// with the chunk); with another hash 409 INVALID_REQUEST. The body is also
/// bounded by the server's request-size limit, which may be below
/// maxChunkBytes: gzip the chunk.
#[utoipa::path(post, path = "/api/oris/v1/batches/{batchId}/chunks/{seq}", tag = "batches",
    params(("batchId" = String, Path), ("seq" = i32, Path), UploadQuery,
        ("X-Chunk-SHA256" = String, Header), ("Idempotency-Key" = Option<String>, Header),
        ("Content-Encoding" = Option<String>, Header)),
    request_body(content = String, content_type = "application/json"),
    security(("bearer" = [])),
    responses((status = 202, body = UploadResponse), (status = 200, body = UploadResponse),
        (status = 400, description = "INVALID_REQUEST: Chunk hash mismatch, row count ≠ rowCount; BAD_REQUEST"),
        (status = 403, description = "MEMBER_ACCESS_DENIED (no BATCH_WRITE)"),
        (status = 404, description = "BATCH_NOT_FOUND"),
        (status = 409, description = "INVALID_REQUEST: the seq holds another chunk, or the batch is completed")))]
pub async fn upload(
    State(st): State<OrisState>,
    caller: Caller,
    Path((batch_id, seq)): Path<(String, String)>,
    req: Request,
) -> OrisResult<(StatusCode, axum::Json<UploadResponse>)> {
    caller.need(&st, WRITE_INQUIRY).await?;
    let (parts, body) = req.into_parts();
    let axum::extract::Query(q) = axum::extract::Query::<UploadQuery>::try_from_uri(&parts.uri)?;
    // The raw bytes, as sent: the hash is over them (the shell bounds the size).
    let body = axum::body::to_bytes(body, MAX_CHUNK_BYTES as usize)
        .await
        .map_err(|_| OrisError::invalid("The chunk body could not be read"))?;
    let up = decode(batch_id, seq_param(&seq)?, q, &parts.headers, &body)?;
    let (c, replay) = st.registry.upload_chunk(&caller.principal, up).await?;
    let status = if replay {
        StatusCode::OK
    } else {
        StatusCode::ACCEPTED
    };
    Ok((
        status,
        axum::Json(UploadResponse {
            accepted_bytes: c.file_size,
            status: "QUEUED",
            sha256: c.sha256,
        }),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProgressItem {
    pub received: i64,
    pub validated: i64,
    pub merged: i64,
    pub errors: i64,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CompleteResponse {
    pub batch_id: String,
    pub status: &'static str,
    pub expected_rows: i64,
    pub progress: ProgressItem,
}

fn progress(b: &Batch) -> ProgressItem {
    let p = b.progress;
    ProgressItem {
        received: p.received,
        validated: p.validated,
        merged: p.merged,
        errors: p.errors,
    }
}

/// B3: close the batch (scope `report`, BATCH_WRITE): its chunks must run
/// 0..n without a gap and their rows sum to `expectedRows`, else 400
/// INVALID_REQUEST. The batch becomes PROCESSING and its rows are applied
/// in the background, chunk by chunk (in parts of 200 rows, one transaction
/// each), exactly as R1/R2/R3 (watch B5). Each chunk is marked COMPLETED
/// with its errors and the batch's counters in one transaction, so a
/// restart of the server (or a B3 on a PROCESSING batch) resumes at the
/// first chunk not marked. In a chunk that was half applied when the server
/// stopped, a NEW or RETURN it had already applied is counted as merged, not
/// as an error; a CORRECT it had already applied is applied again (one more
/// 정정 entry with the same values). B3 on a finished batch answers its
/// state.
#[utoipa::path(post, path = "/api/oris/v1/batches/{batchId}/complete", tag = "batches",
    params(("batchId" = String, Path)), security(("bearer" = [])),
    responses((status = 202, body = CompleteResponse),
        (status = 400, description = "INVALID_REQUEST (chunks not contiguous, rows ≠ expectedRows)"),
        (status = 404, description = "BATCH_NOT_FOUND")))]
pub async fn complete(
    State(st): State<OrisState>,
    caller: Caller,
    Path(batch_id): Path<String>,
) -> OrisResult<(StatusCode, axum::Json<CompleteResponse>)> {
    caller.need(&st, WRITE_REPORT).await?;
    let b = st
        .registry
        .complete_batch(&caller.principal, &batch_id, render)
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        axum::Json(CompleteResponse {
            progress: progress(&b),
            batch_id: b.batch_id,
            status: b.status.as_str(),
            expected_rows: b.expected_rows,
        }),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChunkItem {
    pub seq: u32,
    pub upload_type: &'static str,
    pub status: &'static str,
    pub row_count_declared: u32,
    pub row_count_received: u32,
    pub file_name: String,
    pub file_size: i64,
    pub sha256: String,
    pub created_at: String,
}

impl From<Chunk> for ChunkItem {
    fn from(c: Chunk) -> Self {
        ChunkItem {
            seq: c.seq,
            upload_type: c.kind.as_str(),
            status: c.status.as_str(),
            row_count_declared: c.rows_declared,
            row_count_received: c.rows_received,
            file_name: c.file_name,
            file_size: c.file_size,
            sha256: c.sha256,
            created_at: datetime(c.created_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BatchDetail {
    pub batch_id: String,
    pub agency_id: String,
    pub name: String,
    pub status: &'static str,
    pub batch_type: &'static str,
    pub expected_rows: i64,
    pub progress: ProgressItem,
    pub chunks: Vec<ChunkItem>,
    pub limits: Limits,
    pub created_at: String,
    pub completed_at: Option<String>,
}

/// B5: a batch with its chunks. `progress`: `received` rows uploaded,
/// `validated` rows taken through the row checks so far, `merged` applied,
/// `errors` refused (B6); validated = merged + errors. Batch status:
/// CREATED → UPLOADING (first chunk) → PROCESSING (B3) → COMPLETED |
/// COMPLETED_WITH_ERRORS (some row refused). Chunk status: QUEUED → VALIDATING
/// (being applied) → COMPLETED. A store failure during the apply leaves the
/// batch PROCESSING, to be resumed.
#[utoipa::path(get, path = "/api/oris/v1/batches/{batchId}", tag = "batches",
    params(("batchId" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = BatchDetail),
        (status = 404, description = "BATCH_NOT_FOUND (unknown, or another agency's)")))]
pub async fn detail(
    State(st): State<OrisState>,
    caller: Caller,
    Path(batch_id): Path<String>,
) -> OrisResult<axum::Json<BatchDetail>> {
    caller.need(&st, READ).await?;
    let (b, chunks) = st
        .registry
        .batch_detail(&caller.principal, &batch_id)
        .await?;
    Ok(axum::Json(BatchDetail {
        progress: progress(&b),
        status: b.status.as_str(),
        batch_type: b.batch_type.as_str(),
        expected_rows: b.expected_rows,
        chunks: chunks.into_iter().map(ChunkItem::from).collect(),
        limits: LIMITS,
        created_at: datetime(b.created_at),
        completed_at: opt_datetime(b.completed_at),
        batch_id: b.batch_id,
        agency_id: b.agency_id,
        name: b.name,
    }))
}

/// One chunk of a batch: its B5 `chunks[]` item.
#[utoipa::path(get, path = "/api/oris/v1/batches/{batchId}/chunks/{seq}", tag = "batches",
    params(("batchId" = String, Path), ("seq" = i32, Path)), security(("bearer" = [])),
    responses((status = 200, body = ChunkItem),
        (status = 404, description = "BATCH_NOT_FOUND, BATCH_CHUNK_NOT_FOUND (a seq never uploaded)")))]
pub async fn chunk(
    State(st): State<OrisState>,
    caller: Caller,
    Path((batch_id, seq)): Path<(String, String)>,
) -> OrisResult<axum::Json<ChunkItem>> {
    caller.need(&st, READ).await?;
    let seq = seq_param(&seq)?;
    let c = st
        .registry
        .batch_chunk(&caller.principal, &batch_id, seq)
        .await?;
    Ok(axum::Json(c.into()))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
pub struct ListQuery {
    pub page: Option<String>,
    /// 1..=100, default 10.
    pub size: Option<String>,
    /// A batch status, matched case-insensitively (`completed`).
    pub status: Option<String>,
    /// `createdAt,DESC` (default) or `createdAt,ASC`.
    pub sort: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedBy {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BatchItem {
    pub id: String,
    pub name: String,
    pub status: &'static str,
    pub total_count: i64,
    pub success_count: i64,
    pub failure_count: i64,
    pub created_at: String,
    pub completed_at: Option<String>,
    pub created_by: CreatedBy,
    pub source: SourceItem,
    pub notes: Option<String>,
}

impl From<Batch> for BatchItem {
    fn from(b: Batch) -> Self {
        BatchItem {
            status: b.status.as_str(),
            total_count: b.expected_rows,
            success_count: b.progress.merged,
            failure_count: b.progress.errors,
            created_at: datetime(b.created_at),
            completed_at: opt_datetime(b.completed_at),
            created_by: CreatedBy {
                id: b.created_by_id,
                name: b.created_by_name,
            },
            source: SourceItem::from(&b.source),
            id: b.batch_id,
            name: b.name,
            notes: b.notes,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BatchPage {
    pub content: Vec<BatchItem>,
    pub page: PageInfo,
}

/// B4: the caller's agency's batches. `totalCount` is `expectedRows`,
/// `successCount` the rows applied, `failureCount` those refused;
/// `createdBy` is the member who opened the batch (for an API key's token,
/// the key and the agency's name). An unknown `status` → 400 `Invalid
/// argument`.
#[utoipa::path(get, path = "/api/oris/v1/batches", tag = "batches", params(ListQuery),
    security(("bearer" = [])),
    responses((status = 200, body = BatchPage),
        (status = 400, description = "BAD_REQUEST (page, size, sort, status)")))]
pub async fn list(
    State(st): State<OrisState>,
    caller: Caller,
    Query(q): Query<ListQuery>,
) -> OrisResult<axum::Json<BatchPage>> {
    caller.need(&st, READ).await?;
    let paging = Paging::parse(q.page.as_deref(), q.size.as_deref(), 100)?;
    let default = Sort {
        field: "createdAt".into(),
        descending: true,
    };
    let sort = Sort::parse(q.sort.as_deref(), &["createdAt"], default)?;
    let status = match q.status.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => Some(BatchStatus::parse(s).ok_or_else(|| OrisError::bad(INVALID_ARGUMENT))?),
    };
    let filter = BatchFilter {
        status,
        offset: paging.offset(),
        limit: paging.size,
        descending: sort.descending,
    };
    let (batches, total) = st.registry.list_batches(&caller.principal, &filter).await?;
    Ok(axum::Json(BatchPage {
        content: batches.into_iter().map(BatchItem::from).collect(),
        page: PageInfo::new(paging, total),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ErrorsQuery {
    pub page: Option<String>,
    /// 1..=100, default 10.
    pub size: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ErrorItem {
    pub seq: u32,
    /// 0-based within its chunk.
    pub row_index: u32,
    pub business_message_identifier: String,
    pub code: String,
    pub message: String,
}

impl From<RowError> for ErrorItem {
    fn from(e: RowError) -> Self {
        ErrorItem {
            seq: e.seq,
            row_index: e.row_index,
            business_message_identifier: e.bmi,
            code: e.code,
            message: e.message,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorPage {
    pub content: Vec<ErrorItem>,
    pub page: PageInfo,
}

/// B6: the rows refused when the batch was applied, by seq and row, each
/// with the code R1/R2/R3 would have answered (a row that could not be
/// read: INVALID_REQUEST).
#[utoipa::path(get, path = "/api/oris/v1/batches/{batchId}/errors", tag = "batches",
    params(("batchId" = String, Path), ErrorsQuery), security(("bearer" = [])),
    responses((status = 200, body = ErrorPage), (status = 404, description = "BATCH_NOT_FOUND")))]
pub async fn errors(
    State(st): State<OrisState>,
    caller: Caller,
    Path(batch_id): Path<String>,
    Query(q): Query<ErrorsQuery>,
) -> OrisResult<axum::Json<ErrorPage>> {
    caller.need(&st, READ).await?;
    let paging = Paging::parse(q.page.as_deref(), q.size.as_deref(), 100)?;
    let (errs, total) = st
        .registry
        .batch_errors(&caller.principal, &batch_id, paging.offset(), paging.size)
        .await?;
    Ok(axum::Json(ErrorPage {
        content: errs.into_iter().map(ErrorItem::from).collect(),
        page: PageInfo::new(paging, total),
    }))
}

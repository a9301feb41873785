//! Applying a completed batch in the background, chunk by chunk. Each chunk's
//! outcome (its errors, its COMPLETED mark, the batch's counters) is written
//! in one transaction once its rows are applied, so a process that dies
//! mid-batch loses nothing: a restart (or another B3) resumes at the first
//! chunk not marked. The right to apply a batch is a lease in the store, so
//! two nodes (or two B3s) never apply it at once.

use super::{BatchRow, BatchStatus, Chunk, ChunkOutcome, ChunkStatus, RowAction, RowError};
use crate::oris::remit::{History, RemitStatus};
use crate::oris::reports::{Correction, NewReport, ReportRow, ReturnReport};
use crate::oris::staff::Agency;
use crate::oris::{OrisResult, Refusal, Registry};
use chrono::Duration;
use std::collections::{HashMap, HashSet};

/// How the face words a refused row: its published code and message.
pub type RenderRefusal = fn(Refusal) -> (String, String);

/// What every chunk of one run shares.
struct Run<'a> {
    agency: &'a Agency,
    render: RenderRefusal,
}

/// How long a claim on a batch lasts unless renewed (it is, every chunk).
const LEASE: Duration = Duration::seconds(60);
/// Rows per `apply_reports` call (one transaction each): a chunk is applied
/// in parts, the cost of a statement growing faster than its rows.
const APPLY_ROWS: usize = 200;
/// Store failures the job rides out before it leaves the batch to a later
/// resume.
const ATTEMPTS: u32 = 5;

impl Registry {
    /// Apply the batch on a task of its own: it outlives the request.
    pub(super) fn spawn_batch(&self, batch_id: String, render: RenderRefusal) {
        let reg = self.clone();
        tokio::spawn(async move {
            for attempt in 1..=ATTEMPTS {
                match reg.run_batch(&batch_id, render).await {
                    Ok(()) => return,
                    Err(_) if attempt < ATTEMPTS => {
                        tokio::time::sleep(std::time::Duration::from_millis(200 << attempt)).await;
                    }
                    // Left PROCESSING: a restart or another B3 resumes it.
                    Err(_) => return,
                }
            }
        });
    }

    /// At start: resume every batch a stopped process left PROCESSING, once
    /// its lease (held by the process that died) has run out.
    pub fn resume_batches(&self, render: RenderRefusal) {
        // Outside a runtime (a document-only assembly) there is nothing to run.
        if tokio::runtime::Handle::try_current().is_err() {
            return;
        }
        let reg = self.clone();
        tokio::spawn(async move {
            let Ok(ids) = reg.repo.processing_batches().await else {
                return;
            };
            for id in ids {
                let r = reg.clone();
                tokio::spawn(async move {
                    for _ in 0..3 {
                        if r.run_batch(&id, render).await.is_ok() && r.batch_done(&id).await {
                            return;
                        }
                        let wait = LEASE.to_std().unwrap_or_default();
                        tokio::time::sleep(wait).await;
                    }
                });
            }
        });
    }

    async fn batch_done(&self, batch_id: &str) -> bool {
        matches!(self.repo.batch(batch_id).await, Ok(Some(b)) if b.status != BatchStatus::Processing)
    }

    async fn claim(&self, batch_id: &str, owner: &str) -> OrisResult<bool> {
        let now = self.now();
        Ok(self
            .repo
            .claim_batch(batch_id, owner, now, now + LEASE)
            .await?)
    }

    /// Apply every chunk not yet merged, then settle the batch's status.
    /// Another holder of the lease makes this a no-op.
    async fn run_batch(&self, batch_id: &str, render: RenderRefusal) -> OrisResult<()> {
        let owner = self.new_id();
        if !self.claim(batch_id, &owner).await? {
            return Ok(());
        }
        let batch = self
            .repo
            .batch(batch_id)
            .await?
            .ok_or(Refusal::BatchNotFound)?;
        let agency = self
            .repo
            .agency(&batch.agency_id)
            .await?
            .ok_or(Refusal::AgencyNotFound)?;
        let mut chunks = self.repo.chunks(batch_id).await?;
        chunks.sort_by_key(|c| c.seq);
        for c in chunks
            .into_iter()
            .filter(|c| c.status != ChunkStatus::Completed)
        {
            if !self.claim(batch_id, &owner).await? {
                return Ok(());
            }
            self.repo
                .set_chunk_status(batch_id, c.seq, ChunkStatus::Validating)
                .await?;
            let rows = self.repo.chunk_rows(batch_id, c.seq).await?;
            let run = Run {
                agency: &agency,
                render,
            };
            let outcome = self.apply_chunk(&run, &c, rows).await?;
            self.repo.finish_chunk(batch_id, &outcome).await?;
        }
        let done = self
            .repo
            .batch(batch_id)
            .await?
            .ok_or(Refusal::BatchNotFound)?;
        let status = if done.progress.errors > 0 {
            BatchStatus::CompletedWithErrors
        } else {
            BatchStatus::Completed
        };
        self.repo.finish_batch(batch_id, status, self.now()).await?;
        Ok(())
    }

    /// One chunk's rows applied in one call; what each came to.
    async fn apply_chunk(
        &self,
        run: &Run<'_>,
        c: &Chunk,
        rows: Vec<BatchRow>,
    ) -> OrisResult<ChunkOutcome> {
        let seq = c.seq;
        let results = self.apply_rows(run.agency, &rows).await?;
        let own = self.own_writes(c, &rows, &results).await?;
        let mut outcome = ChunkOutcome {
            seq,
            merged: 0,
            errors: Vec::new(),
            at: self.now(),
        };
        for (i, (row, result)) in rows.into_iter().zip(results).enumerate() {
            match result {
                Ok(()) => outcome.merged += 1,
                // A resumed chunk meets its own earlier writes: not errors.
                Err(_) if own.contains(&i) => outcome.merged += 1,
                Err(Refusal::Store(e)) => return Err(Refusal::Store(e)),
                Err(r) => {
                    let (code, message) = (run.render)(r);
                    outcome.errors.push(RowError {
                        seq,
                        row_index: row.index,
                        bmi: row.bmi,
                        code,
                        message,
                    });
                }
            }
        }
        Ok(outcome)
    }

    /// In a chunk begun before a stop (still VALIDATING), the rows refused
    /// only because that earlier run had applied them: a NEW whose report
    /// was created since the chunk came with the row's date and amount, a
    /// RETURN whose report was returned since. A duplicate of a report made
    /// before the chunk came stays an error.
    async fn own_writes(
        &self,
        c: &Chunk,
        rows: &[BatchRow],
        results: &[Result<(), Refusal>],
    ) -> OrisResult<HashSet<usize>> {
        let suspects: Vec<usize> = results
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                matches!(
                    r,
                    Err(Refusal::RemittanceExists | Refusal::RemittanceCanceled)
                )
            })
            .map(|(i, _)| i)
            .collect();
        if c.status != ChunkStatus::Validating || suspects.is_empty() {
            return Ok(HashSet::new());
        }
        let bmis: Vec<String> = suspects.iter().map(|&i| rows[i].bmi.clone()).collect();
        let mut since: HashMap<String, Vec<History>> = HashMap::new();
        for h in self.repo.histories(&bmis).await? {
            if h.created_at >= c.created_at {
                since.entry(h.bmi.clone()).or_default().push(h);
            }
        }
        Ok(suspects
            .into_iter()
            .filter(|&i| {
                let r = &rows[i];
                let entries = since.get(&r.bmi).map(Vec::as_slice).unwrap_or_default();
                entries.iter().any(|h| match (&results[i], h.status) {
                    (Err(Refusal::RemittanceExists), RemitStatus::New) => {
                        Some(h.request_date) == r.request_date && Some(h.usd_cents) == r.usd_cents
                    }
                    (Err(Refusal::RemittanceCanceled), RemitStatus::Returned) => true,
                    _ => false,
                })
            })
            .collect())
    }

    /// Each row applied as R1/R2/R3 would be, in order, in one call; a row
    /// that could not be read (or lacks what its action needs) is refused
    /// in its place.
    async fn apply_rows(
        &self,
        agency: &Agency,
        rows: &[BatchRow],
    ) -> OrisResult<Vec<Result<(), Refusal>>> {
        let mut out: Vec<Result<(), Refusal>> = Vec::with_capacity(rows.len());
        let mut reports = Vec::with_capacity(rows.len());
        let mut slots = Vec::with_capacity(rows.len());
        for (i, r) in rows.iter().enumerate() {
            match report_row(r) {
                Ok(rep) => {
                    reports.push(rep);
                    slots.push(i);
                    out.push(Ok(()));
                }
                Err(e) => out.push(Err(e)),
            }
        }
        if reports.is_empty() {
            return Ok(out);
        }
        let mut slots = slots.into_iter();
        let mut reports = reports.into_iter().peekable();
        while reports.peek().is_some() {
            let part: Vec<ReportRow> = reports.by_ref().take(APPLY_ROWS).collect();
            let applied = self.apply_reports(agency, part).await?;
            // `applied` first: zip must not take a slot past this part's end.
            for (result, slot) in applied.into_iter().zip(slots.by_ref()) {
                out[slot] = result.map(drop);
            }
        }
        Ok(out)
    }
}

fn required<T: Clone>(v: &Option<T>, name: &str) -> Result<T, Refusal> {
    v.clone()
        .ok_or_else(|| Refusal::Invalid(format!("{name} is required")))
}

/// A batch row as the report R1 (NEW), R2 (CORRECT) or R3 (RETURN) takes.
fn report_row(r: &BatchRow) -> Result<ReportRow, Refusal> {
    if let Some(p) = &r.problem {
        return Err(Refusal::Invalid(p.clone()));
    }
    if r.bmi.is_empty() {
        return Err(Refusal::Invalid(
            "businessMessageIdentifier is required".into(),
        ));
    }
    let bmi = r.bmi.clone();
    Ok(match r.action.unwrap_or(RowAction::New) {
        RowAction::New => ReportRow::New(NewReport {
            bmi,
            user_id: required(&r.user_id, "userId")?,
            request_date: required(&r.request_date, "requestDate")?,
            usd_cents: required(&r.usd_cents, "usdExchangeAmount")?,
            currency: r.currency.clone(),
            amount: r.amount.clone(),
            evidence_submitted: r.evidence_submitted.unwrap_or(false),
            receiver_country: r.receiver_country.clone(),
            withdrawal: None,
        }),
        RowAction::Correct => ReportRow::Correct(Correction {
            bmi,
            user_id: r.user_id.clone(),
            request_date: required(&r.request_date, "requestDate")?,
            usd_cents: required(&r.usd_cents, "usdExchangeAmount")?,
            currency: r.currency.clone(),
            amount: r.amount.clone(),
            evidence_submitted: r.evidence_submitted,
            receiver_country: r.receiver_country.clone(),
        }),
        RowAction::Return => ReportRow::Return(ReturnReport {
            bmi,
            return_date: required(&r.return_date, "returnDate")?,
            reason: r.reason.clone(),
        }),
    })
}

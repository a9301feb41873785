//! Read-only views of the ledger's raw rows, for consistency checks that
//! must see what is on disk rather than what the services answer (the crash
//! test in crates/finhub/tests/crash reads them after killing the server).
//! Nothing here is on a request path.

use crate::{map_err, on_db, Store};
use finhub_core::ledger::TransferOutcome;
use finhub_core::{CoreError, CoreResult};

/// One journal entry with its postings, in posting order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryView {
    pub entry_id: i64,
    pub scope: String,
    pub key: String,
    pub kind: String,
    /// (account_id, amount_minor) per posting.
    pub postings: Vec<(String, i64)>,
}

/// entry_id, scope, key, kind, and one posting's account and amount (none
/// for an entry without postings).
type EntryPostingRow = (i64, String, String, String, Option<String>, Option<i64>);

/// `prefix` as a LIKE pattern that matches it literally.
fn like_prefix(prefix: &str) -> String {
    let mut p = String::with_capacity(prefix.len() + 1);
    for c in prefix.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

impl Store {
    /// Every journal entry whose scope starts with `scope_prefix`, with its
    /// postings; a key applied twice shows as two entries.
    pub async fn inspect_entries(&self, scope_prefix: &str) -> CoreResult<Vec<EntryView>> {
        let rows: Vec<EntryPostingRow> = on_db!(&self.db, p => sqlx::query_as(
            "SELECT j.entry_id, j.scope, j.idem_key, j.kind, p.account_id, p.amount_minor \
             FROM journal_entries j LEFT JOIN postings p ON p.entry_id = j.entry_id \
             WHERE j.scope LIKE $1 ESCAPE '\\' ORDER BY j.entry_id, p.account_id, p.seq")
            .bind(like_prefix(scope_prefix)).fetch_all(p).await)
        .map_err(map_err)?;
        let mut out: Vec<EntryView> = Vec::new();
        for (entry_id, scope, key, kind, account, amount) in rows {
            if out.last().map(|e| e.entry_id) != Some(entry_id) {
                out.push(EntryView {
                    entry_id,
                    scope,
                    key,
                    kind,
                    postings: Vec::new(),
                });
            }
            if let (Some(a), Some(m), Some(e)) = (account, amount, out.last_mut()) {
                e.postings.push((a, m));
            }
        }
        Ok(out)
    }

    /// Every recorded outcome (applied or refused) whose scope starts with
    /// `scope_prefix`, with the entry id its row points at.
    pub async fn inspect_outcomes(
        &self,
        scope_prefix: &str,
    ) -> CoreResult<Vec<(TransferOutcome, Option<i64>)>> {
        let rows: Vec<(String, Option<i64>)> = on_db!(&self.db, p => sqlx::query_as(
            "SELECT outcome, entry_id FROM idempotency WHERE scope LIKE $1 ESCAPE '\\' ORDER BY scope, idem_key")
            .bind(like_prefix(scope_prefix)).fetch_all(p).await)
        .map_err(map_err)?;
        rows.into_iter()
            .map(|(json, entry)| {
                serde_json::from_str(&json)
                    .map(|o| (o, entry))
                    .map_err(|e| CoreError::Internal(format!("stored outcome: {e}")))
            })
            .collect()
    }

    /// Every limit counter: (counter, period, total_minor).
    pub async fn inspect_limit_counters(&self) -> CoreResult<Vec<(String, String, i64)>> {
        on_db!(&self.db, p => sqlx::query_as(
            "SELECT counter, period, total_minor FROM limit_counters ORDER BY counter, period")
            .fetch_all(p).await)
        .map_err(map_err)
    }
}

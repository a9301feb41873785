//! Journal entry ids no two writers share. Each writer takes a block of ids
//! from `id_blocks` in a short transaction of its own and hands them out
//! from memory: processes on one database never pick the same id, and no
//! batch reads `MAX(entry_id)` (which two nodes would read alike). Ids are
//! unique and rise within a writer; across writers they say nothing of order.

use crate::Db;
use std::ops::Range;

const JOURNAL: &str = "journal_entries";

/// Ids a writer takes at once: one update per this many entries.
const BLOCK: i64 = 4096;

/// `n` fresh journal entry ids, for this caller alone.
pub(crate) async fn reserve(db: &Db, n: i64) -> Result<Range<i64>, sqlx::Error> {
    let sql = "UPDATE id_blocks SET next_id = next_id + $1 WHERE name = $2 RETURNING next_id";
    let end: i64 =
        crate::on_db!(db, p => sqlx::query_scalar(sql).bind(n).bind(JOURNAL).fetch_one(p).await)?;
    Ok(end - n..end)
}

/// The block a writer has in hand.
#[derive(Debug, Default)]
pub(crate) struct Ids {
    next: i64,
    end: i64,
}

impl Ids {
    /// The first of `n` consecutive ids, taking a new block when this one
    /// has fewer left.
    pub(crate) async fn first_of(&mut self, db: &Db, n: usize) -> Result<i64, sqlx::Error> {
        let n = i64::try_from(n).unwrap_or(i64::MAX);
        if self.end - self.next < n {
            let r = reserve(db, n.max(BLOCK)).await?;
            (self.next, self.end) = (r.start, r.end);
        }
        Ok(self.next)
    }

    /// Every id below `next` is spent: used, or perhaps used by a commit
    /// that failed to answer, so never handed out again.
    pub(crate) fn spent_to(&mut self, next: i64) {
        self.next = self.next.max(next);
    }
}

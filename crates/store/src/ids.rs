//! Journal entry ids no two writers share. Each writer takes a block of ids
//! from `id_blocks` in a short transaction of its own and hands them out
//! from memory: processes on one database never pick the same id, and no
//! batch reads `MAX(entry_id)` (which two nodes would read alike). Ids are
//! unique and rise within a writer; across writers they say nothing of order.

use crate::sql::{Arg, Tx};
use crate::Db;
use std::ops::Range;

const JOURNAL: &str = "journal_entries";

/// Ids a writer takes at once: one update per this many entries.
const BLOCK: i64 = 4096;

/// `n` fresh journal entry ids, for this caller alone.
pub(crate) async fn reserve(db: &Db, n: i64) -> Result<Range<i64>, sqlx::Error> {
    let sql = "UPDATE id_blocks SET next_id = next_id + $1 WHERE name = $2 RETURNING next_id";
    // In a transaction of its own that takes the write lock first (SQLite's
    // BEGIN IMMEDIATE): an autocommit update that reads before it writes is
    // refused at once, busy timeout or not, when another writer committed
    // in between.
    let mut tx = Tx::begin(db).await?;
    let end: Option<(i64,)> = tx
        .fetch_optional(sql, &[Arg::Int(n), Arg::Text(JOURNAL)])
        .await?;
    tx.commit().await?;
    let (end,) = end.ok_or(sqlx::Error::RowNotFound)?;
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

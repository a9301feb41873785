//! Helpers for statements built at run time: the writer's and the bulk
//! loader's multi-row statements, written once and sent to either engine as
//! SQL text plus a list of bind values.

use crate::Db;
use sqlx::postgres::{PgRow, Postgres};
use sqlx::sqlite::{Sqlite, SqliteRow};
use sqlx::{Arguments, Database, Encode, FromRow, Transaction, Type};

/// Most bind parameters one statement may carry on each engine.
const SQLITE_MAX_BINDS: usize = 32_766;
const PG_MAX_BINDS: usize = 65_535;

/// Column lists written once: the writer and the bulk loader insert the same rows.
pub(crate) const POSTING_COLS: &str = "account_id, seq, entry_id, at, kind, currency, \
     amount_minor, balance_after_minor, memo, counterparty";
pub(crate) const ENTRY_COLS: &str = "entry_id, at, kind, scope, idem_key";

/// How many columns a list such as [`POSTING_COLS`] names.
pub(crate) const fn count_cols(cols: &str) -> usize {
    let b = cols.as_bytes();
    let (mut i, mut n) = (0, 1);
    while i < b.len() {
        if b[i] == b',' {
            n += 1;
        }
        i += 1;
    }
    n
}

/// Append `rows` groups of `cols` placeholders. PostgreSQL needs `$n`;
/// SQLite gets anonymous `?`, because it resolves every numbered
/// parameter's name by a linear scan, which makes a statement of
/// thousands of `$n` quadratic to bind.
pub(crate) fn push_values(sql: &mut String, rows: usize, cols: usize, numbered: bool) {
    use std::fmt::Write;
    sql.reserve(rows * cols * 8);
    for r in 0..rows {
        sql.push_str(if r > 0 { ", (" } else { "(" });
        for c in 0..cols {
            if c > 0 {
                sql.push_str(", ");
            }
            if numbered {
                let _ = write!(sql, "${}", r * cols + c + 1);
            } else {
                sql.push('?');
            }
        }
        sql.push(')');
    }
}

/// "$first, $first+1, ..." for an IN list of `n` values.
pub(crate) fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Rows per statement for `cols` columns under a bind limit.
pub(crate) fn rows_per_stmt(max_binds: usize, cols: usize) -> usize {
    (max_binds / cols).clamp(1, 5_000)
}

/// One bind value.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Arg<'q> {
    Text(&'q str),
    Int(i64),
    OptInt(Option<i64>),
    OptText(Option<&'q str>),
}

/// A row of a multi-row statement: its columns, named once, and its values
/// in that order.
pub(crate) trait BindRow {
    const COLS: &'static str;
    fn args<'a>(&'a self, out: &mut Vec<Arg<'a>>);
}

/// A transaction on either engine.
pub(crate) enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Pg(Transaction<'static, Postgres>),
}

fn to_args<'q, DB: Database>(vals: &[Arg<'q>]) -> Result<DB::Arguments<'q>, sqlx::Error>
where
    &'q str: Encode<'q, DB> + Type<DB>,
    i64: Encode<'q, DB> + Type<DB>,
    Option<i64>: Encode<'q, DB> + Type<DB>,
    Option<&'q str>: Encode<'q, DB> + Type<DB>,
{
    let mut a = DB::Arguments::<'q>::default();
    a.reserve(vals.len(), vals.len() * 8);
    for v in vals {
        match *v {
            Arg::Text(s) => a.add(s),
            Arg::Int(i) => a.add(i),
            Arg::OptInt(i) => a.add(i),
            Arg::OptText(s) => a.add(s),
        }
        .map_err(sqlx::Error::Encode)?;
    }
    Ok(a)
}

impl Tx {
    /// Begin a write transaction. SQLite: BEGIN IMMEDIATE takes the write
    /// lock at once, so the batch reads what no other writer can change.
    pub(crate) async fn begin(db: &Db) -> Result<Tx, sqlx::Error> {
        Ok(match db {
            Db::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Db::Pg(p) => Tx::Pg(p.begin_with("BEGIN").await?),
        })
    }

    /// `begin`, for a ledger writer: on PostgreSQL the same round trip names
    /// the writer's own `cluster_epochs` row for the balance trigger (see
    /// `coherence`). `node` is the writer's generated name (hex and `:`).
    pub(crate) async fn begin_as(db: &Db, node: &str) -> Result<Tx, sqlx::Error> {
        debug_assert!(node.bytes().all(|b| b.is_ascii_alphanumeric() || b == b':'));
        match db {
            Db::Pg(p) => {
                let begin = format!("BEGIN; SET LOCAL finhub.node = '{node}'");
                Ok(Tx::Pg(p.begin_with(begin).await?))
            }
            Db::Sqlite(_) => Tx::begin(db).await,
        }
    }

    /// `$n` placeholders (PostgreSQL) or `?` (SQLite) in multi-row statements.
    pub(crate) fn numbered(&self) -> bool {
        matches!(self, Tx::Pg(_))
    }

    /// The row-lock clause of a read the batch will write after.
    pub(crate) fn lock(&self) -> &'static str {
        match self {
            Tx::Sqlite(_) => "",
            Tx::Pg(_) => " FOR UPDATE",
        }
    }

    /// Placeholders for parameters `first..first + n`: `$n` on PostgreSQL,
    /// anonymous `?` on SQLite (see [`push_values`]). A statement uses one
    /// style throughout: sqlx numbers SQLite's `?` apart from its `$n`.
    pub(crate) fn marks(&self, first: usize, n: usize) -> String {
        if self.numbered() {
            placeholders(first, n)
        } else {
            vec!["?"; n].join(", ")
        }
    }

    pub(crate) fn max_binds(&self) -> usize {
        match self {
            Tx::Sqlite(_) => SQLITE_MAX_BINDS,
            Tx::Pg(_) => PG_MAX_BINDS,
        }
    }

    pub(crate) async fn execute<'q>(
        &mut self,
        sql: &'q str,
        args: &[Arg<'q>],
    ) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(t) => sqlx::query_with(sql, to_args::<Sqlite>(args)?)
                .execute(&mut **t)
                .await
                .map(drop),
            Tx::Pg(t) => sqlx::query_with(sql, to_args::<Postgres>(args)?)
                .execute(&mut **t)
                .await
                .map(drop),
        }
    }

    /// Rows the statement changed.
    pub(crate) async fn changed<'q>(
        &mut self,
        sql: &'q str,
        args: &[Arg<'q>],
    ) -> Result<u64, sqlx::Error> {
        match self {
            Tx::Sqlite(t) => sqlx::query_with(sql, to_args::<Sqlite>(args)?)
                .execute(&mut **t)
                .await
                .map(|r| r.rows_affected()),
            Tx::Pg(t) => sqlx::query_with(sql, to_args::<Postgres>(args)?)
                .execute(&mut **t)
                .await
                .map(|r| r.rows_affected()),
        }
    }

    pub(crate) async fn fetch_all<'q, T>(
        &mut self,
        sql: &'q str,
        args: &[Arg<'q>],
    ) -> Result<Vec<T>, sqlx::Error>
    where
        T: Send + Unpin + for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow>,
    {
        match self {
            Tx::Sqlite(t) => {
                sqlx::query_as_with(sql, to_args::<Sqlite>(args)?)
                    .fetch_all(&mut **t)
                    .await
            }
            Tx::Pg(t) => {
                sqlx::query_as_with(sql, to_args::<Postgres>(args)?)
                    .fetch_all(&mut **t)
                    .await
            }
        }
    }

    pub(crate) async fn fetch_optional<'q, T>(
        &mut self,
        sql: &'q str,
        args: &[Arg<'q>],
    ) -> Result<Option<T>, sqlx::Error>
    where
        T: Send + Unpin + for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow>,
    {
        match self {
            Tx::Sqlite(t) => {
                sqlx::query_as_with(sql, to_args::<Sqlite>(args)?)
                    .fetch_optional(&mut **t)
                    .await
            }
            Tx::Pg(t) => {
                sqlx::query_as_with(sql, to_args::<Postgres>(args)?)
                    .fetch_optional(&mut **t)
                    .await
            }
        }
    }

    /// `head`, then one `(…)` group per row, then `tail`, in as few
    /// statements as the engine's bind limit allows.
    pub(crate) async fn rows<R: BindRow>(
        &mut self,
        head: &str,
        rows: &[R],
        tail: &str,
    ) -> Result<(), sqlx::Error> {
        let cols = count_cols(R::COLS);
        for chunk in rows.chunks(rows_per_stmt(self.max_binds(), cols)) {
            let mut sql = String::from(head);
            push_values(&mut sql, chunk.len(), cols, self.numbered());
            sql.push_str(tail);
            let mut args = Vec::with_capacity(chunk.len() * cols);
            for r in chunk {
                r.args(&mut args);
            }
            debug_assert_eq!(args.len(), chunk.len() * cols, "{} binds", R::COLS);
            self.execute(&sql, &args).await?;
        }
        Ok(())
    }

    /// `INSERT INTO table (R::COLS) VALUES …` then `tail`.
    pub(crate) async fn insert<R: BindRow>(
        &mut self,
        table: &str,
        rows: &[R],
        tail: &str,
    ) -> Result<(), sqlx::Error> {
        let head = format!("INSERT INTO {table} ({}) VALUES ", R::COLS);
        self.rows(&head, rows, tail).await
    }

    pub(crate) async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(t) => t.commit().await,
            Tx::Pg(t) => t.commit().await,
        }
    }
}

/// One statement on the pool, outside any transaction, with `$n`
/// placeholders on both engines (statements of a few binds).
impl Db {
    /// Rows the statement changed.
    pub(crate) async fn execute<'q>(
        &self,
        sql: &'q str,
        args: &[Arg<'q>],
    ) -> Result<u64, sqlx::Error> {
        match self {
            Db::Sqlite(p) => sqlx::query_with(sql, to_args::<Sqlite>(args)?)
                .execute(p)
                .await
                .map(|r| r.rows_affected()),
            Db::Pg(p) => sqlx::query_with(sql, to_args::<Postgres>(args)?)
                .execute(p)
                .await
                .map(|r| r.rows_affected()),
        }
    }

    pub(crate) async fn fetch_all<'q, T>(
        &self,
        sql: &'q str,
        args: &[Arg<'q>],
    ) -> Result<Vec<T>, sqlx::Error>
    where
        T: Send + Unpin + for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow>,
    {
        match self {
            Db::Sqlite(p) => {
                sqlx::query_as_with(sql, to_args::<Sqlite>(args)?)
                    .fetch_all(p)
                    .await
            }
            Db::Pg(p) => {
                sqlx::query_as_with(sql, to_args::<Postgres>(args)?)
                    .fetch_all(p)
                    .await
            }
        }
    }

    pub(crate) async fn fetch_optional<'q, T>(
        &self,
        sql: &'q str,
        args: &[Arg<'q>],
    ) -> Result<Option<T>, sqlx::Error>
    where
        T: Send + Unpin + for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow>,
    {
        match self {
            Db::Sqlite(p) => {
                sqlx::query_as_with(sql, to_args::<Sqlite>(args)?)
                    .fetch_optional(p)
                    .await
            }
            Db::Pg(p) => {
                sqlx::query_as_with(sql, to_args::<Postgres>(args)?)
                    .fetch_optional(p)
                    .await
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_lists_count_their_columns() {
        assert_eq!(count_cols(POSTING_COLS), 10);
        assert_eq!(count_cols(ENTRY_COLS), 5);
        assert_eq!(count_cols("a"), 1);
    }
}

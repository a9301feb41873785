//! Helpers for statements built at run time.

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

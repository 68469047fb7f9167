//! Small helpers for reading `Any` rows and binding booleans the same way on both
//! backends (booleans are stored as 0 / 1 integers).

use sqlx::Row;
use sqlx::any::AnyRow;

pub(crate) fn text(row: &AnyRow, col: &str) -> sqlx::Result<String> {
    row.try_get::<String, _>(col)
}

pub(crate) fn int(row: &AnyRow, col: &str) -> sqlx::Result<i64> {
    row.try_get::<i64, _>(col)
}

pub(crate) fn opt_int(row: &AnyRow, col: &str) -> sqlx::Result<Option<i64>> {
    row.try_get::<Option<i64>, _>(col)
}

pub(crate) fn opt_text(row: &AnyRow, col: &str) -> sqlx::Result<Option<String>> {
    row.try_get::<Option<String>, _>(col)
}

pub(crate) fn flag(row: &AnyRow, col: &str) -> sqlx::Result<bool> {
    Ok(int(row, col)? != 0)
}

/// Escapes `%`, `_` and `\` for a LIKE pattern and wraps it in `%…%`, lower-cased (queries
/// compare `LOWER(col) LIKE $n ESCAPE '\'` so both backends match case-insensitively).
pub(crate) fn like_pattern(q: &str) -> String {
    let mut out = String::with_capacity(q.len() + 2);
    out.push('%');
    for c in q.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// `$first, $first+1, …`: the placeholders of an IN list of `n` values.
pub(crate) fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_escapes() {
        assert_eq!(super::like_pattern("A_b%"), "%a\\_b\\%%");
    }
}

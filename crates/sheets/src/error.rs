//! Why a table could not be read: not a table, a broken CSV or xlsx, or a bound of
//! [`Limits`] broken (with the bound, so the caller can say it in the user's language).

use crate::limits::{Limit, Limits};

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("not a CSV or xlsx file")]
    Unknown,
    #[error("the CSV cannot be read: {0}")]
    Csv(#[from] csv::Error),
    #[error("the xlsx cannot be read: {0}")]
    Xlsx(String),
    /// A bound of [`Limits`] was broken; `limit` is its value.
    #[error("{} (limit {limit})", what.code())]
    TooBig { what: Limit, limit: u64 },
}

impl ReadError {
    pub(crate) fn limit(what: Limit, limits: &Limits) -> ReadError {
        ReadError::TooBig {
            what,
            limit: what.value(limits),
        }
    }
}

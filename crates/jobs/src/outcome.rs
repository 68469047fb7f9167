//! What a handler's run ends with: done, due again, cancelled, or an error that the
//! kind's retry policy turns into a later attempt or a failure.

use wharf_store::StoreError;

/// A run that went as it should.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Finished; the text is kept in the row's `result` (may be empty).
    Done(String),
    /// Worked, and comes round again at this time (seconds since the epoch): a sync
    /// that keeps its account current. Attempts start again from zero.
    Again(i64),
    /// Stopped because it was asked to (see [`crate::JobCtx::cancelled`]).
    Cancelled,
}

impl Outcome {
    pub fn done() -> Outcome {
        Outcome::Done(String::new())
    }
}

/// A run that failed. The runner keeps the text as the row's `last_error`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobError {
    /// Try again after the kind's backoff, until its attempts are used up.
    #[error("{0}")]
    Retry(String),
    /// Try again at this time (the handler knows better, e.g. a server's retry hint);
    /// still counted against the kind's attempts.
    #[error("{1}")]
    RetryAt(i64, String),
    /// Retrying cannot help (bad payload, a record that is gone): failed at once.
    #[error("{0}")]
    Permanent(String),
}

impl From<StoreError> for JobError {
    fn from(e: StoreError) -> JobError {
        JobError::Retry(e.to_string())
    }
}

//! The job table (CONVENTIONS §9): work as rows (kind, key, payload, run-at) picked up
//! under a lease, so two processes never run one job at once and a job whose process
//! died is picked up again when its lease runs out. A row also holds its state,
//! progress, result or last error and its times, so every node sees them. The runner
//! that uses these calls is the `wharf-jobs` crate.

mod effects;
mod finish;
mod lease;
mod queue;
pub(crate) use queue::ENQUEUE;

pub use lease::KindClaim;

use sqlx::any::AnyRow;

use crate::rows::{int, opt_int, text};
use crate::{Result, Store};

/// The kinds of job the store itself queues (the runner's registry names the rest).
pub mod kinds {
    /// Sync one account (key: account id).
    pub const SYNC: &str = "sync";
    /// Deliver one queued message (key: outgoing id).
    pub const SEND: &str = "send";
    /// Push a message's read / star state to its IMAP server (key: message id).
    pub const FLAGS: &str = "flags";
    /// Check DKIM / SPF / DMARC of queued messages (key: `queue`; see `message_auth`).
    pub const AUTH: &str = "auth";
    /// Sweep orphan blobs and old kept uploads (key: `daily`; recurring).
    pub const BLOB_SWEEP: &str = "blob_sweep";
    /// Put a message where Wharf files it on its IMAP server (key: message id).
    pub const MAIL_MOVE: &str = "mail_move";
    /// Create, rename or delete a folder made in Wharf on its IMAP server (key: folder id).
    pub const MAIL_FOLDER: &str = "mail_folder";
    /// Remove a message deleted for good from its IMAP server (payload: where it was;
    /// queued in the deletion's own transaction, as the rows that say so go with it).
    pub const MAIL_EXPUNGE: &str = "mail_expunge";
}

/// A job's states: `queued` (waiting for its run-at), `running` (leased; a lapsed
/// lease makes it claimable again), and the three ends.
pub mod state {
    pub const QUEUED: &str = "queued";
    pub const RUNNING: &str = "running";
    pub const DONE: &str = "done";
    pub const FAILED: &str = "failed";
    pub const CANCELLED: &str = "cancelled";
}

/// One row of the job table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub unique_key: String,
    pub payload: String,
    /// Runs begun since the last success (the claim counts them).
    pub attempts: i64,
    pub state: String,
    pub run_at: i64,
    pub lease_until: i64,
    pub progress_done: i64,
    pub progress_total: i64,
    pub result: String,
    pub last_error: String,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub cancel_requested: bool,
}

impl Job {
    /// Done, failed or cancelled: it will not run again unless queued anew.
    pub fn is_finished(&self) -> bool {
        matches!(
            self.state.as_str(),
            state::DONE | state::FAILED | state::CANCELLED
        )
    }

    /// Held by a live lease at `at` (some node runs it now).
    pub fn is_leased(&self, at: i64) -> bool {
        self.state == state::RUNNING && self.lease_until >= at
    }
}

/// The columns [`job_from_row`] reads.
pub(crate) const COLUMNS: &str = "id, kind, unique_key, payload, attempts, state, run_at, lease_until, \
     progress_done, progress_total, result, last_error, started_at, finished_at, cancel_requested";

pub(crate) fn job_from_row(r: &AnyRow) -> sqlx::Result<Job> {
    Ok(Job {
        id: int(r, "id")?,
        kind: text(r, "kind")?,
        unique_key: text(r, "unique_key")?,
        payload: text(r, "payload")?,
        attempts: int(r, "attempts")?,
        state: text(r, "state")?,
        run_at: int(r, "run_at")?,
        lease_until: int(r, "lease_until")?,
        progress_done: int(r, "progress_done")?,
        progress_total: int(r, "progress_total")?,
        result: text(r, "result")?,
        last_error: text(r, "last_error")?,
        started_at: opt_int(r, "started_at")?,
        finished_at: opt_int(r, "finished_at")?,
        cancel_requested: int(r, "cancel_requested")? != 0,
    })
}

impl Store {
    /// One job by id, for a page that shows its progress or outcome.
    pub async fn get_job(&self, id: i64) -> Result<Option<Job>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM jobs WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(job_from_row).transpose()?)
    }

    /// The job of `kind` with `unique_key`, whatever its state.
    pub async fn find_job(&self, kind: &str, unique_key: &str) -> Result<Option<Job>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM jobs WHERE kind = $1 AND unique_key = $2"
        )))
        .bind(kind)
        .bind(unique_key)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(job_from_row).transpose()?)
    }
}

//! Ending a run, by the runner that holds the lease: done (or due again, for a job
//! that keeps coming round), retry later, failed for good, or cancelled. Each is a
//! no-op when the lease was lost to another node. A job asked for again while it ran
//! (`run_job_now` set `rerun`) is queued, due at once, however the run ended.

use super::state::{CANCELLED, DONE, FAILED};
use crate::db::now;
use crate::{Result, Store};

impl Store {
    /// Ends a run: with `next_run_at`, the job waits for it (an empty `error` also
    /// resets its attempts: it worked); without, it is done, or failed when `error`
    /// says why.
    pub async fn finish_job(
        &self,
        id: i64,
        owner: &str,
        next_run_at: Option<i64>,
        error: &str,
    ) -> Result<()> {
        match (next_run_at, error.is_empty()) {
            (Some(at), true) => self.job_again(id, owner, at, "").await,
            (Some(at), false) => self.retry_job(id, owner, at, error).await,
            (None, true) => self.complete_job(id, owner, "").await,
            (None, false) => self.fail_job(id, owner, error).await,
        }
    }

    /// The run worked and the job comes round again at `at` (a sync, a recurring job):
    /// attempts and error are reset, the result kept.
    pub async fn job_again(&self, id: i64, owner: &str, at: i64, result: &str) -> Result<()> {
        sqlx::query(
            "UPDATE jobs SET state = 'queued', run_at = CASE WHEN rerun = 1 THEN $3 ELSE $1 END, rerun = 0, \
             lease_owner = '', lease_until = 0, last_error = '', attempts = 0, result = $2, finished_at = $3, updated_at = $3 WHERE id = $4 AND lease_owner = $5",
        )
        .bind(at)
        .bind(result)
        .bind(now())
        .bind(id)
        .bind(owner)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The run failed and the job tries again at `at`, keeping its error and attempts.
    pub async fn retry_job(&self, id: i64, owner: &str, at: i64, error: &str) -> Result<()> {
        sqlx::query(
            "UPDATE jobs SET state = 'queued', run_at = CASE WHEN rerun = 1 THEN $3 ELSE $1 END, rerun = 0, \
             lease_owner = '', lease_until = 0, last_error = $2, updated_at = $3 WHERE id = $4 AND lease_owner = $5",
        )
        .bind(at)
        .bind(error)
        .bind(now())
        .bind(id)
        .bind(owner)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A recurring job whose run failed for good waits for its next time at `at`,
    /// keeping the error; its attempts start again.
    pub async fn reschedule_job(&self, id: i64, owner: &str, at: i64, error: &str) -> Result<()> {
        sqlx::query(
            "UPDATE jobs SET state = 'queued', run_at = CASE WHEN rerun = 1 THEN $3 ELSE $1 END, rerun = 0, \
             lease_owner = '', lease_until = 0, last_error = $2, attempts = 0, finished_at = $3, updated_at = $3 WHERE id = $4 AND lease_owner = $5",
        )
        .bind(at)
        .bind(error)
        .bind(now())
        .bind(id)
        .bind(owner)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The job is done, with its result.
    pub async fn complete_job(&self, id: i64, owner: &str, result: &str) -> Result<()> {
        self.end_job(id, owner, DONE, result, "").await
    }

    /// The job failed for good, keeping its last error.
    pub async fn fail_job(&self, id: i64, owner: &str, error: &str) -> Result<()> {
        self.end_job(id, owner, FAILED, "", error).await
    }

    /// The job stopped because it was asked to (it is not retried).
    pub async fn cancelled_job(&self, id: i64, owner: &str) -> Result<()> {
        self.end_job(id, owner, CANCELLED, "", "").await
    }

    async fn end_job(
        &self,
        id: i64,
        owner: &str,
        state: &str,
        result: &str,
        error: &str,
    ) -> Result<()> {
        sqlx::query(
            // Asked again during the run (`rerun`): queued, due now, instead of ending.
            "UPDATE jobs SET state = CASE WHEN rerun = 1 THEN 'queued' ELSE $1 END, \
             run_at = CASE WHEN rerun = 1 THEN $4 ELSE run_at END, \
             attempts = CASE WHEN rerun = 1 THEN 0 ELSE attempts END, \
             cancel_requested = CASE WHEN rerun = 1 THEN 0 ELSE cancel_requested END, rerun = 0, \
             result = $2, last_error = $3, lease_owner = '', lease_until = 0, \
             finished_at = $4, updated_at = $4 WHERE id = $5 AND lease_owner = $6",
        )
        .bind(state)
        .bind(result)
        .bind(error)
        .bind(now())
        .bind(id)
        .bind(owner)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

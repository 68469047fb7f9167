//! Putting work in the table: enqueue (one job per kind and key), run now, ask to
//! cancel, and prune finished rows.

use super::state::{CANCELLED, DONE, FAILED};
use crate::db::now;
use crate::{Result, Store};

/// Queues a job (a keyed one again once it has ended): kind, key, payload, run at, now.
pub(crate) const ENQUEUE: &str = "INSERT INTO jobs (kind, unique_key, payload, run_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) \
     ON CONFLICT (kind, unique_key) WHERE unique_key <> '' DO UPDATE SET state = 'queued', payload = excluded.payload, \
     run_at = excluded.run_at, attempts = 0, lease_owner = '', lease_until = 0, last_error = '', result = '', \
     progress_done = 0, progress_total = 0, started_at = NULL, finished_at = NULL, cancel_requested = 0, \
     updated_at = excluded.updated_at \
     WHERE jobs.state IN ('done', 'failed', 'cancelled')";

impl Store {
    /// Adds a job. A job with the same non-empty `unique_key` of the same kind is kept
    /// as it is while it waits or runs (returns false then); a finished one (done,
    /// failed, cancelled) is queued again with the new payload and run-at.
    pub async fn enqueue_job(
        &self,
        kind: &str,
        unique_key: &str,
        payload: &str,
        run_at: i64,
    ) -> Result<bool> {
        let t = now();
        let done = sqlx::query(ENQUEUE)
            .bind(kind)
            .bind(unique_key)
            .bind(payload)
            .bind(run_at)
            .bind(t)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Makes a keyed job due now (e.g. "sync this account now", "push this flag"). A
    /// job running under a live lease read the state before this request, so it is
    /// marked to be queued again, due at once, when that run ends (whatever its end).
    pub async fn run_job_now(&self, kind: &str, unique_key: &str) -> Result<()> {
        if !self.enqueue_job(kind, unique_key, "", now()).await? {
            let t = now();
            sqlx::query(
                "UPDATE jobs SET run_at = $1, \
                 rerun = CASE WHEN state = 'running' AND lease_until >= $1 THEN 1 ELSE rerun END \
                 WHERE kind = $2 AND unique_key = $3",
            )
            .bind(t)
            .bind(kind)
            .bind(unique_key)
            .execute(&self.pool)
            .await?;
        }
        Ok(())
    }

    /// Asks a job to stop. A job nobody runs ends as cancelled at once; a running one
    /// sees the request through its context and stops between units of work. False
    /// when the job had already finished (or does not exist).
    pub async fn request_job_cancel(&self, id: i64) -> Result<bool> {
        let t = now();
        let done = sqlx::query(
            "UPDATE jobs SET cancel_requested = 1, updated_at = $1, \
             state = CASE WHEN lease_until < $1 THEN 'cancelled' ELSE state END, \
             finished_at = CASE WHEN lease_until < $1 THEN $1 ELSE finished_at END \
             WHERE id = $2 AND state IN ('queued', 'running')",
        )
        .bind(t)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Housekeeping: ends as cancelled the jobs asked to stop whose runner died, and
    /// deletes finished jobs that ended before `finished_before`. Returns rows deleted.
    pub async fn prune_jobs(&self, finished_before: i64) -> Result<u64> {
        let t = now();
        sqlx::query(
            "UPDATE jobs SET state = 'cancelled', finished_at = $1, updated_at = $1 \
             WHERE cancel_requested = 1 AND state IN ('queued', 'running') AND lease_until < $1",
        )
        .bind(t)
        .execute(&self.pool)
        .await?;
        let done = sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM jobs WHERE state IN ('{DONE}', '{FAILED}', '{CANCELLED}') AND finished_at < $1"
        )))
        .bind(finished_before)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }
}

//! The job table (CONVENTIONS §9): work as rows (kind, key, payload, run-at) picked up
//! under a lease, so two processes never run one job at once and a job whose process
//! died is picked up again when its lease runs out. Mailbox sync, sending and the daily blob sweep run here.

use crate::db::now;

/// The kinds of job (one place, so the store can queue what the worker runs).
pub mod kinds {
    /// Sync one account (key: account id).
    pub const SYNC: &str = "sync";
    /// Deliver one queued message (key: outgoing id).
    pub const SEND: &str = "send";
    /// Push a message's read / star state to its IMAP server (key: message id).
    pub const FLAGS: &str = "flags";
    /// Check DKIM / SPF / DMARC of queued messages (key: `queue`; see `message_auth`).
    pub const AUTH: &str = "auth";
    /// Sweep orphan blobs and old kept uploads (key: `daily`; reschedules itself).
    pub const BLOB_SWEEP: &str = "blob_sweep";
}
use crate::rows::{int, text};
use crate::{Result, Store};

#[derive(Debug, Clone)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub unique_key: String,
    pub payload: String,
    pub attempts: i64,
}

impl Store {
    /// Adds a job; a job with the same non-empty `unique_key` of the same kind is kept as
    /// it is (returns false then).
    pub async fn enqueue_job(
        &self,
        kind: &str,
        unique_key: &str,
        payload: &str,
        run_at: i64,
    ) -> Result<bool> {
        let t = now();
        let done = sqlx::query(
            "INSERT INTO jobs (kind, unique_key, payload, run_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) \
             ON CONFLICT (kind, unique_key) WHERE unique_key <> '' DO NOTHING",
        )
        .bind(kind)
        .bind(unique_key)
        .bind(payload)
        .bind(run_at)
        .bind(t)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Makes a keyed job due now (e.g. "sync this account now").
    pub async fn run_job_now(&self, kind: &str, unique_key: &str) -> Result<()> {
        if !self.enqueue_job(kind, unique_key, "", now()).await? {
            sqlx::query("UPDATE jobs SET run_at = $1 WHERE kind = $2 AND unique_key = $3")
                .bind(now())
                .bind(kind)
                .bind(unique_key)
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    /// Takes the most overdue job of one of `kinds` that nobody holds, leasing it to
    /// `owner` for `lease_secs`.
    pub async fn claim_job(
        &self,
        owner: &str,
        kinds: &[&str],
        lease_secs: i64,
    ) -> Result<Option<Job>> {
        let t = now();
        let placeholders: Vec<String> = (0..kinds.len()).map(|i| format!("${}", i + 4)).collect();
        let sql = format!(
            "UPDATE jobs SET lease_owner = $1, lease_until = $2, attempts = attempts + 1, updated_at = $3 \
             WHERE lease_until < $3 AND id = (SELECT id FROM jobs WHERE run_at <= $3 AND lease_until < $3 \
             AND kind IN ({}) ORDER BY run_at, id LIMIT 1) \
             RETURNING id, kind, unique_key, payload, attempts",
            placeholders.join(", ")
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(owner)
            .bind(t + lease_secs)
            .bind(t);
        for k in kinds {
            q = q.bind(*k);
        }
        let row = q.fetch_optional(&self.pool).await?;
        Ok(match row {
            Some(r) => Some(Job {
                id: int(&r, "id")?,
                kind: text(&r, "kind")?,
                unique_key: text(&r, "unique_key")?,
                payload: text(&r, "payload")?,
                attempts: int(&r, "attempts")?,
            }),
            None => None,
        })
    }

    /// Extends a lease; false when the job is no longer ours.
    pub async fn renew_job(&self, id: i64, owner: &str, lease_secs: i64) -> Result<bool> {
        let done =
            sqlx::query("UPDATE jobs SET lease_until = $1 WHERE id = $2 AND lease_owner = $3")
                .bind(now() + lease_secs)
                .bind(id)
                .bind(owner)
                .execute(&self.pool)
                .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Ends a run: reschedules the job at `next_run_at` (keeping its error, if any), or
    /// deletes it when there is no next run.
    pub async fn finish_job(
        &self,
        id: i64,
        owner: &str,
        next_run_at: Option<i64>,
        error: &str,
    ) -> Result<()> {
        match next_run_at {
            Some(at) => {
                sqlx::query(
                    "UPDATE jobs SET run_at = $1, lease_owner = '', lease_until = 0, last_error = $2, \
                     attempts = CASE WHEN $2 = '' THEN 0 ELSE attempts END, updated_at = $3 \
                     WHERE id = $4 AND lease_owner = $5",
                )
                .bind(at)
                .bind(error)
                .bind(now())
                .bind(id)
                .bind(owner)
                .execute(&self.pool)
                .await?;
            }
            None => {
                sqlx::query("DELETE FROM jobs WHERE id = $1 AND lease_owner = $2")
                    .bind(id)
                    .bind(owner)
                    .execute(&self.pool)
                    .await?;
            }
        }
        Ok(())
    }
}

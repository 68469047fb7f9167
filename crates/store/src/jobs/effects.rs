//! Exactly-once effects: a job that sends something (a mail, later a webhook or a
//! campaign's mail) names each effect with a key, checks it before the effect and
//! records it right after, before the effect's own marker (e.g. the outgoing row's
//! `sent`), so a retried or re-leased job does not repeat what was done.

use crate::db::now;
use crate::{Result, Store};

impl Store {
    /// When the effect named `key` was done, if it was.
    pub async fn effect_done_at(&self, key: &str) -> Result<Option<i64>> {
        Ok(
            sqlx::query_scalar("SELECT done_at FROM job_effects WHERE effect_key = $1")
                .bind(key)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Records that the effect named `key` was done (by `job_id`); recording it again
    /// keeps the first record. False when it was recorded before.
    pub async fn record_effect(&self, key: &str, job_id: Option<i64>) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO job_effects (effect_key, job_id, done_at) VALUES ($1, $2, $3) \
             ON CONFLICT (effect_key) DO NOTHING",
        )
        .bind(key)
        .bind(job_id)
        .bind(now())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }
}

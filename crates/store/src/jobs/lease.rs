//! Taking work from the table: the claim (one due job of the kinds asked for, within
//! each kind's limit of leased rows across all nodes), lease renewal, progress, and the
//! cancel request as the running job sees it.

use super::{COLUMNS, Job, job_from_row};
use crate::db::now;
use crate::{Result, Store};

/// One kind a claim may take: its lease, and how many of its jobs may be leased at
/// once across every node (0: no limit).
#[derive(Debug, Clone, Copy)]
pub struct KindClaim<'a> {
    pub kind: &'a str,
    pub lease_secs: i64,
    pub limit: i64,
}

impl Store {
    /// Takes the most overdue job of one of `kinds` that nobody holds, leasing it to
    /// `owner` for `lease_secs` (no limit per kind).
    pub async fn claim_job(
        &self,
        owner: &str,
        kinds: &[&str],
        lease_secs: i64,
    ) -> Result<Option<Job>> {
        let claims: Vec<KindClaim> = kinds
            .iter()
            .map(|kind| KindClaim {
                kind,
                lease_secs,
                limit: 0,
            })
            .collect();
        self.claim_job_of(owner, &claims).await
    }

    /// Takes the most overdue due job of the given kinds that nobody holds and nobody
    /// asked to cancel, whose kind has fewer leased jobs than its limit, and leases it
    /// to `owner` (counting the attempt). The limit is counted inside the claim's
    /// statement; on PostgreSQL two nodes claiming in the same instant can each see one
    /// slot free, so a cluster may briefly run one more than the limit.
    pub async fn claim_job_of(&self, owner: &str, kinds: &[KindClaim<'_>]) -> Result<Option<Job>> {
        if kinds.is_empty() {
            return Ok(None);
        }
        let t = now();
        // $1 owner, $2 now; then per kind: name, lease, limit.
        let mut lease_case = String::from("CASE kind");
        let mut allowed = Vec::new();
        for (i, _) in kinds.iter().enumerate() {
            let (name, lease, limit) = (3 + 3 * i, 4 + 3 * i, 5 + 3 * i);
            lease_case.push_str(&format!(" WHEN ${name} THEN ${lease}"));
            allowed.push(format!(
                "(j.kind = ${name} AND (${limit} = 0 OR (SELECT count(*) FROM jobs r WHERE r.kind = ${name} \
                 AND r.state = 'running' AND r.lease_until >= $2) < ${limit}))"
            ));
        }
        lease_case.push_str(" ELSE 60 END");
        let sql = format!(
            "UPDATE jobs SET lease_owner = $1, lease_until = $2 + {lease_case}, attempts = attempts + 1, \
             rerun = 0, state = 'running', started_at = $2, updated_at = $2 \
             WHERE lease_until < $2 AND state IN ('queued', 'running') AND id = (SELECT j.id FROM jobs j \
             WHERE j.run_at <= $2 AND j.lease_until < $2 AND j.state IN ('queued', 'running') AND j.cancel_requested = 0 \
             AND ({}) ORDER BY j.run_at, j.id LIMIT 1) \
             RETURNING {COLUMNS}",
            allowed.join(" OR ")
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(owner).bind(t);
        for k in kinds {
            q = q.bind(k.kind).bind(k.lease_secs).bind(k.limit);
        }
        let row = q.fetch_optional(&self.pool).await?;
        Ok(row.as_ref().map(job_from_row).transpose()?)
    }

    /// Extends a lease; false when the job is no longer ours.
    pub async fn renew_job(&self, id: i64, owner: &str, lease_secs: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE jobs SET lease_until = $1 WHERE id = $2 AND lease_owner = $3 AND state = 'running'",
        )
        .bind(now() + lease_secs)
        .bind(id)
        .bind(owner)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Records how far a running job is (`total` 0: unknown); false when the job is no
    /// longer ours.
    pub async fn set_job_progress(
        &self,
        id: i64,
        owner: &str,
        done: i64,
        total: i64,
    ) -> Result<bool> {
        let updated = sqlx::query(
            "UPDATE jobs SET progress_done = $1, progress_total = $2, updated_at = $3 \
             WHERE id = $4 AND lease_owner = $5 AND state = 'running'",
        )
        .bind(done)
        .bind(total)
        .bind(now())
        .bind(id)
        .bind(owner)
        .execute(&self.pool)
        .await?;
        Ok(updated.rows_affected() > 0)
    }

    /// Whether someone asked the job to stop (a missing job counts as asked).
    pub async fn job_cancel_requested(&self, id: i64) -> Result<bool> {
        let flag: Option<i64> =
            sqlx::query_scalar("SELECT cancel_requested FROM jobs WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(flag.is_none_or(|f| f != 0))
    }
}

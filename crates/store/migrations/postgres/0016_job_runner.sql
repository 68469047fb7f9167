-- Issue 16, the job runner (crate wharf-jobs): a job's state, progress and outcome live
-- in its row, so every node (and a restarted one) sees them. Rows of before keep
-- working: they are queued (or leased) jobs, which 'queued' plus the lease describes.
ALTER TABLE jobs ADD COLUMN state TEXT NOT NULL DEFAULT 'queued';
ALTER TABLE jobs ADD COLUMN progress_done BIGINT NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN progress_total BIGINT NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN result TEXT NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN started_at BIGINT;
ALTER TABLE jobs ADD COLUMN finished_at BIGINT;
ALTER TABLE jobs ADD COLUMN cancel_requested BIGINT NOT NULL DEFAULT 0;
-- The claim counts a kind's leased rows (the cluster-wide concurrency limit).
CREATE INDEX jobs_kind_lease ON jobs (kind, lease_until);
CREATE INDEX jobs_finished ON jobs (finished_at);

-- Exactly-once effects: a job that sends something records one key per effect right
-- after it (and checks it before), so a retried or re-leased job does not repeat it.
CREATE TABLE job_effects (
    effect_key TEXT PRIMARY KEY,
    job_id BIGINT,
    done_at BIGINT NOT NULL
);

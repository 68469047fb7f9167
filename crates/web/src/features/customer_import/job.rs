//! The customer import's job kind, `customer_import`, registered by web rather than in
//! the jobs crate: the row check and its lookups live in this feature, and the jobs
//! crate stays below every feature. One import at a time across all nodes; progress in
//! the job's row; a restart leases the job again without importing anything twice.

use serde::{Deserialize, Serialize};
use wharf_jobs::{JobCtx, JobError, Kind, Outcome, Retry};
use wharf_store::StoreError;

use super::check::{RunEnd, checker_for, run};

/// The customer import's job kind (key: the import's id).
pub const IMPORT_JOB: &str = "customer_import";

/// An import job's payload: the import, who runs it from where, and the options chosen
/// (the owners; the stage and mapping are the import's own).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImportJob {
    pub import: i64,
    pub user: i64,
    pub ip: String,
    pub owners: Vec<i64>,
    /// The failure text in the user's language, `{reason}` to fill.
    pub failed_text: String,
}

/// One import at a time across all nodes (it holds one long transaction); a run
/// interrupted by a crash is taken up again when its lease lapses.
pub fn import_kind() -> Kind {
    Kind::new(IMPORT_JOB, run_import_job).limit(1).retry(Retry {
        max_attempts: 3,
        base_secs: 30,
        cap_secs: 300,
    })
}

/// The job: runs the import from its first row (an interrupted run rolled back, so
/// nothing of it is there), or does nothing when an earlier run committed it (its
/// `done` state is written in the import's transaction) — so no customer lands twice.
async fn run_import_job(job: JobCtx) -> Result<Outcome, JobError> {
    let p: ImportJob = serde_json::from_str(job.payload())
        .map_err(|e| JobError::Permanent(format!("bad import job: {e}")))?;
    let store = job.store().clone();
    let gone = |what: &str| JobError::Permanent(format!("{what} is gone"));
    let actor = store
        .load_actor(p.user)
        .await?
        .ok_or_else(|| gone("the importing user"))?;
    let i = match store.get_import(&actor, p.import).await {
        Ok(i) => i,
        Err(StoreError::Domain(e)) => return Err(JobError::Permanent(e.to_string())),
        Err(e) => return Err(e.into()),
    };
    if i.state == "done" {
        return Ok(Outcome::Done("imported before".into()));
    }
    let row_count = i.row_count;
    job.progress(0, u64::try_from(row_count).unwrap_or(0))
        .await?;
    let checker = checker_for(&store, &actor, &i).await?;
    let ctx = wharf_store::Ctx {
        actor: &actor,
        ip: &p.ip,
    };
    match run(store.clone(), ctx, i, checker, &p.owners, &job).await {
        Ok(report) => {
            let rows = u64::try_from(row_count).unwrap_or(0);
            job.progress(rows, rows).await?;
            Ok(Outcome::Done(
                serde_json::to_string(&report).unwrap_or_default(),
            ))
        }
        Err(RunEnd::Stopped) if job.cancelled().await => {
            // Asked to stop: rolled back, and it may be run again.
            store.set_import_state(p.import, "mapped", "").await?;
            Ok(Outcome::Cancelled)
        }
        Err(RunEnd::Stopped) => Err(JobError::Retry("the import's lease was lost".into())),
        Err(RunEnd::Failed(e)) => {
            tracing::warn!(import = p.import, "customer import failed: {e}");
            store
                .set_import_state(p.import, "failed", &p.failed_text.replace("{reason}", &e))
                .await?;
            Err(JobError::Permanent(e))
        }
    }
}

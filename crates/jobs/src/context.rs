//! What a running handler gets: its job's row, the store, progress reports, the
//! cancel check, and exactly-once effects.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use wharf_store::jobs::Job;
use wharf_store::{Store, StoreError};

use crate::outcome::JobError;

/// The handler's view of its run; cheap to clone.
#[derive(Clone)]
pub struct JobCtx {
    store: Store,
    job: Arc<Job>,
    owner: Arc<str>,
    /// Set when a cancel request was seen, or the lease was lost to another node.
    stop: Arc<AtomicBool>,
    /// The runner's progress of the jobs it runs now (see [`JobCtx::progress_here`]).
    live: LiveProgress,
}

/// Job id → (done, total) of the jobs a runner runs now.
pub(crate) type LiveProgress = Arc<Mutex<HashMap<i64, (u64, u64)>>>;

/// What [`JobCtx::once`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Once<T> {
    /// The effect ran now, giving this.
    Done(T),
    /// It had been done before (at this time), by this job's earlier run or another.
    AlreadyDone(i64),
}

impl JobCtx {
    pub(crate) fn new(
        store: Store,
        job: Job,
        owner: Arc<str>,
        stop: Arc<AtomicBool>,
        live: LiveProgress,
    ) -> JobCtx {
        JobCtx {
            store,
            job: Arc::new(job),
            owner,
            stop,
            live,
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The row as claimed (attempts already count this run).
    pub fn job(&self) -> &Job {
        &self.job
    }

    pub fn key(&self) -> &str {
        &self.job.unique_key
    }

    pub fn payload(&self) -> &str {
        &self.job.payload
    }

    /// The job's key as an id (most kinds key their job by a record's id).
    pub fn key_id(&self) -> Result<i64, JobError> {
        self.job
            .unique_key
            .parse()
            .map_err(|_| JobError::Permanent(format!("bad job key {:?}", self.job.unique_key)))
    }

    /// Records how far the run is only in this node's runner
    /// ([`crate::Runner::live_progress`]), for a handler that holds SQLite's one write
    /// transaction (a row write would wait for that very transaction).
    pub fn progress_here(&self, done: u64, total: u64) {
        if let Ok(mut live) = self.live.lock() {
            live.insert(self.job.id, (done, total));
        }
    }

    /// Records how far the run is, in the row (every node's pages read it there).
    pub async fn progress(&self, done: u64, total: u64) -> Result<(), JobError> {
        self.progress_here(done, total);
        let ours = self
            .store
            .set_job_progress(
                self.job.id,
                &self.owner,
                i64::try_from(done).unwrap_or(i64::MAX),
                i64::try_from(total).unwrap_or(i64::MAX),
            )
            .await?;
        if !ours {
            self.stop.store(true, Ordering::Relaxed);
            return Err(JobError::Retry("the job's lease was lost".into()));
        }
        Ok(())
    }

    /// Whether the run should stop: someone asked to cancel it, or another node took
    /// its lease over. Handlers call it between units of work and then return
    /// [`crate::Outcome::Cancelled`].
    pub async fn cancelled(&self) -> bool {
        if self.stop.load(Ordering::Relaxed) {
            return true;
        }
        match self.store.job_cancel_requested(self.job.id).await {
            Ok(true) => {
                self.stop.store(true, Ordering::Relaxed);
                true
            }
            Ok(false) => false,
            // The database is away: keep going; finishing will tell.
            Err(_) => false,
        }
    }

    /// Runs `effect` once for all runs of all jobs: see [`once`]. Keys name the
    /// effect, not the job: `send:<outgoing id>`, `webhook:<event id>`.
    pub async fn once<T, E, F>(&self, key: &str, effect: F) -> Result<Once<T>, E>
    where
        F: Future<Output = Result<T, E>>,
        E: From<StoreError>,
    {
        once(&self.store, key, Some(self.job.id), effect).await
    }
}

/// Runs `effect` unless the effect named `key` was done before, and records it right
/// after it succeeds — before the caller writes its own marker (an outgoing row's
/// `sent`) — so a run that dies after the effect and is run again does not repeat it.
/// The one window left is a crash between the effect's success and this record. An
/// effect that fails is not recorded (it may be tried again).
pub async fn once<T, E, F>(
    store: &Store,
    key: &str,
    job_id: Option<i64>,
    effect: F,
) -> Result<Once<T>, E>
where
    F: Future<Output = Result<T, E>>,
    E: From<StoreError>,
{
    if let Some(at) = store.effect_done_at(key).await? {
        return Ok(Once::AlreadyDone(at));
    }
    let value = effect.await?;
    if let Err(e) = store.record_effect(key, job_id).await {
        // Done but not recorded: a retry would repeat it, so say so loudly.
        tracing::error!(job = job_id, key, "effect done but not recorded: {e}");
        return Err(e.into());
    }
    Ok(Once::Done(value))
}

//! The runner: claims due jobs of the registered kinds under leases, runs their
//! handlers (at most `concurrency` at once on this node, and each kind within its
//! limit), keeps the lease while a handler runs, and writes the outcome to the row —
//! done, due again, retried after the kind's backoff, failed after its attempts, or
//! cancelled. Recurring kinds get their row at start-up and their next time after
//! each run.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};
use wharf_store::jobs::{Job, KindClaim};
use wharf_store::{Store, StoreError, now};

use crate::context::{JobCtx, LiveProgress};
use crate::kind::Kind;
use crate::outcome::{JobError, Outcome};
use crate::registry::Registry;

/// A node's runner; clones share its slots and counts (the web's "start now" and the
/// claim loop use one).
#[derive(Clone)]
pub struct Runner {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    registry: Registry,
    owner: Arc<str>,
    permits: Arc<Semaphore>,
    /// Jobs of each kind running on this node.
    running: Mutex<HashMap<&'static str, usize>>,
    /// Progress of the jobs running here, as their handlers report it.
    live: LiveProgress,
    /// Wakes the claim loop early (a slot freed, a job queued here).
    wake: Notify,
    poll: Duration,
}

impl std::fmt::Debug for Runner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runner")
            .field("owner", &self.inner.owner)
            .field("kinds", &self.inner.registry.names())
            .finish()
    }
}

impl Runner {
    /// A runner for `registry`'s kinds, running at most `concurrency` jobs at once.
    pub fn new(store: Store, registry: Registry, concurrency: usize) -> Runner {
        let owner = format!(
            "{}-{}",
            std::process::id(),
            &wharf_store::secret::random_token()[..8]
        );
        Runner {
            inner: Arc::new(Inner {
                store,
                registry,
                owner: owner.into(),
                permits: Arc::new(Semaphore::new(concurrency.max(1))),
                running: Mutex::new(HashMap::new()),
                live: LiveProgress::default(),
                wake: Notify::new(),
                poll: Duration::from_secs(1),
            }),
        }
    }

    /// This node's name in the leases it takes.
    pub fn owner(&self) -> &str {
        &self.inner.owner
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    pub fn registry(&self) -> &Registry {
        &self.inner.registry
    }

    /// The progress a job running on this node last reported, (done, total); also what
    /// a handler could not write to the row yet ([`JobCtx::progress_here`]).
    pub fn live_progress(&self, job_id: i64) -> Option<(u64, u64)> {
        self.inner.live.lock().ok()?.get(&job_id).copied()
    }

    /// Makes sure every recurring kind has its row (one for all nodes: its key is
    /// unique), due at its next time.
    pub async fn schedule_recurring(&self) -> Result<(), StoreError> {
        let t = now();
        for kind in self.inner.registry.kinds() {
            if let Some((key, schedule)) = &kind.schedule {
                let at = schedule.next_after(t).unwrap_or(t);
                self.inner.store.enqueue_job(kind.name, key, "", at).await?;
            }
        }
        Ok(())
    }

    /// Claims and runs jobs until `stop` is notified.
    pub async fn run(self, stop: Arc<Notify>) {
        // Registered once, so a stop notified while a claim runs is not missed.
        let stopped = stop.notified();
        tokio::pin!(stopped);
        stopped.as_mut().enable();
        if let Err(e) = self.schedule_recurring().await {
            tracing::warn!("cannot schedule the recurring jobs: {e}");
        }
        loop {
            let permit = tokio::select! {
                _ = &mut stopped => return,
                p = self.inner.permits.clone().acquire_owned() => match p {
                    Ok(p) => p,
                    Err(_) => return,
                },
            };
            match self.claim().await {
                Some(job) => {
                    let runner = self.clone();
                    tokio::spawn(async move { runner.run_claimed(job, permit).await });
                }
                None => {
                    drop(permit);
                    tokio::select! {
                        _ = &mut stopped => return,
                        _ = self.inner.wake.notified() => {}
                        _ = tokio::time::sleep(self.inner.poll) => {}
                    }
                }
            }
        }
    }

    /// Starts one due job now if a slot is free (e.g. the job a request just queued),
    /// besides the claim loop; without a free slot the loop takes it in turn.
    pub fn start_one(&self) {
        self.inner.wake.notify_one();
        let Ok(permit) = self.inner.permits.clone().try_acquire_owned() else {
            return;
        };
        let runner = self.clone();
        tokio::spawn(async move {
            if let Some(job) = runner.claim().await {
                runner.run_claimed(job, permit).await;
            }
        });
    }

    /// Claims one due job and runs it to its end here; gives the row as it ended
    /// (tests, tools).
    pub async fn run_one(&self) -> Result<Option<Job>, StoreError> {
        let Ok(permit) = self.inner.permits.clone().acquire_owned().await else {
            return Ok(None);
        };
        let Some(job) = self.claim().await else {
            return Ok(None);
        };
        let id = job.id;
        self.run_claimed(job, permit).await;
        self.inner.store.get_job(id).await
    }

    async fn claim(&self) -> Option<Job> {
        let claims: Vec<KindClaim> = {
            let running = self.inner.running.lock().ok()?;
            self.inner
                .registry
                .kinds()
                .filter(|k| k.limit == 0 || running.get(k.name).copied().unwrap_or(0) < k.limit)
                .map(|k| KindClaim {
                    kind: k.name,
                    lease_secs: k.lease_secs,
                    limit: i64::try_from(k.limit).unwrap_or(i64::MAX),
                })
                .collect()
        };
        match self
            .inner
            .store
            .claim_job_of(&self.inner.owner, &claims)
            .await
        {
            Ok(job) => job,
            Err(e) => {
                tracing::warn!("cannot claim a job: {e}");
                None
            }
        }
    }

    fn count(&self, kind: &'static str, delta: isize) {
        if let Ok(mut running) = self.inner.running.lock() {
            let n = running.entry(kind).or_insert(0);
            *n = n.saturating_add_signed(delta);
        }
    }

    async fn run_claimed(&self, job: Job, permit: OwnedSemaphorePermit) {
        let Some(kind) = self.inner.registry.get(&job.kind).cloned() else {
            // Not claimable (the claim names registered kinds only); kept safe anyway.
            let _ = self
                .inner
                .store
                .fail_job(job.id, &self.inner.owner, "unknown job kind")
                .await;
            return;
        };
        self.count(kind.name, 1);
        let stop = Arc::new(AtomicBool::new(false));
        let keeper = self.keep_lease(&job, &kind, stop.clone());
        let ctx = JobCtx::new(
            self.inner.store.clone(),
            job.clone(),
            self.inner.owner.clone(),
            stop.clone(),
            self.inner.live.clone(),
        );
        // Its own task, so a panicking handler fails its run, not the runner.
        let result = match tokio::spawn(kind.handler.run(ctx)).await {
            Ok(r) => r,
            Err(e) => Err(JobError::Retry(format!("the handler stopped: {e}"))),
        };
        keeper.abort();
        if let Ok(mut live) = self.inner.live.lock() {
            live.remove(&job.id);
        }
        // A run that failed after a cancel request is cancelled, not retried.
        let cancelled = result.is_err()
            && matches!(
                self.inner.store.job_cancel_requested(job.id).await,
                Ok(true)
            );
        if let Err(e) = self.finish(&job, &kind, result, cancelled).await {
            tracing::warn!(job = job.id, kind = kind.name, "cannot finish the job: {e}");
        }
        self.count(kind.name, -1);
        drop(permit);
        self.inner.wake.notify_one();
    }

    /// Renews the lease every third of it, and notes a cancel request or a lost lease.
    fn keep_lease(
        &self,
        job: &Job,
        kind: &Kind,
        stop: Arc<AtomicBool>,
    ) -> tokio::task::JoinHandle<()> {
        let (store, owner, id, lease) = (
            self.inner.store.clone(),
            self.inner.owner.clone(),
            job.id,
            kind.lease_secs,
        );
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_secs((lease / 3).max(1) as u64)).await;
                match store.renew_job(id, &owner, lease).await {
                    Ok(true) => {}
                    Ok(false) => {
                        stop.store(true, Ordering::Relaxed);
                        return;
                    }
                    Err(e) => tracing::warn!(job = id, "cannot renew the lease: {e}"),
                }
                if matches!(store.job_cancel_requested(id).await, Ok(true)) {
                    stop.store(true, Ordering::Relaxed);
                }
            }
        })
    }

    async fn finish(
        &self,
        job: &Job,
        kind: &Kind,
        result: Result<Outcome, JobError>,
        cancelled: bool,
    ) -> Result<(), StoreError> {
        let (store, owner) = (&self.inner.store, &*self.inner.owner);
        let next_time = kind
            .schedule
            .as_ref()
            .map(|(_, s)| s.next_after(now()).unwrap_or(now() + 86_400));
        match result {
            Ok(Outcome::Cancelled) => store.cancelled_job(job.id, owner).await,
            // A cancelled job is not retried, whatever its run ended with.
            Err(_) if cancelled => store.cancelled_job(job.id, owner).await,
            Ok(Outcome::Done(result)) => match next_time {
                Some(at) => store.job_again(job.id, owner, at, &result).await,
                None => store.complete_job(job.id, owner, &result).await,
            },
            Ok(Outcome::Again(at)) => store.job_again(job.id, owner, at, "").await,
            Err(e) => {
                let text = e.to_string();
                let given_up =
                    matches!(e, JobError::Permanent(_)) || kind.retry.exhausted(job.attempts);
                if given_up {
                    tracing::info!(job = job.id, kind = kind.name, "job failed: {text}");
                    return match next_time {
                        Some(at) => store.reschedule_job(job.id, owner, at, &text).await,
                        None => store.fail_job(job.id, owner, &text).await,
                    };
                }
                let at = match e {
                    JobError::RetryAt(at, _) => at,
                    _ => now() + kind.retry.delay(job.attempts),
                };
                store.retry_job(job.id, owner, at, &text).await
            }
        }
    }
}

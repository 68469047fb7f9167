//! The mailbox worker: runs `sync` and `send` jobs (and the daily blob sweep) from the
//! job table under leases, so several app nodes share the accounts without syncing one
//! twice (SPEC RUN-2). A sync
//! job stays in the table for as long as its account syncs; each run syncs, then waits
//! on IDLE (or for the poll interval) and runs again.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, Semaphore};
use wharf_store::jobs::Job;
use wharf_store::now;

use crate::auth::Verifier;
use crate::sync::{SyncOptions, sync_account};
use crate::{Env, send};

pub use wharf_store::jobs::kinds::{AUTH, BLOB_SWEEP, FLAGS, SEND, SYNC};

#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// Seconds between polls of a server without IDLE.
    pub poll_seconds: i64,
    /// How long one IDLE wait lasts before the job comes round again.
    pub idle_seconds: u64,
    /// Jobs run at once by this process.
    pub concurrency: usize,
    /// Checks DKIM / SPF / DMARC of new mail (None: the system resolver).
    pub verifier: Option<Arc<Verifier>>,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        WorkerConfig {
            poll_seconds: 120,
            idle_seconds: 300,
            concurrency: 64,
            verifier: None,
        }
    }
}

const LEASE: i64 = 120;

/// Runs until `stop` is notified.
pub async fn run(env: Env, mut config: WorkerConfig, stop: Arc<Notify>) {
    if config.verifier.is_none() {
        config.verifier = Some(Arc::new(Verifier::system()));
    }
    let owner = format!(
        "{}-{}",
        std::process::id(),
        &wharf_store::secret::random_token()[..8]
    );
    let permits = Arc::new(Semaphore::new(config.concurrency.max(1)));
    let mut last_schedule = 0;
    // One sweep job for all nodes (its key is unique); first run a few minutes in.
    if let Err(e) = env
        .store
        .enqueue_job(BLOB_SWEEP, "daily", "", now() + 300)
        .await
    {
        tracing::warn!("cannot schedule the blob sweep: {e}");
    }
    loop {
        if now() - last_schedule >= 10 {
            if let Err(e) = schedule_syncs(&env).await {
                tracing::warn!("cannot schedule mailbox syncs: {e}");
            }
            last_schedule = now();
        }
        let Ok(permit) = permits.clone().acquire_owned().await else {
            return;
        };
        let job = match env
            .store
            .claim_job(&owner, &[SYNC, SEND, FLAGS, AUTH, BLOB_SWEEP], LEASE)
            .await
        {
            Ok(j) => j,
            Err(e) => {
                tracing::warn!("cannot claim a job: {e}");
                None
            }
        };
        match job {
            Some(job) => {
                let env = env.clone();
                let owner = owner.clone();
                let config = config.clone();
                tokio::spawn(async move {
                    run_job(&env, &owner, &config, job).await;
                    drop(permit);
                });
            }
            None => {
                drop(permit);
                tokio::select! {
                    _ = stop.notified() => return,
                    _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                }
            }
        }
    }
}

/// Makes sure every syncing account has its sync job, and that mail waiting for its
/// authentication check has the `auth` job.
pub async fn schedule_syncs(env: &Env) -> Result<(), wharf_store::StoreError> {
    for id in env.store.syncing_account_ids().await? {
        env.store
            .enqueue_job(SYNC, &id.to_string(), "", now())
            .await?;
    }
    if env.store.has_pending_auth().await? {
        env.store
            .enqueue_job(
                AUTH,
                wharf_store::mail::authentication::AUTH_JOB_KEY,
                "",
                now(),
            )
            .await?;
    }
    Ok(())
}

async fn run_job(env: &Env, owner: &str, config: &WorkerConfig, job: Job) {
    // Keep the lease while the job runs (a long first sync, an IDLE wait).
    let renew = {
        let store = env.store.clone();
        let owner = owner.to_string();
        let id = job.id;
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_secs((LEASE / 3) as u64)).await;
                if !matches!(store.renew_job(id, &owner, LEASE).await, Ok(true)) {
                    return;
                }
            }
        })
    };
    let (next, error) = match job.kind.as_str() {
        SYNC => run_sync(env, config, &job).await,
        SEND => match job.unique_key.parse::<i64>() {
            Ok(id) => send::deliver(env, id).await,
            Err(_) => (None, "bad job key".to_string()),
        },
        FLAGS => match job.unique_key.parse::<i64>() {
            Ok(id) => crate::flags::push(env, id).await,
            Err(_) => (None, "bad job key".to_string()),
        },
        AUTH => match &config.verifier {
            Some(v) => crate::auth_job::run(env, v).await,
            None => (Some(now() + 60), "no verifier".to_string()),
        },
        BLOB_SWEEP => crate::sweep::run_job(env).await,
        _ => (None, format!("unknown job kind {}", job.kind)),
    };
    renew.abort();
    if let Err(e) = env.store.finish_job(job.id, owner, next, &error).await {
        tracing::warn!(job = job.id, "cannot finish job: {e}");
    }
}

async fn run_sync(env: &Env, config: &WorkerConfig, job: &Job) -> (Option<i64>, String) {
    let Ok(account_id) = job.unique_key.parse::<i64>() else {
        return (None, "bad job key".into());
    };
    match env.store.syncing_account_ids().await {
        Ok(ids) if !ids.contains(&account_id) => return (None, String::new()),
        Err(e) => return (Some(now() + 30), e.to_string()),
        Ok(_) => {}
    }
    let opts = SyncOptions {
        idle_for: Some(Duration::from_secs(config.idle_seconds)),
        ..SyncOptions::default()
    };
    match sync_account(env, account_id, &opts).await {
        Ok(outcome) if outcome.idle => (Some(now()), String::new()),
        Ok(_) => (Some(now() + config.poll_seconds), String::new()),
        Err(e) => {
            // Back off: 1, 2, 4 … up to 30 minutes.
            let wait = (60i64 << job.attempts.clamp(0, 5)).min(1800);
            tracing::info!(account_id, "sync failed: {e}");
            (Some(now() + wait), e.to_string())
        }
    }
}

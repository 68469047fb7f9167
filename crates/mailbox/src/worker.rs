//! The mailbox's job kinds and their handlers on the runner (`wharf-jobs`): `sync`
//! (one job per syncing account, run again after each IDLE wait or poll), `send`,
//! `flags`, `mail_move`, `mail_folder` and `mail_expunge` (moves, folders and deletions mirrored to IMAP), `auth`, the daily `blob_sweep` and the `sync_schedule` that queues a sync
//! job for every syncing account every ten seconds. Leases let several app nodes
//! share the accounts without syncing one twice (SPEC RUN-2).

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;
use wharf_jobs::{JobCtx, JobError, Kind, Outcome, Registry, Retry, Runner, Schedule};
use wharf_store::now;

use crate::auth::Verifier;
use crate::sync::{SyncOptions, sync_account};
use crate::{Env, send};

pub use wharf_store::jobs::kinds::{
    AUTH, BLOB_SWEEP, FLAGS, MAIL_EXPUNGE, MAIL_FOLDER, MAIL_MOVE, SEND, SYNC,
};

/// Queues the sync jobs of syncing accounts (and the `auth` job when mail waits for
/// its check); recurring, every ten seconds.
pub const SYNC_SCHEDULE: &str = "sync_schedule";

#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// Seconds between polls of a server without IDLE.
    pub poll_seconds: i64,
    /// How long one IDLE wait lasts before the job comes round again.
    pub idle_seconds: u64,
    /// Jobs run at once by this process.
    pub concurrency: usize,
    /// Deliveries at once across all nodes (0: no limit beyond `concurrency`).
    pub send_limit: usize,
    /// Checks DKIM / SPF / DMARC of new mail (None: the system resolver).
    pub verifier: Option<Arc<Verifier>>,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        WorkerConfig {
            poll_seconds: 120,
            idle_seconds: 300,
            concurrency: 64,
            send_limit: 16,
            verifier: None,
        }
    }
}

/// The mailbox's kinds, for the runner's registry (leases of two minutes, renewed
/// while a job runs). Syncs have no limit of their own:
/// each syncing account holds its job through its IDLE waits, so a cluster-wide limit
/// would leave accounts unsynced; a node runs at most its `concurrency`.
pub fn kinds(env: &Env, config: &WorkerConfig) -> Vec<Kind> {
    let verifier = config
        .verifier
        .clone()
        .unwrap_or_else(|| Arc::new(Verifier::system()));
    let mut kinds = vec![
        {
            let (env, config) = (env.clone(), config.clone());
            Kind::new(SYNC, move |ctx| run_sync(env.clone(), config.clone(), ctx))
                .retry(Retry::forever(120, 1800))
        },
        {
            let env = env.clone();
            Kind::new(SEND, move |ctx| run_send(env.clone(), ctx))
                .limit(config.send_limit)
                .retry(Retry::forever(60, 60))
        },
        {
            let env = env.clone();
            Kind::new(FLAGS, move |ctx| run_flags(env.clone(), ctx)).retry(Retry::forever(120, 120))
        },
        {
            let env = env.clone();
            Kind::new(MAIL_MOVE, move |ctx| run_move(env.clone(), ctx))
                .retry(Retry::forever(30, 900))
        },
        {
            let env = env.clone();
            Kind::new(MAIL_FOLDER, move |ctx| run_folder(env.clone(), ctx))
                .retry(Retry::forever(30, 900))
        },
        {
            let env = env.clone();
            Kind::new(MAIL_EXPUNGE, move |ctx| run_expunge(env.clone(), ctx))
                .retry(Retry::forever(30, 900))
        },
        {
            let env = env.clone();
            Kind::new(AUTH, move |ctx| {
                run_auth(env.clone(), verifier.clone(), ctx)
            })
            .limit(1)
            .retry(Retry::forever(30, 30))
        },
    ];
    // Constant patterns; a typo fails the worker tests at once.
    if let Ok(daily) = Schedule::cron("0 30 3 * * *") {
        let env = env.clone();
        kinds.push(
            Kind::new(BLOB_SWEEP, move |_ctx: JobCtx| run_sweep(env.clone()))
                .limit(1)
                .retry(Retry {
                    max_attempts: 3,
                    base_secs: 3600,
                    cap_secs: 3600,
                })
                .every("daily", daily),
        );
    }
    if let Ok(every_10s) = Schedule::cron("*/10 * * * * *") {
        let env = env.clone();
        kinds.push(
            Kind::new(SYNC_SCHEDULE, move |_ctx: JobCtx| {
                let env = env.clone();
                async move {
                    schedule_syncs(&env).await?;
                    Ok(Outcome::done())
                }
            })
            .limit(1)
            .lease(30)
            .retry(Retry::forever(10, 10))
            .every("every_10_seconds", every_10s),
        );
    }
    kinds
}

/// Runs the mailbox's kinds on a runner of their own until `stop` is notified (the
/// binary registers them with the other features' kinds instead).
pub async fn run(env: Env, config: WorkerConfig, stop: Arc<Notify>) {
    let registry = match Registry::new().with(kinds(&env, &config)) {
        Ok(r) => r,
        Err(e) => {
            tracing::error!("mailbox jobs not registered: {e}");
            return;
        }
    };
    if let Err(e) = schedule_syncs(&env).await {
        tracing::warn!("cannot schedule mailbox syncs: {e}");
    }
    Runner::new(env.store.clone(), registry, config.concurrency)
        .run(stop)
        .await;
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

/// A handler's old-style answer (next run, error text) as the runner's outcome.
fn outcome(next: Option<i64>, error: String) -> Result<Outcome, JobError> {
    match (next, error.is_empty()) {
        (None, true) => Ok(Outcome::done()),
        (Some(at), true) => Ok(Outcome::Again(at)),
        (Some(at), false) => Err(JobError::RetryAt(at, error)),
        (None, false) => Err(JobError::Permanent(error)),
    }
}

async fn run_send(env: Env, ctx: JobCtx) -> Result<Outcome, JobError> {
    let id = ctx.key_id()?;
    match send::deliver_for(&env, id, Some(ctx.job().id)).await {
        Ok(None) => Ok(Outcome::done()),
        Ok(Some(next)) => Ok(Outcome::Again(next)),
        Err(e) => Err(JobError::RetryAt(now() + 60, e.to_string())),
    }
}

async fn run_flags(env: Env, ctx: JobCtx) -> Result<Outcome, JobError> {
    let id = ctx.key_id()?;
    let (next, error) = crate::flags::push(&env, id).await;
    outcome(next, error)
}

async fn run_move(env: Env, ctx: JobCtx) -> Result<Outcome, JobError> {
    let id = ctx.key_id()?;
    let opts = crate::moves::MoveOptions::default();
    match crate::moves::mirror_move(&env, id, opts, Some(ctx.job().id)).await {
        Ok(crate::moves::MoveOutcome::Wait) => Ok(Outcome::Again(now() + 10)),
        Ok(_) => Ok(Outcome::done()),
        Err(e) => Err(JobError::Retry(e.to_string())),
    }
}

async fn run_folder(env: Env, ctx: JobCtx) -> Result<Outcome, JobError> {
    let id = ctx.key_id()?;
    match crate::folders::mirror_folder(&env, id, Some(ctx.job().id)).await {
        Ok(crate::folders::FolderOutcome::Again(at)) => Ok(Outcome::Again(at)),
        Ok(crate::folders::FolderOutcome::Done) => Ok(Outcome::done()),
        Err(e) => Err(JobError::Retry(e.to_string())),
    }
}

async fn run_expunge(env: Env, ctx: JobCtx) -> Result<Outcome, JobError> {
    let Some(plan) = wharf_store::mail::expunge::ExpungePlan::from_payload(ctx.payload()) else {
        return Err(JobError::Permanent("not an expunge plan".into()));
    };
    match crate::expunge::expunge(&env, &plan, Some(ctx.job().id)).await {
        Ok(_) => Ok(Outcome::done()),
        Err(e) => Err(JobError::Retry(e.to_string())),
    }
}

async fn run_auth(env: Env, verifier: Arc<Verifier>, _ctx: JobCtx) -> Result<Outcome, JobError> {
    let (next, error) = crate::auth_job::run(&env, &verifier).await;
    outcome(next, error)
}

async fn run_sweep(env: Env) -> Result<Outcome, JobError> {
    match crate::sweep::sweep(&env, now()).await {
        Ok(report) => Ok(Outcome::Done(format!(
            "{} uploads, {} rows, {} files",
            report.uploads, report.rows, report.files
        ))),
        Err(e) => {
            tracing::warn!("blob sweep failed: {e}");
            Err(JobError::Retry(e.to_string()))
        }
    }
}

async fn run_sync(env: Env, config: WorkerConfig, ctx: JobCtx) -> Result<Outcome, JobError> {
    let account_id = ctx.key_id()?;
    match env.store.syncing_account_ids().await {
        Ok(ids) if !ids.contains(&account_id) => return Ok(Outcome::done()),
        Err(e) => return Err(JobError::RetryAt(now() + 30, e.to_string())),
        Ok(_) => {}
    }
    let opts = SyncOptions {
        idle_for: Some(Duration::from_secs(config.idle_seconds)),
        ..SyncOptions::default()
    };
    match sync_account(&env, account_id, &opts).await {
        Ok(outcome) if outcome.idle => Ok(Outcome::Again(now())),
        Ok(_) => Ok(Outcome::Again(now() + config.poll_seconds)),
        Err(e) => {
            // The kind's backoff: 2, 4, 8 … up to 30 minutes.
            tracing::info!(account_id, "sync failed: {e}");
            Err(JobError::Retry(e.to_string()))
        }
    }
}

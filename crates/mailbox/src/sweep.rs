//! The blob sweep (issue 14), run daily as a job on the job table by the worker: kept
//! mail uploads older than 30 days are forgotten, then blob rows no row names and
//! blob files without a row are removed — only blobs untouched for a day
//! ([`wharf_store::blob_sweep::GRACE_SECS`]), since a blob is written before the row
//! that names it and storing it again refreshes it. A file is set aside (renamed)
//! before its last check, so a writer storing the same bytes meanwhile either touches
//! it (and the sweep puts it back) or finds it gone and writes it anew.

use std::collections::HashSet;

use wharf_store::blob_sweep::{GRACE_SECS, UPLOAD_KEEP_SECS};
use wharf_store::now;

use crate::{Env, Error};

/// What a sweep removed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SweepReport {
    pub uploads: u64,
    pub rows: usize,
    pub files: usize,
}

/// Runs one sweep at `at` (seconds since the epoch; the job passes now).
pub async fn sweep(env: &Env, at: i64) -> Result<SweepReport, Error> {
    let mut report = SweepReport {
        uploads: env
            .store
            .forget_uploads_before(at - UPLOAD_KEEP_SECS)
            .await?,
        ..SweepReport::default()
    };
    let cutoff = at - GRACE_SECS;
    report.rows = env.store.delete_unreferenced_blobs(cutoff).await?.len();
    for shard in 0..=255u8 {
        let shard = format!("{shard:02x}");
        let blobs = env.blobs.clone();
        let old =
            tokio::task::spawn_blocking(move || blobs.backend().stored_before(&shard, cutoff))
                .await
                .map_err(|e| Error::Other(format!("blob sweep stopped: {e}")))?
                .map_err(Error::Blob)?;
        if old.is_empty() {
            continue;
        }
        let named: HashSet<String> = env.store.blobs_with_rows(&old).await?.into_iter().collect();
        for hash in old.iter().filter(|h| !named.contains(*h)) {
            let backend = env.blobs.backend();
            let Some(stored) = backend.set_aside(hash).map_err(Error::Blob)? else {
                continue;
            };
            let still_orphan = stored < cutoff
                && env
                    .store
                    .blobs_with_rows(std::slice::from_ref(hash))
                    .await?
                    .is_empty();
            if still_orphan {
                backend.discard(hash).map_err(Error::Blob)?;
                report.files += 1;
            } else {
                backend.restore(hash).map_err(Error::Blob)?;
            }
        }
    }
    if report != SweepReport::default() {
        tracing::info!(?report, "blob sweep");
    }
    Ok(report)
}

/// The job: sweeps, then comes round again a day later (an hour after a failure).
pub async fn run_job(env: &Env) -> (Option<i64>, String) {
    match sweep(env, now()).await {
        Ok(_) => (Some(now() + 86_400), String::new()),
        Err(e) => {
            tracing::warn!("blob sweep failed: {e}");
            (Some(now() + 3_600), e.to_string())
        }
    }
}

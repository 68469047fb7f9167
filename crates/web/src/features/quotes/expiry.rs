//! The `quote_expiry` job kind: every hour (one at a time across nodes) it marks expired
//! the approved or sent quotes whose validity ended before today in the company's
//! calendar, so a quote expires within the hour after the company's midnight whatever
//! the zone; a run repeats nothing (each move is conditional on the status it had).

use wharf_jobs::{JobCtx, JobError, Kind, Outcome, Retry, Schedule};

/// The kind's name.
pub const EXPIRY_JOB: &str = "quote_expiry";

/// Quotes handled per run; the rest wait for the next one.
const BATCH: i64 = 500;

pub fn expiry_kind() -> Kind {
    let kind = Kind::new(EXPIRY_JOB, run).limit(1).retry(Retry {
        max_attempts: 3,
        base_secs: 60,
        cap_secs: 600,
    });
    match Schedule::cron("0 1 * * * *") {
        Ok(s) => kind.every("hourly", s),
        Err(_) => kind,
    }
}

async fn run(job: JobCtx) -> Result<Outcome, JobError> {
    let store = job.store().clone();
    let today = store.company_today(wharf_store::now()).await?;
    let expired = store.expire_quotes(today, BATCH).await?;
    Ok(Outcome::Done(format!("{expired} quotes expired")))
}

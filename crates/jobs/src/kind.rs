//! A kind of job: its name, handler, concurrency limit, retry policy and lease, and
//! optionally a recurring schedule.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::context::JobCtx;
use crate::outcome::{JobError, Outcome};
use crate::schedule::Schedule;

pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// Runs one job of a kind. Any `Fn(JobCtx) -> impl Future` is a handler.
pub trait Handler: Send + Sync + 'static {
    fn run(&self, ctx: JobCtx) -> BoxFuture<Result<Outcome, JobError>>;
}

impl<F, Fut> Handler for F
where
    F: Fn(JobCtx) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Outcome, JobError>> + Send + 'static,
{
    fn run(&self, ctx: JobCtx) -> BoxFuture<Result<Outcome, JobError>> {
        Box::pin(self(ctx))
    }
}

/// How a failed run is tried again: after `base_secs`, doubling each attempt up to
/// `cap_secs`; after `max_attempts` runs (0: never) the job is failed, keeping its
/// last error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    pub max_attempts: i64,
    pub base_secs: i64,
    pub cap_secs: i64,
}

impl Retry {
    /// Keeps trying (work that must happen eventually: a sync, a flag push).
    pub const fn forever(base_secs: i64, cap_secs: i64) -> Retry {
        Retry {
            max_attempts: 0,
            base_secs,
            cap_secs,
        }
    }

    /// The wait before the next run after `attempts` runs have failed.
    pub fn delay(&self, attempts: i64) -> i64 {
        let doublings = (attempts - 1).clamp(0, 30) as u32;
        self.base_secs
            .max(1)
            .saturating_mul(1i64 << doublings)
            .min(self.cap_secs.max(self.base_secs).max(1))
    }

    /// Whether `attempts` runs use the policy up.
    pub fn exhausted(&self, attempts: i64) -> bool {
        self.max_attempts > 0 && attempts >= self.max_attempts
    }
}

impl Default for Retry {
    /// Five attempts, a minute, then doubling up to an hour.
    fn default() -> Retry {
        Retry {
            max_attempts: 5,
            base_secs: 60,
            cap_secs: 3600,
        }
    }
}

/// One registered kind.
#[derive(Clone)]
pub struct Kind {
    pub(crate) name: &'static str,
    pub(crate) handler: Arc<dyn Handler>,
    pub(crate) limit: usize,
    pub(crate) retry: Retry,
    pub(crate) lease_secs: i64,
    pub(crate) schedule: Option<(&'static str, Schedule)>,
}

impl std::fmt::Debug for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kind")
            .field("name", &self.name)
            .field("limit", &self.limit)
            .field("retry", &self.retry)
            .field("lease_secs", &self.lease_secs)
            .field("schedule", &self.schedule)
            .finish()
    }
}

impl Kind {
    /// A kind with no concurrency limit, the default retry policy and a two-minute
    /// lease (renewed while it runs).
    pub fn new(name: &'static str, handler: impl Handler) -> Kind {
        Kind {
            name,
            handler: Arc::new(handler),
            limit: 0,
            retry: Retry::default(),
            lease_secs: 120,
            schedule: None,
        }
    }

    pub fn name(&self) -> &'static str {
        self.name
    }

    /// At most `n` of this kind run at once, across all nodes (0: no limit).
    pub fn limit(mut self, n: usize) -> Kind {
        self.limit = n;
        self
    }

    pub fn retry(mut self, retry: Retry) -> Kind {
        self.retry = retry;
        self
    }

    /// How long a claim holds the job before another node may take it over; the
    /// runner renews it every third of that while the handler runs.
    pub fn lease(mut self, secs: i64) -> Kind {
        self.lease_secs = secs.max(3);
        self
    }

    /// Runs as one job (key `key`) at every time `schedule` names, on one node of all.
    pub fn every(mut self, key: &'static str, schedule: Schedule) -> Kind {
        self.schedule = Some((key, schedule));
        self
    }
}

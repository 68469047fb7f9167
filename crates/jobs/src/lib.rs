//! Wharf's job runner, on the store's leased job table: kinds registered in one place
//! ([`Registry`]), retries with backoff, progress and results in the row, cancellation,
//! a per-kind concurrency limit, scheduled and recurring (cron) jobs, and exactly-once
//! effects ([`JobCtx::once`]). Features bring their kinds (mailbox: sync, send, flags,
//! auth, blob sweep; web: the customer import); this crate knows none of them.
//!
//! **Architecture invariant:** depends on `wharf-store` and `wharf-core` only — never on
//! mail, mailbox or web — so every layer above can register kinds with it.

mod context;
mod kind;
mod outcome;
mod registry;
mod runner;
mod schedule;

pub use context::{JobCtx, Once, once};
pub use kind::{BoxFuture, Handler, Kind, Retry};
pub use outcome::{JobError, Outcome};
pub use registry::{PRUNE, Registry, RegistryError};
pub use runner::Runner;
pub use schedule::{Schedule, ScheduleError};
pub use wharf_store::jobs::{Job, state};

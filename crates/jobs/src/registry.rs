//! The one place kinds are registered: built at start-up from each feature's kinds;
//! the runner claims only what is registered here. It always holds [`PRUNE`], the
//! table's own housekeeping.

use std::collections::BTreeMap;

use wharf_store::now;

use crate::kind::{Kind, Retry};
use crate::outcome::{JobError, Outcome};
use crate::schedule::Schedule;

/// The housekeeping kind: ends jobs asked to cancel whose runner died, and deletes
/// finished rows after [`KEEP_FINISHED_SECS`].
pub const PRUNE: &str = "jobs_prune";
/// How long a finished job's row stays readable (its page, its error).
pub const KEEP_FINISHED_SECS: i64 = 7 * 86_400;

#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("job kind {0} registered twice")]
    Duplicate(&'static str),
}

#[derive(Debug, Clone)]
pub struct Registry {
    kinds: BTreeMap<&'static str, Kind>,
}

impl Default for Registry {
    fn default() -> Registry {
        Registry::new()
    }
}

impl Registry {
    pub fn new() -> Registry {
        let prune = Kind::new(PRUNE, |ctx: crate::JobCtx| async move {
            let removed = ctx.store().prune_jobs(now() - KEEP_FINISHED_SECS).await?;
            Ok::<_, JobError>(Outcome::Done(format!("{removed} removed")))
        })
        .limit(1)
        .retry(Retry {
            max_attempts: 3,
            base_secs: 60,
            cap_secs: 600,
        });
        let prune = match Schedule::cron("0 */10 * * * *") {
            Ok(s) => prune.every("every_10_minutes", s),
            Err(_) => prune,
        };
        let mut kinds = BTreeMap::new();
        kinds.insert(PRUNE, prune);
        Registry { kinds }
    }

    /// Registers a kind; a name may be registered once.
    pub fn add(&mut self, kind: Kind) -> Result<(), RegistryError> {
        if self.kinds.contains_key(kind.name) {
            return Err(RegistryError::Duplicate(kind.name));
        }
        self.kinds.insert(kind.name, kind);
        Ok(())
    }

    /// Registers a feature's kinds.
    pub fn with(
        mut self,
        kinds: impl IntoIterator<Item = Kind>,
    ) -> Result<Registry, RegistryError> {
        for kind in kinds {
            self.add(kind)?;
        }
        Ok(self)
    }

    pub fn get(&self, name: &str) -> Option<&Kind> {
        self.kinds.get(name)
    }

    pub fn names(&self) -> Vec<&'static str> {
        self.kinds.keys().copied().collect()
    }

    pub(crate) fn kinds(&self) -> impl Iterator<Item = &Kind> {
        self.kinds.values()
    }
}

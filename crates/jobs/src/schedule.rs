//! Recurring schedules as cron expressions (croner: five fields, or six with seconds
//! first), evaluated in UTC.

use std::str::FromStr;

use chrono::{DateTime, Utc};
use croner::Cron;

#[derive(Debug, thiserror::Error)]
#[error("bad cron expression {pattern:?}: {reason}")]
pub struct ScheduleError {
    pub pattern: String,
    pub reason: String,
}

/// A parsed cron expression.
#[derive(Debug, Clone)]
pub struct Schedule {
    pattern: String,
    cron: Cron,
}

impl Schedule {
    pub fn cron(pattern: &str) -> Result<Schedule, ScheduleError> {
        let cron = Cron::from_str(pattern).map_err(|e| ScheduleError {
            pattern: pattern.to_string(),
            reason: e.to_string(),
        })?;
        Ok(Schedule {
            pattern: pattern.to_string(),
            cron,
        })
    }

    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// The first time strictly after `at` (seconds since the epoch), if any.
    pub fn next_after(&self, at: i64) -> Option<i64> {
        let start = DateTime::<Utc>::from_timestamp(at, 0)?;
        self.cron
            .find_next_occurrence(&start, false)
            .ok()
            .map(|t| t.timestamp())
    }
}

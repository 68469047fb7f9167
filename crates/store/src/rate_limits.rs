//! Per-user rate limits for operations that could be used to probe data (the duplicate
//! check), counted in the database (`rate_counters`) so that a limit holds across app
//! nodes and restarts, like the login limits of `auth/login_guard.rs`.

use wharf_core::DomainError;

use crate::db::now;
use crate::{Result, Store};

/// A limit: at most `max` calls per `window_seconds`, per user.
#[derive(Debug, Clone, Copy)]
pub struct RateLimit {
    /// Stable name of what is counted; also the error code's context.
    pub bucket: &'static str,
    pub max: i64,
    pub window_seconds: i64,
}

/// The duplicate check while typing: generous for a person filling in a form (a request
/// per pause in typing), far too few to enumerate names.
pub const DUPLICATE_CHECKS: [RateLimit; 2] = [
    RateLimit {
        bucket: "duplicates_minute",
        max: 60,
        window_seconds: 60,
    },
    RateLimit {
        bucket: "duplicates_day",
        max: 2000,
        window_seconds: 86_400,
    },
];

impl Store {
    /// Counts one call of `user_id` against each limit; refuses with `rate_limited`
    /// (and the seconds until the window ends) once one is exceeded. Refused calls count
    /// too, so hammering does not help.
    pub async fn count_call(&self, user_id: i64, limits: &[RateLimit]) -> Result<()> {
        let t = now();
        let mut retry_after = 0;
        let mut tx = self.begin().await?;
        for l in limits {
            let window = t - t.rem_euclid(l.window_seconds);
            let hits: i64 = sqlx::query_scalar(
                "INSERT INTO rate_counters (bucket, user_id, window_start, hits) VALUES ($1, $2, $3, 1) \
                 ON CONFLICT (bucket, user_id, window_start) DO UPDATE SET hits = rate_counters.hits + 1 \
                 RETURNING hits",
            )
            .bind(l.bucket)
            .bind(user_id)
            .bind(window)
            .fetch_one(&mut *tx)
            .await?;
            if hits == 1 {
                // A new window: forget the user's finished ones of this limit.
                sqlx::query(
                    "DELETE FROM rate_counters WHERE bucket = $1 AND user_id = $2 AND window_start < $3",
                )
                .bind(l.bucket)
                .bind(user_id)
                .bind(window)
                .execute(&mut *tx)
                .await?;
            }
            if hits > l.max {
                retry_after = retry_after.max(window + l.window_seconds - t);
            }
        }
        tx.commit().await?;
        if retry_after > 0 {
            return Err(DomainError::TooMany {
                code: "rate_limited",
                retry_after,
            }
            .into());
        }
        Ok(())
    }
}

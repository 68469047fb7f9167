//! Login rate limiting (SPEC AUTH-5), kept in the database so that it holds across app
//! nodes and restarts. Failures lock a (username, address) pair for the window, and an
//! address that fails for many names; a username alone is never locked, since anyone
//! could then lock anyone out: failures for it from every address only slow further
//! attempts down, by a delay that doubles up to [`MAX_USER_DELAY_SECONDS`]. The address
//! is the client's, read through trusted proxies by the web layer.

use serde_json::json;

use crate::audit::{self, Entry};
use crate::db::now;
use crate::{Result, Store};

pub const WINDOW_SECONDS: i64 = 15 * 60;
/// Failures of one username from one address that lock that pair for the window.
pub const MAX_FAILURES_PER_USER: i64 = 5;
pub const MAX_FAILURES_PER_IP: i64 = 30;
/// From this many failures of a username (all addresses) on, each attempt waits.
pub const USER_BACKOFF_FROM: i64 = 5;
/// The longest a username's attempts are slowed down to: one per this many seconds.
pub const MAX_USER_DELAY_SECONDS: i64 = 60;

impl Store {
    /// `Some(seconds)` to wait before this username may try again from this address.
    pub async fn login_locked_for(&self, username: &str, ip: &str) -> Result<Option<i64>> {
        let t = now();
        let since = t - WINDOW_SECONDS;
        let username = username.trim().to_lowercase();
        let locks: [(&str, Vec<&str>, i64); 2] = [
            (
                "username = $1 AND ip = $2",
                vec![username.as_str(), ip],
                MAX_FAILURES_PER_USER,
            ),
            ("ip = $1", vec![ip], MAX_FAILURES_PER_IP),
        ];
        for (condition, values, max) in locks {
            let n = values.len();
            let mut q = sqlx::query_as::<_, (i64, Option<i64>)>(sqlx::AssertSqlSafe(format!(
                "SELECT COUNT(*), MIN(at) FROM login_attempts WHERE {condition} AND success = 0 AND at > ${}",
                n + 1
            )));
            for v in values {
                q = q.bind(v);
            }
            let row = q.bind(since).fetch_one(&self.pool).await?;
            if row.0 >= max {
                let oldest = row.1.unwrap_or(t);
                return Ok(Some((oldest + WINDOW_SECONDS - t).max(1)));
            }
        }
        let (failures, last): (i64, Option<i64>) = sqlx::query_as(
            "SELECT COUNT(*), MAX(at) FROM login_attempts WHERE username = $1 AND success = 0 AND at > $2",
        )
        .bind(&username)
        .bind(since)
        .fetch_one(&self.pool)
        .await?;
        if failures >= USER_BACKOFF_FROM {
            let delay = user_delay(failures);
            let wait = last.unwrap_or(t) + delay - t;
            if wait > 0 {
                return Ok(Some(wait));
            }
        }
        Ok(None)
    }

    /// Records an attempt; a success clears that username's failures. Failures are audited.
    pub async fn record_login(
        &self,
        username: &str,
        ip: &str,
        user_id: Option<i64>,
        success: bool,
    ) -> Result<()> {
        let username = username.trim().to_lowercase();
        let mut tx = self.begin().await?;
        if success {
            sqlx::query("DELETE FROM login_attempts WHERE username = $1 AND success = 0")
                .bind(&username)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "INSERT INTO login_attempts (username, ip, success, at) VALUES ($1, $2, $3, $4)",
        )
        .bind(&username)
        .bind(ip)
        .bind(i64::from(success))
        .bind(now())
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM login_attempts WHERE at < $1")
            .bind(now() - 7 * 86_400)
            .execute(&mut *tx)
            .await?;
        let action = if success {
            "auth.login"
        } else {
            "auth.login_failed"
        };
        let name: String = username.chars().take(64).collect();
        audit::write(
            &mut tx,
            user_id,
            &name,
            ip,
            Entry {
                action,
                entity: "staff",
                entity_id: user_id,
                summary: &name,
                details: json!(null),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn record_logout(&self, user_id: i64, username: &str, ip: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        audit::write(
            &mut tx,
            Some(user_id),
            username,
            ip,
            Entry {
                action: "auth.logout",
                entity: "staff",
                entity_id: Some(user_id),
                summary: username,
                details: json!(null),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Seconds between attempts for a username with this many recent failures: 1, 2, 4, …
/// up to [`MAX_USER_DELAY_SECONDS`].
pub fn user_delay(failures: i64) -> i64 {
    let steps = (failures - USER_BACKOFF_FROM).clamp(0, 20) as u32;
    (1i64 << steps).min(MAX_USER_DELAY_SECONDS)
}

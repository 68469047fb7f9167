//! Login rate limiting (SPEC AUTH-5), kept in the database so that it holds across app
//! nodes and restarts: too many failures for one username, or from one address, within
//! the window lock further attempts until the window has passed.

use serde_json::json;

use crate::audit::{self, Entry};
use crate::db::now;
use crate::{Result, Store};

pub const WINDOW_SECONDS: i64 = 15 * 60;
pub const MAX_FAILURES_PER_USER: i64 = 5;
pub const MAX_FAILURES_PER_IP: i64 = 30;

impl Store {
    /// `Some(seconds)` to wait if attempts for this username or address are locked.
    pub async fn login_locked_for(&self, username: &str, ip: &str) -> Result<Option<i64>> {
        let since = now() - WINDOW_SECONDS;
        let username = username.trim().to_lowercase();
        for (col, value, max) in [
            ("username", username.as_str(), MAX_FAILURES_PER_USER),
            ("ip", ip, MAX_FAILURES_PER_IP),
        ] {
            let row: (i64, Option<i64>) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT COUNT(*), MIN(at) FROM login_attempts WHERE {col} = $1 AND success = 0 AND at > $2"
            )))
            .bind(value)
            .bind(since)
            .fetch_one(&self.pool)
            .await?;
            if row.0 >= max {
                let oldest = row.1.unwrap_or_else(now);
                return Ok(Some((oldest + WINDOW_SECONDS - now()).max(1)));
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

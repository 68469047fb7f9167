//! Browser sessions: a random id in an HttpOnly cookie, stored hashed, with a sliding
//! idle timeout and an absolute lifetime, and a CSRF token per session.

use crate::db::now;
use crate::rows::{int, text};
use crate::secret::{random_token, sha256_hex};
use crate::{Result, Store};

#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    /// A session unused this long ends.
    pub idle_seconds: i64,
    /// No session lives longer than this, however busy.
    pub absolute_seconds: i64,
}

#[derive(Debug, Clone)]
pub struct Session {
    pub user_id: i64,
    pub csrf_token: String,
}

pub struct NewSession {
    /// The cookie value; only its hash is stored.
    pub token: String,
    pub csrf_token: String,
}

impl Store {
    pub async fn create_session(
        &self,
        user_id: i64,
        ip: &str,
        user_agent: &str,
        policy: SessionPolicy,
    ) -> Result<NewSession> {
        let token = random_token();
        let csrf_token = random_token();
        let t = now();
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, ip, user_agent, created_at, last_seen_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6, $7)",
        )
        .bind(sha256_hex(&token))
        .bind(user_id)
        .bind(&csrf_token)
        .bind(ip)
        .bind(user_agent.chars().take(300).collect::<String>())
        .bind(t)
        .bind(t + policy.idle_seconds.min(policy.absolute_seconds))
        .execute(&self.pool)
        .await?;
        // Sessions that ended long ago are swept now and then, here rather than in a timer.
        sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(t - 86_400)
            .execute(&self.pool)
            .await?;
        Ok(NewSession { token, csrf_token })
    }

    /// Looks a cookie value up; an expired session is `None`. A live one is extended.
    pub async fn touch_session(
        &self,
        token: &str,
        policy: SessionPolicy,
    ) -> Result<Option<Session>> {
        let hash = sha256_hex(token);
        let t = now();
        let row = sqlx::query(
            "SELECT user_id, csrf_token, created_at, last_seen_at FROM sessions WHERE token_hash = $1 AND expires_at > $2",
        )
        .bind(&hash)
        .bind(t)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let created = int(&r, "created_at")?;
        // Writing on every request would serialise SQLite readers; once a minute is enough.
        if t - int(&r, "last_seen_at")? >= 60 {
            let expires = (t + policy.idle_seconds).min(created + policy.absolute_seconds);
            sqlx::query(
                "UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE token_hash = $3",
            )
            .bind(t)
            .bind(expires)
            .bind(&hash)
            .execute(&self.pool)
            .await?;
        }
        Ok(Some(Session {
            user_id: int(&r, "user_id")?,
            csrf_token: text(&r, "csrf_token")?,
        }))
    }

    /// Whether a cookie value still names a live session (not ended by logout, expiry or
    /// a password change), without extending it: long-lived streams ask this as they go.
    pub async fn session_live(&self, token: &str) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sessions WHERE token_hash = $1 AND expires_at > $2",
        )
        .bind(sha256_hex(token))
        .bind(now())
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    pub async fn delete_session(&self, token: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(sha256_hex(token))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

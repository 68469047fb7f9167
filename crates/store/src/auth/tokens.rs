//! Personal API tokens: `Authorization: Bearer wharf_…`, stored hashed, revocable.

use serde_json::json;
use wharf_core::{Actor, DomainError};

use crate::audit::{self, Entry};
use crate::db::now;
use crate::rows::{int, opt_int, text};
use crate::secret::{random_token, sha256_hex};
use crate::{Ctx, Result, Store};

pub const TOKEN_PREFIX: &str = "wharf_";

#[derive(Debug, Clone, serde::Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    /// The first characters, so a user can tell tokens apart.
    pub prefix: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

impl Store {
    /// Creates a token for the actor; the returned secret is shown once and never again.
    pub async fn create_token(&self, ctx: Ctx<'_>, name: &str) -> Result<(i64, String)> {
        let mut e = wharf_core::validate::FieldErrors::default();
        let name = e.text("name", name, true, 80);
        e.into_result()?;
        let secret = format!("{TOKEN_PREFIX}{}", random_token());
        let prefix: String = secret.chars().take(TOKEN_PREFIX.len() + 6).collect();
        let mut tx = self.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(ctx.actor.user_id)
        .bind(&name)
        .bind(sha256_hex(&secret))
        .bind(&prefix)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "token.create",
                entity: "api_token",
                entity_id: Some(id),
                summary: &name,
                details: json!({"prefix": prefix}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok((id, secret))
    }

    /// The actor's own tokens, newest first.
    pub async fn list_tokens(&self, actor: &Actor) -> Result<Vec<ApiToken>> {
        let rows = sqlx::query(
            "SELECT id, name, prefix, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id DESC",
        )
        .bind(actor.user_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| {
                Ok(ApiToken {
                    id: int(r, "id")?,
                    name: text(r, "name")?,
                    prefix: text(r, "prefix")?,
                    created_at: int(r, "created_at")?,
                    last_used_at: opt_int(r, "last_used_at")?,
                    revoked_at: opt_int(r, "revoked_at")?,
                })
            })
            .collect::<sqlx::Result<_>>()?)
    }

    /// Revokes one of the actor's own tokens.
    pub async fn revoke_token(&self, ctx: Ctx<'_>, id: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        let done = sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL")
            .bind(now())
            .bind(id)
            .bind(ctx.actor.user_id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(DomainError::NotFound.into());
        }
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "token.revoke",
                entity: "api_token",
                entity_id: Some(id),
                summary: "",
                details: serde_json::Value::Null,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The user a bearer token belongs to, if it is live: not revoked (a password change
    /// or reset revokes a user's tokens) and its user not bound to change their password.
    pub async fn user_for_token(&self, secret: &str) -> Result<Option<i64>> {
        if !secret.starts_with(TOKEN_PREFIX) {
            return Ok(None);
        }
        let hash = sha256_hex(secret);
        // Not while the user must choose a new password: a token is no way around that.
        let user: Option<i64> = sqlx::query_scalar(
            "SELECT t.user_id FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.must_change_password = 0",
        )
        .bind(&hash)
        .fetch_optional(&self.pool)
        .await?;
        if user.is_some() {
            let t = now();
            sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE token_hash = $2 AND (last_used_at IS NULL OR last_used_at < $3)")
                .bind(t)
                .bind(&hash)
                .bind(t - 60)
                .execute(&self.pool)
                .await?;
        }
        Ok(user)
    }
}

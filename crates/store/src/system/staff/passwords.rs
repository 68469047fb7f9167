//! Passwords: an administrator's reset, the command-line reset, changing one's own, and
//! the built-in admin's first password; setting one ends the user's sessions.

use serde_json::json;
use wharf_core::{DomainError, Permission, password};

use crate::audit::{self, Entry};
use crate::db::now;
use crate::{Ctx, Result, Store};

impl Store {
    /// An admin sets a new password for someone; they must change it at next sign-in and
    /// their open sessions end.
    pub async fn admin_reset_password(
        &self,
        ctx: Ctx<'_>,
        id: i64,
        new_password: &str,
    ) -> Result<()> {
        ctx.actor.require(Permission::SystemAdmin)?;
        let staff = self.staff_by_id(id).await?.ok_or(DomainError::NotFound)?;
        if let Some(code) = password::weakness(new_password) {
            return Err(DomainError::field("password", code).into());
        }
        let mut tx = self.begin().await?;
        let revoked = set_password(&mut tx, id, new_password, true, true).await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "staff.reset_password",
                entity: "staff",
                entity_id: Some(id),
                summary: &staff.username,
                details: json!({ "tokens_revoked": revoked }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The command-line reset (`wharf admin reset-password USER`), for a locked-out admin.
    pub async fn cli_reset_password(&self, username: &str, new_password: &str) -> Result<()> {
        if let Some(code) = password::weakness(new_password) {
            return Err(DomainError::field("password", code).into());
        }
        let username = username.trim().to_lowercase();
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
            .bind(&username)
            .fetch_optional(&self.pool)
            .await?;
        let id = id.ok_or(DomainError::NotFound)?;
        let mut tx = self.begin().await?;
        let revoked = set_password(&mut tx, id, new_password, false, true).await?;
        sqlx::query("DELETE FROM login_attempts WHERE username = $1")
            .bind(&username)
            .execute(&mut *tx)
            .await?;
        audit::write(
            &mut tx,
            None,
            "cli",
            "",
            Entry {
                action: "staff.reset_password",
                entity: "staff",
                entity_id: Some(id),
                summary: &username,
                details: json!({"via": "command line", "tokens_revoked": revoked}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes the actor's own password after checking the current one. Every session
    /// of theirs ends (the caller signs this browser in again) and, unless they asked to
    /// keep them, so do their API tokens.
    pub async fn change_own_password(
        &self,
        ctx: Ctx<'_>,
        current: &str,
        new_password: &str,
        keep_tokens: bool,
    ) -> Result<()> {
        let hash: Option<String> =
            sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
                .bind(ctx.actor.user_id)
                .fetch_one(&self.pool)
                .await?;
        let mut e = wharf_core::validate::FieldErrors::default();
        let current_ok = match hash.as_deref() {
            Some(h) => crate::auth::hashing::verify(current, h).await,
            None => false,
        };
        if !current_ok {
            e.add("current_password", "wrong_password");
        }
        if let Some(code) = password::weakness(new_password) {
            e.add("new_password", code);
        } else if new_password == current {
            e.add("new_password", "password_unchanged");
        }
        e.into_result()?;
        let mut tx = self.begin().await?;
        let revoked = set_password(
            &mut tx,
            ctx.actor.user_id,
            new_password,
            false,
            !keep_tokens,
        )
        .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "staff.change_password",
                entity: "staff",
                entity_id: Some(ctx.actor.user_id),
                summary: &ctx.actor.username,
                details: json!({ "tokens_revoked": revoked }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// True while the built-in admin has never been given a password (first start).
    pub async fn needs_setup(&self) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM users WHERE is_builtin = 1 AND password_hash IS NULL",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    /// Sets the built-in admin's first password. Succeeds only once: afterwards the
    /// admin changes it like anyone else.
    pub async fn complete_setup(&self, new_password: &str, ip: &str) -> Result<i64> {
        if let Some(code) = password::weakness(new_password) {
            return Err(DomainError::field("password", code).into());
        }
        let hash = crate::auth::hashing::hash(new_password).await?;
        let mut tx = self.begin().await?;
        let id: Option<i64> = sqlx::query_scalar(
            "UPDATE users SET password_hash = $1, must_change_password = 0, updated_at = $2 \
             WHERE is_builtin = 1 AND password_hash IS NULL RETURNING id",
        )
        .bind(hash)
        .bind(now())
        .fetch_optional(&mut *tx)
        .await?;
        let id = id.ok_or(DomainError::refused("setup_already_done", 0))?;
        audit::write(
            &mut tx,
            Some(id),
            "admin",
            ip,
            Entry {
                action: "setup.admin_password",
                entity: "staff",
                entity_id: Some(id),
                summary: "admin",
                details: serde_json::Value::Null,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }
}

/// Sets a password and ends every session of the user; with `revoke_tokens` their live
/// API tokens too (how many is returned, for the audit log).
async fn set_password(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
    new_password: &str,
    must_change: bool,
    revoke_tokens: bool,
) -> Result<u64> {
    let hash = crate::auth::hashing::hash(new_password).await?;
    sqlx::query("UPDATE users SET password_hash = $1, must_change_password = $2, updated_at = $3 WHERE id = $4")
        .bind(hash)
        .bind(i64::from(must_change))
        .bind(now())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    if !revoke_tokens {
        return Ok(0);
    }
    Ok(sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
    )
    .bind(now())
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected())
}

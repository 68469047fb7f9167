//! Adding and changing staff (system administrators): their department, position and
//! role checked to exist, usernames unique, each change audited; and a user's own
//! language choice.

use serde_json::json;
use wharf_core::org::{StaffInput, StaffStatus};
use wharf_core::{DomainError, Permission};

use crate::audit::{self, Entry};
use crate::db::now;
use crate::{Ctx, Result, Store, StoreError};

impl Store {
    async fn check_staff_refs(&self, input: &StaffInput) -> Result<()> {
        let mut e = wharf_core::validate::FieldErrors::default();
        if let Some(d) = input.department_id
            && !self.exists("departments", d).await?
        {
            e.add("department_id", "invalid_choice");
        }
        if let Some(p) = input.position_id {
            let ok: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM dict_items WHERE id = $1 AND kind = 'position'",
            )
            .bind(p)
            .fetch_one(&self.pool)
            .await?;
            if ok == 0 {
                e.add("position_id", "invalid_choice");
            }
        }
        if let Some(r) = input.role_id
            && !self.exists("roles", r).await?
        {
            e.add("role_id", "invalid_choice");
        }
        Ok(e.into_result()?)
    }

    pub async fn create_staff(&self, ctx: Ctx<'_>, input: StaffInput) -> Result<i64> {
        ctx.actor.require(Permission::SystemAdmin)?;
        let mut input = input;
        if input.password.as_deref().unwrap_or("").is_empty() {
            input.password = Some(String::new()); // validated as too short: a password is required
        }
        let input = input.validate()?;
        self.check_staff_refs(&input).await?;
        let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE username = $1")
            .bind(&input.username)
            .fetch_one(&self.pool)
            .await?;
        if taken > 0 {
            return Err(DomainError::field("username", "duplicate_username").into());
        }
        let hash =
            crate::auth::hashing::hash(input.password.as_deref().unwrap_or_default()).await?;
        let t = now();
        let mut tx = self.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, password_hash, must_change_password, number, name, department_id, position_id, \
               role_id, office_phone, mobile, email, status, created_at, updated_at) \
             VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
        )
        .bind(&input.username)
        .bind(hash)
        .bind(&input.number)
        .bind(&input.name)
        .bind(input.department_id)
        .bind(input.position_id)
        .bind(input.role_id)
        .bind(&input.office_phone)
        .bind(&input.mobile)
        .bind(&input.email)
        .bind(&input.status)
        .bind(t)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| duplicate_username(e.into()))?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "staff.create",
                entity: "staff",
                entity_id: Some(id),
                summary: &format!("{} ({})", input.name, input.username),
                details: staff_details(&input),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn update_staff(&self, ctx: Ctx<'_>, id: i64, input: StaffInput) -> Result<()> {
        ctx.actor.require(Permission::SystemAdmin)?;
        let current = self.staff_by_id(id).await?.ok_or(DomainError::NotFound)?;
        let mut input = StaffInput {
            password: None,
            ..input
        };
        if current.is_builtin {
            // The built-in admin keeps its name, role and status so nobody locks the
            // company out of its own system.
            input.username = current.username.clone();
            input.role_id = Some(current.role_id);
            input.status = StaffStatus::Active.code().into();
        }
        let input = input.validate()?;
        if id == ctx.actor.user_id && input.status == StaffStatus::Left.code() {
            return Err(DomainError::field("status", "cannot_deactivate_self").into());
        }
        self.check_staff_refs(&input).await?;
        let taken: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE username = $1 AND id <> $2")
                .bind(&input.username)
                .bind(id)
                .fetch_one(&self.pool)
                .await?;
        if taken > 0 {
            return Err(DomainError::field("username", "duplicate_username").into());
        }
        let mut tx = self.begin().await?;
        sqlx::query(
            "UPDATE users SET username = $1, number = $2, name = $3, department_id = $4, position_id = $5, role_id = $6, \
               office_phone = $7, mobile = $8, email = $9, status = $10, updated_at = $11 WHERE id = $12",
        )
        .bind(&input.username)
        .bind(&input.number)
        .bind(&input.name)
        .bind(input.department_id)
        .bind(input.position_id)
        .bind(input.role_id)
        .bind(&input.office_phone)
        .bind(&input.mobile)
        .bind(&input.email)
        .bind(&input.status)
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(|e| duplicate_username(e.into()))?;
        if input.status == StaffStatus::Left.code() {
            // Someone who has left is signed out everywhere and their tokens stop working.
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
            )
            .bind(now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "staff.update",
                entity: "staff",
                entity_id: Some(id),
                summary: &format!("{} ({})", input.name, input.username),
                details: staff_details(&input),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The user's language choice ("" = follow the browser).
    pub async fn set_locale(&self, ctx: Ctx<'_>, locale: &str) -> Result<()> {
        sqlx::query("UPDATE users SET locale = $1, updated_at = $2 WHERE id = $3")
            .bind(locale)
            .bind(now())
            .bind(ctx.actor.user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

fn duplicate_username(e: StoreError) -> StoreError {
    if e.is_unique_violation() {
        DomainError::field("username", "duplicate_username").into()
    } else {
        e
    }
}

fn staff_details(i: &StaffInput) -> serde_json::Value {
    json!({
        "username": i.username, "number": i.number, "name": i.name,
        "department_id": i.department_id, "position_id": i.position_id, "role_id": i.role_id,
        "office_phone": i.office_phone, "mobile": i.mobile, "email": i.email, "status": i.status,
    })
}

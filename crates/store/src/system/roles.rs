//! Roles (SPEC AUTH-3): bundles of function permissions with a data scope.

use serde_json::json;
use wharf_core::org::RoleInput;
use wharf_core::permission::{format_permissions, parse_permissions};
use wharf_core::{Actor, DataScope, DomainError, Permission};

use crate::audit::{self, Entry};
use crate::db::now;
use crate::rows::{int, opt_text, text};
use crate::{Ctx, Result, Store};

#[derive(Debug, Clone, serde::Serialize)]
pub struct Role {
    pub id: i64,
    /// Set on the preset roles.
    pub code: Option<String>,
    pub name_zh: String,
    pub name_en: String,
    pub description: String,
    pub permissions: Vec<Permission>,
    pub scope: DataScope,
    pub daily_claim_quota: i64,
    pub user_count: i64,
}

impl Store {
    /// All roles; any signed-in user may read them (they label staff everywhere).
    pub async fn list_roles(&self, _actor: &Actor) -> Result<Vec<Role>> {
        let rows = sqlx::query(
            "SELECT r.id, r.code, r.name_zh, r.name_en, r.description, r.permissions, r.scope, r.daily_claim_quota, \
               (SELECT COUNT(*) FROM users u WHERE u.role_id = r.id) AS user_count \
             FROM roles r ORDER BY r.id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| {
                Ok(Role {
                    id: int(r, "id")?,
                    code: opt_text(r, "code")?,
                    name_zh: text(r, "name_zh")?,
                    name_en: text(r, "name_en")?,
                    description: text(r, "description")?,
                    permissions: parse_permissions(&text(r, "permissions")?),
                    scope: DataScope::from_code(&text(r, "scope")?).unwrap_or(DataScope::Own),
                    daily_claim_quota: int(r, "daily_claim_quota")?,
                    user_count: int(r, "user_count")?,
                })
            })
            .collect::<sqlx::Result<_>>()?)
    }

    pub async fn get_role(&self, actor: &Actor, id: i64) -> Result<Role> {
        self.list_roles(actor)
            .await?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or(DomainError::NotFound.into())
    }

    async fn check_role_names(&self, id: i64, input: &RoleInput) -> Result<()> {
        let mut e = wharf_core::validate::FieldErrors::default();
        for (field, value) in [("name_zh", &input.name_zh), ("name_en", &input.name_en)] {
            if value.is_empty() {
                continue;
            }
            let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT COUNT(*) FROM roles WHERE LOWER({field}) = LOWER($1) AND id <> $2"
            )))
            .bind(value)
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
            if n > 0 {
                e.add(field, "duplicate_name");
            }
        }
        Ok(e.into_result()?)
    }

    pub async fn create_role(&self, ctx: Ctx<'_>, input: RoleInput) -> Result<i64> {
        ctx.actor.require(Permission::SystemAdmin)?;
        let input = input.validate()?;
        self.check_role_names(0, &input).await?;
        let t = now();
        let mut tx = self.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO roles (name_zh, name_en, description, permissions, scope, daily_claim_quota, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
        )
        .bind(&input.name_zh)
        .bind(&input.name_en)
        .bind(&input.description)
        .bind(format_permissions(&input.permissions))
        .bind(input.scope.code())
        .bind(input.daily_claim_quota)
        .bind(t)
        .fetch_one(&mut *tx)
        .await?;
        audit::record(&mut tx, ctx, entry("role.create", id, &input)).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn update_role(&self, ctx: Ctx<'_>, id: i64, input: RoleInput) -> Result<()> {
        ctx.actor.require(Permission::SystemAdmin)?;
        let current = self.get_role(ctx.actor, id).await?;
        let mut input = input.validate()?;
        if current.code.as_deref() == Some(wharf_core::permission::ADMIN_ROLE_CODE) {
            // The built-in admin's role keeps every permission and the whole company in
            // scope, so the system can always be administered.
            input.permissions = Permission::ALL.to_vec();
            input.scope = DataScope::All;
        }
        self.check_role_names(id, &input).await?;
        let mut tx = self.begin().await?;
        sqlx::query(
            "UPDATE roles SET name_zh = $1, name_en = $2, description = $3, permissions = $4, scope = $5, \
             daily_claim_quota = $6, updated_at = $7 WHERE id = $8",
        )
        .bind(&input.name_zh)
        .bind(&input.name_en)
        .bind(&input.description)
        .bind(format_permissions(&input.permissions))
        .bind(input.scope.code())
        .bind(input.daily_claim_quota)
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        audit::record(&mut tx, ctx, entry("role.update", id, &input)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes a role nobody holds.
    pub async fn delete_role(&self, ctx: Ctx<'_>, id: i64) -> Result<()> {
        ctx.actor.require(Permission::SystemAdmin)?;
        let role = self.get_role(ctx.actor, id).await?;
        if role.user_count > 0 {
            return Err(DomainError::refused("role_in_use", role.user_count).into());
        }
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM roles WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let name = if role.name_zh.is_empty() {
            role.name_en.clone()
        } else {
            role.name_zh.clone()
        };
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "role.delete",
                entity: "role",
                entity_id: Some(id),
                summary: &name,
                details: json!(null),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

fn entry<'a>(action: &'static str, id: i64, i: &'a RoleInput) -> Entry<'a> {
    Entry {
        action,
        entity: "role",
        entity_id: Some(id),
        summary: if i.name_zh.is_empty() {
            &i.name_en
        } else {
            &i.name_zh
        },
        details: json!({"name_zh": i.name_zh, "name_en": i.name_en, "description": i.description,
            "permissions": format_permissions(&i.permissions), "scope": i.scope.code(),
            "daily_claim_quota": i.daily_claim_quota}),
    }
}

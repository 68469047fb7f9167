//! The department tree (SPEC AUTH-2).

use serde_json::json;
use wharf_core::org::{DepartmentInput, would_cycle};
use wharf_core::{Actor, DomainError, Permission};

use crate::audit::{self, Entry};
use crate::db::now;
use crate::rows::{int, opt_int, opt_text, text};
use crate::{Ctx, Result, Store};

#[derive(Debug, Clone, serde::Serialize)]
pub struct Department {
    pub id: i64,
    pub short_name: String,
    pub name: String,
    pub parent_id: Option<i64>,
    pub head_user_id: Option<i64>,
    pub head_name: Option<String>,
    pub description: String,
    pub staff_count: i64,
}

impl Store {
    /// Every department; any signed-in user may read the organisation's structure.
    pub async fn list_departments(&self, _actor: &Actor) -> Result<Vec<Department>> {
        let rows = sqlx::query(
            "SELECT d.id, d.short_name, d.name, d.parent_id, d.head_user_id, h.name AS head_name, d.description, \
               (SELECT COUNT(*) FROM users u WHERE u.department_id = d.id) AS staff_count \
             FROM departments d LEFT JOIN users h ON h.id = d.head_user_id ORDER BY d.name",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| {
                Ok(Department {
                    id: int(r, "id")?,
                    short_name: text(r, "short_name")?,
                    name: text(r, "name")?,
                    parent_id: opt_int(r, "parent_id")?,
                    head_user_id: opt_int(r, "head_user_id")?,
                    head_name: opt_text(r, "head_name")?,
                    description: text(r, "description")?,
                    staff_count: int(r, "staff_count")?,
                })
            })
            .collect::<sqlx::Result<_>>()?)
    }

    pub async fn get_department(&self, actor: &Actor, id: i64) -> Result<Department> {
        self.list_departments(actor)
            .await?
            .into_iter()
            .find(|d| d.id == id)
            .ok_or(DomainError::NotFound.into())
    }

    async fn check_department(&self, id: Option<i64>, input: &DepartmentInput) -> Result<()> {
        let mut e = wharf_core::validate::FieldErrors::default();
        if let Some(p) = input.parent_id {
            if !self.exists("departments", p).await? {
                e.add("parent_id", "invalid_choice");
            } else if let Some(id) = id
                && would_cycle(&self.department_nodes().await?, id, Some(p))
            {
                e.add("parent_id", "department_cycle");
            }
        }
        if let Some(h) = input.head_user_id
            && !self.exists("users", h).await?
        {
            e.add("head_user_id", "invalid_choice");
        }
        let same: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM departments WHERE LOWER(name) = LOWER($1) AND id <> $2 \
             AND COALESCE(parent_id, 0) = $3",
        )
        .bind(&input.name)
        .bind(id.unwrap_or(0))
        .bind(input.parent_id.unwrap_or(0))
        .fetch_one(&self.pool)
        .await?;
        if same > 0 {
            e.add("name", "duplicate_name");
        }
        Ok(e.into_result()?)
    }

    pub async fn create_department(&self, ctx: Ctx<'_>, input: DepartmentInput) -> Result<i64> {
        ctx.actor.require(Permission::SystemAdmin)?;
        let input = input.validate()?;
        self.check_department(None, &input).await?;
        let t = now();
        let mut tx = self.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO departments (short_name, name, parent_id, head_user_id, description, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
        )
        .bind(&input.short_name)
        .bind(&input.name)
        .bind(input.parent_id)
        .bind(input.head_user_id)
        .bind(&input.description)
        .bind(t)
        .fetch_one(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "department.create",
                entity: "department",
                entity_id: Some(id),
                summary: &input.name,
                details: details(&input),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn update_department(
        &self,
        ctx: Ctx<'_>,
        id: i64,
        input: DepartmentInput,
    ) -> Result<()> {
        ctx.actor.require(Permission::SystemAdmin)?;
        if !self.exists("departments", id).await? {
            return Err(DomainError::NotFound.into());
        }
        let input = input.validate()?;
        self.check_department(Some(id), &input).await?;
        let mut tx = self.begin().await?;
        sqlx::query(
            "UPDATE departments SET short_name = $1, name = $2, parent_id = $3, head_user_id = $4, description = $5, \
             updated_at = $6 WHERE id = $7",
        )
        .bind(&input.short_name)
        .bind(&input.name)
        .bind(input.parent_id)
        .bind(input.head_user_id)
        .bind(&input.description)
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "department.update",
                entity: "department",
                entity_id: Some(id),
                summary: &input.name,
                details: details(&input),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes an empty department: one with staff or sub-departments is refused.
    pub async fn delete_department(&self, ctx: Ctx<'_>, id: i64) -> Result<()> {
        ctx.actor.require(Permission::SystemAdmin)?;
        let dept = self.get_department(ctx.actor, id).await?;
        if dept.staff_count > 0 {
            return Err(DomainError::refused("department_has_staff", dept.staff_count).into());
        }
        let children: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM departments WHERE parent_id = $1")
                .bind(id)
                .fetch_one(&self.pool)
                .await?;
        if children > 0 {
            return Err(DomainError::refused("department_has_children", children).into());
        }
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM departments WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "department.delete",
                entity: "department",
                entity_id: Some(id),
                summary: &dept.name,
                details: json!(null),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

fn details(i: &DepartmentInput) -> serde_json::Value {
    json!({"short_name": i.short_name, "name": i.name, "parent_id": i.parent_id,
           "head_user_id": i.head_user_id, "description": i.description})
}

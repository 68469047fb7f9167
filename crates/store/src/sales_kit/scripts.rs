//! Sales scripts: a person's own (only they see and change them) and reference ones
//! (everyone with `customers` reads them, holders of `sales_kit` change them).

use serde_json::json;
use wharf_core::sales_kit::{ScriptEntry, ScriptInput};
use wharf_core::{Actor, DomainError, Permission};

use super::{KIT_LIMIT, word_conditions};
use crate::audit::{self, Entry};
use crate::db::now;
use crate::rows::{int, opt_int, text};
use crate::{Ctx, Result, Store};

/// A script as pages and the API show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Script {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub category: String,
    /// A company-wide reference script (no owner).
    pub reference: bool,
    /// The actor may change or delete it.
    pub may_change: bool,
    pub updated_at: i64,
}

fn script(r: &sqlx::any::AnyRow, actor: &Actor) -> sqlx::Result<Script> {
    let owner = opt_int(r, "owner_id")?;
    Ok(Script {
        id: int(r, "id")?,
        title: text(r, "title")?,
        body: text(r, "body")?,
        category: text(r, "category")?,
        reference: owner.is_none(),
        may_change: match owner {
            Some(o) => o == actor.user_id,
            None => actor.has(Permission::SalesKit),
        },
        updated_at: int(r, "updated_at")?,
    })
}

const SELECT: &str = "SELECT id, owner_id, title, body, category, updated_at FROM sales_scripts";

impl Store {
    /// The actor's own scripts and the reference ones matching the words (in the title,
    /// category or body), reference first, by category and title.
    pub async fn list_scripts(&self, actor: &Actor, q: &str) -> Result<Vec<Script>> {
        actor.require(Permission::Customers)?;
        let (words_sql, words) = word_conditions(q, 2);
        let sql = format!(
            "{SELECT} WHERE (owner_id IS NULL OR owner_id = $1){words_sql} \
             ORDER BY CASE WHEN owner_id IS NULL THEN 0 ELSE 1 END, category, title, id LIMIT {KIT_LIMIT}"
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(actor.user_id);
        for w in words {
            query = query.bind(w);
        }
        Ok(query
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| script(r, actor))
            .collect::<sqlx::Result<_>>()?)
    }

    /// One script the actor may read (someone else's own is not found).
    pub async fn get_script(&self, actor: &Actor, id: i64) -> Result<Script> {
        actor.require(Permission::Customers)?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE id = $1 AND (owner_id IS NULL OR owner_id = $2)"
        )))
        .bind(id)
        .bind(actor.user_id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(DomainError::NotFound)?;
        Ok(script(&row, actor)?)
    }

    pub async fn create_script(&self, ctx: Ctx<'_>, input: &ScriptInput) -> Result<i64> {
        ctx.actor.require(Permission::Customers)?;
        let e = input.validate()?;
        if e.reference {
            ctx.actor.require(Permission::SalesKit)?;
        }
        let mut tx = self.begin().await?;
        let t = now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO sales_scripts (owner_id, title, body, category, search_text, created_by, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
        )
        .bind((!e.reference).then_some(ctx.actor.user_id))
        .bind(&e.title)
        .bind(&e.body)
        .bind(&e.category)
        .bind(e.search_text())
        .bind(ctx.actor.user_id)
        .bind(t)
        .fetch_one(&mut *tx)
        .await?;
        audit::record(&mut tx, ctx, entry("sales_script.create", id, &e)).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes a script the actor may change; a personal one may not become a
    /// reference one without `sales_kit` (nor the other way).
    pub async fn update_script(&self, ctx: Ctx<'_>, id: i64, input: &ScriptInput) -> Result<()> {
        let before = self.get_script(ctx.actor, id).await?;
        if !before.may_change {
            return Err(DomainError::Denied.into());
        }
        let e = input.validate()?;
        if e.reference != before.reference {
            ctx.actor.require(Permission::SalesKit)?;
        }
        let mut tx = self.begin().await?;
        sqlx::query(
            "UPDATE sales_scripts SET owner_id = $1, title = $2, body = $3, category = $4, \
             search_text = $5, updated_at = $6 WHERE id = $7",
        )
        .bind((!e.reference).then_some(ctx.actor.user_id))
        .bind(&e.title)
        .bind(&e.body)
        .bind(&e.category)
        .bind(e.search_text())
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let mut a = entry("sales_script.update", id, &e);
        a.details["before"] = json!({ "title": before.title, "reference": before.reference });
        audit::record(&mut tx, ctx, a).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn delete_script(&self, ctx: Ctx<'_>, id: i64) -> Result<()> {
        let s = self.get_script(ctx.actor, id).await?;
        if !s.may_change {
            return Err(DomainError::Denied.into());
        }
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM sales_scripts WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "sales_script.delete",
                entity: "sales_script",
                entity_id: Some(id),
                summary: &s.title,
                details: json!({ "reference": s.reference }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

fn entry(action: &'static str, id: i64, e: &ScriptEntry) -> Entry<'static> {
    Entry {
        action,
        entity: "sales_script",
        entity_id: Some(id),
        summary: "",
        details: json!({ "title": e.title, "category": e.category, "reference": e.reference }),
    }
}

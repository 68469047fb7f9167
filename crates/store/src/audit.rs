//! The audit log (SPEC BASE-4): every write records who, when, what and from where, in
//! the same transaction as the write itself.

use serde_json::Value;
use sqlx::{Any, Transaction};
use wharf_core::{Actor, Permission};

use crate::db::now;
use crate::rows::{int, like_pattern, opt_int, text};
use crate::{Ctx, Page, Result, Store};

/// One audited write: `action` is a stable code such as `department.create`.
pub struct Entry<'a> {
    pub action: &'static str,
    pub entity: &'static str,
    pub entity_id: Option<i64>,
    pub summary: &'a str,
    pub details: Value,
}

pub(crate) async fn record(
    tx: &mut Transaction<'static, Any>,
    ctx: Ctx<'_>,
    entry: Entry<'_>,
) -> Result<()> {
    write(
        tx,
        Some(ctx.actor.user_id),
        &ctx.actor.username,
        ctx.ip,
        entry,
    )
    .await
}

/// For events with no signed-in actor (first-start setup, failed logins, the CLI).
pub(crate) async fn write(
    tx: &mut Transaction<'static, Any>,
    user_id: Option<i64>,
    username: &str,
    ip: &str,
    entry: Entry<'_>,
) -> Result<()> {
    let details = if entry.details.is_null() {
        String::new()
    } else {
        entry.details.to_string()
    };
    sqlx::query(
        "INSERT INTO audit_log (at, user_id, username, ip, action, entity, entity_id, summary, details) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(now())
    .bind(user_id)
    .bind(username)
    .bind(ip)
    .bind(entry.action)
    .bind(entry.entity)
    .bind(entry.entity_id)
    .bind(entry.summary)
    .bind(details)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct AuditRow {
    pub id: i64,
    pub at: i64,
    pub user_id: Option<i64>,
    pub username: String,
    pub ip: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub summary: String,
    pub details: String,
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Free text over summary, details, action and username.
    pub q: String,
    pub username: String,
    /// An action code or its prefix (`department.`).
    pub action: String,
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub page: i64,
    pub per_page: i64,
}

impl Store {
    /// Searches the log, newest first. Admins only.
    pub async fn search_audit(&self, actor: &Actor, f: &AuditFilter) -> Result<Page<AuditRow>> {
        actor.require(Permission::SystemAdmin)?;
        let per_page = f.per_page.clamp(1, 500);
        let page = f.page.max(1);
        let q = if f.q.trim().is_empty() {
            String::new()
        } else {
            like_pattern(f.q.trim())
        };
        let action = f.action.trim().to_lowercase();
        let where_sql = "WHERE ($1 = '' OR LOWER(summary) LIKE $1 ESCAPE '\\' OR LOWER(details) LIKE $1 ESCAPE '\\' \
                 OR LOWER(action) LIKE $1 ESCAPE '\\' OR LOWER(username) LIKE $1 ESCAPE '\\') \
             AND ($2 = '' OR LOWER(username) = $2) \
             AND ($3 = '' OR action = $3 OR action LIKE $4) \
             AND at >= $5 AND at <= $6";
        let action_prefix = format!("{}%", action.replace(['%', '_'], ""));
        let from = f.from.unwrap_or(0);
        let to = f.to.unwrap_or(i64::MAX / 2);
        let username = f.username.trim().to_lowercase();
        let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM audit_log {where_sql}"
        )))
        .bind(&q)
        .bind(&username)
        .bind(&action)
        .bind(&action_prefix)
        .bind(from)
        .bind(to)
        .fetch_one(&self.pool)
        .await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT id, at, user_id, username, ip, action, entity, entity_id, summary, details \
             FROM audit_log {where_sql} ORDER BY id DESC LIMIT $7 OFFSET $8"
        )))
        .bind(&q)
        .bind(&username)
        .bind(&action)
        .bind(&action_prefix)
        .bind(from)
        .bind(to)
        .bind(per_page)
        .bind((page - 1) * per_page)
        .fetch_all(&self.pool)
        .await?;
        let items = rows
            .iter()
            .map(|r| {
                Ok(AuditRow {
                    id: int(r, "id")?,
                    at: int(r, "at")?,
                    user_id: opt_int(r, "user_id")?,
                    username: text(r, "username")?,
                    ip: text(r, "ip")?,
                    action: text(r, "action")?,
                    entity: text(r, "entity")?,
                    entity_id: opt_int(r, "entity_id")?,
                    summary: text(r, "summary")?,
                    details: text(r, "details")?,
                })
            })
            .collect::<sqlx::Result<Vec<_>>>()?;
        Ok(Page {
            items,
            total,
            page,
            per_page,
        })
    }
}

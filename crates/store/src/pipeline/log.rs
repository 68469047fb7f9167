//! The stage log: every promote / demote and flag change of a customer, newest first.

use wharf_core::Actor;

use crate::db::now;
use crate::rows::{int, text};
use crate::{Result, Store};

#[derive(Debug, Clone, serde::Serialize)]
pub struct StageLogEntry {
    pub at: i64,
    pub user: String,
    /// `stage` or `flag`.
    pub kind: String,
    pub from: String,
    pub to: String,
    pub reason: String,
}

/// One log row, in the transaction of the change.
pub(super) async fn write(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    customer_id: i64,
    by: i64,
    kind: &str,
    (from, to): (&str, &str),
    reason: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO customer_stage_log (customer_id, at, user_id, kind, from_value, to_value, reason) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(customer_id)
    .bind(now())
    .bind(by)
    .bind(kind)
    .bind(from)
    .bind(to)
    .bind(reason)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// A customer's stage and flag changes, newest first (its opportunities' changes are
    /// theirs: `Store::opportunity_log`).
    pub async fn customer_stage_log(&self, actor: &Actor, id: i64) -> Result<Vec<StageLogEntry>> {
        self.get_customer(actor, id).await?;
        Ok(sqlx::query(
            "SELECT l.at, COALESCE(u.name, '') AS user_name, l.kind, l.from_value, l.to_value, l.reason \
             FROM customer_stage_log l LEFT JOIN users u ON u.id = l.user_id WHERE l.customer_id = $1 \
             AND l.opportunity_id IS NULL ORDER BY l.at DESC, l.id DESC LIMIT 200",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(StageLogEntry {
                at: int(r, "at")?,
                user: text(r, "user_name")?,
                kind: text(r, "kind")?,
                from: text(r, "from_value")?,
                to: text(r, "to_value")?,
                reason: text(r, "reason")?,
            })
        })
        .collect::<sqlx::Result<_>>()?)
    }
}

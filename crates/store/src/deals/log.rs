//! An opportunity's changes on its customer's stage log (`customer_stage_log` with
//! `opportunity_id`), and seed 003's rule that pausing a customer's tracking pauses its
//! opportunities.

use wharf_core::deals::Status;

use wharf_core::Actor;

use crate::db::now;
use crate::pipeline::StageLogEntry;
use crate::rows::{int, text};
use crate::{Result, Store};

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// One log row: `kind` is `opportunity_stage`, `opportunity_status` or `opportunity`
/// (created).
pub(super) async fn write(
    tx: &mut Tx,
    (customer_id, opportunity_id): (i64, i64),
    by: i64,
    kind: &str,
    (from, to): (&str, &str),
    reason: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO customer_stage_log (customer_id, opportunity_id, at, user_id, kind, from_value, to_value, reason) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(customer_id)
    .bind(opportunity_id)
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

/// Inside the flag change's transaction: a customer whose tracking is paused has its
/// selling opportunities paused too (seed 003), each logged. Returns how many.
pub(crate) async fn pause_for_customer(tx: &mut Tx, by: i64, customer_id: i64) -> Result<u64> {
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM opportunities WHERE customer_id = $1 AND status = $2")
            .bind(customer_id)
            .bind(Status::Selling.code())
            .fetch_all(&mut **tx)
            .await?;
    let to = Status::Selling.on_customer_paused();
    for id in &ids {
        sqlx::query("UPDATE opportunities SET status = $1, updated_at = $2 WHERE id = $3")
            .bind(to.code())
            .bind(now())
            .bind(id)
            .execute(&mut **tx)
            .await?;
        write(
            tx,
            (customer_id, *id),
            by,
            "opportunity_status",
            (Status::Selling.code(), to.code()),
            "customer_paused",
        )
        .await?;
    }
    Ok(ids.len() as u64)
}

impl Store {
    /// An opportunity's changes (created, stage, status), newest first; `from` / `to`
    /// of a stage change are stage ids.
    pub async fn opportunity_log(&self, actor: &Actor, id: i64) -> Result<Vec<StageLogEntry>> {
        self.opportunity(actor, id).await?;
        Ok(sqlx::query(
            "SELECT l.at, COALESCE(u.name, '') AS user_name, l.kind, l.from_value, l.to_value, l.reason \
             FROM customer_stage_log l LEFT JOIN users u ON u.id = l.user_id WHERE l.opportunity_id = $1 \
             ORDER BY l.at DESC, l.id DESC LIMIT 200",
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

//! Reminders and revisits due: the reminders the sweep must push (and its one-time
//! mark), the reminders pushed to a user since a moment (the live stream reads them),
//! and what the home page lists (revisits due or overdue, today's reminders).

use wharf_core::{Actor, Permission};

use super::ContactRecord;
use super::read::{SELECT, record};
use crate::rows::{int, text};
use crate::{Result, Store};

/// A reminder the sweep pushed, for the author's open tabs.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FiredReminder {
    pub record_id: i64,
    pub customer_id: i64,
    pub customer_name: String,
    pub content: String,
    pub remind_at: i64,
    pub reminded_at: i64,
}

/// A customer of the actor's whose revisit day has come (or passed).
#[derive(Debug, Clone, serde::Serialize)]
pub struct DueRevisit {
    pub customer_id: i64,
    pub name: String,
    pub stage: String,
    pub next_revisit_at: i64,
}

impl Store {
    /// Reminders due by `now` and not pushed yet, oldest first: (record, remind_at).
    pub async fn due_reminders(&self, now: i64, limit: i64) -> Result<Vec<(i64, i64)>> {
        Ok(sqlx::query_as(
            "SELECT id, remind_at FROM contact_records WHERE reminded_at IS NULL AND remind_at IS NOT NULL \
             AND remind_at <= $1 ORDER BY remind_at, id LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Marks a reminder pushed, unless it was moved meanwhile (then its new time
    /// counts). True when this call marked it.
    pub async fn mark_reminded(&self, id: i64, remind_at: i64, at: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE contact_records SET reminded_at = $1 WHERE id = $2 AND remind_at = $3 AND reminded_at IS NULL",
        )
        .bind(at)
        .bind(id)
        .bind(remind_at)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// The actor's reminders pushed at `since` or later, oldest first.
    pub async fn fired_reminders(&self, actor: &Actor, since: i64) -> Result<Vec<FiredReminder>> {
        let rows = sqlx::query(
            "SELECT r.id, r.customer_id, c.name AS customer_name, r.content, r.remind_at, r.reminded_at \
             FROM contact_records r JOIN customers c ON c.id = r.customer_id \
             WHERE r.author_id = $1 AND r.reminded_at >= $2 ORDER BY r.reminded_at, r.id LIMIT 20",
        )
        .bind(actor.user_id)
        .bind(since)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| {
                Ok(FiredReminder {
                    record_id: int(r, "id")?,
                    customer_id: int(r, "customer_id")?,
                    customer_name: text(r, "customer_name")?,
                    content: text(r, "content")?,
                    remind_at: int(r, "remind_at")?,
                    reminded_at: int(r, "reminded_at")?,
                })
            })
            .collect::<sqlx::Result<_>>()?)
    }

    /// The actor's reminders set in [from, to) (the home page: today's, pushed or not).
    pub async fn reminders_between(
        &self,
        actor: &Actor,
        from: i64,
        to: i64,
    ) -> Result<Vec<ContactRecord>> {
        actor.require(Permission::Customers)?;
        let (visible, values) = crate::customers::visible_condition(actor, 4);
        let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE r.author_id = $1 AND r.remind_at >= $2 AND r.remind_at < $3 AND {visible} \
             ORDER BY r.remind_at, r.id LIMIT 50"
        )))
        .bind(actor.user_id)
        .bind(from)
        .bind(to);
        for v in values {
            q = q.bind(v);
        }
        Ok(q.fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| record(r, actor))
            .collect::<sqlx::Result<_>>()?)
    }

    /// The actor's own customers whose next revisit is before `until` (today's end):
    /// overdue first.
    pub async fn due_revisits(&self, actor: &Actor, until: i64) -> Result<Vec<DueRevisit>> {
        actor.require(Permission::Customers)?;
        let rows = sqlx::query(
            "SELECT c.id, c.name, c.stage, c.next_revisit_at FROM customers c \
             WHERE c.next_revisit_at < $1 AND EXISTS (SELECT 1 FROM customer_owners o \
             WHERE o.customer_id = c.id AND o.user_id = $2) ORDER BY c.next_revisit_at, c.id LIMIT 50",
        )
        .bind(until)
        .bind(actor.user_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| {
                Ok(DueRevisit {
                    customer_id: int(r, "id")?,
                    name: text(r, "name")?,
                    stage: text(r, "stage")?,
                    next_revisit_at: int(r, "next_revisit_at")?,
                })
            })
            .collect::<sqlx::Result<_>>()?)
    }
}

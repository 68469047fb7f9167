//! Opportunities whose next revisit day has come: the home page lists them with the
//! customers' due revisits (the owner's own, not ended, the day today or earlier in the
//! company's calendar; overdue first).

use wharf_core::zone::Day;
use wharf_core::{Actor, Permission};

use crate::rows::{int, text};
use crate::{Result, Store};

/// An opportunity of the actor's to revisit.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DueDeal {
    pub id: i64,
    pub title: String,
    pub customer_name: String,
    /// `YYYY-MM-DD`.
    pub next_revisit: String,
}

impl Store {
    /// The actor's own open opportunities whose revisit day is `today` or before.
    pub async fn due_deal_revisits(&self, actor: &Actor, today: Day) -> Result<Vec<DueDeal>> {
        actor.require(Permission::Customers)?;
        let rows = sqlx::query(
            "SELECT o.id, o.title, c.name AS customer_name, o.next_revisit FROM opportunities o \
             JOIN customers c ON c.id = o.customer_id \
             WHERE o.owner_id = $1 AND o.status <> 'ended' AND o.next_revisit IS NOT NULL \
             AND o.next_revisit <= $2 ORDER BY o.next_revisit, o.id LIMIT 50",
        )
        .bind(actor.user_id)
        .bind(today.iso())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| {
                Ok(DueDeal {
                    id: int(r, "id")?,
                    title: text(r, "title")?,
                    customer_name: text(r, "customer_name")?,
                    next_revisit: text(r, "next_revisit")?,
                })
            })
            .collect::<sqlx::Result<_>>()?)
    }
}

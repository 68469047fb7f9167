//! Reading contact records: one record, a customer's records, the row shape.

use wharf_core::policy::RecordFacts;
use wharf_core::{Actor, DomainError, Permission};

use crate::rows::{int, opt_int, opt_text, text};
use crate::{Result, Store};

/// A record as lists and pages show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ContactRecord {
    pub id: i64,
    pub customer_id: i64,
    pub customer_name: String,
    pub contact_id: Option<i64>,
    pub contact_name: String,
    pub author_id: i64,
    pub author_name: String,
    pub kind: String,
    pub content: String,
    pub progress_id: Option<i64>,
    pub progress_zh: String,
    pub progress_en: String,
    pub happened_at: i64,
    /// YYYY-MM-DD.
    pub next_revisit: Option<String>,
    pub remind_at: Option<i64>,
    pub reminded_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    /// May the actor edit or delete it.
    pub may_change: bool,
}

pub(super) const SELECT: &str = "SELECT r.id, r.customer_id, r.contact_id, r.author_id, r.kind, r.content, \
     r.progress_id, r.happened_at, r.next_revisit, r.remind_at, r.reminded_at, r.created_at, r.updated_at, \
     c.name AS customer_name, COALESCE(k.name, '') AS contact_name, COALESCE(u.name, '') AS author_name, \
     u.department_id AS author_department, COALESCE(d.name_zh, '') AS progress_zh, COALESCE(d.name_en, '') AS progress_en \
     FROM contact_records r JOIN customers c ON c.id = r.customer_id \
     LEFT JOIN contacts k ON k.id = r.contact_id LEFT JOIN users u ON u.id = r.author_id \
     LEFT JOIN dict_items d ON d.id = r.progress_id";

pub(super) fn record(r: &sqlx::any::AnyRow, actor: &Actor) -> sqlx::Result<ContactRecord> {
    let facts = RecordFacts {
        author: int(r, "author_id")?,
        author_department: opt_int(r, "author_department")?,
    };
    Ok(ContactRecord {
        id: int(r, "id")?,
        customer_id: int(r, "customer_id")?,
        customer_name: text(r, "customer_name")?,
        contact_id: opt_int(r, "contact_id")?,
        contact_name: text(r, "contact_name")?,
        author_id: facts.author,
        author_name: text(r, "author_name")?,
        kind: text(r, "kind")?,
        content: text(r, "content")?,
        progress_id: opt_int(r, "progress_id")?,
        progress_zh: text(r, "progress_zh")?,
        progress_en: text(r, "progress_en")?,
        happened_at: int(r, "happened_at")?,
        next_revisit: opt_text(r, "next_revisit")?,
        remind_at: opt_int(r, "remind_at")?,
        reminded_at: opt_int(r, "reminded_at")?,
        created_at: int(r, "created_at")?,
        updated_at: int(r, "updated_at")?,
        may_change: facts.changeable_by(actor),
    })
}

impl Store {
    /// One record whose customer the actor may see.
    pub async fn contact_record(&self, actor: &Actor, id: i64) -> Result<ContactRecord> {
        actor.require(Permission::Customers)?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE r.id = $1")))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(DomainError::NotFound)?;
        let r = record(&row, actor)?;
        // The customer's rule decides (a record of an unseen customer does not exist).
        self.get_customer(actor, r.customer_id).await?;
        Ok(r)
    }

    /// A customer's records, newest first (at most `limit`).
    pub async fn customer_records(
        &self,
        actor: &Actor,
        customer_id: i64,
        limit: i64,
    ) -> Result<Vec<ContactRecord>> {
        self.get_customer(actor, customer_id).await?;
        Ok(sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE r.customer_id = $1 ORDER BY r.happened_at DESC, r.id DESC LIMIT $2"
        )))
        .bind(customer_id)
        .bind(limit.clamp(1, 1000))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| record(r, actor))
        .collect::<sqlx::Result<_>>()?)
    }
}

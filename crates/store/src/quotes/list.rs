//! The quotes list (mine / team, by status and customer) and the approval queue: the
//! versions waiting for a manager whose scope reaches their owner, never the manager's own.

use wharf_core::policy::{AuthorScope, QuoteFacts};
use wharf_core::quotes::QuoteStatus;
use wharf_core::{Actor, Permission};

use super::QuoteSummary;
use super::read::{SUMMARY, summary};
use crate::rows::opt_int;
use crate::{Page, Result, Store};

#[derive(Debug, Clone, Default)]
pub struct QuoteQuery {
    /// The team's quotes (within the actor's scope) rather than the actor's own.
    pub team: bool,
    pub status: Option<QuoteStatus>,
    pub customer: Option<i64>,
    pub page: i64,
    pub per_page: i64,
}

impl Store {
    pub async fn list_quotes(&self, actor: &Actor, q: &QuoteQuery) -> Result<Page<QuoteSummary>> {
        actor.require(Permission::Customers)?;
        let (visible, mut values) = crate::customers::visible_condition(actor, 1);
        let scope = if q.team {
            AuthorScope::team(actor)
        } else {
            AuthorScope::mine(actor)
        };
        let (people, more) = crate::access::records::people(&scope, "q.owner_id", values.len() + 1);
        values.extend(more);
        let mut conditions = vec![visible, people];
        if let Some(customer) = q.customer {
            values.push(customer);
            conditions.push(format!("q.customer_id = ${}", values.len()));
        }
        let status = q.status.map(|s| s.code().to_string());
        if status.is_some() {
            conditions.push(format!("v.status = ${}", values.len() + 1));
        }
        let filter = conditions.join(" AND ");
        let per_page = q.per_page.clamp(1, 500);
        let page = q.page.max(1);
        let count_sql = format!(
            "SELECT COUNT(*) FROM quotes q JOIN customers c ON c.id = q.customer_id \
             JOIN quote_versions v ON v.quote_id = q.id AND v.version = q.current_version WHERE {filter}"
        );
        let mut count = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(count_sql));
        for v in &values {
            count = count.bind(*v);
        }
        if let Some(s) = &status {
            count = count.bind(s.clone());
        }
        let total = count.fetch_one(&self.pool).await?;
        let sql = format!(
            "{SUMMARY} WHERE {filter} ORDER BY q.updated_at DESC, q.id DESC LIMIT {per_page} OFFSET {}",
            (page - 1) * per_page
        );
        let mut rows = sqlx::query(sqlx::AssertSqlSafe(sql));
        for v in &values {
            rows = rows.bind(*v);
        }
        if let Some(s) = &status {
            rows = rows.bind(s.clone());
        }
        let items = rows
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(summary)
            .collect::<sqlx::Result<_>>()?;
        Ok(Page {
            items,
            total,
            page,
            per_page,
        })
    }

    /// Versions waiting for the actor's approval, oldest first (at most 500).
    pub async fn quote_approval_queue(&self, actor: &Actor) -> Result<Vec<QuoteSummary>> {
        actor.require(Permission::Customers)?;
        let (visible, mut values) = crate::customers::visible_condition(actor, 1);
        let (people, more) = crate::access::records::people(
            &AuthorScope::team(actor),
            "q.owner_id",
            values.len() + 1,
        );
        values.extend(more);
        values.push(actor.user_id);
        let sql = format!(
            "{SUMMARY} WHERE {visible} AND {people} AND q.owner_id <> ${} AND v.status = 'awaiting_approval' \
             ORDER BY v.submitted_at, q.id LIMIT 500",
            values.len()
        );
        let mut rows = sqlx::query(sqlx::AssertSqlSafe(sql));
        for v in &values {
            rows = rows.bind(*v);
        }
        let mut queue = Vec::new();
        for row in rows.fetch_all(&self.pool).await? {
            let facts = QuoteFacts {
                owner: crate::rows::int(&row, "owner_id")?,
                owner_department: opt_int(&row, "owner_department")?,
            };
            // The in-memory rule has the last word (a salesperson's team is only them).
            if facts.approvable_by(actor) {
                queue.push(summary(&row)?);
            }
        }
        Ok(queue)
    }
}

//! The records list (联系记录): the actor's own or their team's records on customers
//! they may see, filtered by kind, time, customer, author and words. The words are a
//! filtered SQL search (LIKE over the content and the customer's name), not the search
//! index: the index does not hold records yet.

use wharf_core::policy::AuthorScope;
use wharf_core::{Actor, Permission};

use super::ContactRecord;
use super::read::{SELECT, record};
use crate::rows::like_pattern;
use crate::{Page, Result, Store};

#[derive(Debug, Clone, Default)]
pub struct RecordQuery {
    /// The team's records (within the actor's scope) rather than the actor's own.
    pub team: bool,
    /// One author (inside the scope; anyone else matches nothing).
    pub author: Option<i64>,
    pub kind: Option<String>,
    /// Happened in [from, to) (UTC seconds).
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub customer: Option<i64>,
    /// Words in the content or the customer's name.
    pub text: Option<String>,
    pub page: i64,
    pub per_page: i64,
}

impl Store {
    pub async fn list_contact_records(
        &self,
        actor: &Actor,
        q: &RecordQuery,
    ) -> Result<Page<ContactRecord>> {
        actor.require(Permission::Customers)?;
        let (visible, mut values) = crate::customers::visible_condition(actor, 1);
        let scope = if q.team {
            AuthorScope::team(actor)
        } else {
            AuthorScope::mine(actor)
        };
        let (people, more) =
            crate::access::records::people(&scope, "r.author_id", values.len() + 1);
        values.extend(more);
        let mut conditions = vec![visible, people];
        for (value, column) in [
            (q.author, "r.author_id = "),
            (q.customer, "r.customer_id = "),
            (q.from, "r.happened_at >= "),
            (q.to, "r.happened_at < "),
        ] {
            if let Some(v) = value {
                values.push(v);
                conditions.push(format!("{column}${}", values.len()));
            }
        }
        let mut texts = Vec::new();
        if let Some(kind) = q.kind.as_deref().filter(|k| !k.is_empty()) {
            texts.push(kind.to_string());
            conditions.push(format!("r.kind = ${}", values.len() + texts.len()));
        }
        if let Some(t) = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            texts.push(like_pattern(t));
            let p = values.len() + texts.len();
            conditions.push(format!(
                "(LOWER(r.content) LIKE ${p} ESCAPE '\\' OR LOWER(c.name) LIKE ${p} ESCAPE '\\')"
            ));
        }
        let filter = conditions.join(" AND ");
        let per_page = q.per_page.clamp(1, 10_000);
        let page = q.page.max(1);
        let count_sql = format!(
            "SELECT COUNT(*) FROM contact_records r JOIN customers c ON c.id = r.customer_id WHERE {filter}"
        );
        let mut count = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(count_sql));
        for v in &values {
            count = count.bind(*v);
        }
        for t in &texts {
            count = count.bind(t.clone());
        }
        let total = count.fetch_one(&self.pool).await?;
        let sql = format!(
            "{SELECT} WHERE {filter} ORDER BY r.happened_at DESC, r.id DESC LIMIT {per_page} OFFSET {}",
            (page - 1) * per_page
        );
        let mut rows = sqlx::query(sqlx::AssertSqlSafe(sql));
        for v in &values {
            rows = rows.bind(*v);
        }
        for t in &texts {
            rows = rows.bind(t.clone());
        }
        let items = rows
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| record(r, actor))
            .collect::<sqlx::Result<_>>()?;
        Ok(Page {
            items,
            total,
            page,
            per_page,
        })
    }
}

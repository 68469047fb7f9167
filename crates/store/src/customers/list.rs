//! The customer list (CUST-5): quick filters, stage, search text, revisit days, a
//! group, ticked rows and the query builder's conditions; sorting and paging.

use wharf_core::customers::CUSTOMER_FIELDS;
use wharf_core::{Actor, Permission};

use super::Customer;
use super::access::visible_condition;
use super::columns::{customer, select_list};
use super::query_sql::condition_sql;
use crate::rows::{int, like_pattern, text};
use crate::{Page, Result, Store};

/// The quick filters of the list (CUST-5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Quick {
    /// Everything the actor may see.
    #[default]
    All,
    /// The actor is the only owner.
    Mine,
    /// The actor is one of several owners.
    Collaborative,
    /// The shared pool.
    Pool,
    /// Marked to follow.
    Followed,
}

impl Quick {
    pub fn from_code(code: &str) -> Option<Quick> {
        match code {
            "" | "all" => Some(Quick::All),
            "mine" => Some(Quick::Mine),
            "collaborative" => Some(Quick::Collaborative),
            "pool" => Some(Quick::Pool),
            "followed" => Some(Quick::Followed),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct CustomerQuery {
    pub quick: Quick,
    pub stage: Option<String>,
    /// Words in the name, short name, keywords or city.
    pub text: Option<String>,
    /// Next revisit within [from, to) (Unix seconds).
    pub revisit: Option<(i64, i64)>,
    /// Last contacted (a contact record, `store/src/records`) at or after this.
    pub contacted_since: Option<i64>,
    /// Last contacted (or, never contacted, created) before this: the workbench's
    /// "rotting", the stage's threshold turned into a time by the caller.
    pub stale_before: Option<i64>,
    /// Members of this group.
    pub group: Option<i64>,
    /// Owned by this person (one within the actor's scope; anyone else matches none).
    pub owner: Option<i64>,
    /// Owned by someone in this department (within the actor's scope, else none).
    pub department: Option<i64>,
    /// The sales path's filters: the stage's flag, the reserve filters (PIPE-4).
    pub path: crate::pipeline::PathFilter,
    /// Only these customers (the rows ticked in the list), when not empty.
    pub ids: Vec<i64>,
    /// The query builder's conditions (checked; AND binds before OR).
    pub conditions: Vec<wharf_core::customers::query::Condition>,
    /// The company's time zone, for the days of date conditions.
    pub time_zone: wharf_core::zone::Zone,
    /// `name`, `updated`, `revisit`, `stage`, `created`.
    pub sort: String,
    pub descending: bool,
    pub page: i64,
    pub per_page: i64,
}

impl Store {
    /// The active people whose customers the actor's scope reaches (the owner filter).
    pub async fn owners_in_scope(&self, actor: &Actor) -> Result<Vec<(i64, String)>> {
        actor.require(Permission::Customers)?;
        let rows: Vec<(i64, String, Option<i64>)> = sqlx::query_as(
            "SELECT id, name, department_id FROM users WHERE status = 'active' ORDER BY name, id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .filter(|(id, _, d)| actor.can_see_owned(*id, *d))
            .map(|(id, name, _)| (id, name))
            .collect())
    }

    /// The departments whose people's customers the actor's scope reaches.
    pub async fn departments_in_scope(&self, actor: &Actor) -> Result<Vec<(i64, String)>> {
        actor.require(Permission::Customers)?;
        let rows: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, name FROM departments ORDER BY name, id")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .into_iter()
            .filter(|(id, _)| actor.can_see_department(*id))
            .collect())
    }

    /// The list's filter as SQL on `c`: the WHERE clause, its integer parameters
    /// (numbered first) and its text ones (numbered after them); and the sort column.
    pub(super) async fn list_filter(&self, actor: &Actor, q: &CustomerQuery) -> Result<ListFilter> {
        let (visible, mut values) = visible_condition(actor, 1);
        let mut conditions = vec![visible];
        let mut texts: Vec<String> = Vec::new();
        let me = actor.user_id;
        match q.quick {
            Quick::All => {}
            Quick::Mine => {
                values.push(me);
                conditions.push(format!(
                    "c.sharing = 'personal' AND EXISTS (SELECT 1 FROM customer_owners m WHERE m.customer_id = c.id AND m.user_id = ${})",
                    values.len()
                ));
            }
            Quick::Collaborative => {
                values.push(me);
                conditions.push(format!(
                    "c.sharing = 'collaborative' AND EXISTS (SELECT 1 FROM customer_owners m WHERE m.customer_id = c.id AND m.user_id = ${})",
                    values.len()
                ));
            }
            Quick::Pool => conditions.push("c.sharing = 'shared'".into()),
            Quick::Followed => conditions.push("c.follow = 1".into()),
        }
        if let Some(g) = q.group {
            values.push(g);
            conditions.push(format!(
                "EXISTS (SELECT 1 FROM customer_group_members gm WHERE gm.customer_id = c.id AND gm.group_id = ${})",
                values.len()
            ));
        }
        if let Some(owner) = q.owner {
            let department: Option<Option<i64>> =
                sqlx::query_scalar("SELECT department_id FROM users WHERE id = $1")
                    .bind(owner)
                    .fetch_optional(&self.pool)
                    .await?;
            if department.is_some_and(|d| actor.can_see_owned(owner, d)) {
                values.push(owner);
                conditions.push(format!(
                    "EXISTS (SELECT 1 FROM customer_owners fo WHERE fo.customer_id = c.id AND fo.user_id = ${})",
                    values.len()
                ));
            } else {
                conditions.push("1 = 0".into());
            }
        }
        if let Some(department) = q.department {
            if actor.can_see_department(department) {
                values.push(department);
                conditions.push(format!(
                    "EXISTS (SELECT 1 FROM customer_owners fo JOIN users fu ON fu.id = fo.user_id \
                     WHERE fo.customer_id = c.id AND fu.department_id = ${})",
                    values.len()
                ));
            } else {
                conditions.push("1 = 0".into());
            }
        }
        if !q.ids.is_empty() {
            let first = values.len() + 1;
            values.extend(q.ids.iter().take(500));
            conditions.push(format!(
                "c.id IN ({})",
                crate::rows::placeholders(first, q.ids.len().min(500))
            ));
        }
        if let Some((from, to)) = q.revisit {
            values.push(from);
            values.push(to);
            conditions.push(format!(
                "c.next_revisit_at >= ${} AND c.next_revisit_at < ${}",
                values.len() - 1,
                values.len()
            ));
        }
        if let Some(since) = q.contacted_since {
            values.push(since);
            conditions.push(format!("c.last_contacted_at >= ${}", values.len()));
        }
        if let Some(before) = q.stale_before {
            values.push(before);
            conditions.push(format!(
                "COALESCE(c.last_contacted_at, c.created_at) < ${}",
                values.len()
            ));
        }
        crate::pipeline::path_conditions(actor, &q.path, &mut values, &mut conditions);
        // Text values come after the integer ones.
        if let Some(stage) = q.stage.as_deref().filter(|s| !s.is_empty()) {
            texts.push(stage.to_string());
            conditions.push(format!("c.stage = ${}", values.len() + texts.len()));
        }
        if let Some(t) = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            texts.push(like_pattern(t));
            let p = values.len() + texts.len();
            conditions.push(format!("c.search_text LIKE ${p} ESCAPE '\\'"));
        }
        if !q.conditions.is_empty() {
            let defs = self.custom_field_defs().await?;
            let groups: Vec<String> = wharf_core::customers::query::groups(&q.conditions)
                .into_iter()
                .map(|g| {
                    let parts: Vec<String> = g
                        .into_iter()
                        .map(|c| condition_sql(c, values.len(), &mut texts, &q.time_zone, &defs))
                        .collect();
                    format!("({})", parts.join(" AND "))
                })
                .collect();
            conditions.push(format!("({})", groups.join(" OR ")));
        }
        let where_sql = conditions.join(" AND ");
        Ok(ListFilter {
            where_sql,
            values,
            texts,
            order: order_column(q),
        })
    }

    /// A page of the customers the actor may see.
    pub async fn list_customers(&self, actor: &Actor, q: &CustomerQuery) -> Result<Page<Customer>> {
        actor.require(Permission::Customers)?;
        let ListFilter {
            where_sql,
            values,
            texts,
            order,
        } = self.list_filter(actor, q).await?;
        let dir = if q.descending { "DESC" } else { "ASC" };
        let per_page = q.per_page.clamp(1, 500);
        let page = q.page.max(1);
        let bind = |sql: String| {
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for v in &values {
                query = query.bind(*v);
            }
            for t in &texts {
                query = query.bind(t.clone());
            }
            query
        };
        let total_row = bind(format!(
            "SELECT COUNT(*) AS n FROM customers c WHERE {where_sql}"
        ))
        .fetch_one(&self.pool)
        .await?;
        let total = int(&total_row, "n")?;
        let rows = bind(format!(
            "SELECT {} FROM customers c WHERE {where_sql} ORDER BY ({order} IS NULL), {order} {dir}, c.id {dir} LIMIT {per_page} OFFSET {}",
            select_list(),
            (page - 1) * per_page
        ))
        .fetch_all(&self.pool)
        .await?;
        let mut items: Vec<Customer> = rows.iter().map(customer).collect::<sqlx::Result<_>>()?;
        // Every listed customer's owners in one query.
        if !items.is_empty() {
            let list = crate::rows::placeholders(1, items.len());
            let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT o.customer_id, u.id, u.name FROM customer_owners o JOIN users u ON u.id = o.user_id \
                 WHERE o.customer_id IN ({list}) ORDER BY u.name"
            )));
            for c in &items {
                q = q.bind(c.id);
            }
            for r in q.fetch_all(&self.pool).await? {
                let customer_id = int(&r, "customer_id")?;
                if let Some(c) = items.iter_mut().find(|c| c.id == customer_id) {
                    c.owners.push((int(&r, "id")?, text(&r, "name")?));
                }
            }
            let ids: Vec<i64> = items.iter().map(|c| c.id).collect();
            let mut custom = self.custom_values_of(&ids).await?;
            for c in &mut items {
                c.fields.custom = custom.remove(&c.id).unwrap_or_default();
            }
        }
        Ok(Page {
            items,
            total,
            page,
            per_page,
        })
    }
}

/// [`Store::list_filter`]'s answer.
pub(super) struct ListFilter {
    pub where_sql: String,
    pub values: Vec<i64>,
    pub texts: Vec<String>,
    /// The sort column (`c.<field>`); rows without a value sort last either way.
    pub order: String,
}

/// A sortable column's field (the registry's), or the record's times.
pub(super) fn order_column(q: &CustomerQuery) -> String {
    match CUSTOMER_FIELDS
        .by_column(&q.sort)
        .filter(|f| f.column.is_some_and(|c| c.sortable))
    {
        Some(f) => format!("c.{}", f.key),
        None if q.sort == "created" => "c.created_at".into(),
        None => "c.updated_at".into(),
    }
}

//! The tracking screen's Next and Previous (PIPE-3): the customer after (or before) the
//! current one in a customer list, by keyset on the list's own sort key and id, never by
//! OFFSET or by counting the list. The current row's key is read by a sub-select, so
//! the list's filter, the actor's scope and its order stay exactly the list's.

use wharf_core::{Actor, Permission};

use super::CustomerQuery;
use super::list::ListFilter;
use crate::rows::int;
use crate::{Result, Store};

impl Store {
    /// The id of the customer next to `current` (after it with `forward`, else before
    /// it) in the list `q`, among those the actor may see; `None` at the list's end.
    pub async fn neighbour_customer(
        &self,
        actor: &Actor,
        q: &CustomerQuery,
        current: i64,
        forward: bool,
    ) -> Result<Option<i64>> {
        actor.require(Permission::Customers)?;
        let ListFilter {
            where_sql,
            values,
            texts,
            order,
        } = self.list_filter(actor, q).await?;
        // Whether the current row has no sort value (those rows sort last).
        let key_null: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT CASE WHEN {order} IS NULL THEN 1 ELSE 0 END FROM customers c WHERE c.id = $1"
        )))
        .bind(current)
        .fetch_optional(&self.pool)
        .await?;
        let Some(key_null) = key_null else {
            return Ok(None);
        };
        let key = format!(
            "(SELECT {} FROM customers x WHERE x.id = {current})",
            order.replacen("c.", "x.", 1)
        );
        // Going forward in an ascending list means "greater"; backward flips both.
        let ascending = !q.descending;
        let cmp = if ascending == forward { ">" } else { "<" };
        let after = format!("({order} {cmp} {key} OR ({order} = {key} AND c.id {cmp} {current}))");
        let keyset = match (key_null == 1, forward) {
            (false, true) => format!("(({order} IS NOT NULL AND {after}) OR {order} IS NULL)"),
            (false, false) => format!("({order} IS NOT NULL AND {after})"),
            (true, true) => format!("({order} IS NULL AND c.id {cmp} {current})"),
            (true, false) => format!("({order} IS NOT NULL OR c.id {cmp} {current})"),
        };
        let dir = if ascending == forward { "ASC" } else { "DESC" };
        let nulls = if forward { "" } else { " DESC" };
        let sql = format!(
            "SELECT c.id AS id FROM customers c WHERE {where_sql} AND {keyset} \
             ORDER BY ({order} IS NULL){nulls}, {order} {dir}, c.id {dir} LIMIT 1"
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for v in &values {
            query = query.bind(*v);
        }
        for t in &texts {
            query = query.bind(t.clone());
        }
        match query.fetch_optional(&self.pool).await? {
            Some(row) => Ok(Some(int(&row, "id")?)),
            None => Ok(None),
        }
    }
}

//! Mail from followed customers (LINK-5): which of some messages are, and the unread
//! ones.

use wharf_core::{Actor, Permission};

use crate::rows::{int, placeholders, text};
use crate::{Result, Store};

impl Store {
    /// Of these messages, the ones from followed customers the actor may see (LINK-5).
    pub async fn followed_among(&self, actor: &Actor, ids: &[i64]) -> Result<Vec<i64>> {
        if ids.is_empty() || !actor.has(Permission::Customers) {
            return Ok(Vec::new());
        }
        let (visible, values) = crate::customers::visible_condition(actor, 1);
        let sql = format!(
            "SELECT DISTINCT ma.message_id FROM message_addresses ma \
             JOIN customer_keys k ON k.kind = 'email' AND k.value = ma.address \
             JOIN customers c ON c.id = k.customer_id \
             WHERE c.follow = 1 AND ma.role IN ('from', 'inquiry') AND {visible} AND ma.message_id IN ({})",
            placeholders(values.len() + 1, ids.len())
        );
        let mut q = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql));
        for v in &values {
            q = q.bind(*v);
        }
        for id in ids {
            q = q.bind(*id);
        }
        Ok(q.fetch_all(&self.pool).await?)
    }

    /// Unread inbound mail from followed customers the actor may see, in these
    /// accounts: how many, and the newest (message id, customer name), for the live
    /// notice (LINK-5).
    pub async fn followed_unread(
        &self,
        actor: &Actor,
        accounts: &[i64],
    ) -> Result<(i64, Option<(i64, String)>)> {
        if accounts.is_empty() || !actor.has(Permission::Customers) {
            return Ok((0, None));
        }
        let (visible, values) = crate::customers::visible_condition(actor, 1);
        let from = format!(
            "FROM customers c JOIN customer_keys k ON k.customer_id = c.id AND k.kind = 'email' \
             JOIN message_addresses ma ON ma.address = k.value AND ma.role IN ('from', 'inquiry') \
             JOIN messages m ON m.id = ma.message_id \
             WHERE c.follow = 1 AND {visible} AND m.direction = 'in' AND m.seen = 0 AND m.deleted_at IS NULL \
             AND m.account_id IN ({})",
            placeholders(values.len() + 1, accounts.len())
        );
        let bind_all = |sql: String| {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for v in &values {
                q = q.bind(*v);
            }
            for a in accounts {
                q = q.bind(*a);
            }
            q
        };
        let n = int(
            &bind_all(format!("SELECT COUNT(DISTINCT m.id) AS n {from}"))
                .fetch_one(&self.pool)
                .await?,
            "n",
        )?;
        if n == 0 {
            return Ok((0, None));
        }
        let latest = bind_all(format!(
            "SELECT m.id, c.name {from} ORDER BY m.received_at DESC, m.id DESC LIMIT 1"
        ))
        .fetch_optional(&self.pool)
        .await?
        .map(|r| Ok::<_, sqlx::Error>((int(&r, "id")?, text(&r, "name")?)))
        .transpose()?;
        Ok((n, latest))
    }
}

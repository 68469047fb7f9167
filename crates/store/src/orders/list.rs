//! The orders lists as seed 003 has them: mine in progress (the ones I follow, open and
//! followed: 订单跟进(正进行)), mine open (I follow, paused too: 订单跟进(全部)), my orders
//! (I sold, any status: 我的订单); the team's (sold or followed by its people within the
//! actor's scope) in the same three cuts; and the workbench's counts.

use wharf_core::orders::OrderStatus;
use wharf_core::policy::AuthorScope;
use wharf_core::{Actor, Permission};

use super::OrderSummary;
use super::read::{SUMMARY, summary};
use crate::{Page, Result, Store};

/// Which orders by their state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Progress {
    /// Open and followed (正进行).
    #[default]
    InProgress,
    /// Open, followed or paused (订单跟进(全部)).
    Open,
    /// Every order, finished ones too.
    All,
}

#[derive(Debug, Clone, Default)]
pub struct OrderQuery {
    /// The team's orders (within the actor's scope) rather than the actor's own.
    pub team: bool,
    pub progress: Progress,
    pub status: Option<OrderStatus>,
    pub customer: Option<i64>,
    /// The number or the customer's name contains this.
    pub text: String,
    pub page: i64,
    pub per_page: i64,
}

/// The workbench's "orders to follow": the actor's in progress and all open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct FollowCounts {
    pub in_progress: i64,
    pub open: i64,
}

const OPEN: &str = "o.status NOT IN ('closed', 'cancelled')";

impl Store {
    fn order_filter(&self, actor: &Actor, q: &OrderQuery) -> (String, Vec<i64>, Vec<String>) {
        let (visible, mut values) = crate::customers::visible_condition(actor, 1);
        let scope = if q.team {
            AuthorScope::team(actor)
        } else {
            AuthorScope::mine(actor)
        };
        let (sellers, more) =
            crate::access::records::people(&scope, "o.seller_id", values.len() + 1);
        values.extend(more);
        let (followers, more) =
            crate::access::records::people(&scope, "o.follower_id", values.len() + 1);
        values.extend(more);
        // Seed 003's lists: one's own "orders to follow" (in progress / all open) are
        // those one follows (跟单人是我), "my orders" (all) those one sold (销售人是我); the
        // team's are every order its people sold or follow.
        let people = match (q.team, q.progress) {
            (true, _) => format!("({sellers} OR {followers})"),
            (false, Progress::All) => sellers,
            (false, _) => followers,
        };
        let mut conditions = vec![visible, people];
        match q.progress {
            Progress::InProgress => conditions.push(format!("{OPEN} AND o.follow = 'active'")),
            Progress::Open => conditions.push(OPEN.into()),
            Progress::All => {}
        }
        if let Some(customer) = q.customer {
            values.push(customer);
            conditions.push(format!("o.customer_id = ${}", values.len()));
        }
        let needle = q.text.trim();
        let number = wharf_core::orders::OrderNumber::parse(needle);
        if let Some(number) = number {
            values.push(number.year);
            values.push(number.seq);
            let n = values.len();
            conditions.push(format!(
                "o.number_year = ${} AND o.number_seq = ${n}",
                n - 1
            ));
        }
        // The text values come after every number (they are bound in that order).
        let mut texts = Vec::new();
        if let Some(status) = q.status {
            texts.push(status.code().to_string());
            conditions.push(format!("o.status = ${}", values.len() + texts.len()));
        }
        if number.is_none() && !needle.is_empty() {
            texts.push(crate::rows::like_pattern(needle));
            let n = values.len() + texts.len();
            conditions.push(format!("LOWER(c.name) LIKE ${n} ESCAPE '\\'"));
        }
        (conditions.join(" AND "), values, texts)
    }

    /// A page of orders, most recently changed first.
    pub async fn list_orders(&self, actor: &Actor, q: &OrderQuery) -> Result<Page<OrderSummary>> {
        actor.require(Permission::Customers)?;
        let (filter, values, texts) = self.order_filter(actor, q);
        let per_page = q.per_page.clamp(1, 10_000);
        let page = q.page.clamp(1, 1_000_000);
        let count_sql = format!(
            "SELECT COUNT(*) FROM orders o JOIN customers c ON c.id = o.customer_id WHERE {filter}"
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
            "{SUMMARY} WHERE {filter} ORDER BY o.updated_at DESC, o.id DESC LIMIT {per_page} OFFSET {}",
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
            .map(summary)
            .collect::<sqlx::Result<_>>()?;
        Ok(Page {
            items,
            total,
            page,
            per_page,
        })
    }

    /// The actor's orders to follow (as follower, seed 003's 跟单人是我): in progress and
    /// all open, of customers they see.
    pub async fn orders_to_follow(&self, actor: &Actor) -> Result<FollowCounts> {
        actor.require(Permission::Customers)?;
        let (visible, mut values) = crate::customers::visible_condition(actor, 1);
        values.push(actor.user_id);
        let sql = format!(
            "SELECT COALESCE(SUM(CASE WHEN o.follow = 'active' THEN 1 ELSE 0 END), 0), COUNT(*) \
             FROM orders o JOIN customers c ON c.id = o.customer_id \
             WHERE {visible} AND o.follower_id = ${} AND {OPEN}",
            values.len()
        );
        let mut query = sqlx::query_as::<_, (i64, i64)>(sqlx::AssertSqlSafe(sql));
        for v in &values {
            query = query.bind(*v);
        }
        let (in_progress, open) = query.fetch_one(&self.pool).await?;
        Ok(FollowCounts { in_progress, open })
    }
}

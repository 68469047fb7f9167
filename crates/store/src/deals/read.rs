//! Reading opportunities: one with its lines and collaborators, a customer's, and the
//! row shape lists share.

use rust_decimal::Decimal;
use wharf_core::{Actor, DomainError, Permission};

use super::sql::{Filter, bind_rows};
use crate::rows::{int, opt_int, opt_text, text};
use crate::{Result, Store};

/// An opportunity as pages, lists and the API show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Opportunity {
    pub id: i64,
    pub customer_id: i64,
    pub customer_name: String,
    pub title: String,
    pub pipeline_id: i64,
    pub stage_id: i64,
    pub stage_en: String,
    pub stage_zh: String,
    pub stage_probability: i64,
    pub rotting_days: Option<i64>,
    /// selling | paused | ended
    pub status: String,
    /// won | lost, when ended.
    pub outcome: Option<String>,
    pub lost_reason: String,
    pub amount: Decimal,
    pub currency: String,
    pub amount_from_lines: bool,
    pub probability: i64,
    /// YYYY-MM-DD.
    pub close_date: Option<String>,
    pub next_revisit: Option<String>,
    pub competitors: String,
    pub owner_id: i64,
    pub owner_name: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// The last change or move, or the customer's last contact if later.
    pub activity_at: i64,
    pub ended_at: Option<i64>,
    /// May the actor change it (its customer's rule).
    pub may_change: bool,
    /// Filled by [`Store::opportunity`] only.
    pub lines: Vec<OpportunityLine>,
    pub collaborators: Vec<(i64, String)>,
}

impl Opportunity {
    pub fn stage_label(&self, locale: &str) -> &str {
        if locale.starts_with("zh") {
            &self.stage_zh
        } else {
            &self.stage_en
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct OpportunityLine {
    pub product_id: Option<i64>,
    pub name: String,
    pub quantity: Decimal,
    pub unit: String,
    pub unit_price: Decimal,
}

/// The select list; `{editable}` is the customer-editable condition (placeholders from
/// `$1`).
pub(super) fn select(editable: &str) -> String {
    format!(
        "SELECT o.id, o.customer_id, c.name AS customer_name, o.title, o.pipeline_id, o.stage_id, \
         s.label_en AS stage_en, s.label_zh AS stage_zh, s.probability AS stage_probability, s.rotting_days, \
         o.status, o.outcome, o.lost_reason, o.amount, o.currency, o.amount_from_lines, o.probability, \
         o.close_date, o.next_revisit, o.competitors, o.owner_id, COALESCE(u.name, '') AS owner_name, \
         o.created_at, o.updated_at, \
         CASE WHEN c.last_contacted_at > o.activity_at THEN c.last_contacted_at ELSE o.activity_at END AS activity_at, \
         o.ended_at, CASE WHEN {editable} THEN 1 ELSE 0 END AS may_change \
         FROM opportunities o JOIN customers c ON c.id = o.customer_id \
         JOIN pipeline_stages s ON s.id = o.stage_id LEFT JOIN users u ON u.id = o.owner_id"
    )
}

/// A stored decimal; a value that does not read is a database fault, not a zero.
pub(super) fn decimal(r: &sqlx::any::AnyRow, col: &str) -> sqlx::Result<Decimal> {
    let t = text(r, col)?;
    t.parse().map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

pub(super) fn opportunity(r: &sqlx::any::AnyRow) -> sqlx::Result<Opportunity> {
    Ok(Opportunity {
        id: int(r, "id")?,
        customer_id: int(r, "customer_id")?,
        customer_name: text(r, "customer_name")?,
        title: text(r, "title")?,
        pipeline_id: int(r, "pipeline_id")?,
        stage_id: int(r, "stage_id")?,
        stage_en: text(r, "stage_en")?,
        stage_zh: text(r, "stage_zh")?,
        stage_probability: int(r, "stage_probability")?,
        rotting_days: opt_int(r, "rotting_days")?,
        status: text(r, "status")?,
        outcome: opt_text(r, "outcome")?,
        lost_reason: text(r, "lost_reason")?,
        amount: decimal(r, "amount")?,
        currency: text(r, "currency")?,
        amount_from_lines: int(r, "amount_from_lines")? != 0,
        probability: int(r, "probability")?,
        close_date: opt_text(r, "close_date")?,
        next_revisit: opt_text(r, "next_revisit")?,
        competitors: text(r, "competitors")?,
        owner_id: int(r, "owner_id")?,
        owner_name: text(r, "owner_name")?,
        created_at: int(r, "created_at")?,
        updated_at: int(r, "updated_at")?,
        activity_at: int(r, "activity_at")?,
        ended_at: opt_int(r, "ended_at")?,
        may_change: int(r, "may_change")? != 0,
        lines: Vec::new(),
        collaborators: Vec::new(),
    })
}

impl Store {
    /// Opportunities matching `extra` (on `o` / `c`) among those the actor may see, in
    /// `order`, at most `limit`.
    pub(super) async fn opportunities_where(
        &self,
        actor: &Actor,
        mut extra: Filter,
        order: &str,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<Opportunity>> {
        actor.require(Permission::Customers)?;
        let mut f = Filter::default();
        let (editable, values) = crate::access::customers::editable(actor, 1);
        f.values
            .extend(values.into_iter().map(super::sql::Value::Int));
        let select = select(&editable);
        f.push_rendered(crate::customers::visible_condition(actor, f.next()));
        // The caller's conditions were numbered from 1: renumber them after ours.
        let shift = f.values.len();
        for c in extra.conditions.drain(..) {
            f.conditions.push(renumber(&c, shift));
        }
        f.values.append(&mut extra.values);
        let sql = format!(
            "{select} WHERE {} ORDER BY {order} LIMIT {} OFFSET {}",
            f.sql(),
            limit.clamp(1, 100_000),
            offset.max(0)
        );
        let rows = bind_rows(sqlx::query(sqlx::AssertSqlSafe(sql)), &f.values)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(opportunity).collect::<sqlx::Result<_>>()?)
    }

    /// One opportunity whose customer the actor may see, with its lines and
    /// collaborators.
    pub async fn opportunity(&self, actor: &Actor, id: i64) -> Result<Opportunity> {
        let mut f = Filter::default();
        f.int("o.id", "=", id);
        let mut o = self
            .opportunities_where(actor, f, "o.id", 1, 0)
            .await?
            .pop()
            .ok_or(DomainError::NotFound)?;
        let lines = sqlx::query(
            "SELECT product_id, name, quantity, unit, unit_price FROM opportunity_lines \
             WHERE opportunity_id = $1 ORDER BY position",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        o.lines = lines
            .iter()
            .map(|r| {
                Ok(OpportunityLine {
                    product_id: opt_int(r, "product_id")?,
                    name: text(r, "name")?,
                    quantity: decimal(r, "quantity")?,
                    unit: text(r, "unit")?,
                    unit_price: decimal(r, "unit_price")?,
                })
            })
            .collect::<sqlx::Result<_>>()?;
        o.collaborators = sqlx::query_as(
            "SELECT u.id, u.name FROM opportunity_collaborators oc JOIN users u ON u.id = oc.user_id \
             WHERE oc.opportunity_id = $1 ORDER BY u.name, u.id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(o)
    }

    /// A customer's opportunities (相关商机), newest first.
    pub async fn customer_opportunities(
        &self,
        actor: &Actor,
        customer_id: i64,
    ) -> Result<Vec<Opportunity>> {
        self.get_customer(actor, customer_id).await?;
        let mut f = Filter::default();
        f.int("o.customer_id", "=", customer_id);
        self.opportunities_where(actor, f, "o.created_at DESC, o.id DESC", 500, 0)
            .await
    }
}

/// Shifts the placeholders `$n` of `sql` by `by`.
pub(super) fn renumber(sql: &str, by: usize) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    while let Some(ch) = chars.next() {
        if ch == '$' && chars.peek().is_some_and(|c| c.is_ascii_digit()) {
            let mut n = String::new();
            while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                n.push(d);
                chars.next();
            }
            let n: usize = n.parse().unwrap_or(0);
            out.push('$');
            out.push_str(&(n + by).to_string());
        } else {
            out.push(ch);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn renumbers_placeholders() {
        assert_eq!(
            super::renumber("a = $1 AND b IN ($2, $10)", 3),
            "a = $4 AND b IN ($5, $13)"
        );
        assert_eq!(super::renumber("x = '$'", 2), "x = '$'");
    }
}

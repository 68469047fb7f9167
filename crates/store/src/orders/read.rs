//! Reading orders: one order with its lines, payments, documents, follow-up log and
//! revisit; a customer's orders; the row shapes lists and pages show.

use sqlx::any::AnyRow;
use wharf_core::money::Decimal;
use wharf_core::orders::{OrderNumber, OrderStatus};
use wharf_core::{Actor, DomainError};

use crate::quotes::dec;
use crate::rows::{int, opt_int, opt_text, text};
use crate::{Result, Store};

/// An order as lists show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OrderSummary {
    pub id: i64,
    pub number: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub seller_id: i64,
    pub seller_name: String,
    pub follower_id: i64,
    pub follower_name: String,
    pub status: String,
    pub follow: String,
    pub currency: String,
    pub total: Decimal,
    pub ordered_on: String,
    pub etd: Option<String>,
    pub eta: Option<String>,
    pub quote_id: Option<i64>,
    pub opportunity_id: Option<i64>,
    pub updated_at: i64,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct OrderLineRow {
    pub product_id: Option<i64>,
    pub name: String,
    pub model: String,
    pub unit: String,
    pub description: String,
    pub quantity: Decimal,
    pub unit_price: Decimal,
    pub discount: Decimal,
    pub amount: Decimal,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct OrderPayment {
    pub kind: String,
    pub amount: Decimal,
    pub due_on: Option<String>,
    pub received_on: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct OrderDocument {
    pub kind: String,
    pub state: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct OrderEvent {
    pub at: i64,
    pub user_name: String,
    pub kind: String,
    pub from_value: String,
    pub to_value: String,
    pub note: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct OrderRevisit {
    pub order_id: i64,
    pub customer_id: i64,
    pub user_id: i64,
    pub due_on: String,
    pub done_at: Option<i64>,
}

/// Everything the order's page and print show.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OrderDetail {
    pub summary: OrderSummary,
    pub rate: Decimal,
    pub rate_base: String,
    pub rate_on: String,
    pub payment_terms: String,
    pub port_loading: String,
    pub port_destination: String,
    pub carrier: String,
    pub bl_number: String,
    pub containers: String,
    pub notes: String,
    pub delivered_on: Option<String>,
    pub lines: Vec<OrderLineRow>,
    pub payments: Vec<OrderPayment>,
    pub documents: Vec<OrderDocument>,
    pub events: Vec<OrderEvent>,
    pub revisit: Option<OrderRevisit>,
    pub may_change: bool,
}

impl OrderDetail {
    pub fn status(&self) -> OrderStatus {
        OrderStatus::from_code(&self.summary.status).unwrap_or(OrderStatus::Confirmed)
    }
}

pub(super) const SUMMARY: &str = "SELECT o.id, o.number_year, o.number_seq, o.customer_id, o.seller_id, o.follower_id, \
     o.status, o.follow, o.currency, o.total, o.ordered_on, o.etd, o.eta, o.quote_id, o.opportunity_id, o.updated_at, \
     c.name AS customer_name, COALESCE(su.name, '') AS seller_name, COALESCE(fu.name, '') AS follower_name, \
     su.department_id AS seller_department, fu.department_id AS follower_department \
     FROM orders o JOIN customers c ON c.id = o.customer_id \
     LEFT JOIN users su ON su.id = o.seller_id LEFT JOIN users fu ON fu.id = o.follower_id";

pub(super) fn summary(r: &AnyRow) -> sqlx::Result<OrderSummary> {
    Ok(OrderSummary {
        id: int(r, "id")?,
        number: OrderNumber {
            year: int(r, "number_year")?,
            seq: int(r, "number_seq")?,
        }
        .text(),
        customer_id: int(r, "customer_id")?,
        customer_name: text(r, "customer_name")?,
        seller_id: int(r, "seller_id")?,
        seller_name: text(r, "seller_name")?,
        follower_id: int(r, "follower_id")?,
        follower_name: text(r, "follower_name")?,
        status: text(r, "status")?,
        follow: text(r, "follow")?,
        currency: text(r, "currency")?,
        total: dec(r, "total")?,
        ordered_on: text(r, "ordered_on")?,
        etd: opt_text(r, "etd")?,
        eta: opt_text(r, "eta")?,
        quote_id: opt_int(r, "quote_id")?,
        opportunity_id: opt_int(r, "opportunity_id")?,
        updated_at: int(r, "updated_at")?,
    })
}

impl Store {
    /// An order whose customer the actor may see, with everything on its page.
    pub async fn order(&self, actor: &Actor, id: i64) -> Result<OrderDetail> {
        let head = self.order_head(actor, id).await?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("{SUMMARY} WHERE o.id = $1")))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(DomainError::NotFound)?;
        let s = summary(&row)?;
        let o = sqlx::query("SELECT * FROM orders WHERE id = $1")
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
        let lines = sqlx::query("SELECT * FROM order_lines WHERE order_id = $1 ORDER BY position")
            .bind(id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(OrderLineRow {
                    product_id: opt_int(r, "product_id")?,
                    name: text(r, "name")?,
                    model: text(r, "model")?,
                    unit: text(r, "unit")?,
                    description: text(r, "description")?,
                    quantity: dec(r, "quantity")?,
                    unit_price: dec(r, "unit_price")?,
                    discount: dec(r, "discount")?,
                    amount: dec(r, "amount")?,
                })
            })
            .collect::<sqlx::Result<Vec<_>>>()?;
        let payments =
            sqlx::query("SELECT * FROM order_payments WHERE order_id = $1 ORDER BY position")
                .bind(id)
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| {
                    Ok(OrderPayment {
                        kind: text(r, "kind")?,
                        amount: dec(r, "amount")?,
                        due_on: opt_text(r, "due_on")?,
                        received_on: opt_text(r, "received_on")?,
                    })
                })
                .collect::<sqlx::Result<Vec<_>>>()?;
        let documents: Vec<(String, String)> =
            sqlx::query_as("SELECT kind, state FROM order_documents WHERE order_id = $1")
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
        let mut documents: Vec<OrderDocument> = documents
            .into_iter()
            .map(|(kind, state)| OrderDocument { kind, state })
            .collect();
        let position = |k: &str| {
            wharf_core::orders::DocKind::ALL
                .iter()
                .position(|d| d.code() == k)
                .unwrap_or(usize::MAX)
        };
        documents.sort_by_key(|d| position(&d.kind));
        let events = sqlx::query(
            "SELECT e.*, COALESCE(u.name, '') AS user_name FROM order_events e \
             LEFT JOIN users u ON u.id = e.user_id WHERE e.order_id = $1 ORDER BY e.at DESC, e.id DESC",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(OrderEvent {
                at: int(r, "at")?,
                user_name: text(r, "user_name")?,
                kind: text(r, "kind")?,
                from_value: text(r, "from_value")?,
                to_value: text(r, "to_value")?,
                note: text(r, "note")?,
            })
        })
        .collect::<sqlx::Result<Vec<_>>>()?;
        let revisit = sqlx::query("SELECT * FROM order_revisits WHERE order_id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| revisit(&r))
            .transpose()?;
        Ok(OrderDetail {
            summary: s,
            rate: dec(&o, "rate")?,
            rate_base: text(&o, "rate_base")?,
            rate_on: text(&o, "rate_on")?,
            payment_terms: text(&o, "payment_terms")?,
            port_loading: text(&o, "port_loading")?,
            port_destination: text(&o, "port_destination")?,
            carrier: text(&o, "carrier")?,
            bl_number: text(&o, "bl_number")?,
            containers: text(&o, "containers")?,
            notes: text(&o, "notes")?,
            delivered_on: opt_text(&o, "delivered_on")?,
            lines,
            payments,
            documents,
            events,
            revisit,
            may_change: head.facts.changeable_by(actor),
        })
    }

    /// A customer's orders, newest first (at most `limit`), for its page and timeline.
    pub async fn customer_orders(
        &self,
        actor: &Actor,
        customer_id: i64,
        limit: i64,
    ) -> Result<Vec<OrderSummary>> {
        self.get_customer(actor, customer_id).await?;
        Ok(sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SUMMARY} WHERE o.customer_id = $1 ORDER BY o.created_at DESC, o.id DESC LIMIT $2"
        )))
        .bind(customer_id)
        .bind(limit.clamp(1, 1000))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(summary)
        .collect::<sqlx::Result<_>>()?)
    }

    /// The order made from a quote, if any (one order per quote), as its number and id;
    /// read after the quote itself, so only for someone who sees that quote's customer.
    pub async fn order_of_quote(
        &self,
        actor: &Actor,
        quote_id: i64,
    ) -> Result<Option<(i64, String)>> {
        let quote = self.quote(actor, quote_id, None).await?;
        let found = sqlx::query_as::<_, (i64, i64, i64)>(
            "SELECT id, number_year, number_seq FROM orders WHERE quote_id = $1 AND customer_id = $2",
        )
        .bind(quote_id)
        .bind(quote.summary.customer_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.map(|(id, year, seq)| (id, OrderNumber { year, seq }.text())))
    }

    /// A customer's after-sales revisits (planned at delivery), soonest first.
    pub async fn customer_order_revisits(
        &self,
        actor: &Actor,
        customer_id: i64,
    ) -> Result<Vec<OrderRevisit>> {
        self.get_customer(actor, customer_id).await?;
        sqlx::query("SELECT * FROM order_revisits WHERE customer_id = $1 ORDER BY due_on, id")
            .bind(customer_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| revisit(r).map_err(Into::into))
            .collect()
    }
}

fn revisit(r: &AnyRow) -> sqlx::Result<OrderRevisit> {
    Ok(OrderRevisit {
        order_id: int(r, "order_id")?,
        customer_id: int(r, "customer_id")?,
        user_id: int(r, "user_id")?,
        due_on: text(r, "due_on")?,
        done_at: opt_int(r, "done_at")?,
    })
}

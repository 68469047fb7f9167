//! Creating an order (from a customer, an opportunity or a quote) and saving changes to
//! one: core's checks, the customer in sight, the yearly number, the lines, payments and
//! documents, the won promotion and the opportunity's end, in one transaction.

use serde_json::json;
use wharf_core::deals::Status as DealStatus;
use wharf_core::money::{Currency, Decimal};
use wharf_core::orders::{
    DocKind, DocState, OrderHeader, OrderLine, OrderNumber, OrderStatus, PaymentInput,
};
use wharf_core::policy::AuthorScope;
use wharf_core::quotes::{ProductSnapshot, QuoteStatus};
use wharf_core::zone::Day;
use wharf_core::{Actor, DomainError, Permission};

use crate::audit::{self, Entry};
use crate::db::now;
use crate::{Ctx, Result, Store};

pub(super) type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// The exchange rate an order keeps: one unit of its currency in the base currency, and
/// the day it is from (a quote's stored rate when made from one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderRate {
    pub base: String,
    pub rate: Decimal,
    pub on: Day,
}

/// An order as entered; `today` is the company's day (the number's year, the checks).
#[derive(Debug, Clone)]
pub struct OrderDraft {
    pub header: OrderHeader,
    pub lines: Vec<OrderLine>,
    pub payments: Vec<PaymentInput>,
    pub rate: OrderRate,
    pub today: Day,
}

/// What a checked draft carries besides itself.
struct Checked {
    draft: OrderDraft,
    total: Decimal,
}

impl OrderDraft {
    fn checked(self) -> Result<Checked> {
        let header = self.header.validate(self.today)?;
        let lines = OrderLine::validate_all(self.lines)?;
        let minor_units = Currency::from_code(&header.currency)
            .map_err(|e| DomainError::field("currency", e.code()))?
            .minor_units();
        if self.rate.rate <= Decimal::ZERO {
            return Err(DomainError::field("currency", "quote_no_rate").into());
        }
        let total = OrderLine::total(&lines, minor_units);
        let payments = PaymentInput::validate_all(self.payments, total, minor_units)?;
        Ok(Checked {
            draft: OrderDraft {
                header,
                lines,
                payments,
                ..self
            },
            total,
        })
    }
}

impl Store {
    /// A new order for a customer the actor may see (from the customer's or an
    /// opportunity's page). The seller and follower must be active users.
    pub async fn create_order(&self, ctx: Ctx<'_>, draft: OrderDraft) -> Result<i64> {
        self.insert_order(ctx, draft, None).await
    }

    /// An order from a quote the actor may change whose current version is approved,
    /// sent or accepted: its lines (group headers left out), currency, stored rate,
    /// ports and payment terms; the quote is marked accepted. `draft` gives the rest
    /// (seller, follower, day, payments); its lines and currency are replaced.
    pub async fn order_from_quote(
        &self,
        ctx: Ctx<'_>,
        quote_id: i64,
        mut draft: OrderDraft,
    ) -> Result<i64> {
        let quote = self.quote(ctx.actor, quote_id, None).await?;
        if !quote.may_change {
            return Err(DomainError::Denied.into());
        }
        let status = QuoteStatus::from_code(&quote.summary.status).unwrap_or(QuoteStatus::Draft);
        if !matches!(
            status,
            QuoteStatus::Approved | QuoteStatus::Sent | QuoteStatus::Accepted
        ) {
            return Err(DomainError::refused("order_quote_not_sent", 0).into());
        }
        let v = &quote.shown;
        draft.header.customer_id = quote.summary.customer_id;
        draft.header.quote_id = Some(quote_id);
        draft.header.opportunity_id = v.opportunity_id;
        draft.header.currency = v.currency.clone();
        if draft.header.payment_terms.trim().is_empty() {
            draft.header.payment_terms = v.payment_terms.clone();
        }
        if draft.header.shipping.port_loading.trim().is_empty() {
            draft.header.shipping.port_loading = v.port_loading.clone();
        }
        if draft.header.shipping.port_destination.trim().is_empty() {
            draft.header.shipping.port_destination = v.port_destination.clone();
        }
        draft.rate = OrderRate {
            base: v.rate_base.clone(),
            rate: v.rate,
            on: Day::parse_iso(&v.rate_on).unwrap_or(draft.today),
        };
        draft.lines = quote
            .lines
            .iter()
            .filter(|l| !l.is_group())
            .map(|l| OrderLine {
                item: ProductSnapshot {
                    product_id: l.product_id,
                    name: l.name.clone(),
                    model: l.model.clone(),
                    unit: l.unit.clone(),
                    description: l.description.clone(),
                },
                quantity: l.quantity,
                unit_price: l.unit_price,
                discount: l.discount,
            })
            .collect();
        self.insert_order(ctx, draft, Some((quote_id, quote.summary.version, status)))
            .await
    }

    async fn insert_order(
        &self,
        ctx: Ctx<'_>,
        draft: OrderDraft,
        quote: Option<(i64, i64, QuoteStatus)>,
    ) -> Result<i64> {
        // An order is a change to its customer (its first one makes it won): only for a
        // customer the actor may change, not one she merely sees in the pool.
        let customer = self
            .editable(ctx.actor, draft.header.customer_id)
            .await?
            .customer;
        let Checked { draft, total } = draft.checked()?;
        self.check_people(ctx.actor, &draft.header).await?;
        if let Some(opportunity_id) = draft.header.opportunity_id {
            // Ended as won with the order: the actor must be one who may change it.
            let of = self.opportunity(ctx.actor, opportunity_id).await;
            match of {
                Ok(o) if o.customer_id == customer.id && o.may_change => {}
                _ => return Err(DomainError::field("opportunity_id", "invalid_choice").into()),
            }
        }
        let year = draft.today.year();
        let h = &draft.header;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut tx = self.begin().await?;
            if let Some((quote_id, _, _)) = quote {
                let taken: Option<i64> =
                    sqlx::query_scalar("SELECT id FROM orders WHERE quote_id = $1")
                        .bind(quote_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                if taken.is_some() {
                    return Err(DomainError::refused("order_quote_already_ordered", 0).into());
                }
            }
            let first_order: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE customer_id = $1")
                    .bind(customer.id)
                    .fetch_one(&mut *tx)
                    .await?;
            let seq: i64 = sqlx::query_scalar(
                "SELECT COALESCE(MAX(number_seq), 0) + 1 FROM orders WHERE number_year = $1",
            )
            .bind(year)
            .fetch_one(&mut *tx)
            .await?;
            let t = now();
            let inserted = sqlx::query_scalar::<_, i64>(
                "INSERT INTO orders (number_year, number_seq, customer_id, quote_id, opportunity_id, seller_id, \
                 follower_id, status, follow, currency, rate, rate_base, rate_on, total, ordered_on, payment_terms, \
                 etd, eta, port_loading, port_destination, carrier, bl_number, containers, notes, created_by, \
                 created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'active', $9, $10, $11, $12, $13, \
                 $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $25) RETURNING id",
            )
            .bind(year)
            .bind(seq)
            .bind(customer.id)
            .bind(quote.map(|q| q.0))
            .bind(h.opportunity_id)
            .bind(h.seller_id)
            .bind(h.follower_id)
            .bind(OrderStatus::Confirmed.code())
            .bind(&h.currency)
            .bind(draft.rate.rate.to_string())
            .bind(&draft.rate.base)
            .bind(draft.rate.on.iso())
            .bind(total.to_string())
            .bind(h.ordered_on.iso())
            .bind(&h.payment_terms)
            .bind(h.shipping.etd.map(Day::iso))
            .bind(h.shipping.eta.map(Day::iso))
            .bind(&h.shipping.port_loading)
            .bind(&h.shipping.port_destination)
            .bind(&h.shipping.carrier)
            .bind(&h.shipping.bl_number)
            .bind(&h.shipping.containers)
            .bind(&h.notes)
            .bind(ctx.actor.user_id)
            .bind(t)
            .fetch_one(&mut *tx)
            .await;
            let order_id = match inserted {
                Ok(id) => id,
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                    // The quote ordered meanwhile, or the number taken by a parallel order.
                    if quote.is_some() {
                        let taken: Option<i64> =
                            sqlx::query_scalar("SELECT id FROM orders WHERE quote_id = $1")
                                .bind(quote.map(|q| q.0))
                                .fetch_optional(&self.pool)
                                .await?;
                        if taken.is_some() {
                            return Err(
                                DomainError::refused("order_quote_already_ordered", 0).into()
                            );
                        }
                    }
                    if attempt < 5 {
                        continue;
                    }
                    return Err(sqlx::Error::Database(e).into());
                }
                Err(e) => return Err(e.into()),
            };
            write_lines(&mut tx, order_id, &draft).await?;
            for kind in DocKind::ALL {
                let state = match kind {
                    DocKind::CommercialInvoice
                    | DocKind::PackingList
                    | DocKind::CertificateOfOrigin => DocState::Pending,
                    _ => DocState::NotNeeded,
                };
                sqlx::query(
                    "INSERT INTO order_documents (order_id, kind, state, updated_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(order_id)
                .bind(kind.code())
                .bind(state.code())
                .bind(t)
                .execute(&mut *tx)
                .await?;
            }
            let number = OrderNumber { year, seq }.text();
            event(
                &mut tx,
                order_id,
                ctx.actor.user_id,
                ("created", "", OrderStatus::Confirmed.code()),
                "",
            )
            .await?;
            if let Some((quote_id, version, status)) = quote
                && status != QuoteStatus::Accepted
            {
                let moved = sqlx::query(
                    "UPDATE quote_versions SET status = 'accepted', updated_at = $1 \
                     WHERE quote_id = $2 AND version = $3 AND status = $4",
                )
                .bind(t)
                .bind(quote_id)
                .bind(version)
                .bind(status.code())
                .execute(&mut *tx)
                .await?;
                if moved.rows_affected() != 1 {
                    return Err(DomainError::refused("quote_changed_meanwhile", 0).into());
                }
                sqlx::query("UPDATE quotes SET updated_at = $1 WHERE id = $2")
                    .bind(t)
                    .bind(quote_id)
                    .execute(&mut *tx)
                    .await?;
            }
            if let Some(opportunity_id) = h.opportunity_id {
                end_opportunity_won(&mut tx, ctx.actor.user_id, (customer.id, opportunity_id))
                    .await?;
            }
            let promoted = if first_order == 0 {
                crate::pipeline::promote_to_won(&mut tx, ctx, &customer).await?
            } else {
                false
            };
            audit::record(
                &mut tx,
                ctx,
                Entry {
                    action: "order.create",
                    entity: "customer",
                    entity_id: Some(customer.id),
                    summary: &number,
                    details: json!({ "order_id": order_id, "total": total.to_string(),
                        "currency": h.currency, "quote_id": quote.map(|q| q.0),
                        "opportunity_id": h.opportunity_id, "promoted_to_won": promoted }),
                },
            )
            .await?;
            tx.commit().await?;
            return Ok(order_id);
        }
    }

    /// Saves changes to an order the actor may change that is not finished; the
    /// currency stays the order's (its rate was fixed when it was made).
    pub async fn save_order(&self, ctx: Ctx<'_>, order_id: i64, draft: OrderDraft) -> Result<()> {
        let head = self.order_head(ctx.actor, order_id).await?;
        if !head.facts.changeable_by(ctx.actor) {
            return Err(DomainError::Denied.into());
        }
        head.status.check_editable()?;
        if draft.header.customer_id != head.customer_id {
            return Err(DomainError::field("customer_id", "invalid_choice").into());
        }
        let Checked { draft, total } = draft.checked()?;
        if draft.header.currency != head.currency {
            return Err(DomainError::field("currency", "order_currency_fixed").into());
        }
        self.check_people(ctx.actor, &draft.header).await?;
        // The sale stays whose it was unless a manager over its seller moves it.
        if draft.header.seller_id != head.facts.seller
            && !AuthorScope::team(ctx.actor).covers(head.facts.seller, head.facts.seller_department)
        {
            return Err(DomainError::field("seller_id", "invalid_choice").into());
        }
        let h = &draft.header;
        let mut tx = self.begin().await?;
        let t = now();
        let changed = sqlx::query(
            "UPDATE orders SET seller_id = $1, follower_id = $2, total = $3, ordered_on = $4, payment_terms = $5, \
             etd = $6, eta = $7, port_loading = $8, port_destination = $9, carrier = $10, bl_number = $11, \
             containers = $12, notes = $13, updated_at = $14 WHERE id = $15 AND status = $16",
        )
        .bind(h.seller_id)
        .bind(h.follower_id)
        .bind(total.to_string())
        .bind(h.ordered_on.iso())
        .bind(&h.payment_terms)
        .bind(h.shipping.etd.map(Day::iso))
        .bind(h.shipping.eta.map(Day::iso))
        .bind(&h.shipping.port_loading)
        .bind(&h.shipping.port_destination)
        .bind(&h.shipping.carrier)
        .bind(&h.shipping.bl_number)
        .bind(&h.shipping.containers)
        .bind(&h.notes)
        .bind(t)
        .bind(order_id)
        .bind(head.status.code())
        .execute(&mut *tx)
        .await?;
        if changed.rows_affected() != 1 {
            return Err(DomainError::refused("order_changed_meanwhile", 0).into());
        }
        sqlx::query("DELETE FROM order_lines WHERE order_id = $1")
            .bind(order_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM order_payments WHERE order_id = $1")
            .bind(order_id)
            .execute(&mut *tx)
            .await?;
        write_lines(&mut tx, order_id, &draft).await?;
        event(
            &mut tx,
            order_id,
            ctx.actor.user_id,
            ("updated", "", ""),
            "",
        )
        .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "order.update",
                entity: "customer",
                entity_id: Some(head.customer_id),
                summary: &head.number,
                details: json!({ "order_id": order_id, "total": total.to_string() }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The seller and the follower are active users who work customers: the seller the
    /// actor or someone her scope covers, the follower also anyone of her department (a
    /// documents clerk who follows the team's orders).
    async fn check_people(&self, actor: &Actor, h: &OrderHeader) -> Result<()> {
        let team = AuthorScope::team(actor);
        for (field, id) in [("seller_id", h.seller_id), ("follower_id", h.follower_id)] {
            let status: Option<String> =
                sqlx::query_scalar("SELECT status FROM users WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?;
            let person = match status.as_deref() {
                Some("active") => self.load_actor(id).await?,
                _ => None,
            };
            let fits = person.is_some_and(|p| {
                p.has(Permission::Customers)
                    && (id == actor.user_id
                        || team.covers(id, p.department_id)
                        || (field == "follower_id"
                            && p.department_id.is_some()
                            && p.department_id == actor.department_id))
            });
            if !fits {
                return Err(DomainError::field(field, "invalid_choice").into());
            }
        }
        Ok(())
    }
}

async fn write_lines(tx: &mut Tx, order_id: i64, draft: &OrderDraft) -> Result<()> {
    let minor_units = Currency::from_code(&draft.header.currency)
        .map(Currency::minor_units)
        .unwrap_or(2);
    for (position, line) in draft.lines.iter().enumerate() {
        // A typed product link is kept only when that product exists.
        let product_id = match line.item.product_id {
            Some(id) => {
                sqlx::query_scalar::<_, i64>("SELECT id FROM products WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut **tx)
                    .await?
            }
            None => None,
        };
        sqlx::query(
            "INSERT INTO order_lines (order_id, position, product_id, name, model, unit, description, quantity, \
             unit_price, discount, amount) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(order_id)
        .bind(position as i64)
        .bind(product_id)
        .bind(&line.item.name)
        .bind(&line.item.model)
        .bind(&line.item.unit)
        .bind(&line.item.description)
        .bind(line.quantity.to_string())
        .bind(line.unit_price.to_string())
        .bind(line.discount.to_string())
        .bind(line.amount(minor_units).to_string())
        .execute(&mut **tx)
        .await?;
    }
    for (position, p) in draft.payments.iter().enumerate() {
        sqlx::query(
            "INSERT INTO order_payments (order_id, position, kind, amount, due_on, received_on) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(order_id)
        .bind(position as i64)
        .bind(p.kind.code())
        .bind(p.amount.to_string())
        .bind(p.due_on.map(Day::iso))
        .bind(p.received_on.map(Day::iso))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// One row of the order's follow-up log.
pub(super) async fn event(
    tx: &mut Tx,
    order_id: i64,
    by: i64,
    (kind, from, to): (&str, &str, &str),
    note: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO order_events (order_id, at, user_id, kind, from_value, to_value, note) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(order_id)
    .bind(now())
    .bind(by)
    .bind(kind)
    .bind(from)
    .bind(to)
    .bind(note)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The opportunity an order came from is ended as won, logged on the customer's stage
/// log as any status change is. Seed 003's old system set it to 暂停销售 (paused) because
/// it had no "won" outcome; Wharf's opportunities have one (结束销售 with outcome won), which
/// takes it off the board and counts it in the win rate — what the seed's pause was for.
async fn end_opportunity_won(tx: &mut Tx, by: i64, (customer_id, id): (i64, i64)) -> Result<()> {
    let status: Option<String> =
        sqlx::query_scalar("SELECT status FROM opportunities WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    let Some(status) = status else {
        return Ok(());
    };
    if status == DealStatus::Ended.code() {
        return Ok(());
    }
    let t = now();
    sqlx::query(
        "UPDATE opportunities SET status = $1, outcome = 'won', lost_reason = '', updated_at = $2, \
         activity_at = $2, ended_at = $2 WHERE id = $3",
    )
    .bind(DealStatus::Ended.code())
    .bind(t)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO customer_stage_log (customer_id, opportunity_id, at, user_id, kind, from_value, to_value, reason) \
         VALUES ($1, $2, $3, $4, 'opportunity_status', $5, 'ended:won', 'order')",
    )
    .bind(customer_id)
    .bind(id)
    .bind(t)
    .bind(by)
    .bind(&status)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

//! An order's moves: the status (forward, or cancelled before delivery; reaching
//! delivered plans the after-sales revisit `revisit_after_sale_days` after the delivery
//! day in the company's zone), the follow flag (正进行 / 已暂停), a follow-up note and a
//! document's state. Each is checked by core's rules, logged on the order and audited.

use serde_json::json;
use wharf_core::orders::{DocKind, DocState, FollowState, OrderNumber, OrderStatus, revisit_day};
use wharf_core::policy::OrderFacts;
use wharf_core::zone::Day;
use wharf_core::{Actor, DomainError};

use super::write::{Tx, event};
use crate::audit::{self, Entry};
use crate::db::now;
use crate::{Ctx, Result, Store};

/// A status move as asked for: the new status, a note, and for a delivery the day it
/// was delivered (today in the company's zone when not given).
#[derive(Debug, Clone)]
pub struct StatusChange {
    pub to: OrderStatus,
    pub note: String,
    pub delivered_on: Option<Day>,
}

/// What the write rules read of an order.
pub(super) struct Head {
    pub customer_id: i64,
    pub number: String,
    pub status: OrderStatus,
    pub follow: FollowState,
    pub currency: String,
    pub follower_id: i64,
    pub facts: OrderFacts,
}

type HeadRow = (
    i64,
    i64,
    i64,
    String,
    String,
    String,
    i64,
    i64,
    Option<i64>,
    Option<i64>,
);

const MAX_NOTE: usize = 5_000;

impl Store {
    /// An order whose customer the actor may see (otherwise it does not exist).
    pub(super) async fn order_head(&self, actor: &Actor, order_id: i64) -> Result<Head> {
        let row: Option<HeadRow> = sqlx::query_as(
            "SELECT o.customer_id, o.number_year, o.number_seq, o.status, o.follow, o.currency, o.seller_id, \
             o.follower_id, su.department_id, fu.department_id FROM orders o \
             LEFT JOIN users su ON su.id = o.seller_id LEFT JOIN users fu ON fu.id = o.follower_id WHERE o.id = $1",
        )
        .bind(order_id)
        .fetch_optional(&self.pool)
        .await?;
        let (customer_id, year, seq, status, follow, currency, seller, follower, sd, fd) =
            row.ok_or(DomainError::NotFound)?;
        self.get_customer(actor, customer_id).await?;
        Ok(Head {
            customer_id,
            number: OrderNumber { year, seq }.text(),
            status: OrderStatus::from_code(&status).unwrap_or(OrderStatus::Confirmed),
            follow: FollowState::from_code(&follow).unwrap_or(FollowState::Active),
            currency,
            follower_id: follower,
            facts: OrderFacts {
                seller,
                seller_department: sd,
                follower,
                follower_department: fd,
            },
        })
    }

    async fn changeable_order(&self, actor: &Actor, order_id: i64) -> Result<Head> {
        let head = self.order_head(actor, order_id).await?;
        if !head.facts.changeable_by(actor) {
            return Err(DomainError::Denied.into());
        }
        Ok(head)
    }

    /// Moves the status; returns the revisit day when the move planned one.
    pub async fn set_order_status(
        &self,
        ctx: Ctx<'_>,
        order_id: i64,
        change: StatusChange,
    ) -> Result<Option<Day>> {
        let head = self.changeable_order(ctx.actor, order_id).await?;
        let next = head.status.move_to(change.to)?;
        let note = clean_note(&change.note)?;
        let settings = self.settings_unchecked().await?;
        let zone = self.company_time_zone(ctx.actor).await?;
        let t = now();
        let today = zone.today(t);
        let delivered_on = change.delivered_on.unwrap_or(today);
        if next.plans_revisit(head.status)
            && (delivered_on > today || delivered_on < today.plus_days(-366))
        {
            return Err(DomainError::field("delivered_on", "out_of_range").into());
        }
        let mut tx = self.begin().await?;
        let moved = sqlx::query(
            "UPDATE orders SET status = $1, updated_at = $2, \
             delivered_on = CASE WHEN $3 = 1 THEN $4 ELSE delivered_on END WHERE id = $5 AND status = $6",
        )
        .bind(next.code())
        .bind(t)
        .bind(i64::from(next.plans_revisit(head.status)))
        .bind(delivered_on.iso())
        .bind(order_id)
        .bind(head.status.code())
        .execute(&mut *tx)
        .await?;
        if moved.rows_affected() != 1 {
            return Err(DomainError::refused("order_changed_meanwhile", 0).into());
        }
        event(
            &mut tx,
            order_id,
            ctx.actor.user_id,
            ("status", head.status.code(), next.code()),
            &note,
        )
        .await?;
        let revisit = if next.plans_revisit(head.status) {
            let due = revisit_day(delivered_on, settings.revisit_after_sale_days);
            plan_revisit(&mut tx, order_id, &head, due).await?;
            Some(due)
        } else {
            None
        };
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "order.status",
                entity: "customer",
                entity_id: Some(head.customer_id),
                summary: &head.number,
                details: json!({ "order_id": order_id, "from": head.status.code(), "to": next.code(),
                    "revisit": revisit.map(Day::iso) }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(revisit)
    }

    /// Pauses (已暂停) or resumes (正进行) following an open order.
    pub async fn set_order_follow(
        &self,
        ctx: Ctx<'_>,
        order_id: i64,
        to: FollowState,
    ) -> Result<()> {
        let head = self.changeable_order(ctx.actor, order_id).await?;
        head.status.check_editable()?;
        if head.follow == to {
            return Ok(());
        }
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE orders SET follow = $1, updated_at = $2 WHERE id = $3")
            .bind(to.code())
            .bind(now())
            .bind(order_id)
            .execute(&mut *tx)
            .await?;
        event(
            &mut tx,
            order_id,
            ctx.actor.user_id,
            ("follow", head.follow.code(), to.code()),
            "",
        )
        .await?;
        self.order_audit(
            &mut tx,
            ctx,
            &head,
            "order.follow",
            json!({ "order_id": order_id, "to": to.code() }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A follow-up record (跟单记录) on an order the actor may change.
    pub async fn add_order_note(&self, ctx: Ctx<'_>, order_id: i64, note: &str) -> Result<()> {
        let head = self.changeable_order(ctx.actor, order_id).await?;
        head.status.check_editable()?;
        let note = clean_note(note)?;
        if note.is_empty() {
            return Err(DomainError::field("note", "required").into());
        }
        let mut tx = self.begin().await?;
        event(
            &mut tx,
            order_id,
            ctx.actor.user_id,
            ("note", "", ""),
            &note,
        )
        .await?;
        sqlx::query("UPDATE orders SET updated_at = $1 WHERE id = $2")
            .bind(now())
            .bind(order_id)
            .execute(&mut *tx)
            .await?;
        self.order_audit(
            &mut tx,
            ctx,
            &head,
            "order.note",
            json!({ "order_id": order_id }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets one document's state on an order that is not finished.
    pub async fn set_order_document(
        &self,
        ctx: Ctx<'_>,
        order_id: i64,
        kind: DocKind,
        state: DocState,
    ) -> Result<()> {
        let head = self.changeable_order(ctx.actor, order_id).await?;
        head.status.check_editable()?;
        let mut tx = self.begin().await?;
        let t = now();
        // One row per kind: a concurrent save updates it, never a unique-key error.
        sqlx::query(
            "INSERT INTO order_documents (order_id, kind, state, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (order_id, kind) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
        )
            .bind(order_id)
            .bind(kind.code())
            .bind(state.code())
            .bind(t)
            .execute(&mut *tx)
            .await?;
        event(
            &mut tx,
            order_id,
            ctx.actor.user_id,
            ("document", kind.code(), state.code()),
            "",
        )
        .await?;
        self.order_audit(
            &mut tx,
            ctx,
            &head,
            "order.document",
            json!({ "order_id": order_id, "kind": kind.code(), "state": state.code() }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn order_audit(
        &self,
        tx: &mut Tx,
        ctx: Ctx<'_>,
        head: &Head,
        action: &'static str,
        details: serde_json::Value,
    ) -> Result<()> {
        audit::record(
            tx,
            ctx,
            Entry {
                action,
                entity: "customer",
                entity_id: Some(head.customer_id),
                summary: &head.number,
                details,
            },
        )
        .await?;
        Ok(())
    }
}

/// The revisit for the follower (one per order: a later delivery day replaces it).
async fn plan_revisit(tx: &mut Tx, order_id: i64, head: &Head, due: Day) -> Result<()> {
    sqlx::query("DELETE FROM order_revisits WHERE order_id = $1")
        .bind(order_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO order_revisits (order_id, customer_id, user_id, due_on, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(order_id)
    .bind(head.customer_id)
    .bind(head.follower_id)
    .bind(due.iso())
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn clean_note(note: &str) -> Result<String> {
    let mut e = wharf_core::validate::FieldErrors::default();
    let note = e.text_block("note", note, false, MAX_NOTE);
    e.into_result()?;
    Ok(note)
}

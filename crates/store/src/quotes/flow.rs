//! A version's moves: submit (approved at once, or waiting for a manager when a discount
//! is above the company's threshold), approve / decline with a reason, mark sent, and the
//! customer's answer. Each is checked by core's status rules and audited.

use serde_json::json;
use wharf_core::DomainError;
use wharf_core::quotes::{QuoteStatus, SubmitOutcome};

use crate::audit::{self, Entry};
use crate::db::now;
use crate::{Ctx, Result, Store};

impl Store {
    /// Submits the current draft; gives the status it now has.
    pub async fn submit_quote(&self, ctx: Ctx<'_>, quote_id: i64) -> Result<QuoteStatus> {
        let head = self.quote_head(ctx.actor, quote_id).await?;
        if !head.facts.changeable_by(ctx.actor) {
            return Err(DomainError::Denied.into());
        }
        let max_discount: String = sqlx::query_scalar(
            "SELECT max_discount FROM quote_versions WHERE quote_id = $1 AND version = $2",
        )
        .bind(quote_id)
        .bind(head.version)
        .fetch_one(&self.pool)
        .await?;
        let max_discount = max_discount.parse().unwrap_or_default();
        let threshold = self.quote_settings_unchecked().await?.discount_threshold;
        let next = match head.status.submit(max_discount, threshold)? {
            SubmitOutcome::NeedsApproval => QuoteStatus::AwaitingApproval,
            SubmitOutcome::Approved => QuoteStatus::Approved,
        };
        self.move_version(ctx, &head, next, "quote.submit", "")
            .await?;
        Ok(next)
    }

    /// A manager over the owner approves or declines the version waiting for approval.
    pub async fn decide_quote(
        &self,
        ctx: Ctx<'_>,
        quote_id: i64,
        approve: bool,
        reason: &str,
    ) -> Result<QuoteStatus> {
        let head = self.quote_head(ctx.actor, quote_id).await?;
        // Her own quote: only when nobody else has company scope, and only to approve
        // (audited as such; declining her own is editing it).
        let alone = !head.facts.approvable_by(ctx.actor);
        if alone
            && !(approve
                && head.facts.self_approvable_by(
                    ctx.actor,
                    self.another_company_scope(ctx.actor.user_id).await?,
                ))
        {
            return Err(DomainError::Denied.into());
        }
        let next = head.status.decide(approve)?;
        let reason =
            wharf_core::validate::FieldErrors::default().text_block("reason", reason, false, 1000);
        if !approve && reason.trim().is_empty() {
            return Err(DomainError::field("reason", "required").into());
        }
        let action = if alone {
            "quote.self_approve"
        } else if approve {
            "quote.approve"
        } else {
            "quote.decline"
        };
        self.move_version(ctx, &head, next, action, &reason).await?;
        Ok(next)
    }

    /// Is there an active user other than `user_id` whose role has the customers
    /// permission and company-wide scope (someone who could approve her quotes)?
    pub async fn another_company_scope(&self, user_id: i64) -> Result<bool> {
        let roles: Vec<String> = sqlx::query_scalar(
            "SELECT r.permissions FROM users u JOIN roles r ON r.id = u.role_id \
             WHERE u.id <> $1 AND u.status = 'active' AND r.scope = 'all'",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(roles.iter().any(|p| {
            wharf_core::permission::parse_permissions(p)
                .contains(&wharf_core::Permission::Customers)
        }))
    }

    /// The current version was sent to the customer; `message_id` is the outgoing mail
    /// it went with (the send path calls this in the request that queued the mail).
    pub async fn mark_quote_sent(
        &self,
        ctx: Ctx<'_>,
        quote_id: i64,
        message_id: Option<i64>,
    ) -> Result<QuoteStatus> {
        let head = self.quote_head(ctx.actor, quote_id).await?;
        if !head.facts.changeable_by(ctx.actor) {
            return Err(DomainError::Denied.into());
        }
        let next = head.status.send()?;
        self.move_version(ctx, &head, next, "quote.sent", "")
            .await?;
        if let Some(message_id) = message_id {
            sqlx::query(
                "UPDATE quote_versions SET sent_message_id = $1 WHERE quote_id = $2 AND version = $3",
            )
            .bind(message_id)
            .bind(quote_id)
            .bind(head.version)
            .execute(&self.pool)
            .await?;
        }
        Ok(next)
    }

    /// The customer accepted or rejected it, or it expired.
    pub async fn close_quote(
        &self,
        ctx: Ctx<'_>,
        quote_id: i64,
        to: QuoteStatus,
    ) -> Result<QuoteStatus> {
        let head = self.quote_head(ctx.actor, quote_id).await?;
        if !head.facts.changeable_by(ctx.actor) {
            return Err(DomainError::Denied.into());
        }
        let next = head.status.close(to)?;
        self.move_version(ctx, &head, next, "quote.close", "")
            .await?;
        Ok(next)
    }

    async fn move_version(
        &self,
        ctx: Ctx<'_>,
        head: &super::write::Head,
        next: QuoteStatus,
        action: &'static str,
        reason: &str,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        move_version_in(&mut tx, ctx, head, next, action, reason).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// A version's move inside the caller's transaction (the send path's, for one).
pub(super) async fn move_version_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    ctx: Ctx<'_>,
    head: &super::write::Head,
    next: QuoteStatus,
    action: &'static str,
    reason: &str,
) -> Result<()> {
    {
        let t = now();
        // The status it had is part of the condition: two answers at once, one wins.
        let moved = sqlx::query(
            "UPDATE quote_versions SET status = $1, updated_at = $2, \
             submitted_at = CASE WHEN $1 = 'awaiting_approval' THEN $2 ELSE submitted_at END, \
             decided_by = CASE WHEN $3 IN ('quote.approve', 'quote.self_approve', 'quote.decline') THEN $4 ELSE decided_by END, \
             decided_at = CASE WHEN $3 IN ('quote.approve', 'quote.self_approve', 'quote.decline') THEN $2 ELSE decided_at END, \
             decline_reason = CASE WHEN $3 = 'quote.decline' THEN $5 ELSE decline_reason END, \
             sent_at = CASE WHEN $1 = 'sent' THEN $2 ELSE sent_at END \
             WHERE quote_id = $6 AND version = $7 AND status = $8",
        )
        .bind(next.code())
        .bind(t)
        .bind(action)
        .bind(ctx.actor.user_id)
        .bind(reason)
        .bind(head.quote_id)
        .bind(head.version)
        .bind(head.status.code())
        .execute(&mut **tx)
        .await?;
        if moved.rows_affected() != 1 {
            return Err(DomainError::refused("quote_changed_meanwhile", 0).into());
        }
        sqlx::query("UPDATE quotes SET updated_at = $1 WHERE id = $2")
            .bind(t)
            .bind(head.quote_id)
            .execute(&mut **tx)
            .await?;
        audit::record(
            tx,
            ctx,
            Entry {
                action,
                entity: "customer",
                entity_id: Some(head.customer_id),
                summary: &head.number,
                details: json!({ "quote_id": head.quote_id, "version": head.version,
                    "from": head.status.code(), "to": next.code(), "reason": reason }),
            },
        )
        .await?;
        Ok(())
    }
}

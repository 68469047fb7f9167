//! A quote's mail queued and the quote marked sent in one transaction: the outgoing
//! row, its delivery job, the version's move to `sent` with that message and the audit
//! entry are written together or not at all, so a quote is never sent without its mail
//! queued, and a mail is never queued for a quote that could not go out.

use wharf_core::DomainError;

use crate::{Ctx, Result, Store};

/// The mail of a quote, stored already as a sent message of the account.
pub struct QuoteMail<'a> {
    pub quote_id: i64,
    pub account_id: i64,
    pub message_id: i64,
    pub envelope_from: &'a str,
    pub recipients: &'a [String],
}

impl Store {
    /// Queues the mail for delivery and marks the quote's current version sent with it;
    /// gives the outgoing id.
    pub async fn queue_quote_mail(&self, ctx: Ctx<'_>, mail: QuoteMail<'_>) -> Result<i64> {
        let head = self.quote_head(ctx.actor, mail.quote_id).await?;
        if !head.facts.changeable_by(ctx.actor) {
            return Err(DomainError::Denied.into());
        }
        let next = head.status.send()?;
        let mut tx = self.begin().await?;
        let outgoing = crate::mail::outgoing::insert_outgoing_in(
            &mut tx,
            &crate::mail::outgoing::NewOutgoing {
                account_id: mail.account_id,
                message_id: mail.message_id,
                created_by: Some(ctx.actor.user_id),
                envelope_from: mail.envelope_from,
                recipients: mail.recipients,
            },
        )
        .await?;
        super::flow::move_version_in(&mut tx, ctx, &head, next, "quote.sent", "").await?;
        sqlx::query(
            "UPDATE quote_versions SET sent_message_id = $1 WHERE quote_id = $2 AND version = $3",
        )
        .bind(mail.message_id)
        .bind(mail.quote_id)
        .bind(head.version)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(outgoing)
    }
}

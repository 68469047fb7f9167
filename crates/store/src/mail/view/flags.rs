//! A message's marks: read / starred (pushed to the IMAP server), dismissed from
//! Pending, answered from Wharf, and the senders whose remote images a user always shows.

use serde_json::json;
use wharf_core::Actor;
use wharf_core::policy::MailAction;

use crate::audit::{self, Entry};
use crate::db::now;
use crate::{Ctx, Result, Store};

impl Store {
    /// Marks read / unread (and queues the push to the IMAP server).
    pub async fn set_seen(&self, actor: &Actor, id: i64, seen: bool) -> Result<()> {
        self.set_flag_column(actor, id, "seen", seen).await
    }

    /// Stars / unstars (and queues the push to the IMAP server).
    pub async fn set_flagged(&self, actor: &Actor, id: i64, flagged: bool) -> Result<()> {
        self.set_flag_column(actor, id, "flagged", flagged).await
    }

    async fn set_flag_column(
        &self,
        actor: &Actor,
        id: i64,
        column: &'static str,
        on: bool,
    ) -> Result<()> {
        self.message_for(actor, id, MailAction::Handle).await?;
        self.write_flag_column(id, column, on).await
    }

    /// The write of [`Store::set_flag_column`], for a caller that has just checked the
    /// actor handles the message (opening it: `OpenEffect::MarkRead`), so the message
    /// is not read a second time on every open.
    pub(super) async fn write_flag_column(
        &self,
        id: i64,
        column: &'static str,
        on: bool,
    ) -> Result<()> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE messages SET {column} = $1 WHERE id = $2"
        )))
        .bind(i64::from(on))
        .bind(id)
        .execute(&self.pool)
        .await?;
        self.run_job_now(crate::jobs::kinds::FLAGS, &id.to_string())
            .await
    }

    /// Marks an inbound message as spam: it moves to the account's Junk folder and off
    /// Pending (or, with `spam` false, back to the Inbox and Pending); the mirror job moves
    /// the server's copy too.
    pub async fn set_spam(&self, ctx: Ctx<'_>, id: i64, spam: bool) -> Result<()> {
        let m = self.message_for(ctx.actor, id, MailAction::Handle).await?;
        if m.summary.direction != "in" {
            return Err(wharf_core::DomainError::field("message", "not_inbound").into());
        }
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM message_folder_links WHERE message_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE messages SET folder_role = $1, filed = 0, pending_dismissed = $2 WHERE id = $3",
        )
        .bind(if spam { "junk" } else { "inbox" })
        .bind(i64::from(spam))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: if spam { "mail.spam" } else { "mail.not_spam" },
                entity: "message",
                entity_id: Some(id),
                summary: &m.summary.subject,
                details: json!({}),
            },
        )
        .await?;
        tx.commit().await?;
        self.queue_move_mirror(id).await?;
        Ok(())
    }

    /// Takes an inbound message off Pending without a reply (or puts it back).
    pub async fn set_pending_dismissed(
        &self,
        ctx: Ctx<'_>,
        id: i64,
        dismissed: bool,
    ) -> Result<()> {
        let m = self.message_for(ctx.actor, id, MailAction::Handle).await?;
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE messages SET pending_dismissed = $1 WHERE id = $2")
            .bind(i64::from(dismissed))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: if dismissed {
                    "mail.dismiss"
                } else {
                    "mail.undismiss"
                },
                entity: "message",
                entity_id: Some(id),
                summary: &m.summary.subject,
                details: json!({}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Marks a message answered (a reply to it was sent from Wharf), even when it has no
    /// Message-ID for the reply to refer to.
    pub async fn mark_replied(&self, actor: &Actor, id: i64) -> Result<()> {
        self.message_for(actor, id, MailAction::Reply).await?;
        sqlx::query("UPDATE messages SET replied_at = $1 WHERE id = $2 AND replied_at IS NULL")
            .bind(now())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Does the user always show remote images from this sender?
    pub async fn images_allowed_from(&self, actor: &Actor, address: &str) -> Result<bool> {
        let found: Option<String> = sqlx::query_scalar(
            "SELECT address FROM mail_image_senders WHERE user_id = $1 AND address = $2",
        )
        .bind(actor.user_id)
        .bind(address.to_lowercase())
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }

    /// Always show remote images from this sender (for this user).
    pub async fn allow_images_from(&self, actor: &Actor, address: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO mail_image_senders (user_id, address) VALUES ($1, $2) ON CONFLICT (user_id, address) DO NOTHING",
        )
        .bind(actor.user_id)
        .bind(address.to_lowercase())
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

//! One message the actor may read, with its attachments and how they reach it, and the
//! other messages of its conversation.

use wharf_core::{Actor, DomainError};

use crate::rows::{flag, int, opt_int, text};
use crate::{Result, Store};

use super::{AttachmentInfo, MessageDetail, MessageSummary, SUMMARY_COLUMNS, summary};

impl Store {
    /// One message the actor may read.
    pub async fn get_message(&self, actor: &Actor, id: i64) -> Result<MessageDetail> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {SUMMARY_COLUMNS}, m.blob_hash, m.size, m.message_id, m.cc_addrs, m.sent_at, m.body_text, \
             m.parse_error, m.defect, m.bounce_info, m.bounce_of, m.pending_dismissed, m.follow_up_at, m.follow_up_note \
             FROM messages m WHERE m.id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(DomainError::NotFound)?;
        let s = summary(&row)?;
        let grant = self.mail_grant(actor, s.account_id, id).await?;
        if grant == wharf_core::policy::MailGrant::None {
            return Err(DomainError::NotFound.into());
        }
        let attachments = sqlx::query(
            "SELECT id, filename, content_type, content_id, is_inline, size, blob_hash FROM attachments WHERE message_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(AttachmentInfo {
                id: int(r, "id")?,
                filename: text(r, "filename")?,
                content_type: text(r, "content_type")?,
                content_id: text(r, "content_id")?,
                inline: flag(r, "is_inline")?,
                size: int(r, "size")?,
                blob_hash: text(r, "blob_hash")?,
            })
        })
        .collect::<sqlx::Result<_>>()?;
        Ok(MessageDetail {
            blob_hash: text(&row, "blob_hash")?,
            size: int(&row, "size")?,
            message_id: text(&row, "message_id")?,
            cc_addrs: text(&row, "cc_addrs")?,
            sent_at: opt_int(&row, "sent_at")?,
            body_text: text(&row, "body_text")?,
            parse_error: text(&row, "parse_error")?,
            defect: text(&row, "defect")?,
            bounce_info: text(&row, "bounce_info")?,
            bounce_of: opt_int(&row, "bounce_of")?,
            deleted_at: opt_int(&row, "deleted_at")?,
            pending_dismissed: flag(&row, "pending_dismissed")?,
            follow_up_at: opt_int(&row, "follow_up_at")?,
            follow_up_note: text(&row, "follow_up_note")?,
            attachments,
            handles: self
                .handled_account_ids(actor)
                .await?
                .contains(&s.account_id),
            summary: s,
            grant,
        })
    }

    /// The other messages of a message's conversation, oldest first.
    pub async fn conversation(
        &self,
        actor: &Actor,
        message: &MessageSummary,
    ) -> Result<Vec<MessageSummary>> {
        let Some(thread) = message.thread_id else {
            return Ok(vec![message.clone()]);
        };
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {SUMMARY_COLUMNS} FROM messages m WHERE m.thread_id = $1 AND m.deleted_at IS NULL \
             ORDER BY m.received_at, m.id LIMIT 200"
        )))
        .bind(thread)
        .fetch_all(&self.pool)
        .await?;
        let readable = self.readable_account_ids(actor).await?;
        Ok(rows
            .iter()
            .map(summary)
            .collect::<sqlx::Result<Vec<_>>>()?
            .into_iter()
            .filter(|m| readable.contains(&m.account_id))
            .collect())
    }
}

//! Trash (MAIL-7): moving a message there and back with the permission to delete mail,
//! and deleting it for good from there (its server copies too, by a `mail_expunge` job),
//! each in the audit log.

use serde_json::json;
use wharf_core::policy::MailAction;
use wharf_core::{DomainError, Permission};

use crate::audit::{self, Entry};
use crate::db::now;
use crate::{Ctx, Result, Store};

impl Store {
    /// Moves a message to Trash (or restores it), with the permission to delete mail;
    /// every deletion is in the audit log (MAIL-7).
    pub async fn set_trashed(&self, ctx: Ctx<'_>, id: i64, trashed: bool) -> Result<()> {
        ctx.actor.require(Permission::DeleteMail)?;
        let m = self.message_for(ctx.actor, id, MailAction::Trash).await?;
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE messages SET deleted_at = $1, deleted_by = $2 WHERE id = $3")
            .bind(trashed.then(now))
            .bind(trashed.then_some(ctx.actor.user_id))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: if trashed {
                    "mail.trash"
                } else {
                    "mail.restore"
                },
                entity: "message",
                entity_id: Some(id),
                summary: &m.summary.subject,
                details: json!({ "from": m.summary.from_addr, "account_id": m.summary.account_id }),
            },
        )
        .await?;
        tx.commit().await?;
        self.queue_move_mirror(id).await?;
        Ok(())
    }

    /// Deletes a message from Trash for good (MAIL-7): only with the permanent-delete
    /// permission, only from Trash, and logged with what is needed to find it in a
    /// backup (its Message-ID and content hash).
    pub async fn delete_permanently(&self, ctx: Ctx<'_>, id: i64) -> Result<()> {
        ctx.actor.require(Permission::PermanentDelete)?;
        let m = self.message_for(ctx.actor, id, MailAction::Purge).await?;
        if m.deleted_at.is_none() {
            return Err(DomainError::Refused {
                code: "not_in_trash",
                count: 0,
            }
            .into());
        }
        // Where the server has it, for the job that removes it there too.
        let gone = self.expunge_plan(id).await?;
        let mut tx = self.begin().await?;
        if let Some(plan) = &gone {
            crate::mail::expunge::queue(&mut tx, plan).await?;
        }
        for table in [
            "message_refs",
            "message_locations",
            "attachments",
            "mail_handovers",
            "mail_comments",
        ] {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DELETE FROM {table} WHERE message_id = $1"
            )))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("UPDATE messages SET bounce_of = NULL WHERE bounce_of = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE pop3_uidls SET message_id = NULL WHERE message_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM outgoing WHERE message_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM messages WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "mail.delete_permanently",
                entity: "message",
                entity_id: Some(id),
                summary: &m.summary.subject,
                details: json!({
                    "account_id": m.summary.account_id, "from": m.summary.from_addr,
                    "message_id": m.message_id, "blob_hash": m.blob_hash, "received_at": m.summary.received_at,
                }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

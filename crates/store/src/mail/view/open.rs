//! Opening a message (the pane, its frame, downloads, the API): its mailbox's own users
//! mark it read; a supervisor changes nothing and the read goes to the audit log as
//! `mail.supervision_read` (issue 17, [`OpenEffect`]).

use serde_json::json;
use wharf_core::policy::OpenEffect;

use crate::audit::{self, Entry};
use crate::db::now;
use crate::{Ctx, Result, Store};

use super::MessageDetail;

/// A supervisor's reads of one message within this many seconds are one audit row
/// (the pane and the frame it loads are one read).
const SAME_READ_SECONDS: i64 = 60;

impl Store {
    /// The message, opened by the actor `via` a path (`pane`, `frame`, `eml`, `source`,
    /// `attachment`, `api`), with the effect opening has for them.
    pub async fn open_message(
        &self,
        ctx: Ctx<'_>,
        id: i64,
        via: &'static str,
    ) -> Result<MessageDetail> {
        let mut detail = self.get_message(ctx.actor, id).await?;
        match OpenEffect::of(detail.grant, detail.handles) {
            OpenEffect::MarkRead => {
                if via == "pane" && !detail.summary.seen && detail.deleted_at.is_none() {
                    // Checked just now: the actor handles this mailbox.
                    self.write_flag_column(id, "seen", true).await?;
                    detail.summary.seen = true;
                }
            }
            OpenEffect::SupervisionRead => self.record_supervision_read(ctx, &detail, via).await?,
            OpenEffect::Nothing => {}
        }
        Ok(detail)
    }

    async fn record_supervision_read(
        &self,
        ctx: Ctx<'_>,
        detail: &MessageDetail,
        via: &'static str,
    ) -> Result<()> {
        let id = detail.summary.id;
        let recent: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM audit_log WHERE action = 'mail.supervision_read' AND user_id = $1 \
             AND entity = 'message' AND entity_id = $2 AND at >= $3 LIMIT 1",
        )
        .bind(ctx.actor.user_id)
        .bind(id)
        .bind(now() - SAME_READ_SECONDS)
        .fetch_optional(&self.pool)
        .await?;
        if recent.is_some() {
            return Ok(());
        }
        let owner: Option<i64> =
            sqlx::query_scalar("SELECT owner_id FROM mail_accounts WHERE id = $1")
                .bind(detail.summary.account_id)
                .fetch_optional(&self.pool)
                .await?
                .flatten();
        let mut tx = self.begin().await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "mail.supervision_read",
                entity: "message",
                entity_id: Some(id),
                summary: &detail.summary.subject,
                details: json!({
                    "message_id": id,
                    "account_id": detail.summary.account_id,
                    "owner_id": owner,
                    "via": via,
                }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

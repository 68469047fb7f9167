//! Reading and handling mail (SPEC MAIL-2, 3, 5, 7, 9): folder lists over the accounts
//! an actor may use, Pending, conversations, one message, read / star, dismiss, Trash
//! and restore. Every query is limited to the actor's accounts (owner, members, managers
//! in scope — [`wharf_core::policy::AccountAccess`]); lists page by keyset
//! (`received_at`, `id`) so a folder of 100,000 messages pages as fast as a small one.

use serde_json::json;
use wharf_core::policy::MailAction;
use wharf_core::{Actor, DomainError, Permission};

use crate::audit::{self, Entry};
use crate::db::now;
use crate::rows::{flag, int, like_pattern, opt_int, opt_text, placeholders, text};
use crate::{Ctx, Result, Store};

/// Which messages a list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailView {
    /// A folder role: `inbox`, `sent`, `drafts`, `junk`, `archive` (without the mail
    /// moved out into a folder of one's own).
    Folder(String),
    /// Inbound mail not replied to or dismissed, oldest first.
    Pending,
    /// Deleted messages.
    Trash,
    /// Sent mail not yet delivered: queued, being retried, or failed.
    Outbox,
    /// A folder of one's own (`mail_folders.id`).
    UserFolder(i64),
    /// Mail with this tag.
    Tag(i64),
    /// Mail of this type (a `mail_type` base-data item).
    MailType(i64),
}

impl MailView {
    pub fn from_code(code: &str) -> Option<MailView> {
        let id = |rest: &str| rest.parse::<i64>().ok();
        match code {
            "pending" => Some(MailView::Pending),
            "trash" => Some(MailView::Trash),
            "outbox" => Some(MailView::Outbox),
            "inbox" | "sent" | "drafts" | "junk" | "archive" => Some(MailView::Folder(code.into())),
            _ => match code.split_once(':')? {
                ("folder", rest) => id(rest).map(MailView::UserFolder),
                ("tag", rest) => id(rest).map(MailView::Tag),
                ("type", rest) => id(rest).map(MailView::MailType),
                _ => None,
            },
        }
    }
    pub fn code(&self) -> String {
        match self {
            MailView::Folder(r) => r.clone(),
            MailView::Pending => "pending".into(),
            MailView::Trash => "trash".into(),
            MailView::Outbox => "outbox".into(),
            MailView::UserFolder(id) => format!("folder:{id}"),
            MailView::Tag(id) => format!("tag:{id}"),
            MailView::MailType(id) => format!("type:{id}"),
        }
    }

    /// The view's condition on `m` with its one parameter `$1`, and whether it lists
    /// oldest first.
    fn condition(&self) -> (&'static str, bool) {
        match self {
            MailView::Folder(_) => (
                "m.folder_role = $1 AND m.filed = 0 AND m.deleted_at IS NULL",
                false,
            ),
            MailView::Pending => (
                "$1 = $1 AND m.direction = 'in' AND m.folder_role = 'inbox' AND m.replied_at IS NULL \
                 AND m.pending_dismissed = 0 AND m.is_bounce = 0 AND m.deleted_at IS NULL",
                true,
            ),
            MailView::Trash => ("$1 = $1 AND m.deleted_at IS NOT NULL", false),
            MailView::Outbox => (
                "$1 = $1 AND m.deleted_at IS NULL AND EXISTS (SELECT 1 FROM outgoing o \
                 WHERE o.message_id = m.id AND o.state <> 'sent')",
                false,
            ),
            MailView::UserFolder(_) => (
                "m.deleted_at IS NULL AND EXISTS (SELECT 1 FROM message_folder_links l \
                 WHERE l.message_id = m.id AND l.folder_id = $1)",
                false,
            ),
            MailView::Tag(_) => (
                "m.deleted_at IS NULL AND EXISTS (SELECT 1 FROM message_tags t \
                 WHERE t.message_id = m.id AND t.tag_id = $1)",
                false,
            ),
            MailView::MailType(_) => ("m.mail_type_id = $1 AND m.deleted_at IS NULL", false),
        }
    }

    fn parameter(&self) -> Parameter {
        match self {
            MailView::UserFolder(id) | MailView::Tag(id) | MailView::MailType(id) => {
                Parameter::Int(*id)
            }
            other => Parameter::Text(other.code()),
        }
    }
}

enum Parameter {
    Text(String),
    Int(i64),
}

#[derive(Debug, Clone)]
pub struct MailQuery {
    pub view: MailView,
    /// One account, or all the actor's accounts.
    pub account_id: Option<i64>,
    /// Keyset cursor: messages after this (received_at, id) in the view's order.
    pub after: Option<(i64, i64)>,
    pub limit: i64,
    /// Words the subject, sender or Message-ID must contain (used to trace deleted mail).
    pub text: Option<String>,
    /// Only inbound mail from this kind of sender (MAIL-4).
    pub party: Option<wharf_core::mail_link::Party>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct MessageSummary {
    pub id: i64,
    pub account_id: i64,
    pub direction: String,
    pub folder_role: String,
    pub from_name: String,
    pub from_addr: String,
    pub to_addrs: String,
    pub subject: String,
    pub snippet: String,
    pub received_at: i64,
    pub seen: bool,
    pub flagged: bool,
    pub has_attachments: bool,
    pub thread_id: Option<i64>,
    pub replied_at: Option<i64>,
    pub is_bounce: bool,
    pub parse_ok: bool,
    pub mail_type_id: Option<i64>,
    pub deleted_at: Option<i64>,
    /// Who moved it to Trash.
    pub deleted_by_name: Option<String>,
}

/// One message with what its page needs.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MessageDetail {
    pub summary: MessageSummary,
    pub blob_hash: String,
    pub size: i64,
    pub message_id: String,
    pub cc_addrs: String,
    pub sent_at: Option<i64>,
    pub body_text: String,
    pub parse_error: String,
    /// What is wrong with the file it came in (stored as it came all the same).
    pub defect: String,
    pub bounce_info: String,
    pub bounce_of: Option<i64>,
    pub deleted_at: Option<i64>,
    pub pending_dismissed: bool,
    pub follow_up_at: Option<i64>,
    pub follow_up_note: String,
    pub attachments: Vec<AttachmentInfo>,
    /// How the actor reaches it: through its account, or only by a hand-over.
    #[serde(skip)]
    pub grant: wharf_core::policy::MailGrant,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct AttachmentInfo {
    pub id: i64,
    pub filename: String,
    pub content_type: String,
    pub content_id: String,
    pub inline: bool,
    pub size: i64,
    pub blob_hash: String,
}

pub(crate) const SUMMARY_COLUMNS: &str = "m.id, m.account_id, m.direction, m.folder_role, m.from_name, m.from_addr, m.to_addrs, \
     m.subject, m.snippet, m.received_at, m.seen, m.flagged, m.has_attachments, m.thread_id, m.replied_at, \
     m.is_bounce, m.parse_ok, m.mail_type_id, m.deleted_at, \
     (SELECT u.name FROM users u WHERE u.id = m.deleted_by) AS deleted_by_name";

pub(crate) fn summary(r: &sqlx::any::AnyRow) -> sqlx::Result<MessageSummary> {
    Ok(MessageSummary {
        id: int(r, "id")?,
        account_id: int(r, "account_id")?,
        direction: text(r, "direction")?,
        folder_role: text(r, "folder_role")?,
        from_name: text(r, "from_name")?,
        from_addr: text(r, "from_addr")?,
        to_addrs: text(r, "to_addrs")?,
        subject: text(r, "subject")?,
        snippet: text(r, "snippet")?,
        received_at: int(r, "received_at")?,
        seen: flag(r, "seen")?,
        flagged: flag(r, "flagged")?,
        has_attachments: flag(r, "has_attachments")?,
        thread_id: opt_int(r, "thread_id")?,
        replied_at: opt_int(r, "replied_at")?,
        is_bounce: flag(r, "is_bounce")?,
        parse_ok: flag(r, "parse_ok")?,
        mail_type_id: opt_int(r, "mail_type_id")?,
        deleted_at: opt_int(r, "deleted_at")?,
        deleted_by_name: opt_text(r, "deleted_by_name")?,
    })
}

impl Store {
    /// Ids of the accounts whose mail the actor may read (MAIL-9).
    pub async fn readable_account_ids(&self, actor: &Actor) -> Result<Vec<i64>> {
        self.usable_account_ids(actor).await
    }

    /// A page of a view, `limit + 1` rows fetched to tell whether there is more.
    pub async fn list_mail(
        &self,
        actor: &Actor,
        q: &MailQuery,
    ) -> Result<(Vec<MessageSummary>, bool)> {
        let mut accounts = self.readable_account_ids(actor).await?;
        if let Some(one) = q.account_id {
            accounts.retain(|a| *a == one);
        }
        if accounts.is_empty() {
            return Ok((Vec::new(), false));
        }
        let (condition, ascending) = q.view.condition();
        let n = accounts.len();
        let (cmp, order) = if ascending {
            (">", "ASC")
        } else {
            ("<", "DESC")
        };
        let cursor = if q.after.is_some() {
            format!(
                " AND (m.received_at {cmp} ${a} OR (m.received_at = ${a} AND m.id {cmp} ${b}))",
                a = n + 2,
                b = n + 3
            )
        } else {
            String::new()
        };
        let text = q
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(like_pattern);
        let text_filter = if text.is_some() {
            let p = if q.after.is_some() { n + 4 } else { n + 2 };
            format!(
                " AND (LOWER(m.subject) LIKE ${p} ESCAPE '\\' OR LOWER(m.from_addr) LIKE ${p} ESCAPE '\\' \
                 OR LOWER(m.from_name) LIKE ${p} ESCAPE '\\' OR LOWER(m.message_id) LIKE ${p} ESCAPE '\\')"
            )
        } else {
            String::new()
        };
        let pending_filter = if q.view == MailView::Pending {
            self.pending_exclusions("m.").await?
        } else {
            String::new()
        };
        let party_filter = match q.party {
            Some(p) => format!(" AND {}", self.link_rules().await?.party_sql(p)),
            None => String::new(),
        };
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM messages m WHERE {condition} AND m.account_id IN ({}){cursor}{text_filter}{party_filter}{pending_filter} \
             ORDER BY m.received_at {order}, m.id {order} LIMIT {}",
            placeholders(2, n),
            q.limit.clamp(1, 500) + 1
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        query = match q.view.parameter() {
            Parameter::Text(t) => query.bind(t),
            Parameter::Int(i) => query.bind(i),
        };
        for a in &accounts {
            query = query.bind(*a);
        }
        if let Some((at, id)) = q.after {
            query = query.bind(at).bind(id);
        }
        if let Some(t) = text {
            query = query.bind(t);
        }
        let rows = query.fetch_all(&self.pool).await?;
        let mut items: Vec<MessageSummary> =
            rows.iter().map(summary).collect::<sqlx::Result<_>>()?;
        let more = items.len() as i64 > q.limit.clamp(1, 500);
        items.truncate(q.limit.clamp(1, 500) as usize);
        Ok((items, more))
    }

    /// What Pending leaves out by the company settings (MAIL-3 with MAIL-4): colleagues'
    /// and machines' mail, as SQL to append (`prefix`: the table alias with its dot).
    pub(crate) async fn pending_exclusions(&self, prefix: &str) -> Result<String> {
        let s = self.settings_unchecked().await?;
        let mut out = String::new();
        if !s.pending_internal {
            out.push_str(&format!(" AND {prefix}internal = 0"));
        }
        if !s.pending_notifications {
            out.push_str(&format!(" AND {prefix}automated = 0"));
        }
        Ok(out)
    }

    /// (unread in Inbox, Pending) over the actor's accounts.
    pub async fn mail_counts(&self, actor: &Actor) -> Result<(i64, i64)> {
        let accounts = self.readable_account_ids(actor).await?;
        self.counts_for_accounts(&accounts).await
    }

    /// (unread in Inbox, Pending) over these accounts (already checked for the actor).
    pub async fn counts_for_accounts(&self, accounts: &[i64]) -> Result<(i64, i64)> {
        if accounts.is_empty() {
            return Ok((0, 0));
        }
        let list = placeholders(1, accounts.len());
        let exclusions = self.pending_exclusions("").await?;
        // Served by the indexes messages_unread_inbox and messages_pending (migration
        // 0003): only the counted rows are read.
        let sql = format!(
            "SELECT \
             (SELECT COUNT(*) FROM messages WHERE folder_role = 'inbox' AND filed = 0 AND seen = 0 \
              AND deleted_at IS NULL AND account_id IN ({list})) AS unread, \
             (SELECT COUNT(*) FROM messages WHERE direction = 'in' AND folder_role = 'inbox' AND replied_at IS NULL \
              AND pending_dismissed = 0 AND is_bounce = 0 AND deleted_at IS NULL AND account_id IN ({list}){exclusions}) AS pending"
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for a in accounts {
            query = query.bind(*a);
        }
        let row = query.fetch_one(&self.pool).await?;
        Ok((int(&row, "unread")?, int(&row, "pending")?))
    }

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
        Ok(())
    }
}

impl Store {
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

impl Store {
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
}

impl Store {
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
        let mut tx = self.begin().await?;
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

//! Reading and handling mail (SPEC MAIL-2, 3, 5, 7, 9): folder lists over the accounts
//! an actor may use, Pending, conversations, one message, read / star, dismiss, Trash
//! and restore. Every query is limited to the actor's accounts (owner, members, managers
//! in scope — [`wharf_core::policy::AccountAccess`]); lists page by keyset
//! (`received_at`, `id`) so a folder of 100,000 messages pages as fast as a small one.

use crate::rows::{flag, int, opt_int, opt_text, text};

mod flags;
mod list;
mod message;
mod open;
mod trash;

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

/// "Only show mail since" (ACC-5) on the message aliased `m` (or a table name): mail
/// older than its account's date stays stored but is not listed, counted or found.
pub(crate) fn shown_since(m: &str) -> String {
    format!(
        "{m}.received_at >= COALESCE((SELECT ss.show_since FROM mail_accounts ss WHERE ss.id = {m}.account_id), 0)"
    )
}

/// Whose mailboxes a list or count covers (issue 17): the accounts the actor handles
/// herself, the others her scope lets her see (the team view, optionally one owner's),
/// or every account she may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailScope {
    Mine,
    Team { owner: Option<i64> },
    All,
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
    pub party: Option<wharf_core::mail::link::Party>,
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
    /// Whether the actor handles its account herself (owner or member) rather than
    /// reaching it as a supervisor.
    #[serde(skip)]
    pub handles: bool,
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

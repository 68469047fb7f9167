//! The message index (SPEC MAIL-1): one row per distinct message of an account (its
//! bytes live in the blob store under their hash), where it sits on the server, its
//! attachments, and its conversation. [`Store::ingest_batch`] is the one way messages
//! come in — sync, import and sending all use it — and it is idempotent: the same bytes
//! for the same account, or the same server UID, never make a second row.

use sqlx::{Any, Transaction};

use crate::Result;

mod ingest;
mod stored;

/// Blobs up to this size are stored in the `blobs` table itself, in the transaction
/// that names them; bigger ones go to the blob store's files first. Creating one file
/// per small message was what limited ingest speed (inode allocation in the kernel).
pub const INLINE_MAX: usize = 128 * 1024;

#[derive(Debug, Clone, Default)]
pub struct NewAttachment {
    pub hash: String,
    pub size: i64,
    /// The bytes, when small enough to live in the database (see [`INLINE_MAX`]).
    pub inline_data: Option<Vec<u8>>,
    pub filename: String,
    pub content_type: String,
    pub content_id: String,
    pub inline: bool,
}

/// A message ready for the index; its blobs are already in the blob store.
#[derive(Debug, Clone, Default)]
pub struct NewMessage {
    pub account_id: i64,
    pub blob_hash: String,
    pub size: i64,
    /// The original bytes, when small enough to live in the database.
    pub inline_data: Option<Vec<u8>>,
    /// `in` or `out`.
    pub direction: String,
    /// `inbox`, `sent`, `drafts`, `junk`, `trash`, `archive` or `` (other folder).
    pub folder_role: String,
    pub message_id: String,
    pub in_reply_to: String,
    pub references: Vec<String>,
    pub subject: String,
    pub subject_key: String,
    pub reply_subject: bool,
    pub from_name: String,
    pub from_addr: String,
    pub to_json: String,
    pub cc_json: String,
    pub sent_at: Option<i64>,
    pub received_at: i64,
    pub snippet: String,
    pub body_text: String,
    pub attachments: Vec<NewAttachment>,
    /// Why the message could not be parsed; it is stored raw and flagged.
    pub parse_error: Option<String>,
    /// What is wrong with the file it came in, when it was stored as it came all the same.
    pub defect: String,
    pub seen: bool,
    /// For a bounce: the Message-ID it reports on, and its details as JSON.
    pub bounce: Option<(Option<String>, String)>,
    /// Where it came from (`imap`, `pop3`, `import:<file>`, `sent`).
    pub source: String,
    /// Sent by a machine (not an inquiry): by default not Pending.
    pub automated: bool,
    /// An automatic answer (out-of-office): stored and listed, but taken out of Pending
    /// whatever the settings say.
    pub auto_reply: bool,
    /// Whether to check its DKIM / SPF / DMARC after it is stored.
    pub auth_check: crate::mail::authentication::AuthCheck,
}

/// Where a message sits on an IMAP server.
#[derive(Debug, Clone)]
pub struct Location {
    pub folder_id: i64,
    pub uidvalidity: i64,
    pub uid: i64,
    pub flags: String,
}

/// One item of a batch: the message, and what to record about where it came from.
#[derive(Debug, Clone)]
pub struct IngestItem {
    pub message: NewMessage,
    pub location: Option<Location>,
    pub pop3_uidl: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ingested {
    New(i64),
    /// The same bytes were already stored for this account.
    Existing(i64),
}

impl Ingested {
    pub fn id(self) -> i64 {
        match self {
            Ingested::New(id) | Ingested::Existing(id) => id,
        }
    }
}

/// An IMAP folder cursor to advance in the same transaction as the batch.
#[derive(Debug, Clone, Copy)]
pub struct CursorAdvance {
    pub folder_id: i64,
    pub uidvalidity: i64,
    pub last_uid: i64,
}

/// A stored message's row, for export and checks.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StoredMessage {
    pub id: i64,
    pub account_id: i64,
    pub blob_hash: String,
    pub size: i64,
    pub direction: String,
    pub folder_role: String,
    pub message_id: String,
    pub subject: String,
    pub from_addr: String,
    pub sent_at: Option<i64>,
    pub received_at: i64,
    pub thread_id: Option<i64>,
    pub parse_ok: bool,
    pub parse_error: String,
    pub seen: bool,
    pub is_bounce: bool,
    pub bounce_of: Option<i64>,
    pub has_attachments: bool,
}

pub(crate) async fn insert_blob(
    tx: &mut Transaction<'static, Any>,
    hash: &str,
    size: i64,
    data: Option<&[u8]>,
    t: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO blobs (hash, size, data, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (hash) DO UPDATE SET created_at = excluded.created_at",
    )
    .bind(hash)
    .bind(size)
    .bind(data.map(<[u8]>::to_vec))
    .bind(t)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Where a message sits on its account's IMAP server: (folder name, UIDVALIDITY, UID).
#[derive(Debug, Clone)]
pub struct ServerPlace {
    pub folder: String,
    pub uidvalidity: i64,
    pub uid: i64,
}

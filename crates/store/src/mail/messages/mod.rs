//! The message index (SPEC MAIL-1): one row per distinct message of an account (its
//! bytes live in the blob store under their hash), where it sits on the server, its
//! attachments, and its conversation. [`Store::ingest_batch`] is the one way messages
//! come in — sync, import and sending all use it — and it is idempotent: the same bytes
//! for the same account, or the same server UID, never make a second row.

use sqlx::{Any, Transaction};

use crate::db::now;
use crate::rows::{flag, int, opt_int, text};
use crate::{Result, Store};

/// Blobs up to this size are stored in the `blobs` table itself, in the transaction
/// that names them; bigger ones go to the blob store's files first. Creating one file
/// per small message was what limited ingest speed (inode allocation in the kernel).
pub const INLINE_MAX: usize = 128 * 1024;

/// How long after a conversation's last message a reply-prefixed subject alone may
/// still join it.
const SUBJECT_THREAD_WINDOW: i64 = 60 * 24 * 3600;

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

impl Store {
    /// Stores a batch in one transaction (with the folder cursor, when given), and says
    /// for each item whether it was new.
    pub async fn ingest_batch(
        &self,
        items: &[IngestItem],
        cursor: Option<CursorAdvance>,
    ) -> Result<Vec<Ingested>> {
        let mut tx = self.begin().await?;
        let mut out = Vec::with_capacity(items.len());
        let mut check = false;
        for item in items {
            let result = ingest_one(&mut tx, item).await?;
            if let Ingested::New(id) = result {
                check |= crate::mail::authentication::queue(&mut tx, id, item.message.auth_check)
                    .await?;
            }
            out.push(result);
        }
        if check {
            crate::mail::authentication::wake_job(&mut tx).await?;
        }
        if let Some(c) = cursor {
            sqlx::query(
                "UPDATE mail_folders SET last_uid = $1, updated_at = $2 \
                 WHERE id = $3 AND uidvalidity = $4 AND last_uid < $1",
            )
            .bind(c.last_uid)
            .bind(now())
            .bind(c.folder_id)
            .bind(c.uidvalidity)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Every stored message of an account, oldest first.
    pub async fn account_messages(&self, account_id: i64) -> Result<Vec<StoredMessage>> {
        let rows = sqlx::query(
            "SELECT id, account_id, blob_hash, size, direction, folder_role, message_id, subject, from_addr, \
             sent_at, received_at, thread_id, parse_ok, parse_error, seen, is_bounce, bounce_of, has_attachments \
             FROM messages WHERE account_id = $1 ORDER BY received_at, id",
        )
        .bind(account_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| {
                Ok(StoredMessage {
                    id: int(r, "id")?,
                    account_id: int(r, "account_id")?,
                    blob_hash: text(r, "blob_hash")?,
                    size: int(r, "size")?,
                    direction: text(r, "direction")?,
                    folder_role: text(r, "folder_role")?,
                    message_id: text(r, "message_id")?,
                    subject: text(r, "subject")?,
                    from_addr: text(r, "from_addr")?,
                    sent_at: opt_int(r, "sent_at")?,
                    received_at: int(r, "received_at")?,
                    thread_id: opt_int(r, "thread_id")?,
                    parse_ok: flag(r, "parse_ok")?,
                    parse_error: text(r, "parse_error")?,
                    seen: flag(r, "seen")?,
                    is_bounce: flag(r, "is_bounce")?,
                    bounce_of: opt_int(r, "bounce_of")?,
                    has_attachments: flag(r, "has_attachments")?,
                })
            })
            .collect::<sqlx::Result<_>>()?)
    }

    /// (uid, blob hash) of every stored message of a folder under its current
    /// UIDVALIDITY, by UID.
    pub async fn folder_uids(&self, folder_id: i64) -> Result<Vec<(i64, String)>> {
        Ok(sqlx::query_as(
            "SELECT l.uid, m.blob_hash FROM message_locations l JOIN messages m ON m.id = l.message_id \
             JOIN mail_folders f ON f.id = l.folder_id \
             WHERE l.folder_id = $1 AND l.uidvalidity = f.uidvalidity ORDER BY l.uid",
        )
        .bind(folder_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The bytes of a blob kept in the database (None: it is in the blob store's files).
    pub async fn inline_blob(&self, hash: &str) -> Result<Option<Vec<u8>>> {
        let data: Option<Option<Vec<u8>>> =
            sqlx::query_scalar("SELECT data FROM blobs WHERE hash = $1")
                .bind(hash)
                .fetch_optional(&self.pool)
                .await?;
        Ok(data.flatten())
    }

    /// Sets the server flags of a stored location (CONDSTORE / flag sync).
    pub async fn update_location_flags(
        &self,
        folder_id: i64,
        uidvalidity: i64,
        uid: i64,
        flags: &str,
        modseq: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let message_id: Option<i64> = sqlx::query_scalar(
            "UPDATE message_locations SET flags = $1, modseq = $2 \
             WHERE folder_id = $3 AND uidvalidity = $4 AND uid = $5 RETURNING message_id",
        )
        .bind(flags)
        .bind(modseq)
        .bind(folder_id)
        .bind(uidvalidity)
        .bind(uid)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(id) = message_id {
            sqlx::query("UPDATE messages SET seen = $1, flagged = $2, answered = $3 WHERE id = $4")
                .bind(i64::from(flags.contains("\\Seen")))
                .bind(i64::from(flags.contains("\\Flagged")))
                .bind(i64::from(flags.contains("\\Answered")))
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

async fn ingest_one(tx: &mut Transaction<'static, Any>, item: &IngestItem) -> Result<Ingested> {
    let m = &item.message;
    let t = now();
    insert_blob(tx, &m.blob_hash, m.size, m.inline_data.as_deref(), t).await?;
    let existing: Option<i64> =
        sqlx::query_scalar("SELECT id FROM messages WHERE account_id = $1 AND blob_hash = $2")
            .bind(m.account_id)
            .bind(&m.blob_hash)
            .fetch_optional(&mut **tx)
            .await?;
    let result = match existing {
        Some(id) => Ingested::Existing(id),
        None => Ingested::New(insert_message(tx, m, t).await?),
    };
    let id = result.id();
    if let Some(loc) = &item.location {
        sqlx::query(
            "INSERT INTO message_locations (message_id, folder_id, uidvalidity, uid, flags) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (folder_id, uidvalidity, uid) DO NOTHING",
        )
        .bind(id)
        .bind(loc.folder_id)
        .bind(loc.uidvalidity)
        .bind(loc.uid)
        .bind(&loc.flags)
        .execute(&mut **tx)
        .await?;
        if m.folder_role.is_empty() {
            // A server folder without a role is a folder of one's own: list it there
            // (and, when it is new, only there).
            sqlx::query(
                "INSERT INTO message_folder_links (message_id, folder_id, linked_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (message_id, folder_id) DO NOTHING",
            )
            .bind(id)
            .bind(loc.folder_id)
            .bind(t)
            .execute(&mut **tx)
            .await?;
            if matches!(result, Ingested::New(_)) {
                sqlx::query("UPDATE messages SET filed = 1 WHERE id = $1")
                    .bind(id)
                    .execute(&mut **tx)
                    .await?;
            }
        }
    }
    if let Some(uidl) = &item.pop3_uidl {
        sqlx::query(
            "INSERT INTO pop3_uidls (account_id, uidl, message_id, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (account_id, uidl) DO NOTHING",
        )
        .bind(m.account_id)
        .bind(uidl)
        .bind(id)
        .bind(t)
        .execute(&mut **tx)
        .await?;
    }
    Ok(result)
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

async fn insert_message(tx: &mut Transaction<'static, Any>, m: &NewMessage, t: i64) -> Result<i64> {
    let when = m.sent_at.unwrap_or(m.received_at);
    let thread_id = find_thread(tx, m, when).await?;
    let thread_id = match thread_id {
        Some(id) => {
            sqlx::query(
                "UPDATE mail_threads SET message_count = message_count + 1, \
                 last_at = CASE WHEN last_at < $1 THEN $1 ELSE last_at END WHERE id = $2",
            )
            .bind(when)
            .bind(id)
            .execute(&mut **tx)
            .await?;
            id
        }
        None => {
            sqlx::query_scalar(
                "INSERT INTO mail_threads (account_id, subject_key, last_at, message_count) VALUES ($1, $2, $3, 1) RETURNING id",
            )
            .bind(m.account_id)
            .bind(&m.subject_key)
            .bind(when)
            .fetch_one(&mut **tx)
            .await?
        }
    };
    let bounce_of: Option<i64> = match &m.bounce {
        Some((Some(original), _)) => {
            sqlx::query_scalar(
                "SELECT id FROM messages WHERE account_id = $1 AND message_id = $2 AND direction = 'out' ORDER BY id LIMIT 1",
            )
            .bind(m.account_id)
            .bind(original)
            .fetch_optional(&mut **tx)
            .await?
        }
        _ => None,
    };
    // An inbound message whose reply is stored already (Sent synced first) is answered.
    let replied_at: Option<i64> = if m.direction == "in" && !m.message_id.is_empty() {
        sqlx::query_scalar(
            "SELECT MIN(COALESCE(o.sent_at, o.received_at)) FROM message_refs r JOIN messages o ON o.id = r.message_id \
             WHERE r.account_id = $1 AND r.ref_id = $2 AND o.direction = 'out'",
        )
        .bind(m.account_id)
        .bind(&m.message_id)
        .fetch_one(&mut **tx)
        .await?
    } else {
        None
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO messages (account_id, blob_hash, size, direction, folder_role, message_id, in_reply_to, subject, \
         from_name, from_addr, to_addrs, cc_addrs, sent_at, received_at, snippet, body_text, has_attachments, thread_id, \
         parse_ok, parse_error, seen, is_bounce, bounce_of, bounce_info, source, created_at, replied_at, defect) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25,$26,$27,$28) RETURNING id",
    )
    .bind(m.account_id)
    .bind(&m.blob_hash)
    .bind(m.size)
    .bind(&m.direction)
    .bind(&m.folder_role)
    .bind(&m.message_id)
    .bind(&m.in_reply_to)
    .bind(&m.subject)
    .bind(&m.from_name)
    .bind(&m.from_addr)
    .bind(&m.to_json)
    .bind(&m.cc_json)
    .bind(m.sent_at)
    .bind(m.received_at)
    .bind(&m.snippet)
    .bind(&m.body_text)
    .bind(i64::from(m.attachments.iter().any(|a| !a.inline)))
    .bind(thread_id)
    .bind(i64::from(m.parse_error.is_none()))
    .bind(m.parse_error.as_deref().unwrap_or(""))
    .bind(i64::from(m.seen))
    .bind(i64::from(m.bounce.is_some()))
    .bind(bounce_of)
    .bind(m.bounce.as_ref().map(|b| b.1.as_str()).unwrap_or(""))
    .bind(&m.source)
    .bind(t)
    .bind(replied_at)
    .bind(&m.defect)
    .fetch_one(&mut **tx)
    .await?;
    crate::mail::links::write_addresses(tx, id, &m.from_addr, &m.to_json, &m.cc_json).await?;
    // Internal: written from one of the company's own (non free-mail) domains.
    let internal = match wharf_core::mail::link::domain_of(&m.from_addr) {
        Some(domain) if m.direction == "in" => {
            let own: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM mail_accounts WHERE LOWER(address) LIKE $1",
            )
            .bind(format!("%@{}", domain.replace(['%', '_', '\\'], "")))
            .fetch_one(&mut **tx)
            .await?;
            own > 0 && {
                let stored: Option<String> = sqlx::query_scalar(
                    "SELECT value FROM settings WHERE key = 'free_mail_domains'",
                )
                .fetch_optional(&mut **tx)
                .await?;
                let free = wharf_core::mail::link::parse_domain_list(
                    &stored.unwrap_or_else(|| wharf_core::mail::link::FREE_MAIL_DEFAULT.join("\n")),
                );
                !free.contains(&domain)
            }
        }
        _ => false,
    };
    if internal || m.automated {
        sqlx::query("UPDATE messages SET internal = $1, automated = $2 WHERE id = $3")
            .bind(i64::from(internal))
            .bind(i64::from(m.automated))
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    let mut refs: Vec<&str> = m.references.iter().map(String::as_str).collect();
    if !m.in_reply_to.is_empty() && !refs.contains(&m.in_reply_to.as_str()) {
        refs.push(&m.in_reply_to);
    }
    for r in refs {
        sqlx::query(
            "INSERT INTO message_refs (account_id, ref_id, message_id) VALUES ($1, $2, $3)",
        )
        .bind(m.account_id)
        .bind(r)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    }
    if m.direction == "out" {
        // A reply (sent from Wharf or found in the synced Sent folder) takes what it
        // answers off the Pending list.
        let mut answered: Vec<&str> = m.references.iter().map(String::as_str).collect();
        if !m.in_reply_to.is_empty() {
            answered.push(&m.in_reply_to);
        }
        for r in answered.iter().rev().take(20) {
            sqlx::query(
                "UPDATE messages SET replied_at = $1 WHERE account_id = $2 AND message_id = $3 \
                 AND direction = 'in' AND replied_at IS NULL",
            )
            .bind(m.sent_at.unwrap_or(t))
            .bind(m.account_id)
            .bind(*r)
            .execute(&mut **tx)
            .await?;
        }
    }
    for a in &m.attachments {
        insert_blob(tx, &a.hash, a.size, a.inline_data.as_deref(), t).await?;
        sqlx::query(
            "INSERT INTO attachments (message_id, blob_hash, filename, content_type, content_id, is_inline, size) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(&a.hash)
        .bind(&a.filename)
        .bind(&a.content_type)
        .bind(&a.content_id)
        .bind(i64::from(a.inline))
        .bind(a.size)
        .execute(&mut **tx)
        .await?;
    }
    Ok(id)
}

/// The conversation a new message joins: its parent's (by In-Reply-To / References), a
/// stored reply's (the reply arrived first), or a recent one with the same subject when
/// the subject says it is a reply.
async fn find_thread(
    tx: &mut Transaction<'static, Any>,
    m: &NewMessage,
    when: i64,
) -> Result<Option<i64>> {
    let mut parents: Vec<&str> = Vec::new();
    if !m.in_reply_to.is_empty() {
        parents.push(&m.in_reply_to);
    }
    for r in m.references.iter().rev() {
        if !parents.contains(&r.as_str()) {
            parents.push(r);
        }
    }
    for parent in parents.iter().take(20) {
        let found: Option<Option<i64>> = sqlx::query_scalar(
            "SELECT thread_id FROM messages WHERE account_id = $1 AND message_id = $2 AND thread_id IS NOT NULL LIMIT 1",
        )
        .bind(m.account_id)
        .bind(*parent)
        .fetch_optional(&mut **tx)
        .await?;
        if let Some(Some(id)) = found {
            return Ok(Some(id));
        }
    }
    if !m.message_id.is_empty() {
        let found: Option<Option<i64>> = sqlx::query_scalar(
            "SELECT m.thread_id FROM message_refs r JOIN messages m ON m.id = r.message_id \
             WHERE r.account_id = $1 AND r.ref_id = $2 LIMIT 1",
        )
        .bind(m.account_id)
        .bind(&m.message_id)
        .fetch_optional(&mut **tx)
        .await?;
        if let Some(Some(id)) = found {
            return Ok(Some(id));
        }
    }
    if m.reply_subject && !m.subject_key.is_empty() {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM mail_threads WHERE account_id = $1 AND subject_key = $2 AND last_at >= $3 AND last_at <= $4 \
             ORDER BY last_at DESC LIMIT 1",
        )
        .bind(m.account_id)
        .bind(&m.subject_key)
        .bind(when - SUBJECT_THREAD_WINDOW)
        .bind(when + SUBJECT_THREAD_WINDOW)
        .fetch_optional(&mut **tx)
        .await?;
        return Ok(found);
    }
    Ok(None)
}

/// Where a message sits on its account's IMAP server: (folder name, UIDVALIDITY, UID).
#[derive(Debug, Clone)]
pub struct ServerPlace {
    pub folder: String,
    pub uidvalidity: i64,
    pub uid: i64,
}

impl Store {
    /// The message's places on the server (under each folder's current UIDVALIDITY) and
    /// its current read / star state.
    pub async fn server_places(
        &self,
        message_id: i64,
    ) -> Result<(Vec<ServerPlace>, bool, bool, i64)> {
        let places: Vec<(String, i64, i64)> = sqlx::query_as(
            "SELECT f.name, l.uidvalidity, l.uid FROM message_locations l JOIN mail_folders f ON f.id = l.folder_id \
             WHERE l.message_id = $1 AND l.uidvalidity = f.uidvalidity",
        )
        .bind(message_id)
        .fetch_all(&self.pool)
        .await?;
        let (seen, flagged, account): (i64, i64, i64) =
            sqlx::query_as("SELECT seen, flagged, account_id FROM messages WHERE id = $1")
                .bind(message_id)
                .fetch_one(&self.pool)
                .await?;
        Ok((
            places
                .into_iter()
                .map(|(folder, uidvalidity, uid)| ServerPlace {
                    folder,
                    uidvalidity,
                    uid,
                })
                .collect(),
            seen != 0,
            flagged != 0,
            account,
        ))
    }
}

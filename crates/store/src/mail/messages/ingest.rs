//! Ingest: a batch of new messages into the index in one transaction — the blob row,
//! the message with its addresses and attachments, where it sits on the server, and the
//! conversation it joins — idempotent for the same bytes or the same server UID.

use sqlx::{Any, Transaction};

use crate::db::now;
use crate::{Result, Store};

use super::{CursorAdvance, IngestItem, Ingested, NewMessage, insert_blob};

/// How long after a conversation's last message a reply-prefixed subject alone may
/// still join it.
const SUBJECT_THREAD_WINDOW: i64 = 60 * 24 * 3600;

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
    if m.auto_reply && m.direction == "in" {
        sqlx::query("UPDATE messages SET pending_dismissed = 1 WHERE id = $1")
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
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

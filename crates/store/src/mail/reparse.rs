//! Re-parsing stored messages from their original bytes (issue 15): the messages to go
//! through, in id order and batches, and replacing one message's parsed fields and
//! attachment rows when the parser now reads them differently. The original bytes and
//! everything not taken from them (folder, thread, flags, links) stay as they are.

use serde_json::json;

use crate::audit::{self, Entry};
use crate::db::now;
use crate::mail::messages::{NewAttachment, insert_blob};
use crate::rows::{flag, int, text};
use crate::{Result, Store};

/// What the parser reads from a stored message now.
#[derive(Debug, Clone, Default)]
pub struct Reparsed {
    pub subject: String,
    pub from_name: String,
    pub to_json: String,
    pub cc_json: String,
    pub snippet: String,
    pub body_text: String,
    pub parse_error: Option<String>,
    /// The attachments; big ones already in the blob store.
    pub attachments: Vec<NewAttachment>,
}

type AttachmentKey = (String, String, String, String, bool, i64);

fn key(a: &NewAttachment) -> AttachmentKey {
    (
        a.hash.clone(),
        a.filename.clone(),
        a.content_type.clone(),
        a.content_id.clone(),
        a.inline,
        a.size,
    )
}

impl Store {
    /// The next `limit` messages after id `after` (all accounts, or one): id and blob hash.
    pub async fn reparse_batch(
        &self,
        account: Option<i64>,
        after: i64,
        limit: i64,
    ) -> Result<Vec<(i64, String)>> {
        let rows = sqlx::query(
            "SELECT id, blob_hash FROM messages WHERE id > $1 AND ($2 = 0 OR account_id = $2) \
             ORDER BY id LIMIT $3",
        )
        .bind(after)
        .bind(account.unwrap_or(0))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((int(r, "id")?, text(r, "blob_hash")?)))
            .collect::<sqlx::Result<Vec<_>>>()
            .map_err(Into::into)
    }

    /// Replaces message `id`'s parsed fields and attachment rows with `r` when they
    /// differ; says whether anything changed. Running it again with the same reading
    /// changes nothing.
    pub async fn apply_reparse(&self, id: i64, r: &Reparsed) -> Result<bool> {
        let mut tx = self.begin().await?;
        let Some(row) = sqlx::query(
            "SELECT subject, from_name, to_addrs, cc_addrs, snippet, body_text, parse_ok, parse_error \
             FROM messages WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(false);
        };
        let old_rows = sqlx::query(
            "SELECT blob_hash, filename, content_type, content_id, is_inline, size FROM attachments \
             WHERE message_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        let old: Vec<AttachmentKey> = old_rows
            .iter()
            .map(|a| {
                Ok((
                    text(a, "blob_hash")?,
                    text(a, "filename")?,
                    text(a, "content_type")?,
                    text(a, "content_id")?,
                    flag(a, "is_inline")?,
                    int(a, "size")?,
                ))
            })
            .collect::<sqlx::Result<_>>()?;
        let new: Vec<AttachmentKey> = r.attachments.iter().map(key).collect();
        let parse_error = r.parse_error.clone().unwrap_or_default();
        let fields_same = text(&row, "subject")? == r.subject
            && text(&row, "from_name")? == r.from_name
            && text(&row, "to_addrs")? == r.to_json
            && text(&row, "cc_addrs")? == r.cc_json
            && text(&row, "snippet")? == r.snippet
            && text(&row, "body_text")? == r.body_text
            && flag(&row, "parse_ok")? == r.parse_error.is_none()
            && text(&row, "parse_error")? == parse_error;
        if fields_same && old == new {
            return Ok(false);
        }
        sqlx::query(
            "UPDATE messages SET subject = $1, from_name = $2, to_addrs = $3, cc_addrs = $4, snippet = $5, \
             body_text = $6, parse_ok = $7, parse_error = $8, has_attachments = $9 WHERE id = $10",
        )
        .bind(&r.subject)
        .bind(&r.from_name)
        .bind(&r.to_json)
        .bind(&r.cc_json)
        .bind(&r.snippet)
        .bind(&r.body_text)
        .bind(i64::from(r.parse_error.is_none()))
        .bind(&parse_error)
        .bind(i64::from(r.attachments.iter().any(|a| !a.inline)))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if old != new {
            let t = now();
            sqlx::query("DELETE FROM attachments WHERE message_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            for a in &r.attachments {
                insert_blob(&mut tx, &a.hash, a.size, a.inline_data.as_deref(), t).await?;
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
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Records a finished re-parse run in the audit log (from the command line).
    pub async fn record_reparse_run(
        &self,
        account: Option<i64>,
        checked: u64,
        changed: u64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let summary = format!("{changed} of {checked} messages re-parsed");
        audit::write(
            &mut tx,
            None,
            "cli",
            "",
            Entry {
                action: "mail.reparse",
                entity: "mail_account",
                entity_id: account,
                summary: &summary,
                details: json!({"checked": checked, "changed": changed, "via": "command line"}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

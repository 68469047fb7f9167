//! The documents of changed messages as the index holds them: headers, body text,
//! attachment names, addresses and tags, read in batches.

use std::collections::HashMap;

use super::{DOC_BATCH, with_ids};
use crate::rows::{flag, int, opt_int, placeholders, text};
use crate::{Result, Store};

/// A message as the index holds it.
#[derive(Debug, Clone, Default)]
pub struct MailDoc {
    pub id: i64,
    pub account_id: i64,
    pub direction: String,
    pub subject: String,
    pub from_name: String,
    pub from_addr: String,
    pub to_json: String,
    pub cc_json: String,
    pub body_text: String,
    pub received_at: i64,
    pub has_attachments: bool,
    pub mail_type_id: Option<i64>,
    pub deleted: bool,
    pub attachment_names: Vec<String>,
    /// Every address the message names (from, to, cc, an inquiry's buyer), normalised.
    pub addresses: Vec<String>,
    /// Its tags (`mail_tags` ids).
    pub tags: Vec<i64>,
}

impl Store {
    /// The documents of these messages (missing ids were deleted).
    pub async fn mail_docs(&self, ids: &[i64]) -> Result<Vec<MailDoc>> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(DOC_BATCH) {
            let cond = format!("m.id IN ({})", placeholders(1, chunk.len()));
            out.extend(self.mail_docs_where(&cond, chunk).await?);
        }
        Ok(out)
    }

    /// The message documents of the next `limit` ids above `after`, by id, and the last
    /// id of that page (`None`: no more), for a rebuild. The page goes on past ids whose
    /// message was deleted in between, however many.
    pub async fn mail_docs_page(
        &self,
        after: i64,
        limit: i64,
    ) -> Result<(Vec<MailDoc>, Option<i64>)> {
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM messages WHERE id > $1 ORDER BY id LIMIT $2")
                .bind(after)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
        Ok((self.mail_docs(&ids).await?, ids.last().copied()))
    }

    async fn mail_docs_where(&self, cond: &str, ids: &[i64]) -> Result<Vec<MailDoc>> {
        let sql = format!(
            "SELECT m.id, m.account_id, m.direction, m.subject, m.from_name, m.from_addr, m.to_addrs, m.cc_addrs, \
             m.body_text, m.received_at, m.has_attachments, m.mail_type_id, m.deleted_at \
             FROM messages m WHERE {cond} ORDER BY m.id"
        );
        let mut docs = Vec::new();
        for r in with_ids(sql, ids).fetch_all(&self.pool).await? {
            docs.push(MailDoc {
                id: int(&r, "id")?,
                account_id: int(&r, "account_id")?,
                direction: text(&r, "direction")?,
                subject: text(&r, "subject")?,
                from_name: text(&r, "from_name")?,
                from_addr: text(&r, "from_addr")?,
                to_json: text(&r, "to_addrs")?,
                cc_json: text(&r, "cc_addrs")?,
                body_text: text(&r, "body_text")?,
                received_at: int(&r, "received_at")?,
                has_attachments: flag(&r, "has_attachments")?,
                mail_type_id: opt_int(&r, "mail_type_id")?,
                deleted: opt_int(&r, "deleted_at")?.is_some(),
                ..MailDoc::default()
            });
        }
        if docs.is_empty() {
            return Ok(docs);
        }
        let list = placeholders(1, ids.len());
        let names: Vec<(i64, String)> = with_ids(
            format!(
                "SELECT message_id, filename FROM attachments WHERE message_id IN ({list}) AND filename <> ''"
            ),
            ids,
        )
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| Ok((int(r, "message_id")?, text(r, "filename")?)))
        .collect::<sqlx::Result<_>>()?;
        let addresses: Vec<(i64, String)> = with_ids(
            format!(
                "SELECT message_id, address FROM message_addresses WHERE message_id IN ({list})"
            ),
            ids,
        )
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| Ok((int(r, "message_id")?, text(r, "address")?)))
        .collect::<sqlx::Result<_>>()?;
        let tags: Vec<(i64, i64)> = with_ids(
            format!("SELECT message_id, tag_id FROM message_tags WHERE message_id IN ({list})"),
            ids,
        )
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| Ok((int(r, "message_id")?, int(r, "tag_id")?)))
        .collect::<sqlx::Result<_>>()?;
        let index: HashMap<i64, usize> = docs.iter().enumerate().map(|(i, d)| (d.id, i)).collect();
        let position = |id: i64| index.get(&id).copied();
        for (id, name) in names {
            if let Some(i) = position(id) {
                docs[i].attachment_names.push(name);
            }
        }
        for (id, address) in addresses {
            if let Some(i) = position(id)
                && !docs[i].addresses.contains(&address)
            {
                docs[i].addresses.push(address);
            }
        }
        for (id, tag) in tags {
            if let Some(i) = position(id) {
                docs[i].tags.push(tag);
            }
        }
        Ok(docs)
    }
}

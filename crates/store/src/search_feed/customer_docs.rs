//! The documents of changed customers as the index holds them: their fields, owners,
//! contacts and custom field values, read in batches.

use std::collections::HashMap;

use wharf_core::customers::CUSTOMER_FIELDS;
use wharf_core::fields::Storage;

use super::{DOC_BATCH, with_ids};
use crate::rows::{int, placeholders, text};
use crate::{Result, Store};

/// A customer with its contacts, as the index holds it.
#[derive(Debug, Clone, Default)]
pub struct CustomerDoc {
    pub id: i64,
    pub name: String,
    pub short_name: String,
    pub website: String,
    pub email: String,
    pub phones: String,
    /// The registry's indexed fields (keywords, city, address, products, profile, tags).
    pub notes: Vec<String>,
    /// The values of the admin's custom fields (text, choices, numbers, dates).
    pub field_values: Vec<String>,
    pub shared: bool,
    pub owners: Vec<i64>,
    pub updated_at: i64,
    pub contacts: Vec<ContactDoc>,
}

#[derive(Debug, Clone, Default)]
pub struct ContactDoc {
    pub name: String,
    pub title: String,
    pub emails: String,
    pub phones: String,
    /// WhatsApp, WeChat, Skype, QQ, LinkedIn.
    pub handles: String,
    pub notes: String,
}

impl Store {
    /// The documents of these customers (missing ids were deleted).
    pub async fn customer_docs(&self, ids: &[i64]) -> Result<Vec<CustomerDoc>> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(DOC_BATCH) {
            out.extend(self.customer_docs_chunk(chunk).await?);
        }
        Ok(out)
    }

    /// The customer documents of the next `limit` ids above `after`, and the last id of
    /// that page (`None`: no more), as `mail_docs_page`.
    pub async fn customer_docs_page(
        &self,
        after: i64,
        limit: i64,
    ) -> Result<(Vec<CustomerDoc>, Option<i64>)> {
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM customers WHERE id > $1 ORDER BY id LIMIT $2")
                .bind(after)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
        Ok((self.customer_docs(&ids).await?, ids.last().copied()))
    }

    async fn customer_docs_chunk(&self, ids: &[i64]) -> Result<Vec<CustomerDoc>> {
        let list = placeholders(1, ids.len());
        let rows = with_ids(
            format!(
                "SELECT id, name, short_name, website, email, phones, {}, sharing, updated_at \
                 FROM customers WHERE id IN ({list}) ORDER BY id",
                indexed_columns().collect::<Vec<_>>().join(", ")
            ),
            ids,
        )
        .fetch_all(&self.pool)
        .await?;
        let mut docs = Vec::with_capacity(rows.len());
        for r in &rows {
            docs.push(CustomerDoc {
                id: int(r, "id")?,
                name: text(r, "name")?,
                short_name: text(r, "short_name")?,
                website: text(r, "website")?,
                email: text(r, "email")?,
                phones: text(r, "phones")?,
                notes: indexed_columns()
                    .map(|c| text(r, c))
                    .collect::<sqlx::Result<_>>()?,
                shared: text(r, "sharing")? == "shared",
                updated_at: int(r, "updated_at")?,
                ..CustomerDoc::default()
            });
        }
        if docs.is_empty() {
            return Ok(docs);
        }
        let owners = with_ids(
            format!(
                "SELECT customer_id, user_id FROM customer_owners WHERE customer_id IN ({list})"
            ),
            ids,
        )
        .fetch_all(&self.pool)
        .await?;
        let contacts = with_ids(
            format!(
                "SELECT customer_id, name, title, emails, phones, whatsapp, wechat, skype, qq, linkedin, notes \
                 FROM contacts WHERE customer_id IN ({list}) ORDER BY is_primary DESC, id"
            ),
            ids,
        )
        .fetch_all(&self.pool)
        .await?;
        let index: HashMap<i64, usize> = docs.iter().enumerate().map(|(i, d)| (d.id, i)).collect();
        let position = |id: i64| index.get(&id).copied();
        for r in &owners {
            if let Some(i) = position(int(r, "customer_id")?) {
                docs[i].owners.push(int(r, "user_id")?);
            }
        }
        for r in &contacts {
            if let Some(i) = position(int(r, "customer_id")?) {
                let handles = ["whatsapp", "wechat", "skype", "qq", "linkedin"]
                    .iter()
                    .map(|c| text(r, c))
                    .collect::<sqlx::Result<Vec<_>>>()?
                    .join(" ");
                docs[i].contacts.push(ContactDoc {
                    name: text(r, "name")?,
                    title: text(r, "title")?,
                    emails: text(r, "emails")?,
                    phones: text(r, "phones")?,
                    handles,
                    notes: text(r, "notes")?,
                });
            }
        }
        let values = with_ids(
            format!(
                "SELECT customer_id, value FROM customer_field_values WHERE customer_id IN ({list}) \
                 ORDER BY customer_id, field_id"
            ),
            ids,
        )
        .fetch_all(&self.pool)
        .await?;
        for r in &values {
            if let Some(i) = position(int(r, "customer_id")?) {
                docs[i].field_values.push(text(r, "value")?);
            }
        }
        Ok(docs)
    }
}

/// The customers' columns that go into the index's notes and a hit's text: the
/// registry's indexed text fields.
pub(super) fn indexed_columns() -> impl Iterator<Item = &'static str> {
    CUSTOMER_FIELDS
        .fields
        .iter()
        .filter(|f| f.indexed && f.kind.storage() == Storage::Text)
        .map(|f| f.key)
}

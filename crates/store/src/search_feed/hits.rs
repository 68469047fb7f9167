//! The rows of what the index found, in its order, each checked against the access
//! policy once more in SQL (an index a step behind never shows what one may not see).

use std::collections::HashMap;

use wharf_core::policy::MessageScope;
use wharf_core::{Actor, Permission};

use super::customer_docs::indexed_columns;
use super::with_ids;
use crate::access::mail::message_condition;
use crate::customers::visible_condition;
use crate::rows::{flag, int, opt_int, placeholders, text};
use crate::{Result, Store};

/// A message found, with what the result list shows.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MailHit {
    pub id: i64,
    pub account_id: i64,
    pub account: String,
    pub direction: String,
    /// `inbox`, `sent`, … (`` for a folder without a role).
    pub folder_role: String,
    pub subject: String,
    pub from_name: String,
    pub from_addr: String,
    pub received_at: i64,
    pub has_attachments: bool,
    pub deleted: bool,
    /// Readable only because it was handed to the actor.
    pub handed_only: bool,
    #[serde(skip)]
    pub body_text: String,
}

/// A customer found.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CustomerHit {
    pub id: i64,
    pub name: String,
    pub stage: String,
    pub shared: bool,
    pub owners: Vec<String>,
    pub contacts: Vec<String>,
    /// The customer's searchable text beyond its name, for the snippet.
    #[serde(skip)]
    pub text: String,
}

impl Store {
    /// The rows of messages the index found, in the order given, each checked again
    /// against the actor's access; one the actor may not read is left out.
    pub async fn mail_hits(&self, actor: &Actor, ids: &[i64]) -> Result<Vec<MailHit>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        // The readable accounts tell a hand-over apart; the SQL condition decides.
        let scope_accounts = self.readable_account_ids(actor).await?;
        let (readable, values) = message_condition(&MessageScope::of(actor), ids.len() + 1);
        let mut q = with_ids(
            format!(
                "SELECT m.id, m.account_id, a.address AS account, m.direction, m.folder_role, m.subject, m.from_name, m.from_addr, \
                 m.received_at, m.has_attachments, m.deleted_at, m.body_text \
                 FROM messages m JOIN mail_accounts a ON a.id = m.account_id WHERE m.id IN ({}) AND {readable} \
                 AND m.received_at >= COALESCE(a.show_since, 0)",
                placeholders(1, ids.len())
            ),
            ids,
        );
        for v in values {
            q = q.bind(v);
        }
        let rows = q.fetch_all(&self.pool).await?;
        let mut hits = Vec::with_capacity(rows.len());
        for r in &rows {
            let account_id = int(r, "account_id")?;
            let handed_only = !scope_accounts.contains(&account_id);
            hits.push(MailHit {
                id: int(r, "id")?,
                account_id,
                account: text(r, "account")?,
                direction: text(r, "direction")?,
                folder_role: text(r, "folder_role")?,
                subject: text(r, "subject")?,
                from_name: text(r, "from_name")?,
                from_addr: text(r, "from_addr")?,
                received_at: int(r, "received_at")?,
                has_attachments: flag(r, "has_attachments")?,
                deleted: opt_int(r, "deleted_at")?.is_some(),
                handed_only,
                body_text: text(r, "body_text")?,
            });
        }
        hits.sort_by_key(|h| ids.iter().position(|i| *i == h.id));
        Ok(hits)
    }

    /// The rows of customers the index found, in the order given, each checked again
    /// against who may see it.
    pub async fn customer_hits(&self, actor: &Actor, ids: &[i64]) -> Result<Vec<CustomerHit>> {
        if ids.is_empty() || actor.require(Permission::Customers).is_err() {
            return Ok(Vec::new());
        }
        let (visible, values) = visible_condition(actor, ids.len() + 1);
        let mut q = with_ids(
            format!(
                "SELECT c.id, c.name, c.stage, c.sharing, c.short_name, c.website, c.email, c.phones, {} \
                 FROM customers c WHERE c.id IN ({}) AND {visible}",
                indexed_columns()
                    .map(|c| format!("c.{c}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                placeholders(1, ids.len())
            ),
            ids,
        );
        for v in values {
            q = q.bind(v);
        }
        let rows = q.fetch_all(&self.pool).await?;
        // Owners and contacts of the page's customers, two statements in all.
        let list = placeholders(1, ids.len());
        let q = with_ids(
            format!(
                "SELECT o.customer_id, u.name FROM customer_owners o JOIN users u ON u.id = o.user_id \
                 WHERE o.customer_id IN ({list}) ORDER BY u.name"
            ),
            ids,
        );
        let mut owners_of: HashMap<i64, Vec<String>> = HashMap::new();
        for r in q.fetch_all(&self.pool).await? {
            owners_of
                .entry(int(&r, "customer_id")?)
                .or_default()
                .push(text(&r, "name")?);
        }
        let q = with_ids(
            format!(
                "SELECT customer_id, name, title, emails, phones FROM contacts \
                 WHERE customer_id IN ({list}) ORDER BY is_primary DESC, id"
            ),
            ids,
        );
        let mut contacts_of: HashMap<i64, Vec<(String, String, String, String)>> = HashMap::new();
        for r in q.fetch_all(&self.pool).await? {
            let list = contacts_of.entry(int(&r, "customer_id")?).or_default();
            if list.len() < 20 {
                list.push((
                    text(&r, "name")?,
                    text(&r, "title")?,
                    text(&r, "emails")?,
                    text(&r, "phones")?,
                ));
            }
        }
        // Custom field values, labelled, so that a snippet says which field matched.
        let q = with_ids(
            format!(
                "SELECT v.customer_id, f.label, v.value FROM customer_field_values v \
                 JOIN customer_fields f ON f.id = v.field_id \
                 WHERE v.customer_id IN ({list}) ORDER BY f.position, f.id"
            ),
            ids,
        );
        let mut fields_of: HashMap<i64, Vec<String>> = HashMap::new();
        for r in q.fetch_all(&self.pool).await? {
            fields_of
                .entry(int(&r, "customer_id")?)
                .or_default()
                .push(format!("{}: {}", text(&r, "label")?, text(&r, "value")?));
        }
        let mut hits = Vec::with_capacity(rows.len());
        for r in &rows {
            let id = int(r, "id")?;
            let owners = owners_of.remove(&id).unwrap_or_default();
            let contacts = contacts_of.remove(&id).unwrap_or_default();
            let mut text_parts: Vec<String> = ["short_name"]
                .into_iter()
                .chain(indexed_columns())
                .chain(["website", "email", "phones"])
                .map(|c| text(r, c))
                .collect::<sqlx::Result<Vec<_>>>()?;
            for (name, title, emails, phones) in &contacts {
                text_parts.push(format!("{name} {title} {emails} {phones}"));
            }
            text_parts.extend(fields_of.remove(&id).unwrap_or_default());
            text_parts.retain(|p| !p.trim().is_empty());
            hits.push(CustomerHit {
                id,
                name: text(r, "name")?,
                stage: text(r, "stage")?,
                shared: text(r, "sharing")? == "shared",
                owners,
                contacts: contacts.into_iter().map(|c| c.0).collect(),
                text: text_parts.join(" · "),
            });
        }
        hits.sort_by_key(|h| ids.iter().position(|i| *i == h.id));
        Ok(hits)
    }
}

//! What the search index reads from the database (FIND-1): the change log the triggers of
//! migration 0008 write, the documents of changed messages and customers, the actor's
//! scope as plain id lists for the index's filters, and the result rows, checked against
//! the access policy once more.

use std::collections::HashMap;

use sqlx::any::AnyRow;
use wharf_core::customer::name_key;
use wharf_core::policy::OwnerFilter;
use wharf_core::{Actor, Permission};

use crate::customers::visible_condition;
use crate::mail_links::LinkRules;
use crate::rows::{flag, int, opt_int, placeholders, text};
use crate::{Result, Store};

/// One row of `search_changes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub seq: i64,
    pub kind: EntityKind,
    pub entity_id: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntityKind {
    Message,
    Customer,
}

/// `search_state`: the rebuild generation and how far the log was pruned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchState {
    pub generation: i64,
    pub pruned_through: i64,
}

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

/// A customer with its contacts, as the index holds it.
#[derive(Debug, Clone, Default)]
pub struct CustomerDoc {
    pub id: i64,
    pub name: String,
    pub short_name: String,
    pub keywords: String,
    pub website: String,
    pub email: String,
    pub phones: String,
    pub address: String,
    pub city: String,
    pub main_products: String,
    pub profile: String,
    pub tags: String,
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

/// What an actor may find, as id lists the index filters on.
#[derive(Debug, Clone, Default)]
pub struct SearchScope {
    /// Mail: the accounts the actor may read (empty without mail access).
    pub accounts: Vec<i64>,
    /// Mail handed to the actor from accounts they cannot read otherwise.
    pub handed: Vec<i64>,
    /// Customers: `None` when the actor cannot search customers at all.
    pub customers: Option<CustomerScope>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomerScope {
    All,
    /// Shared-pool customers and those owned by one of these users.
    OwnedBy(Vec<i64>),
}

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

const DOC_BATCH: usize = 500;

/// A statement whose `$1…$n` are these ids, bound.
fn with_ids(
    sql: String,
    ids: &[i64],
) -> sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments> {
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for id in ids {
        q = q.bind(*id);
    }
    q
}

fn change(row: &AnyRow) -> sqlx::Result<Change> {
    Ok(Change {
        seq: int(row, "seq")?,
        kind: if text(row, "kind")? == "c" {
            EntityKind::Customer
        } else {
            EntityKind::Message
        },
        entity_id: int(row, "entity_id")?,
    })
}

impl Store {
    /// Log rows after `seq`, oldest first.
    pub async fn search_changes_after(&self, seq: i64, limit: i64) -> Result<Vec<Change>> {
        let rows = sqlx::query(
            "SELECT seq, kind, entity_id FROM search_changes WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(seq)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(change).collect::<sqlx::Result<_>>()?)
    }

    /// Log rows inside these inclusive ranges (gaps an unfinished transaction may
    /// fill), oldest first, at most `limit`.
    pub async fn search_changes_in(
        &self,
        ranges: &[(i64, i64)],
        limit: i64,
    ) -> Result<Vec<Change>> {
        let mut out = Vec::new();
        for chunk in ranges.chunks(50) {
            let cond = (0..chunk.len())
                .map(|i| format!("(seq BETWEEN ${} AND ${})", 2 * i + 1, 2 * i + 2))
                .collect::<Vec<_>>()
                .join(" OR ");
            let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT seq, kind, entity_id FROM search_changes WHERE {cond} ORDER BY seq LIMIT ${}",
                2 * chunk.len() + 1
            )));
            for (lo, hi) in chunk {
                q = q.bind(*lo).bind(*hi);
            }
            for row in q.bind(limit).fetch_all(&self.pool).await? {
                out.push(change(&row)?);
            }
            if out.len() as i64 >= limit {
                break;
            }
        }
        out.truncate(limit.max(0) as usize);
        Ok(out)
    }

    /// The database's clock and the start of its oldest running client transaction, in
    /// ms (PostgreSQL); SQLite (one writer at a time, no gaps) cannot tell.
    pub async fn search_clock(&self) -> Result<(i64, Option<i64>, bool)> {
        if self.backend() == crate::Backend::Postgres {
            let (now, oldest): (i64, Option<i64>) = sqlx::query_as(
                "SELECT (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT, \
                 (EXTRACT(EPOCH FROM MIN(xact_start)) * 1000)::BIGINT \
                 FROM pg_stat_activity WHERE datname = current_database() \
                 AND pid <> pg_backend_pid() AND backend_type = 'client backend'",
            )
            .fetch_one(&self.pool)
            .await?;
            return Ok((now, oldest, true));
        }
        Ok((crate::now() * 1000, None, false))
    }

    /// The newest log row's number, 0 for an empty log.
    pub async fn search_log_head(&self) -> Result<i64> {
        let head: Option<i64> = sqlx::query_scalar("SELECT MAX(seq) FROM search_changes")
            .fetch_one(&self.pool)
            .await?;
        Ok(head.unwrap_or(0))
    }

    /// The newest log row written before `at` (0 if none).
    pub async fn search_log_head_before(&self, at: i64) -> Result<i64> {
        let head: Option<i64> =
            sqlx::query_scalar("SELECT MAX(seq) FROM search_changes WHERE at < $1")
                .bind(at)
                .fetch_one(&self.pool)
                .await?;
        Ok(head.unwrap_or(0))
    }

    pub async fn search_state(&self) -> Result<SearchState> {
        let (generation, pruned_through): (i64, i64) =
            sqlx::query_as("SELECT generation, pruned_through FROM search_state WHERE id = 1")
                .fetch_one(&self.pool)
                .await?;
        Ok(SearchState {
            generation,
            pruned_through,
        })
    }

    /// Asks every node to rebuild its index; returns the new generation.
    pub async fn request_search_rebuild(&self) -> Result<i64> {
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE search_state SET generation = generation + 1 WHERE id = 1")
            .execute(&mut *tx)
            .await?;
        let generation: i64 =
            sqlx::query_scalar("SELECT generation FROM search_state WHERE id = 1")
                .fetch_one(&mut *tx)
                .await?;
        tx.commit().await?;
        Ok(generation)
    }

    /// Deletes log rows written before `at`; a node whose index is older rebuilds.
    pub async fn prune_search_changes(&self, before_at: i64) -> Result<u64> {
        let mut tx = self.begin().await?;
        let through: Option<i64> =
            sqlx::query_scalar("SELECT MAX(seq) FROM search_changes WHERE at < $1")
                .bind(before_at)
                .fetch_one(&mut *tx)
                .await?;
        let Some(through) = through else {
            return Ok(0);
        };
        let done = sqlx::query("DELETE FROM search_changes WHERE seq <= $1")
            .bind(through)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        sqlx::query(
            "UPDATE search_state SET pruned_through = $1 WHERE id = 1 AND pruned_through < $1",
        )
        .bind(through)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done)
    }

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
                "SELECT id, name, short_name, keywords, website, email, phones, address, city, main_products, \
                 profile, tags, sharing, updated_at FROM customers WHERE id IN ({list}) ORDER BY id"
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
                keywords: text(r, "keywords")?,
                website: text(r, "website")?,
                email: text(r, "email")?,
                phones: text(r, "phones")?,
                address: text(r, "address")?,
                city: text(r, "city")?,
                main_products: text(r, "main_products")?,
                profile: text(r, "profile")?,
                tags: text(r, "tags")?,
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

    /// What the actor may find, as id lists (the same rules as the mail and customer
    /// lists: readable accounts and hand-overs; customers by owner or the pool).
    pub async fn search_scope(&self, actor: &Actor) -> Result<SearchScope> {
        let accounts = self.readable_account_ids(actor).await?;
        let handed: Vec<i64> =
            sqlx::query_scalar("SELECT DISTINCT message_id FROM mail_handovers WHERE to_user = $1")
                .bind(actor.user_id)
                .fetch_all(&self.pool)
                .await?;
        let customers = if actor.require(Permission::Customers).is_err() {
            None
        } else {
            Some(match actor.owner_filter() {
                OwnerFilter::All => CustomerScope::All,
                OwnerFilter::OnlyUser(u) => CustomerScope::OwnedBy(vec![u]),
                OwnerFilter::UserOrDepartments {
                    user_id,
                    departments,
                } => {
                    let mut q = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                        "SELECT id FROM users WHERE department_id IN ({})",
                        placeholders(1, departments.len())
                    )));
                    for d in &departments {
                        q = q.bind(*d);
                    }
                    let mut users: Vec<i64> = q.fetch_all(&self.pool).await?;
                    users.push(user_id);
                    users.sort_unstable();
                    users.dedup();
                    CustomerScope::OwnedBy(users)
                }
            })
        };
        Ok(SearchScope {
            accounts,
            handed,
            customers,
        })
    }

    /// The addresses and company domains that link mail to a customer the actor may see
    /// (the same rules as the customer's mail list), for the `customer:` filter.
    pub async fn customer_link_keys(
        &self,
        actor: &Actor,
        customer_id: i64,
    ) -> Result<(Vec<String>, Vec<String>)> {
        self.get_customer(actor, customer_id).await?;
        let rules: LinkRules = self.link_rules().await?;
        let keys: Vec<(String, String)> = sqlx::query_as(
            "SELECT kind, value FROM customer_keys WHERE customer_id = $1 AND kind IN ('email', 'website', 'domain')",
        )
        .bind(customer_id)
        .fetch_all(&self.pool)
        .await?;
        let mut addresses = Vec::new();
        let mut domains = Vec::new();
        for (kind, value) in keys {
            if kind == "email" {
                addresses.push(value);
            } else if rules.match_domains && !rules.never.contains(&value) {
                domains.push(value);
            }
        }
        addresses.sort();
        addresses.dedup();
        domains.sort();
        domains.dedup();
        Ok((addresses, domains))
    }

    /// The rows of messages the index found, in the order given, each checked again
    /// against the actor's access; one the actor may not read is left out.
    pub async fn mail_hits(&self, actor: &Actor, ids: &[i64]) -> Result<Vec<MailHit>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let scope_accounts = self.readable_account_ids(actor).await?;
        let q = with_ids(
            format!(
                "SELECT m.id, m.account_id, a.address AS account, m.direction, m.folder_role, m.subject, m.from_name, m.from_addr, \
                 m.received_at, m.has_attachments, m.deleted_at, m.body_text, \
                 CASE WHEN EXISTS (SELECT 1 FROM mail_handovers h WHERE h.message_id = m.id AND h.to_user = ${}) THEN 1 ELSE 0 END AS handed \
                 FROM messages m JOIN mail_accounts a ON a.id = m.account_id WHERE m.id IN ({})",
                ids.len() + 1,
                placeholders(1, ids.len())
            ),
            ids,
        );
        let rows = q.bind(actor.user_id).fetch_all(&self.pool).await?;
        let mut hits = Vec::with_capacity(rows.len());
        for r in &rows {
            let account_id = int(r, "account_id")?;
            let handed_only = !scope_accounts.contains(&account_id);
            if handed_only && !flag(r, "handed")? {
                continue;
            }
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
                "SELECT c.id, c.name, c.stage, c.sharing, c.short_name, c.keywords, c.main_products, c.profile, \
                 c.tags, c.city, c.address, c.website, c.email, c.phones \
                 FROM customers c WHERE c.id IN ({}) AND {visible}",
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
            let mut text_parts: Vec<String> = [
                "short_name",
                "keywords",
                "main_products",
                "tags",
                "city",
                "address",
                "website",
                "email",
                "phones",
                "profile",
            ]
            .iter()
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

    /// A filter's name typed in the box, resolved: mail accounts the actor may read
    /// whose name or address matches.
    pub async fn search_account_ids(&self, actor: &Actor, name: &str) -> Result<Vec<i64>> {
        let readable = self.readable_account_ids(actor).await?;
        let rows: Vec<(i64, String, String)> =
            sqlx::query_as("SELECT id, display_name, address FROM mail_accounts")
                .fetch_all(&self.pool)
                .await?;
        let needle = name.to_lowercase();
        Ok(rows
            .into_iter()
            .filter(|(id, n, a)| {
                readable.contains(id)
                    && (n.to_lowercase() == needle
                        || a.to_lowercase() == needle
                        || a.to_lowercase().starts_with(&format!("{needle}@")))
            })
            .map(|(id, _, _)| id)
            .collect())
    }

    /// Users by username or name, ignoring case in any script (for `owner:`; SQLite's
    /// `lower` folds ASCII only, so the comparison is made here).
    pub async fn search_user_ids(&self, name: &str) -> Result<Vec<i64>> {
        let rows: Vec<(i64, String, String)> =
            sqlx::query_as("SELECT id, username, name FROM users")
                .fetch_all(&self.pool)
                .await?;
        let needle = name.trim().to_lowercase();
        Ok(rows
            .into_iter()
            .filter(|(_, username, name)| {
                username.to_lowercase() == needle || name.to_lowercase() == needle
            })
            .map(|(id, _, _)| id)
            .collect())
    }

    /// The mail accounts a user owns.
    pub async fn accounts_owned_by(&self, users: &[i64]) -> Result<Vec<i64>> {
        if users.is_empty() {
            return Ok(Vec::new());
        }
        let mut q = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT id FROM mail_accounts WHERE owner_id IN ({})",
            placeholders(1, users.len())
        )));
        for u in users {
            q = q.bind(*u);
        }
        Ok(q.fetch_all(&self.pool).await?)
    }

    /// Customers the actor may see with this name, for `customer:`: the full name as
    /// duplicates compare it (any case, punctuation and spaces aside), or the short name.
    pub async fn search_customer_ids(&self, actor: &Actor, name: &str) -> Result<Vec<i64>> {
        if actor.require(Permission::Customers).is_err() {
            return Ok(Vec::new());
        }
        let typed = name.trim();
        // A name of punctuation alone has no key; it must not match keyless names.
        let key = Some(name_key(name)).filter(|k| !k.is_empty());
        // Short names are compared here, in any script's case (SQLite's lower folds
        // ASCII only); their length narrows them in the database.
        let (visible, values) = visible_condition(actor, 3);
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT c.id, c.name_key, c.short_name FROM customers c \
             WHERE (c.name_key = $1 OR (c.short_name <> '' AND length(c.short_name) = $2)) AND {visible}"
        )))
        .bind(key.clone())
        .bind(typed.chars().count() as i64);
        for v in values {
            q = q.bind(v);
        }
        let rows: Vec<(i64, String, String)> = q.fetch_all(&self.pool).await?;
        let lower = typed.to_lowercase();
        Ok(rows
            .into_iter()
            .filter(|(_, k, short)| key.as_ref() == Some(k) || short.to_lowercase() == lower)
            .map(|(id, ..)| id)
            .collect())
    }

    /// Mail tags for `tag:` (tags are the company's, so there is no scope to check):
    /// the one with this id, if any, and those named as typed, ignoring case in any
    /// script and a leading `#` (shown before every tag's name).
    pub async fn search_tag_ids(&self, typed: &str, id: Option<i64>) -> Result<Vec<i64>> {
        let rows: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM mail_tags")
            .fetch_all(&self.pool)
            .await?;
        let raw = typed.trim().to_lowercase();
        let bare = raw.trim_start_matches('#').trim().to_string();
        Ok(rows
            .into_iter()
            .filter(|(tag, name)| {
                let name = name.to_lowercase();
                Some(*tag) == id || name == raw || name == bare
            })
            .map(|(tag, _)| tag)
            .collect())
    }

    /// Mail types (base data) by name in either language or code, ignoring case.
    pub async fn search_mail_type_ids(&self, name: &str) -> Result<Vec<i64>> {
        let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
            "SELECT id, name_zh, name_en, code FROM dict_items WHERE kind = 'mail_type'",
        )
        .fetch_all(&self.pool)
        .await?;
        let needle = name.trim().to_lowercase();
        Ok(rows
            .into_iter()
            .filter(|(_, zh, en, code)| {
                [zh, en, code]
                    .into_iter()
                    .any(|n| n.to_lowercase() == needle)
            })
            .map(|(id, ..)| id)
            .collect())
    }
}

impl Store {
    /// The log numbers present in `(from, to]`.
    pub async fn search_seqs_between(&self, from: i64, to: i64) -> Result<Vec<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT seq FROM search_changes WHERE seq > $1 AND seq <= $2 ORDER BY seq",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?)
    }
}

//! Mail and customers together (SPEC LINK-1, LINK-4, LINK-6, MAIL-4). A message's
//! addresses are kept in `message_addresses`; a customer's in `customer_keys` (e-mail
//! addresses, and the domains of its website and addresses). Links are found by joining
//! the two when asked, so an address added to a contact links its earlier mail at once
//! and nothing has to be recomputed. Company-domain matching (when on) never uses the
//! free-mail domains of the company settings nor the company's own domains.

use serde_json::Value;
use sqlx::{Any, Transaction};
use wharf_core::mail::link::{Party, address_key, domain_of};
use wharf_core::{Actor, DomainError, Permission};

use crate::mail::view::{MessageSummary, summary};
use crate::rows::{int, placeholders, text};
use crate::{Result, Store};

/// The (name, address) pairs of a `to_addrs` / `cc_addrs` JSON list (objects with a
/// `name` and an `address`, or plain address strings).
pub fn mailboxes_of(json: &str) -> Vec<(String, String)> {
    let Ok(Value::Array(items)) = serde_json::from_str::<Value>(json) else {
        return Vec::new();
    };
    let field = |o: &serde_json::Map<String, Value>, k: &str| {
        o.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    items
        .iter()
        .filter_map(|v| match v {
            Value::String(s) => Some((String::new(), s.clone())),
            Value::Object(o) if o.contains_key("address") => {
                Some((field(o, "name"), field(o, "address")))
            }
            _ => None,
        })
        .collect()
}

fn addresses_of(json: &str) -> Vec<String> {
    mailboxes_of(json).into_iter().map(|(_, a)| a).collect()
}

/// Writes the (role, address, domain) rows of one message; a message naming dozens of
/// recipients keeps the first 200.
pub(crate) async fn write_addresses(
    tx: &mut Transaction<'static, Any>,
    message_id: i64,
    from_addr: &str,
    to_json: &str,
    cc_json: &str,
) -> sqlx::Result<()> {
    let mut rows: Vec<(&'static str, String, String)> = Vec::new();
    let mut add = |role: &'static str, address: &str| {
        let key = address_key(address);
        let Some(domain) = domain_of(&key) else {
            return;
        };
        if !rows.iter().any(|(r, a, _)| *r == role && *a == key) {
            rows.push((role, key, domain));
        }
    };
    add("from", from_addr);
    for a in addresses_of(to_json) {
        add("to", &a);
    }
    for a in addresses_of(cc_json) {
        add("cc", &a);
    }
    rows.truncate(200);
    for chunk in rows.chunks(100) {
        let values = (0..chunk.len())
            .map(|i| format!("($1, ${}, ${}, ${})", 2 + 3 * i, 3 + 3 * i, 4 + 3 * i))
            .collect::<Vec<_>>()
            .join(", ");
        let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO message_addresses (message_id, role, address, domain) VALUES {values}"
        )))
        .bind(message_id);
        for (role, address, domain) in chunk {
            q = q.bind(*role).bind(address.clone()).bind(domain.clone());
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Fills the addresses of mail stored before migration 0006, and the domain keys of
/// customers' addresses, inside the migration's transaction.
pub(crate) async fn backfill(tx: &mut Transaction<'static, Any>) -> sqlx::Result<()> {
    let mut after = 0i64;
    loop {
        let rows = sqlx::query(
            "SELECT id, from_addr, to_addrs, cc_addrs FROM messages WHERE id > $1 ORDER BY id LIMIT 500",
        )
        .bind(after)
        .fetch_all(&mut **tx)
        .await?;
        let Some(last) = rows.last() else {
            break;
        };
        after = int(last, "id")?;
        for r in &rows {
            write_addresses(
                tx,
                int(r, "id")?,
                &text(r, "from_addr")?,
                &text(r, "to_addrs")?,
                &text(r, "cc_addrs")?,
            )
            .await?;
        }
    }
    let emails: Vec<(i64, Option<i64>, String)> = sqlx::query_as(
        "SELECT customer_id, contact_id, value FROM customer_keys WHERE kind = 'email'",
    )
    .fetch_all(&mut **tx)
    .await?;
    for (customer, contact, value) in emails {
        if let Some(domain) = domain_of(&value) {
            sqlx::query(
                "INSERT INTO customer_keys (customer_id, contact_id, kind, value) VALUES ($1, $2, 'domain', $3)",
            )
            .bind(customer)
            .bind(contact)
            .bind(domain)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

/// What decides links: whether company domains match, and the domains that never do.
#[derive(Debug, Clone)]
pub struct LinkRules {
    pub match_domains: bool,
    /// Free-mail and the company's own domains.
    pub never: Vec<String>,
    /// The company's own domains (its mail accounts').
    pub internal: Vec<String>,
}

/// A domain as a SQL literal: only letters, digits, dots and hyphens get through (the
/// list comes from settings and account addresses), so quoting is enough.
fn literal_list(domains: &[String]) -> String {
    let safe: Vec<String> = domains
        .iter()
        .filter(|d| {
            !d.is_empty()
                && d.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        })
        .map(|d| format!("'{d}'"))
        .collect();
    if safe.is_empty() {
        "''".into()
    } else {
        safe.join(", ")
    }
}

impl LinkRules {
    /// SQL (on `m`): the sender's address belongs to a customer or contact.
    pub(crate) fn known_sql(&self) -> String {
        "EXISTS (SELECT 1 FROM message_addresses fa JOIN customer_keys fk ON fk.kind = 'email' AND fk.value = fa.address \
         WHERE fa.message_id = m.id AND fa.role IN ('from', 'inquiry'))"
            .into()
    }

    /// SQL (on `m`): the sender writes from one of the company's own domains.
    pub(crate) fn internal_sql(&self) -> String {
        format!(
            "EXISTS (SELECT 1 FROM message_addresses ia WHERE ia.message_id = m.id AND ia.role = 'from' AND ia.domain IN ({}))",
            literal_list(&self.internal)
        )
    }

    /// SQL (on `m`): the sender's domain is a customer's company domain.
    pub(crate) fn customer_domain_sql(&self) -> String {
        if !self.match_domains {
            return "1 = 0".into();
        }
        format!(
            "EXISTS (SELECT 1 FROM message_addresses da JOIN customer_keys dk ON dk.kind IN ('website', 'domain') AND dk.value = da.domain \
             WHERE da.message_id = m.id AND da.role = 'from' AND da.domain NOT IN ({}))",
            literal_list(&self.never)
        )
    }

    /// SQL (on `m`) for inbound mail of one kind of sender (MAIL-4).
    pub fn party_sql(&self, party: Party) -> String {
        let (known, internal, domain) = (
            self.known_sql(),
            self.internal_sql(),
            self.customer_domain_sql(),
        );
        match party {
            Party::Contact => format!("m.direction = 'in' AND {known}"),
            Party::Internal => format!("m.direction = 'in' AND NOT {known} AND {internal}"),
            Party::Customer => {
                format!("m.direction = 'in' AND NOT {known} AND NOT {internal} AND {domain}")
            }
            Party::Stranger => {
                format!("m.direction = 'in' AND NOT {known} AND NOT {internal} AND NOT {domain}")
            }
        }
    }

    /// SQL: the ids of the messages naming a customer (placeholder `$n` is its id), by
    /// address and, when on, by company domain.
    fn customer_messages_sql(&self, n: usize) -> String {
        let by_address = format!(
            "SELECT ma.message_id FROM message_addresses ma JOIN customer_keys k ON k.kind = 'email' AND k.value = ma.address \
             WHERE k.customer_id = ${n}"
        );
        if !self.match_domains {
            return by_address;
        }
        format!(
            "{by_address} UNION SELECT md.message_id FROM message_addresses md JOIN customer_keys kd \
             ON kd.kind IN ('website', 'domain') AND kd.value = md.domain \
             WHERE kd.customer_id = ${n} AND md.domain NOT IN ({})",
            literal_list(&self.never)
        )
    }
}

/// The ids of the messages naming an address (`$1`).
const ADDRESS_IDS: &str = "SELECT message_id FROM message_addresses WHERE address = $1";

/// What links are looked up by: a customer's id or one address.
enum Key {
    Id(i64),
    Address(String),
}

impl Key {
    fn bind<'q>(
        self,
        q: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments>,
    ) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments> {
        match self {
            Key::Id(id) => q.bind(id),
            Key::Address(a) => q.bind(a),
        }
    }
}

/// A customer a message's sender matches, as the side panel shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SenderMatch {
    pub customer_id: i64,
    pub name: String,
    pub stage: String,
    pub follow: bool,
    /// `email` (the address is the customer's or a contact's) or `domain`.
    pub via: String,
    /// The contact whose address it is.
    pub contact: Option<String>,
    /// Owners' names; empty for the shared pool.
    pub owners: Vec<String>,
    pub shared: bool,
    /// Whether the actor may open the customer; if not, only its owners are shown
    /// (anti-collision, LINK-6), not its name or anything else.
    pub visible: bool,
}

/// An attachment exchanged with a customer.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ExchangedFile {
    pub id: i64,
    pub message_id: i64,
    pub filename: String,
    pub size: i64,
    pub direction: String,
    pub received_at: i64,
    pub subject: String,
}

impl Store {
    /// The rules from the company settings and the company's mail accounts.
    pub async fn link_rules(&self) -> Result<LinkRules> {
        let settings = self.settings_unchecked().await?;
        let accounts: Vec<String> = sqlx::query_scalar("SELECT address FROM mail_accounts")
            .fetch_all(&self.pool)
            .await?;
        let mut internal: Vec<String> = accounts.iter().filter_map(|a| domain_of(a)).collect();
        internal.retain(|d| !settings.free_mail_domains.contains(d));
        internal.sort();
        internal.dedup();
        let mut never = settings.free_mail_domains.clone();
        never.extend(internal.iter().cloned());
        Ok(LinkRules {
            match_domains: settings.match_company_domains,
            never,
            internal,
        })
    }

    /// The mail with a customer the actor may see, newest first: from, to or cc any of
    /// its addresses (and company domain), in the accounts the actor may read (LINK-4).
    pub async fn customer_mail(
        &self,
        actor: &Actor,
        customer_id: i64,
        limit: i64,
    ) -> Result<Vec<MessageSummary>> {
        self.get_customer(actor, customer_id).await?;
        let ids = self.link_rules().await?.customer_messages_sql(1);
        self.linked_mail(actor, &ids, Key::Id(customer_id), limit)
            .await
    }

    /// The files exchanged with a customer (both directions), newest first.
    pub async fn customer_files(
        &self,
        actor: &Actor,
        customer_id: i64,
        limit: i64,
    ) -> Result<Vec<ExchangedFile>> {
        self.get_customer(actor, customer_id).await?;
        let ids = self.link_rules().await?.customer_messages_sql(1);
        self.linked_files(actor, &ids, Key::Id(customer_id), limit)
            .await
    }

    /// The mail naming an address (from, to or cc), newest first.
    pub async fn address_mail(
        &self,
        actor: &Actor,
        address: &str,
        limit: i64,
    ) -> Result<Vec<MessageSummary>> {
        self.linked_mail(
            actor,
            ADDRESS_IDS,
            Key::Address(address_key(address)),
            limit,
        )
        .await
    }

    /// The files exchanged with an address, newest first.
    pub async fn address_files(
        &self,
        actor: &Actor,
        address: &str,
        limit: i64,
    ) -> Result<Vec<ExchangedFile>> {
        self.linked_files(
            actor,
            ADDRESS_IDS,
            Key::Address(address_key(address)),
            limit,
        )
        .await
    }

    async fn linked_mail(
        &self,
        actor: &Actor,
        ids: &str,
        key: Key,
        limit: i64,
    ) -> Result<Vec<MessageSummary>> {
        let accounts = self.readable_account_ids(actor).await?;
        if accounts.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {cols} FROM messages m WHERE m.deleted_at IS NULL AND m.account_id IN ({list}) \
             AND m.id IN ({ids}) ORDER BY m.received_at DESC, m.id DESC LIMIT {limit}",
            cols = crate::mail::view::SUMMARY_COLUMNS,
            list = placeholders(2, accounts.len()),
            limit = limit.clamp(1, 500),
        );
        let mut q = key.bind(sqlx::query(sqlx::AssertSqlSafe(sql)));
        for a in &accounts {
            q = q.bind(*a);
        }
        Ok(q.fetch_all(&self.pool)
            .await?
            .iter()
            .map(summary)
            .collect::<sqlx::Result<_>>()?)
    }

    async fn linked_files(
        &self,
        actor: &Actor,
        ids: &str,
        key: Key,
        limit: i64,
    ) -> Result<Vec<ExchangedFile>> {
        let accounts = self.readable_account_ids(actor).await?;
        if accounts.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT t.id, t.message_id, t.filename, t.size, m.direction, m.received_at, m.subject \
             FROM attachments t JOIN messages m ON m.id = t.message_id \
             WHERE t.is_inline = 0 AND m.deleted_at IS NULL AND m.account_id IN ({list}) AND m.id IN ({ids}) \
             ORDER BY m.received_at DESC, t.id LIMIT {limit}",
            list = placeholders(2, accounts.len()),
            limit = limit.clamp(1, 500),
        );
        let mut q = key.bind(sqlx::query(sqlx::AssertSqlSafe(sql)));
        for a in &accounts {
            q = q.bind(*a);
        }
        q.fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(ExchangedFile {
                    id: int(r, "id")?,
                    message_id: int(r, "message_id")?,
                    filename: text(r, "filename")?,
                    size: int(r, "size")?,
                    direction: text(r, "direction")?,
                    received_at: int(r, "received_at")?,
                    subject: text(r, "subject")?,
                })
            })
            .collect::<sqlx::Result<_>>()
            .map_err(Into::into)
    }

    /// Links a message to one more address: the buyer named inside an inquiry
    /// notification (the platform sent it), once the user has filed the buyer, so the
    /// notification is with the customer's mail.
    pub async fn link_message_address(
        &self,
        actor: &Actor,
        message_id: i64,
        address: &str,
    ) -> Result<()> {
        // Filing an inquiry's buyer is part of answering it: a hand-over's receiver may.
        self.message_for(actor, message_id, wharf_core::policy::MailAction::Reply)
            .await?;
        let key = address_key(address);
        let Some(domain) = domain_of(&key) else {
            return Ok(());
        };
        sqlx::query(
            "INSERT INTO message_addresses (message_id, role, address, domain) VALUES ($1, 'inquiry', $2, $3) \
             ON CONFLICT (message_id, role, address) DO NOTHING",
        )
        .bind(message_id)
        .bind(key)
        .bind(domain)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// What an inbound message's sender is to the company (MAIL-4); outbound mail has
    /// no party.
    pub async fn message_party(&self, actor: &Actor, message_id: i64) -> Result<Option<Party>> {
        let m = self.get_message(actor, message_id).await?;
        if m.summary.direction != "in" {
            return Ok(None);
        }
        let rules = self.link_rules().await?;
        // One statement, in the order of `Party::of`.
        let sql = format!(
            "SELECT CASE WHEN {} THEN 'contact' WHEN {} THEN 'internal' WHEN {} THEN 'customer' \
             ELSE 'stranger' END FROM messages m WHERE m.id = $1",
            rules.known_sql(),
            rules.internal_sql(),
            rules.customer_domain_sql()
        );
        let code: String = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(message_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(Party::from_code(&code))
    }

    /// The customers a message's sender (for outbound mail: its recipients) matches,
    /// with what the actor may see of each (LINK-4, LINK-6). Several addresses or
    /// matches by domain only are shown as suggestions, never linked silently.
    pub async fn sender_matches(&self, actor: &Actor, message_id: i64) -> Result<Vec<SenderMatch>> {
        actor.require(Permission::Customers)?;
        let m = self.get_message(actor, message_id).await?;
        let role_sql = if m.summary.direction == "in" {
            "ma.role IN ('from', 'inquiry')"
        } else {
            "ma.role IN ('to', 'cc')"
        };
        let rules = self.link_rules().await?;
        let mut sql = format!(
            "SELECT DISTINCT k.customer_id, 'email' AS via, k.contact_id FROM message_addresses ma \
             JOIN customer_keys k ON k.kind = 'email' AND k.value = ma.address WHERE ma.message_id = $1 AND {role_sql}"
        );
        if rules.match_domains {
            sql.push_str(&format!(
                " UNION SELECT DISTINCT k.customer_id, 'domain' AS via, CAST(NULL AS BIGINT) AS contact_id FROM message_addresses ma \
                 JOIN customer_keys k ON k.kind IN ('website', 'domain') AND k.value = ma.domain \
                 WHERE ma.message_id = $1 AND {role_sql} AND ma.domain NOT IN ({})",
                literal_list(&rules.never)
            ));
        }
        let rows: Vec<(i64, String, Option<i64>)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(message_id)
            .fetch_all(&self.pool)
            .await?;
        let mut out: Vec<SenderMatch> = Vec::new();
        for (customer_id, via, contact_id) in rows {
            // A match by address beats one by domain for the same customer.
            if let Some(existing) = out.iter_mut().find(|s| s.customer_id == customer_id) {
                if via == "email" {
                    existing.via = via;
                    if existing.visible
                        && existing.contact.is_none()
                        && let Some(k) = contact_id
                    {
                        existing.contact =
                            sqlx::query_scalar("SELECT name FROM contacts WHERE id = $1")
                                .bind(k)
                                .fetch_optional(&self.pool)
                                .await?;
                    }
                }
                continue;
            }
            if out.len() >= 10 {
                break;
            }
            let visible = match self.get_customer(actor, customer_id).await {
                Ok(_) => true,
                Err(crate::StoreError::Domain(DomainError::NotFound)) => false,
                Err(e) => return Err(e),
            };
            let row =
                sqlx::query("SELECT name, stage, follow, sharing FROM customers WHERE id = $1")
                    .bind(customer_id)
                    .fetch_optional(&self.pool)
                    .await?;
            let Some(row) = row else { continue };
            let owners: Vec<String> = sqlx::query_scalar(
                "SELECT u.name FROM customer_owners o JOIN users u ON u.id = o.user_id WHERE o.customer_id = $1 ORDER BY u.name",
            )
            .bind(customer_id)
            .fetch_all(&self.pool)
            .await?;
            let contact = match contact_id {
                Some(k) if visible => {
                    sqlx::query_scalar("SELECT name FROM contacts WHERE id = $1")
                        .bind(k)
                        .fetch_optional(&self.pool)
                        .await?
                }
                _ => None,
            };
            out.push(SenderMatch {
                customer_id,
                // Someone else's customer: only that it exists and whose it is.
                name: if visible {
                    text(&row, "name")?
                } else {
                    String::new()
                },
                stage: if visible {
                    text(&row, "stage")?
                } else {
                    String::new()
                },
                follow: visible && crate::rows::flag(&row, "follow")?,
                via,
                contact,
                owners,
                shared: text(&row, "sharing")? == "shared",
                visible,
            });
        }
        out.sort_by(|a, b| b.via.cmp(&a.via).then(a.name.cmp(&b.name)));
        Ok(out)
    }
}

impl Store {
    /// Of these messages, the ones from followed customers the actor may see (LINK-5).
    pub async fn followed_among(&self, actor: &Actor, ids: &[i64]) -> Result<Vec<i64>> {
        if ids.is_empty() || !actor.has(Permission::Customers) {
            return Ok(Vec::new());
        }
        let (visible, values) = crate::customers::visible_condition(actor, 1);
        let sql = format!(
            "SELECT DISTINCT ma.message_id FROM message_addresses ma \
             JOIN customer_keys k ON k.kind = 'email' AND k.value = ma.address \
             JOIN customers c ON c.id = k.customer_id \
             WHERE c.follow = 1 AND ma.role IN ('from', 'inquiry') AND {visible} AND ma.message_id IN ({})",
            placeholders(values.len() + 1, ids.len())
        );
        let mut q = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql));
        for v in &values {
            q = q.bind(*v);
        }
        for id in ids {
            q = q.bind(*id);
        }
        Ok(q.fetch_all(&self.pool).await?)
    }

    /// Unread inbound mail from followed customers the actor may see, in these
    /// accounts: how many, and the newest (message id, customer name), for the live
    /// notice (LINK-5).
    pub async fn followed_unread(
        &self,
        actor: &Actor,
        accounts: &[i64],
    ) -> Result<(i64, Option<(i64, String)>)> {
        if accounts.is_empty() || !actor.has(Permission::Customers) {
            return Ok((0, None));
        }
        let (visible, values) = crate::customers::visible_condition(actor, 1);
        let from = format!(
            "FROM customers c JOIN customer_keys k ON k.customer_id = c.id AND k.kind = 'email' \
             JOIN message_addresses ma ON ma.address = k.value AND ma.role IN ('from', 'inquiry') \
             JOIN messages m ON m.id = ma.message_id \
             WHERE c.follow = 1 AND {visible} AND m.direction = 'in' AND m.seen = 0 AND m.deleted_at IS NULL \
             AND m.account_id IN ({})",
            placeholders(values.len() + 1, accounts.len())
        );
        let bind_all = |sql: String| {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for v in &values {
                q = q.bind(*v);
            }
            for a in accounts {
                q = q.bind(*a);
            }
            q
        };
        let n = int(
            &bind_all(format!("SELECT COUNT(DISTINCT m.id) AS n {from}"))
                .fetch_one(&self.pool)
                .await?,
            "n",
        )?;
        if n == 0 {
            return Ok((0, None));
        }
        let latest = bind_all(format!(
            "SELECT m.id, c.name {from} ORDER BY m.received_at DESC, m.id DESC LIMIT 1"
        ))
        .fetch_optional(&self.pool)
        .await?
        .map(|r| Ok::<_, sqlx::Error>((int(&r, "id")?, text(&r, "name")?)))
        .transpose()?;
        Ok((n, latest))
    }
}

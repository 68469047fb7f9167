//! Mail and customers together (SPEC LINK-1, LINK-4, LINK-6, MAIL-4). A message's
//! addresses are kept in `message_addresses`; a customer's in `customer_keys` (e-mail
//! addresses, and the domains of its website and addresses). Links are found by joining
//! the two when asked, so an address added to a contact links its earlier mail at once
//! and nothing has to be recomputed. Company-domain matching (when on) never uses the
//! free-mail domains of the company settings nor the company's own domains.

use serde_json::Value;
use sqlx::{Any, Transaction};
use wharf_core::mail::link::{address_key, domain_of};

use crate::rows::{int, text};

mod customer_mail;
mod followed;
mod rules;
mod senders;

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

//! The mail and files exchanged with a customer or with one address (LINK-4), in the
//! accounts the actor may read, newest first.

use sqlx::Any;
use wharf_core::Actor;
use wharf_core::mail::link::address_key;

use crate::mail::view::{MessageSummary, summary};
use crate::rows::{int, placeholders, text};
use crate::{Result, Store};

use super::ExchangedFile;

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

impl Store {
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
}

//! A filter's name typed in the search box (`account:`, `owner:`, `customer:`, `tag:`,
//! `type:`) resolved to ids, within what the actor may see.

use wharf_core::customer::name_key;
use wharf_core::{Actor, Permission};

use crate::customers::visible_condition;
use crate::mail::links::LinkRules;
use crate::rows::placeholders;
use crate::{Result, Store};

impl Store {
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

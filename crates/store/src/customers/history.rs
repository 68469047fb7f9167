//! What changed on a customer: the field history (written on every save, derived from
//! the registry) and the owner log, newest first.

use wharf_core::Actor;
use wharf_core::custom_field::CustomField;
use wharf_core::customers::CustomerInput;
use wharf_core::fields::Record;

use crate::rows::{int, text};
use crate::{Result, Store};

#[derive(Debug, Clone, serde::Serialize)]
pub struct HistoryEntry {
    pub at: i64,
    pub user: String,
    pub field: String,
    pub old_value: String,
    pub new_value: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct OwnerChange {
    pub at: i64,
    pub user: String,
    pub action: String,
    pub before: String,
    pub after: String,
}

/// The fields of [`CustomerInput`] as (name, value) texts, for the history: the
/// registry's in its order (ids and numbers in digits, a flag `1` or `0`), then custom
/// fields as `cf<id>`.
fn field_values(c: &CustomerInput, defs: &[CustomField]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = c
        .values()
        .into_iter()
        .map(|(f, v)| (f.key.to_string(), v.to_text()))
        .collect();
    for d in defs {
        let value = c
            .custom
            .iter()
            .find(|(f, _)| *f == d.id)
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        out.push((d.key(), value));
    }
    out
}

/// Writes a history row for each field that differs between `before` and `after`;
/// returns the changed fields' names.
pub(super) async fn record_changes(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    customer_id: i64,
    by: i64,
    t: i64,
    (before, after): (&CustomerInput, &CustomerInput),
    defs: &[CustomField],
) -> Result<Vec<String>> {
    let old = field_values(before, defs);
    let new = field_values(after, defs);
    let mut changed = Vec::new();
    for ((field, was), (_, now_value)) in old.iter().zip(new.iter()) {
        if was != now_value {
            changed.push(field.clone());
            sqlx::query(
                "INSERT INTO customer_history (customer_id, at, user_id, field, old_value, new_value) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(customer_id)
            .bind(t)
            .bind(by)
            .bind(field)
            .bind(was)
            .bind(now_value)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(changed)
}

impl Store {
    /// Field changes, newest first.
    pub async fn customer_history(&self, actor: &Actor, id: i64) -> Result<Vec<HistoryEntry>> {
        self.get_customer(actor, id).await?;
        Ok(sqlx::query(
            "SELECT h.at, COALESCE(u.name, '') AS user_name, h.field, h.old_value, h.new_value FROM customer_history h \
             LEFT JOIN users u ON u.id = h.user_id WHERE h.customer_id = $1 ORDER BY h.at DESC, h.id DESC LIMIT 500",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(HistoryEntry {
                at: int(r, "at")?,
                user: text(r, "user_name")?,
                field: text(r, "field")?,
                old_value: text(r, "old_value")?,
                new_value: text(r, "new_value")?,
            })
        })
        .collect::<sqlx::Result<_>>()?)
    }

    /// Owner changes, newest first, with the owners' names.
    pub async fn customer_owner_log(&self, actor: &Actor, id: i64) -> Result<Vec<OwnerChange>> {
        self.get_customer(actor, id).await?;
        let rows = sqlx::query(
            "SELECT l.at, COALESCE(u.name, '') AS user_name, l.action, l.before_owners, l.after_owners \
             FROM customer_owner_log l LEFT JOIN users u ON u.id = l.user_id WHERE l.customer_id = $1 \
             ORDER BY l.at DESC, l.id DESC LIMIT 200",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            out.push(OwnerChange {
                at: int(r, "at")?,
                user: text(r, "user_name")?,
                action: text(r, "action")?,
                before: self.user_names(&text(r, "before_owners")?).await?,
                after: self.user_names(&text(r, "after_owners")?).await?,
            });
        }
        Ok(out)
    }

    async fn user_names(&self, ids: &str) -> Result<String> {
        let mut names = Vec::new();
        for id in ids.split(',').filter_map(|s| s.trim().parse::<i64>().ok()) {
            let name: Option<String> = sqlx::query_scalar("SELECT name FROM users WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
            names.extend(name);
        }
        Ok(names.join(", "))
    }
}

//! Whose customer a key is (LINK-6): one batched lookup of many e-mails, domains,
//! phones, websites and names for the customers of *others* that hold them. The
//! duplicate block of a save, the import's preview (every row's keys at once) and
//! transfer requests all ask this, so they agree on what "a colleague's customer" is.

use std::collections::{BTreeSet, HashMap};

use wharf_core::Actor;
use wharf_core::customers::name_key;

use crate::{Result, Store};

/// A duplicate key: its kind (`email`, `phone`, `domain`, `website` or `name`) and
/// normal form.
pub type Key = (&'static str, String);

/// Values per statement (SQLite binds by name at a quadratic cost; see import_run).
const PER_QUERY: usize = 300;
/// Customers remembered per key (a domain may be held by many).
const PER_KEY: usize = 5;

/// A customer with owners, none of them the actor, that holds a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TakenBy {
    pub customer_id: i64,
    /// The owners' names, joined.
    pub owners: String,
    pub owner_ids: Vec<i64>,
    pub name: String,
    /// May the actor see it (then it may be named)?
    pub visible: bool,
    /// May the actor change it (a manager over its owners)?
    pub editable: bool,
}

#[cfg(feature = "testing")]
thread_local! {
    /// Statements [`Store::taken_keys`] ran on this thread (tests prove it batches).
    pub(crate) static STATEMENTS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

#[cfg(feature = "testing")]
pub(crate) fn statements() -> usize {
    STATEMENTS.with(std::cell::Cell::get)
}

fn count_statement() {
    #[cfg(feature = "testing")]
    STATEMENTS.with(|c| c.set(c.get() + 1));
}

/// The keys of a would-be customer (a save, an import row, a transfer request).
pub fn probe_keys(name: &str, emails: &str, phones: &str, website: &str) -> Vec<Key> {
    let mut keys = super::keys::keys_of(emails, phones, website);
    let name = name_key(name);
    if !name.is_empty() {
        keys.push(("name", name));
    }
    keys
}

/// The kinds of stored key a probe key of `kind` matches: a domain, of an address or a
/// website, matches either kind of domain key.
fn matches_kind(probe: &str, stored: &str) -> bool {
    match probe {
        "domain" | "website" => matches!(stored, "domain" | "website"),
        other => other == stored,
    }
}

impl Store {
    /// For each key held by customers of others (with owners, the actor not among them),
    /// those customers, lowest id first. A fixed number of statements per
    /// [`PER_QUERY`] keys, whatever the number of rows the keys came from. Domains obey
    /// the company's link rules (free-mail and the company's own never match).
    pub async fn taken_keys(
        &self,
        actor: &Actor,
        keys: &[Key],
    ) -> Result<HashMap<Key, Vec<TakenBy>>> {
        let rules = self.link_rules().await?;
        let keys: BTreeSet<&Key> = keys
            .iter()
            .filter(|(kind, value)| {
                !matches!(*kind, "domain" | "website")
                    || (rules.match_domains && !rules.never.contains(value))
            })
            .collect();
        // value → the customers holding it, with the stored kind.
        let mut held: HashMap<String, Vec<(&'static str, i64)>> = HashMap::new();
        let values: BTreeSet<&str> = keys
            .iter()
            .filter(|(k, _)| *k != "name")
            .map(|(_, v)| v.as_str())
            .collect();
        let values: Vec<&str> = values.into_iter().collect();
        for chunk in values.chunks(PER_QUERY) {
            let list = crate::rows::placeholders(1, chunk.len());
            let mut q = sqlx::query_as::<_, (i64, String, String)>(sqlx::AssertSqlSafe(format!(
                "SELECT DISTINCT customer_id, kind, value FROM customer_keys WHERE value IN ({list})"
            )));
            for v in chunk {
                q = q.bind(*v);
            }
            count_statement();
            for (id, kind, value) in q.fetch_all(&self.pool).await? {
                let kind = match kind.as_str() {
                    "email" => "email",
                    "phone" => "phone",
                    "domain" => "domain",
                    "website" => "website",
                    _ => continue,
                };
                held.entry(value).or_default().push((kind, id));
            }
        }
        let names: Vec<&str> = keys
            .iter()
            .filter(|(k, _)| *k == "name")
            .map(|(_, v)| v.as_str())
            .collect();
        let mut by_name: HashMap<String, Vec<i64>> = HashMap::new();
        for chunk in names.chunks(PER_QUERY) {
            let list = crate::rows::placeholders(1, chunk.len());
            let mut q = sqlx::query_as::<_, (i64, String)>(sqlx::AssertSqlSafe(format!(
                "SELECT id, name_key FROM customers WHERE name_key IN ({list})"
            )));
            for v in chunk {
                q = q.bind(*v);
            }
            count_statement();
            for (id, key) in q.fetch_all(&self.pool).await? {
                by_name.entry(key).or_default().push(id);
            }
        }
        let mut candidates: BTreeSet<i64> = held.values().flatten().map(|(_, id)| *id).collect();
        candidates.extend(by_name.values().flatten());
        let customers = self.customers_of_others(actor, &candidates).await?;
        let mut out: HashMap<Key, Vec<TakenBy>> = HashMap::new();
        for key in keys {
            let (kind, value) = key;
            let mut ids: Vec<i64> = if *kind == "name" {
                by_name.get(value).cloned().unwrap_or_default()
            } else {
                held.get(value)
                    .map(|h| {
                        h.iter()
                            .filter(|(stored, _)| matches_kind(kind, stored))
                            .map(|(_, id)| *id)
                            .collect()
                    })
                    .unwrap_or_default()
            };
            ids.sort_unstable();
            ids.dedup();
            let found: Vec<TakenBy> = ids
                .iter()
                .filter_map(|id| customers.get(id).cloned())
                .take(PER_KEY)
                .collect();
            if !found.is_empty() {
                out.insert(key.clone(), found);
            }
        }
        Ok(out)
    }

    /// Of these customers, those owned by others and not by the actor, with their
    /// owners (two statements per [`PER_QUERY`] ids).
    async fn customers_of_others(
        &self,
        actor: &Actor,
        ids: &BTreeSet<i64>,
    ) -> Result<HashMap<i64, TakenBy>> {
        let ids: Vec<i64> = ids.iter().copied().collect();
        let mut owners: HashMap<i64, Vec<(i64, String, Option<i64>)>> = HashMap::new();
        let mut rows: Vec<(i64, String, String)> = Vec::new();
        for chunk in ids.chunks(PER_QUERY) {
            let list = crate::rows::placeholders(1, chunk.len());
            let mut q = sqlx::query_as::<_, (i64, i64, String, Option<i64>)>(sqlx::AssertSqlSafe(
                format!(
                    "SELECT o.customer_id, u.id, u.name, u.department_id FROM customer_owners o \
                     JOIN users u ON u.id = o.user_id WHERE o.customer_id IN ({list}) ORDER BY u.name"
                ),
            ));
            for id in chunk {
                q = q.bind(*id);
            }
            count_statement();
            for (c, u, name, dept) in q.fetch_all(&self.pool).await? {
                owners.entry(c).or_default().push((u, name, dept));
            }
            let mut q = sqlx::query_as::<_, (i64, String, String)>(sqlx::AssertSqlSafe(format!(
                "SELECT id, name, sharing FROM customers WHERE id IN ({list})"
            )));
            for id in chunk {
                q = q.bind(*id);
            }
            count_statement();
            rows.extend(q.fetch_all(&self.pool).await?);
        }
        let mut out = HashMap::new();
        for (id, name, sharing) in rows {
            let Some(o) = owners.get(&id) else { continue };
            if o.is_empty() || o.iter().any(|(u, _, _)| *u == actor.user_id) {
                continue;
            }
            out.insert(
                id,
                TakenBy {
                    customer_id: id,
                    owners: o
                        .iter()
                        .map(|(_, n, _)| n.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    owner_ids: o.iter().map(|(u, _, _)| *u).collect(),
                    name,
                    visible: Self::sees(actor, &sharing, o),
                    editable: Self::edits(actor, &sharing, o),
                },
            );
        }
        Ok(out)
    }
}

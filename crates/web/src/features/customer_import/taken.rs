//! An import row that runs into a colleague's customer (LINK-6) is a row error of the
//! preview that names the owner, not a failed run: one pass over the file gathers every
//! row's keys, and one batched store call (`Store::taken_keys`, a few statements per
//! few hundred keys) says which belong to someone else's customer.

use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;

use wharf_core::Actor;
use wharf_core::customers::import::CheckedRow;
use wharf_core::customers::{CUSTOMER_FIELDS, name_key};
use wharf_sheets::{Limits, ReadError};
use wharf_store::customers::{Key, TakenBy, probe_keys};
use wharf_store::{Store, StoreError};

/// The keys found taken, for the row checks.
#[derive(Clone, Default)]
pub struct TakenKeys(HashMap<Key, Vec<TakenBy>>);

/// A row's hit: the import target to correct, what matched, whose it is.
pub struct Hit {
    pub target: &'static str,
    pub matched: &'static str,
    pub owners: String,
}

fn target_of(field: &'static str) -> &'static str {
    CUSTOMER_FIELDS
        .get(field)
        .and_then(|f| f.import_target_name())
        .unwrap_or(field)
}

/// The keys a checked row would write, each with the target that feeds it: the
/// customer's own only for a new customer (a row joining one adds contacts), the
/// contact's always, and the name when it joins an existing customer.
fn row_keys(row: &CheckedRow, joins: bool) -> Vec<(&'static str, Key)> {
    let mut out = Vec::new();
    if !joins {
        let c = &row.customer;
        for (target, keys) in [
            (target_of("email"), probe_keys("", &c.email, "", "")),
            (target_of("phones"), probe_keys("", "", &c.phones, "")),
            (target_of("website"), probe_keys("", "", "", &c.website)),
        ] {
            out.extend(keys.into_iter().map(|k| (target, k)));
        }
    } else {
        out.push(("name", ("name", name_key(&row.customer.name))));
    }
    if let Some(k) = &row.contact {
        out.extend(
            probe_keys("", &k.emails, "", "")
                .into_iter()
                .map(|key| ("contact_emails", key)),
        );
        out.extend(
            probe_keys("", "", &k.phones, "")
                .into_iter()
                .map(|key| ("contact_phones", key)),
        );
    }
    out
}

impl TakenKeys {
    /// The first of the row's keys that a colleague's customer holds (not the
    /// customer the row joins, when she may change that one).
    pub fn hit(&self, row: &CheckedRow, existing: Option<i64>) -> Option<Hit> {
        if self.0.is_empty() {
            return None;
        }
        let mut keys = row_keys(row, existing.is_some());
        // The most telling match is the one named: an address before its domain.
        let rank = |k: &str| {
            ["email", "phone", "website", "domain", "name"]
                .iter()
                .position(|x| *x == k)
        };
        keys.sort_by_key(|(_, (kind, _))| rank(kind));
        for (target, key) in keys {
            let Some(found) = self.0.get(&key) else {
                continue;
            };
            let hit = if key.0 == "name" {
                // Joining someone else's customer: only who may change it.
                found
                    .iter()
                    .find(|t| Some(t.customer_id) == existing && !t.editable)
            } else {
                found.iter().find(|t| Some(t.customer_id) != existing)
            };
            if let Some(t) = hit {
                return Some(Hit {
                    target,
                    matched: key.0,
                    owners: t.owners.clone(),
                });
            }
        }
        None
    }
}

/// Reads the whole file once for its rows' keys, then asks the store about all of them
/// at once.
pub async fn gather(
    store: &Store,
    actor: &Actor,
    mut checker: super::check::Checker,
    name: String,
    data: Vec<u8>,
) -> Result<TakenKeys, StoreError> {
    let keys = tokio::task::spawn_blocking(move || {
        let mut keys: HashSet<Key> = HashSet::new();
        let mut line = 0;
        let read = wharf_sheets::for_each_row(&name, &data, &Limits::default(), |row| {
            if line > 0 {
                let c = checker.check(line, &row);
                if c.row.errors.is_empty() {
                    keys.extend(
                        row_keys(&c.row, c.existing.is_some())
                            .into_iter()
                            .map(|(_, k)| k),
                    );
                }
            }
            line += 1;
            ControlFlow::Continue(())
        });
        // An unreadable file is the preview's to report; its readable rows still count.
        let _: Result<usize, ReadError> = read;
        keys
    })
    .await
    .map_err(|e| StoreError::Other(format!("import key reader stopped: {e}")))?;
    let keys: Vec<Key> = keys.into_iter().collect();
    Ok(TakenKeys(store.taken_keys(actor, &keys).await?))
}

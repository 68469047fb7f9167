//! The duplicate check while typing (CUST-4, LINK-6): customers matching a name,
//! keywords, phones, e-mails or website, across all owners. Customers the actor may see
//! match by prefix and substring too and are named; for the others only a whole-value
//! match counts (the normal forms equal) and the answer is "a customer of <owner>",
//! without id or name, so the check cannot be used to spell out a colleague's customer
//! letter by letter. Each check counts against a per-user rate limit.

use wharf_core::customer::{Sharing, email_key, name_key, phone_key, split_list, website_domain};
use wharf_core::{Actor, Permission};

use crate::rate_limits::DUPLICATE_CHECKS;
use crate::rows::like_pattern;
use crate::{Result, Store};

/// What a duplicate check looks for (the fields being typed).
#[derive(Debug, Clone, Default)]
pub struct DuplicateProbe {
    pub name: String,
    pub keywords: String,
    pub phones: String,
    pub emails: String,
    pub website: String,
    /// The customer being edited, not a duplicate of itself.
    pub exclude: Option<i64>,
}

/// A customer matching a probe. Those the actor may not see carry neither id nor name,
/// only their owners (so nobody chases a colleague's buyer, and nothing else leaks).
#[derive(Debug, Clone, serde::Serialize)]
pub struct DuplicateHit {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    pub name: String,
    pub owners: String,
    pub shared: bool,
    pub visible: bool,
    /// `name`, `keyword`, `phone`, `email`, `website`, `domain`.
    pub matched: &'static str,
}

/// A candidate: the customer, what matched, and whether the match was of a whole value.
struct Found {
    id: i64,
    matched: &'static str,
    whole: bool,
}

impl Store {
    /// Customers matching what is being typed, across all owners; see the module notes
    /// for what is told of customers the actor may not see.
    pub async fn find_duplicates(
        &self,
        actor: &Actor,
        p: &DuplicateProbe,
    ) -> Result<Vec<DuplicateHit>> {
        actor.require(Permission::Customers)?;
        self.count_call(actor.user_id, &DUPLICATE_CHECKS).await?;
        let mut found: Vec<Found> = Vec::new();
        let key = name_key(&p.name);
        if key.chars().count() >= 2 {
            let rows: Vec<(i64, String)> = sqlx::query_as(
                "SELECT id, name_key FROM customers WHERE name_key = $1 OR (LENGTH($1) >= 4 AND name_key LIKE $2) \
                 ORDER BY id LIMIT 10",
            )
            .bind(&key)
            .bind(format!("{key}%"))
            .fetch_all(&self.pool)
            .await?;
            found.extend(rows.into_iter().map(|(id, k)| Found {
                id,
                matched: "name",
                whole: k == key,
            }));
        }
        for word in split_list(&p.keywords)
            .filter(|w| w.chars().count() >= 2)
            .take(5)
        {
            let word_key = name_key(word);
            let rows: Vec<(i64, String, String)> = sqlx::query_as(
                "SELECT id, name_key, keywords FROM customers WHERE LOWER(keywords) LIKE $1 ESCAPE '\\' OR name_key = $2 \
                 ORDER BY id LIMIT 10",
            )
            .bind(like_pattern(word))
            .bind(&word_key)
            .fetch_all(&self.pool)
            .await?;
            found.extend(rows.into_iter().map(|(id, k, keywords)| Found {
                id,
                matched: "keyword",
                // The whole name, or one whole keyword of theirs, in normal form.
                whole: !word_key.is_empty()
                    && (k == word_key || split_list(&keywords).any(|w| name_key(w) == word_key)),
            }));
        }
        let mut keys: Vec<(&'static str, &'static str, String)> = Vec::new();
        for e in split_list(&p.emails) {
            keys.push(("email", "email", email_key(e)));
        }
        for ph in split_list(&p.phones) {
            if let Some(k) = phone_key(ph) {
                keys.push(("phone", "phone", k));
            }
        }
        if let Some(d) = website_domain(&p.website) {
            keys.push(("website", "website", d));
        }
        // Keys are normal forms compared whole.
        for (kind, label, value) in keys.iter().take(20) {
            let rows: Vec<i64> = sqlx::query_scalar(
                "SELECT DISTINCT customer_id FROM customer_keys WHERE kind = $1 AND value = $2 LIMIT 10",
            )
            .bind(*kind)
            .bind(value)
            .fetch_all(&self.pool)
            .await?;
            found.extend(rows.into_iter().map(|id| Found {
                id,
                matched: label,
                whole: true,
            }));
        }
        // The company domain of the addresses and website (LINK-6), never a free-mail or
        // the company's own domain.
        let rules = self.link_rules().await?;
        if rules.match_domains {
            let mut domains: Vec<String> = split_list(&p.emails)
                .filter_map(wharf_core::mail::link::domain_of)
                .chain(website_domain(&p.website))
                .filter(|d| !rules.never.contains(d))
                .collect();
            domains.sort();
            domains.dedup();
            for d in domains.iter().take(5) {
                let rows: Vec<i64> = sqlx::query_scalar(
                    "SELECT DISTINCT customer_id FROM customer_keys WHERE kind IN ('website', 'domain') AND value = $1 LIMIT 10",
                )
                .bind(d)
                .fetch_all(&self.pool)
                .await?;
                found.extend(rows.into_iter().map(|id| Found {
                    id,
                    matched: "domain",
                    whole: true,
                }));
            }
        }
        let mut seen: Vec<i64> = Vec::new();
        let mut hits: Vec<DuplicateHit> = Vec::new();
        for f in found {
            if Some(f.id) == p.exclude || seen.contains(&f.id) {
                continue;
            }
            let Some((name, sharing)) = sqlx::query_as::<_, (String, String)>(
                "SELECT name, sharing FROM customers WHERE id = $1",
            )
            .bind(f.id)
            .fetch_optional(&self.pool)
            .await?
            else {
                continue;
            };
            let owners = self.owners_of(f.id).await?;
            let visible = Self::sees(actor, &sharing, &owners);
            if !visible && !f.whole {
                // A prefix or a part of someone else's customer tells nothing.
                continue;
            }
            seen.push(f.id);
            hits.push(DuplicateHit {
                id: visible.then_some(f.id),
                visible,
                owners: owners
                    .iter()
                    .map(|o| o.1.clone())
                    .collect::<Vec<_>>()
                    .join(", "),
                shared: sharing == Sharing::Shared.code(),
                name: if visible { name } else { String::new() },
                matched: f.matched,
            });
        }
        Ok(hits)
    }
}

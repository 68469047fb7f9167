//! The duplicate block on create and edit (LINK-6): an e-mail, a company domain (never
//! free-mail or the company's own), a phone or a website that a customer of someone
//! else already has refuses the save, naming that customer's owners. Only those who may
//! see the customer (admins, managers over its owners) are told which one it is; a match
//! with one's own or a pool customer is left to the "possible duplicates" warning.

use wharf_core::{Actor, DomainError};

use super::keys::keys_of;
use crate::{Result, Store};

/// How many keys one save checks (a customer with hundreds of addresses is bounded).
const MAX_KEYS: usize = 40;

impl Store {
    /// Refuses when one of these e-mails, phones or the website belongs to a customer
    /// other than `exclude` that has owners, none of them the actor.
    pub(crate) async fn refuse_taken(
        &self,
        actor: &Actor,
        emails: &str,
        phones: &str,
        website: &str,
        exclude: Option<i64>,
    ) -> Result<()> {
        let mut keys = keys_of(emails, phones, website);
        // The most telling match is the one named: an address before its domain.
        let rank = |k: &str| {
            ["email", "phone", "website", "domain"]
                .iter()
                .position(|x| *x == k)
        };
        keys.sort_by_key(|(k, _)| rank(k));
        if keys.is_empty() {
            return Ok(());
        }
        let rules = self.link_rules().await?;
        for (kind, value) in keys.into_iter().take(MAX_KEYS) {
            // A domain (of an address or the website) matches either kind of domain key.
            let (kinds, matched): (&[&str], &'static str) = match kind {
                "domain" | "website" => {
                    if !rules.match_domains || rules.never.contains(&value) {
                        continue;
                    }
                    (
                        &["domain", "website"],
                        if kind == "website" {
                            "website"
                        } else {
                            "domain"
                        },
                    )
                }
                "email" => (&["email"], "email"),
                "phone" => (&["phone"], "phone"),
                _ => continue,
            };
            let rows: Vec<i64> = sqlx::query_scalar(
                "SELECT DISTINCT customer_id FROM customer_keys WHERE kind IN ($1, $2) AND value = $3 \
                 ORDER BY customer_id LIMIT 20",
            )
            .bind(kinds[0])
            .bind(kinds[kinds.len() - 1])
            .bind(&value)
            .fetch_all(&self.pool)
            .await?;
            for id in rows {
                if Some(id) == exclude {
                    continue;
                }
                let owners = self.owners_of(id).await?;
                if owners.is_empty() || owners.iter().any(|o| o.0 == actor.user_id) {
                    continue;
                }
                let Some((name, sharing)) = sqlx::query_as::<_, (String, String)>(
                    "SELECT name, sharing FROM customers WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&self.pool)
                .await?
                else {
                    continue;
                };
                let visible = Self::sees(actor, &sharing, &owners);
                return Err(DomainError::Taken {
                    matched,
                    owners: owners
                        .iter()
                        .map(|o| o.1.clone())
                        .collect::<Vec<_>>()
                        .join(", "),
                    customer: visible.then_some((id, name)),
                }
                .into());
            }
        }
        Ok(())
    }
}

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
        keys.truncate(MAX_KEYS);
        let taken = self.taken_keys(actor, &keys).await?;
        for key in &keys {
            let Some(hit) = taken
                .get(key)
                .and_then(|t| t.iter().find(|t| Some(t.customer_id) != exclude))
            else {
                continue;
            };
            return Err(DomainError::Taken {
                matched: key.0,
                owners: hit.owners.clone(),
                customer: hit.visible.then(|| (hit.customer_id, hit.name.clone())),
            }
            .into());
        }
        Ok(())
    }
}

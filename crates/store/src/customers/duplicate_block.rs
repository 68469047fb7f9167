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

/// What one save or import group would write: e-mails, phones, website, and the
/// customer it is (not a duplicate of itself).
pub(crate) struct TakenProbe<'a> {
    pub emails: &'a str,
    pub phones: &'a str,
    pub website: &'a str,
    pub exclude: Option<i64>,
}

/// A probe's keys, the most telling first (an address before its domain), bounded.
fn ranked_keys(p: &TakenProbe<'_>) -> Vec<super::taken::Key> {
    let mut keys = keys_of(p.emails, p.phones, p.website);
    let rank = |k: &str| {
        ["email", "phone", "website", "domain"]
            .iter()
            .position(|x| *x == k)
    };
    keys.sort_by_key(|(k, _)| rank(k));
    keys.truncate(MAX_KEYS);
    keys
}

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
        self.refuse_taken_all(
            actor,
            &[TakenProbe {
                emails,
                phones,
                website,
                exclude,
            }],
        )
        .await
    }

    /// [`Self::refuse_taken`] for many probes with one batched lookup (an import's
    /// chunk), refusing at the first probe that hits.
    pub(crate) async fn refuse_taken_all(
        &self,
        actor: &Actor,
        probes: &[TakenProbe<'_>],
    ) -> Result<()> {
        let keys: Vec<Vec<super::taken::Key>> = probes.iter().map(ranked_keys).collect();
        let all: Vec<super::taken::Key> = keys.iter().flatten().cloned().collect();
        if all.is_empty() {
            return Ok(());
        }
        let taken = self.taken_keys(actor, &all).await?;
        for (keys, probe) in keys.iter().zip(probes) {
            for key in keys {
                let Some(hit) = taken
                    .get(key)
                    .and_then(|t| t.iter().find(|t| Some(t.customer_id) != probe.exclude))
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
        }
        Ok(())
    }
}

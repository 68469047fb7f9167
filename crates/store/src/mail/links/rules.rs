//! The link rules as SQL: company-domain matching, the domains that never match, the
//! company's own domains, and what kind of sender (MAIL-4) an inbound mail has.

use wharf_core::mail::link::{Party, domain_of};

use crate::{Result, Store};

use super::LinkRules;

/// A domain as a SQL literal: only letters, digits, dots and hyphens get through (the
/// list comes from settings and account addresses), so quoting is enough.
pub(super) fn literal_list(domains: &[String]) -> String {
    let safe: Vec<String> = domains
        .iter()
        .filter(|d| {
            !d.is_empty()
                && d.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        })
        .map(|d| format!("'{d}'"))
        .collect();
    if safe.is_empty() {
        "''".into()
    } else {
        safe.join(", ")
    }
}

impl LinkRules {
    /// SQL (on `m`): the sender's address belongs to a customer or contact.
    pub(crate) fn known_sql(&self) -> String {
        "EXISTS (SELECT 1 FROM message_addresses fa JOIN customer_keys fk ON fk.kind = 'email' AND fk.value = fa.address \
         WHERE fa.message_id = m.id AND fa.role IN ('from', 'inquiry'))"
            .into()
    }

    /// SQL (on `m`): the sender writes from one of the company's own domains.
    pub(crate) fn internal_sql(&self) -> String {
        format!(
            "EXISTS (SELECT 1 FROM message_addresses ia WHERE ia.message_id = m.id AND ia.role = 'from' AND ia.domain IN ({}))",
            literal_list(&self.internal)
        )
    }

    /// SQL (on `m`): the sender's domain is a customer's company domain.
    pub(crate) fn customer_domain_sql(&self) -> String {
        if !self.match_domains {
            return "1 = 0".into();
        }
        format!(
            "EXISTS (SELECT 1 FROM message_addresses da JOIN customer_keys dk ON dk.kind IN ('website', 'domain') AND dk.value = da.domain \
             WHERE da.message_id = m.id AND da.role = 'from' AND da.domain NOT IN ({}))",
            literal_list(&self.never)
        )
    }

    /// SQL (on `m`) for inbound mail of one kind of sender (MAIL-4).
    pub fn party_sql(&self, party: Party) -> String {
        let (known, internal, domain) = (
            self.known_sql(),
            self.internal_sql(),
            self.customer_domain_sql(),
        );
        match party {
            Party::Contact => format!("m.direction = 'in' AND {known}"),
            Party::Internal => format!("m.direction = 'in' AND NOT {known} AND {internal}"),
            Party::Customer => {
                format!("m.direction = 'in' AND NOT {known} AND NOT {internal} AND {domain}")
            }
            Party::Stranger => {
                format!("m.direction = 'in' AND NOT {known} AND NOT {internal} AND NOT {domain}")
            }
        }
    }

    /// SQL: the ids of the messages naming a customer (placeholder `$n` is its id), by
    /// address and, when on, by company domain.
    pub(super) fn customer_messages_sql(&self, n: usize) -> String {
        let by_address = format!(
            "SELECT ma.message_id FROM message_addresses ma JOIN customer_keys k ON k.kind = 'email' AND k.value = ma.address \
             WHERE k.customer_id = ${n}"
        );
        if !self.match_domains {
            return by_address;
        }
        format!(
            "{by_address} UNION SELECT md.message_id FROM message_addresses md JOIN customer_keys kd \
             ON kd.kind IN ('website', 'domain') AND kd.value = md.domain \
             WHERE kd.customer_id = ${n} AND md.domain NOT IN ({})",
            literal_list(&self.never)
        )
    }
}

impl Store {
    /// The rules from the company settings and the company's mail accounts.
    pub async fn link_rules(&self) -> Result<LinkRules> {
        let settings = self.settings_unchecked().await?;
        let accounts: Vec<String> = sqlx::query_scalar("SELECT address FROM mail_accounts")
            .fetch_all(&self.pool)
            .await?;
        let mut internal: Vec<String> = accounts.iter().filter_map(|a| domain_of(a)).collect();
        internal.retain(|d| !settings.free_mail_domains.contains(d));
        internal.sort();
        internal.dedup();
        let mut never = settings.free_mail_domains.clone();
        never.extend(internal.iter().cloned());
        Ok(LinkRules {
            match_domains: settings.match_company_domains,
            never,
            internal,
        })
    }
}

//! Who a message's sender is to the company: the customers it matches (LINK-6, the side
//! panel), its kind of sender (MAIL-4), and linking an inquiry's buyer to the mail.

use wharf_core::mail::link::{Party, address_key, domain_of};
use wharf_core::{Actor, DomainError, Permission};

use crate::rows::text;
use crate::{Result, Store};

use super::SenderMatch;
use super::rules::literal_list;

impl Store {
    /// Links a message to one more address: the buyer named inside an inquiry
    /// notification (the platform sent it), once the user has filed the buyer, so the
    /// notification is with the customer's mail.
    pub async fn link_message_address(
        &self,
        actor: &Actor,
        message_id: i64,
        address: &str,
    ) -> Result<()> {
        // Filing an inquiry's buyer is part of answering it: a hand-over's receiver may.
        self.message_for(actor, message_id, wharf_core::policy::MailAction::Reply)
            .await?;
        let key = address_key(address);
        let Some(domain) = domain_of(&key) else {
            return Ok(());
        };
        sqlx::query(
            "INSERT INTO message_addresses (message_id, role, address, domain) VALUES ($1, 'inquiry', $2, $3) \
             ON CONFLICT (message_id, role, address) DO NOTHING",
        )
        .bind(message_id)
        .bind(key)
        .bind(domain)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// What an inbound message's sender is to the company (MAIL-4); outbound mail has
    /// no party.
    pub async fn message_party(&self, actor: &Actor, message_id: i64) -> Result<Option<Party>> {
        let m = self.get_message(actor, message_id).await?;
        if m.summary.direction != "in" {
            return Ok(None);
        }
        let rules = self.link_rules().await?;
        // One statement, in the order of `Party::of`.
        let sql = format!(
            "SELECT CASE WHEN {} THEN 'contact' WHEN {} THEN 'internal' WHEN {} THEN 'customer' \
             ELSE 'stranger' END FROM messages m WHERE m.id = $1",
            rules.known_sql(),
            rules.internal_sql(),
            rules.customer_domain_sql()
        );
        let code: String = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(message_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(Party::from_code(&code))
    }

    /// The customers a message's sender (for outbound mail: its recipients) matches,
    /// with what the actor may see of each (LINK-4, LINK-6). Several addresses or
    /// matches by domain only are shown as suggestions, never linked silently.
    pub async fn sender_matches(&self, actor: &Actor, message_id: i64) -> Result<Vec<SenderMatch>> {
        actor.require(Permission::Customers)?;
        let m = self.get_message(actor, message_id).await?;
        let role_sql = if m.summary.direction == "in" {
            "ma.role IN ('from', 'inquiry')"
        } else {
            "ma.role IN ('to', 'cc')"
        };
        let rules = self.link_rules().await?;
        let mut sql = format!(
            "SELECT DISTINCT k.customer_id, 'email' AS via, k.contact_id FROM message_addresses ma \
             JOIN customer_keys k ON k.kind = 'email' AND k.value = ma.address WHERE ma.message_id = $1 AND {role_sql}"
        );
        if rules.match_domains {
            sql.push_str(&format!(
                " UNION SELECT DISTINCT k.customer_id, 'domain' AS via, CAST(NULL AS BIGINT) AS contact_id FROM message_addresses ma \
                 JOIN customer_keys k ON k.kind IN ('website', 'domain') AND k.value = ma.domain \
                 WHERE ma.message_id = $1 AND {role_sql} AND ma.domain NOT IN ({})",
                literal_list(&rules.never)
            ));
        }
        let rows: Vec<(i64, String, Option<i64>)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(message_id)
            .fetch_all(&self.pool)
            .await?;
        let mut out: Vec<SenderMatch> = Vec::new();
        for (customer_id, via, contact_id) in rows {
            // A match by address beats one by domain for the same customer.
            if let Some(existing) = out.iter_mut().find(|s| s.customer_id == customer_id) {
                if via == "email" {
                    existing.via = via;
                    if existing.visible
                        && existing.contact.is_none()
                        && let Some(k) = contact_id
                    {
                        existing.contact =
                            sqlx::query_scalar("SELECT name FROM contacts WHERE id = $1")
                                .bind(k)
                                .fetch_optional(&self.pool)
                                .await?;
                    }
                }
                continue;
            }
            if out.len() >= 10 {
                break;
            }
            let visible = match self.get_customer(actor, customer_id).await {
                Ok(_) => true,
                Err(crate::StoreError::Domain(DomainError::NotFound)) => false,
                Err(e) => return Err(e),
            };
            let row =
                sqlx::query("SELECT name, stage, follow, sharing FROM customers WHERE id = $1")
                    .bind(customer_id)
                    .fetch_optional(&self.pool)
                    .await?;
            let Some(row) = row else { continue };
            let owners: Vec<String> = sqlx::query_scalar(
                "SELECT u.name FROM customer_owners o JOIN users u ON u.id = o.user_id WHERE o.customer_id = $1 ORDER BY u.name",
            )
            .bind(customer_id)
            .fetch_all(&self.pool)
            .await?;
            let contact = match contact_id {
                Some(k) if visible => {
                    sqlx::query_scalar("SELECT name FROM contacts WHERE id = $1")
                        .bind(k)
                        .fetch_optional(&self.pool)
                        .await?
                }
                _ => None,
            };
            out.push(SenderMatch {
                customer_id,
                // Someone else's customer: only that it exists and whose it is.
                name: if visible {
                    text(&row, "name")?
                } else {
                    String::new()
                },
                stage: if visible {
                    text(&row, "stage")?
                } else {
                    String::new()
                },
                follow: visible && crate::rows::flag(&row, "follow")?,
                via,
                contact,
                owners,
                shared: text(&row, "sharing")? == "shared",
                visible,
            });
        }
        out.sort_by(|a, b| b.via.cmp(&a.via).then(a.name.cmp(&b.name)));
        Ok(out)
    }
}

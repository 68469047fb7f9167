//! The duplicate keys of a customer and its contacts (normal forms of e-mails, their
//! domains, phones, the website), written beside them for the duplicate checks and
//! mail linking.

use wharf_core::customers::{email_key, phone_key, split_list, website_domain};

use crate::Result;

/// The duplicate keys of some e-mails, phones and a website, in their normal forms.
pub(crate) fn keys_of(emails: &str, phones: &str, website: &str) -> Vec<(&'static str, String)> {
    let mut keys: Vec<(&'static str, String)> = split_list(emails)
        .map(|e| ("email", email_key(e)))
        .collect();
    // The addresses' domains, for company-domain matching of mail (LINK-1).
    keys.extend(
        split_list(emails)
            .filter_map(wharf_core::mail::link::domain_of)
            .map(|d| ("domain", d)),
    );
    keys.extend(
        split_list(phones)
            .filter_map(phone_key)
            .map(|p| ("phone", p)),
    );
    keys.extend(website_domain(website).map(|d| ("website", d)));
    keys.sort();
    keys.dedup();
    keys.truncate(100);
    keys
}

pub(crate) async fn write_keys(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    customer_id: i64,
    contact_id: Option<i64>,
    emails: &str,
    phones: &str,
    website: &str,
) -> Result<()> {
    let keys = keys_of(emails, phones, website);
    if keys.is_empty() {
        return Ok(());
    }
    // One statement for all of them (imports write hundreds of thousands).
    let values = (0..keys.len())
        .map(|i| format!("($1, $2, ${}, ${})", 3 + 2 * i, 4 + 2 * i))
        .collect::<Vec<_>>()
        .join(", ");
    let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO customer_keys (customer_id, contact_id, kind, value) VALUES {values}"
    )))
    .bind(customer_id)
    .bind(contact_id);
    for (kind, value) in keys {
        q = q.bind(kind).bind(value);
    }
    q.execute(&mut **tx).await?;
    Ok(())
}

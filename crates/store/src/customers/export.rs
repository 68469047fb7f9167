//! Customer export (CUST-6): every customer of a list query the actor may see, with its
//! primary contact. Needs the `export` permission and is audited (who, which query, how
//! many rows), whichever page, API call or bulk action asks for it.

use serde_json::json;
use wharf_core::Permission;

use crate::audit::{self, Entry};
use crate::customers::{Contact, Customer, CustomerQuery, contact};
use crate::{Ctx, Result, Store};

impl Store {
    /// Every customer of a query (all pages), with its primary contact. `described` is
    /// the query as the caller gave it (a list URL's query string, the ticked ids), kept
    /// in the audit log.
    pub async fn export_customers(
        &self,
        ctx: Ctx<'_>,
        q: &CustomerQuery,
        described: &str,
    ) -> Result<Vec<(Customer, Option<Contact>)>> {
        ctx.actor.require(Permission::Export)?;
        let mut q = q.clone();
        q.per_page = 500;
        q.page = 1;
        let mut out = Vec::new();
        loop {
            let page = self.list_customers(ctx.actor, &q).await?;
            let done = page.items.len() < 500;
            for c in page.items {
                let primary = sqlx::query(
                    "SELECT * FROM contacts WHERE customer_id = $1 ORDER BY is_primary DESC, id LIMIT 1",
                )
                .bind(c.id)
                .fetch_optional(&self.pool)
                .await?
                .map(|r| contact(&r))
                .transpose()?;
                out.push((c, primary));
            }
            if done {
                break;
            }
            q.page += 1;
        }
        let described: String = described.chars().take(2000).collect();
        let mut tx = self.begin().await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "customer.export",
                entity: "customer",
                entity_id: None,
                summary: &format!("{} rows", out.len()),
                details: json!({ "query": described, "rows": out.len() }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(out)
    }
}

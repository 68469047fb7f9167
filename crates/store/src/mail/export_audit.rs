//! The audit entry of a mail export (ACC-7): who exported how many messages of what
//! (a customer's mail or a search), in which format.

use serde_json::json;

use crate::audit::{self, Entry};
use crate::{Ctx, Result, Store};

impl Store {
    /// Records that `count` messages were exported; `customer` when it was a
    /// customer's mail, else `query` (the search) is kept.
    pub async fn record_mail_export(
        &self,
        ctx: Ctx<'_>,
        customer: Option<i64>,
        query: &str,
        count: usize,
        format: &str,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "mail.export",
                entity: if customer.is_some() {
                    "customer"
                } else {
                    "mail"
                },
                entity_id: customer,
                summary: &format!("{count} messages as {format}"),
                details: json!({ "count": count, "format": format, "query": query }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

//! Many contact records at once (an import from another system, the sales bench's
//! seed): every row checked as one added by hand, the customers' visibility checked
//! in one query per chunk, then all rows, the customers' summaries and one audit row in
//! one transaction — a batch lands whole or not at all.

use std::collections::BTreeSet;

use serde_json::json;
use wharf_core::records::RecordInput;
use wharf_core::zone::Day;
use wharf_core::{DomainError, Permission};

use crate::audit::{self, Entry};
use crate::db::now;
use crate::{Ctx, Result, Store};

/// Rows per INSERT (11 parameters a row: SQLite finds `$n` by name, so statements stay
/// at a few hundred parameters; see BENCHMARKS.md).
const CHUNK: usize = 40;

impl Store {
    /// Adds `rows` (customer, record) as the actor's records; returns how many.
    pub async fn import_contact_records(
        &self,
        ctx: Ctx<'_>,
        rows: Vec<(i64, RecordInput)>,
    ) -> Result<usize> {
        ctx.actor.require(Permission::Customers)?;
        let zone = self.company_time_zone(ctx.actor).await?;
        let t = now();
        let mut checked = Vec::with_capacity(rows.len());
        for (customer, input) in rows {
            let (input, kind) = input.validate(t, &zone, None)?;
            if input.contact_id.is_some() || input.progress_id.is_some() {
                // References are checked one by one on the single-record path.
                return Err(DomainError::field("contact_id", "invalid_choice").into());
            }
            checked.push((customer, input, kind));
        }
        let customers: BTreeSet<i64> = checked.iter().map(|(c, ..)| *c).collect();
        let ids: Vec<i64> = customers.iter().copied().collect();
        for chunk in ids.chunks(500) {
            let (visible, mut values) = crate::customers::visible_condition(ctx.actor, 1);
            let first = values.len() + 1;
            values.extend(chunk);
            let sql = format!(
                "SELECT COUNT(*) FROM customers c WHERE {visible} AND c.id IN ({})",
                crate::rows::placeholders(first, chunk.len())
            );
            let mut q = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql));
            for v in &values {
                q = q.bind(*v);
            }
            if q.fetch_one(&self.pool).await? != chunk.len() as i64 {
                return Err(DomainError::NotFound.into());
            }
        }
        let mut tx = self.begin().await?;
        for chunk in checked.chunks(CHUNK) {
            let rows: Vec<String> = (0..chunk.len())
                .map(|i| {
                    let p = i * 9;
                    format!(
                        "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                        p + 1,
                        p + 2,
                        p + 3,
                        p + 4,
                        p + 5,
                        p + 6,
                        p + 7,
                        p + 8,
                        p + 9,
                        p + 8
                    )
                })
                .collect();
            let sql = format!(
                "INSERT INTO contact_records (customer_id, author_id, kind, content, happened_at, next_revisit, \
                 remind_at, created_at, reminded_at, updated_at) VALUES {}",
                rows.join(", ")
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (customer, input, kind) in chunk {
                q = q
                    .bind(*customer)
                    .bind(ctx.actor.user_id)
                    .bind(kind.code())
                    .bind(input.content.clone())
                    .bind(input.happened_at)
                    .bind(input.next_revisit.map(Day::iso))
                    .bind(input.remind_at)
                    .bind(t)
                    .bind(None::<i64>);
            }
            q.execute(&mut *tx).await?;
        }
        for customer in &customers {
            super::write::refresh_customer(&mut tx, *customer, &zone).await?;
        }
        let contacted: BTreeSet<i64> = checked
            .iter()
            .filter(|(_, _, kind)| kind.is_contact())
            .map(|(c, ..)| *c)
            .collect();
        for customer in contacted {
            crate::pipeline::mark_contacted(&mut tx, ctx.actor.user_id, customer).await?;
        }
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "record.import",
                entity: "customer",
                entity_id: None,
                summary: "",
                details: json!({ "records": checked.len(), "customers": customers.len() }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(checked.len())
    }
}

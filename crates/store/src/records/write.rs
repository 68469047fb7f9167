//! Adding, changing and deleting contact records. Each write checks the policy, the
//! input (core's rules), that the contact is the customer's and the progress an item
//! of the follow-up dictionary, then writes the record, the customer's
//! `last_contacted_at` / `next_revisit_at` and the audit row in one transaction.

use serde_json::json;
use wharf_core::records::RecordInput;
use wharf_core::zone::{Day, Zone};
use wharf_core::{Actor, DomainError};

use crate::audit::{self, Entry};
use crate::db::now;
use crate::{Ctx, Result, Store};

type Tx = sqlx::Transaction<'static, sqlx::Any>;

impl Store {
    /// Adds a record to a customer the actor may see (a shared one too: contacting the
    /// pool is what salespeople do). Returns its id.
    pub async fn add_contact_record(
        &self,
        ctx: Ctx<'_>,
        customer_id: i64,
        input: RecordInput,
    ) -> Result<i64> {
        self.get_customer(ctx.actor, customer_id).await?;
        let zone = self.company_time_zone(ctx.actor).await?;
        let t = now();
        let (input, kind) = input.validate(t, &zone, None)?;
        self.check_references(customer_id, &input).await?;
        let mut tx = self.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO contact_records (customer_id, contact_id, author_id, kind, content, progress_id, \
             happened_at, next_revisit, remind_at, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
        )
        .bind(customer_id)
        .bind(input.contact_id)
        .bind(ctx.actor.user_id)
        .bind(kind.code())
        .bind(&input.content)
        .bind(input.progress_id)
        .bind(input.happened_at)
        .bind(input.next_revisit.map(Day::iso))
        .bind(input.remind_at)
        .bind(t)
        .fetch_one(&mut *tx)
        .await?;
        refresh_customer(&mut tx, customer_id, &zone).await?;
        if kind.is_contact() {
            // A reserve or target customer contacted is "contacted" (seed 003's flag).
            crate::pipeline::mark_contacted(&mut tx, ctx.actor.user_id, customer_id).await?;
        }
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "record.add",
                entity: "customer",
                entity_id: Some(customer_id),
                summary: kind.code(),
                details: json!({ "record_id": id }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes a record the actor may change (its author, or a manager over them).
    pub async fn update_contact_record(
        &self,
        ctx: Ctx<'_>,
        id: i64,
        input: RecordInput,
    ) -> Result<()> {
        let old = self.changeable_record(ctx.actor, id).await?;
        let zone = self.company_time_zone(ctx.actor).await?;
        let t = now();
        let (input, kind) = input.validate(t, &zone, old.remind_at)?;
        self.check_references(old.customer_id, &input).await?;
        let mut tx = self.begin().await?;
        // A reminder moved is a reminder to push again.
        sqlx::query(
            "UPDATE contact_records SET contact_id = $1, kind = $2, content = $3, progress_id = $4, happened_at = $5, \
             next_revisit = $6, remind_at = $7, \
             reminded_at = CASE WHEN remind_at IS NOT DISTINCT FROM $7 THEN reminded_at ELSE NULL END, \
             updated_at = $8 WHERE id = $9",
        )
        .bind(input.contact_id)
        .bind(kind.code())
        .bind(&input.content)
        .bind(input.progress_id)
        .bind(input.happened_at)
        .bind(input.next_revisit.map(Day::iso))
        .bind(input.remind_at)
        .bind(t)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        refresh_customer(&mut tx, old.customer_id, &zone).await?;
        if kind.is_contact() {
            crate::pipeline::mark_contacted(&mut tx, ctx.actor.user_id, old.customer_id).await?;
        }
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "record.update",
                entity: "customer",
                entity_id: Some(old.customer_id),
                summary: kind.code(),
                details: json!({ "record_id": id, "before": old.content }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes a record the actor may change; returns its customer.
    pub async fn delete_contact_record(&self, ctx: Ctx<'_>, id: i64) -> Result<i64> {
        let old = self.changeable_record(ctx.actor, id).await?;
        let zone = self.company_time_zone(ctx.actor).await?;
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM contact_records WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        refresh_customer(&mut tx, old.customer_id, &zone).await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "record.delete",
                entity: "customer",
                entity_id: Some(old.customer_id),
                summary: &old.kind,
                details: json!({ "record_id": id, "content": old.content }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(old.customer_id)
    }

    async fn changeable_record(&self, actor: &Actor, id: i64) -> Result<super::ContactRecord> {
        let r = self.contact_record(actor, id).await?;
        if !r.may_change {
            return Err(DomainError::Denied.into());
        }
        Ok(r)
    }

    /// The contact must be one of the customer's, the progress an item of the
    /// follow-up dictionary.
    async fn check_references(&self, customer_id: i64, input: &RecordInput) -> Result<()> {
        if let Some(contact) = input.contact_id {
            let n: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM contacts WHERE id = $1 AND customer_id = $2",
            )
            .bind(contact)
            .bind(customer_id)
            .fetch_one(&self.pool)
            .await?;
            if n == 0 {
                return Err(DomainError::field("contact_id", "invalid_choice").into());
            }
        }
        if let Some(progress) = input.progress_id {
            let n: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM dict_items WHERE id = $1 AND kind = 'followup_stage'",
            )
            .bind(progress)
            .fetch_one(&self.pool)
            .await?;
            if n == 0 {
                return Err(DomainError::field("progress_id", "invalid_choice").into());
            }
        }
        Ok(())
    }
}

/// The customer's summary of its records: `last_contacted_at` is the latest record
/// that was a contact (not a note); `next_revisit_at` follows the latest record when
/// that one plans a revisit (otherwise the customer's own value stays, as typed on the
/// customer's form).
pub(super) async fn refresh_customer(tx: &mut Tx, customer_id: i64, zone: &Zone) -> Result<()> {
    let last: Option<i64> = sqlx::query_scalar(
        "SELECT MAX(happened_at) FROM contact_records WHERE customer_id = $1 AND kind <> 'note'",
    )
    .bind(customer_id)
    .fetch_one(&mut **tx)
    .await?;
    let latest_revisit: Option<Option<String>> = sqlx::query_scalar(
        "SELECT next_revisit FROM contact_records WHERE customer_id = $1 ORDER BY happened_at DESC, id DESC LIMIT 1",
    )
    .bind(customer_id)
    .fetch_optional(&mut **tx)
    .await?;
    let revisit = latest_revisit
        .flatten()
        .and_then(|d| Day::parse_iso(&d))
        .map(|d| zone.day_start(d));
    sqlx::query(
        "UPDATE customers SET last_contacted_at = $1, next_revisit_at = COALESCE($2, next_revisit_at) WHERE id = $3",
    )
    .bind(last)
    .bind(revisit)
    .bind(customer_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

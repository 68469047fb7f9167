//! Admin-defined customer fields (SPEC CUST-1): their definitions (system administrators
//! add, change, order and delete them; everyone working customers reads them) and their
//! values, kept per customer in `customer_field_values`, non-empty ones only.

use std::collections::HashMap;

use serde_json::json;
use wharf_core::custom_field::{CustomField, CustomFieldInput, choice_list};
use wharf_core::{Actor, DomainError, Permission};

use crate::audit::{self, Entry};
use crate::db::now;
use crate::rows::{flag, int, placeholders, text};
use crate::{Ctx, Result, Store};

/// Values are read for this many customers per statement.
const READ_CHUNK: usize = 400;

impl Store {
    /// The defined fields in their order: for those who work customers, and for the
    /// administrators who define them.
    pub async fn custom_fields(&self, actor: &Actor) -> Result<Vec<CustomField>> {
        if !actor.has(Permission::SystemAdmin) {
            actor.require(Permission::Customers)?;
        }
        self.custom_field_defs().await
    }

    pub(crate) async fn custom_field_defs(&self) -> Result<Vec<CustomField>> {
        let rows = sqlx::query(
            "SELECT id, label, kind, choices, required, position FROM customer_fields ORDER BY position, id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| {
                Ok(CustomField {
                    id: int(r, "id")?,
                    label: text(r, "label")?,
                    kind: text(r, "kind")?,
                    choices: choice_list(&text(r, "choices")?),
                    required: flag(r, "required")?,
                    position: int(r, "position")?,
                })
            })
            .collect::<sqlx::Result<_>>()?)
    }

    async fn label_taken(&self, label: &str, except: i64) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM customer_fields WHERE LOWER(label) = LOWER($1) AND id <> $2",
        )
        .bind(label)
        .bind(except)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    /// Adds a field at the end.
    pub async fn create_custom_field(&self, ctx: Ctx<'_>, input: CustomFieldInput) -> Result<i64> {
        ctx.actor.require(Permission::SystemAdmin)?;
        let input = input.validate()?;
        if self.label_taken(&input.label, 0).await? {
            return Err(DomainError::field("label", "duplicate_name").into());
        }
        let mut tx = self.begin().await?;
        let position: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(position), 0) + 1 FROM customer_fields")
                .fetch_one(&mut *tx)
                .await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO customer_fields (label, kind, choices, required, position, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(&input.label)
        .bind(&input.kind)
        .bind(&input.choices)
        .bind(i64::from(input.required))
        .bind(position)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        audit::record(&mut tx, ctx, entry("custom_field.create", id, &input)).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes a field's label, options, requirement and place. Its kind is fixed once
    /// values exist (they were checked as that kind); an option that values still use
    /// cannot be removed.
    pub async fn update_custom_field(
        &self,
        ctx: Ctx<'_>,
        id: i64,
        input: CustomFieldInput,
        position: i64,
    ) -> Result<()> {
        ctx.actor.require(Permission::SystemAdmin)?;
        let before = self.custom_field(id).await?;
        let input = input.validate()?;
        if self.label_taken(&input.label, id).await? {
            return Err(DomainError::field("label", "duplicate_name").into());
        }
        let used = self.custom_field_usage(id).await?;
        if input.kind != before.kind && used > 0 {
            return Err(DomainError::refused("field_in_use", used).into());
        }
        if input.kind == "choice" {
            let kept = choice_list(&input.choices);
            for old in before.choices.iter().filter(|o| !kept.contains(o)) {
                let n: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM customer_field_values WHERE field_id = $1 AND value = $2",
                )
                .bind(id)
                .bind(old)
                .fetch_one(&self.pool)
                .await?;
                if n > 0 {
                    return Err(DomainError::refused("choice_in_use", n).into());
                }
            }
        }
        let mut tx = self.begin().await?;
        sqlx::query(
            "UPDATE customer_fields SET label = $1, kind = $2, choices = $3, required = $4, position = $5 WHERE id = $6",
        )
        .bind(&input.label)
        .bind(&input.kind)
        .bind(&input.choices)
        .bind(i64::from(input.required))
        .bind(position)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        audit::record(&mut tx, ctx, entry("custom_field.update", id, &input)).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn get_custom_field(&self, actor: &Actor, id: i64) -> Result<CustomField> {
        self.custom_fields(actor)
            .await?
            .into_iter()
            .find(|f| f.id == id)
            .ok_or(DomainError::NotFound.into())
    }

    async fn custom_field(&self, id: i64) -> Result<CustomField> {
        self.custom_field_defs()
            .await?
            .into_iter()
            .find(|f| f.id == id)
            .ok_or(DomainError::NotFound.into())
    }

    /// How many customers have a value in the field.
    pub async fn custom_field_usage(&self, id: i64) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM customer_field_values WHERE field_id = $1")
                .bind(id)
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// Deletes a field and every value in it (the page asks first, saying how many).
    pub async fn delete_custom_field(&self, ctx: Ctx<'_>, id: i64) -> Result<()> {
        ctx.actor.require(Permission::SystemAdmin)?;
        let f = self.custom_field(id).await?;
        let used = self.custom_field_usage(id).await?;
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM customer_field_values WHERE field_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM customer_fields WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "custom_field.delete",
                entity: "custom_field",
                entity_id: Some(id),
                summary: &f.label,
                details: json!({ "kind": f.kind, "values_deleted": used }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The custom values of these customers: customer id → (field id, value), by field.
    pub(crate) async fn custom_values_of(
        &self,
        ids: &[i64],
    ) -> Result<HashMap<i64, Vec<(i64, String)>>> {
        let mut out: HashMap<i64, Vec<(i64, String)>> = HashMap::new();
        for chunk in ids.chunks(READ_CHUNK) {
            let sql = format!(
                "SELECT customer_id, field_id, value FROM customer_field_values WHERE customer_id IN ({}) \
                 ORDER BY customer_id, field_id",
                placeholders(1, chunk.len())
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for id in chunk {
                q = q.bind(id);
            }
            for r in q.fetch_all(&self.pool).await? {
                out.entry(int(&r, "customer_id")?)
                    .or_default()
                    .push((int(&r, "field_id")?, text(&r, "value")?));
            }
        }
        Ok(out)
    }
}

/// Replaces a customer's custom values (already checked and normalised).
pub(crate) async fn write_custom_values(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    customer_id: i64,
    values: &[(i64, String)],
    defs: &[CustomField],
) -> Result<()> {
    sqlx::query("DELETE FROM customer_field_values WHERE customer_id = $1")
        .bind(customer_id)
        .execute(&mut **tx)
        .await?;
    insert_custom_values(tx, &[(customer_id, values)], defs).await
}

/// Inserts custom values of new customers, a few hundred parameters per statement.
pub(crate) async fn insert_custom_values(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    rows: &[(i64, &[(i64, String)])],
    defs: &[CustomField],
) -> Result<()> {
    let flat: Vec<(i64, i64, &str, Option<f64>)> = rows
        .iter()
        .flat_map(|(customer, values)| {
            values.iter().map(move |(field, value)| {
                let is_number = defs.iter().any(|d| d.id == *field && d.kind == "number");
                let num = if is_number {
                    value.parse::<f64>().ok()
                } else {
                    None
                };
                (*customer, *field, value.as_str(), num)
            })
        })
        .collect();
    for chunk in flat.chunks(100) {
        let tuples: Vec<String> = (0..chunk.len())
            .map(|i| {
                let b = i * 4;
                format!("(${}, ${}, ${}, ${})", b + 1, b + 2, b + 3, b + 4)
            })
            .collect();
        let sql = format!(
            "INSERT INTO customer_field_values (customer_id, field_id, value, num) VALUES {}",
            tuples.join(", ")
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (customer, field, value, num) in chunk {
            q = q.bind(*customer).bind(*field).bind(*value).bind(*num);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

fn entry<'a>(action: &'static str, id: i64, f: &'a CustomFieldInput) -> Entry<'a> {
    Entry {
        action,
        entity: "custom_field",
        entity_id: Some(id),
        summary: &f.label,
        details: json!({ "kind": f.kind, "choices": f.choices, "required": f.required }),
    }
}

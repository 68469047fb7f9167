//! Changing the catalog: create, update, archive / restore. Holders of `products`
//! only; each change audited in its transaction.

use serde_json::json;
use sqlx::{Any, Transaction};
use wharf_core::products::{ProductEntry, ProductInput};
use wharf_core::{DomainError, Permission};

use crate::audit::{self, Entry};
use crate::db::now;
use crate::{Ctx, Result, Store};

impl Store {
    pub async fn create_product(&self, ctx: Ctx<'_>, input: &ProductInput) -> Result<i64> {
        ctx.actor.require(Permission::Products)?;
        let entry = input.validate()?;
        let mut tx = self.begin().await?;
        let id = insert_product(&mut tx, ctx, &entry).await?;
        audit::record(&mut tx, ctx, audit_entry("product.create", id, &entry)).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn update_product(&self, ctx: Ctx<'_>, id: i64, input: &ProductInput) -> Result<()> {
        ctx.actor.require(Permission::Products)?;
        let before = self.get_product(ctx.actor, id).await?;
        let entry = input.validate()?;
        let mut tx = self.begin().await?;
        check_refs(&mut tx, &entry, Some(id)).await?;
        sqlx::query(
            "UPDATE products SET type_id = $1, name_en = $2, name_zh = $3, model = $4, model_key = $5, \
             spec = $6, unit = $7, hs_code = $8, moq = $9, lead_time_days = $10, description = $11, \
             active = $12, search_text = $13, updated_at = $14 WHERE id = $15",
        )
        .bind(entry.type_id)
        .bind(&entry.name_en)
        .bind(&entry.name_zh)
        .bind(&entry.model)
        .bind(entry.model_key())
        .bind(&entry.spec)
        .bind(&entry.unit)
        .bind(&entry.hs_code)
        .bind(entry.moq.map(|q| q.to_string()))
        .bind(entry.lead_time_days)
        .bind(&entry.description)
        .bind(i64::from(entry.active))
        .bind(entry.search_text())
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        write_tiers(&mut tx, id, &entry).await?;
        let mut e = audit_entry("product.update", id, &entry);
        e.details["before"] = json!({
            "name_en": before.name_en, "name_zh": before.name_zh, "model": before.model,
            "active": before.active, "tiers": before.tiers,
        });
        audit::record(&mut tx, ctx, e).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Archives (`active` false: out of the picker and the default list) or restores.
    pub async fn set_product_active(&self, ctx: Ctx<'_>, id: i64, active: bool) -> Result<()> {
        ctx.actor.require(Permission::Products)?;
        let p = self.get_product(ctx.actor, id).await?;
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE products SET active = $1, updated_at = $2 WHERE id = $3")
            .bind(i64::from(active))
            .bind(now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: if active {
                    "product.restore"
                } else {
                    "product.archive"
                },
                entity: "product",
                entity_id: Some(id),
                summary: p.name(true),
                details: json!({}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The type must be a product type; the model must be free (case-insensitively).
pub(super) async fn check_refs(
    tx: &mut Transaction<'static, Any>,
    entry: &ProductEntry,
    except: Option<i64>,
) -> Result<()> {
    if let Some(t) = entry.type_id {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM dict_items WHERE id = $1 AND kind = 'product_type'",
        )
        .bind(t)
        .fetch_one(&mut **tx)
        .await?;
        if n == 0 {
            return Err(DomainError::field("type_id", "invalid_choice").into());
        }
    }
    if let Some(key) = entry.model_key() {
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM products WHERE model_key = $1 AND id <> $2")
                .bind(key)
                .bind(except.unwrap_or(0))
                .fetch_one(&mut **tx)
                .await?;
        if n > 0 {
            return Err(DomainError::field("model", "product_model_exists").into());
        }
    }
    Ok(())
}

/// Inserts a checked product and its tiers (no audit: the caller's).
pub(super) async fn insert_product(
    tx: &mut Transaction<'static, Any>,
    ctx: Ctx<'_>,
    entry: &ProductEntry,
) -> Result<i64> {
    check_refs(tx, entry, None).await?;
    let t = now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO products (type_id, name_en, name_zh, model, model_key, spec, unit, hs_code, moq, \
         lead_time_days, description, active, search_text, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id",
    )
    .bind(entry.type_id)
    .bind(&entry.name_en)
    .bind(&entry.name_zh)
    .bind(&entry.model)
    .bind(entry.model_key())
    .bind(&entry.spec)
    .bind(&entry.unit)
    .bind(&entry.hs_code)
    .bind(entry.moq.map(|q| q.to_string()))
    .bind(entry.lead_time_days)
    .bind(&entry.description)
    .bind(i64::from(entry.active))
    .bind(entry.search_text())
    .bind(ctx.actor.user_id)
    .bind(t)
    .fetch_one(&mut **tx)
    .await?;
    write_tiers(tx, id, entry).await?;
    Ok(id)
}

async fn write_tiers(
    tx: &mut Transaction<'static, Any>,
    id: i64,
    entry: &ProductEntry,
) -> Result<()> {
    sqlx::query("DELETE FROM product_prices WHERE product_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for (i, t) in entry.tiers.iter().enumerate() {
        sqlx::query(
            "INSERT INTO product_prices (product_id, currency, min_qty, unit_price, position) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(t.currency.code())
        .bind(t.min_qty.to_string())
        .bind(t.unit_price.to_string())
        .bind(i as i64)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

pub(super) fn audit_entry(action: &'static str, id: i64, e: &ProductEntry) -> Entry<'static> {
    Entry {
        action,
        entity: "product",
        entity_id: Some(id),
        summary: "",
        details: json!({
            "name_en": e.name_en, "name_zh": e.name_zh, "model": e.model, "unit": e.unit,
            "hs_code": e.hs_code, "moq": e.moq.map(|q| q.to_string()),
            "lead_time_days": e.lead_time_days, "active": e.active, "tiers": e.tiers,
        }),
    }
}

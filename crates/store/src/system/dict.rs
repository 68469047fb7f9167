//! The data dictionary (SPEC BASE-1): base data by kind, sorted, and protected from
//! deletion while something uses it.

use serde_json::json;
use wharf_core::dict::{DictItemInput, DictKind};
use wharf_core::{Actor, DomainError, Permission};

use crate::audit::{self, Entry};
use crate::db::now;
use crate::rows::{int, text};
use crate::{Ctx, Result, Store};

/// Where each kind of item is referenced. A later feature that stores a dictionary id
/// adds its column here, and deletion checks it.
const USAGES: &[(DictKind, &str, &str)] = &[
    (DictKind::Position, "users", "position_id"),
    (DictKind::CustomerType, "customers", "type_id"),
    (DictKind::CustomerStatus, "customers", "status_id"),
    (DictKind::CustomerSource, "customers", "source_id"),
    (DictKind::Industry, "customers", "industry_id"),
    (DictKind::Country, "customers", "country_id"),
    (DictKind::MailType, "messages", "mail_type_id"),
    (DictKind::ProductType, "products", "type_id"),
];

#[derive(Debug, Clone, serde::Serialize)]
pub struct DictItem {
    pub id: i64,
    pub kind: String,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub sort_order: i64,
}

impl Store {
    /// Items of one kind in their sort order; any signed-in user may read base data.
    pub async fn list_dict(&self, _actor: &Actor, kind: DictKind) -> Result<Vec<DictItem>> {
        let rows = sqlx::query(
            "SELECT id, kind, code, name_zh, name_en, sort_order FROM dict_items WHERE kind = $1 ORDER BY sort_order, id",
        )
        .bind(kind.code())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| {
                Ok(DictItem {
                    id: int(r, "id")?,
                    kind: text(r, "kind")?,
                    code: text(r, "code")?,
                    name_zh: text(r, "name_zh")?,
                    name_en: text(r, "name_en")?,
                    sort_order: int(r, "sort_order")?,
                })
            })
            .collect::<sqlx::Result<_>>()?)
    }

    pub async fn get_dict_item(&self, actor: &Actor, kind: DictKind, id: i64) -> Result<DictItem> {
        self.list_dict(actor, kind)
            .await?
            .into_iter()
            .find(|i| i.id == id)
            .ok_or(DomainError::NotFound.into())
    }

    async fn check_dict(&self, kind: DictKind, id: i64, input: &DictItemInput) -> Result<()> {
        let mut e = wharf_core::validate::FieldErrors::default();
        for (field, value) in [
            ("code", &input.code),
            ("name_zh", &input.name_zh),
            ("name_en", &input.name_en),
        ] {
            if value.is_empty() {
                continue;
            }
            let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT COUNT(*) FROM dict_items WHERE kind = $1 AND LOWER({field}) = LOWER($2) AND id <> $3"
            )))
            .bind(kind.code())
            .bind(value)
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
            if n > 0 {
                e.add(
                    field,
                    if field == "code" {
                        "duplicate_code"
                    } else {
                        "duplicate_name"
                    },
                );
            }
        }
        Ok(e.into_result()?)
    }

    pub async fn create_dict_item(
        &self,
        ctx: Ctx<'_>,
        kind: DictKind,
        input: DictItemInput,
    ) -> Result<i64> {
        ctx.actor.require(Permission::SystemAdmin)?;
        let input = input.validate(kind)?;
        self.check_dict(kind, 0, &input).await?;
        let t = now();
        let mut tx = self.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO dict_items (kind, code, name_zh, name_en, sort_order, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
        )
        .bind(kind.code())
        .bind(&input.code)
        .bind(&input.name_zh)
        .bind(&input.name_en)
        .bind(input.sort_order)
        .bind(t)
        .fetch_one(&mut *tx)
        .await?;
        audit::record(&mut tx, ctx, entry("dict.create", kind, id, &input)).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn update_dict_item(
        &self,
        ctx: Ctx<'_>,
        kind: DictKind,
        id: i64,
        input: DictItemInput,
    ) -> Result<()> {
        ctx.actor.require(Permission::SystemAdmin)?;
        self.get_dict_item(ctx.actor, kind, id).await?;
        let input = input.validate(kind)?;
        self.check_dict(kind, id, &input).await?;
        let mut tx = self.begin().await?;
        sqlx::query(
            "UPDATE dict_items SET code = $1, name_zh = $2, name_en = $3, sort_order = $4, updated_at = $5 WHERE id = $6",
        )
        .bind(&input.code)
        .bind(&input.name_zh)
        .bind(&input.name_en)
        .bind(input.sort_order)
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        audit::record(&mut tx, ctx, entry("dict.update", kind, id, &input)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// How many records use an item.
    pub async fn dict_item_usage(&self, kind: DictKind, id: i64) -> Result<i64> {
        let mut total = 0;
        for (k, table, column) in USAGES {
            if *k == kind {
                let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                    "SELECT COUNT(*) FROM {table} WHERE {column} = $1"
                )))
                .bind(id)
                .fetch_one(&self.pool)
                .await?;
                total += n;
            }
        }
        Ok(total)
    }

    /// Deletes an item nothing uses; one in use is refused with the number of users.
    pub async fn delete_dict_item(&self, ctx: Ctx<'_>, kind: DictKind, id: i64) -> Result<()> {
        ctx.actor.require(Permission::SystemAdmin)?;
        let item = self.get_dict_item(ctx.actor, kind, id).await?;
        let used = self.dict_item_usage(kind, id).await?;
        if used > 0 {
            return Err(DomainError::refused("item_in_use", used).into());
        }
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM dict_items WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let name = format!("{} / {}", item.name_zh, item.name_en);
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "dict.delete",
                entity: "dict_item",
                entity_id: Some(id),
                summary: &name,
                details: json!({"kind": kind.code(), "code": item.code}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

fn entry<'a>(action: &'static str, kind: DictKind, id: i64, i: &'a DictItemInput) -> Entry<'a> {
    Entry {
        action,
        entity: "dict_item",
        entity_id: Some(id),
        summary: if i.name_zh.is_empty() {
            &i.name_en
        } else {
            &i.name_zh
        },
        details: json!({"kind": kind.code(), "code": i.code, "name_zh": i.name_zh, "name_en": i.name_en,
            "sort_order": i.sort_order}),
    }
}

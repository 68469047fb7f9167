//! A checked import's products written in one transaction: all or none.

use serde_json::json;
use wharf_core::Permission;
use wharf_core::products::ProductEntry;

use super::write::insert_product;
use crate::audit::{self, Entry};
use crate::{Ctx, Result, Store};

impl Store {
    /// Creates every product or none (a model taken since the preview refuses all);
    /// one audit entry names the file and the count.
    pub async fn import_products(
        &self,
        ctx: Ctx<'_>,
        file_name: &str,
        entries: &[ProductEntry],
    ) -> Result<Vec<i64>> {
        ctx.actor.require(Permission::Products)?;
        let mut tx = self.begin().await?;
        let mut ids = Vec::with_capacity(entries.len());
        for e in entries {
            ids.push(insert_product(&mut tx, ctx, e).await?);
        }
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "product.import",
                entity: "product",
                entity_id: None,
                summary: file_name,
                details: json!({ "count": ids.len(), "first_id": ids.first(), "last_id": ids.last() }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(ids)
    }

    /// Which of these lower-cased models are taken already.
    pub async fn taken_models(&self, keys: &[String]) -> Result<Vec<String>> {
        let mut taken = Vec::new();
        // In chunks, so a big file is a few statements, not one per row.
        for chunk in keys.chunks(500) {
            let sql = format!(
                "SELECT model_key FROM products WHERE model_key IN ({})",
                crate::rows::placeholders(1, chunk.len())
            );
            let mut q = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql));
            for k in chunk {
                q = q.bind(k.clone());
            }
            taken.extend(q.fetch_all(&self.pool).await?);
        }
        Ok(taken)
    }
}

/// The pref that names a user's uploaded, previewed import file: `hash\nfile name`.
const PENDING: &str = "product_import";

impl Store {
    /// Keeps an uploaded import file (its blob) as the actor's pending import, replacing
    /// any earlier one; `data` holds a small file's bytes (a big one is in the blob store
    /// already). Only its uploader can run it: the run reads the actor's own pending one.
    pub async fn keep_product_import(
        &self,
        actor: &wharf_core::Actor,
        file_name: &str,
        hash: &str,
        size: i64,
        data: Option<&[u8]>,
    ) -> Result<()> {
        actor.require(Permission::Products)?;
        sqlx::query(
            "INSERT INTO blobs (hash, size, data, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (hash) DO UPDATE SET created_at = excluded.created_at",
        )
        .bind(hash)
        .bind(size)
        .bind(data.map(<[u8]>::to_vec))
        .bind(crate::db::now())
        .execute(&self.pool)
        .await?;
        let name: String = file_name
            .chars()
            .filter(|c| !c.is_control())
            .take(200)
            .collect();
        self.set_pref(actor, PENDING, &format!("{hash}\n{name}"))
            .await
    }

    /// The actor's pending import: (blob hash, file name).
    pub async fn pending_product_import(
        &self,
        actor: &wharf_core::Actor,
    ) -> Result<Option<(String, String)>> {
        Ok(self.pref(actor, PENDING).await?.and_then(|v| {
            v.split_once('\n')
                .map(|(h, n)| (h.to_string(), n.to_string()))
        }))
    }

    pub async fn clear_product_import(&self, actor: &wharf_core::Actor) -> Result<()> {
        self.set_pref(actor, PENDING, "").await
    }
}

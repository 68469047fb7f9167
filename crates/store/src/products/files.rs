//! Pictures and documents of a product, in the blob store like customer documents:
//! everyone signed in sees and downloads them, holders of `products` add and remove.

use serde_json::json;
use wharf_core::{Actor, DomainError, Permission};

use crate::audit::{self, Entry};
use crate::db::now;
use crate::rows::{int, text};
use crate::{Ctx, Result, Store};

/// The most files one product keeps.
pub const MAX_FILES: i64 = 30;

#[derive(Debug, Clone, serde::Serialize)]
pub struct ProductFile {
    pub id: i64,
    pub product_id: i64,
    /// `picture` or `document`.
    pub kind: String,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub blob_hash: String,
    pub created_at: i64,
}

fn file(r: &sqlx::any::AnyRow) -> sqlx::Result<ProductFile> {
    Ok(ProductFile {
        id: int(r, "id")?,
        product_id: int(r, "product_id")?,
        kind: text(r, "kind")?,
        filename: text(r, "filename")?,
        content_type: text(r, "content_type")?,
        size: int(r, "size")?,
        blob_hash: text(r, "blob_hash")?,
        created_at: int(r, "created_at")?,
    })
}

impl Store {
    /// Refuses a file before its bytes are written anywhere.
    pub async fn may_add_product_file(&self, actor: &Actor, product_id: i64) -> Result<()> {
        actor.require(Permission::Products)?;
        self.get_product(actor, product_id).await?;
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM product_files WHERE product_id = $1")
            .bind(product_id)
            .fetch_one(&self.pool)
            .await?;
        if n >= MAX_FILES {
            return Err(DomainError::field("file", "too_many_files").into());
        }
        Ok(())
    }

    /// Keeps a picture or document with a product; `data` holds a small file's bytes
    /// (big ones the caller wrote to the blob store first).
    #[allow(clippy::too_many_arguments)]
    pub async fn add_product_file(
        &self,
        ctx: Ctx<'_>,
        product_id: i64,
        picture: bool,
        filename: &str,
        content_type: &str,
        hash: &str,
        size: i64,
        data: Option<&[u8]>,
    ) -> Result<i64> {
        self.may_add_product_file(ctx.actor, product_id).await?;
        let name = &wharf_core::validate::name("file", filename, 255)?;
        let t = now();
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO blobs (hash, size, data, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (hash) DO UPDATE SET created_at = excluded.created_at",
        )
        .bind(hash)
        .bind(size)
        .bind(data.map(<[u8]>::to_vec))
        .bind(t)
        .execute(&mut *tx)
        .await?;
        let kind = if picture { "picture" } else { "document" };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO product_files (product_id, kind, filename, content_type, size, blob_hash, uploaded_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(product_id)
        .bind(kind)
        .bind(name)
        .bind(content_type)
        .bind(size)
        .bind(hash)
        .bind(ctx.actor.user_id)
        .bind(t)
        .fetch_one(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "product.file.add",
                entity: "product",
                entity_id: Some(product_id),
                summary: name,
                details: json!({ "file_id": id, "kind": kind, "size": size, "hash": hash }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A product's files, pictures first, oldest first.
    pub async fn product_files(&self, _actor: &Actor, product_id: i64) -> Result<Vec<ProductFile>> {
        Ok(
            sqlx::query("SELECT * FROM product_files WHERE product_id = $1 ORDER BY kind DESC, id")
                .bind(product_id)
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(file)
                .collect::<sqlx::Result<_>>()?,
        )
    }

    pub async fn product_file(&self, _actor: &Actor, id: i64) -> Result<ProductFile> {
        let r = sqlx::query("SELECT * FROM product_files WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(DomainError::NotFound)?;
        Ok(file(&r)?)
    }

    /// Removes a file; gives its product.
    pub async fn delete_product_file(&self, ctx: Ctx<'_>, id: i64) -> Result<i64> {
        ctx.actor.require(Permission::Products)?;
        let f = self.product_file(ctx.actor, id).await?;
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM product_files WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "product.file.delete",
                entity: "product",
                entity_id: Some(f.product_id),
                summary: &f.filename,
                details: json!({ "file_id": id, "hash": f.blob_hash }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(f.product_id)
    }
}

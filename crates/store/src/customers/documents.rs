//! Documents kept with a customer (SPEC CUST-7): files in the blob store, listed and
//! downloaded by whoever may see the customer, added and removed by whoever may edit it.

use serde_json::json;
use wharf_core::{Actor, DomainError};

use crate::audit::{self, Entry};
use crate::db::now;
use crate::rows::{int, text};
use crate::{Ctx, Result, Store};

#[derive(Debug, Clone, serde::Serialize)]
pub struct Document {
    pub id: i64,
    pub customer_id: i64,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub blob_hash: String,
    pub uploaded_by: String,
    pub created_at: i64,
}

fn document(r: &sqlx::any::AnyRow) -> sqlx::Result<Document> {
    Ok(Document {
        id: int(r, "id")?,
        customer_id: int(r, "customer_id")?,
        filename: text(r, "filename")?,
        content_type: text(r, "content_type")?,
        size: int(r, "size")?,
        blob_hash: text(r, "blob_hash")?,
        uploaded_by: text(r, "uploader")?,
        created_at: int(r, "created_at")?,
    })
}

const SELECT: &str = "SELECT d.*, COALESCE(u.name, '') AS uploader FROM customer_documents d \
     LEFT JOIN users u ON u.id = d.uploaded_by";

impl Store {
    /// Refuses a document before its bytes are written anywhere: the customer must be
    /// editable by the actor and the file name acceptable ([`Store::add_document`]
    /// checks the same again).
    pub async fn may_add_document(
        &self,
        actor: &Actor,
        customer_id: i64,
        filename: &str,
    ) -> Result<()> {
        if !self.get_customer(actor, customer_id).await?.may_edit {
            return Err(DomainError::Denied.into());
        }
        let name = filename.trim();
        if name.is_empty() || name.chars().count() > 255 {
            return Err(DomainError::field("file", "required").into());
        }
        Ok(())
    }

    /// Keeps a file with a customer. The blob is written by the caller (big ones to the
    /// blob store first); `data` holds the bytes of a small one.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_document(
        &self,
        ctx: Ctx<'_>,
        customer_id: i64,
        filename: &str,
        content_type: &str,
        hash: &str,
        size: i64,
        data: Option<&[u8]>,
    ) -> Result<i64> {
        let d = self.get_customer(ctx.actor, customer_id).await?;
        if !d.may_edit {
            return Err(DomainError::Denied.into());
        }
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
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO customer_documents (customer_id, filename, content_type, size, blob_hash, uploaded_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(customer_id)
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
                action: "customer.document.add",
                entity: "customer",
                entity_id: Some(customer_id),
                summary: name,
                details: json!({ "document_id": id, "size": size, "hash": hash }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A customer's documents, newest first.
    pub async fn documents(&self, actor: &Actor, customer_id: i64) -> Result<Vec<Document>> {
        self.get_customer(actor, customer_id).await?;
        Ok(sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE d.customer_id = $1 ORDER BY d.created_at DESC, d.id DESC"
        )))
        .bind(customer_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(document)
        .collect::<sqlx::Result<_>>()?)
    }

    /// One document of a customer the actor may see.
    pub async fn document(&self, actor: &Actor, id: i64) -> Result<Document> {
        let d = sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE d.id = $1")))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(DomainError::NotFound)?;
        let d = document(&d)?;
        self.get_customer(actor, d.customer_id).await?;
        Ok(d)
    }

    pub async fn delete_document(&self, ctx: Ctx<'_>, id: i64) -> Result<i64> {
        let d = self.document(ctx.actor, id).await?;
        if !self.get_customer(ctx.actor, d.customer_id).await?.may_edit {
            return Err(DomainError::Denied.into());
        }
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM customer_documents WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "customer.document.delete",
                entity: "customer",
                entity_id: Some(d.customer_id),
                summary: &d.filename,
                details: json!({ "document_id": id, "hash": d.blob_hash }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(d.customer_id)
    }
}

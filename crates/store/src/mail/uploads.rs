//! Files uploaded with a mail that could not be sent yet (SEND-1, "nothing lost"): kept
//! per user, so a refused send does not ask for them again. The bytes live in the blob
//! store like any attachment; only their owner can use them.

use wharf_core::{Actor, DomainError};

use crate::db::now;
use crate::rows::{int, text};
use crate::{Result, Store};

#[derive(Debug, Clone, serde::Serialize)]
pub struct Upload {
    pub id: i64,
    pub blob_hash: String,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
}

impl Store {
    /// Records an upload whose blob is stored: `data` holds the bytes when they are
    /// small enough to live in the database (the caller wrote bigger ones to the blob
    /// store).
    pub async fn keep_upload(
        &self,
        actor: &Actor,
        hash: &str,
        size: i64,
        data: Option<&[u8]>,
        filename: &str,
        content_type: &str,
    ) -> Result<Upload> {
        let filename = &wharf_core::validate::clean_line(filename)
            .map_err(|code| DomainError::field("attachments", code))?;
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
            "INSERT INTO mail_uploads (user_id, blob_hash, filename, content_type, size, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(actor.user_id)
        .bind(hash)
        .bind(filename)
        .bind(content_type)
        .bind(size)
        .bind(t)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Upload {
            id,
            blob_hash: hash.to_string(),
            filename: filename.to_string(),
            content_type: content_type.to_string(),
            size,
        })
    }

    /// The actor's own uploads among `ids`; anyone else's id is not found.
    pub async fn uploads(&self, actor: &Actor, ids: &[i64]) -> Result<Vec<Upload>> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let r = sqlx::query(
                "SELECT id, blob_hash, filename, content_type, size FROM mail_uploads WHERE id = $1 AND user_id = $2",
            )
            .bind(id)
            .bind(actor.user_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(DomainError::NotFound)?;
            out.push(Upload {
                id: int(&r, "id")?,
                blob_hash: text(&r, "blob_hash")?,
                filename: text(&r, "filename")?,
                content_type: text(&r, "content_type")?,
                size: int(&r, "size")?,
            });
        }
        Ok(out)
    }

    /// Forgets uploads once the mail that carried them was sent (the blob stays: it is
    /// the attachment of the sent message now).
    pub async fn forget_uploads(&self, actor: &Actor, ids: &[i64]) -> Result<()> {
        for id in ids {
            sqlx::query("DELETE FROM mail_uploads WHERE id = $1 AND user_id = $2")
                .bind(id)
                .bind(actor.user_id)
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }
}

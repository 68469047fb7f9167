//! The blob sweep's database side (issue 14): kept mail uploads older than 30 days are
//! forgotten, and blob rows that no row names any more are deleted — only those last
//! stored more than a day ago (storing a blob again refreshes its `created_at`), so a
//! blob being written or referenced right now is never taken. The files are swept by
//! `wharf_mailbox::sweep` against [`Store::blobs_with_rows`].

use crate::{Result, Store};

/// A blob younger than this is never swept.
pub const GRACE_SECS: i64 = 86_400;
/// Kept uploads of a mail never sent are forgotten after this.
pub const UPLOAD_KEEP_SECS: i64 = 30 * 86_400;

/// The tables whose `blob_hash` names a blob.
const REFERENCES: &[&str] = &[
    "messages",
    "attachments",
    "mail_uploads",
    "customer_documents",
    "product_files",
    "letterhead_logo",
];

impl Store {
    /// Forgets kept mail uploads created before `before`; gives how many.
    pub async fn forget_uploads_before(&self, before: i64) -> Result<u64> {
        Ok(
            sqlx::query("DELETE FROM mail_uploads WHERE created_at < $1")
                .bind(before)
                .execute(&self.pool)
                .await?
                .rows_affected(),
        )
    }

    /// Deletes the blob rows last stored before `before` that no row names; gives their
    /// hashes (their files, if any, go with the file sweep).
    pub async fn delete_unreferenced_blobs(&self, before: i64) -> Result<Vec<String>> {
        let unreferenced = REFERENCES
            .iter()
            .map(|t| format!("NOT EXISTS (SELECT 1 FROM {t} r WHERE r.blob_hash = blobs.hash)"))
            .collect::<Vec<_>>()
            .join(" AND ");
        let mut tx = self.begin().await?;
        let hashes: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "DELETE FROM blobs WHERE created_at < $1 AND {unreferenced} RETURNING hash"
        )))
        .bind(before)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(hashes)
    }

    /// Those of `hashes` that have a blob row (rows that name a blob need its row).
    pub async fn blobs_with_rows(&self, hashes: &[String]) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for chunk in hashes.chunks(500) {
            let list = crate::rows::placeholders(1, chunk.len());
            let mut q = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(format!(
                "SELECT hash FROM blobs WHERE hash IN ({list})"
            )));
            for h in chunk {
                q = q.bind(h.clone());
            }
            out.extend(q.fetch_all(&self.pool).await?);
        }
        Ok(out)
    }
}

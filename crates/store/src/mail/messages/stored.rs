//! Reading the index back and keeping its server side in step: an account's stored
//! messages, a folder's UIDs, blobs kept inline, server flags and a message's places on
//! the server.

use crate::rows::{flag, int, opt_int, text};
use crate::{Result, Store};

use super::{ServerPlace, StoredMessage};

impl Store {
    /// Every stored message of an account, oldest first.
    pub async fn account_messages(&self, account_id: i64) -> Result<Vec<StoredMessage>> {
        let rows = sqlx::query(
            "SELECT id, account_id, blob_hash, size, direction, folder_role, message_id, subject, from_addr, \
             sent_at, received_at, thread_id, parse_ok, parse_error, seen, is_bounce, bounce_of, has_attachments \
             FROM messages WHERE account_id = $1 ORDER BY received_at, id",
        )
        .bind(account_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| {
                Ok(StoredMessage {
                    id: int(r, "id")?,
                    account_id: int(r, "account_id")?,
                    blob_hash: text(r, "blob_hash")?,
                    size: int(r, "size")?,
                    direction: text(r, "direction")?,
                    folder_role: text(r, "folder_role")?,
                    message_id: text(r, "message_id")?,
                    subject: text(r, "subject")?,
                    from_addr: text(r, "from_addr")?,
                    sent_at: opt_int(r, "sent_at")?,
                    received_at: int(r, "received_at")?,
                    thread_id: opt_int(r, "thread_id")?,
                    parse_ok: flag(r, "parse_ok")?,
                    parse_error: text(r, "parse_error")?,
                    seen: flag(r, "seen")?,
                    is_bounce: flag(r, "is_bounce")?,
                    bounce_of: opt_int(r, "bounce_of")?,
                    has_attachments: flag(r, "has_attachments")?,
                })
            })
            .collect::<sqlx::Result<_>>()?)
    }

    /// (uid, blob hash) of every stored message of a folder under its current
    /// UIDVALIDITY, by UID.
    pub async fn folder_uids(&self, folder_id: i64) -> Result<Vec<(i64, String)>> {
        Ok(sqlx::query_as(
            "SELECT l.uid, m.blob_hash FROM message_locations l JOIN messages m ON m.id = l.message_id \
             JOIN mail_folders f ON f.id = l.folder_id \
             WHERE l.folder_id = $1 AND l.uidvalidity = f.uidvalidity ORDER BY l.uid",
        )
        .bind(folder_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The bytes of a blob kept in the database (None: it is in the blob store's files).
    pub async fn inline_blob(&self, hash: &str) -> Result<Option<Vec<u8>>> {
        let data: Option<Option<Vec<u8>>> =
            sqlx::query_scalar("SELECT data FROM blobs WHERE hash = $1")
                .bind(hash)
                .fetch_optional(&self.pool)
                .await?;
        Ok(data.flatten())
    }

    /// Sets the server flags of a stored location (CONDSTORE / flag sync).
    pub async fn update_location_flags(
        &self,
        folder_id: i64,
        uidvalidity: i64,
        uid: i64,
        flags: &str,
        modseq: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let message_id: Option<i64> = sqlx::query_scalar(
            "UPDATE message_locations SET flags = $1, modseq = $2 \
             WHERE folder_id = $3 AND uidvalidity = $4 AND uid = $5 RETURNING message_id",
        )
        .bind(flags)
        .bind(modseq)
        .bind(folder_id)
        .bind(uidvalidity)
        .bind(uid)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(id) = message_id {
            sqlx::query("UPDATE messages SET seen = $1, flagged = $2, answered = $3 WHERE id = $4")
                .bind(i64::from(flags.contains("\\Seen")))
                .bind(i64::from(flags.contains("\\Flagged")))
                .bind(i64::from(flags.contains("\\Answered")))
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

impl Store {
    /// The message's places on the server (under each folder's current UIDVALIDITY) and
    /// its current read / star state.
    pub async fn server_places(
        &self,
        message_id: i64,
    ) -> Result<(Vec<ServerPlace>, bool, bool, i64)> {
        let places: Vec<(String, i64, i64)> = sqlx::query_as(
            "SELECT f.name, l.uidvalidity, l.uid FROM message_locations l JOIN mail_folders f ON f.id = l.folder_id \
             WHERE l.message_id = $1 AND l.uidvalidity = f.uidvalidity",
        )
        .bind(message_id)
        .fetch_all(&self.pool)
        .await?;
        let (seen, flagged, account): (i64, i64, i64) =
            sqlx::query_as("SELECT seen, flagged, account_id FROM messages WHERE id = $1")
                .bind(message_id)
                .fetch_one(&self.pool)
                .await?;
        Ok((
            places
                .into_iter()
                .map(|(folder, uidvalidity, uid)| ServerPlace {
                    folder,
                    uidvalidity,
                    uid,
                })
                .collect(),
            seen != 0,
            flagged != 0,
            account,
        ))
    }
}

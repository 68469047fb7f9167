//! The outgoing queue (SPEC SEND-5): a stored message waiting to be delivered through
//! its account's SMTP server, with its attempts, next try and the last failure reason.

use crate::db::now;
use crate::rows::{int, opt_int, placeholders, text};
use crate::{Result, Store};

#[derive(Debug, Clone, serde::Serialize)]
pub struct Outgoing {
    pub id: i64,
    pub account_id: i64,
    pub message_id: i64,
    pub envelope_from: String,
    pub recipients: Vec<String>,
    /// `queued`, `retrying`, `sent`, `failed`.
    pub state: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: String,
    pub sent_at: Option<i64>,
    pub appended_to_sent: bool,
}

/// Inserts a queued outgoing row and its `send` job in the caller's transaction, so a
/// crash never leaves a row nobody will send (or a job without its row). Its id.
pub(crate) async fn insert_outgoing_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    q: &NewOutgoing<'_>,
) -> Result<i64> {
    let t = now();
    let outgoing: i64 = sqlx::query_scalar(
        "INSERT INTO outgoing (account_id, message_id, created_by, envelope_from, recipients, state, next_attempt_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'queued', $6, $6, $6) RETURNING id",
    )
    .bind(q.account_id)
    .bind(q.message_id)
    .bind(q.created_by)
    .bind(q.envelope_from)
    .bind(serde_json::to_string(q.recipients).unwrap_or_else(|_| "[]".into()))
    .bind(t)
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query(crate::jobs::ENQUEUE)
        .bind(crate::jobs::kinds::SEND)
        .bind(outgoing.to_string())
        .bind("")
        .bind(t)
        .bind(t)
        .execute(&mut **tx)
        .await?;
    Ok(outgoing)
}

/// A stored message to queue for delivery.
#[derive(Debug, Clone, Copy)]
pub struct NewOutgoing<'a> {
    pub account_id: i64,
    pub message_id: i64,
    pub created_by: Option<i64>,
    pub envelope_from: &'a str,
    pub recipients: &'a [String],
}

impl Store {
    /// Queues a stored message for delivery: its outgoing row and its `send` job in one
    /// transaction. Its outgoing id.
    pub async fn queue_outgoing(&self, q: NewOutgoing<'_>) -> Result<i64> {
        let mut tx = self.begin().await?;
        let id = insert_outgoing_in(&mut tx, &q).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn create_outgoing(
        &self,
        account_id: i64,
        message_id: i64,
        created_by: Option<i64>,
        envelope_from: &str,
        recipients: &[String],
    ) -> Result<i64> {
        let t = now();
        Ok(sqlx::query_scalar(
            "INSERT INTO outgoing (account_id, message_id, created_by, envelope_from, recipients, state, next_attempt_at, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 'queued', $6, $6, $6) RETURNING id",
        )
        .bind(account_id)
        .bind(message_id)
        .bind(created_by)
        .bind(envelope_from)
        .bind(serde_json::to_string(recipients).unwrap_or_else(|_| "[]".into()))
        .bind(t)
        .fetch_one(&self.pool)
        .await?)
    }

    pub async fn get_outgoing(&self, id: i64) -> Result<Option<Outgoing>> {
        let row = sqlx::query("SELECT * FROM outgoing WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some(Outgoing {
            id: int(&r, "id")?,
            account_id: int(&r, "account_id")?,
            message_id: int(&r, "message_id")?,
            envelope_from: text(&r, "envelope_from")?,
            recipients: serde_json::from_str(&text(&r, "recipients")?).unwrap_or_default(),
            state: text(&r, "state")?,
            attempts: int(&r, "attempts")?,
            next_attempt_at: int(&r, "next_attempt_at")?,
            last_error: text(&r, "last_error")?,
            sent_at: opt_int(&r, "sent_at")?,
            appended_to_sent: int(&r, "appended_to_sent")? != 0,
        }))
    }

    /// Records one delivery attempt's outcome.
    pub async fn record_send_attempt(
        &self,
        id: i64,
        state: &str,
        error: &str,
        next_attempt_at: i64,
    ) -> Result<()> {
        let t = now();
        sqlx::query(
            "UPDATE outgoing SET state = $1, last_error = $2, attempts = attempts + 1, next_attempt_at = $3, \
             sent_at = CASE WHEN $1 = 'sent' THEN $4 ELSE sent_at END, updated_at = $4 WHERE id = $5",
        )
        .bind(state)
        .bind(error)
        .bind(next_attempt_at)
        .bind(t)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn mark_appended_to_sent(&self, id: i64) -> Result<()> {
        sqlx::query("UPDATE outgoing SET appended_to_sent = 1 WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The blob hash of a stored message (for sending and downloads).
    pub async fn message_blob(&self, message_id: i64) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT blob_hash FROM messages WHERE id = $1")
                .bind(message_id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }
}

impl Store {
    /// The latest delivery of a stored message, if it was sent from Wharf.
    /// The mail of these accounts still to be delivered (queued or retrying), as
    /// (outgoing id, message id, state, attempts), read through `outgoing_due`: the live
    /// stream compares it between its rounds to tell a page when a send ends.
    pub async fn undelivered(&self, accounts: &[i64]) -> Result<Vec<(i64, i64, String, i64)>> {
        if accounts.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT id, message_id, state, attempts FROM outgoing \
             WHERE state IN ('queued', 'retrying') AND account_id IN ({}) ORDER BY id",
            placeholders(1, accounts.len())
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for a in accounts {
            query = query.bind(*a);
        }
        query
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok((
                    int(r, "id")?,
                    int(r, "message_id")?,
                    text(r, "state")?,
                    int(r, "attempts")?,
                ))
            })
            .collect()
    }

    pub async fn outgoing_for_message(&self, message_id: i64) -> Result<Option<Outgoing>> {
        let id: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM outgoing WHERE message_id = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(message_id)
        .fetch_optional(&self.pool)
        .await?;
        match id {
            Some(id) => self.get_outgoing(id).await,
            None => Ok(None),
        }
    }
}

//! A message deleted for good goes from its IMAP server too (issue 17): where the server
//! holds it (folder path, UIDVALIDITY, UID) is read before its rows go, and a
//! `mail_expunge` job carrying that is queued in the deletion's own transaction, so a
//! crash leaves both or neither. `wharf_mailbox::expunge` runs it.

use serde::{Deserialize, Serialize};

use crate::db::now;
use crate::jobs::kinds::MAIL_EXPUNGE;
use crate::{Result, Store};

/// One server copy of a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerCopy {
    pub path: String,
    pub uidvalidity: i64,
    pub uid: i64,
}

/// What the expunge job removes: the account's copies of one message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpungePlan {
    pub account_id: i64,
    /// The message's id in Wharf when it was deleted (for the log).
    pub message_id: i64,
    pub copies: Vec<ServerCopy>,
}

impl ExpungePlan {
    /// The job's payload read back; None when it is not one.
    pub fn from_payload(payload: &str) -> Option<ExpungePlan> {
        serde_json::from_str(payload).ok()
    }
}

impl Store {
    /// Where the server holds a message (None: nowhere Wharf knows of).
    pub(crate) async fn expunge_plan(&self, message_id: i64) -> Result<Option<ExpungePlan>> {
        let Some(plan) = self.move_plan(message_id).await? else {
            return Ok(None);
        };
        let copies: Vec<ServerCopy> = plan
            .places
            .into_iter()
            .filter(|p| p.uid > 0 && p.uidvalidity > 0)
            .map(|p| ServerCopy {
                path: p.path,
                uidvalidity: p.uidvalidity,
                uid: p.uid,
            })
            .collect();
        Ok((!copies.is_empty()).then_some(ExpungePlan {
            account_id: plan.account_id,
            message_id,
            copies,
        }))
    }
}

/// Queues the job inside the deletion's transaction (no key: each deletion is its own).
pub(crate) async fn queue(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    plan: &ExpungePlan,
) -> Result<()> {
    let payload =
        serde_json::to_string(plan).map_err(|e| crate::StoreError::Other(e.to_string()))?;
    let t = now();
    sqlx::query(
        "INSERT INTO jobs (kind, unique_key, payload, run_at, created_at, updated_at) VALUES ($1, '', $2, $3, $3, $3)",
    )
    .bind(MAIL_EXPUNGE)
    .bind(payload)
    .bind(t)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

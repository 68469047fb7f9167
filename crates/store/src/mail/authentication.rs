//! Mail authentication results (issue 15): DKIM, SPF and DMARC as Wharf computed them
//! after arrival, kept per message in `message_auth`. Ingest queues a row (`pending`, or
//! `old` for imported history too old to check) and the `auth` job fills it in; the
//! message's own `Authentication-Results` headers are never read into it.

use sqlx::{Any, Transaction};
use wharf_core::Actor;

use crate::db::now;
use crate::jobs::kinds::AUTH;
use crate::rows::{opt_int, text};
use crate::{Result, Store};

/// What ingest asks for a new message's authentication.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AuthCheck {
    /// Not checked (mail we sent, drafts, unparsable mail).
    #[default]
    Skip,
    /// Queue it for the auth job.
    Pending,
    /// Imported history older than the keys it was signed with: "not checked (old mail)".
    Old,
}

/// The key of the one `auth` job that drains the queue.
pub const AUTH_JOB_KEY: &str = "queue";

/// One method's outcome, as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct AuthResults {
    /// `pending`, `done` or `old`.
    pub state: String,
    /// `pass`, `fail`, `softfail`, `neutral`, `none`, `temperror`, `permerror`.
    pub dkim: String,
    pub dkim_domain: String,
    pub dkim_selector: String,
    pub spf: String,
    pub spf_domain: String,
    pub dmarc: String,
    /// The From domain's DMARC policy (`none`, `quarantine`, `reject`) when it has one.
    pub dmarc_policy: String,
    pub from_domain: String,
    /// The `Received` hop SPF was checked against, as it reads.
    pub hop: String,
    /// A short reason for a result that is not a pass (the verifier's words).
    pub reason: String,
    pub computed_at: Option<i64>,
}

/// A message waiting for its check.
#[derive(Debug, Clone)]
pub struct PendingAuth {
    pub message_id: i64,
    pub blob_hash: String,
}

/// Queues the check of a new message, inside ingest's transaction; true when the
/// `auth` job must run.
pub(crate) async fn queue(
    tx: &mut Transaction<'static, Any>,
    message_id: i64,
    check: AuthCheck,
) -> Result<bool> {
    let state = match check {
        AuthCheck::Skip => return Ok(false),
        AuthCheck::Pending => "pending",
        AuthCheck::Old => "old",
    };
    sqlx::query(
        "INSERT INTO message_auth (message_id, state, queued_at) VALUES ($1, $2, $3) \
         ON CONFLICT (message_id) DO NOTHING",
    )
    .bind(message_id)
    .bind(state)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(check == AuthCheck::Pending)
}

/// Makes sure the `auth` job exists and is due, inside ingest's transaction.
pub(crate) async fn wake_job(tx: &mut Transaction<'static, Any>) -> Result<()> {
    let t = now();
    sqlx::query(
        "INSERT INTO jobs (kind, unique_key, payload, run_at, created_at, updated_at) VALUES ($1, $2, '', $3, $3, $3) \
         ON CONFLICT (kind, unique_key) WHERE unique_key <> '' DO NOTHING",
    )
    .bind(AUTH)
    .bind(AUTH_JOB_KEY)
    .bind(t)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

const COLUMNS: &str = "a.state, a.dkim, a.dkim_domain, a.dkim_selector, a.spf, a.spf_domain, a.dmarc, \
     a.dmarc_policy, a.from_domain, a.hop, a.reason, a.computed_at";

impl Store {
    /// Up to `limit` messages waiting for their check, oldest queued first.
    pub async fn pending_auth(&self, limit: i64) -> Result<Vec<PendingAuth>> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT a.message_id, m.blob_hash FROM message_auth a JOIN messages m ON m.id = a.message_id \
             WHERE a.state = 'pending' ORDER BY a.message_id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(message_id, blob_hash)| PendingAuth {
                message_id,
                blob_hash,
            })
            .collect())
    }

    /// Whether any message waits for its check (the worker re-queues the job then).
    pub async fn has_pending_auth(&self) -> Result<bool> {
        let n: Option<i64> = sqlx::query_scalar(
            "SELECT message_id FROM message_auth WHERE state = 'pending' LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        Ok(n.is_some())
    }

    /// Records a message's computed results (state `done`).
    pub async fn save_auth(&self, message_id: i64, r: &AuthResults) -> Result<()> {
        sqlx::query(
            "UPDATE message_auth SET state = 'done', dkim = $1, dkim_domain = $2, dkim_selector = $3, spf = $4, \
             spf_domain = $5, dmarc = $6, dmarc_policy = $7, from_domain = $8, hop = $9, reason = $10, \
             computed_at = $11 WHERE message_id = $12",
        )
        .bind(&r.dkim)
        .bind(&r.dkim_domain)
        .bind(&r.dkim_selector)
        .bind(&r.spf)
        .bind(&r.spf_domain)
        .bind(&r.dmarc)
        .bind(&r.dmarc_policy)
        .bind(&r.from_domain)
        .bind(&r.hop)
        .bind(&r.reason)
        .bind(now())
        .bind(message_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A message's authentication results, for one who may read the message (None:
    /// never checked, e.g. mail we sent).
    pub async fn message_auth(
        &self,
        actor: &Actor,
        message_id: i64,
    ) -> Result<Option<AuthResults>> {
        // The message's own visibility rule decides (NotFound for another's mail).
        self.get_message(actor, message_id).await?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM message_auth a WHERE a.message_id = $1"
        )))
        .bind(message_id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some(AuthResults {
            state: text(&r, "state")?,
            dkim: text(&r, "dkim")?,
            dkim_domain: text(&r, "dkim_domain")?,
            dkim_selector: text(&r, "dkim_selector")?,
            spf: text(&r, "spf")?,
            spf_domain: text(&r, "spf_domain")?,
            dmarc: text(&r, "dmarc")?,
            dmarc_policy: text(&r, "dmarc_policy")?,
            from_domain: text(&r, "from_domain")?,
            hop: text(&r, "hop")?,
            reason: text(&r, "reason")?,
            computed_at: opt_int(&r, "computed_at")?,
        }))
    }
}

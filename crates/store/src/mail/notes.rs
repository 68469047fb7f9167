//! A mail's internal history and follow-up (SPEC MAIL-7, MAIL-9): hand-overs to a
//! colleague, comments, the Handed-to-me and Follow-up lists and their due counts.

use serde_json::json;
use sqlx::Row;
use wharf_core::Actor;
use wharf_core::policy::MailAction;

use crate::audit::{self, Entry};
use crate::db::now;
use crate::mail::view::{MessageSummary, SUMMARY_COLUMNS, summary};
use crate::rows::placeholders;
use crate::{Ctx, Result, Store};

/// One step of a mail's internal history: a hand-over or a comment.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MailNote {
    pub at: i64,
    pub author: String,
    /// For a hand-over: who received it.
    pub to: Option<String>,
    pub text: String,
}

impl Store {
    /// Active colleagues one can hand mail to: (id, name).
    pub async fn colleagues(&self, actor: &Actor) -> Result<Vec<(i64, String)>> {
        Ok(sqlx::query_as(
            "SELECT id, name FROM users WHERE status = 'active' AND id <> $1 ORDER BY name",
        )
        .bind(actor.user_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Hands a mail to a colleague with a note (MAIL-8): from then on they can read it,
    /// and both see the hand-over in the mail's history.
    pub async fn hand_over(&self, ctx: Ctx<'_>, id: i64, to_user: i64, note: &str) -> Result<()> {
        let m = self
            .message_for(ctx.actor, id, MailAction::HandOver)
            .await?;
        let mut e = wharf_core::validate::FieldErrors::default();
        let note = e.text_block("note", note, false, 2000);
        let active: Option<i64> =
            sqlx::query_scalar("SELECT id FROM users WHERE id = $1 AND status = 'active'")
                .bind(to_user)
                .fetch_optional(&self.pool)
                .await?;
        if active.is_none() || to_user == ctx.actor.user_id {
            e.add("to_user", "invalid_choice");
        }
        e.into_result()?;
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO mail_handovers (message_id, from_user, to_user, note, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(ctx.actor.user_id)
        .bind(to_user)
        .bind(&note)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "mail.hand_over",
                entity: "message",
                entity_id: Some(id),
                summary: &m.summary.subject,
                details: json!({ "to_user": to_user, "note": note }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// An internal comment on a mail, seen by everyone who can see the mail.
    pub async fn add_comment(&self, ctx: Ctx<'_>, id: i64, body: &str) -> Result<()> {
        self.message_for(ctx.actor, id, MailAction::Comment).await?;
        let mut e = wharf_core::validate::FieldErrors::default();
        let body = e.text_block("comment", body, true, 5000);
        e.into_result()?;
        sqlx::query(
            "INSERT INTO mail_comments (message_id, user_id, body, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(ctx.actor.user_id)
        .bind(&body)
        .bind(now())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Hand-overs and comments of a mail, oldest first.
    pub async fn mail_notes(&self, actor: &Actor, id: i64) -> Result<Vec<MailNote>> {
        self.get_message(actor, id).await?;
        let handovers: Vec<(i64, String, String, String)> = sqlx::query_as(
            "SELECT h.created_at, f.name, t.name, h.note FROM mail_handovers h \
             JOIN users f ON f.id = h.from_user JOIN users t ON t.id = h.to_user WHERE h.message_id = $1",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let comments: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT c.created_at, u.name, c.body FROM mail_comments c JOIN users u ON u.id = c.user_id \
             WHERE c.message_id = $1",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let mut notes: Vec<MailNote> = handovers
            .into_iter()
            .map(|(at, author, to, text)| MailNote {
                at,
                author,
                to: Some(to),
                text,
            })
            .chain(comments.into_iter().map(|(at, author, text)| MailNote {
                at,
                author,
                to: None,
                text,
            }))
            .collect();
        notes.sort_by_key(|n| n.at);
        Ok(notes)
    }

    /// Mail handed to the actor, newest first.
    pub async fn list_handed(&self, actor: &Actor) -> Result<Vec<MessageSummary>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {SUMMARY_COLUMNS} FROM messages m WHERE m.deleted_at IS NULL AND {} \
             ORDER BY m.received_at DESC, m.id DESC LIMIT 500",
            crate::access::mail::handed_condition(1)
        )))
        .bind(actor.user_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(summary).collect::<sqlx::Result<_>>()?)
    }

    /// Sets (or clears) a follow-up date and note on a mail (MAIL-5 tracking).
    pub async fn set_follow_up(
        &self,
        actor: &Actor,
        id: i64,
        at: Option<i64>,
        note: &str,
    ) -> Result<()> {
        self.message_for(actor, id, MailAction::Handle).await?;
        let mut e = wharf_core::validate::FieldErrors::default();
        let note = e.text_block("follow_up_note", note, false, 500);
        e.into_result()?;
        sqlx::query("UPDATE messages SET follow_up_at = $1, follow_up_note = $2 WHERE id = $3")
            .bind(at)
            .bind(if at.is_some() { note } else { String::new() })
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Mail tracked for follow-up in the actor's accounts, soonest first, with when and
    /// the note that says what to follow up.
    pub async fn list_follow_ups(&self, actor: &Actor) -> Result<Vec<FollowUp>> {
        let accounts = self.readable_account_ids(actor).await?;
        if accounts.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS}, m.follow_up_at, m.follow_up_note FROM messages m \
             WHERE m.follow_up_at IS NOT NULL AND m.deleted_at IS NULL \
             AND m.account_id IN ({}) ORDER BY m.follow_up_at, m.id LIMIT 500",
            placeholders(1, accounts.len())
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for a in &accounts {
            q = q.bind(*a);
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(FollowUp {
                    summary: summary(r)?,
                    at: r.try_get::<Option<i64>, _>("follow_up_at")?.unwrap_or(0),
                    note: r
                        .try_get::<Option<String>, _>("follow_up_note")?
                        .unwrap_or_default(),
                })
            })
            .collect()
    }

    /// How many messages are handed to the actor (the count beside "Handed to me").
    pub async fn handed_count(&self, actor: &Actor) -> Result<i64> {
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM messages m WHERE m.deleted_at IS NULL AND {}",
            crate::access::mail::handed_condition(1)
        )))
        .bind(actor.user_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(n)
    }

    /// Follow-ups due by now over these accounts (the reminder count).
    pub async fn due_follow_ups(&self, accounts: &[i64]) -> Result<i64> {
        if accounts.is_empty() {
            return Ok(0);
        }
        let sql = format!(
            "SELECT COUNT(*) FROM messages WHERE follow_up_at IS NOT NULL AND follow_up_at <= ${} \
             AND deleted_at IS NULL AND account_id IN ({})",
            accounts.len() + 1,
            placeholders(1, accounts.len())
        );
        let mut q = sqlx::query_scalar(sqlx::AssertSqlSafe(sql));
        for a in accounts {
            q = q.bind(*a);
        }
        Ok(q.bind(now()).fetch_one(&self.pool).await?)
    }
}

/// A message tracked for follow-up: when, and what to do.
#[derive(Debug, Clone)]
pub struct FollowUp {
    pub summary: MessageSummary,
    pub at: i64,
    pub note: String,
}

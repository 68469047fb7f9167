//! Drafts (SPEC SEND-1): what a user is writing, saved as they type so that nothing is
//! lost to a closed tab or a crash; each user sees only their own.

use wharf_core::{Actor, DomainError};

use crate::db::now;
use crate::rows::{int, opt_int, text};
use crate::{Result, Store};

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Draft {
    pub id: i64,
    pub account_id: Option<i64>,
    pub to: String,
    pub cc: String,
    pub bcc: String,
    pub subject: String,
    pub body: String,
    /// The body is the rich-text editor's HTML (otherwise plain text).
    pub html: bool,
    pub reply_to: Option<i64>,
    pub forward_of: Option<i64>,
    pub updated_at: i64,
}

/// Room for images pasted into the editor (they travel inside the HTML).
const MAX_BODY: usize = 30_000_000;

fn row(r: &sqlx::any::AnyRow) -> sqlx::Result<Draft> {
    Ok(Draft {
        id: int(r, "id")?,
        account_id: opt_int(r, "account_id")?,
        to: text(r, "to_addrs")?,
        cc: text(r, "cc_addrs")?,
        bcc: text(r, "bcc_addrs")?,
        subject: text(r, "subject")?,
        body: text(r, "body")?,
        html: crate::rows::flag(r, "body_html")?,
        reply_to: opt_int(r, "reply_to")?,
        forward_of: opt_int(r, "forward_of")?,
        updated_at: int(r, "updated_at")?,
    })
}

impl Store {
    /// Saves a draft (a new one when `d.id` is 0); returns its id.
    pub async fn save_draft(&self, actor: &Actor, d: &Draft) -> Result<i64> {
        if d.body.len() > MAX_BODY || d.subject.len() > 2000 || d.to.len() > 20_000 {
            return Err(DomainError::field("body", "too_long").into());
        }
        if let Some(a) = d.account_id {
            self.get_account(actor, a).await?;
        }
        let t = now();
        if d.id > 0 {
            let done = sqlx::query(
                "UPDATE mail_drafts SET account_id = $1, to_addrs = $2, cc_addrs = $3, bcc_addrs = $4, subject = $5, \
                 body = $6, reply_to = $7, forward_of = $8, updated_at = $9, body_html = $12 WHERE id = $10 AND user_id = $11",
            )
            .bind(d.account_id)
            .bind(&d.to)
            .bind(&d.cc)
            .bind(&d.bcc)
            .bind(&d.subject)
            .bind(&d.body)
            .bind(d.reply_to)
            .bind(d.forward_of)
            .bind(t)
            .bind(d.id)
            .bind(actor.user_id)
            .bind(i64::from(d.html))
            .execute(&self.pool)
            .await?;
            if done.rows_affected() == 0 {
                return Err(DomainError::NotFound.into());
            }
            return Ok(d.id);
        }
        Ok(sqlx::query_scalar(
            "INSERT INTO mail_drafts (user_id, account_id, to_addrs, cc_addrs, bcc_addrs, subject, body, reply_to, forward_of, updated_at, body_html) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(actor.user_id)
        .bind(d.account_id)
        .bind(&d.to)
        .bind(&d.cc)
        .bind(&d.bcc)
        .bind(&d.subject)
        .bind(&d.body)
        .bind(d.reply_to)
        .bind(d.forward_of)
        .bind(t)
        .bind(i64::from(d.html))
        .fetch_one(&self.pool)
        .await?)
    }

    pub async fn get_draft(&self, actor: &Actor, id: i64) -> Result<Draft> {
        let r = sqlx::query("SELECT * FROM mail_drafts WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(actor.user_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(DomainError::NotFound)?;
        Ok(row(&r)?)
    }

    /// The user's drafts, last edited first.
    pub async fn list_drafts(&self, actor: &Actor) -> Result<Vec<Draft>> {
        let rows = sqlx::query(
            "SELECT * FROM mail_drafts WHERE user_id = $1 ORDER BY updated_at DESC, id DESC",
        )
        .bind(actor.user_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(row).collect::<sqlx::Result<_>>()?)
    }

    pub async fn delete_draft(&self, actor: &Actor, id: i64) -> Result<()> {
        sqlx::query("DELETE FROM mail_drafts WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(actor.user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

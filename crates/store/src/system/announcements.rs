//! Announcements (SPEC BASE-3): published by holders of the publish permission, read by
//! everyone until they expire.

use serde_json::json;
use wharf_core::validate::FieldErrors;
use wharf_core::{Actor, DomainError, Permission};

use crate::audit::{self, Entry};
use crate::db::now;
use crate::rows::{flag, int, opt_int, text};
use crate::{Ctx, Result, Store};

#[derive(Debug, Clone, serde::Serialize)]
pub struct Announcement {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub pinned: bool,
    pub author_id: i64,
    pub author_name: String,
    pub published_at: i64,
    pub expires_at: Option<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct AnnouncementInput {
    pub title: String,
    pub body: String,
    pub pinned: bool,
    pub expires_at: Option<i64>,
}

impl AnnouncementInput {
    fn validate(mut self) -> std::result::Result<Self, DomainError> {
        let mut e = FieldErrors::default();
        self.title = e.text("title", &self.title, true, 200);
        self.body = e.text_block("body", &self.body, false, 20_000);
        if self.expires_at.is_some_and(|x| x <= now()) {
            e.add("expires_at", "date_in_past");
        }
        e.into_result().map(|_| self)
    }
}

impl Store {
    /// Announcements in force (pinned first, newest first), or all of them for a publisher
    /// who asks for `include_expired`.
    pub async fn list_announcements(
        &self,
        actor: &Actor,
        include_expired: bool,
    ) -> Result<Vec<Announcement>> {
        if include_expired {
            actor.require(Permission::PublishAnnouncements)?;
        }
        let rows = sqlx::query(
            "SELECT a.id, a.title, a.body, a.pinned, a.author_id, u.name AS author_name, a.published_at, a.expires_at \
             FROM announcements a JOIN users u ON u.id = a.author_id \
             WHERE $1 = 1 OR a.expires_at IS NULL OR a.expires_at > $2 \
             ORDER BY a.pinned DESC, a.published_at DESC, a.id DESC",
        )
        .bind(i64::from(include_expired))
        .bind(now())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| {
                Ok(Announcement {
                    id: int(r, "id")?,
                    title: text(r, "title")?,
                    body: text(r, "body")?,
                    pinned: flag(r, "pinned")?,
                    author_id: int(r, "author_id")?,
                    author_name: text(r, "author_name")?,
                    published_at: int(r, "published_at")?,
                    expires_at: opt_int(r, "expires_at")?,
                })
            })
            .collect::<sqlx::Result<_>>()?)
    }

    pub async fn get_announcement(&self, actor: &Actor, id: i64) -> Result<Announcement> {
        let all = self
            .list_announcements(actor, actor.has(Permission::PublishAnnouncements))
            .await?;
        all.into_iter()
            .find(|a| a.id == id)
            .ok_or(DomainError::NotFound.into())
    }

    pub async fn create_announcement(&self, ctx: Ctx<'_>, input: AnnouncementInput) -> Result<i64> {
        ctx.actor.require(Permission::PublishAnnouncements)?;
        let input = input.validate()?;
        let t = now();
        let mut tx = self.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO announcements (title, body, pinned, author_id, published_at, updated_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $5, $6) RETURNING id",
        )
        .bind(&input.title)
        .bind(&input.body)
        .bind(i64::from(input.pinned))
        .bind(ctx.actor.user_id)
        .bind(t)
        .bind(input.expires_at)
        .fetch_one(&mut *tx)
        .await?;
        audit::record(&mut tx, ctx, entry("announcement.create", id, &input)).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn update_announcement(
        &self,
        ctx: Ctx<'_>,
        id: i64,
        input: AnnouncementInput,
    ) -> Result<()> {
        ctx.actor.require(Permission::PublishAnnouncements)?;
        self.get_announcement(ctx.actor, id).await?;
        let input = input.validate()?;
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE announcements SET title = $1, body = $2, pinned = $3, expires_at = $4, updated_at = $5 WHERE id = $6")
            .bind(&input.title)
            .bind(&input.body)
            .bind(i64::from(input.pinned))
            .bind(input.expires_at)
            .bind(now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit::record(&mut tx, ctx, entry("announcement.update", id, &input)).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn delete_announcement(&self, ctx: Ctx<'_>, id: i64) -> Result<()> {
        ctx.actor.require(Permission::PublishAnnouncements)?;
        let a = self.get_announcement(ctx.actor, id).await?;
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM announcements WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "announcement.delete",
                entity: "announcement",
                entity_id: Some(id),
                summary: &a.title,
                details: json!(null),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

fn entry<'a>(action: &'static str, id: i64, i: &'a AnnouncementInput) -> Entry<'a> {
    Entry {
        action,
        entity: "announcement",
        entity_id: Some(id),
        summary: &i.title,
        details: json!({"title": i.title, "body": i.body, "pinned": i.pinned, "expires_at": i.expires_at}),
    }
}

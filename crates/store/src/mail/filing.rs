//! Filing and labelling mail (SPEC MAIL-2, MAIL-5): folders of one's own in each account
//! (made in Wharf, or server folders without a special role), move and copy into them,
//! company-wide tags, and the mail type from base data. Everything goes through
//! [`Store::get_message`], so nobody files, tags or types mail they cannot see; every
//! change is audited. Moves and folder changes queue their mirror jobs
//! ([`crate::mail::mirror`]).

use serde_json::json;
use wharf_core::policy::MailAction;
use wharf_core::{Actor, DomainError};

use crate::audit::{self, Entry};
use crate::db::now;
use crate::rows::{flag, int, text};
use crate::{Ctx, Result, Store};

/// A folder of one's own in an account.
#[derive(Debug, Clone, serde::Serialize)]
pub struct UserFolder {
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    /// Made in Wharf (renamable, deletable); otherwise it is a server folder.
    pub local: bool,
    /// Why the server refused to mirror this folder (a code; empty when it did not).
    pub mirror_note: String,
}

#[derive(Debug, Clone, serde::Serialize, PartialEq, Eq)]
pub struct MailTag {
    pub id: i64,
    pub name: String,
}

/// Where a move puts a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveTarget {
    /// A folder of one's own (of the message's account).
    Folder(i64),
    /// Back to the folder it came from (Inbox, Sent …), out of every folder of one's own.
    Home,
}

const MAX_NAME: usize = 100;

fn clean_name(name: &str) -> Result<String> {
    Ok(wharf_core::validate::name("name", name, MAX_NAME)?)
}

fn folder(r: &sqlx::any::AnyRow) -> sqlx::Result<UserFolder> {
    Ok(UserFolder {
        id: int(r, "id")?,
        account_id: int(r, "account_id")?,
        name: text(r, "name")?,
        local: flag(r, "local")?,
        mirror_note: text(r, "mirror_note")?,
    })
}

impl Store {
    /// The folders of one's own over the accounts the actor may use, by account and name.
    pub async fn user_folders(&self, actor: &Actor) -> Result<Vec<UserFolder>> {
        let accounts = self.usable_account_ids(actor).await?;
        if accounts.is_empty() {
            return Ok(Vec::new());
        }
        let list = crate::rows::placeholders(1, accounts.len());
        let sql = format!(
            "SELECT id, account_id, name, local, mirror_note FROM mail_folders \
             WHERE role = '' AND removed_at IS NULL AND account_id IN ({list}) ORDER BY account_id, name"
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for a in &accounts {
            q = q.bind(*a);
        }
        Ok(q.fetch_all(&self.pool)
            .await?
            .iter()
            .map(folder)
            .collect::<sqlx::Result<_>>()?)
    }

    /// One folder of one's own that the actor may use.
    pub async fn user_folder(&self, actor: &Actor, id: i64) -> Result<UserFolder> {
        self.user_folders(actor)
            .await?
            .into_iter()
            .find(|f| f.id == id)
            .ok_or_else(|| DomainError::NotFound.into())
    }

    pub async fn create_folder(&self, ctx: Ctx<'_>, account_id: i64, name: &str) -> Result<i64> {
        if !self
            .usable_account_ids(ctx.actor)
            .await?
            .contains(&account_id)
        {
            return Err(DomainError::NotFound.into());
        }
        let name = clean_name(name)?;
        let mut tx = self.begin().await?;
        let taken: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM mail_folders WHERE account_id = $1 AND lower(name) = lower($2)",
        )
        .bind(account_id)
        .bind(&name)
        .fetch_optional(&mut *tx)
        .await?;
        if taken.is_some() {
            return Err(DomainError::field("name", "duplicate_name").into());
        }
        let t = now();
        // Not `selected`: sync never asks the server for it.
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO mail_folders (account_id, name, role, selected, local, created_at, updated_at) \
             VALUES ($1, $2, '', 0, 1, $3, $3) RETURNING id",
        )
        .bind(account_id)
        .bind(&name)
        .bind(t)
        .fetch_one(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "mail.folder.create",
                entity: "mail_folder",
                entity_id: Some(id),
                summary: &name,
                details: json!({ "account_id": account_id }),
            },
        )
        .await?;
        tx.commit().await?;
        self.queue_folder_mirror(id).await?;
        Ok(id)
    }

    pub async fn rename_folder(&self, ctx: Ctx<'_>, id: i64, name: &str) -> Result<()> {
        let f = self.local_folder(ctx.actor, id).await?;
        let name = clean_name(name)?;
        let mut tx = self.begin().await?;
        let taken: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM mail_folders WHERE account_id = $1 AND lower(name) = lower($2) AND id <> $3",
        )
        .bind(f.account_id)
        .bind(&name)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        if taken.is_some() {
            return Err(DomainError::field("name", "duplicate_name").into());
        }
        sqlx::query("UPDATE mail_folders SET name = $1, updated_at = $2 WHERE id = $3")
            .bind(&name)
            .bind(now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "mail.folder.rename",
                entity: "mail_folder",
                entity_id: Some(id),
                summary: &name,
                details: json!({ "before": f.name }),
            },
        )
        .await?;
        tx.commit().await?;
        self.queue_folder_mirror(id).await?;
        Ok(())
    }

    /// Deletes a folder made in Wharf; the mail filed only there goes back to the folder
    /// it came from (nothing is deleted with a folder), on the server too. A folder the
    /// server has stays as a hidden row until its server copy is empty and deleted.
    pub async fn delete_folder(&self, ctx: Ctx<'_>, id: i64) -> Result<()> {
        let f = self.local_folder(ctx.actor, id).await?;
        let server_path: String =
            sqlx::query_scalar("SELECT server_path FROM mail_folders WHERE id = $1")
                .bind(id)
                .fetch_one(&self.pool)
                .await?;
        let mut tx = self.begin().await?;
        let homeless: Vec<i64> = sqlx::query_scalar(
            "SELECT message_id FROM message_folder_links l WHERE folder_id = $1 \
             AND NOT EXISTS (SELECT 1 FROM message_folder_links o WHERE o.message_id = l.message_id AND o.folder_id <> $1)",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE messages SET filed = 0 WHERE id IN (SELECT message_id FROM message_folder_links WHERE folder_id = $1) \
             AND NOT EXISTS (SELECT 1 FROM message_folder_links o WHERE o.message_id = messages.id AND o.folder_id <> $1)",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM message_folder_links WHERE folder_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if server_path.is_empty() {
            sqlx::query("DELETE FROM mail_folders WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        } else {
            // The name is free again at once (names are unique per account).
            sqlx::query(
                "UPDATE mail_folders SET removed_at = $1, selected = 0, name = '#removed-' || CAST(id AS TEXT) WHERE id = $2",
            )
            .bind(now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "mail.folder.delete",
                entity: "mail_folder",
                entity_id: Some(id),
                summary: &f.name,
                details: json!({ "account_id": f.account_id }),
            },
        )
        .await?;
        tx.commit().await?;
        for message in homeless {
            self.queue_move_mirror(message).await?;
        }
        if !server_path.is_empty() {
            self.queue_folder_mirror(id).await?;
        }
        Ok(())
    }

    async fn local_folder(&self, actor: &Actor, id: i64) -> Result<UserFolder> {
        let f = self.user_folder(actor, id).await?;
        if !f.local {
            return Err(DomainError::refused("server_folder", 0).into());
        }
        Ok(f)
    }

    /// Moves a message into a folder of its account, or back home.
    pub async fn move_message(&self, ctx: Ctx<'_>, id: i64, target: MoveTarget) -> Result<()> {
        let m = self.message_for(ctx.actor, id, MailAction::Handle).await?;
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM message_folder_links WHERE message_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let (filed, folder_name) = match target {
            MoveTarget::Home => (false, String::new()),
            MoveTarget::Folder(folder_id) => {
                let f = self.user_folder(ctx.actor, folder_id).await?;
                if f.account_id != m.summary.account_id {
                    return Err(DomainError::field("folder", "other_account").into());
                }
                sqlx::query(
                    "INSERT INTO message_folder_links (message_id, folder_id, linked_at) VALUES ($1, $2, $3)",
                )
                .bind(id)
                .bind(folder_id)
                .bind(now())
                .execute(&mut *tx)
                .await?;
                (true, f.name)
            }
        };
        sqlx::query("UPDATE messages SET filed = $1 WHERE id = $2")
            .bind(i64::from(filed))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "mail.move",
                entity: "message",
                entity_id: Some(id),
                summary: &m.summary.subject,
                details: json!({ "folder": folder_name }),
            },
        )
        .await?;
        tx.commit().await?;
        self.queue_move_mirror(id).await?;
        Ok(())
    }

    /// Lists a message in one more folder of its account, leaving it where it is.
    pub async fn copy_message(&self, ctx: Ctx<'_>, id: i64, folder_id: i64) -> Result<()> {
        let m = self.message_for(ctx.actor, id, MailAction::Handle).await?;
        let f = self.user_folder(ctx.actor, folder_id).await?;
        if f.account_id != m.summary.account_id {
            return Err(DomainError::field("folder", "other_account").into());
        }
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO message_folder_links (message_id, folder_id, linked_at) VALUES ($1, $2, $3) \
             ON CONFLICT (message_id, folder_id) DO NOTHING",
        )
        .bind(id)
        .bind(folder_id)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "mail.copy",
                entity: "message",
                entity_id: Some(id),
                summary: &m.summary.subject,
                details: json!({ "folder": f.name }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The folders of one's own a message is listed in.
    pub async fn folders_of_message(&self, actor: &Actor, id: i64) -> Result<Vec<UserFolder>> {
        let message = self.get_message(actor, id).await?;
        self.folders_of_read_message(&message).await
    }

    /// The same for a message the actor has read already (holding its detail is the
    /// proof: `get_message` gave it), without reading it again (the reading pane).
    pub async fn folders_of_read_message(
        &self,
        message: &super::view::MessageDetail,
    ) -> Result<Vec<UserFolder>> {
        let id = message.summary.id;
        Ok(sqlx::query(
            "SELECT f.id, f.account_id, f.name, f.local, f.mirror_note FROM message_folder_links l \
             JOIN mail_folders f ON f.id = l.folder_id WHERE l.message_id = $1 ORDER BY f.name",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(folder)
        .collect::<sqlx::Result<_>>()?)
    }

    /// Every tag, by name (tags are company-wide).
    pub async fn mail_tags(&self, _actor: &Actor) -> Result<Vec<MailTag>> {
        Ok(
            sqlx::query("SELECT id, name FROM mail_tags ORDER BY lower(name)")
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| {
                    Ok(MailTag {
                        id: int(r, "id")?,
                        name: text(r, "name")?,
                    })
                })
                .collect::<sqlx::Result<_>>()?,
        )
    }

    /// Tags of these messages (the ones a list shows), as (message id, tag).
    pub async fn tags_of_messages(&self, ids: &[i64]) -> Result<Vec<(i64, MailTag)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = crate::rows::placeholders(1, ids.len());
        let sql = format!(
            "SELECT mt.message_id, t.id, t.name FROM message_tags mt JOIN mail_tags t ON t.id = mt.tag_id \
             WHERE mt.message_id IN ({list}) ORDER BY lower(t.name)"
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for id in ids {
            q = q.bind(*id);
        }
        Ok(q.fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok((
                    int(r, "message_id")?,
                    MailTag {
                        id: int(r, "id")?,
                        name: text(r, "name")?,
                    },
                ))
            })
            .collect::<sqlx::Result<_>>()?)
    }

    /// Puts a tag on a message, creating the tag when it is new.
    pub async fn tag_message(&self, ctx: Ctx<'_>, id: i64, name: &str) -> Result<MailTag> {
        let m = self.message_for(ctx.actor, id, MailAction::Handle).await?;
        let name = clean_name(name)?;
        let mut tx = self.begin().await?;
        let existing: Option<sqlx::any::AnyRow> =
            sqlx::query("SELECT id, name FROM mail_tags WHERE lower(name) = lower($1)")
                .bind(&name)
                .fetch_optional(&mut *tx)
                .await?;
        let tag = match existing {
            Some(r) => MailTag {
                id: int(&r, "id")?,
                name: text(&r, "name")?,
            },
            None => {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO mail_tags (name, created_by, created_at) VALUES ($1, $2, $3) RETURNING id",
                )
                .bind(&name)
                .bind(ctx.actor.user_id)
                .bind(now())
                .fetch_one(&mut *tx)
                .await?;
                MailTag { id, name }
            }
        };
        sqlx::query(
            "INSERT INTO message_tags (message_id, tag_id, tagged_by, tagged_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (message_id, tag_id) DO NOTHING",
        )
        .bind(id)
        .bind(tag.id)
        .bind(ctx.actor.user_id)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "mail.tag",
                entity: "message",
                entity_id: Some(id),
                summary: &m.summary.subject,
                details: json!({ "tag": tag.name }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(tag)
    }

    pub async fn untag_message(&self, ctx: Ctx<'_>, id: i64, tag_id: i64) -> Result<()> {
        let m = self.message_for(ctx.actor, id, MailAction::Handle).await?;
        let mut tx = self.begin().await?;
        let removed = sqlx::query("DELETE FROM message_tags WHERE message_id = $1 AND tag_id = $2")
            .bind(id)
            .bind(tag_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if removed > 0 {
            audit::record(
                &mut tx,
                ctx,
                Entry {
                    action: "mail.untag",
                    entity: "message",
                    entity_id: Some(id),
                    summary: &m.summary.subject,
                    details: json!({ "tag_id": tag_id }),
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Sets (or clears) the mail type: an item of the base data kind `mail_type`.
    pub async fn set_mail_type(&self, ctx: Ctx<'_>, id: i64, type_id: Option<i64>) -> Result<()> {
        let m = self.message_for(ctx.actor, id, MailAction::Handle).await?;
        if let Some(t) = type_id {
            let kind: Option<String> =
                sqlx::query_scalar("SELECT kind FROM dict_items WHERE id = $1")
                    .bind(t)
                    .fetch_optional(&self.pool)
                    .await?;
            if kind.as_deref() != Some(wharf_core::dict::DictKind::MailType.code()) {
                return Err(DomainError::field("mail_type", "invalid_choice").into());
            }
        }
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE messages SET mail_type_id = $1 WHERE id = $2")
            .bind(type_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "mail.type",
                entity: "message",
                entity_id: Some(id),
                summary: &m.summary.subject,
                details: json!({ "mail_type_id": type_id }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

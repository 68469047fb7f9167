//! What the IMAP mirror (issue 17) reads and writes: where a message belongs on its
//! server now (from how Wharf files it: Trash, Junk, a folder of one's own, or its own
//! folder), where it sits there, the server paths of folders made in Wharf, and the
//! notes left when a server refuses. The jobs that talk to the server are
//! `wharf_mailbox::mirror`; the store only queues them.

use crate::db::now;
use crate::jobs::kinds::{MAIL_FOLDER, MAIL_MOVE};
use crate::rows::{flag, int, opt_int, text};
use crate::{Result, Store};

/// Where a message should be on its server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoveGoal {
    /// Nothing to do there (no such folder on the server, or it refused the folder).
    Stay,
    /// Its folder of one's own is not on the server yet (its create job runs first).
    Wait,
    /// In this folder (row id, server path).
    Folder { id: i64, path: String },
}

/// A copy of the message on the server, as the store knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub location_id: i64,
    pub folder_id: i64,
    pub path: String,
    pub uidvalidity: i64,
    pub uid: i64,
}

#[derive(Debug, Clone)]
pub struct MovePlan {
    pub account_id: i64,
    pub blob_hash: String,
    /// The Message-ID header (finds the copy in the target folder).
    pub message_id: String,
    pub goal: MoveGoal,
    pub places: Vec<Place>,
}

/// A folder made in Wharf as the folder job sees it.
#[derive(Debug, Clone)]
pub struct FolderMirror {
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    pub server_path: String,
    pub mirror_note: String,
    /// When it was deleted in Wharf; the server copy goes once it is empty.
    pub removed_at: Option<i64>,
}

/// The notes an account's page shows: the account's own and its folders' (by name).
#[derive(Debug, Clone, Default)]
pub struct MirrorNotes {
    pub account: String,
    pub folders: Vec<(String, String)>,
}

impl Store {
    /// Queues the job that puts a message where Wharf files it on its server.
    pub(crate) async fn queue_move_mirror(&self, message_id: i64) -> Result<()> {
        self.run_job_now(MAIL_MOVE, &message_id.to_string()).await
    }

    /// Queues the job that makes the server's copy of a folder match Wharf's.
    pub(crate) async fn queue_folder_mirror(&self, folder_id: i64) -> Result<()> {
        self.run_job_now(MAIL_FOLDER, &folder_id.to_string()).await
    }

    /// Where a message should be on its server and where it is; None when it is gone.
    pub async fn move_plan(&self, message_id: i64) -> Result<Option<MovePlan>> {
        let Some(m) = sqlx::query(
            "SELECT account_id, blob_hash, message_id, folder_role, filed, deleted_at FROM messages WHERE id = $1",
        )
        .bind(message_id)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let account_id = int(&m, "account_id")?;
        let goal = if opt_int(&m, "deleted_at")?.is_some() {
            self.role_goal(account_id, "trash").await?
        } else if flag(&m, "filed")? {
            self.filed_goal(message_id).await?
        } else {
            self.role_goal(account_id, &text(&m, "folder_role")?)
                .await?
        };
        let places = sqlx::query(
            "SELECT l.id, l.folder_id, l.uidvalidity, l.uid, f.local, f.name, f.server_path \
             FROM message_locations l JOIN mail_folders f ON f.id = l.folder_id \
             WHERE l.message_id = $1 ORDER BY l.id",
        )
        .bind(message_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            let path = if flag(r, "local")? {
                text(r, "server_path")?
            } else {
                text(r, "name")?
            };
            Ok(Place {
                location_id: int(r, "id")?,
                folder_id: int(r, "folder_id")?,
                path,
                uidvalidity: int(r, "uidvalidity")?,
                uid: int(r, "uid")?,
            })
        })
        .collect::<sqlx::Result<Vec<_>>>()?
        .into_iter()
        .filter(|p| !p.path.is_empty())
        .collect();
        Ok(Some(MovePlan {
            account_id,
            blob_hash: text(&m, "blob_hash")?,
            message_id: text(&m, "message_id")?,
            goal,
            places,
        }))
    }

    /// The server folder with this role (Inbox, Sent, Trash, Junk, Archive …).
    async fn role_goal(&self, account_id: i64, role: &str) -> Result<MoveGoal> {
        if role.is_empty() {
            return Ok(MoveGoal::Stay);
        }
        let found: Option<(i64, String)> = sqlx::query_as(
            "SELECT id, name FROM mail_folders WHERE account_id = $1 AND role = $2 AND local = 0 \
             ORDER BY id LIMIT 1",
        )
        .bind(account_id)
        .bind(role)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match found {
            Some((id, path)) => MoveGoal::Folder { id, path },
            None => MoveGoal::Stay,
        })
    }

    /// The folder of one's own a moved message is filed in (the latest, if copied too).
    async fn filed_goal(&self, message_id: i64) -> Result<MoveGoal> {
        let Some(r) = sqlx::query(
            "SELECT f.id, f.local, f.name, f.server_path, f.mirror_note FROM message_folder_links l \
             JOIN mail_folders f ON f.id = l.folder_id \
             WHERE l.message_id = $1 AND f.removed_at IS NULL ORDER BY l.linked_at DESC, f.id DESC LIMIT 1",
        )
        .bind(message_id)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(MoveGoal::Stay);
        };
        let id = int(&r, "id")?;
        if !flag(&r, "local")? {
            return Ok(MoveGoal::Folder {
                id,
                path: text(&r, "name")?,
            });
        }
        let path = text(&r, "server_path")?;
        Ok(if !path.is_empty() {
            MoveGoal::Folder { id, path }
        } else if text(&r, "mirror_note")?.is_empty() {
            MoveGoal::Wait
        } else {
            MoveGoal::Stay
        })
    }

    /// The message's copy moved: from now on it is `uid` in `folder_id` (or, with `None`,
    /// somewhere the next sync of that folder finds by its bytes).
    pub async fn relocate(
        &self,
        location_id: i64,
        folder_id: i64,
        uidvalidity: i64,
        uid: Option<i64>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let message_id: Option<i64> =
            sqlx::query_scalar("SELECT message_id FROM message_locations WHERE id = $1")
                .bind(location_id)
                .fetch_optional(&mut *tx)
                .await?;
        sqlx::query("DELETE FROM message_locations WHERE id = $1")
            .bind(location_id)
            .execute(&mut *tx)
            .await?;
        if let (Some(message_id), Some(uid)) = (message_id, uid) {
            sqlx::query(
                "INSERT INTO message_locations (message_id, folder_id, uidvalidity, uid, flags) VALUES ($1, $2, $3, $4, '') \
                 ON CONFLICT (folder_id, uidvalidity, uid) DO NOTHING",
            )
            .bind(message_id)
            .bind(folder_id)
            .bind(uidvalidity)
            .bind(uid)
            .execute(&mut *tx)
            .await?;
            // A folder sync never read (Trash, Junk, a new one) learns its UIDVALIDITY
            // here, so the flag push finds the copy.
            sqlx::query(
                "UPDATE mail_folders SET uidvalidity = $1 WHERE id = $2 AND uidvalidity = 0 AND last_uid = 0",
            )
            .bind(uidvalidity)
            .bind(folder_id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// A folder made in Wharf, also when deleted and waiting for its server copy to go.
    pub async fn folder_mirror(&self, id: i64) -> Result<Option<FolderMirror>> {
        let row = sqlx::query(
            "SELECT id, account_id, name, server_path, mirror_note, removed_at FROM mail_folders \
             WHERE id = $1 AND local = 1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(FolderMirror {
                id: int(&r, "id")?,
                account_id: int(&r, "account_id")?,
                name: text(&r, "name")?,
                server_path: text(&r, "server_path")?,
                mirror_note: text(&r, "mirror_note")?,
                removed_at: opt_int(&r, "removed_at")?,
            })
        })
        .transpose()
    }

    /// The folder is on the server at `path` now; sync reads it from then on.
    pub async fn set_folder_server_path(&self, id: i64, path: &str) -> Result<()> {
        sqlx::query(
            "UPDATE mail_folders SET server_path = $1, mirror_note = '', selected = 1, updated_at = $2 WHERE id = $3",
        )
        .bind(path)
        .bind(now())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn set_folder_mirror_note(&self, id: i64, note: &str) -> Result<()> {
        sqlx::query("UPDATE mail_folders SET mirror_note = $1 WHERE id = $2")
            .bind(note)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn set_account_mirror_note(&self, account_id: i64, note: &str) -> Result<()> {
        sqlx::query(
            "UPDATE mail_accounts SET mirror_note = $1 WHERE id = $2 AND mirror_note <> $1",
        )
        .bind(note)
        .bind(account_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Removes the row of a deleted folder whose server copy is gone (or never was).
    pub async fn forget_folder(&self, id: i64) -> Result<()> {
        sqlx::query("DELETE FROM mail_folders WHERE id = $1 AND removed_at IS NOT NULL")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Is `path` another folder's of this account already (a server folder, or another
    /// folder made in Wharf)?
    pub async fn server_path_taken(
        &self,
        account_id: i64,
        path: &str,
        except: i64,
    ) -> Result<bool> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM mail_folders WHERE account_id = $1 AND id <> $3 \
             AND ((local = 0 AND name = $2) OR (local = 1 AND server_path = $2)) LIMIT 1",
        )
        .bind(account_id)
        .bind(path)
        .bind(except)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }

    /// The accounts among `ids` whose server last refused a move or a deletion, with
    /// the note's code (for the mailbox's sidebar). The caller passes readable ids.
    pub async fn account_mirror_notes(&self, ids: &[i64]) -> Result<Vec<(i64, String)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT id, mirror_note FROM mail_accounts WHERE mirror_note <> '' AND id IN ({}) ORDER BY id",
            crate::rows::placeholders(1, ids.len())
        );
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for id in ids {
            q = q.bind(*id);
        }
        Ok(q.fetch_all(&self.pool).await?)
    }

    /// What the server refused for this account and its folders (for its page). The
    /// caller has checked the actor may see the account.
    pub async fn mirror_notes(&self, account_id: i64) -> Result<MirrorNotes> {
        let account: Option<String> =
            sqlx::query_scalar("SELECT mirror_note FROM mail_accounts WHERE id = $1")
                .bind(account_id)
                .fetch_optional(&self.pool)
                .await?;
        let folders: Vec<(String, String)> = sqlx::query_as(
            "SELECT name, mirror_note FROM mail_folders WHERE account_id = $1 AND mirror_note <> '' \
             AND removed_at IS NULL ORDER BY name",
        )
        .bind(account_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(MirrorNotes {
            account: account.unwrap_or_default(),
            folders,
        })
    }
}

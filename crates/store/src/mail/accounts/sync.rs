//! What sync keeps per account (ACC-3..5): the accounts that sync, their server folders
//! with cursors and counts (folders made in Wharf count once the server has them), the
//! folder choice, POP3 UIDLs seen, and the progress report shown on the account page.

use serde_json::json;
use wharf_core::Permission;

use crate::audit::{self, Entry};
use crate::db::now;
use crate::rows::{flag, int, text};
use crate::{Ctx, Result, Store};

use super::{Folder, SyncReport};

impl Store {
    /// Ids of the accounts that sync (enabled, with an incoming server).
    pub async fn syncing_account_ids(&self) -> Result<Vec<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT id FROM mail_accounts WHERE sync_enabled = 1 AND in_protocol <> 'none' ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// Records sync progress or its outcome on the account (shown on its page).
    pub async fn report_sync(&self, account_id: i64, report: &SyncReport) -> Result<()> {
        let finished = report.state != "syncing";
        sqlx::query(
            "UPDATE mail_accounts SET sync_state = $1, sync_error = $2, sync_error_step = $3, \
             sync_progress_done = $4, sync_progress_total = $5, \
             last_sync_at = CASE WHEN $6 = 1 THEN $7 ELSE last_sync_at END WHERE id = $8",
        )
        .bind(report.state)
        .bind(&report.error)
        .bind(&report.error_step)
        .bind(report.done)
        .bind(report.total)
        .bind(i64::from(finished))
        .bind(now())
        .bind(account_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The account's folders with how many messages are stored from each.
    pub async fn list_folders(&self, account_id: i64) -> Result<Vec<Folder>> {
        let rows = sqlx::query(
            "SELECT f.*, (SELECT COUNT(*) FROM message_locations l WHERE l.folder_id = f.id AND l.uidvalidity = f.uidvalidity) AS stored_count \
             FROM mail_folders f WHERE f.account_id = $1 AND (f.local = 0 OR f.server_path <> '') AND f.removed_at IS NULL \
             ORDER BY CASE f.role WHEN 'inbox' THEN 0 ELSE 1 END, f.name",
        )
        .bind(account_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| {
                Ok(Folder {
                    id: int(r, "id")?,
                    account_id: int(r, "account_id")?,
                    name: text(r, "name")?,
                    path: if flag(r, "local")? {
                        text(r, "server_path")?
                    } else {
                        text(r, "name")?
                    },
                    role: text(r, "role")?,
                    selected: flag(r, "selected")?,
                    uidvalidity: int(r, "uidvalidity")?,
                    last_uid: int(r, "last_uid")?,
                    highest_modseq: int(r, "highest_modseq")?,
                    server_count: int(r, "server_count")?,
                    stored_count: int(r, "stored_count")?,
                })
            })
            .collect::<sqlx::Result<_>>()?)
    }

    /// Makes sure a folder row exists (new server folders are selected by default,
    /// except Trash and Junk). A folder made in Wharf is already there under its own
    /// name (its server path in `server_path`), also while it waits to be deleted.
    pub async fn upsert_folder(&self, account_id: i64, name: &str, role: &str) -> Result<()> {
        let ours: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM mail_folders WHERE account_id = $1 AND local = 1 AND server_path = $2 LIMIT 1",
        )
        .bind(account_id)
        .bind(name)
        .fetch_optional(&self.pool)
        .await?;
        if ours.is_some() {
            return Ok(());
        }
        let selected = !matches!(role, "trash" | "junk");
        let t = now();
        sqlx::query(
            "INSERT INTO mail_folders (account_id, name, role, selected, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) \
             ON CONFLICT (account_id, name) DO UPDATE SET role = excluded.role",
        )
        .bind(account_id)
        .bind(name)
        .bind(role)
        .bind(i64::from(selected))
        .bind(t)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The folder choice (ACC-3): which server folders are synced.
    pub async fn select_folders(
        &self,
        ctx: Ctx<'_>,
        account_id: i64,
        selected: &[i64],
    ) -> Result<()> {
        ctx.actor.require(Permission::Mailboxes)?;
        self.get_account(ctx.actor, account_id).await?;
        let mut tx = self.begin().await?;
        for f in self.list_folders(account_id).await? {
            sqlx::query("UPDATE mail_folders SET selected = $1 WHERE id = $2")
                .bind(i64::from(selected.contains(&f.id)))
                .bind(f.id)
                .execute(&mut *tx)
                .await?;
        }
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "mail_account.folders",
                entity: "mail_account",
                entity_id: Some(account_id),
                summary: "",
                details: json!({ "selected": selected }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A new UIDVALIDITY: the server renumbered the folder, so the cursor starts over
    /// (stored messages stay; re-fetched copies are recognised by their bytes).
    pub async fn reset_folder(&self, folder_id: i64, uidvalidity: i64) -> Result<()> {
        sqlx::query(
            "UPDATE mail_folders SET uidvalidity = $1, last_uid = 0, highest_modseq = 0, updated_at = $2 WHERE id = $3",
        )
        .bind(uidvalidity)
        .bind(now())
        .bind(folder_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn set_folder_counts(
        &self,
        folder_id: i64,
        server_count: i64,
        highest_modseq: Option<i64>,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE mail_folders SET server_count = $1, highest_modseq = COALESCE($2, highest_modseq), updated_at = $3 WHERE id = $4",
        )
        .bind(server_count)
        .bind(highest_modseq)
        .bind(now())
        .bind(folder_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Is POP3 UIDL `uidl` of the account already stored?
    pub async fn pop3_known_uidls(&self, account_id: i64) -> Result<Vec<String>> {
        Ok(
            sqlx::query_scalar("SELECT uidl FROM pop3_uidls WHERE account_id = $1")
                .bind(account_id)
                .fetch_all(&self.pool)
                .await?,
        )
    }
}

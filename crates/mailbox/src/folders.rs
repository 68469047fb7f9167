//! Folders made in Wharf, mirrored to the IMAP server (issue 17): one `mail_folder` job
//! per folder makes the server's copy match the row — CREATE when it has no server path
//! yet, RENAME when its name changed, DELETE (only when empty) once it was deleted in
//! Wharf. The path is the name in modified UTF-7 under the account's prefix and
//! delimiter (`客户` → `&W6JiNw-`). Each step first looks at the server's folder list,
//! so a retry after a lost answer adopts what the server already did.
//!
//! A refusal (no right, quota, a name the server will not take) leaves the folder in
//! Wharf with a note (`folder_refused`, `name_taken`), shown translated on the account
//! page; moves into it then stay Wharf-only.

use wharf_mail::imap::{self, ImapConn};
use wharf_mail::net::Step;
use wharf_store::mail::mirror::FolderMirror;
use wharf_store::now;

use crate::sync::endpoint_in;
use crate::{Env, Error};

pub const FOLDER_REFUSED: &str = "folder_refused";
pub const NAME_TAKEN: &str = "name_taken";
/// On the account: a folder deleted in Wharf kept mail on the server Wharf does not
/// know of, so the server folder stayed.
pub const FOLDER_KEPT: &str = "folder_kept";

/// How long a deleted folder waits for the moves out of it before it gives up.
const EMPTY_WAIT_SECS: i64 = 600;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FolderOutcome {
    Done,
    /// Come back at this time (a deleted folder waiting for its mail to move out).
    Again(i64),
}

/// Makes the server's copy of one folder match Wharf's.
pub async fn mirror_folder(
    env: &Env,
    folder_id: i64,
    job_id: Option<i64>,
) -> Result<FolderOutcome, Error> {
    let Some(f) = env.store.folder_mirror(folder_id).await? else {
        return Ok(FolderOutcome::Done);
    };
    let s = env.store.account_secrets(&env.vault, f.account_id).await?;
    if s.account.in_protocol != "imap" {
        if f.removed_at.is_some() {
            env.store.forget_folder(f.id).await?;
        }
        return Ok(FolderOutcome::Done);
    }
    let mut conn = imap::login(&endpoint_in(&s), &s.account.in_username, &s.in_password).await?;
    let result = match f.removed_at {
        Some(at) => remove(env, &mut conn, &f, at).await,
        None => place(env, &mut conn, &f, job_id).await,
    };
    conn.logout().await;
    match result {
        Err(Error::Net(e)) if e.step == Step::Permission => {
            tracing::info!(
                folder_id,
                "the server refused a folder change: {}",
                e.detail
            );
            if f.removed_at.is_some() {
                env.store
                    .set_account_mirror_note(f.account_id, FOLDER_KEPT)
                    .await?;
                env.store.forget_folder(f.id).await?;
            } else {
                env.store
                    .set_folder_mirror_note(f.id, FOLDER_REFUSED)
                    .await?;
            }
            Ok(FolderOutcome::Done)
        }
        other => other,
    }
}

/// CREATE or RENAME so the folder is at the path its name gives.
async fn place(
    env: &Env,
    conn: &mut ImapConn,
    f: &FolderMirror,
    job_id: Option<i64>,
) -> Result<FolderOutcome, Error> {
    let want = conn.layout().await?.path_for(&f.name);
    if f.server_path == want {
        return Ok(FolderOutcome::Done);
    }
    if env
        .store
        .server_path_taken(f.account_id, &want, f.id)
        .await?
    {
        env.store.set_folder_mirror_note(f.id, NAME_TAKEN).await?;
        return Ok(FolderOutcome::Done);
    }
    let there = conn.folder_exists(&want).await?;
    if f.server_path.is_empty() {
        if !there {
            let key = format!("mail_folder:create:{}", f.id);
            wharf_jobs::once(&env.store, &key, job_id, async {
                conn.create_folder(&want).await.map_err(Error::from)
            })
            .await?;
        }
        // Already there: our CREATE whose answer was lost, or a folder of that name
        // made elsewhere (the phone) that Wharf had not synced yet — the same folder.
    } else if there {
        if conn.folder_exists(&f.server_path).await? {
            env.store.set_folder_mirror_note(f.id, NAME_TAKEN).await?;
            return Ok(FolderOutcome::Done);
        }
        // Renamed by an earlier run whose answer was lost.
    } else {
        conn.rename_folder(&f.server_path, &want).await?;
    }
    env.store.set_folder_server_path(f.id, &want).await?;
    Ok(FolderOutcome::Done)
}

/// DELETE once the server folder is empty (the mail filed there moves home first).
async fn remove(
    env: &Env,
    conn: &mut ImapConn,
    f: &FolderMirror,
    removed_at: i64,
) -> Result<FolderOutcome, Error> {
    if f.server_path.is_empty() || !conn.folder_exists(&f.server_path).await? {
        env.store.forget_folder(f.id).await?;
        return Ok(FolderOutcome::Done);
    }
    let sel = conn.select(&f.server_path).await?;
    if sel.exists > 0 {
        if now() - removed_at < EMPTY_WAIT_SECS {
            return Ok(FolderOutcome::Again(now() + 15));
        }
        env.store
            .set_account_mirror_note(f.account_id, FOLDER_KEPT)
            .await?;
        env.store.forget_folder(f.id).await?;
        return Ok(FolderOutcome::Done);
    }
    // A folder cannot be deleted while it is selected on some servers.
    conn.select("INBOX").await?;
    conn.delete_folder(&f.server_path).await?;
    env.store.forget_folder(f.id).await?;
    Ok(FolderOutcome::Done)
}

//! Moves made in Wharf, mirrored to the IMAP server (issue 17): a message filed into a
//! folder of one's own, back home, to Trash or to Junk goes there on the server too, so
//! the salesperson's phone shows the same. One `mail_move` job per message pushes where
//! Wharf files it *now* ([`wharf_store::mail::mirror::MoveGoal`]), so the last of quick
//! moves wins and a retry repeats nothing:
//! - `UID MOVE` where offered, else `UID COPY`, `\Deleted` and `UID EXPUNGE` of that
//!   message alone (a plain EXPUNGE only when nothing else is marked deleted);
//! - the server effect runs through `wharf_jobs::once`, and before it the target
//!   folder is searched for a copy with the same bytes (a run that died after the
//!   server acted but before anything was recorded), so a retry never copies twice;
//! - afterwards the store's location follows the server (new folder and UID), so the
//!   next sync neither imports the message again nor files it back.
//!
//! A server that refuses (no right, read-only, quota) leaves the Wharf move in place and
//! a note on the account (`move_refused`), shown translated on its page.

use wharf_mail::imap::{self, ImapConn};
use wharf_mail::net::Step;
use wharf_store::mail::mirror::{MoveGoal, MovePlan, Place};

use crate::sync::endpoint_in;
use crate::{Env, Error};

/// The note an account gets when its server refuses a move.
pub const MOVE_REFUSED: &str = "move_refused";

#[derive(Debug, Clone, Copy)]
pub struct MoveOptions {
    /// Use `MOVE` when the server offers it (tests turn it off to take the COPY path).
    pub use_move: bool,
}

impl Default for MoveOptions {
    fn default() -> Self {
        MoveOptions { use_move: true }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveOutcome {
    /// The server matches Wharf (or has nothing to do).
    Done,
    /// The target folder is not on the server yet: come back shortly.
    Wait,
    /// The server refused; the note is on the account.
    Refused,
}

/// Puts one message where Wharf files it on its server.
pub async fn mirror_move(
    env: &Env,
    message_id: i64,
    opts: MoveOptions,
    job_id: Option<i64>,
) -> Result<MoveOutcome, Error> {
    // A move made while this run works runs the job again afterwards (the runner's
    // `rerun`); looking again here saves that round trip when it is quick.
    let mut last_goal = None;
    for _ in 0..3 {
        let Some(plan) = env.store.move_plan(message_id).await? else {
            return Ok(MoveOutcome::Done);
        };
        if last_goal.as_ref() == Some(&plan.goal) {
            return Ok(MoveOutcome::Done);
        }
        last_goal = Some(plan.goal.clone());
        match push_plan(env, &plan, opts, job_id).await {
            Ok(MoveOutcome::Done) => {}
            Ok(other) => return Ok(other),
            Err(Error::Net(e)) if e.step == Step::Permission => {
                tracing::info!(message_id, "the server refused a move: {}", e.detail);
                env.store
                    .set_account_mirror_note(plan.account_id, MOVE_REFUSED)
                    .await?;
                return Ok(MoveOutcome::Refused);
            }
            Err(e) => return Err(e),
        }
    }
    Ok(MoveOutcome::Done)
}

async fn push_plan(
    env: &Env,
    plan: &MovePlan,
    opts: MoveOptions,
    job_id: Option<i64>,
) -> Result<MoveOutcome, Error> {
    let (target_id, target) = match &plan.goal {
        MoveGoal::Stay => return Ok(MoveOutcome::Done),
        MoveGoal::Wait => return Ok(MoveOutcome::Wait),
        MoveGoal::Folder { id, path } => (*id, path.as_str()),
    };
    if plan.places.iter().any(|p| p.folder_id == target_id) {
        return Ok(MoveOutcome::Done);
    }
    // Only messages the server has (IMAP, with a known place) move there.
    let Some(place) = plan.places.first() else {
        return Ok(MoveOutcome::Done);
    };
    let s = env
        .store
        .account_secrets(&env.vault, plan.account_id)
        .await?;
    if s.account.in_protocol != "imap" {
        return Ok(MoveOutcome::Done);
    }
    let mut conn = imap::login(&endpoint_in(&s), &s.account.in_username, &s.in_password).await?;
    let result = move_one(&mut conn, env, plan, place, target_id, target, opts, job_id).await;
    conn.logout().await;
    result?;
    // A move went through: an old refusal note no longer holds.
    env.store
        .set_account_mirror_note(plan.account_id, "")
        .await?;
    Ok(MoveOutcome::Done)
}

#[allow(clippy::too_many_arguments)]
async fn move_one(
    conn: &mut ImapConn,
    env: &Env,
    plan: &MovePlan,
    place: &Place,
    target_id: i64,
    target: &str,
    opts: MoveOptions,
    job_id: Option<i64>,
) -> Result<(), Error> {
    let uid_next = conn.uid_next(target).await?;
    let source = match conn.select(&place.path).await {
        Ok(s) => s,
        // The folder is gone from the server: the store no longer knows where it is.
        Err(e) if e.step == Step::Permission => {
            env.store
                .relocate(place.location_id, target_id, 0, None)
                .await?;
            return Ok(());
        }
        Err(e) => return Err(e.into()),
    };
    let Ok(uid) = u32::try_from(place.uid) else {
        return Ok(());
    };
    if i64::from(source.uidvalidity) != place.uidvalidity {
        env.store
            .relocate(place.location_id, target_id, 0, None)
            .await?;
        return Ok(());
    }
    let present = conn.has_uid(uid).await?;
    let target_sel = conn.select(target).await?;
    let mut copy = conn
        .find_copy(&plan.message_id, &plan.blob_hash, uid_next)
        .await?;
    if copy.is_none() && present {
        conn.select(&place.path).await?;
        let moves = opts.use_move && conn.caps.moves;
        let key = format!("mail_move:{}:{target_id}", place.location_id);
        wharf_jobs::once(&env.store, &key, job_id, async {
            if moves {
                conn.move_uid(uid, target).await
            } else {
                conn.copy_uid(uid, target).await
            }
            .map_err(Error::from)
        })
        .await?;
        conn.select(target).await?;
        copy = conn
            .find_copy(&plan.message_id, &plan.blob_hash, uid_next)
            .await?;
    }
    if present {
        // After COPY (or a move that died half-way) the original is still there.
        conn.select(&place.path).await?;
        if conn.has_uid(uid).await? && copy.is_some() {
            conn.remove_uid(uid).await?;
        }
    }
    env.store
        .relocate(
            place.location_id,
            target_id,
            i64::from(target_sel.uidvalidity),
            copy.map(i64::from),
        )
        .await?;
    Ok(())
}

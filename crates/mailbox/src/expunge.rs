//! "Delete for good" on the IMAP server too (issue 17): the `mail_expunge` job removes
//! each server copy the deletion recorded (`\Deleted` and `UID EXPUNGE` of that message
//! alone), each through `wharf_jobs::once`, so a retry removes nothing twice. A copy
//! already gone, a folder gone, or a folder whose UIDVALIDITY changed (the UID names
//! another message now) is left alone. A server that refuses leaves a note on the
//! account (`expunge_refused`), shown translated beside its folders.

use wharf_mail::net::Step;
use wharf_store::mail::expunge::ExpungePlan;

use crate::sync::endpoint_in;
use crate::{Env, Error};

/// The note an account gets when its server refuses to delete a message.
pub const EXPUNGE_REFUSED: &str = "expunge_refused";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpungeOutcome {
    /// Every copy is gone from the server (or was never there to remove).
    Done,
    /// The server refused; the note is on the account.
    Refused,
}

/// Removes the plan's copies from the server.
pub async fn expunge(
    env: &Env,
    plan: &ExpungePlan,
    job_id: Option<i64>,
) -> Result<ExpungeOutcome, Error> {
    let s = match env.store.account_secrets(&env.vault, plan.account_id).await {
        Ok(s) => s,
        // The account itself is gone: nothing left to reach.
        Err(wharf_store::StoreError::Domain(wharf_core::DomainError::NotFound)) => {
            return Ok(ExpungeOutcome::Done);
        }
        Err(e) => return Err(e.into()),
    };
    if s.account.in_protocol != "imap" {
        return Ok(ExpungeOutcome::Done);
    }
    let mut conn =
        wharf_mail::imap::login(&endpoint_in(&s), &s.account.in_username, &s.in_password).await?;
    let mut result = Ok(ExpungeOutcome::Done);
    for copy in &plan.copies {
        let key = format!(
            "mail_expunge:{}:{}:{}:{}",
            plan.account_id, copy.path, copy.uidvalidity, copy.uid
        );
        let removed = remove_copy(&mut conn, env, &key, copy, job_id).await;
        match removed {
            Ok(()) => {}
            Err(Error::Net(e)) if e.step == Step::Permission => {
                tracing::info!(
                    message_id = plan.message_id,
                    "the server refused to delete a message: {}",
                    e.detail
                );
                env.store
                    .set_account_mirror_note(plan.account_id, EXPUNGE_REFUSED)
                    .await?;
                result = Ok(ExpungeOutcome::Refused);
            }
            Err(e) => {
                result = Err(e);
                break;
            }
        }
    }
    conn.logout().await;
    result
}

async fn remove_copy(
    conn: &mut wharf_mail::imap::ImapConn,
    env: &Env,
    key: &str,
    copy: &wharf_store::mail::expunge::ServerCopy,
    job_id: Option<i64>,
) -> Result<(), Error> {
    let Ok(uid) = u32::try_from(copy.uid) else {
        return Ok(());
    };
    let selected = match conn.select(&copy.path).await {
        Ok(s) => s,
        // The folder is gone from the server, and the message with it.
        Err(e) if e.step == Step::Permission => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    if i64::from(selected.uidvalidity) != copy.uidvalidity || !conn.has_uid(uid).await? {
        return Ok(());
    }
    wharf_jobs::once(&env.store, key, job_id, async {
        conn.remove_uid(uid).await.map_err(Error::from)
    })
    .await?;
    Ok(())
}

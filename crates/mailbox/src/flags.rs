//! Read and star made in Wharf go back to the IMAP server (SPEC ACC-3 "flags both
//! ways"), so the user's phone and other mail clients agree. The store queues a `flags`
//! job whenever read or star changes; the job pushes the message's current state; a stale UIDVALIDITY or a message gone from the server is
//! skipped.

use std::collections::BTreeMap;

use wharf_mail::imap;
use wharf_store::now;

use crate::sync::endpoint_in;
use crate::{Env, Error};

/// One push; returns the job's next run (None: done) and its error text.
pub async fn push(env: &Env, message_id: i64) -> (Option<i64>, String) {
    match push_inner(env, message_id).await {
        Ok(()) => (None, String::new()),
        Err(e) => (Some(now() + 120), e.to_string()),
    }
}

async fn push_inner(env: &Env, message_id: i64) -> Result<(), Error> {
    let (places, seen, flagged, account) = match env.store.server_places(message_id).await {
        Ok(p) => p,
        // The message is gone (deleted for good): nothing to push.
        Err(_) => return Ok(()),
    };
    if places.is_empty() {
        return Ok(());
    }
    let s = env.store.account_secrets(&env.vault, account).await?;
    if s.account.in_protocol != "imap" {
        return Ok(());
    }
    let mut conn = imap::login(&endpoint_in(&s), &s.account.in_username, &s.in_password).await?;
    let mut by_folder: BTreeMap<(String, i64), Vec<u32>> = BTreeMap::new();
    for p in places {
        if let Ok(uid) = u32::try_from(p.uid) {
            by_folder
                .entry((p.folder, p.uidvalidity))
                .or_default()
                .push(uid);
        }
    }
    for ((folder, uidvalidity), uids) in by_folder {
        let sel = conn.select(&folder).await?;
        if i64::from(sel.uidvalidity) != uidvalidity {
            continue;
        }
        if seen {
            conn.add_flags(&uids, "\\Seen").await?;
        } else {
            conn.remove_flags(&uids, "\\Seen").await?;
        }
        if flagged {
            conn.add_flags(&uids, "\\Flagged").await?;
        } else {
            conn.remove_flags(&uids, "\\Flagged").await?;
        }
    }
    conn.logout().await;
    Ok(())
}

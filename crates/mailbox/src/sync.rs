//! Syncing one account (SPEC ACC-3..5). IMAP: per folder a UIDVALIDITY + last-UID
//! cursor, new UIDs fetched in small batches, each batch stored in one transaction
//! together with the cursor — so a crash at any point loses nothing and the next run
//! starts after the last committed batch, and a re-fetched message is recognised by its
//! UID and its bytes. CONDSTORE flag changes where offered. POP3: by UIDL, optionally
//! leaving mail on the server.

use std::collections::HashSet;
use std::time::Duration;

use wharf_mail::imap::{self, ImapConn};
use wharf_mail::net::{Endpoint, Security};
use wharf_mail::pop3;
use wharf_store::mail::accounts::{AccountSecrets, SyncReport};
use wharf_store::mail::messages::{CursorAdvance, Location};

use crate::ingest::Origin;
use crate::{Env, Error};

#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// Most messages fetched and stored in one batch.
    pub batch_messages: usize,
    /// Most bytes in one batch (a bigger message goes alone).
    pub batch_bytes: u64,
    /// After syncing, wait this long on INBOX for news with IDLE (when offered).
    pub idle_for: Option<Duration>,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions {
            batch_messages: 100,
            batch_bytes: 16 * 1024 * 1024,
            idle_for: None,
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct SyncOutcome {
    /// Messages fetched and stored in this run.
    pub fetched: usize,
    /// The server offers IDLE (the worker then comes back at once instead of polling).
    pub idle: bool,
    /// IDLE ended because something changed.
    pub changed: bool,
}

pub fn endpoint_in(s: &AccountSecrets) -> Endpoint {
    Endpoint {
        host: s.account.in_host.clone(),
        port: u16::try_from(s.account.in_port).unwrap_or(0),
        security: Security::from_code(&s.account.in_security),
        accept_invalid_certs: s.account.accept_invalid_certs,
    }
}

pub fn endpoint_out(s: &AccountSecrets) -> Endpoint {
    Endpoint {
        host: s.account.out_host.clone(),
        port: u16::try_from(s.account.out_port).unwrap_or(0),
        security: Security::from_code(&s.account.out_security),
        accept_invalid_certs: s.account.accept_invalid_certs,
    }
}

/// Syncs one account and records the outcome (or the error and its step) on it.
pub async fn sync_account(
    env: &Env,
    account_id: i64,
    opts: &SyncOptions,
) -> Result<SyncOutcome, Error> {
    let result = sync_inner(env, account_id, opts).await;
    let report = match &result {
        Ok(o) => SyncReport {
            state: "idle",
            done: o.fetched as i64,
            total: o.fetched as i64,
            ..Default::default()
        },
        Err(e) => SyncReport {
            state: "error",
            error: e.public_text(),
            error_step: e.step().to_string(),
            ..Default::default()
        },
    };
    if let Err(e) = &result
        && !matches!(e, Error::Net(_))
    {
        tracing::error!(account_id, "sync failed: {e}");
    }
    if let Err(e) = env.store.report_sync(account_id, &report).await {
        tracing::warn!(account_id, "cannot record sync state: {e}");
    }
    result
}

async fn sync_inner(env: &Env, account_id: i64, opts: &SyncOptions) -> Result<SyncOutcome, Error> {
    let secrets = env.store.account_secrets(&env.vault, account_id).await?;
    match secrets.account.in_protocol.as_str() {
        "imap" => sync_imap(env, &secrets, opts).await,
        "pop3" => sync_pop3(env, &secrets, opts).await,
        _ => Ok(SyncOutcome::default()),
    }
}

async fn progress(env: &Env, account_id: i64, done: usize, total: usize) {
    let report = SyncReport {
        state: "syncing",
        done: done as i64,
        total: total as i64,
        ..Default::default()
    };
    if let Err(e) = env.store.report_sync(account_id, &report).await {
        tracing::warn!(account_id, "cannot record sync progress: {e}");
    }
}

async fn sync_imap(
    env: &Env,
    s: &AccountSecrets,
    opts: &SyncOptions,
) -> Result<SyncOutcome, Error> {
    let account_id = s.account.id;
    let mut conn = imap::login(&endpoint_in(s), &s.account.in_username, &s.in_password).await?;
    for f in conn.folders().await? {
        env.store.upsert_folder(account_id, &f.name, f.role).await?;
    }
    let own = env.store.account_addresses(account_id).await?;
    let folders = env.store.list_folders(account_id).await?;
    let mut outcome = SyncOutcome {
        idle: conn.caps.idle,
        ..Default::default()
    };
    // First the new UIDs of every folder, so progress has a total.
    let mut plan = Vec::new();
    let mut inbox_planned = None;
    let mut total = 0usize;
    for folder in folders.iter().filter(|f| f.selected) {
        let sel = conn.select(&folder.path).await?;
        let uidvalidity = i64::from(sel.uidvalidity);
        let mut last_uid = folder.last_uid;
        if uidvalidity != folder.uidvalidity {
            env.store.reset_folder(folder.id, uidvalidity).await?;
            last_uid = 0;
        }
        let from = u32::try_from(last_uid + 1).unwrap_or(u32::MAX);
        let uids = conn.uids_from(from).await?;
        total += uids.len();
        if conn.caps.condstore
            && folder.highest_modseq > 0
            && folder.uidvalidity == uidvalidity
            && sel
                .highest_modseq
                .is_some_and(|m| m as i64 > folder.highest_modseq)
        {
            for (uid, flags, modseq) in conn.changed_flags(folder.highest_modseq as u64).await? {
                env.store
                    .update_location_flags(
                        folder.id,
                        uidvalidity,
                        i64::from(uid),
                        &flags,
                        modseq as i64,
                    )
                    .await?;
            }
        }
        if folder.name.eq_ignore_ascii_case("INBOX") {
            inbox_planned = Some(sel);
        }
        plan.push((folder.clone(), uidvalidity, uids, sel));
    }
    progress(env, account_id, 0, total).await;
    let ingestor = env.ingestor();
    for (folder, uidvalidity, uids, sel) in plan {
        if uids.is_empty() {
            env.store
                .set_folder_counts(
                    folder.id,
                    i64::from(sel.exists),
                    sel.highest_modseq.map(|m| m as i64),
                )
                .await?;
            continue;
        }
        conn.select(&folder.path).await?;
        for batch in batches(&uids, opts) {
            let fetched = conn.fetch(&batch).await?;
            let last_uid = i64::from(batch.iter().copied().max().unwrap_or(0));
            let messages = fetched
                .into_iter()
                .map(|f| {
                    let origin = Origin {
                        account_id,
                        own_addresses: own.clone(),
                        folder_role: folder.role.clone(),
                        seen: f.flags.contains("\\Seen"),
                        source: "imap".into(),
                        location: Some(Location {
                            folder_id: folder.id,
                            uidvalidity,
                            uid: i64::from(f.uid),
                            flags: f.flags.clone(),
                        }),
                        pop3_uidl: None,
                    };
                    (f.bytes, origin)
                })
                .collect::<Vec<_>>();
            let n = messages.len();
            ingestor
                .ingest_raw(
                    messages,
                    Some(CursorAdvance {
                        folder_id: folder.id,
                        uidvalidity,
                        last_uid,
                    }),
                )
                .await?;
            outcome.fetched += n;
            progress(env, account_id, outcome.fetched, total).await;
        }
        env.store
            .set_folder_counts(
                folder.id,
                i64::from(sel.exists),
                sel.highest_modseq.map(|m| m as i64),
            )
            .await?;
    }
    if let Some(wait) = opts.idle_for
        && conn.caps.idle
    {
        env.store
            .report_sync(
                account_id,
                &SyncReport {
                    state: "idle",
                    done: outcome.fetched as i64,
                    total: total as i64,
                    ..Default::default()
                },
            )
            .await?;
        let now = conn.select("INBOX").await?;
        // What reached INBOX while this run was fetching and storing is counted by that
        // SELECT and would not wake IDLE: the next run (at once) fetches it instead.
        let moved = inbox_planned.is_some_and(|then| {
            (
                then.uidvalidity,
                then.uidnext,
                then.exists,
                then.highest_modseq,
            ) != (now.uidvalidity, now.uidnext, now.exists, now.highest_modseq)
        });
        if moved {
            outcome.changed = true;
        } else {
            let (c, changed) = conn.idle(wait).await?;
            conn = c;
            outcome.changed = changed;
        }
    }
    logout(conn).await;
    Ok(outcome)
}

async fn logout(conn: ImapConn) {
    conn.logout().await;
}

/// Splits UIDs (with sizes) into batches bounded by count and bytes.
fn batches(uids: &[(u32, u32)], opts: &SyncOptions) -> Vec<Vec<u32>> {
    let mut out = Vec::new();
    let mut current = Vec::new();
    let mut bytes = 0u64;
    for &(uid, size) in uids {
        if !current.is_empty()
            && (current.len() >= opts.batch_messages || bytes + u64::from(size) > opts.batch_bytes)
        {
            out.push(std::mem::take(&mut current));
            bytes = 0;
        }
        current.push(uid);
        bytes += u64::from(size);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

async fn sync_pop3(
    env: &Env,
    s: &AccountSecrets,
    opts: &SyncOptions,
) -> Result<SyncOutcome, Error> {
    let account_id = s.account.id;
    let mut conn = pop3::login(&endpoint_in(s), &s.account.in_username, &s.in_password).await?;
    let list = conn.uidl().await?;
    let known: HashSet<String> = env
        .store
        .pop3_known_uidls(account_id)
        .await?
        .into_iter()
        .collect();
    let own = env.store.account_addresses(account_id).await?;
    let new: Vec<&(u32, String)> = list.iter().filter(|(_, u)| !known.contains(u)).collect();
    let total = new.len();
    progress(env, account_id, 0, total).await;
    let ingestor = env.ingestor();
    let mut outcome = SyncOutcome::default();
    for chunk in new.chunks(opts.batch_messages.clamp(1, 50)) {
        let mut messages = Vec::with_capacity(chunk.len());
        for (n, uidl) in chunk {
            let bytes = conn.retr(*n).await?;
            messages.push((
                bytes,
                Origin {
                    account_id,
                    own_addresses: own.clone(),
                    folder_role: "inbox".into(),
                    seen: false,
                    source: "pop3".into(),
                    location: None,
                    pop3_uidl: Some(uidl.clone()),
                },
            ));
        }
        outcome.fetched += messages.len();
        ingestor.ingest_raw(messages, None).await?;
        progress(env, account_id, outcome.fetched, total).await;
    }
    if !s.account.leave_on_server {
        // Only what is stored is deleted, and DELE takes effect at QUIT: a crash before
        // QUIT deletes nothing.
        let stored: HashSet<String> = env
            .store
            .pop3_known_uidls(account_id)
            .await?
            .into_iter()
            .collect();
        for (n, uidl) in &list {
            if stored.contains(uidl) {
                conn.dele(*n).await?;
            }
        }
    }
    conn.quit().await?;
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_respect_count_and_bytes() {
        let opts = SyncOptions {
            batch_messages: 2,
            batch_bytes: 100,
            idle_for: None,
        };
        let uids = [(1, 10), (2, 10), (3, 10), (4, 500), (5, 10)];
        assert_eq!(
            batches(&uids, &opts),
            vec![vec![1, 2], vec![3], vec![4], vec![5]]
        );
    }
}

//! The `auth` job: checks the messages ingest queued in `message_auth`, a batch at a
//! time and several at once (bounded), after they are stored — so a slow or dead DNS
//! never slows or fails ingest — and records Wharf's own results.

use std::sync::Arc;

use tokio::task::JoinSet;
use wharf_store::mail::authentication::AuthCheck;
use wharf_store::now;

use crate::Env;
use crate::auth::Verifier;

/// Imported mail older than this is not checked: the DKIM keys it was signed with have
/// often been rotated away, so a check would fail for innocent reasons.
pub const OLD_MAIL_DAYS: i64 = 30;

/// What ingest asks for a message: mail that came in is checked; imported history older
/// than [`OLD_MAIL_DAYS`] is marked "not checked (old mail)"; what we sent is not.
pub fn check_for(source: &str, direction: &str, parsed: bool, received_at: i64) -> AuthCheck {
    if direction != "in" || !parsed || source == "sent" {
        return AuthCheck::Skip;
    }
    if source.starts_with("import") && received_at < now() - OLD_MAIL_DAYS * 86_400 {
        return AuthCheck::Old;
    }
    AuthCheck::Pending
}

/// Messages taken per run, and checked at once.
const BATCH: i64 = 64;
const AT_ONCE: usize = 8;

/// Checks one batch; the job runs again at once while the queue is not empty.
pub async fn run(env: &Env, verifier: &Arc<Verifier>) -> (Option<i64>, String) {
    let pending = match env.store.pending_auth(BATCH).await {
        Ok(p) => p,
        Err(e) => return (Some(now() + 30), e.to_string()),
    };
    if pending.is_empty() {
        return (None, String::new());
    }
    let full = pending.len() as i64 == BATCH;
    let mut queue = pending.into_iter();
    let mut running = JoinSet::new();
    let mut errors = Vec::new();
    loop {
        while running.len() < AT_ONCE {
            let Some(p) = queue.next() else { break };
            let (env, verifier) = (env.clone(), verifier.clone());
            running.spawn(async move {
                let results = match env.read_blob(&p.blob_hash).await {
                    Ok(raw) => verifier.check(&raw).await,
                    Err(e) => {
                        tracing::warn!(message = p.message_id, "auth check: cannot read blob: {e}");
                        wharf_store::mail::authentication::AuthResults {
                            dkim: "temperror".into(),
                            spf: "temperror".into(),
                            dmarc: "temperror".into(),
                            reason: "stored message unreadable".into(),
                            ..Default::default()
                        }
                    }
                };
                env.store.save_auth(p.message_id, &results).await
            });
        }
        match running.join_next().await {
            Some(Ok(Ok(()))) => {}
            Some(Ok(Err(e))) => errors.push(e.to_string()),
            Some(Err(e)) => errors.push(format!("auth check stopped: {e}")),
            None => break,
        }
    }
    if !errors.is_empty() {
        return (Some(now() + 30), errors.join("; "));
    }
    (
        if full { Some(now()) } else { Some(now() + 1) },
        String::new(),
    )
}

/// Runs the queue dry without the worker (tests, tools).
pub async fn drain(env: &Env, verifier: &Arc<Verifier>) -> Result<(), crate::Error> {
    while !env.store.pending_auth(1).await?.is_empty() {
        let (_, error) = run(env, verifier).await;
        if !error.is_empty() {
            return Err(crate::Error::Other(error));
        }
    }
    Ok(())
}

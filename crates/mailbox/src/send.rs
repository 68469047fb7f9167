//! Sending (SPEC SEND-5): a message is stored first (direction out, in Sent), queued,
//! and delivered by the worker through the account's SMTP server with retries and
//! growing waits; after delivery its copy is appended to the server's Sent folder.
//! Permanent failures stop at once with the server's reason. Each delivery is an
//! exactly-once effect (`send:<outgoing id>`, see [`wharf_jobs::once`]): recorded right
//! after the server took the message and before the outgoing row says `sent`, so a job
//! re-run after a crash in between does not send it twice.

use wharf_jobs::Once;
use wharf_mail::imap;
use wharf_mail::smtp::{self, SmtpSettings};
use wharf_store::now;

use crate::ingest::Origin;
use crate::sync::{endpoint_in, endpoint_out};
use crate::{Env, Error};

/// Attempts before a temporary failure counts as final.
pub const MAX_ATTEMPTS: i64 = 6;

/// Stores `bytes` as a sent message of the account and queues it for delivery.
/// Returns (message id, outgoing id).
pub async fn queue(
    env: &Env,
    account_id: i64,
    created_by: Option<i64>,
    envelope_from: &str,
    recipients: &[String],
    bytes: Vec<u8>,
) -> Result<(i64, i64), Error> {
    let message_id = store_sent(env, account_id, recipients, bytes).await?;
    // The row and its job in one transaction: a crash between them would leave a
    // queued mail nobody sends.
    let outgoing = env
        .store
        .queue_outgoing(wharf_store::mail::outgoing::NewOutgoing {
            account_id,
            message_id,
            created_by,
            envelope_from,
            recipients,
        })
        .await?;
    Ok((message_id, outgoing))
}

/// As [`queue`] for a quote's mail: the queueing and the quote's move to sent are one
/// transaction (`Store::queue_quote_mail`). Returns (message id, outgoing id).
pub async fn queue_quote(
    env: &Env,
    ctx: wharf_store::Ctx<'_>,
    quote_id: i64,
    account_id: i64,
    envelope_from: &str,
    recipients: &[String],
    bytes: Vec<u8>,
) -> Result<(i64, i64), Error> {
    let message_id = store_sent(env, account_id, recipients, bytes).await?;
    let outgoing = env
        .store
        .queue_quote_mail(
            ctx,
            wharf_store::quotes::QuoteMail {
                quote_id,
                account_id,
                message_id,
                envelope_from,
                recipients,
            },
        )
        .await?;
    Ok((message_id, outgoing))
}

/// Stores the bytes as a sent message of the account (in Sent, seen); its id.
async fn store_sent(
    env: &Env,
    account_id: i64,
    recipients: &[String],
    bytes: Vec<u8>,
) -> Result<i64, Error> {
    if recipients.is_empty() {
        return Err(Error::Other("no recipient".into()));
    }
    let own = env.store.account_addresses(account_id).await?;
    let origin = Origin {
        account_id,
        own_addresses: own,
        folder_role: "sent".into(),
        seen: true,
        source: "sent".into(),
        location: None,
        pop3_uidl: None,
    };
    let ingested = env
        .ingestor()
        .ingest_raw(vec![(bytes, origin)], None)
        .await?;
    let message_id = ingested
        .first()
        .map(|i| i.id())
        .ok_or_else(|| Error::Other("message not stored".into()))?;
    Ok(message_id)
}

/// One delivery attempt outside a job (tests, tools); returns the next attempt's time
/// (None: done) and its error text.
pub async fn deliver(env: &Env, outgoing_id: i64) -> (Option<i64>, String) {
    match deliver_for(env, outgoing_id, None).await {
        Ok(next) => (next, String::new()),
        Err(e) => (Some(now() + 60), e.to_string()),
    }
}

/// The effect key of one message's delivery.
pub fn effect_key(outgoing_id: i64) -> String {
    format!("send:{outgoing_id}")
}

/// One delivery attempt by `job` (None: outside a job); returns when to try again
/// after a temporary SMTP failure (None: delivered or failed for good, as the outgoing
/// row says).
pub async fn deliver_for(
    env: &Env,
    outgoing_id: i64,
    job: Option<i64>,
) -> Result<Option<i64>, Error> {
    let Some(out) = env.store.get_outgoing(outgoing_id).await? else {
        return Ok(None);
    };
    if out.state == "sent" || out.state == "failed" {
        return Ok(None);
    }
    let secrets = env
        .store
        .account_secrets(&env.vault, out.account_id)
        .await?;
    let hash = env
        .store
        .message_blob(out.message_id)
        .await?
        .ok_or_else(|| Error::Other("queued message is gone".into()))?;
    let bytes = env.read_blob(&hash).await?;
    let settings = SmtpSettings {
        endpoint: endpoint_out(&secrets),
        username: secrets.account.out_username.clone(),
        password: secrets.out_password.clone(),
    };
    let sent = wharf_jobs::once(&env.store, &effect_key(out.id), job, async {
        smtp::send(&settings, &out.envelope_from, &out.recipients, &bytes)
            .await
            .map_err(Attempt::Smtp)
    })
    .await;
    match sent {
        Ok(Once::AlreadyDone(_)) => {
            // Delivered by a run that died before it could say so.
            env.store
                .record_send_attempt(out.id, "sent", "", now())
                .await?;
            Ok(None)
        }
        Err(Attempt::Store(e)) => Err(e.into()),
        Ok(Once::Done(_)) => {
            env.store
                .record_send_attempt(out.id, "sent", "", now())
                .await?;
            if secrets.account.in_protocol == "imap"
                && let Err(e) = append_to_sent(env, &secrets, &bytes).await
            {
                // Delivered all the same; the copy stays in Wharf's Sent.
                tracing::warn!(outgoing = out.id, "sent copy not appended: {e}");
            } else if secrets.account.in_protocol == "imap" {
                env.store.mark_appended_to_sent(out.id).await?;
            }
            Ok(None)
        }
        Err(Attempt::Smtp(e)) => {
            let attempts = out.attempts + 1;
            if e.permanent || attempts >= MAX_ATTEMPTS {
                env.store
                    .record_send_attempt(out.id, "failed", &e.to_string(), now())
                    .await?;
                Ok(None)
            } else {
                // 1, 2, 4, 8, 16 minutes.
                let next = now() + (60i64 << (attempts - 1).clamp(0, 4));
                env.store
                    .record_send_attempt(out.id, "retrying", &e.to_string(), next)
                    .await?;
                Ok(Some(next))
            }
        }
    }
}

/// Why a delivery's effect did not happen: the server said no, or the store failed.
enum Attempt {
    Smtp(smtp::SendError),
    Store(wharf_store::StoreError),
}

impl From<wharf_store::StoreError> for Attempt {
    fn from(e: wharf_store::StoreError) -> Attempt {
        Attempt::Store(e)
    }
}

async fn append_to_sent(
    env: &Env,
    s: &wharf_store::mail::accounts::AccountSecrets,
    bytes: &[u8],
) -> Result<(), Error> {
    let folders = env.store.list_folders(s.account.id).await?;
    let mut conn = imap::login(&endpoint_in(s), &s.account.in_username, &s.in_password).await?;
    let sent = match folders.iter().find(|f| f.role == "sent") {
        Some(f) => f.name.clone(),
        None => conn
            .folders()
            .await?
            .into_iter()
            .find(|f| f.role == "sent")
            .map(|f| f.name)
            .unwrap_or_else(|| "Sent".into()),
    };
    conn.append(&sent, "\\Seen", bytes).await?;
    conn.logout().await;
    Ok(())
}

//! Ingestion: raw bytes → parsed fields → blobs on disk → one database transaction.
//! Every way mail comes in (IMAP, POP3, import, the sent copy) goes through
//! [`Ingestor::ingest`]. Blobs are written (and flushed) before the transaction that
//! names them commits, so a crash between the two leaves only an unreferenced blob.

use wharf_core::mail::account::direction;
use wharf_mail::parse::{is_reply_subject, subject_key};
use wharf_mail::{Mailbox, sha256_hex};
use wharf_store::blobs::Blobs;
use wharf_store::mail::messages::{
    CursorAdvance, INLINE_MAX, IngestItem, Ingested, Location, NewAttachment, NewMessage,
};
use wharf_store::{Store, now};

use crate::Error;

/// Where a message comes from, as far as ingestion cares.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    pub account_id: i64,
    /// The account's own addresses (direction: from one of them = sent by us).
    pub own_addresses: Vec<String>,
    /// Role of the folder it was found in (`inbox`, `sent`, …).
    pub folder_role: String,
    pub seen: bool,
    pub source: String,
    pub location: Option<Location>,
    pub pop3_uidl: Option<String>,
}

/// A message parsed and hashed, with the blobs it needs written.
pub struct Prepared {
    pub(crate) item: IngestItem,
    pub(crate) blobs: Vec<(String, Vec<u8>)>,
}

impl Prepared {
    /// The message could not be parsed (it is stored raw and flagged).
    pub fn failed(&self) -> bool {
        self.item.message.parse_error.is_some()
    }

    /// Flags the message with what is wrong with the file it came in.
    pub fn set_defect(&mut self, defect: &str) {
        self.item.message.defect = defect.to_string();
    }
}

/// Parses and hashes one message (CPU only; call from a blocking thread for big batches).
pub fn prepare(bytes: Vec<u8>, origin: Origin) -> Prepared {
    let hash = sha256_hex(&bytes);
    let size = bytes.len() as i64;
    let mut message = NewMessage {
        account_id: origin.account_id,
        blob_hash: hash.clone(),
        size,
        direction: "in".into(),
        folder_role: origin.folder_role.clone(),
        received_at: now(),
        seen: origin.seen,
        source: origin.source.clone(),
        to_json: "[]".into(),
        cc_json: "[]".into(),
        ..Default::default()
    };
    let mut blobs = Vec::new();
    // A byte order mark is not part of the header; the bytes are kept with it.
    let readable = bytes
        .strip_prefix(wharf_mail::sources::BOM)
        .unwrap_or(&bytes);
    match wharf_mail::parse(readable) {
        Ok(p) => {
            let from = p.from.clone().unwrap_or(Mailbox {
                name: String::new(),
                address: String::new(),
            });
            let mut dir = direction(&from.address, &origin.own_addresses);
            if matches!(origin.folder_role.as_str(), "sent" | "drafts") {
                dir = wharf_core::mail::account::Direction::Out;
            }
            message.direction = dir.code().into();
            if message.folder_role.is_empty() {
                // Imported without a folder: inbox or sent by who sent it.
                message.folder_role = match dir {
                    wharf_core::mail::account::Direction::Out => "sent".into(),
                    wharf_core::mail::account::Direction::In => "inbox".into(),
                };
            }
            message.message_id = p.message_id.clone().unwrap_or_default();
            message.in_reply_to = p.in_reply_to.first().cloned().unwrap_or_default();
            message.references = p.references.clone();
            message.subject_key = subject_key(&p.subject);
            message.reply_subject = is_reply_subject(&p.subject);
            message.subject = p.subject;
            message.from_name = from.name;
            message.from_addr = from.address.to_lowercase();
            message.to_json = serde_json::to_string(&p.to).unwrap_or_else(|_| "[]".into());
            message.cc_json = serde_json::to_string(&p.cc).unwrap_or_else(|_| "[]".into());
            message.sent_at = p.date;
            if let Some(d) = p.date {
                // The Date header, when sane, is the best guess at when it arrived.
                if d > 0 && d <= now() + 86_400 {
                    message.received_at = d;
                }
            }
            // A machine's mail waits for no answer, unless it brings a buyer's inquiry.
            let inquiry = wharf_core::mail::inquiry::parse_with(
                wharf_core::mail::inquiry::built_in_shared(),
                &message.from_addr,
                &message.subject,
                &p.text,
            )
            .is_some();
            message.automated = p.automated && !inquiry;
            message.auto_reply = p.auto_reply && !inquiry;
            message.snippet = p.snippet;
            message.body_text = truncate(&p.text, 200_000);
            message.bounce = p.dsn.map(|d| {
                let info = serde_json::to_string(&d.recipients).unwrap_or_default();
                (d.original_message_id, info)
            });
            for a in p.attachments {
                let small = a.bytes.len() <= INLINE_MAX;
                message.attachments.push(NewAttachment {
                    hash: a.hash.clone(),
                    size: a.bytes.len() as i64,
                    filename: a.filename,
                    content_type: a.content_type,
                    content_id: a.content_id.unwrap_or_default(),
                    inline: a.inline,
                    inline_data: None,
                });
                if small {
                    if let Some(last) = message.attachments.last_mut() {
                        last.inline_data = Some(a.bytes);
                    }
                } else {
                    blobs.push((a.hash, a.bytes));
                }
            }
        }
        Err(failure) => {
            message.parse_error = Some(failure.0);
            if message.folder_role.is_empty() {
                message.folder_role = "inbox".into();
            }
        }
    }
    message.auth_check = crate::auth_job::check_for(
        &message.source,
        &message.direction,
        message.parse_error.is_none(),
        message.received_at,
    );
    if bytes.len() <= INLINE_MAX {
        message.inline_data = Some(bytes);
    } else {
        blobs.push((hash, bytes));
    }
    Prepared {
        item: IngestItem {
            message,
            location: origin.location,
            pop3_uidl: origin.pop3_uidl,
        },
        blobs,
    }
}

fn truncate(s: &str, max_bytes: usize) -> String {
    if s.len() <= max_bytes {
        return s.to_string();
    }
    let mut end = max_bytes;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_string()
}

/// Writes blobs and index rows for batches of prepared messages.
#[derive(Debug, Clone)]
pub struct Ingestor {
    pub store: Store,
    pub blobs: Blobs,
}

impl Ingestor {
    pub fn new(store: Store, blobs: Blobs) -> Ingestor {
        Ingestor { store, blobs }
    }

    /// Stores a batch (blobs first, then one transaction with the optional cursor).
    pub async fn ingest(
        &self,
        batch: Vec<Prepared>,
        cursor: Option<CursorAdvance>,
    ) -> Result<Vec<Ingested>, Error> {
        let blobs = self.blobs.clone();
        let mut items = Vec::with_capacity(batch.len());
        let mut blob_list = Vec::with_capacity(batch.len());
        for p in batch {
            items.push(p.item);
            blob_list.push(p.blobs);
        }
        tokio::task::spawn_blocking(move || -> std::io::Result<()> {
            for list in &blob_list {
                for (hash, bytes) in list {
                    blobs.put(hash, bytes)?;
                }
            }
            Ok(())
        })
        .await
        .map_err(|e| Error::Other(format!("blob writer stopped: {e}")))?
        .map_err(Error::Blob)?;
        Ok(self.store.ingest_batch(&items, cursor).await?)
    }

    /// Parses on a blocking thread, then stores.
    pub async fn ingest_raw(
        &self,
        messages: Vec<(Vec<u8>, Origin)>,
        cursor: Option<CursorAdvance>,
    ) -> Result<Vec<Ingested>, Error> {
        let prepared = tokio::task::spawn_blocking(move || {
            messages
                .into_iter()
                .map(|(bytes, origin)| prepare(bytes, origin))
                .collect::<Vec<_>>()
        })
        .await
        .map_err(|e| Error::Other(format!("parser thread stopped: {e}")))?;
        self.ingest(prepared, cursor).await
    }
}

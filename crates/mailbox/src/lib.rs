//! Wharf's mailbox work, between the store and the mail protocols: ingestion, IMAP and
//! POP3 sync, moves and folders mirrored back to IMAP, sending, import / export, settings
//! checks, and the job worker.

pub mod auth;
pub mod auth_job;
pub mod check;
pub mod export;
pub mod expunge;
pub mod flags;
pub mod folders;
pub mod import;
pub mod ingest;
pub mod moves;
pub mod reparse;
pub mod send;
pub mod sweep;
pub mod sync;
#[cfg(feature = "testing")]
pub mod testing;
pub mod worker;

use wharf_mail::net::NetError;
use wharf_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Net(#[from] NetError),
    #[error("blob store: {0}")]
    Blob(std::io::Error),
    #[error("{0}")]
    Other(String),
}

impl Error {
    /// What the account page may show: the server's own words for network and protocol
    /// failures; internal failures only by name (their details go to the log).
    pub fn public_text(&self) -> String {
        match self {
            Error::Net(e) => e.detail.clone(),
            _ => "internal error; the details are in the server log".into(),
        }
    }

    /// The failing step for the account page (`dns`, `connect`, `tls`, `login`, …).
    pub fn step(&self) -> &'static str {
        match self {
            Error::Net(e) => e.step.code(),
            _ => "internal",
        }
    }
}

/// Everything the mailbox work needs, cheap to clone.
#[derive(Debug, Clone)]
pub struct Env {
    pub store: wharf_store::Store,
    pub blobs: wharf_store::blobs::Blobs,
    pub vault: wharf_store::vault::Vault,
}

impl Env {
    pub fn ingestor(&self) -> ingest::Ingestor {
        ingest::Ingestor::new(self.store.clone(), self.blobs.clone())
    }

    /// Keeps a file uploaded with a mail that could not be sent yet (see
    /// [`wharf_store::mail::uploads`]): small ones in the database, bigger ones in the blob
    /// store first.
    pub async fn keep_upload(
        &self,
        actor: &wharf_core::Actor,
        filename: &str,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> Result<wharf_store::mail::uploads::Upload, Error> {
        let (hash, size, inline) = self.put_blob(bytes).await?;
        Ok(self
            .store
            .keep_upload(
                actor,
                &hash,
                size,
                inline.as_deref(),
                filename,
                content_type,
            )
            .await?)
    }

    /// Writes a blob: a big one to the blob store's files now; a small one is returned
    /// for the caller to store in the database with the row that names it. Gives
    /// (hash, size, the bytes of a small blob).
    pub async fn put_blob(&self, bytes: Vec<u8>) -> Result<(String, i64, Option<Vec<u8>>), Error> {
        let hash = wharf_mail::hash::sha256_hex(&bytes);
        let size = bytes.len() as i64;
        if bytes.len() <= wharf_store::mail::messages::INLINE_MAX {
            return Ok((hash, size, Some(bytes)));
        }
        let (blobs, key) = (self.blobs.clone(), hash.clone());
        tokio::task::spawn_blocking(move || blobs.put(&key, &bytes))
            .await
            .map_err(|e| Error::Other(format!("blob writer stopped: {e}")))?
            .map_err(Error::Blob)?;
        Ok((hash, size, None))
    }

    /// The bytes stored under `hash`: from the database for small blobs, else from the
    /// blob store's files.
    pub async fn read_blob(&self, hash: &str) -> Result<Vec<u8>, Error> {
        if let Some(data) = self.store.inline_blob(hash).await? {
            return Ok(data);
        }
        let blobs = self.blobs.clone();
        let hash = hash.to_string();
        tokio::task::spawn_blocking(move || blobs.get(&hash))
            .await
            .map_err(|e| Error::Other(format!("blob reader stopped: {e}")))?
            .map_err(Error::Blob)
    }
}

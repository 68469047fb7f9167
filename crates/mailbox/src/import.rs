//! History import (SPEC ACC-6): .eml files, zips of them, mbox, Maildir (with its
//! Maildir++ folders), folders searched recursively, and Outlook .pst through Debian's
//! `readpst` when it is installed. Files are read and parsed on a blocking thread while
//! the previous batch is stored; importing the same files again adds nothing.

use std::path::{Path, PathBuf};

use wharf_mail::sources::{self, Found};
use wharf_store::messages::Ingested;

use crate::ingest::{Origin, Prepared, prepare};
use crate::{Env, Error};

const BATCH: usize = 256;

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ImportReport {
    /// Messages read from the files (identical copies included).
    pub read: usize,
    /// Bytes of those messages.
    pub bytes: u64,
    /// Messages new to the account.
    pub added: usize,
    /// Messages the account had already (same bytes).
    pub existing: usize,
    /// Stored raw because they could not be parsed.
    pub unparsed: usize,
    /// Files or entries that were not messages, with the reason.
    pub skipped: Vec<(String, String)>,
}

enum Event {
    Message(Box<Prepared>, u64, bool),
    Skipped(String, String),
}

/// Imports every message found under `paths` into the account.
pub async fn import_paths(
    env: &Env,
    account_id: i64,
    paths: Vec<PathBuf>,
) -> Result<ImportReport, Error> {
    let own = env.store.account_addresses(account_id).await?;
    if own.is_empty() {
        return Err(wharf_store::StoreError::Domain(wharf_core::DomainError::NotFound).into());
    }
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Event>(BATCH * 2);
    let reader = tokio::task::spawn_blocking(move || {
        let (paths, temp_dirs, mut pst_skips) = expand_pst(paths);
        for (origin, reason) in pst_skips.drain(..) {
            if tx.blocking_send(Event::Skipped(origin, reason)).is_err() {
                return;
            }
        }
        sources::walk(&paths, &mut |found| {
            let event = match found {
                Found::Message(item) => {
                    let size = item.bytes.len() as u64;
                    let role = item
                        .folder
                        .as_deref()
                        .map(|f| wharf_mail::imap::role_by_name(f).to_string())
                        .unwrap_or_default();
                    let source = format!("import:{}", short(&item.origin));
                    let prepared = prepare(
                        item.bytes,
                        Origin {
                            account_id,
                            own_addresses: own.clone(),
                            folder_role: role,
                            seen: item.seen || item.folder.is_none(),
                            source,
                            location: None,
                            pop3_uidl: None,
                        },
                    );
                    let unparsed = prepared_failed(&prepared);
                    Event::Message(Box::new(prepared), size, unparsed)
                }
                Found::Skipped { origin, reason } => Event::Skipped(origin, reason),
            };
            tx.blocking_send(event).is_ok()
        });
        for dir in temp_dirs {
            let _ = std::fs::remove_dir_all(dir);
        }
    });
    let ingestor = env.ingestor();
    let mut report = ImportReport::default();
    let mut batch = Vec::with_capacity(BATCH);
    while let Some(event) = rx.recv().await {
        match event {
            Event::Message(p, size, unparsed) => {
                report.read += 1;
                report.bytes += size;
                report.unparsed += usize::from(unparsed);
                batch.push(*p);
                if batch.len() >= BATCH {
                    count(
                        &mut report,
                        ingestor.ingest(std::mem::take(&mut batch), None).await?,
                    );
                }
            }
            Event::Skipped(origin, reason) => report.skipped.push((origin, reason)),
        }
    }
    if !batch.is_empty() {
        count(&mut report, ingestor.ingest(batch, None).await?);
    }
    reader
        .await
        .map_err(|e| Error::Other(format!("file reader stopped: {e}")))?;
    Ok(report)
}

fn prepared_failed(p: &Prepared) -> bool {
    p.failed()
}

fn count(report: &mut ImportReport, results: Vec<Ingested>) {
    for r in results {
        match r {
            Ingested::New(_) => report.added += 1,
            Ingested::Existing(_) => report.existing += 1,
        }
    }
}

fn short(origin: &str) -> String {
    let chars: Vec<char> = origin.chars().collect();
    if chars.len() <= 200 {
        origin.to_string()
    } else {
        chars[chars.len() - 200..].iter().collect()
    }
}

/// Replaces .pst files by the .eml files `readpst` makes of them (in temp folders).
fn expand_pst(paths: Vec<PathBuf>) -> (Vec<PathBuf>, Vec<PathBuf>, Vec<(String, String)>) {
    let mut out = Vec::new();
    let mut temps = Vec::new();
    let mut skipped = Vec::new();
    for p in paths {
        if !is_pst(&p) {
            out.push(p);
            continue;
        }
        let dir =
            std::env::temp_dir().join(format!("wharf-pst-{}", wharf_store::secret::random_token()));
        let run = std::fs::create_dir_all(&dir).and_then(|_| {
            std::process::Command::new("readpst")
                .arg("-e")
                .arg("-q")
                .arg("-o")
                .arg(&dir)
                .arg(&p)
                .status()
        });
        match run {
            Ok(status) if status.success() => {
                out.push(dir.clone());
                temps.push(dir);
            }
            Ok(status) => {
                skipped.push((
                    p.display().to_string(),
                    format!("readpst failed ({status})"),
                ));
                temps.push(dir);
            }
            Err(e) => {
                skipped.push((
                    p.display().to_string(),
                    format!("Outlook .pst needs readpst (Debian package pst-utils): {e}"),
                ));
                temps.push(dir);
            }
        }
    }
    (out, temps, skipped)
}

fn is_pst(p: &Path) -> bool {
    p.is_file() && p.extension().is_some_and(|e| e.eq_ignore_ascii_case("pst"))
}

//! History import (SPEC ACC-6): .eml files, zips of them, mbox, Maildir (with its
//! Maildir++ folders), folders searched recursively, and Outlook .pst through Debian's
//! `readpst` when it is installed. Files are read (mbox files as a stream) and parsed on a
//! blocking thread while the previous batch is stored, with progress; message/partial
//! pieces found together are also stored put back together; importing the same files
//! again adds nothing (messages are unique per account and bytes).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use wharf_mail::partial;
use wharf_mail::sources::{self, Found};
use wharf_store::mail::messages::Ingested;

use crate::ingest::{Origin, Prepared, prepare};
use crate::{Env, Error};

const BATCH: usize = 256;

/// A batch is stored once it holds this many bytes of messages.
const FLUSH_BYTES: u64 = 32 * 1024 * 1024;

/// Bytes of messages read ahead of the store at most (besides one message that is
/// bigger): memory stays bounded by the largest message, however big the files.
const AHEAD_BYTES: u64 = 64 * 1024 * 1024;

/// Most bytes of message/partial pieces held for reassembly during one import.
const MAX_PARTIAL_BYTES: usize = 256 * 1024 * 1024;

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
    /// Stored as they are although something is wrong with them: where, and what.
    pub defects: Vec<(String, String)>,
    /// Whole messages put together from all their message/partial pieces (counted in
    /// `read` too; the pieces are kept as well).
    pub reassembled: usize,
    /// Files or entries that were not messages, with the reason.
    pub skipped: Vec<(String, String)>,
}

/// How far an import has got.
#[derive(Debug, Clone, Copy, Default)]
pub struct Progress {
    /// Bytes of the files read, of `total`.
    pub read: u64,
    pub total: u64,
    /// Messages found so far.
    pub messages: usize,
}

enum Event {
    Message {
        prepared: Box<Prepared>,
        size: u64,
        defect: Option<(String, String)>,
        reassembled: bool,
    },
    Skipped(String, String),
    Progress(u64, u64),
}

/// Imports every message found under `paths` into the account.
pub async fn import_paths(
    env: &Env,
    account_id: i64,
    paths: Vec<PathBuf>,
) -> Result<ImportReport, Error> {
    import_paths_with(env, account_id, paths, |_| {}).await
}

/// [`import_paths`], telling `on_progress` how far it has got (every 8 MB read).
pub async fn import_paths_with(
    env: &Env,
    account_id: i64,
    paths: Vec<PathBuf>,
    mut on_progress: impl FnMut(&Progress),
) -> Result<ImportReport, Error> {
    let own = env.store.account_addresses(account_id).await?;
    if own.is_empty() {
        return Err(wharf_store::StoreError::Domain(wharf_core::DomainError::NotFound).into());
    }
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Event>(BATCH * 2);
    let budget = std::sync::Arc::new(Budget::default());
    let ahead = budget.clone();
    let reader = tokio::task::spawn_blocking(move || {
        let (paths, temp_dirs, mut pst_skips) = expand_pst(paths);
        for (origin, reason) in pst_skips.drain(..) {
            if tx.blocking_send(Event::Skipped(origin, reason)).is_err() {
                return;
            }
        }
        let origin_for = |source: String, folder: Option<&str>, seen: bool| Origin {
            account_id,
            own_addresses: own.clone(),
            folder_role: folder
                .map(|f| wharf_mail::imap::role_by_name(f).to_string())
                .unwrap_or_default(),
            seen: seen || folder.is_none(),
            source,
            location: None,
            pop3_uidl: None,
        };
        let mut pieces = Pieces::default();
        let mut stopped = false;
        sources::walk(&paths, &mut |found| {
            let event = match found {
                Found::Message(item) => {
                    pieces.offer(&item.origin, &item.bytes);
                    let size = item.bytes.len() as u64;
                    ahead.take(size);
                    let source = format!("import:{}", short(&item.origin));
                    let defect = item.defect.map(|d| (item.origin.clone(), d));
                    let mut prepared = prepare(
                        item.bytes,
                        origin_for(source, item.folder.as_deref(), item.seen),
                    );
                    if let Some((_, d)) = &defect {
                        prepared.set_defect(d);
                    }
                    Event::Message {
                        prepared: Box::new(prepared),
                        size,
                        defect,
                        reassembled: false,
                    }
                }
                Found::Skipped { origin, reason } => Event::Skipped(origin, reason),
                Found::Progress { read, total } => Event::Progress(read, total),
            };
            stopped = tx.blocking_send(event).is_err();
            !stopped
        });
        if !stopped {
            for (id, whole) in pieces.reassemble() {
                let source = format!("import:message/partial {}", short(&id));
                let size = whole.len() as u64;
                ahead.take(size);
                let event = Event::Message {
                    prepared: Box::new(prepare(whole, origin_for(source, None, true))),
                    size,
                    defect: None,
                    reassembled: true,
                };
                if tx.blocking_send(event).is_err() {
                    break;
                }
            }
        }
        for dir in temp_dirs {
            let _ = std::fs::remove_dir_all(dir);
        }
    });
    let ingestor = env.ingestor();
    let mut report = ImportReport::default();
    let mut progress = Progress::default();
    let mut batch = Vec::with_capacity(BATCH);
    let mut batch_bytes = 0u64;
    while let Some(event) = rx.recv().await {
        match event {
            Event::Message {
                prepared,
                size,
                defect,
                reassembled,
            } => {
                report.read += 1;
                report.bytes += size;
                report.unparsed += usize::from(prepared_failed(&prepared));
                report.reassembled += usize::from(reassembled);
                report.defects.extend(defect);
                batch.push(*prepared);
                batch_bytes += size;
                if batch.len() >= BATCH || batch_bytes >= FLUSH_BYTES {
                    let stored = ingestor.ingest(std::mem::take(&mut batch), None).await;
                    budget.give(std::mem::take(&mut batch_bytes));
                    count(&mut report, stored?);
                }
            }
            Event::Skipped(origin, reason) => report.skipped.push((origin, reason)),
            Event::Progress(read, total) => {
                progress = Progress {
                    read,
                    total,
                    messages: report.read,
                };
                tracing::info!(
                    "import: {} of {} bytes read, {} messages found",
                    read,
                    total,
                    report.read
                );
                on_progress(&progress);
            }
        }
    }
    if !batch.is_empty() {
        count(&mut report, ingestor.ingest(batch, None).await?);
    }
    reader
        .await
        .map_err(|e| Error::Other(format!("file reader stopped: {e}")))?;
    progress.messages = report.read;
    on_progress(&progress);
    tracing::info!(
        "import done: {} messages read, {} added, {} already stored, {} stored unparsed, {} kept with a defect, {} reassembled from pieces, {} skipped",
        report.read,
        report.added,
        report.existing,
        report.unparsed,
        report.defects.len(),
        report.reassembled,
        report.skipped.len()
    );
    Ok(report)
}

/// Bytes of messages read but not yet stored; the reader waits when there are too many.
#[derive(Default)]
struct Budget {
    used: std::sync::Mutex<u64>,
    freed: std::sync::Condvar,
}

impl Budget {
    /// Waits (on the reader's thread) until `size` more bytes may be read ahead. Never
    /// waits while less than a batch is read ahead, so the store always gets a full one.
    fn take(&self, size: u64) {
        let Ok(mut used) = self.used.lock() else {
            return;
        };
        while *used >= FLUSH_BYTES && *used + size > AHEAD_BYTES {
            used = match self.freed.wait(used) {
                Ok(u) => u,
                Err(_) => return,
            };
        }
        *used += size;
    }

    fn give(&self, size: u64) {
        if let Ok(mut used) = self.used.lock() {
            *used = used.saturating_sub(size);
        }
        self.freed.notify_all();
    }
}

/// The pieces of one message/partial id by number: the total they state, their bytes.
type PieceSet = BTreeMap<u32, (Option<u32>, Vec<u8>)>;

/// message/partial pieces seen during an import, by id, held until the end.
#[derive(Default)]
struct Pieces {
    by_id: BTreeMap<String, PieceSet>,
    held: usize,
}

impl Pieces {
    fn offer(&mut self, origin: &str, bytes: &[u8]) {
        let Some(info) = partial::partial_info(bytes) else {
            return;
        };
        if self.held + bytes.len() > MAX_PARTIAL_BYTES {
            tracing::warn!(
                "import: {origin}: message/partial piece not held for reassembly (over {MAX_PARTIAL_BYTES} bytes of pieces)"
            );
            return;
        }
        self.held += bytes.len();
        self.by_id
            .entry(info.id)
            .or_default()
            .entry(info.number)
            .or_insert((info.total, bytes.to_vec()));
    }

    /// Every complete set put back together, by id; incomplete ones are logged.
    fn reassemble(self) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        for (id, set) in self.by_id {
            let total = set.values().find_map(|(t, _)| *t);
            let pieces: Vec<&[u8]> = set.values().map(|(_, b)| b.as_slice()).collect();
            match partial::reassemble(&pieces) {
                Some(whole) => {
                    tracing::info!(
                        "import: message/partial {id}: {} pieces put back together",
                        pieces.len()
                    );
                    out.push((id, whole));
                }
                None => tracing::info!(
                    "import: message/partial {id}: {} pieces of {} found, not put together",
                    pieces.len(),
                    total.map_or("an unknown number".to_string(), |t| t.to_string())
                ),
            }
        }
        out
    }
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

//! Finding messages in files for import: single message files (.eml and the like), mbox
//! files (`mbox.rs`, read as a stream), Maildir folders (`maildir.rs`), zip archives of
//! any of these (`zip.rs`, entry by entry), and folders searched recursively. Every
//! message comes out with its exact bytes, and a file that is mostly a message comes out
//! as one with its defect named (`detect.rs`); anything that is clearly not mail comes
//! out as [`Found::Skipped`] with the reason, never an abort. [`Found::Progress`] reports
//! the bytes read so far of the total.

mod detect;
mod maildir;
pub mod mbox;
mod zip;

use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

pub use detect::{BOM, Kind, classify as classify_head, looks_like_message, magic};

/// Largest single message or zip entry read (bigger ones are skipped with a reason).
pub const MAX_MESSAGE_BYTES: u64 = 100 * 1024 * 1024;

/// How much of a file is looked at to tell what it is.
const HEAD: usize = 64 * 1024;

/// Progress is reported every time this many more bytes have been read.
const PROGRESS_EVERY: u64 = 8 * 1024 * 1024;

/// One message found, with where it came from.
#[derive(Debug, Clone)]
pub struct Item {
    /// Path, `path#n` for the n-th message of an mbox, or `zip!entry`.
    pub origin: String,
    pub bytes: Vec<u8>,
    /// The Maildir++ folder (`Sent`, `Drafts` …) the message was found in, if any.
    pub folder: Option<String>,
    /// Maildir "seen" flag (`:2,…S`).
    pub seen: bool,
    /// What is wrong with the file, when it is mostly but not quite a message (it is
    /// kept as it is, and flagged).
    pub defect: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Found {
    Message(Item),
    Skipped {
        origin: String,
        reason: String,
    },
    /// Bytes of the files read so far, of `total`.
    Progress {
        read: u64,
        total: u64,
    },
}

/// Walks `paths` in a stable order and hands every message (or skip) to `sink`. `sink`
/// returns false to stop early.
pub fn walk(paths: &[PathBuf], sink: &mut dyn FnMut(Found) -> bool) {
    let total = paths.iter().map(|p| size_of(p)).sum();
    let mut w = Walker {
        sink,
        total,
        done: 0,
        reported: 0,
    };
    for path in paths {
        if !walk_path(path, None, &mut w) {
            return;
        }
    }
    w.progress(0, true);
}

/// The bytes of all files under `path`.
fn size_of(path: &Path) -> u64 {
    match fs::metadata(path) {
        Ok(m) if m.is_dir() => fs::read_dir(path)
            .map(|rd| rd.filter_map(|e| e.ok()).map(|e| size_of(&e.path())).sum())
            .unwrap_or(0),
        Ok(m) => m.len(),
        Err(_) => 0,
    }
}

/// The sink and the progress count.
struct Walker<'a> {
    sink: &'a mut dyn FnMut(Found) -> bool,
    total: u64,
    /// Bytes of the files finished.
    done: u64,
    reported: u64,
}

impl Walker<'_> {
    fn emit(&mut self, found: Found) -> bool {
        (self.sink)(found)
    }

    fn skip(&mut self, origin: impl Into<String>, reason: impl Into<String>) -> bool {
        let (origin, reason) = (origin.into(), reason.into());
        tracing::info!("import: skipped {origin}: {reason}");
        self.emit(Found::Skipped { origin, reason })
    }

    /// Reports `done + in_file` bytes read when enough has been read since the last time.
    fn progress(&mut self, in_file: u64, force: bool) -> bool {
        let read = self.done + in_file;
        if force || read >= self.reported + PROGRESS_EVERY {
            self.reported = read;
            return self.emit(Found::Progress {
                read,
                total: self.total,
            });
        }
        true
    }

    fn finished_file(&mut self, len: u64) -> bool {
        self.done += len;
        self.progress(0, false)
    }
}

fn walk_path(path: &Path, folder: Option<&str>, w: &mut Walker) -> bool {
    let meta = match fs::metadata(path) {
        Ok(m) => m,
        Err(e) => return w.skip(path.display().to_string(), format!("cannot read: {e}")),
    };
    if meta.is_dir() {
        if maildir::is_maildir(path) {
            return maildir::walk(path, w);
        }
        let mut entries: Vec<PathBuf> = match fs::read_dir(path) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => {
                return w.skip(
                    path.display().to_string(),
                    format!("cannot read folder: {e}"),
                );
            }
        };
        entries.sort();
        for entry in entries {
            if !walk_path(&entry, folder, w) {
                return false;
            }
        }
        return true;
    }
    let keep_going = walk_file(path, meta.len(), folder, w);
    keep_going && w.finished_file(meta.len())
}

/// One file: a zip, an mbox (streamed), or a single message.
fn walk_file(path: &Path, len: u64, folder: Option<&str>, w: &mut Walker) -> bool {
    let origin = path.display().to_string();
    let cannot =
        |w: &mut Walker, e: std::io::Error| w.skip(origin.clone(), format!("cannot read: {e}"));
    let file = match fs::File::open(path) {
        Ok(f) => f,
        Err(e) => return cannot(w, e),
    };
    let mut reader = BufReader::with_capacity(256 * 1024, file);
    let head = match reader.fill_buf() {
        Ok(h) => h.to_vec(),
        Err(e) => return cannot(w, e),
    };
    if is_zip_name(path) || head.starts_with(b"PK\x03\x04") {
        drop(reader);
        return zip::walk(path, &origin, w);
    }
    if head.starts_with(b"From ") && (is_mbox_name(path) || len > MAX_MESSAGE_BYTES) {
        return walk_mbox(&origin, reader, folder, w);
    }
    if len > MAX_MESSAGE_BYTES {
        return w.skip(origin, "file too large for one message");
    }
    let mut bytes = Vec::with_capacity(len as usize);
    if let Err(e) = reader.take(MAX_MESSAGE_BYTES + 1).read_to_end(&mut bytes) {
        return cannot(w, e);
    }
    classify_bytes(origin, bytes, folder, false, is_mbox_name(path), w)
}

/// A file named as one message (`.eml`, `.msg`, `.txt`) holding From_ lines is an mbox
/// only if at least two of them are the classic kind (dated, after an empty line): a
/// bounce quoting its original after a MIME boundary stays one message.
fn is_single_message_name(origin: &str) -> bool {
    let lower = origin.to_ascii_lowercase();
    [".eml", ".msg", ".txt", ".mail"]
        .iter()
        .any(|e| lower.ends_with(e))
}

fn classic_separators(bytes: &[u8]) -> usize {
    let mut n = usize::from(bytes.starts_with(b"From "));
    let mut prev_blank = false;
    for line in bytes.split(|&b| b == b'\n').skip(1) {
        if prev_blank && mbox::is_dated_from_line(line) {
            n += 1;
        }
        prev_blank = line.is_empty() || line == b"\r";
    }
    n
}

/// Decides whether `bytes` (a file or zip entry read whole) are an mbox, one message, or
/// something else.
fn classify_bytes(
    origin: String,
    bytes: Vec<u8>,
    folder: Option<&str>,
    seen: bool,
    mbox_by_name: bool,
    w: &mut Walker,
) -> bool {
    if bytes.starts_with(b"From ")
        && (!is_single_message_name(&origin) || mbox_by_name || classic_separators(&bytes) >= 2)
    {
        let messages = mbox::split(&bytes);
        if mbox_by_name || messages.len() >= 2 {
            return emit_mbox(&origin, messages.into_iter(), folder, w);
        }
    }
    match detect::classify(&bytes[..bytes.len().min(HEAD)]) {
        Kind::Message { defect } => {
            if let Some(d) = &defect {
                tracing::info!("import: {origin} kept as a message although {d}");
            }
            w.emit(Found::Message(Item {
                origin,
                bytes,
                folder: folder.map(str::to_string),
                seen,
                defect,
            }))
        }
        Kind::NotMail(reason) => w.skip(origin, reason),
    }
}

/// Streams an mbox from `reader`, message by message.
fn walk_mbox(origin: &str, reader: impl BufRead, folder: Option<&str>, w: &mut Walker) -> bool {
    let mut mbox = match mbox::MboxReader::new(reader) {
        Ok(Some(m)) => m,
        Ok(None) => {
            return w.skip(
                origin,
                detect::not_mail("no From_ line at the start of the mbox"),
            );
        }
        Err(e) => return w.skip(origin, format!("cannot read: {e}")),
    };
    let mut n = 0;
    loop {
        match mbox.next_message() {
            Ok(Some(m)) => {
                n += 1;
                if !emit_mbox_message(origin, n, m, folder, w)
                    || !w.progress(mbox.position(), false)
                {
                    return false;
                }
            }
            Ok(None) => break,
            Err(e) => {
                return w.skip(
                    format!("{origin}#{}", n + 1),
                    format!("cannot read the rest of the mbox: {e}"),
                );
            }
        }
    }
    tracing::info!("import: {origin}: {n} messages in the mbox");
    true
}

fn emit_mbox(
    origin: &str,
    messages: impl Iterator<Item = mbox::MboxMessage>,
    folder: Option<&str>,
    w: &mut Walker,
) -> bool {
    let mut n = 0;
    for m in messages {
        n += 1;
        if !emit_mbox_message(origin, n, m, folder, w) {
            return false;
        }
    }
    tracing::info!("import: {origin}: {n} messages in the mbox");
    true
}

fn emit_mbox_message(
    origin: &str,
    n: usize,
    m: mbox::MboxMessage,
    folder: Option<&str>,
    w: &mut Walker,
) -> bool {
    let origin = format!("{origin}#{n}");
    for note in &m.notes {
        tracing::info!("import: {origin}: {note}");
    }
    if m.too_large {
        return w.skip(origin, "message too large (over 100 MB)");
    }
    if m.bytes.is_empty() {
        return w.skip(origin, "empty message in the mbox");
    }
    let defect = match detect::classify(&m.bytes[..m.bytes.len().min(HEAD)]) {
        Kind::Message { defect } => defect,
        Kind::NotMail(_) => Some("no mail header".to_string()),
    };
    w.emit(Found::Message(Item {
        origin,
        bytes: m.bytes,
        folder: folder.map(str::to_string),
        seen: false,
        defect,
    }))
}

fn is_zip_name(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}

fn is_mbox_name(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    name.ends_with(".mbox") || name.ends_with(".mbx") || name.starts_with("mbox")
}

/// The messages of an mbox held in memory (see `mbox.rs` for what their bytes are).
pub fn split_mbox(bytes: &[u8]) -> Vec<Vec<u8>> {
    mbox::split(bytes).into_iter().map(|m| m.bytes).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_mbox_keeping_bytes() {
        let mbox = b"From a@x Mon Jan  1 00:00:00 2024\nSubject: one\n\nbody\nFrom here is not a separator\n\nFrom b@x Mon Jan  1 00:00:00 2024\nSubject: two\n\n>From quoted\n\n";
        let msgs = split_mbox(mbox);
        assert_eq!(msgs.len(), 2);
        assert_eq!(
            msgs[0],
            b"Subject: one\n\nbody\nFrom here is not a separator\n"
        );
        // mboxrd reading: the quoting `>` is the mbox's, not the message's.
        assert_eq!(msgs[1], b"Subject: two\n\nFrom quoted\n");
    }

    fn collect(paths: &[PathBuf]) -> (Vec<Item>, Vec<(String, String)>) {
        let (mut items, mut skipped) = (Vec::new(), Vec::new());
        walk(paths, &mut |f| {
            match f {
                Found::Message(i) => items.push(i),
                Found::Skipped { origin, reason } => skipped.push((origin, reason)),
                Found::Progress { .. } => {}
            }
            true
        });
        (items, skipped)
    }

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("wharf-sources-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn truncated_mbox_keeps_what_is_there() {
        let dir = temp("mbox");
        let path = dir.join("archive.mbox");
        fs::write(
            &path,
            b"From a@x Mon Jan  1 00:00:00 2024\nSubject: one\n\nfull\n\nFrom b@x Mon Jan  1 00:00:00 2024\nSubject: two\n\ncut in the mid",
        )
        .unwrap();
        let (items, skipped) = collect(&[path]);
        assert!(skipped.is_empty());
        assert_eq!(items.len(), 2);
        assert_eq!(items[1].bytes, b"Subject: two\n\ncut in the mid");
        assert!(items[1].origin.ends_with("archive.mbox#2"));
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn zip_with_other_files_and_a_broken_zip() {
        use std::io::Write;
        let dir = temp("zip");
        let path = dir.join("export.zip");
        let mut zip = ::zip::ZipWriter::new(fs::File::create(&path).unwrap());
        let opts = ::zip::write::SimpleFileOptions::default()
            .compression_method(::zip::CompressionMethod::Stored);
        zip.start_file("inbox/1.eml", opts).unwrap();
        zip.write_all(b"From: a@x\r\nSubject: one\r\n\r\nbody\r\n")
            .unwrap();
        zip.start_file("readme.txt", opts).unwrap();
        zip.write_all(b"exported by webmail").unwrap();
        zip.start_file("photo.jpg", opts).unwrap();
        zip.write_all(b"\xff\xd8\xff\xe0 not a message").unwrap();
        zip.finish().unwrap();
        fs::write(dir.join("broken.zip"), b"PK\x03\x04 truncated").unwrap();
        let (items, skipped) = collect(std::slice::from_ref(&dir));
        assert_eq!(items.len(), 1);
        assert!(items[0].origin.ends_with("export.zip!inbox/1.eml"));
        assert_eq!(skipped.len(), 3, "{skipped:?}");
        assert!(
            skipped
                .iter()
                .any(|(o, r)| o.ends_with("broken.zip") && r.contains("zip"))
        );
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn maildir_with_subfolders_and_flags() {
        let dir = temp("maildir");
        for sub in ["cur", "new", "tmp", ".Sent/cur", ".Sent/new", ".Sent/tmp"] {
            fs::create_dir_all(dir.join(sub)).unwrap();
        }
        fs::write(
            dir.join("cur/1.host:2,S"),
            b"From: a@x\nSubject: read\n\nx\n",
        )
        .unwrap();
        fs::write(dir.join("new/2.host"), b"From: a@x\nSubject: new\n\nx\n").unwrap();
        fs::write(
            dir.join(".Sent/cur/3.host:2,S"),
            b"From: me@x\nSubject: sent\n\nx\n",
        )
        .unwrap();
        let (items, _) = collect(std::slice::from_ref(&dir));
        assert_eq!(items.len(), 3);
        assert!(items[0].seen && !items[1].seen);
        assert_eq!(items[2].folder.as_deref(), Some("Sent"));
        fs::remove_dir_all(dir).unwrap();
    }
}

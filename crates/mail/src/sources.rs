//! Finding messages in files for import: single message files (.eml and the like), mbox
//! files, Maildir folders (Maildir++ subfolders too), zip archives of any of these, and
//! folders searched recursively. Every message comes out with its exact bytes; anything
//! that is not a message comes out as [`Found::Skipped`] with the reason, never an abort.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Largest single message or zip entry read (bigger ones are skipped with a reason).
pub const MAX_MESSAGE_BYTES: u64 = 100 * 1024 * 1024;

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
}

#[derive(Debug, Clone)]
pub enum Found {
    Message(Item),
    Skipped { origin: String, reason: String },
}

/// Walks `paths` in a stable order and hands every message (or skip) to `sink`. `sink`
/// returns false to stop early.
pub fn walk(paths: &[PathBuf], sink: &mut dyn FnMut(Found) -> bool) {
    for path in paths {
        if !walk_path(path, None, sink) {
            return;
        }
    }
}

fn walk_path(path: &Path, folder: Option<&str>, sink: &mut dyn FnMut(Found) -> bool) -> bool {
    let meta = match fs::metadata(path) {
        Ok(m) => m,
        Err(e) => return skip(sink, path, &format!("cannot read: {e}")),
    };
    if meta.is_dir() {
        if is_maildir(path) {
            return walk_maildir(path, sink);
        }
        let mut entries: Vec<PathBuf> = match fs::read_dir(path) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => return skip(sink, path, &format!("cannot read folder: {e}")),
        };
        entries.sort();
        for entry in entries {
            if !walk_path(&entry, folder, sink) {
                return false;
            }
        }
        return true;
    }
    if meta.len() > MAX_MESSAGE_BYTES && !is_mbox_name(path) && !is_zip_name(path) {
        return skip(sink, path, "file too large for one message");
    }
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) => return skip(sink, path, &format!("cannot read: {e}")),
    };
    let origin = path.display().to_string();
    if is_zip_name(path) || bytes.starts_with(b"PK\x03\x04") {
        return walk_zip(&origin, bytes, sink);
    }
    classify(origin, bytes, folder, false, sink)
}

/// Decides whether `bytes` are an mbox, one message, or something else.
fn classify(
    origin: String,
    bytes: Vec<u8>,
    folder: Option<&str>,
    seen: bool,
    sink: &mut dyn FnMut(Found) -> bool,
) -> bool {
    if is_mbox(&origin, &bytes) {
        for (n, msg) in split_mbox(&bytes).into_iter().enumerate() {
            let item = Item {
                origin: format!("{origin}#{}", n + 1),
                bytes: msg.to_vec(),
                folder: folder.map(str::to_string),
                seen,
            };
            if !sink(Found::Message(item)) {
                return false;
            }
        }
        return true;
    }
    if looks_like_message(&bytes) {
        return sink(Found::Message(Item {
            origin,
            bytes,
            folder: folder.map(str::to_string),
            seen,
        }));
    }
    sink(Found::Skipped {
        origin,
        reason: "not a mail message".into(),
    })
}

fn skip(sink: &mut dyn FnMut(Found) -> bool, path: &Path, reason: &str) -> bool {
    sink(Found::Skipped {
        origin: path.display().to_string(),
        reason: reason.to_string(),
    })
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

/// An mbox by name (and starting with a From_ line), or any file holding two or more
/// From_-separated messages.
fn is_mbox(origin: &str, bytes: &[u8]) -> bool {
    if !bytes.starts_with(b"From ") {
        return false;
    }
    is_mbox_name(Path::new(origin)) || separators(bytes).len() >= 2
}

/// Byte offsets of the From_ lines: at the start, or after an empty line.
fn separators(bytes: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    if bytes.starts_with(b"From ") {
        out.push(0);
    }
    let mut i = 0;
    while let Some(pos) = find(&bytes[i..], b"\nFrom ") {
        let at = i + pos + 1;
        let before = &bytes[..at];
        if before.ends_with(b"\n\n") || before.ends_with(b"\r\n\r\n") || before.ends_with(b"\n\r\n")
        {
            out.push(at);
        }
        i = at;
    }
    out
}

/// The messages of an mbox, each without its From_ line and without the empty line
/// that separates it from the next; the bytes are otherwise untouched (no `>From`
/// unquoting: the file as given is the original).
pub fn split_mbox(bytes: &[u8]) -> Vec<&[u8]> {
    let seps = separators(bytes);
    let mut out = Vec::with_capacity(seps.len());
    for (k, &start) in seps.iter().enumerate() {
        let end = seps.get(k + 1).copied().unwrap_or(bytes.len());
        let chunk = &bytes[start..end];
        let body_start = match find(chunk, b"\n") {
            Some(p) => p + 1,
            None => continue,
        };
        let mut msg = &chunk[body_start..];
        // Drop the separating empty line (or a final one at end of file).
        if msg.ends_with(b"\r\n\r\n") {
            msg = &msg[..msg.len() - 2];
        } else if msg.ends_with(b"\n\n") {
            msg = &msg[..msg.len() - 1];
        }
        if !msg.is_empty() {
            out.push(msg);
        }
    }
    out
}

/// Header-shaped start with at least one of the headers every message has one of.
pub fn looks_like_message(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let mut lines = head.split(|&b| b == b'\n');
    let Some(first) = lines.next() else {
        return false;
    };
    let mut header_lines = 0;
    let mut known = false;
    let mut check = |line: &[u8]| -> Option<bool> {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            return Some(false); // end of headers
        }
        if line[0] == b' ' || line[0] == b'\t' {
            return Some(true);
        }
        let colon = line.iter().position(|&b| b == b':')?;
        if colon == 0 || !line[..colon].iter().all(|b| b.is_ascii_graphic()) {
            return None;
        }
        header_lines += 1;
        let name = String::from_utf8_lossy(&line[..colon]).to_ascii_lowercase();
        known |= matches!(
            name.as_str(),
            "from"
                | "to"
                | "subject"
                | "date"
                | "message-id"
                | "received"
                | "return-path"
                | "mime-version"
                | "content-type"
                | "delivered-to"
        );
        Some(true)
    };
    // A leading mbox From_ line is allowed on a single message file.
    if !first.starts_with(b"From ") {
        match check(first) {
            Some(true) => {}
            _ => return false,
        }
    }
    for line in lines {
        match check(line) {
            Some(true) => continue,
            Some(false) => break,
            None => return false,
        }
    }
    header_lines >= 1 && known
}

fn is_maildir(path: &Path) -> bool {
    path.join("cur").is_dir() && path.join("new").is_dir()
}

/// A Maildir: its own cur/ and new/, then its Maildir++ subfolders (`.Sent`, `.A.B`).
fn walk_maildir(root: &Path, sink: &mut dyn FnMut(Found) -> bool) -> bool {
    let mut folders: Vec<(Option<String>, PathBuf)> = vec![(None, root.to_path_buf())];
    if let Ok(rd) = fs::read_dir(root) {
        let mut subs: Vec<(Option<String>, PathBuf)> = rd
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().to_string();
                let path = e.path();
                (name.starts_with('.') && name.len() > 1 && is_maildir(&path))
                    .then(|| (Some(name[1..].to_string()), path))
            })
            .collect();
        subs.sort();
        folders.extend(subs);
    }
    for (folder, dir) in folders {
        for sub in ["cur", "new"] {
            let mut files: Vec<PathBuf> = match fs::read_dir(dir.join(sub)) {
                Ok(rd) => rd
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.is_file())
                    .collect(),
                Err(_) => continue,
            };
            files.sort();
            for file in files {
                let name = file
                    .file_name()
                    .map(|n| n.to_string_lossy().to_string())
                    .unwrap_or_default();
                let seen = name
                    .rsplit_once(":2,")
                    .is_some_and(|(_, flags)| flags.contains('S'));
                let bytes = match fs::read(&file) {
                    Ok(b) => b,
                    Err(e) => {
                        if !skip(sink, &file, &format!("cannot read: {e}")) {
                            return false;
                        }
                        continue;
                    }
                };
                let item = Item {
                    origin: file.display().to_string(),
                    bytes,
                    folder: folder.clone(),
                    seen,
                };
                if !sink(Found::Message(item)) {
                    return false;
                }
            }
        }
    }
    true
}

fn walk_zip(origin: &str, bytes: Vec<u8>, sink: &mut dyn FnMut(Found) -> bool) -> bool {
    let mut archive = match zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
        Ok(a) => a,
        Err(e) => {
            return sink(Found::Skipped {
                origin: origin.to_string(),
                reason: format!("not a readable zip archive: {e}"),
            });
        }
    };
    for i in 0..archive.len() {
        let mut entry = match archive.by_index(i) {
            Ok(e) => e,
            Err(e) => {
                if !sink(Found::Skipped {
                    origin: format!("{origin}!#{i}"),
                    reason: format!("unreadable zip entry: {e}"),
                }) {
                    return false;
                }
                continue;
            }
        };
        if entry.is_dir() {
            continue;
        }
        let entry_name = entry
            .name()
            .map(|n| n.to_string())
            .unwrap_or_else(|_| format!("#{i}"));
        let entry_origin = format!("{origin}!{entry_name}");
        if entry.size() > MAX_MESSAGE_BYTES {
            if !sink(Found::Skipped {
                origin: entry_origin,
                reason: "zip entry too large".into(),
            }) {
                return false;
            }
            continue;
        }
        let mut data = Vec::with_capacity(entry.size() as usize);
        let read = (&mut entry)
            .take(MAX_MESSAGE_BYTES + 1)
            .read_to_end(&mut data);
        drop(entry);
        let keep_going = match read {
            Ok(_) => classify(entry_origin, data, None, false, sink),
            Err(e) => sink(Found::Skipped {
                origin: entry_origin,
                reason: format!("unreadable zip entry: {e}"),
            }),
        };
        if !keep_going {
            return false;
        }
    }
    true
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
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
        assert_eq!(msgs[1], b"Subject: two\n\n>From quoted\n");
    }

    fn collect(paths: &[PathBuf]) -> (Vec<Item>, Vec<(String, String)>) {
        let (mut items, mut skipped) = (Vec::new(), Vec::new());
        walk(paths, &mut |f| {
            match f {
                Found::Message(i) => items.push(i),
                Found::Skipped { origin, reason } => skipped.push((origin, reason)),
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
        let mut zip = zip::ZipWriter::new(fs::File::create(&path).unwrap());
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
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

    #[test]
    fn recognises_messages() {
        assert!(looks_like_message(b"From: a@x\r\nSubject: hi\r\n\r\nbody"));
        assert!(looks_like_message(
            b"From a@x Mon Jan  1 2024\nReceived: by x\n\tcontinued\nTo: b@x\n\nbody"
        ));
        assert!(!looks_like_message(b"name,email\nbob,b@x\n"));
        assert!(!looks_like_message(b"# README\n\nsome text"));
        assert!(!looks_like_message(b"X-Custom: only\n\nbody"));
    }
}

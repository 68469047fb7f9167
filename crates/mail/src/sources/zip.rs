//! Zip archives, read from the file entry by entry: each entry is bounded by
//! [`MAX_MESSAGE_BYTES`] unless it is an mbox (then streamed, message by message), and
//! an entry whose declared size is out of proportion to its compressed size, or which
//! unpacks to more than it declares, is refused as a zip bomb.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use super::{Found, MAX_MESSAGE_BYTES, Walker, classify_bytes, detect, is_mbox_name, walk_mbox};

/// Largest unpacked / packed ratio accepted for a big entry (mail packs 3–10 times).
const MAX_RATIO: u64 = 200;

pub(super) fn walk(path: &Path, origin: &str, w: &mut Walker) -> bool {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => return w.skip(origin, format!("cannot read: {e}")),
    };
    let mut archive = match ::zip::ZipArchive::new(BufReader::new(file)) {
        Ok(a) => a,
        Err(e) => return w.skip(origin, format!("not a readable zip archive: {e}")),
    };
    // Skips are held back: a zip that holds no mail at all is one skip, not one per entry.
    let mut skips: Vec<(String, String)> = Vec::new();
    let mut messages = 0usize;
    let mut counting = |found: Found, w: &mut Walker, skips: &mut Vec<(String, String)>| match found
    {
        Found::Skipped { origin, reason } => {
            skips.push((origin, reason));
            true
        }
        other => {
            messages += usize::from(matches!(other, Found::Message(_)));
            w.emit(other)
        }
    };
    for i in 0..archive.len() {
        let mut entry = match archive.by_index(i) {
            Ok(e) => e,
            Err(e) => {
                skips.push((
                    format!("{origin}!#{i}"),
                    format!("unreadable zip entry: {e}"),
                ));
                continue;
            }
        };
        if entry.is_dir() {
            continue;
        }
        let name = entry
            .name()
            .map(|n| n.to_string())
            .unwrap_or_else(|_| format!("#{i}"));
        let entry_origin = format!("{origin}!{name}");
        let declared = entry.size();
        let packed = entry.compressed_size().max(1);
        let mut sub = Walker {
            sink: &mut |f| counting(f, w, &mut skips),
            total: 0,
            done: 0,
            reported: 0,
        };
        if declared > MAX_MESSAGE_BYTES {
            if declared / packed > MAX_RATIO {
                sub.skip(
                    entry_origin,
                    format!(
                        "zip entry refused: {declared} bytes packed into {packed} (a zip bomb?)"
                    ),
                );
                continue;
            }
            let mut reader = BufReader::with_capacity(256 * 1024, (&mut entry).take(declared));
            let is_mbox = reader.fill_buf().is_ok_and(|h| h.starts_with(b"From "));
            if !is_mbox {
                sub.skip(entry_origin, "zip entry too large for one message");
                continue;
            }
            if !walk_mbox(&entry_origin, reader, None, &mut sub) {
                return false;
            }
            continue;
        }
        let mut data = Vec::with_capacity(declared as usize);
        let read = (&mut entry).take(declared + 1).read_to_end(&mut data);
        drop(entry);
        let keep_going = match read {
            Ok(_) if data.len() as u64 > declared => sub.skip(
                entry_origin,
                "zip entry refused: it unpacks to more than its declared size",
            ),
            Ok(_) => classify_bytes(
                entry_origin.clone(),
                data,
                None,
                false,
                is_mbox_name(Path::new(&name)),
                &mut sub,
            ),
            Err(e) => sub.skip(entry_origin, format!("unreadable zip entry: {e}")),
        };
        if !keep_going {
            return false;
        }
    }
    if messages == 0 {
        return w.skip(
            origin,
            detect::not_mail(&format!(
                "a zip archive holding no mail ({} files)",
                skips.len()
            )),
        );
    }
    for (o, r) in skips {
        if !w.emit(Found::Skipped {
            origin: o,
            reason: r,
        }) {
            return false;
        }
    }
    true
}

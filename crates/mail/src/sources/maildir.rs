//! Maildir folders: their own `cur/` and `new/`, then their Maildir++ subfolders
//! (`.Sent`, `.A.B`), every file a message with the "seen" flag from its name.

use std::fs;
use std::path::{Path, PathBuf};

use super::{Found, HEAD, Item, Kind, MAX_MESSAGE_BYTES, Walker, detect};

pub(super) fn is_maildir(path: &Path) -> bool {
    path.join("cur").is_dir() && path.join("new").is_dir()
}

pub(super) fn walk(root: &Path, w: &mut Walker) -> bool {
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
                if !one(&file, folder.as_deref(), w) {
                    return false;
                }
            }
        }
    }
    true
}

fn one(file: &Path, folder: Option<&str>, w: &mut Walker) -> bool {
    let origin = file.display().to_string();
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let seen = name
        .rsplit_once(":2,")
        .is_some_and(|(_, flags)| flags.contains('S'));
    let len = fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    if len > MAX_MESSAGE_BYTES {
        return w.skip(origin, "message too large (over 100 MB)") && w.finished_file(len);
    }
    let bytes = match fs::read(file) {
        Ok(b) => b,
        Err(e) => return w.skip(origin, format!("cannot read: {e}")),
    };
    // A file in a Maildir is a message; what is wrong with it is only noted.
    let defect = match detect::classify(&bytes[..bytes.len().min(HEAD)]) {
        Kind::Message { defect } => defect,
        Kind::NotMail(reason) => Some(reason),
    };
    let item = Item {
        origin,
        bytes,
        folder: folder.map(str::to_string),
        seen,
        defect,
    };
    w.emit(Found::Message(item)) && w.finished_file(len)
}

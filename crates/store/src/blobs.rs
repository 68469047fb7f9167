//! The blob store: original message bytes and attachment bytes, addressed by their
//! SHA-256, so identical bytes are stored once (SPEC MAIL-1). [`BlobBackend`] is the
//! interface; [`FsBlobs`] keeps blobs as files under the data directory, and an
//! S3-compatible backend can implement the same three calls.
//!
//! A blob is written to a temporary file, flushed to disk and renamed into place before
//! the database row that names it is committed: a crash leaves at worst an unreferenced
//! blob, never a row pointing at nothing. Such blobs are removed by the sweep
//! (`blob_sweep`), which only takes files untouched for a day: storing bytes that exist
//! already touches the file, so a blob being referenced again counts as new.

use std::fmt::Debug;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

pub trait BlobBackend: Send + Sync + Debug {
    /// Stores `bytes` under `hash` (the caller computed it); a blob that exists already
    /// is left as it is.
    fn put(&self, hash: &str, bytes: &[u8]) -> std::io::Result<()>;
    fn get(&self, hash: &str) -> std::io::Result<Vec<u8>>;
    fn exists(&self, hash: &str) -> std::io::Result<bool>;
    /// The blobs of one shard (`00` … `ff`, the hash's first two digits) last stored
    /// before `before` (seconds since the epoch), for the sweep.
    fn stored_before(&self, shard: &str, before: i64) -> std::io::Result<Vec<String>>;
    /// Takes a blob out of reach for the sweep; gives when it was last stored, or None
    /// when it is gone. [`BlobBackend::restore`] or [`BlobBackend::discard`] follows.
    fn set_aside(&self, hash: &str) -> std::io::Result<Option<i64>>;
    /// Puts a blob set aside back (unless it was stored again meanwhile).
    fn restore(&self, hash: &str) -> std::io::Result<()>;
    /// Deletes a blob set aside.
    fn discard(&self, hash: &str) -> std::io::Result<()>;
}

/// Blobs as files: `ROOT/ab/cd/abcd…` for hash `abcd…`.
#[derive(Debug)]
pub struct FsBlobs {
    root: PathBuf,
    /// fsync each blob before it counts as stored (off only for throwaway benchmarks).
    durable: bool,
}

impl FsBlobs {
    pub fn new(root: impl Into<PathBuf>) -> FsBlobs {
        FsBlobs {
            root: root.into(),
            durable: true,
        }
    }

    fn path(&self, hash: &str) -> std::io::Result<PathBuf> {
        if hash.len() < 8 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "blob hash must be hex",
            ));
        }
        Ok(self.root.join(&hash[..2]).join(&hash[2..4]).join(hash))
    }

    fn aside(&self, hash: &str) -> std::io::Result<PathBuf> {
        let path = self.path(hash)?;
        Ok(path.with_file_name(format!(".{hash}.swept")))
    }
}

/// A file's modification time in seconds since the epoch.
fn mtime(meta: &std::fs::Metadata) -> i64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

impl BlobBackend for FsBlobs {
    fn put(&self, hash: &str, bytes: &[u8]) -> std::io::Result<()> {
        let path = self.path(hash)?;
        // Stored already: touched, so that the sweep sees it as new (a sweep that set
        // it aside meanwhile finds it touched and restores it; once set aside, the open
        // fails and the bytes are written again).
        if let Ok(file) = std::fs::File::options().append(true).open(&path) {
            return file.set_modified(std::time::SystemTime::now());
        }
        let dir = path.parent().unwrap_or(&self.root);
        std::fs::create_dir_all(dir)?;
        let tmp = dir.join(format!(".{hash}.{}.tmp", std::process::id()));
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        if self.durable {
            file.sync_data()?;
        }
        drop(file);
        std::fs::rename(&tmp, &path)
    }

    fn get(&self, hash: &str) -> std::io::Result<Vec<u8>> {
        std::fs::read(self.path(hash)?)
    }

    fn exists(&self, hash: &str) -> std::io::Result<bool> {
        Ok(self.path(hash)?.exists())
    }

    fn stored_before(&self, shard: &str, before: i64) -> std::io::Result<Vec<String>> {
        let mut out = Vec::new();
        let dir = self.root.join(shard);
        let Ok(subdirs) = std::fs::read_dir(&dir) else {
            return Ok(out);
        };
        for sub in subdirs.flatten() {
            let Ok(files) = std::fs::read_dir(sub.path()) else {
                continue;
            };
            for f in files.flatten() {
                let name = f.file_name().to_string_lossy().into_owned();
                let Ok(meta) = f.metadata() else { continue };
                if !meta.is_file() || mtime(&meta) >= before {
                    continue;
                }
                if let Some(hash) = name
                    .strip_prefix('.')
                    .and_then(|n| n.strip_suffix(".swept"))
                {
                    // Left by a sweep that stopped midway: back, to be judged again.
                    let _ = self.restore(hash);
                } else if name.starts_with('.') && name.ends_with(".tmp") {
                    // Left by a write that stopped midway.
                    let _ = std::fs::remove_file(f.path());
                } else if name.starts_with(shard) && self.path(&name).is_ok() {
                    out.push(name);
                }
            }
        }
        Ok(out)
    }

    fn set_aside(&self, hash: &str) -> std::io::Result<Option<i64>> {
        let (path, aside) = (self.path(hash)?, self.aside(hash)?);
        match std::fs::rename(&path, &aside) {
            Ok(()) => Ok(Some(mtime(&std::fs::metadata(&aside)?))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn restore(&self, hash: &str) -> std::io::Result<()> {
        let (path, aside) = (self.path(hash)?, self.aside(hash)?);
        if path.exists() {
            std::fs::remove_file(aside)
        } else {
            std::fs::rename(aside, path)
        }
    }

    fn discard(&self, hash: &str) -> std::io::Result<()> {
        std::fs::remove_file(self.aside(hash)?)
    }
}

/// The blob store handle shared by the process; cheap to clone.
#[derive(Debug, Clone)]
pub struct Blobs(Arc<dyn BlobBackend>);

impl Blobs {
    pub fn new(backend: impl BlobBackend + 'static) -> Blobs {
        Blobs(Arc::new(backend))
    }

    /// Files under `DATA_DIR/blobs`.
    pub fn in_data_dir(data_dir: &std::path::Path) -> Blobs {
        Blobs::new(FsBlobs::new(data_dir.join("blobs")))
    }

    pub fn put(&self, hash: &str, bytes: &[u8]) -> std::io::Result<()> {
        self.0.put(hash, bytes)
    }

    pub fn get(&self, hash: &str) -> std::io::Result<Vec<u8>> {
        self.0.get(hash)
    }

    pub fn exists(&self, hash: &str) -> std::io::Result<bool> {
        self.0.exists(hash)
    }

    pub fn backend(&self) -> &dyn BlobBackend {
        &*self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put_get_dedup() {
        let dir =
            std::env::temp_dir().join(format!("wharf-blobs-{}", crate::secret::random_token()));
        let blobs = Blobs::in_data_dir(&dir);
        let hash = "ab".repeat(32);
        blobs.put(&hash, b"hello").unwrap();
        blobs.put(&hash, b"hello").unwrap();
        assert_eq!(blobs.get(&hash).unwrap(), b"hello");
        assert!(blobs.exists(&hash).unwrap());
        assert!(!blobs.exists(&"cd".repeat(32)).unwrap());
        assert!(blobs.get("../../etc/passwd").is_err());
        std::fs::remove_dir_all(dir).unwrap();
    }
}

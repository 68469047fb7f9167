//! The blob store: original message bytes and attachment bytes, addressed by their
//! SHA-256, so identical bytes are stored once (SPEC MAIL-1). [`BlobBackend`] is the
//! interface; [`FsBlobs`] keeps blobs as files under the data directory, and an
//! S3-compatible backend can implement the same three calls.
//!
//! A blob is written to a temporary file, flushed to disk and renamed into place before
//! the database row that names it is committed: a crash leaves at worst an unreferenced
//! blob, never a row pointing at nothing.

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
}

impl BlobBackend for FsBlobs {
    fn put(&self, hash: &str, bytes: &[u8]) -> std::io::Result<()> {
        let path = self.path(hash)?;
        if path.exists() {
            return Ok(());
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

//! Credentials encrypted at rest (SPEC ACC-1): mail server passwords are sealed with
//! ChaCha20-Poly1305 under the installation's secret key before they reach the
//! database, so a copied database alone gives no passwords away.
//!
//! The key lives in `DATA_DIR/secret.key` (created on first start, mode 0600) or comes
//! from configuration; every app node of one installation must use the same key.

use std::path::Path;

use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};

use crate::{Result, StoreError};

const PREFIX: &str = "v1:";

#[derive(Clone)]
pub struct Vault {
    cipher: ChaCha20Poly1305,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Vault(..)")
    }
}

impl Vault {
    /// A vault from 64 hex characters (32 bytes).
    pub fn from_hex(key_hex: &str) -> Result<Vault> {
        let key: [u8; 32] = unhex(key_hex.trim())
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| StoreError::Other("secret key must be 64 hex characters".into()))?;
        Ok(Vault {
            cipher: ChaCha20Poly1305::new(&Key::from(key)),
        })
    }

    /// Reads the key file, creating it with a fresh random key when it does not exist.
    pub fn load_or_create(path: &Path) -> Result<Vault> {
        match std::fs::read_to_string(path) {
            Ok(text) => Vault::from_hex(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = crate::secret::random_token();
                write_private(path, &key).map_err(|e| {
                    StoreError::Other(format!("cannot write {}: {e}", path.display()))
                })?;
                Vault::from_hex(&key)
            }
            Err(e) => Err(StoreError::Other(format!(
                "cannot read {}: {e}",
                path.display()
            ))),
        }
    }

    /// Seals `plain`; the empty string stays empty (no password set).
    pub fn seal(&self, plain: &str) -> String {
        if plain.is_empty() {
            return String::new();
        }
        let mut nonce = [0u8; 12];
        // The OS random source failing is not recoverable; refusing to run is the safe answer.
        getrandom::fill(&mut nonce).expect("the operating system's random source failed");
        let sealed = self
            .cipher
            .encrypt(&Nonce::from(nonce), plain.as_bytes())
            .expect("ChaCha20-Poly1305 encryption of an in-memory buffer cannot fail");
        format!("{PREFIX}{}{}", hex(&nonce), hex(&sealed))
    }

    /// Opens a value made by [`Vault::seal`]; a wrong key or damaged value is an error.
    pub fn open(&self, sealed: &str) -> Result<String> {
        if sealed.is_empty() {
            return Ok(String::new());
        }
        let bad = || {
            StoreError::Other("stored credential cannot be decrypted (wrong secret key?)".into())
        };
        let body = sealed.strip_prefix(PREFIX).ok_or_else(bad)?;
        let bytes = unhex(body).filter(|b| b.len() > 12).ok_or_else(bad)?;
        let nonce: [u8; 12] = bytes[..12].try_into().map_err(|_| bad())?;
        let plain = self
            .cipher
            .decrypt(&Nonce::from(nonce), &bytes[12..])
            .map_err(|_| bad())?;
        String::from_utf8(plain).map_err(|_| bad())
    }
}

fn write_private(path: &Path, content: &str) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(path)?;
    f.write_all(content.as_bytes())?;
    f.sync_all()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_and_open() {
        let v = Vault::from_hex(&"ab".repeat(32)).unwrap();
        let s = v.seal("pässword");
        assert!(s.starts_with("v1:"));
        assert!(!s.contains("pässword"));
        assert_ne!(s, v.seal("pässword"), "fresh nonce each time");
        assert_eq!(v.open(&s).unwrap(), "pässword");
        let other = Vault::from_hex(&"cd".repeat(32)).unwrap();
        assert!(other.open(&s).is_err());
        assert!(v.open("v1:zz").is_err());
        assert_eq!(v.open("").unwrap(), "");
        assert!(Vault::from_hex("short").is_err());
    }

    #[test]
    fn key_file_is_created_once() {
        let dir =
            std::env::temp_dir().join(format!("wharf-vault-{}", crate::secret::random_token()));
        let path = dir.join("secret.key");
        let a = Vault::load_or_create(&path).unwrap();
        let b = Vault::load_or_create(&path).unwrap();
        assert_eq!(b.open(&a.seal("x")).unwrap(), "x");
        std::fs::remove_dir_all(dir).unwrap();
    }
}

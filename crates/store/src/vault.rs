//! Credentials encrypted at rest (SPEC ACC-1): mail server passwords are sealed with
//! ChaCha20-Poly1305 under the installation's secret key before they reach the
//! database, so a copied database alone gives no passwords away.
//!
//! The key lives in `DATA_DIR/secret.key` (created on first start, mode 0600) or comes
//! from configuration; every app node of one installation must use the same key.
//!
//! A sealed value is bound to its place: `v2:` values carry the account id and which
//! password it is (incoming or outgoing) as associated data, so a value copied to
//! another account's row, or from the incoming to the outgoing column, does not open.
//! `v1:` values (sealed before that, without associated data) still open, reported as
//! [`Opened::legacy`] so the caller re-seals them in the new form.

use std::path::Path;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};

use crate::{Result, StoreError};

/// Values sealed without associated data (before binding to the row).
const LEGACY_PREFIX: &str = "v1:";
/// Values bound to their account and column.
const PREFIX: &str = "v2:";

/// Which of an account's passwords a sealed value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Secret {
    Incoming,
    Outgoing,
}

impl Secret {
    /// The column that holds it in `mail_accounts`.
    pub fn column(self) -> &'static str {
        match self {
            Secret::Incoming => "in_secret",
            Secret::Outgoing => "out_secret",
        }
    }
}

/// Where a sealed value belongs: its associated data.
fn place(account_id: i64, which: Secret) -> String {
    format!("wharf:mail_accounts:{account_id}:{}", which.column())
}

/// An opened value, and whether it was in the old form (to be re-sealed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    pub plain: String,
    pub legacy: bool,
}

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

    /// Seals `plain` for account `account_id`'s `which` password; the empty string
    /// stays empty (no password set).
    pub fn seal(&self, account_id: i64, which: Secret, plain: &str) -> String {
        if plain.is_empty() {
            return String::new();
        }
        let aad = place(account_id, which);
        format!("{PREFIX}{}", self.encrypt(plain.as_bytes(), aad.as_bytes()))
    }

    fn encrypt(&self, plain: &[u8], aad: &[u8]) -> String {
        let mut nonce = [0u8; 12];
        // The OS random source failing is not recoverable; refusing to run is the safe answer.
        getrandom::fill(&mut nonce).expect("the operating system's random source failed");
        let sealed = self
            .cipher
            .encrypt(&Nonce::from(nonce), Payload { msg: plain, aad })
            .expect("ChaCha20-Poly1305 encryption of an in-memory buffer cannot fail");
        format!("{}{}", hex(&nonce), hex(&sealed))
    }

    /// Opens a value made by [`Vault::seal`] for the same account and password, or an
    /// old `v1:` value; a wrong key, a damaged value or one sealed for another account
    /// or column is an error that says so.
    pub fn open(&self, account_id: i64, which: Secret, sealed: &str) -> Result<Opened> {
        if sealed.is_empty() {
            return Ok(Opened {
                plain: String::new(),
                legacy: false,
            });
        }
        let bad = || {
            StoreError::Other(format!(
                "the stored {} password of mail account {account_id} cannot be opened: \
                 the secret key is not the one it was sealed with, or the value was sealed \
                 for another account (enter the password again)",
                match which {
                    Secret::Incoming => "incoming",
                    Secret::Outgoing => "outgoing",
                }
            ))
        };
        let (body, aad, legacy) = if let Some(body) = sealed.strip_prefix(PREFIX) {
            (body, place(account_id, which), false)
        } else if let Some(body) = sealed.strip_prefix(LEGACY_PREFIX) {
            (body, String::new(), true)
        } else {
            return Err(bad());
        };
        let bytes = unhex(body).filter(|b| b.len() > 12).ok_or_else(bad)?;
        let nonce: [u8; 12] = bytes[..12].try_into().map_err(|_| bad())?;
        let plain = self
            .cipher
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: &bytes[12..],
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| bad())?;
        let plain = String::from_utf8(plain).map_err(|_| bad())?;
        Ok(Opened { plain, legacy })
    }

    /// A value in the old `v1:` form (no associated data), as stored before sealed
    /// values were bound to their row: for tests of the upgrade.
    pub fn seal_legacy(&self, plain: &str) -> String {
        format!("{LEGACY_PREFIX}{}", self.encrypt(plain.as_bytes(), b""))
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

    fn vault(byte: &str) -> Vault {
        Vault::from_hex(&byte.repeat(32)).unwrap()
    }

    #[test]
    fn seal_and_open() {
        let v = vault("ab");
        let s = v.seal(7, Secret::Incoming, "pässword");
        assert!(s.starts_with("v2:"));
        assert!(!s.contains("pässword"));
        assert_ne!(
            s,
            v.seal(7, Secret::Incoming, "pässword"),
            "fresh nonce each time"
        );
        let opened = v.open(7, Secret::Incoming, &s).unwrap();
        assert_eq!(opened.plain, "pässword");
        assert!(!opened.legacy);
        assert!(vault("cd").open(7, Secret::Incoming, &s).is_err());
        assert!(v.open(7, Secret::Incoming, "v2:zz").is_err());
        assert!(v.open(7, Secret::Incoming, "garbage").is_err());
        assert_eq!(v.open(7, Secret::Incoming, "").unwrap().plain, "");
        assert_eq!(v.seal(7, Secret::Incoming, ""), "");
        assert!(Vault::from_hex("short").is_err());
    }

    #[test]
    fn a_value_opens_only_in_its_own_place() {
        let v = vault("ab");
        let s = v.seal(7, Secret::Incoming, "secret-of-7");
        let err = v.open(8, Secret::Incoming, &s).unwrap_err().to_string();
        assert!(err.contains("mail account 8 cannot be opened"), "{err}");
        assert!(!err.contains("secret-of-7"));
        assert!(v.open(7, Secret::Outgoing, &s).is_err(), "other column");
    }

    #[test]
    fn old_values_still_open_and_say_so() {
        let v = vault("ab");
        let old = v.seal_legacy("from-before");
        assert!(old.starts_with("v1:"));
        let opened = v.open(3, Secret::Outgoing, &old).unwrap();
        assert_eq!(opened.plain, "from-before");
        assert!(opened.legacy);
    }

    #[test]
    fn key_file_is_created_once() {
        let dir =
            std::env::temp_dir().join(format!("wharf-vault-{}", crate::secret::random_token()));
        let path = dir.join("secret.key");
        let a = Vault::load_or_create(&path).unwrap();
        let b = Vault::load_or_create(&path).unwrap();
        let sealed = a.seal(1, Secret::Incoming, "x");
        assert_eq!(b.open(1, Secret::Incoming, &sealed).unwrap().plain, "x");
        std::fs::remove_dir_all(dir).unwrap();
    }
}

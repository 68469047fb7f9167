//! Password hashing (argon2id, PHC strings) and the password rules.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};

pub const MIN_LENGTH: usize = 8;

/// Why a new password is refused, as an error code; `None` when it is acceptable.
pub fn weakness(password: &str) -> Option<&'static str> {
    let len = password.chars().count();
    if len < MIN_LENGTH {
        Some("password_too_short")
    } else if len > 200 {
        Some("too_long")
    } else if password
        .chars()
        .all(|c| c == password.chars().next().unwrap_or(' '))
    {
        Some("password_too_simple")
    } else {
        None
    }
}

/// Hashes with argon2id and a fresh random salt.
pub fn hash(password: &str) -> Result<String, String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Checks a password against a stored PHC string; a malformed hash never verifies.
pub fn verify(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_and_verify() {
        let h = hash("correct horse").expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse", &h));
        assert!(!verify("wrong horse", &h));
        assert!(!verify("correct horse", "not a hash"));
    }

    #[test]
    fn rules() {
        assert_eq!(weakness("abc"), Some("password_too_short"));
        assert_eq!(weakness("aaaaaaaaaa"), Some("password_too_simple"));
        assert_eq!(weakness("s3cret-enough"), None);
    }
}

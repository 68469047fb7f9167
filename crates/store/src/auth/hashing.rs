//! Password hashing and verification (argon2id, ~tens of ms of CPU each) on tokio's
//! blocking pool, so a burst of sign-ins cannot stall the async workers that serve
//! every other request.

use crate::{Result, StoreError};

/// `wharf_core::password::hash` off the async runtime.
pub async fn hash(password: &str) -> Result<String> {
    let password = password.to_string();
    tokio::task::spawn_blocking(move || wharf_core::password::hash(&password))
        .await
        .map_err(|e| StoreError::Other(format!("password hashing task: {e}")))?
        .map_err(StoreError::Other)
}

/// `wharf_core::password::verify` off the async runtime; a task that fails to run
/// verifies nothing.
pub async fn verify(password: &str, stored: &str) -> bool {
    let (password, stored) = (password.to_string(), stored.to_string());
    tokio::task::spawn_blocking(move || wharf_core::password::verify(&password, &stored))
        .await
        .unwrap_or(false)
}

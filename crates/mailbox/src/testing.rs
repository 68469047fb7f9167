//! A throwaway mailbox environment for tests in every crate (feature `testing`).

use wharf_store::Store;
use wharf_store::blobs::Blobs;
use wharf_store::vault::Vault;

use crate::Env;

/// An environment on `store` with blobs in a fresh temporary folder and a random vault key,
/// so tests running side by side never share files or secrets.
pub fn scratch_env(store: Store) -> Env {
    let dir = std::env::temp_dir().join(format!(
        "wharf-test-blobs-{}",
        &wharf_store::secret::random_token()[..12]
    ));
    // A random token is 64 hex characters: the key length the vault takes.
    let vault = Vault::from_hex(&wharf_store::secret::random_token())
        .expect("a random token is a valid vault key");
    Env {
        store,
        blobs: Blobs::in_data_dir(&dir),
        vault,
    }
}

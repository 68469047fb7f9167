//! The page data of `templates/mail/accounts.html` and `templates/mail/account.html`.

use serde::Serialize;

/// A row of `mail/accounts.html`.
#[derive(Serialize)]
pub struct AccountRow {
    pub id: i64,
    pub address: String,
    pub kind: String,
    pub owner: String,
    pub protocol: String,
    /// Where its sync stands, and the class that colours it.
    pub state: String,
    pub state_class: &'static str,
    pub messages: i64,
}

/// `mail/accounts.html`.
#[derive(Serialize)]
pub struct AccountsPage {
    pub accounts: Vec<AccountRow>,
    pub can_manage: bool,
}

/// A folder of the account on the server, chosen for sync or not.
#[derive(Serialize)]
pub struct ServerFolder {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub selected: bool,
    pub stored_count: i64,
    pub server_count: i64,
}

/// `mail/account.html`: one account, its sync and its folders.
#[derive(Serialize)]
pub struct AccountPage {
    pub id: i64,
    pub state: String,
    pub state_class: &'static str,
    /// "done / total" while a sync runs.
    pub progress: Option<String>,
    pub last_sync: Option<String>,
    pub error: Option<String>,
    pub error_step: String,
    pub messages: i64,
    /// Sync is on and the account receives.
    pub syncs: bool,
    pub syncing: bool,
    pub can_manage: bool,
    /// (label, value) of the settings.
    pub settings: Vec<(String, String)>,
    pub folders: Vec<ServerFolder>,
    /// What the IMAP server refused of the moves and folders made in Wharf (translated).
    pub mirror_notes: Vec<String>,
    /// The results of "test settings", when just run.
    pub checks: Option<Vec<crate::render::Check>>,
}

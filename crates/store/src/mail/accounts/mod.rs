//! Mail accounts (SPEC ACC-1..5): settings with sealed credentials, members of public
//! accounts, folders with their sync cursors, and the sync state shown on the account
//! page. Who may see an account is decided by [`wharf_core::policy::AccountAccess`].

use wharf_core::policy::{AccountAccess, AccountScope};
use wharf_core::{Actor, DomainError};

use crate::rows::{flag, int, opt_int, text};
use crate::{Result, Store};

mod edit;
mod secrets;
mod sync;

/// An account as pages and the API show it: never with its passwords.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Account {
    pub id: i64,
    pub address: String,
    pub display_name: String,
    pub kind: String,
    pub owner_id: Option<i64>,
    pub owner_name: String,
    pub owner_department: Option<i64>,
    pub member_ids: Vec<i64>,
    pub in_protocol: String,
    pub in_host: String,
    pub in_port: i64,
    pub in_security: String,
    pub in_username: String,
    pub out_host: String,
    pub out_port: i64,
    pub out_security: String,
    pub out_username: String,
    pub accept_invalid_certs: bool,
    pub leave_on_server: bool,
    pub show_since: Option<i64>,
    pub sync_enabled: bool,
    pub sync_state: String,
    pub sync_error: String,
    pub sync_error_step: String,
    pub sync_progress_done: i64,
    pub sync_progress_total: i64,
    pub last_sync_at: Option<i64>,
    pub signature: String,
    pub max_attachment_mb: i64,
    pub message_count: i64,
}

impl Account {
    pub fn access(&self) -> AccountAccess {
        AccountAccess {
            owner_id: self.owner_id,
            owner_department: self.owner_department,
            member_ids: self.member_ids.clone(),
        }
    }
}

/// What the sync and send workers need: the account with its passwords opened.
#[derive(Debug, Clone)]
pub struct AccountSecrets {
    pub account: Account,
    pub in_password: String,
    pub out_password: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Folder {
    pub id: i64,
    pub account_id: i64,
    /// As the server names it (modified UTF-7), or, for a folder made in Wharf, as
    /// people typed it.
    pub name: String,
    /// What to SELECT on the server.
    pub path: String,
    pub role: String,
    pub selected: bool,
    pub uidvalidity: i64,
    pub last_uid: i64,
    pub highest_modseq: i64,
    pub server_count: i64,
    pub stored_count: i64,
}

/// A sync progress or outcome report.
#[derive(Debug, Clone, Default)]
pub struct SyncReport {
    /// `syncing`, `idle` (up to date), `error`.
    pub state: &'static str,
    pub error: String,
    /// `dns`, `connect`, `tls`, `login`, `permission`, `protocol`, or empty.
    pub error_step: String,
    pub done: i64,
    pub total: i64,
}

const ACCOUNT_SELECT: &str = "SELECT a.*, COALESCE(u.name, '') AS owner_name, u.department_id AS owner_department, \
     (SELECT COUNT(*) FROM messages m WHERE m.account_id = a.id) AS message_count \
     FROM mail_accounts a LEFT JOIN users u ON u.id = a.owner_id";

/// The same without counting each account's messages (one index entry per message:
/// ~5 ms at 100,000), for the mail pages that only need who may use which account.
const ACCOUNT_SELECT_UNCOUNTED: &str = "SELECT a.*, COALESCE(u.name, '') AS owner_name, u.department_id AS owner_department, \
     CAST(0 AS BIGINT) AS message_count \
     FROM mail_accounts a LEFT JOIN users u ON u.id = a.owner_id";

fn account_row(r: &sqlx::any::AnyRow) -> sqlx::Result<Account> {
    Ok(Account {
        id: int(r, "id")?,
        address: text(r, "address")?,
        display_name: text(r, "display_name")?,
        kind: text(r, "kind")?,
        owner_id: opt_int(r, "owner_id")?,
        owner_name: text(r, "owner_name")?,
        owner_department: opt_int(r, "owner_department")?,
        member_ids: Vec::new(),
        in_protocol: text(r, "in_protocol")?,
        in_host: text(r, "in_host")?,
        in_port: int(r, "in_port")?,
        in_security: text(r, "in_security")?,
        in_username: text(r, "in_username")?,
        out_host: text(r, "out_host")?,
        out_port: int(r, "out_port")?,
        out_security: text(r, "out_security")?,
        out_username: text(r, "out_username")?,
        accept_invalid_certs: flag(r, "accept_invalid_certs")?,
        leave_on_server: flag(r, "leave_on_server")?,
        show_since: opt_int(r, "show_since")?,
        sync_enabled: flag(r, "sync_enabled")?,
        sync_state: text(r, "sync_state")?,
        sync_error: text(r, "sync_error")?,
        sync_error_step: text(r, "sync_error_step")?,
        sync_progress_done: int(r, "sync_progress_done")?,
        sync_progress_total: int(r, "sync_progress_total")?,
        last_sync_at: opt_int(r, "last_sync_at")?,
        signature: text(r, "signature")?,
        max_attachment_mb: int(r, "max_attachment_mb")?,
        message_count: int(r, "message_count")?,
    })
}

impl Store {
    async fn load_accounts(&self, id: Option<i64>) -> Result<Vec<Account>> {
        self.load_accounts_from(ACCOUNT_SELECT, id).await
    }

    async fn load_accounts_from(&self, select: &str, id: Option<i64>) -> Result<Vec<Account>> {
        let rows = match id {
            Some(id) => {
                sqlx::query(sqlx::AssertSqlSafe(format!("{select} WHERE a.id = $1")))
                    .bind(id)
                    .fetch_all(&self.pool)
                    .await?
            }
            None => {
                sqlx::query(sqlx::AssertSqlSafe(format!("{select} ORDER BY a.address")))
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        let mut accounts: Vec<Account> =
            rows.iter().map(account_row).collect::<sqlx::Result<_>>()?;
        let members: Vec<(i64, i64)> =
            sqlx::query_as("SELECT account_id, user_id FROM mail_account_members")
                .fetch_all(&self.pool)
                .await?;
        for a in &mut accounts {
            a.member_ids = members
                .iter()
                .filter(|(acc, _)| *acc == a.id)
                .map(|(_, u)| *u)
                .collect();
        }
        Ok(accounts)
    }

    /// The accounts the actor may use (all of them for mailbox administrators), with
    /// `message_count` 0: the mail pages ask this on every request.
    pub async fn list_accounts(&self, actor: &Actor) -> Result<Vec<Account>> {
        Ok(self
            .load_accounts_from(ACCOUNT_SELECT_UNCOUNTED, None)
            .await?
            .into_iter()
            .filter(|a| a.access().can_use(actor))
            .collect())
    }

    /// [`Store::list_accounts`] with each account's message count (the accounts page).
    pub async fn list_accounts_with_counts(&self, actor: &Actor) -> Result<Vec<Account>> {
        Ok(self
            .load_accounts(None)
            .await?
            .into_iter()
            .filter(|a| a.access().can_use(actor))
            .collect())
    }

    /// Ids of the accounts the actor may use: the same rule as [`Store::list_accounts`]
    /// without loading the accounts (mail queries ask this on every page).
    pub async fn usable_account_ids(&self, actor: &Actor) -> Result<Vec<i64>> {
        let (usable, values) =
            crate::access::mail::account_condition(&AccountScope::of(actor), "a", 1);
        let mut q = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT a.id FROM mail_accounts a WHERE {usable} ORDER BY a.id"
        )));
        for v in values {
            q = q.bind(v);
        }
        Ok(q.fetch_all(&self.pool).await?)
    }

    pub async fn get_account(&self, actor: &Actor, id: i64) -> Result<Account> {
        self.load_accounts(Some(id))
            .await?
            .into_iter()
            .find(|a| a.access().can_use(actor))
            .ok_or(DomainError::NotFound.into())
    }

    /// The account's own addresses (its address; more aliases later), for direction.
    pub async fn account_addresses(&self, account_id: i64) -> Result<Vec<String>> {
        Ok(
            sqlx::query_scalar("SELECT address FROM mail_accounts WHERE id = $1")
                .bind(account_id)
                .fetch_all(&self.pool)
                .await?,
        )
    }
}

impl Store {
    /// (id, address, incoming protocol, sync state, last error) of every account, for
    /// the command line.
    pub async fn account_overview(&self) -> Result<Vec<(i64, String, String, String, String)>> {
        Ok(sqlx::query_as(
            "SELECT id, address, in_protocol, sync_state, sync_error FROM mail_accounts ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?)
    }
}

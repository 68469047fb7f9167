//! Mail accounts (SPEC ACC-1..5): settings with sealed credentials, members of public
//! accounts, folders with their sync cursors, and the sync state shown on the account
//! page. Who may see an account is decided by [`wharf_core::policy::AccountAccess`].

use serde_json::json;
use wharf_core::mail::AccountInput;
use wharf_core::policy::{AccountAccess, AccountScope};
use wharf_core::{Actor, DomainError, Permission};

use crate::audit::{self, Entry};
use crate::db::now;
use crate::rows::{flag, int, opt_int, text};
use crate::vault::{Secret, Vault};
use crate::{Ctx, Result, Store};

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
    pub name: String,
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
        let rows = match id {
            Some(id) => {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "{ACCOUNT_SELECT} WHERE a.id = $1"
                )))
                .bind(id)
                .fetch_all(&self.pool)
                .await?
            }
            None => {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "{ACCOUNT_SELECT} ORDER BY a.address"
                )))
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

    /// The accounts the actor may use (all of them for mailbox administrators).
    pub async fn list_accounts(&self, actor: &Actor) -> Result<Vec<Account>> {
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

    /// For a mailbox administrator (testing settings): the account with its passwords
    /// opened, under the same policy as every other account operation.
    pub async fn account_secrets_for(
        &self,
        actor: &Actor,
        vault: &Vault,
        id: i64,
    ) -> Result<AccountSecrets> {
        actor.require(Permission::Mailboxes)?;
        self.get_account(actor, id).await?;
        self.account_secrets(vault, id).await
    }

    /// For the workers (no actor): the account with its passwords opened.
    pub async fn account_secrets(&self, vault: &Vault, id: i64) -> Result<AccountSecrets> {
        let account = self
            .load_accounts(Some(id))
            .await?
            .into_iter()
            .next()
            .ok_or(DomainError::NotFound)?;
        let (in_secret, out_secret): (String, String) =
            sqlx::query_as("SELECT in_secret, out_secret FROM mail_accounts WHERE id = $1")
                .bind(id)
                .fetch_one(&self.pool)
                .await?;
        Ok(AccountSecrets {
            account,
            in_password: self
                .open_secret(vault, id, Secret::Incoming, &in_secret)
                .await?,
            out_password: self
                .open_secret(vault, id, Secret::Outgoing, &out_secret)
                .await?,
        })
    }

    /// Opens one sealed password of account `id`; a value still in the old form (not
    /// bound to its row) is re-sealed bound to it, unless it changed meanwhile.
    async fn open_secret(
        &self,
        vault: &Vault,
        id: i64,
        which: Secret,
        sealed: &str,
    ) -> Result<String> {
        let opened = vault.open(id, which, sealed)?;
        if opened.legacy {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "UPDATE mail_accounts SET {0} = $1 WHERE id = $2 AND {0} = $3",
                which.column()
            )))
            .bind(vault.seal(id, which, &opened.plain))
            .bind(id)
            .bind(sealed)
            .execute(&self.pool)
            .await?;
        }
        Ok(opened.plain)
    }

    /// Re-seals every password still in the old form bound to its row (run at start,
    /// so old values do not wait for their account's next sync). Returns how many.
    pub async fn reseal_legacy_secrets(&self, vault: &Vault) -> Result<usize> {
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT id, in_secret, out_secret FROM mail_accounts \
             WHERE in_secret LIKE 'v1:%' OR out_secret LIKE 'v1:%' ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut count = 0;
        for (id, in_secret, out_secret) in rows {
            for (which, sealed) in [
                (Secret::Incoming, in_secret),
                (Secret::Outgoing, out_secret),
            ] {
                if sealed.starts_with("v1:") {
                    self.open_secret(vault, id, which, &sealed).await?;
                    count += 1;
                }
            }
        }
        Ok(count)
    }

    /// Ids of the accounts that sync (enabled, with an incoming server).
    pub async fn syncing_account_ids(&self) -> Result<Vec<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT id FROM mail_accounts WHERE sync_enabled = 1 AND in_protocol <> 'none' ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn create_account(
        &self,
        ctx: Ctx<'_>,
        vault: &Vault,
        input: AccountInput,
    ) -> Result<i64> {
        ctx.actor.require(Permission::Mailboxes)?;
        let input = input.validate(true)?;
        let t = now();
        let mut tx = self.begin().await?;
        let id: std::result::Result<i64, sqlx::Error> = sqlx::query_scalar(
            "INSERT INTO mail_accounts (address, display_name, kind, owner_id, in_protocol, in_host, in_port, \
             in_security, in_username, in_secret, out_host, out_port, out_security, out_username, out_secret, \
             accept_invalid_certs, leave_on_server, show_since, sync_enabled, signature, max_attachment_mb, \
             created_at, updated_at) \
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$22) RETURNING id",
        )
        .bind(&input.address)
        .bind(&input.display_name)
        .bind(&input.kind)
        .bind(input.owner_id)
        .bind(&input.in_protocol)
        .bind(&input.in_host)
        .bind(input.in_port)
        .bind(&input.in_security)
        .bind(&input.in_username)
        .bind("")
        .bind(&input.out_host)
        .bind(input.out_port)
        .bind(&input.out_security)
        .bind(&input.out_username)
        .bind("")
        .bind(i64::from(input.accept_invalid_certs))
        .bind(i64::from(input.leave_on_server))
        .bind(input.show_since)
        .bind(i64::from(input.sync_enabled))
        .bind(&input.signature)
        .bind(input.max_attachment_mb)
        .bind(t)
        .fetch_one(&mut *tx)
        .await;
        let id = match id {
            Ok(id) => id,
            Err(e)
                if e.as_database_error()
                    .is_some_and(|d| d.is_unique_violation()) =>
            {
                return Err(DomainError::Refused {
                    code: "duplicate_account",
                    count: 0,
                }
                .into());
            }
            Err(e) => return Err(e.into()),
        };
        // Sealed once the id is known: each value is bound to its row.
        sqlx::query("UPDATE mail_accounts SET in_secret = $1, out_secret = $2 WHERE id = $3")
            .bind(vault.seal(id, Secret::Incoming, &input.in_password))
            .bind(vault.seal(
                id,
                Secret::Outgoing,
                if input.out_password.is_empty() {
                    &input.in_password
                } else {
                    &input.out_password
                },
            ))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        set_members(&mut tx, id, &input.member_ids).await?;
        audit::record(&mut tx, ctx, audit_entry("mail_account.create", id, &input)).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn update_account(
        &self,
        ctx: Ctx<'_>,
        vault: &Vault,
        id: i64,
        input: AccountInput,
    ) -> Result<()> {
        ctx.actor.require(Permission::Mailboxes)?;
        self.get_account(ctx.actor, id).await?;
        let input = input.validate(false)?;
        let mut tx = self.begin().await?;
        let result = sqlx::query(
            "UPDATE mail_accounts SET address = $1, display_name = $2, kind = $3, owner_id = $4, in_protocol = $5, \
             in_host = $6, in_port = $7, in_security = $8, in_username = $9, out_host = $10, out_port = $11, \
             out_security = $12, out_username = $13, accept_invalid_certs = $14, leave_on_server = $15, \
             show_since = $16, sync_enabled = $17, signature = $18, max_attachment_mb = $19, updated_at = $20 \
             WHERE id = $21",
        )
        .bind(&input.address)
        .bind(&input.display_name)
        .bind(&input.kind)
        .bind(input.owner_id)
        .bind(&input.in_protocol)
        .bind(&input.in_host)
        .bind(input.in_port)
        .bind(&input.in_security)
        .bind(&input.in_username)
        .bind(&input.out_host)
        .bind(input.out_port)
        .bind(&input.out_security)
        .bind(&input.out_username)
        .bind(i64::from(input.accept_invalid_certs))
        .bind(i64::from(input.leave_on_server))
        .bind(input.show_since)
        .bind(i64::from(input.sync_enabled))
        .bind(&input.signature)
        .bind(input.max_attachment_mb)
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await;
        match result {
            Ok(_) => {}
            Err(e)
                if e.as_database_error()
                    .is_some_and(|d| d.is_unique_violation()) =>
            {
                return Err(DomainError::Refused {
                    code: "duplicate_account",
                    count: 0,
                }
                .into());
            }
            Err(e) => return Err(e.into()),
        }
        for (which, value) in [
            (Secret::Incoming, &input.in_password),
            (Secret::Outgoing, &input.out_password),
        ] {
            if !value.is_empty() {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "UPDATE mail_accounts SET {} = $1 WHERE id = $2",
                    which.column()
                )))
                .bind(vault.seal(id, which, value))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
        }
        set_members(&mut tx, id, &input.member_ids).await?;
        audit::record(&mut tx, ctx, audit_entry("mail_account.update", id, &input)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records sync progress or its outcome on the account (shown on its page).
    pub async fn report_sync(&self, account_id: i64, report: &SyncReport) -> Result<()> {
        let finished = report.state != "syncing";
        sqlx::query(
            "UPDATE mail_accounts SET sync_state = $1, sync_error = $2, sync_error_step = $3, \
             sync_progress_done = $4, sync_progress_total = $5, \
             last_sync_at = CASE WHEN $6 = 1 THEN $7 ELSE last_sync_at END WHERE id = $8",
        )
        .bind(report.state)
        .bind(&report.error)
        .bind(&report.error_step)
        .bind(report.done)
        .bind(report.total)
        .bind(i64::from(finished))
        .bind(now())
        .bind(account_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The account's folders with how many messages are stored from each.
    pub async fn list_folders(&self, account_id: i64) -> Result<Vec<Folder>> {
        let rows = sqlx::query(
            "SELECT f.*, (SELECT COUNT(*) FROM message_locations l WHERE l.folder_id = f.id AND l.uidvalidity = f.uidvalidity) AS stored_count \
             FROM mail_folders f WHERE f.account_id = $1 AND f.local = 0 ORDER BY CASE f.role WHEN 'inbox' THEN 0 ELSE 1 END, f.name",
        )
        .bind(account_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| {
                Ok(Folder {
                    id: int(r, "id")?,
                    account_id: int(r, "account_id")?,
                    name: text(r, "name")?,
                    role: text(r, "role")?,
                    selected: flag(r, "selected")?,
                    uidvalidity: int(r, "uidvalidity")?,
                    last_uid: int(r, "last_uid")?,
                    highest_modseq: int(r, "highest_modseq")?,
                    server_count: int(r, "server_count")?,
                    stored_count: int(r, "stored_count")?,
                })
            })
            .collect::<sqlx::Result<_>>()?)
    }

    /// Makes sure a folder row exists (new server folders are selected by default,
    /// except Trash and Junk).
    pub async fn upsert_folder(&self, account_id: i64, name: &str, role: &str) -> Result<()> {
        let selected = !matches!(role, "trash" | "junk");
        let t = now();
        sqlx::query(
            "INSERT INTO mail_folders (account_id, name, role, selected, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) \
             ON CONFLICT (account_id, name) DO UPDATE SET role = excluded.role",
        )
        .bind(account_id)
        .bind(name)
        .bind(role)
        .bind(i64::from(selected))
        .bind(t)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The folder choice (ACC-3): which server folders are synced.
    pub async fn select_folders(
        &self,
        ctx: Ctx<'_>,
        account_id: i64,
        selected: &[i64],
    ) -> Result<()> {
        ctx.actor.require(Permission::Mailboxes)?;
        self.get_account(ctx.actor, account_id).await?;
        let mut tx = self.begin().await?;
        for f in self.list_folders(account_id).await? {
            sqlx::query("UPDATE mail_folders SET selected = $1 WHERE id = $2")
                .bind(i64::from(selected.contains(&f.id)))
                .bind(f.id)
                .execute(&mut *tx)
                .await?;
        }
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "mail_account.folders",
                entity: "mail_account",
                entity_id: Some(account_id),
                summary: "",
                details: json!({ "selected": selected }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A new UIDVALIDITY: the server renumbered the folder, so the cursor starts over
    /// (stored messages stay; re-fetched copies are recognised by their bytes).
    pub async fn reset_folder(&self, folder_id: i64, uidvalidity: i64) -> Result<()> {
        sqlx::query(
            "UPDATE mail_folders SET uidvalidity = $1, last_uid = 0, highest_modseq = 0, updated_at = $2 WHERE id = $3",
        )
        .bind(uidvalidity)
        .bind(now())
        .bind(folder_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn set_folder_counts(
        &self,
        folder_id: i64,
        server_count: i64,
        highest_modseq: Option<i64>,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE mail_folders SET server_count = $1, highest_modseq = COALESCE($2, highest_modseq), updated_at = $3 WHERE id = $4",
        )
        .bind(server_count)
        .bind(highest_modseq)
        .bind(now())
        .bind(folder_id)
        .execute(&self.pool)
        .await?;
        Ok(())
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

    /// Is POP3 UIDL `uidl` of the account already stored?
    pub async fn pop3_known_uidls(&self, account_id: i64) -> Result<Vec<String>> {
        Ok(
            sqlx::query_scalar("SELECT uidl FROM pop3_uidls WHERE account_id = $1")
                .bind(account_id)
                .fetch_all(&self.pool)
                .await?,
        )
    }
}

async fn set_members(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    account_id: i64,
    members: &[i64],
) -> Result<()> {
    sqlx::query("DELETE FROM mail_account_members WHERE account_id = $1")
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    for m in members {
        sqlx::query("INSERT INTO mail_account_members (account_id, user_id) VALUES ($1, $2)")
            .bind(account_id)
            .bind(m)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

fn audit_entry<'a>(action: &'static str, id: i64, input: &'a AccountInput) -> Entry<'a> {
    Entry {
        action,
        entity: "mail_account",
        entity_id: Some(id),
        summary: &input.address,
        details: json!({
            "kind": input.kind,
            "owner_id": input.owner_id,
            "members": input.member_ids,
            "in": format!("{} {}:{} {}", input.in_protocol, input.in_host, input.in_port, input.in_security),
            "out": format!("smtp {}:{} {}", input.out_host, input.out_port, input.out_security),
            "password_changed": !input.in_password.is_empty() || !input.out_password.is_empty(),
        }),
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

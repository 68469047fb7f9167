//! An account's passwords opened from the vault: for a mailbox administrator testing the
//! settings (under the policy), for the workers, and re-sealing the old format.

use wharf_core::{Actor, DomainError, Permission};

use crate::vault::{Secret, Vault};
use crate::{Result, Store};

use super::AccountSecrets;

impl Store {
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
}

//! Creating and changing an account (ACC-1, ACC-2): its settings with the passwords
//! sealed, the members of a public account, and the audit entry of each change.

use serde_json::json;
use wharf_core::mail::account::AccountInput;
use wharf_core::{DomainError, Permission};

use crate::audit::{self, Entry};
use crate::db::now;
use crate::vault::{Secret, Vault};
use crate::{Ctx, Result, Store};

impl Store {
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

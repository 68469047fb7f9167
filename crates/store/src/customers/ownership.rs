//! A customer's owners: who they are, claiming from the shared pool within the role's
//! daily quota, releasing into it, transferring, and the owner log.

use serde_json::json;
use wharf_core::customers::Sharing;
use wharf_core::{Actor, DomainError, Permission};

use super::Customer;
use crate::audit::{self, Entry};
use crate::db::now;
use crate::rows::{int, opt_int, text};
use crate::{Ctx, Result, Store};

impl Store {
    pub(crate) async fn owners_of(
        &self,
        customer_id: i64,
    ) -> Result<Vec<(i64, String, Option<i64>)>> {
        let rows = sqlx::query(
            "SELECT u.id, u.name, u.department_id FROM customer_owners o JOIN users u ON u.id = o.user_id \
             WHERE o.customer_id = $1 ORDER BY u.name",
        )
        .bind(customer_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| {
                Ok((
                    int(r, "id")?,
                    text(r, "name")?,
                    opt_int(r, "department_id")?,
                ))
            })
            .collect::<sqlx::Result<_>>()?)
    }

    /// Checks that every new owner is an active user. Anyone working a customer may hand
    /// it to colleagues (seed 003: the operator may be oneself, others, or shared); who
    /// may change an existing customer's owners is [`Self::edits`]' rule.
    pub(super) async fn check_owners(&self, owners: &[i64]) -> Result<()> {
        for u in owners {
            let status: Option<String> =
                sqlx::query_scalar("SELECT status FROM users WHERE id = $1")
                    .bind(u)
                    .fetch_optional(&self.pool)
                    .await?;
            if status.as_deref() != Some("active") {
                return Err(DomainError::field("owners", "invalid_choice").into());
            }
        }
        Ok(())
    }

    /// Claims (占有) a customer of the shared pool, within the role's daily quota.
    pub async fn claim_customer(&self, ctx: Ctx<'_>, id: i64) -> Result<()> {
        let c = self.get_customer(ctx.actor, id).await?.customer;
        if c.sharing != Sharing::Shared.code() {
            return Err(DomainError::refused("not_in_pool", 0).into());
        }
        let quota: i64 = sqlx::query_scalar(
            "SELECT r.daily_claim_quota FROM users u JOIN roles r ON r.id = u.role_id WHERE u.id = $1",
        )
        .bind(ctx.actor.user_id)
        .fetch_one(&self.pool)
        .await?;
        let zone = self.settings_unchecked().await?.time_zone;
        let t = now();
        let day_start = zone.day_start(zone.today(t));
        let mut tx = self.begin().await?;
        crate::pipeline::check_claim(&mut tx, ctx.actor.user_id, id, &c.stage).await?;
        // One claim of a user at a time, so that two at once cannot both pass the count:
        // PostgreSQL locks the user's row until commit (READ COMMITTED would otherwise
        // let both count the same number); SQLite's BEGIN IMMEDIATE already serialises.
        if self.backend() == crate::Backend::Postgres {
            sqlx::query("SELECT id FROM users WHERE id = $1 FOR UPDATE")
                .bind(ctx.actor.user_id)
                .fetch_optional(&mut *tx)
                .await?;
        }
        let today: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM customer_owner_log WHERE user_id = $1 AND action = 'claim' AND at >= $2",
        )
        .bind(ctx.actor.user_id)
        .bind(day_start)
        .fetch_one(&mut *tx)
        .await?;
        if today >= quota {
            return Err(DomainError::refused("claim_quota", quota).into());
        }
        // Only if still in the pool: two people claiming at once, one wins.
        let taken = sqlx::query(
            "UPDATE customers SET sharing = 'personal', updated_at = $1 WHERE id = $2 AND sharing = 'shared'",
        )
        .bind(t)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if taken == 0 {
            return Err(DomainError::refused("not_in_pool", 0).into());
        }
        set_owners(&mut tx, id, &[ctx.actor.user_id], t).await?;
        log_owners(
            &mut tx,
            id,
            ctx.actor.user_id,
            "claim",
            &[],
            &[ctx.actor.user_id],
        )
        .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "customer.claim",
                entity: "customer",
                entity_id: Some(id),
                summary: &c.name,
                details: json!({}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Releases (释放) a customer into the shared pool: an owner, or a manager over one.
    pub async fn release_customer(&self, ctx: Ctx<'_>, id: i64) -> Result<()> {
        let c = self.editable(ctx.actor, id).await?.customer;
        self.change_owners(ctx, &c, &[], "release").await
    }

    /// Gives a customer to other owners (one: personal; several: collaborative).
    pub async fn transfer_customer(&self, ctx: Ctx<'_>, id: i64, to: &[i64]) -> Result<()> {
        let c = self.editable(ctx.actor, id).await?.customer;
        let mut to = to.to_vec();
        to.sort_unstable();
        to.dedup();
        if to.is_empty() {
            return Err(DomainError::field("owners", "required").into());
        }
        self.check_owners(&to).await?;
        self.change_owners(ctx, &c, &to, "transfer").await
    }

    async fn change_owners(
        &self,
        ctx: Ctx<'_>,
        c: &Customer,
        to: &[i64],
        action: &'static str,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        change_owners_in(&mut tx, ctx, c, to, action).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Active staff as (id, name), for choosing owners.
    pub async fn active_staff(&self, actor: &Actor) -> Result<Vec<(i64, String)>> {
        actor.require(Permission::Customers)?;
        Ok(sqlx::query_as::<_, (i64, String)>(
            "SELECT id, name FROM users WHERE status = 'active' ORDER BY name",
        )
        .fetch_all(&self.pool)
        .await?)
    }
}

pub(crate) async fn set_owners(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    customer_id: i64,
    owners: &[i64],
    t: i64,
) -> Result<()> {
    sqlx::query("DELETE FROM customer_owners WHERE customer_id = $1")
        .bind(customer_id)
        .execute(&mut **tx)
        .await?;
    for u in owners {
        sqlx::query(
            "INSERT INTO customer_owners (customer_id, user_id, since) VALUES ($1, $2, $3)",
        )
        .bind(customer_id)
        .bind(u)
        .bind(t)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

pub(crate) async fn log_owners(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    customer_id: i64,
    by: i64,
    action: &str,
    before: &[i64],
    after: &[i64],
) -> Result<()> {
    let list = |v: &[i64]| v.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    sqlx::query(
        "INSERT INTO customer_owner_log (customer_id, at, user_id, action, before_owners, after_owners) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(customer_id)
    .bind(now())
    .bind(by)
    .bind(action)
    .bind(list(before))
    .bind(list(after))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Gives a customer to `to` inside the caller's transaction: owners, the owner log and
/// the audit entry (a transfer request's approval shares its transaction).
pub(crate) async fn change_owners_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    ctx: Ctx<'_>,
    c: &Customer,
    to: &[i64],
    action: &'static str,
) -> Result<()> {
    let before: Vec<i64> = c.owners.iter().map(|o| o.0).collect();
    let t = now();
    sqlx::query("UPDATE customers SET sharing = $1, updated_at = $2 WHERE id = $3")
        .bind(Sharing::for_owners(to.len()).code())
        .bind(t)
        .bind(c.id)
        .execute(&mut **tx)
        .await?;
    set_owners(tx, c.id, to, t).await?;
    log_owners(tx, c.id, ctx.actor.user_id, action, &before, to).await?;
    audit::record(
        tx,
        ctx,
        Entry {
            action: if action == "release" {
                "customer.release"
            } else {
                "customer.transfer"
            },
            entity: "customer",
            entity_id: Some(c.id),
            summary: &c.name,
            details: json!({ "before": before, "after": to }),
        },
    )
    .await
}

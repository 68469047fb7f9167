//! A role's per-stage rights (PIPE-8): the stored row where an admin changed them, else
//! core's preset for the role.

use serde_json::json;
use wharf_core::pipeline::{EditRight, StageRights, StageRole, is_known_key};
use wharf_core::{Actor, DomainError, Permission};

use crate::audit::{self, Entry};
use crate::rows::{int, opt_int, opt_text, text};
use crate::{Ctx, Result, Store};

/// The rights of a user's role in a stage role, inside a transaction.
pub(crate) async fn rights_of_user(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user_id: i64,
    stage: StageRole,
) -> Result<StageRights> {
    let role = sqlx::query(
        "SELECT r.id, r.code FROM users u JOIN roles r ON r.id = u.role_id WHERE u.id = $1",
    )
    .bind(user_id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(DomainError::Denied)?;
    let role_id = int(&role, "id")?;
    let code = opt_text(&role, "code")?;
    let stored = sqlx::query(
        "SELECT edit_fields, may_claim, may_promote, may_demote, hold_quota FROM role_stage_rights \
         WHERE role_id = $1 AND stage_role = $2",
    )
    .bind(role_id)
    .bind(stage.code())
    .fetch_optional(&mut **tx)
    .await?;
    Ok(match stored {
        Some(r) => rights_of_row(&r)?,
        None => StageRights::preset(code.as_deref(), stage),
    })
}

fn rights_of_row(r: &sqlx::any::AnyRow) -> sqlx::Result<StageRights> {
    Ok(StageRights {
        edit: EditRight::from_text(&text(r, "edit_fields")?),
        may_claim: int(r, "may_claim")? != 0,
        may_promote: int(r, "may_promote")? != 0,
        may_demote: int(r, "may_demote")? != 0,
        hold_quota: opt_int(r, "hold_quota")?,
    })
}

impl Store {
    /// A role's rights in each stage role (stored or preset), for the roles page.
    pub async fn role_stage_rights(
        &self,
        actor: &Actor,
        role_id: i64,
    ) -> Result<Vec<(StageRole, StageRights)>> {
        actor.require(Permission::SystemAdmin)?;
        let code: Option<Option<String>> =
            sqlx::query_scalar("SELECT code FROM roles WHERE id = $1")
                .bind(role_id)
                .fetch_optional(&self.pool)
                .await?;
        let code = code.ok_or(DomainError::NotFound)?;
        let mut out = Vec::new();
        for stage in StageRole::ALL {
            let stored = sqlx::query(
                "SELECT edit_fields, may_claim, may_promote, may_demote, hold_quota FROM role_stage_rights \
                 WHERE role_id = $1 AND stage_role = $2",
            )
            .bind(role_id)
            .bind(stage.code())
            .fetch_optional(&self.pool)
            .await?;
            let rights = match stored {
                Some(r) => rights_of_row(&r)?,
                None => StageRights::preset(code.as_deref(), stage),
            };
            out.push((stage, rights));
        }
        Ok(out)
    }

    /// Stores a role's rights in one stage role (an admin's change of the defaults).
    pub async fn set_role_stage_rights(
        &self,
        ctx: Ctx<'_>,
        role_id: i64,
        stage: StageRole,
        rights: &StageRights,
    ) -> Result<()> {
        ctx.actor.require(Permission::SystemAdmin)?;
        let name: Option<String> = sqlx::query_scalar("SELECT name_en FROM roles WHERE id = $1")
            .bind(role_id)
            .fetch_optional(&self.pool)
            .await?;
        let name = name.ok_or(DomainError::NotFound)?;
        if let EditRight::Fields(keys) = &rights.edit
            && !keys.iter().all(|k| is_known_key(k))
        {
            return Err(DomainError::field("edit_fields", "invalid_choice").into());
        }
        StageRights::check_quota(rights.hold_quota)?;
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM role_stage_rights WHERE role_id = $1 AND stage_role = $2")
            .bind(role_id)
            .bind(stage.code())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO role_stage_rights (role_id, stage_role, edit_fields, may_claim, may_promote, may_demote, hold_quota) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(role_id)
        .bind(stage.code())
        .bind(rights.edit.to_text())
        .bind(i64::from(rights.may_claim))
        .bind(i64::from(rights.may_promote))
        .bind(i64::from(rights.may_demote))
        .bind(rights.hold_quota)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "role.stage_rights",
                entity: "role",
                entity_id: Some(role_id),
                summary: &name,
                details: json!({
                    "stage": stage.code(),
                    "edit": rights.edit.to_text(),
                    "claim": rights.may_claim,
                    "promote": rights.may_promote,
                    "demote": rights.may_demote,
                    "hold_quota": rights.hold_quota,
                }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Refuses one more customer for `user_id` in a stage of role `stage` when the user's
/// role has a hold quota there and the customers they hold in such stages (any pipeline,
/// `except` the one being moved or claimed) already reach it.
pub(crate) async fn check_hold(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user_id: i64,
    stage: StageRole,
    except: i64,
) -> Result<()> {
    let rights = rights_of_user(tx, user_id, stage).await?;
    if rights.hold_quota.is_none() {
        return Ok(());
    }
    let held: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM customer_owners o JOIN customers c ON c.id = o.customer_id \
         JOIN pipeline_stages s ON s.key = c.stage \
         WHERE o.user_id = $1 AND s.role = $2 AND c.id <> $3",
    )
    .bind(user_id)
    .bind(stage.code())
    .bind(except)
    .fetch_one(&mut **tx)
    .await?;
    Ok(rights.check_hold(held)?)
}

//! Changing a customer's stage (promote / demote, through core's rules and the actor's
//! rights; demoting into reserve releases it to the pool) and its flag, each in one
//! transaction with its log row and audit entry; and the check every customer save goes
//! through (per-stage field rights, a stage changed in the form is a move too).

use serde_json::json;
use wharf_core::customers::{CustomerInput, Sharing};
use wharf_core::pipeline::{Flag, MoveEffect, StageRole, plan_move};
use wharf_core::{Actor, DomainError};

use super::log;
use super::rights::{check_hold, rights_of_user};
use super::stages::{PipelineStage, stage_by_key};
use crate::audit::{self, Entry};
use crate::customers::Customer;
use crate::db::now;
use crate::{Ctx, Result, Store};

/// Where a customer stands: its stage, flag and the stages of its pipeline.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CustomerStage {
    pub customer_id: i64,
    pub pipeline_id: i64,
    pub stage: PipelineStage,
    pub flag: String,
    /// The stages it may move to (its pipeline's), lowest first.
    pub stages: Vec<PipelineStage>,
    pub may_edit: bool,
    /// The actor's role may promote / demote out of this stage (besides `may_edit`).
    pub may_promote: bool,
    pub may_demote: bool,
}

async fn known_stage(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    key: &str,
) -> Result<PipelineStage> {
    stage_by_key(tx, key)
        .await?
        .ok_or_else(|| DomainError::field("stage", "invalid_choice").into())
}

/// Moves `c` from `from` to `to` inside `tx`: the rules, the stage, its first flag, the
/// release on a demote into reserve, the log row and the audit entry.
async fn apply_move(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    ctx: Ctx<'_>,
    c: &Customer,
    (from, to): (&str, &str),
    reason: &str,
) -> Result<MoveEffect> {
    let from_stage = known_stage(tx, from).await?;
    let to_stage = known_stage(tx, to).await?;
    let rights = rights_of_user(tx, ctx.actor.user_id, from_stage.stage_role()?).await?;
    let effect = plan_move(&from_stage.as_ref()?, &to_stage.as_ref()?, &rights)?;
    // Each owner keeps within their role's hold quota of the stage it moves into.
    let to_role = to_stage.stage_role()?;
    if !effect.release && to_role != from_stage.stage_role()? {
        for (owner, _) in &c.owners {
            check_hold(tx, *owner, to_role, c.id).await?;
        }
    }
    let t = now();
    sqlx::query(
        "UPDATE customers SET stage = $1, stage_flag = $2, pipeline_id = $3, updated_at = $4 WHERE id = $5",
    )
    .bind(to)
    .bind(effect.flag.code())
    .bind(to_stage.pipeline_id)
    .bind(t)
    .bind(c.id)
    .execute(&mut **tx)
    .await?;
    if effect.release && c.sharing != Sharing::Shared.code() {
        let before: Vec<i64> = c.owners.iter().map(|o| o.0).collect();
        sqlx::query("UPDATE customers SET sharing = $1 WHERE id = $2")
            .bind(Sharing::Shared.code())
            .bind(c.id)
            .execute(&mut **tx)
            .await?;
        crate::customers::set_owners(tx, c.id, &[], t).await?;
        crate::customers::log_owners(tx, c.id, ctx.actor.user_id, "release", &before, &[]).await?;
    }
    log::write(tx, c.id, ctx.actor.user_id, "stage", (from, to), reason).await?;
    audit::record(
        tx,
        ctx,
        Entry {
            action: "customer.stage",
            entity: "customer",
            entity_id: Some(c.id),
            summary: &c.name,
            details: json!({
                "from": from,
                "to": to,
                "move": effect.direction.code(),
                "released": effect.release,
                "reason": reason,
            }),
        },
    )
    .await?;
    Ok(effect)
}

/// For opportunities (issue 18, `deals`), inside the opportunity's transaction: a selling
/// opportunity makes its customer an opportunity customer (seed 003). A customer below
/// its pipeline's opportunity stage is promoted there through the same rules, rights and
/// log as any move (a role that may not promote out of the stage is refused, and nothing
/// is written); one at or past it stays. Returns whether it moved.
pub(crate) async fn promote_to_opportunity(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    ctx: Ctx<'_>,
    c: &Customer,
) -> Result<bool> {
    let (stage, pipeline_id): (String, i64) =
        sqlx::query_as("SELECT stage, pipeline_id FROM customers WHERE id = $1")
            .bind(c.id)
            .fetch_one(&mut **tx)
            .await?;
    if known_stage(tx, &stage).await?.stage_role()? >= StageRole::Opportunity {
        return Ok(false);
    }
    let to: Option<String> = sqlx::query_scalar(
        "SELECT key FROM pipeline_stages WHERE pipeline_id = $1 AND role = 'opportunity' ORDER BY position LIMIT 1",
    )
    .bind(pipeline_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(to) = to else {
        return Ok(false);
    };
    apply_move(tx, ctx, c, (&stage, &to), "opportunity").await?;
    Ok(true)
}

/// For orders (issue 18, `orders`), inside the order's transaction: the first order of a
/// customer makes it a won customer (成交客户, seed 003). A customer below its pipeline's
/// won stage is promoted there through the same rules, rights and log as any move (a
/// role that may not promote out of its stage is refused, and nothing is written).
/// Returns whether it moved.
pub(crate) async fn promote_to_won(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    ctx: Ctx<'_>,
    c: &Customer,
) -> Result<bool> {
    let (stage, pipeline_id): (String, i64) =
        sqlx::query_as("SELECT stage, pipeline_id FROM customers WHERE id = $1")
            .bind(c.id)
            .fetch_one(&mut **tx)
            .await?;
    if known_stage(tx, &stage).await?.stage_role()? >= StageRole::Won {
        return Ok(false);
    }
    let to: Option<String> = sqlx::query_scalar(
        "SELECT key FROM pipeline_stages WHERE pipeline_id = $1 AND role = 'won' ORDER BY position LIMIT 1",
    )
    .bind(pipeline_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(to) = to else {
        return Ok(false);
    };
    apply_move(tx, ctx, c, (&stage, &to), "order").await?;
    Ok(true)
}

/// Called by the customer save inside its transaction, after the fields are written:
/// refuses a field the actor's role may not change in this stage, and turns a changed
/// stage into a move (rules, flag, release, log).
pub(crate) async fn after_customer_save(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    ctx: Ctx<'_>,
    before: &Customer,
    after: &CustomerInput,
    changed: &[String],
) -> Result<()> {
    let stage = known_stage(tx, &before.stage).await?;
    let rights = rights_of_user(tx, ctx.actor.user_id, stage.stage_role()?).await?;
    rights.check_changes(changed)?;
    if before.stage != after.stage {
        apply_move(tx, ctx, before, (&before.stage, &after.stage), "").await?;
    }
    Ok(())
}

impl Store {
    /// A customer's stage, flag and the stages of its pipeline.
    pub async fn customer_stage(&self, actor: &Actor, id: i64) -> Result<CustomerStage> {
        let d = self.get_customer(actor, id).await?;
        let (pipeline_id, flag): (i64, String) =
            sqlx::query_as("SELECT pipeline_id, stage_flag FROM customers WHERE id = $1")
                .bind(id)
                .fetch_one(&self.pool)
                .await?;
        let pipeline = self
            .pipelines(actor)
            .await?
            .into_iter()
            .find(|p| p.id == pipeline_id)
            .ok_or(DomainError::NotFound)?;
        let stage = pipeline
            .stages
            .iter()
            .find(|s| s.key == d.customer.stage)
            .cloned()
            .ok_or_else(|| DomainError::field("stage", "invalid_choice"))?;
        // A plain (deferred) transaction: this only reads.
        let mut tx = self.pool.begin().await?;
        let rights = rights_of_user(&mut tx, actor.user_id, stage.stage_role()?).await?;
        tx.rollback().await?;
        Ok(CustomerStage {
            customer_id: id,
            pipeline_id,
            stage,
            flag,
            stages: pipeline.stages,
            may_edit: d.may_edit,
            may_promote: d.may_edit && rights.may_promote,
            may_demote: d.may_edit && rights.may_demote,
        })
    }

    /// Promotes or demotes a customer to the stage `to` (a key of its pipeline), with an
    /// optional reason; returns what the move did.
    pub async fn change_stage(
        &self,
        ctx: Ctx<'_>,
        id: i64,
        to: &str,
        reason: &str,
    ) -> Result<MoveEffect> {
        let c = self.editable(ctx.actor, id).await?.customer;
        let reason = checked_reason(reason)?;
        let mut tx = self.begin().await?;
        // The stage as it is now, the row held until commit (PostgreSQL; SQLite's
        // BEGIN IMMEDIATE already serialises): two moves at once log true "from"s.
        let lock = if self.backend() == crate::Backend::Postgres {
            " FOR UPDATE"
        } else {
            ""
        };
        let from: String = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT stage FROM customers WHERE id = $1{lock}"
        )))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let effect = apply_move(&mut tx, ctx, &c, (&from, to), &reason).await?;
        tx.commit().await?;
        Ok(effect)
    }

    /// Sets a customer's flag (contacted / not contacted, tracking / paused); the flag
    /// must belong to its stage's role.
    pub async fn set_stage_flag(
        &self,
        ctx: Ctx<'_>,
        id: i64,
        flag: &str,
        reason: &str,
    ) -> Result<()> {
        let c = self.editable(ctx.actor, id).await?.customer;
        let reason = checked_reason(reason)?;
        let flag = Flag::from_code(flag).ok_or(DomainError::field("flag", "invalid_choice"))?;
        let mut tx = self.begin().await?;
        let stage = known_stage(&mut tx, &c.stage).await?;
        if !stage.stage_role()?.has_flag(flag) {
            return Err(DomainError::field("flag", "invalid_choice").into());
        }
        let before: String = sqlx::query_scalar("SELECT stage_flag FROM customers WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        if before == flag.code() {
            return Ok(());
        }
        sqlx::query("UPDATE customers SET stage_flag = $1, updated_at = $2 WHERE id = $3")
            .bind(flag.code())
            .bind(now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        log::write(
            &mut tx,
            id,
            ctx.actor.user_id,
            "flag",
            (&before, flag.code()),
            &reason,
        )
        .await?;
        if flag == Flag::Paused {
            // Seed 003: a customer's tracking paused pauses its opportunities.
            crate::deals::pause_for_customer(&mut tx, ctx.actor.user_id, id).await?;
        }
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "customer.flag",
                entity: "customer",
                entity_id: Some(id),
                summary: &c.name,
                details: json!({ "from": before, "to": flag.code(), "reason": reason }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// A reason is optional text of at most 500 characters.
fn checked_reason(reason: &str) -> Result<String> {
    let mut e = wharf_core::validate::FieldErrors::default();
    let reason = e.text("reason", reason, false, 500);
    e.into_result()?;
    Ok(reason)
}

/// Refuses a claim (占有) from the pool where the actor's role may not claim in the
/// customer's stage.
pub(crate) async fn check_claim(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user_id: i64,
    customer_id: i64,
    stage: &str,
) -> Result<()> {
    let stage = known_stage(tx, stage).await?;
    let role = stage.stage_role()?;
    if !rights_of_user(tx, user_id, role).await?.may_claim {
        return Err(DomainError::refused("stage_claim_denied", 0).into());
    }
    check_hold(tx, user_id, role, customer_id).await
}

impl Store {
    /// The flags of these customers (those the actor may see; the list shows them).
    pub async fn stage_flags(
        &self,
        actor: &Actor,
        ids: &[i64],
    ) -> Result<std::collections::HashMap<i64, String>> {
        actor.require(wharf_core::Permission::Customers)?;
        if ids.is_empty() {
            return Ok(Default::default());
        }
        let ids = &ids[..ids.len().min(500)];
        let (visible, values) = crate::customers::visible_condition(actor, 1);
        let list = crate::rows::placeholders(values.len() + 1, ids.len());
        let mut q = sqlx::query_as::<_, (i64, String)>(sqlx::AssertSqlSafe(format!(
            "SELECT c.id, c.stage_flag FROM customers c WHERE {visible} AND c.id IN ({list})"
        )));
        for v in values.iter().chain(ids) {
            q = q.bind(*v);
        }
        Ok(q.fetch_all(&self.pool).await?.into_iter().collect())
    }
}

/// For contact records (issue 18, `trail`): inside the record's transaction, marks a
/// reserve or target customer "contacted" (logged like any flag change); any other
/// stage, or one contacted already, is left as it is.
pub(crate) async fn mark_contacted(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    by: i64,
    customer_id: i64,
) -> Result<bool> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT stage, stage_flag FROM customers WHERE id = $1")
            .bind(customer_id)
            .fetch_optional(&mut **tx)
            .await?;
    let Some((stage, flag)) = row else {
        return Ok(false);
    };
    if flag != Flag::NotContacted.code() {
        return Ok(false);
    }
    let stage = known_stage(tx, &stage).await?;
    if !stage.stage_role()?.has_flag(Flag::Contacted) {
        return Ok(false);
    }
    sqlx::query("UPDATE customers SET stage_flag = $1 WHERE id = $2")
        .bind(Flag::Contacted.code())
        .bind(customer_id)
        .execute(&mut **tx)
        .await?;
    log::write(
        tx,
        customer_id,
        by,
        "flag",
        (Flag::NotContacted.code(), Flag::Contacted.code()),
        "",
    )
    .await?;
    Ok(true)
}

impl Store {
    /// Marks a reserve or target customer "contacted" after a contact outside Wharf's
    /// records (a call, a visit); what a contact record does in its own transaction.
    /// Returns whether the flag changed.
    pub async fn note_contacted(&self, ctx: Ctx<'_>, id: i64) -> Result<bool> {
        let c = self.editable(ctx.actor, id).await?.customer;
        let mut tx = self.begin().await?;
        let changed = mark_contacted(&mut tx, ctx.actor.user_id, id).await?;
        if changed {
            audit::record(
                &mut tx,
                ctx,
                Entry {
                    action: "customer.flag",
                    entity: "customer",
                    entity_id: Some(id),
                    summary: &c.name,
                    details: json!({ "from": Flag::NotContacted.code(), "to": Flag::Contacted.code() }),
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(changed)
    }
}

/// Puts newly inserted customers in the pipeline of their stage (a stage of a customer
/// pipeline, else the whole insert is refused: the registry takes any key, the stages are
/// data) and gives them its first flag (tracking from prospect on; the column's default,
/// not contacted, fits reserve and target).
pub(crate) async fn fit_new_customers(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    ids: &[i64],
) -> Result<()> {
    for chunk in ids.chunks(500) {
        let list = crate::rows::placeholders(1, chunk.len());
        let mut q = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM customers WHERE id IN ({list}) AND stage NOT IN \
             (SELECT s.key FROM pipeline_stages s JOIN pipelines p ON p.id = s.pipeline_id \
             WHERE p.applies_to = 'customers')"
        )));
        for id in chunk {
            q = q.bind(*id);
        }
        if q.fetch_one(&mut **tx).await? > 0 {
            return Err(DomainError::field("stage", "invalid_choice").into());
        }
        let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE customers SET pipeline_id = (SELECT s.pipeline_id FROM pipeline_stages s \
             WHERE s.key = customers.stage) WHERE id IN ({list})"
        )));
        for id in chunk {
            q = q.bind(*id);
        }
        q.execute(&mut **tx).await?;
        let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE customers SET stage_flag = 'tracking' WHERE id IN ({list}) AND stage IN \
             (SELECT key FROM pipeline_stages WHERE role IN ('prospect', 'opportunity', 'won'))"
        )));
        for id in chunk {
            q = q.bind(*id);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

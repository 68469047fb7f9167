//! An admin's setting up of customer pipelines (PIPE-1): a second sales method with its
//! own stages, stages added, reordered and deleted (its customers moved to a stage the
//! admin picks, each move in the stage log), a pipeline without customers deleted. Each
//! change in one transaction with its audit entry.

use serde_json::json;
use wharf_core::pipeline::{DEFAULT_STAGES, StageRole};
use wharf_core::validate::FieldErrors;
use wharf_core::{DomainError, Permission};

use super::admin::StageEdit;
use super::log;
use super::stages::{PipelineStage, stage_by_id};
use crate::audit::{self, Entry};
use crate::db::now;
use crate::{Ctx, Result, Store};

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// A pipeline's names as entered.
#[derive(Debug, Clone, Default)]
pub struct PipelineEdit {
    pub name_en: String,
    pub name_zh: String,
}

/// The pipeline's `applies_to`, or not found.
async fn applies_to(tx: &mut Tx, id: i64) -> Result<String> {
    let a: Option<String> = sqlx::query_scalar("SELECT applies_to FROM pipelines WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    a.ok_or_else(|| DomainError::NotFound.into())
}

/// A customer pipeline's stages, lowest first.
async fn stages_of(tx: &mut Tx, pipeline_id: i64) -> Result<Vec<PipelineStage>> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM pipeline_stages WHERE pipeline_id = $1 ORDER BY position, id",
    )
    .bind(pipeline_id)
    .fetch_all(&mut **tx)
    .await?;
    let mut out = Vec::new();
    for id in ids {
        out.extend(stage_by_id(tx, id).await?);
    }
    Ok(out)
}

/// Whether stages in this order keep seed 003's order of roles (reserve first, won last):
/// a move's direction is its position, its effects are its role.
fn roles_in_order(stages: &[PipelineStage]) -> Result<bool> {
    let mut last = StageRole::Reserve;
    for s in stages {
        let r = s.stage_role()?;
        if r < last {
            return Ok(false);
        }
        last = r;
    }
    Ok(true)
}

/// Writes positions 1, 2, … in this order.
async fn renumber(tx: &mut Tx, stages: &[PipelineStage]) -> Result<()> {
    for (i, s) in stages.iter().enumerate() {
        sqlx::query("UPDATE pipeline_stages SET position = $1 WHERE id = $2")
            .bind(i as i64 + 1)
            .bind(s.id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

impl Store {
    /// Adds a customer pipeline (a second sales method); its stages are added one by one.
    pub async fn create_pipeline(&self, ctx: Ctx<'_>, edit: PipelineEdit) -> Result<i64> {
        ctx.actor.require(Permission::SystemAdmin)?;
        let mut e = FieldErrors::default();
        let name_en = e.text("name_en", &edit.name_en, true, 60);
        let name_zh = e.text("name_zh", &edit.name_zh, true, 60);
        e.into_result()?;
        let mut tx = self.begin().await?;
        let position: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(position), 0) + 1 FROM pipelines")
                .fetch_one(&mut *tx)
                .await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO pipelines (name_en, name_zh, position, is_default, created_at, applies_to) \
             VALUES ($1, $2, $3, 0, $4, 'customers') RETURNING id",
        )
        .bind(&name_en)
        .bind(&name_zh)
        .bind(position)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "pipeline.create",
                entity: "pipeline",
                entity_id: Some(id),
                summary: &name_en,
                details: json!({ "name_en": name_en, "name_zh": name_zh }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Adds a stage behaving as `role` to a customer pipeline, after its last stage of
    /// that role or a lower one; returns its id. Its key is made up (`p<pipeline>_<n>`).
    pub async fn add_stage(
        &self,
        ctx: Ctx<'_>,
        pipeline_id: i64,
        role: &str,
        edit: StageEdit,
    ) -> Result<i64> {
        ctx.actor.require(Permission::SystemAdmin)?;
        let role =
            StageRole::from_code(role).ok_or(DomainError::field("role", "invalid_choice"))?;
        let edit = edit.checked()?;
        let mut tx = self.begin().await?;
        if applies_to(&mut tx, pipeline_id).await? != "customers" {
            return Err(DomainError::NotFound.into());
        }
        let mut stages = stages_of(&mut tx, pipeline_id).await?;
        let at = stages
            .iter()
            .rposition(|s| s.stage_role().is_ok_and(|r| r <= role))
            .map_or(0, |i| i + 1);
        let mut n = stages.len() as i64 + 1;
        let key = loop {
            let key = format!("p{pipeline_id}_{n}");
            let taken: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM pipeline_stages WHERE key = $1")
                    .bind(&key)
                    .fetch_one(&mut *tx)
                    .await?;
            if taken == 0 {
                break key;
            }
            n += 1;
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO pipeline_stages (pipeline_id, key, role, label_en, label_zh, position, probability, rotting_days) \
             VALUES ($1, $2, $3, $4, $5, 0, $6, $7) RETURNING id",
        )
        .bind(pipeline_id)
        .bind(&key)
        .bind(role.code())
        .bind(&edit.label_en)
        .bind(&edit.label_zh)
        .bind(edit.probability)
        .bind(edit.rotting_days)
        .fetch_one(&mut *tx)
        .await?;
        let added = stage_by_id(&mut tx, id)
            .await?
            .ok_or(DomainError::NotFound)?;
        stages.insert(at, added);
        renumber(&mut tx, &stages).await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "pipeline.stage_add",
                entity: "pipeline_stage",
                entity_id: Some(id),
                summary: &key,
                details: json!({
                    "pipeline": pipeline_id,
                    "role": role.code(),
                    "label_en": edit.label_en,
                    "label_zh": edit.label_zh,
                }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Moves a stage one place up (`up`) or down in its pipeline; refused where it would
    /// put a stage before one of a lower role (seed 003's order).
    pub async fn reorder_stage(&self, ctx: Ctx<'_>, stage_id: i64, up: bool) -> Result<()> {
        ctx.actor.require(Permission::SystemAdmin)?;
        let mut tx = self.begin().await?;
        let stage = stage_by_id(&mut tx, stage_id)
            .await?
            .ok_or(DomainError::NotFound)?;
        if applies_to(&mut tx, stage.pipeline_id).await? != "customers" {
            return Err(DomainError::NotFound.into());
        }
        let mut stages = stages_of(&mut tx, stage.pipeline_id).await?;
        let i = stages
            .iter()
            .position(|s| s.id == stage_id)
            .ok_or(DomainError::NotFound)?;
        let j = if up {
            i.checked_sub(1)
        } else {
            Some(i + 1).filter(|j| *j < stages.len())
        };
        let Some(j) = j else {
            return Err(DomainError::refused("stage_at_end", 0).into());
        };
        stages.swap(i, j);
        if !roles_in_order(&stages)? {
            return Err(DomainError::refused("stage_role_order", 0).into());
        }
        renumber(&mut tx, &stages).await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "pipeline.stage_order",
                entity: "pipeline_stage",
                entity_id: Some(stage_id),
                summary: &stage.key,
                details: json!({ "up": up }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes a stage of a customer pipeline. Its customers move to `target` (a stage of
    /// the same pipeline, required when there are any), each with its first flag and a
    /// row in its stage log; the default pipeline's five seeded stages stay. Returns how
    /// many customers moved.
    pub async fn delete_stage(
        &self,
        ctx: Ctx<'_>,
        stage_id: i64,
        target: Option<i64>,
    ) -> Result<i64> {
        ctx.actor.require(Permission::SystemAdmin)?;
        let mut tx = self.begin().await?;
        let stage = stage_by_id(&mut tx, stage_id)
            .await?
            .ok_or(DomainError::NotFound)?;
        if applies_to(&mut tx, stage.pipeline_id).await? != "customers" {
            return Err(DomainError::NotFound.into());
        }
        if DEFAULT_STAGES.iter().any(|d| d.0 == stage.key) {
            return Err(DomainError::refused("stage_builtin", 0).into());
        }
        let customers: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, sharing FROM customers WHERE stage = $1 ORDER BY id")
                .bind(&stage.key)
                .fetch_all(&mut *tx)
                .await?;
        let target = match target {
            Some(t) => Some(
                stage_by_id(&mut tx, t)
                    .await?
                    .ok_or(DomainError::field("target", "invalid_choice"))?,
            ),
            None => None,
        };
        if let Some(t) = &target {
            if t.id == stage.id {
                return Err(DomainError::field("target", "invalid_choice").into());
            }
            if t.pipeline_id != stage.pipeline_id {
                return Err(DomainError::refused("stage_other_pipeline", 0).into());
            }
        }
        if !customers.is_empty() {
            let Some(t) = &target else {
                return Err(
                    DomainError::refused("stage_target_required", customers.len() as i64).into(),
                );
            };
            let role = t.stage_role()?;
            let release = role == StageRole::Reserve;
            let at = now();
            for (id, sharing) in &customers {
                sqlx::query(
                    "UPDATE customers SET stage = $1, stage_flag = $2, updated_at = $3 WHERE id = $4",
                )
                .bind(&t.key)
                .bind(role.first_flag().code())
                .bind(at)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                // Into reserve as any demote there: to the shared pool (seed 003).
                if release && sharing != "shared" {
                    let before: Vec<i64> = sqlx::query_scalar(
                        "SELECT user_id FROM customer_owners WHERE customer_id = $1",
                    )
                    .bind(id)
                    .fetch_all(&mut *tx)
                    .await?;
                    sqlx::query("UPDATE customers SET sharing = 'shared' WHERE id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    crate::customers::set_owners(&mut tx, *id, &[], at).await?;
                    crate::customers::log_owners(
                        &mut tx,
                        *id,
                        ctx.actor.user_id,
                        "release",
                        &before,
                        &[],
                    )
                    .await?;
                }
                log::write(
                    &mut tx,
                    *id,
                    ctx.actor.user_id,
                    "stage",
                    (&stage.key, &t.key),
                    "stage_deleted",
                )
                .await?;
            }
        }
        sqlx::query("DELETE FROM pipeline_stages WHERE id = $1")
            .bind(stage_id)
            .execute(&mut *tx)
            .await?;
        let rest = stages_of(&mut tx, stage.pipeline_id).await?;
        renumber(&mut tx, &rest).await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "pipeline.stage_delete",
                entity: "pipeline_stage",
                entity_id: Some(stage_id),
                summary: &stage.key,
                details: json!({
                    "moved": customers.len(),
                    "to": target.as_ref().map(|t| t.key.clone()),
                }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(customers.len() as i64)
    }

    /// Deletes a customer pipeline no customer is in (its stages with it); the default
    /// pipeline stays.
    pub async fn delete_pipeline(&self, ctx: Ctx<'_>, id: i64) -> Result<()> {
        ctx.actor.require(Permission::SystemAdmin)?;
        let mut tx = self.begin().await?;
        if applies_to(&mut tx, id).await? != "customers" {
            return Err(DomainError::NotFound.into());
        }
        let (name, default): (String, i64) =
            sqlx::query_as("SELECT name_en, is_default FROM pipelines WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
        if default != 0 {
            return Err(DomainError::refused("pipeline_default", 0).into());
        }
        let inside: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM customers WHERE pipeline_id = $1 OR stage IN \
             (SELECT key FROM pipeline_stages WHERE pipeline_id = $1)",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        if inside > 0 {
            return Err(DomainError::refused("pipeline_has_customers", inside).into());
        }
        sqlx::query("DELETE FROM pipeline_stages WHERE pipeline_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM pipelines WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "pipeline.delete",
                entity: "pipeline",
                entity_id: Some(id),
                summary: &name,
                details: json!({}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Moves a customer into a stage of another customer pipeline (a customer is in one
    /// pipeline at a time): the stage's first flag, logged as a stage change with the
    /// reason `pipeline`, audited. Into a reserve stage it goes to the shared pool.
    pub async fn change_pipeline(&self, ctx: Ctx<'_>, id: i64, stage_key: &str) -> Result<()> {
        let c = self.editable(ctx.actor, id).await?.customer;
        let mut tx = self.begin().await?;
        let to = super::stages::stage_by_key(&mut tx, stage_key)
            .await?
            .ok_or(DomainError::field("stage", "invalid_choice"))?;
        if applies_to(&mut tx, to.pipeline_id).await? != "customers" {
            return Err(DomainError::field("stage", "invalid_choice").into());
        }
        let from_pipeline: i64 =
            sqlx::query_scalar("SELECT pipeline_id FROM customers WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
        if from_pipeline == to.pipeline_id {
            return Err(DomainError::refused("pipeline_unchanged", 0).into());
        }
        let role = to.stage_role()?;
        if role != StageRole::Reserve {
            for (owner, _) in &c.owners {
                super::rights::check_hold(&mut tx, *owner, role, c.id).await?;
            }
        }
        let at = now();
        sqlx::query(
            "UPDATE customers SET stage = $1, stage_flag = $2, pipeline_id = $3, updated_at = $4 WHERE id = $5",
        )
        .bind(&to.key)
        .bind(role.first_flag().code())
        .bind(to.pipeline_id)
        .bind(at)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if role == StageRole::Reserve && c.sharing != "shared" {
            let before: Vec<i64> = c.owners.iter().map(|o| o.0).collect();
            sqlx::query("UPDATE customers SET sharing = 'shared' WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            crate::customers::set_owners(&mut tx, id, &[], at).await?;
            crate::customers::log_owners(&mut tx, id, ctx.actor.user_id, "release", &before, &[])
                .await?;
        }
        log::write(
            &mut tx,
            id,
            ctx.actor.user_id,
            "stage",
            (&c.stage, &to.key),
            "pipeline",
        )
        .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "customer.pipeline",
                entity: "customer",
                entity_id: Some(id),
                summary: &c.name,
                details: json!({ "from": c.stage, "to": to.key, "pipeline": to.pipeline_id }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

//! Reading the company's pipelines and their stages, lowest first.

use wharf_core::pipeline::{StageRef, StageRole};
use wharf_core::{Actor, DomainError, Permission};

use crate::rows::{int, opt_int, text};
use crate::{Result, Store};

/// A stage as stored (with how many customers are in it, where asked for).
#[derive(Debug, Clone, serde::Serialize)]
pub struct PipelineStage {
    pub id: i64,
    pub pipeline_id: i64,
    pub key: String,
    /// One of core's [`StageRole`] codes.
    pub role: String,
    pub label_en: String,
    pub label_zh: String,
    pub position: i64,
    pub probability: i64,
    pub rotting_days: Option<i64>,
    pub customers: i64,
}

impl PipelineStage {
    /// The label in a language (`zh-CN` or anything else for English).
    pub fn label(&self, locale: &str) -> &str {
        if locale.starts_with("zh") {
            &self.label_zh
        } else {
            &self.label_en
        }
    }

    pub(crate) fn as_ref(&self) -> Result<StageRef> {
        Ok(StageRef {
            pipeline_id: self.pipeline_id,
            key: self.key.clone(),
            role: self.stage_role()?,
            position: self.position,
        })
    }

    /// The role; a stored code core does not know is an error, not a guess.
    pub fn stage_role(&self) -> Result<StageRole> {
        StageRole::from_code(&self.role)
            .ok_or_else(|| DomainError::field("stage", "invalid_choice").into())
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Pipeline {
    pub id: i64,
    pub name_en: String,
    pub name_zh: String,
    pub is_default: bool,
    /// `customers` or `opportunities` (`wharf_core::deals::APPLIES_TO`).
    pub applies_to: String,
    pub stages: Vec<PipelineStage>,
}

const STAGE_SELECT: &str = "SELECT s.id, s.pipeline_id, s.key, s.role, s.label_en, s.label_zh, s.position, \
     s.probability, s.rotting_days, 0 AS customers FROM pipeline_stages s";

/// The same with how many customers are in each stage (the admin page; a count over
/// the customers, so not for every page).
const STAGE_SELECT_COUNTED: &str = "SELECT s.id, s.pipeline_id, s.key, s.role, s.label_en, s.label_zh, s.position, \
     s.probability, s.rotting_days, (SELECT COUNT(*) FROM customers c WHERE c.stage = s.key) \
     + (SELECT COUNT(*) FROM opportunities o WHERE o.stage_id = s.id) AS customers \
     FROM pipeline_stages s";

fn stage_of(r: &sqlx::any::AnyRow) -> sqlx::Result<PipelineStage> {
    Ok(PipelineStage {
        id: int(r, "id")?,
        pipeline_id: int(r, "pipeline_id")?,
        key: text(r, "key")?,
        role: text(r, "role")?,
        label_en: text(r, "label_en")?,
        label_zh: text(r, "label_zh")?,
        position: int(r, "position")?,
        probability: int(r, "probability")?,
        rotting_days: opt_int(r, "rotting_days")?,
        customers: int(r, "customers")?,
    })
}

/// One stage by key, inside a transaction.
pub(crate) async fn stage_by_key(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    key: &str,
) -> Result<Option<PipelineStage>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{STAGE_SELECT} WHERE s.key = $1"
    )))
    .bind(key)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.as_ref().map(stage_of).transpose()?)
}

/// One stage by id, inside a transaction.
pub(crate) async fn stage_by_id(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
) -> Result<Option<PipelineStage>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{STAGE_SELECT} WHERE s.id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.as_ref().map(stage_of).transpose()?)
}

impl Store {
    /// Every customer pipeline with its stages, the default first. Anyone working
    /// customers may read them (the stage bar, the lists, the API), and an admin who sets
    /// them up.
    pub async fn pipelines(&self, actor: &Actor) -> Result<Vec<Pipeline>> {
        let mut all = self.pipelines_read(actor, STAGE_SELECT).await?;
        all.retain(|p| p.applies_to == "customers");
        Ok(all)
    }

    /// The pipelines opportunities move through (issue 18, `deals`), with their stages.
    pub async fn opportunity_pipelines(&self, actor: &Actor) -> Result<Vec<Pipeline>> {
        let mut all = self.pipelines_read(actor, STAGE_SELECT).await?;
        all.retain(|p| p.applies_to == "opportunities");
        Ok(all)
    }

    /// Every pipeline (customers' and opportunities') with the number of customers or
    /// opportunities in each stage (all of them, whoever owns them: the admin page that
    /// sets the stages up).
    pub async fn pipelines_with_counts(&self, actor: &Actor) -> Result<Vec<Pipeline>> {
        actor.require(Permission::SystemAdmin)?;
        self.pipelines_read(actor, STAGE_SELECT_COUNTED).await
    }

    async fn pipelines_read(&self, actor: &Actor, select: &'static str) -> Result<Vec<Pipeline>> {
        if !actor.permissions.contains(&Permission::SystemAdmin) {
            actor.require(Permission::Customers)?;
        }
        let stages: Vec<PipelineStage> = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{select} ORDER BY s.pipeline_id, s.position, s.id"
        )))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(stage_of)
        .collect::<sqlx::Result<_>>()?;
        let rows = sqlx::query(
            "SELECT id, name_en, name_zh, is_default, applies_to FROM pipelines ORDER BY is_default DESC, position, id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            let id = int(r, "id")?;
            out.push(Pipeline {
                id,
                name_en: text(r, "name_en")?,
                name_zh: text(r, "name_zh")?,
                is_default: int(r, "is_default")? != 0,
                applies_to: text(r, "applies_to")?,
                stages: stages
                    .iter()
                    .filter(|s| s.pipeline_id == id)
                    .cloned()
                    .collect(),
            });
        }
        Ok(out)
    }
}

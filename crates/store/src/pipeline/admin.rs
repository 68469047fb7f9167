//! An admin's changes to a stage: labels in both languages, probability, rotting days.

use serde_json::json;
use wharf_core::validate::FieldErrors;
use wharf_core::{DomainError, Permission};

use crate::audit::{self, Entry};
use crate::{Ctx, Result, Store};

/// A stage's editable settings as entered.
#[derive(Debug, Clone, Default)]
pub struct StageEdit {
    pub label_en: String,
    pub label_zh: String,
    pub probability: i64,
    /// Days without contact after which a customer in this stage is "rotting".
    pub rotting_days: Option<i64>,
}

impl StageEdit {
    pub(super) fn checked(self) -> Result<StageEdit> {
        let mut e = FieldErrors::default();
        let label_en = e.text("label_en", &self.label_en, true, 60);
        let label_zh = e.text("label_zh", &self.label_zh, true, 60);
        if !(0..=100).contains(&self.probability) {
            e.add("probability", "out_of_range");
        }
        if self.rotting_days.is_some_and(|d| !(1..=3650).contains(&d)) {
            e.add("rotting_days", "out_of_range");
        }
        e.into_result()?;
        Ok(StageEdit {
            label_en,
            label_zh,
            ..self
        })
    }
}

impl Store {
    pub async fn update_stage(&self, ctx: Ctx<'_>, stage_id: i64, edit: StageEdit) -> Result<()> {
        ctx.actor.require(Permission::SystemAdmin)?;
        let edit = edit.checked()?;
        let mut tx = self.begin().await?;
        let key: Option<String> =
            sqlx::query_scalar("SELECT key FROM pipeline_stages WHERE id = $1")
                .bind(stage_id)
                .fetch_optional(&mut *tx)
                .await?;
        let key = key.ok_or(DomainError::NotFound)?;
        sqlx::query(
            "UPDATE pipeline_stages SET label_en = $1, label_zh = $2, probability = $3, rotting_days = $4 WHERE id = $5",
        )
        .bind(&edit.label_en)
        .bind(&edit.label_zh)
        .bind(edit.probability)
        .bind(edit.rotting_days)
        .bind(stage_id)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "pipeline.stage",
                entity: "pipeline_stage",
                entity_id: Some(stage_id),
                summary: &key,
                details: json!({
                    "label_en": edit.label_en,
                    "label_zh": edit.label_zh,
                    "probability": edit.probability,
                    "rotting_days": edit.rotting_days,
                }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

//! The stages an opportunity may stand in: those of a pipeline that applies to
//! opportunities (a customer stage is never one).

use wharf_core::DomainError;

use crate::Result;
use crate::rows::int;

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// An opportunity stage as the writes need it.
#[derive(Debug, Clone, Copy)]
pub(super) struct DealStage {
    pub id: i64,
    pub pipeline_id: i64,
    pub probability: i64,
}

const SELECT: &str = "SELECT s.id, s.pipeline_id, s.probability \
     FROM pipeline_stages s JOIN pipelines p ON p.id = s.pipeline_id WHERE p.applies_to = 'opportunities'";

fn stage(r: &sqlx::any::AnyRow) -> sqlx::Result<DealStage> {
    Ok(DealStage {
        id: int(r, "id")?,
        pipeline_id: int(r, "pipeline_id")?,
        probability: int(r, "probability")?,
    })
}

/// The stage `id`, or the first stage of the first opportunity pipeline when `None`; a
/// stage that is not an opportunity stage is a field error.
pub(super) async fn deal_stage(tx: &mut Tx, id: Option<i64>) -> Result<DealStage> {
    let row = match id {
        Some(id) => {
            sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} AND s.id = $1")))
                .bind(id)
                .fetch_optional(&mut **tx)
                .await?
        }
        None => {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "{SELECT} ORDER BY p.position, p.id, s.position, s.id LIMIT 1"
            )))
            .fetch_optional(&mut **tx)
            .await?
        }
    };
    match row {
        Some(r) => Ok(stage(&r)?),
        None => Err(DomainError::field("stage_id", "invalid_choice").into()),
    }
}

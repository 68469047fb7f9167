//! The admin's forms that set customer pipelines up (PIPE-1): a new pipeline, a stage
//! added, moved up or down, deleted (its customers to a stage picked in the form), an
//! empty pipeline deleted; and a customer moved into another pipeline.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use wharf_core::DomainError;
use wharf_store::pipeline::{PipelineEdit, StageEdit};

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;

/// A whole number of a form: empty is none.
fn number(form: &FormData, name: &'static str) -> Result<Option<i64>, AppError> {
    let v = form.get(name);
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    v.parse()
        .map(Some)
        .map_err(|_| AppError::Domain(DomainError::field(name, "not_a_number")))
}

/// POST /system/pipelines
pub async fn create(
    State(state): State<AppState>,
    req: Req,
    form: FormData,
) -> Result<Response, AppError> {
    let id = state
        .store
        .create_pipeline(
            req.ctx()?,
            PipelineEdit {
                name_en: form.get("name_en"),
                name_zh: form.get("name_zh"),
            },
        )
        .await?;
    Ok(Redirect::to(&format!("/system/pipelines#pipeline-{id}")).into_response())
}

/// POST /system/pipelines/{id}/stages
pub async fn add_stage(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let edit = StageEdit {
        label_en: form.get("label_en"),
        label_zh: form.get("label_zh"),
        probability: number(&form, "probability")?.unwrap_or(0),
        rotting_days: number(&form, "rotting_days")?,
    };
    state
        .store
        .add_stage(req.ctx()?, id, &form.get("role"), edit)
        .await?;
    Ok(Redirect::to(&format!("/system/pipelines#pipeline-{id}")).into_response())
}

/// POST /system/pipelines/stages/{id}/move — `dir` is `up` or `down`.
pub async fn move_stage(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let up = match form.get("dir").as_str() {
        "up" => true,
        "down" => false,
        _ => {
            return Err(AppError::Domain(DomainError::field(
                "dir",
                "invalid_choice",
            )));
        }
    };
    state.store.reorder_stage(req.ctx()?, id, up).await?;
    Ok(Redirect::to("/system/pipelines").into_response())
}

/// POST /system/pipelines/stages/{id}/delete — `target`: the stage its customers go to.
pub async fn delete_stage(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let target = number(&form, "target")?;
    state.store.delete_stage(req.ctx()?, id, target).await?;
    Ok(Redirect::to("/system/pipelines").into_response())
}

/// POST /system/pipelines/{id}/delete
pub async fn delete_pipeline(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    state.store.delete_pipeline(req.ctx()?, id).await?;
    Ok(Redirect::to("/system/pipelines").into_response())
}

/// POST /customers/{id}/pipeline — `stage`: a stage of the other pipeline.
pub async fn change_pipeline(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    state
        .store
        .change_pipeline(req.ctx()?, id, &form.get("stage"))
        .await?;
    Ok(Redirect::to(&format!("/customers/{id}")).into_response())
}

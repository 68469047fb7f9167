//! The sales path's JSON API: the pipelines with their stages, a customer's stage (with
//! its log), promote / demote and the flag — the store's rules and rights, as on the pages.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use crate::api::{JsonBody, body};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

/// GET /api/v1/pipelines
pub async fn pipelines(State(state): State<AppState>, req: Req) -> Result<Response, AppError> {
    let list = state.store.pipelines(req.actor()?).await?;
    Ok(Json(json!({ "pipelines": list })).into_response())
}

/// GET /api/v1/customers/{id}/stage
pub async fn stage(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let s = state.store.customer_stage(actor, id).await?;
    let log = state.store.customer_stage_log(actor, id).await?;
    Ok(Json(json!({
        "customer_id": id,
        "pipeline_id": s.pipeline_id,
        "stage": s.stage.key,
        "role": s.stage.role,
        "probability": s.stage.probability,
        "flag": s.flag,
        "stages": s.stages,
        "log": log,
    }))
    .into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageBody {
    stage: String,
    #[serde(default)]
    reason: String,
}

/// POST /api/v1/customers/{id}/stage
pub async fn change_stage(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    b: JsonBody<StageBody>,
) -> Result<Response, AppError> {
    let b = body(b)?;
    let effect = state
        .store
        .change_stage(req.ctx()?, id, &b.stage, &b.reason)
        .await?;
    Ok(Json(json!({
        "stage": b.stage,
        "move": effect.direction.code(),
        "flag": effect.flag.code(),
        "released": effect.release,
    }))
    .into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlagBody {
    flag: String,
    #[serde(default)]
    reason: String,
}

/// POST /api/v1/customers/{id}/flag
pub async fn set_flag(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    b: JsonBody<FlagBody>,
) -> Result<Response, AppError> {
    let b = body(b)?;
    state
        .store
        .set_stage_flag(req.ctx()?, id, &b.flag, &b.reason)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

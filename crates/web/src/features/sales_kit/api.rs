//! The JSON API of the sales kit: `/api/v1/scripts` (one's own and the reference ones)
//! and `/api/v1/competitors`, under the same rules as the pages.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};
use wharf_core::sales_kit::{CompetitorInput, ScriptInput};

use super::scripts::Search;
use crate::api::{JsonBody, body, created};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScriptBody {
    title: String,
    body: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    reference: bool,
}

impl From<ScriptBody> for ScriptInput {
    fn from(b: ScriptBody) -> Self {
        ScriptInput {
            title: b.title,
            body: b.body,
            category: b.category,
            reference: b.reference,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompetitorBody {
    name: String,
    #[serde(default)]
    website: String,
    #[serde(default)]
    country_id: Option<i64>,
    #[serde(default)]
    products: String,
    #[serde(default)]
    strengths: String,
    #[serde(default)]
    weaknesses: String,
    #[serde(default)]
    notes: String,
}

impl From<CompetitorBody> for CompetitorInput {
    fn from(b: CompetitorBody) -> Self {
        CompetitorInput {
            name: b.name,
            website: b.website,
            country_id: b.country_id,
            products: b.products,
            strengths: b.strengths,
            weaknesses: b.weaknesses,
            notes: b.notes,
        }
    }
}

pub async fn scripts(
    State(state): State<AppState>,
    req: Req,
    Query(s): Query<Search>,
) -> Result<Json<Value>, AppError> {
    let items = state.store.list_scripts(req.actor()?, &s.q).await?;
    Ok(Json(json!({ "items": items })))
}

pub async fn script(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    Ok(Json(json!(state.store.get_script(req.actor()?, id).await?)))
}

pub async fn create_script(
    State(state): State<AppState>,
    req: Req,
    b: JsonBody<ScriptBody>,
) -> Result<Response, AppError> {
    let input: ScriptInput = body(b)?.into();
    Ok(created(
        state.store.create_script(req.ctx()?, &input).await?,
    ))
}

pub async fn update_script(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    b: JsonBody<ScriptBody>,
) -> Result<StatusCode, AppError> {
    let input: ScriptInput = body(b)?.into();
    state.store.update_script(req.ctx()?, id, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn delete_script(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    state.store.delete_script(req.ctx()?, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn competitors(
    State(state): State<AppState>,
    req: Req,
    Query(s): Query<Search>,
) -> Result<Json<Value>, AppError> {
    let items = state.store.list_competitors(req.actor()?, &s.q).await?;
    Ok(Json(json!({ "items": items })))
}

pub async fn competitor(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    Ok(Json(json!(
        state.store.get_competitor(req.actor()?, id).await?
    )))
}

pub async fn create_competitor(
    State(state): State<AppState>,
    req: Req,
    b: JsonBody<CompetitorBody>,
) -> Result<Response, AppError> {
    let input: CompetitorInput = body(b)?.into();
    Ok(created(
        state.store.create_competitor(req.ctx()?, &input).await?,
    ))
}

pub async fn update_competitor(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    b: JsonBody<CompetitorBody>,
) -> Result<StatusCode, AppError> {
    let input: CompetitorInput = body(b)?.into();
    state
        .store
        .update_competitor(req.ctx()?, id, &input)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn delete_competitor(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    state.store.delete_competitor(req.ctx()?, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

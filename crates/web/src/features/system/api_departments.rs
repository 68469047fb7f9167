//! The JSON API of departments.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use wharf_core::org::DepartmentInput;

use crate::api::body;
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

pub async fn departments(State(state): State<AppState>, req: Req) -> Result<Json<Value>, AppError> {
    Ok(Json(
        json!({ "items": state.store.list_departments(req.actor()?).await? }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepartmentBody {
    name: String,
    #[serde(default)]
    short_name: String,
    #[serde(default)]
    parent_id: Option<i64>,
    #[serde(default)]
    head_user_id: Option<i64>,
    #[serde(default)]
    description: String,
}

impl From<DepartmentBody> for DepartmentInput {
    fn from(b: DepartmentBody) -> Self {
        DepartmentInput {
            name: b.name,
            short_name: b.short_name,
            parent_id: b.parent_id,
            head_user_id: b.head_user_id,
            description: b.description,
        }
    }
}

pub async fn department_create(
    State(state): State<AppState>,
    req: Req,
    b: Result<Json<DepartmentBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, AppError> {
    let id = state
        .store
        .create_department(req.ctx()?, body(b)?.into())
        .await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
}

pub async fn department_get(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    Ok(Json(json!(
        state.store.get_department(req.actor()?, id).await?
    )))
}

pub async fn department_update(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    b: Result<Json<DepartmentBody>, axum::extract::rejection::JsonRejection>,
) -> Result<StatusCode, AppError> {
    state
        .store
        .update_department(req.ctx()?, id, body(b)?.into())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn department_delete(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    state.store.delete_department(req.ctx()?, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

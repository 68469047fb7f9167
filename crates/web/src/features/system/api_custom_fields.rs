//! The JSON API of custom customer fields.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::api::{JsonBody, body, created};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

// ---- custom field definitions --------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomFieldBody {
    label: String,
    /// text, number, date, choice
    kind: String,
    #[serde(default)]
    choices: Vec<String>,
    #[serde(default)]
    required: bool,
    /// On update: the place in the order (missing: unchanged).
    #[serde(default)]
    position: Option<i64>,
}

impl CustomFieldBody {
    fn input(&self) -> wharf_core::custom_field::CustomFieldInput {
        wharf_core::custom_field::CustomFieldInput {
            label: self.label.clone(),
            kind: self.kind.clone(),
            choices: self.choices.join("\n"),
            required: self.required,
        }
    }
}

pub async fn custom_fields(
    State(state): State<AppState>,
    req: Req,
) -> Result<Json<Value>, AppError> {
    Ok(Json(json!({
        "items": state.store.custom_fields(req.actor()?).await?,
    })))
}

pub async fn custom_field_create(
    State(state): State<AppState>,
    req: Req,
    b: JsonBody<CustomFieldBody>,
) -> Result<Response, AppError> {
    let b = body(b)?;
    let id = state
        .store
        .create_custom_field(req.ctx()?, b.input())
        .await?;
    Ok(created(id))
}

pub async fn custom_field_update(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    b: JsonBody<CustomFieldBody>,
) -> Result<Response, AppError> {
    let b = body(b)?;
    let position = match b.position {
        Some(p) => p,
        None => {
            state
                .store
                .get_custom_field(req.actor()?, id)
                .await?
                .position
        }
    };
    state
        .store
        .update_custom_field(req.ctx()?, id, b.input(), position)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub async fn custom_field_delete(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    state.store.delete_custom_field(req.ctx()?, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

//! The JSON API of dictionaries.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::api::{JsonBody, body, created};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

// ---- dictionary --------------------------------------------------------------------

fn dict_kind(code: &str) -> Result<wharf_core::dict::DictKind, AppError> {
    wharf_core::dict::DictKind::from_code(code)
        .ok_or(AppError::Domain(wharf_core::DomainError::NotFound))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DictBody {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name_zh: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    sort_order: i64,
}

impl From<DictBody> for wharf_core::dict::DictItemInput {
    fn from(b: DictBody) -> Self {
        wharf_core::dict::DictItemInput {
            code: b.code,
            name_zh: b.name_zh,
            name_en: b.name_en,
            sort_order: b.sort_order,
        }
    }
}

pub async fn dict_list(
    State(state): State<AppState>,
    req: Req,
    Path(kind): Path<String>,
) -> Result<Json<Value>, AppError> {
    Ok(Json(
        json!({ "items": state.store.list_dict(req.actor()?, dict_kind(&kind)?).await? }),
    ))
}

pub async fn dict_create(
    State(state): State<AppState>,
    req: Req,
    Path(kind): Path<String>,
    b: JsonBody<DictBody>,
) -> Result<Response, AppError> {
    Ok(created(
        state
            .store
            .create_dict_item(req.ctx()?, dict_kind(&kind)?, body(b)?.into())
            .await?,
    ))
}

pub async fn dict_update(
    State(state): State<AppState>,
    req: Req,
    Path((kind, id)): Path<(String, i64)>,
    b: JsonBody<DictBody>,
) -> Result<StatusCode, AppError> {
    state
        .store
        .update_dict_item(req.ctx()?, dict_kind(&kind)?, id, body(b)?.into())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn dict_delete(
    State(state): State<AppState>,
    req: Req,
    Path((kind, id)): Path<(String, i64)>,
) -> Result<StatusCode, AppError> {
    state
        .store
        .delete_dict_item(req.ctx()?, dict_kind(&kind)?, id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

//! The JSON API of roles.

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

pub async fn roles(State(state): State<AppState>, req: Req) -> Result<Json<Value>, AppError> {
    Ok(Json(
        json!({ "items": state.store.list_roles(req.actor()?).await? }),
    ))
}

// ---- roles -------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleBody {
    #[serde(default)]
    name_zh: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    permissions: Vec<String>,
    scope: String,
    #[serde(default = "quota")]
    daily_claim_quota: i64,
}

fn quota() -> i64 {
    20
}

impl RoleBody {
    fn input(self) -> Result<wharf_core::org::RoleInput, AppError> {
        let mut errors = wharf_core::validate::FieldErrors::default();
        let permissions = self
            .permissions
            .iter()
            .filter_map(|c| {
                let p = wharf_core::Permission::from_code(c);
                if p.is_none() {
                    errors.add("permissions", "invalid_choice");
                }
                p
            })
            .collect();
        let scope = wharf_core::DataScope::from_code(&self.scope);
        if scope.is_none() {
            errors.add("scope", "invalid_choice");
        }
        errors.into_result()?;
        Ok(wharf_core::org::RoleInput {
            name_zh: self.name_zh,
            name_en: self.name_en,
            description: self.description,
            permissions,
            scope: scope.unwrap_or(wharf_core::DataScope::Own),
            daily_claim_quota: self.daily_claim_quota,
        })
    }
}

pub async fn role_create(
    State(state): State<AppState>,
    req: Req,
    b: JsonBody<RoleBody>,
) -> Result<Response, AppError> {
    Ok(created(
        state
            .store
            .create_role(req.ctx()?, body(b)?.input()?)
            .await?,
    ))
}

pub async fn role_get(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    Ok(Json(json!(state.store.get_role(req.actor()?, id).await?)))
}

pub async fn role_update(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    b: JsonBody<RoleBody>,
) -> Result<StatusCode, AppError> {
    state
        .store
        .update_role(req.ctx()?, id, body(b)?.input()?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn role_delete(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    state.store.delete_role(req.ctx()?, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

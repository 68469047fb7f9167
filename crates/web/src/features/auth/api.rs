//! `/api/v1/me`: who the caller is.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

pub async fn me(State(state): State<AppState>, req: Req) -> Result<Json<Value>, AppError> {
    let actor = req.actor()?;
    let me = state.store.get_staff(actor, actor.user_id).await?;
    Ok(Json(json!({
        "id": me.id, "username": me.username, "name": me.name, "department_id": me.department_id,
        "role_id": me.role_id, "scope": actor.scope.code(),
        "permissions": actor.permissions.iter().map(|p| p.code()).collect::<Vec<_>>(),
    })))
}

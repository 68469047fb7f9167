//! The JSON API of the audit log.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

pub async fn audit(State(state): State<AppState>, req: Req) -> Result<Json<Value>, AppError> {
    let page = state
        .store
        .search_audit(
            req.actor()?,
            &wharf_store::audit::AuditFilter {
                per_page: 100,
                ..Default::default()
            },
        )
        .await?;
    Ok(Json(json!({ "items": page.items, "total": page.total })))
}

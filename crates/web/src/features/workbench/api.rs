//! GET /api/v1/workbench: the workbench's counts per stage (`view=team`,
//! `person=<id>` for a manager; a salesperson always gets their own).

use axum::Json;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use wharf_core::DataScope;
use wharf_store::records::WorkbenchScope;

use super::counts::{ScopeParams, stage_counts};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

pub async fn counts(
    State(state): State<AppState>,
    req: Req,
    Query(p): Query<ScopeParams>,
) -> Result<Response, AppError> {
    let scope = if req.actor()?.scope == DataScope::Own {
        WorkbenchScope::Mine
    } else {
        p.scope()
    };
    let (_, stages) = stage_counts(&state, &req, scope).await?;
    Ok(Json(json!({ "today": req.today()?.iso(), "stages": stages })).into_response())
}

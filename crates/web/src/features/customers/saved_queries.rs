//! Saved list queries: save the list's query under a name, delete one.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;

// ---- saved queries -------------------------------------------------------------------

pub async fn save_query(
    State(state): State<AppState>,
    req: Req,
    form: FormData,
) -> Result<Response, AppError> {
    let query = form.get("query");
    let target = format!("/customers?{query}");
    crate::redirect::same_site_path(&target)?;
    state
        .store
        .save_query(req.actor()?, &form.get("query_name"), &query)
        .await?;
    crate::redirect::to(&target)
}

pub async fn delete_query(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    state.store.delete_saved_query(req.actor()?, id).await?;
    Ok(Redirect::to("/customers").into_response())
}

//! A customer's groups: add to and remove from a group.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;

// ---- groups --------------------------------------------------------------------------

pub async fn group_add(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    state
        .store
        .add_to_group(req.ctx()?, id, &form.get("group_name"))
        .await?;
    Ok(Redirect::to(&format!("/customers/{id}")).into_response())
}

pub async fn group_remove(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let group = form
        .get("group_id")
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest)?;
    state.store.remove_from_group(req.ctx()?, id, group).await?;
    Ok(Redirect::to(&format!("/customers/{id}")).into_response())
}

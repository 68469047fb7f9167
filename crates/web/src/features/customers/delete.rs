//! Deleting a customer.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

pub async fn delete(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    state.store.delete_customer(req.ctx()?, id).await?;
    Ok(Redirect::to("/customers").into_response())
}

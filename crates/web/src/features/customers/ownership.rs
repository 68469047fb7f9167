//! Claim, release and transfer a customer; the store decides who may.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;

pub async fn claim(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    state.store.claim_customer(req.ctx()?, id).await?;
    Ok(Redirect::to(&format!("/customers/{id}")).into_response())
}

pub async fn release(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let back = format!("/customers/{id}");
    if let Some(ask) = crate::confirm::unless_confirmed(
        &req,
        &form,
        &format!("/customers/{id}/release"),
        "customer.release_confirm",
        &back,
    ) {
        return Ok(ask);
    }
    state.store.release_customer(req.ctx()?, id).await?;
    Ok(Redirect::to(&format!("/customers/{id}")).into_response())
}

pub async fn transfer(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let to: Vec<i64> = form
        .all("owners")
        .iter()
        .filter_map(|v| v.parse().ok())
        .collect();
    state.store.transfer_customer(req.ctx()?, id, &to).await?;
    // The new owners may be out of the user's sight now.
    match state.store.get_customer(req.actor()?, id).await {
        Ok(_) => Ok(Redirect::to(&format!("/customers/{id}")).into_response()),
        Err(_) => Ok(Redirect::to("/customers").into_response()),
    }
}

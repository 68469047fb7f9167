//! The tracking screen's forms: add a record (a refused one is shown again on the
//! screen with its errors), promote / demote, the stage flag, release, and linking a
//! competitor. Each posts the list's query string as `list` and comes back to the same
//! screen; the store applies the same rules as on the customer page.

use axum::extract::{Path, State};
use axum::response::Response;

use super::page::{Where, href, screen};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;

/// The list carried by a form (checked like the screen's own URL).
fn list_of(form: &FormData) -> Result<String, AppError> {
    Ok(Where::of(&form.get("list"))?.list)
}

/// Back to the screen at `id`, or, when the user may no longer see it, to the next
/// customer of the list (or the list).
async fn back(
    state: &AppState,
    req: &Req,
    list: &str,
    id: i64,
    next: Option<i64>,
) -> Result<Response, AppError> {
    let target = match state.store.get_customer(req.actor()?, id).await {
        Ok(_) => href(list, id),
        Err(_) => match next {
            Some(n) => href(list, n),
            None if list.is_empty() => "/customers".to_string(),
            None => format!("/customers?{list}"),
        },
    };
    crate::redirect::to(&target)
}

/// POST /track/{id}/records
pub async fn add_record(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let list = list_of(&form)?;
    let zone = req.zone()?.clone();
    let result = match crate::features::records::form::input(&form, &zone) {
        Ok(i) => state
            .store
            .add_contact_record(req.ctx()?, id, i)
            .await
            .map(|_| ())
            .map_err(AppError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => crate::redirect::to(&format!("{}#trail", href(&list, id))),
        Err(e @ AppError::Domain(wharf_core::DomainError::Invalid(_))) => {
            let raw = format!("{list}&id={id}");
            let mut res = screen(&state, &req, &Where::of(&raw)?, Some((&form, e))).await?;
            *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(e) => Err(e),
    }
}

/// POST /track/{id}/stage: promote or demote.
pub async fn change_stage(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let list = list_of(&form)?;
    state
        .store
        .change_stage(req.ctx()?, id, &form.get("stage"), &form.get("reason"))
        .await?;
    back(&state, &req, &list, id, None).await
}

/// POST /track/{id}/flag
pub async fn set_flag(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let list = list_of(&form)?;
    state
        .store
        .set_stage_flag(req.ctx()?, id, &form.get("flag"), &form.get("reason"))
        .await?;
    back(&state, &req, &list, id, None).await
}

/// POST /track/{id}/release: to the shared pool (asked first), then on to the next
/// customer of the list.
pub async fn release(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let list = list_of(&form)?;
    let here = href(&list, id);
    if let Some(ask) = crate::confirm::unless_confirmed(
        &req,
        &form,
        &format!("/track/{id}/release"),
        "customer.release_confirm",
        &here,
    ) {
        return Ok(ask);
    }
    let query = crate::features::customers::list_query::query_of_raw(&state, &req, &list).await?;
    let next = state
        .store
        .neighbour_customer(req.actor()?, &query, id, true)
        .await?;
    state.store.release_customer(req.ctx()?, id).await?;
    // A released customer stays visible (in the pool): go on to the next one anyway.
    match next {
        Some(n) => crate::redirect::to(&href(&list, n)),
        None => back(&state, &req, &list, id, None).await,
    }
}

/// POST /track/{id}/competitors: link (`on=1`) or unlink `competitor_id`.
pub async fn link_competitor(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let list = list_of(&form)?;
    let competitor = form.id("competitor_id")?.ok_or_else(|| {
        AppError::Domain(wharf_core::DomainError::field("competitor_id", "required"))
    })?;
    state
        .store
        .link_competitor(req.ctx()?, id, competitor, form.get("on") == "1")
        .await?;
    crate::redirect::to(&format!("{}#competitors", href(&list, id)))
}

//! What a user does to an open message: seen, flag, dismiss, trash, purge, trust images.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;

// ---- actions -------------------------------------------------------------------------

/// Back to where the user was (the list with this message open); only local mail URLs.
pub(crate) fn back(form: &FormData, id: i64) -> Response {
    let target = Some(form.get("back"))
        .filter(|b| b.starts_with("/mail?") && !b.contains("//"))
        .unwrap_or_else(|| format!("/mail?view=inbox&m={id}"));
    // `FormData` has refused a `back` that is not a same-site path before any action.
    crate::redirect::to(&target).unwrap_or_else(IntoResponse::into_response)
}

pub async fn set_seen(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    state
        .store
        .set_seen(req.actor()?, id, form.get("value") == "1")
        .await?;
    // Marking unread closes the message, or opening it would mark it read again.
    Ok(Redirect::to("/mail").into_response())
}

pub async fn set_flag(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    state
        .store
        .set_flagged(req.actor()?, id, form.get("value") == "1")
        .await?;
    Ok(back(&form, id))
}

pub async fn dismiss(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    state
        .store
        .set_pending_dismissed(req.ctx()?, id, form.get("value") == "1")
        .await?;
    Ok(back(&form, id))
}

/// "Spam" (`value=1`) moves the message to Junk and off Pending; `value=0` brings it
/// back to the Inbox.
pub async fn spam(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    state
        .store
        .set_spam(req.ctx()?, id, form.get("value") == "1")
        .await?;
    Ok(back(&form, id))
}

pub async fn trash(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let trashed = form.get("value") == "1";
    state.store.set_trashed(req.ctx()?, id, trashed).await?;
    Ok(Redirect::to(if trashed { "/mail?view=trash" } else { "/mail" }).into_response())
}

/// Deletes a message in Trash for good (with the permission; audited).
pub async fn purge(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    if let Some(ask) = crate::confirm::unless_confirmed(
        &req,
        &form,
        &format!("/mail/m/{id}/purge"),
        "action.confirm_delete",
        "/mail?view=trash",
    ) {
        return Ok(ask);
    }
    state.store.delete_permanently(req.ctx()?, id).await?;
    Ok(Redirect::to("/mail?view=trash").into_response())
}

pub async fn trust_images(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let m = state.store.get_message(req.actor()?, id).await?;
    state
        .store
        .allow_images_from(req.actor()?, &m.summary.from_addr)
        .await?;
    Ok(back(&form, id))
}

//! Mail → filing and labels (SPEC MAIL-2, MAIL-5): folders of one's own (create,
//! rename, delete), move and copy, tags and the mail type. The store checks that the
//! user can see the message and use the account; these handlers only read the form.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use wharf_store::mail::filing::MoveTarget;

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::features::mail::message_actions::back;
use crate::form::FormData;

pub async fn create_folder(
    State(state): State<AppState>,
    req: Req,
    form: FormData,
) -> Result<Response, AppError> {
    let account = form
        .get("account_id")
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest)?;
    let id = state
        .store
        .create_folder(req.ctx()?, account, &form.get("name"))
        .await?;
    Ok(Redirect::to(&format!("/mail?view=folder:{id}")).into_response())
}

pub async fn rename_folder(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    state
        .store
        .rename_folder(req.ctx()?, id, &form.get("name"))
        .await?;
    Ok(Redirect::to(&format!("/mail?view=folder:{id}")).into_response())
}

pub async fn delete_folder(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    if let Some(ask) = crate::confirm::unless_confirmed(
        &req,
        &form,
        &format!("/mail/folders/{id}/delete"),
        "mail.folders.delete_confirm",
        "/mail",
    ) {
        return Ok(ask);
    }
    state.store.delete_folder(req.ctx()?, id).await?;
    Ok(Redirect::to("/mail").into_response())
}

/// `folder` is a folder id, or `home` for the folder the message came from.
pub async fn move_message(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let target = match form.get("folder").as_str() {
        "home" => MoveTarget::Home,
        other => MoveTarget::Folder(other.parse().map_err(|_| AppError::BadRequest)?),
    };
    state.store.move_message(req.ctx()?, id, target).await?;
    Ok(back(&form, id))
}

pub async fn copy_message(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let folder = form
        .get("folder")
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest)?;
    state.store.copy_message(req.ctx()?, id, folder).await?;
    Ok(back(&form, id))
}

pub async fn tag(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    state
        .store
        .tag_message(req.ctx()?, id, &form.get("name"))
        .await?;
    Ok(back(&form, id))
}

pub async fn untag(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let tag = form
        .get("tag_id")
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest)?;
    state.store.untag_message(req.ctx()?, id, tag).await?;
    Ok(back(&form, id))
}

/// `value` is a `mail_type` item id, or empty to clear.
pub async fn set_type(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let value = form.get("value");
    let type_id = if value.is_empty() {
        None
    } else {
        Some(value.parse::<i64>().map_err(|_| AppError::BadRequest)?)
    };
    state.store.set_mail_type(req.ctx()?, id, type_id).await?;
    Ok(back(&form, id))
}

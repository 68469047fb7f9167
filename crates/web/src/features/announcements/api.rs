//! The JSON API of announcements.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::api::{JsonBody, body, created};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnouncementBody {
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    pinned: bool,
    /// Unix seconds; absent for an announcement that does not expire.
    #[serde(default)]
    expires_at: Option<i64>,
}

impl From<AnnouncementBody> for wharf_store::system::announcements::AnnouncementInput {
    fn from(b: AnnouncementBody) -> Self {
        wharf_store::system::announcements::AnnouncementInput {
            title: b.title,
            body: b.body,
            pinned: b.pinned,
            expires_at: b.expires_at,
        }
    }
}

pub async fn announcements(
    State(state): State<AppState>,
    req: Req,
) -> Result<Json<Value>, AppError> {
    Ok(Json(
        json!({ "items": state.store.list_announcements(req.actor()?, false).await? }),
    ))
}

pub async fn announcement_create(
    State(state): State<AppState>,
    req: Req,
    b: JsonBody<AnnouncementBody>,
) -> Result<Response, AppError> {
    Ok(created(
        state
            .store
            .create_announcement(req.ctx()?, body(b)?.into())
            .await?,
    ))
}

pub async fn announcement_update(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    b: JsonBody<AnnouncementBody>,
) -> Result<StatusCode, AppError> {
    state
        .store
        .update_announcement(req.ctx()?, id, body(b)?.into())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn announcement_delete(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    state.store.delete_announcement(req.ctx()?, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

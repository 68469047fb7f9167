//! The JSON API's message view (`GET /api/v1/mail/messages/{id}`): the stored message
//! as the reading pane has it, with Wharf's own DKIM / SPF / DMARC results and the
//! signature status, in the same words as the page (issue 15).

use axum::Json;
use axum::extract::{Path, State};
use serde_json::Value;

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::features::mail::authentication as mail_auth;

pub async fn message(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    let actor = req.actor()?;
    let detail = state.store.open_message(req.ctx()?, id, "api").await?;
    let auth = state.store.message_auth(actor, id).await?;
    let raw = state
        .mail
        .read_blob(&detail.blob_hash)
        .await
        .map_err(|e| AppError::Internal(format!("stored message {id}: {e}")))?;
    let signed = wharf_mail::signed::signature(&raw);
    let mut out = mail_auth::json(&req, auth.as_ref(), signed.as_ref());
    if let Value::Object(map) = &mut out {
        map.insert(
            "message".into(),
            serde_json::to_value(&detail).map_err(|e| AppError::Internal(e.to_string()))?,
        );
    }
    Ok(Json(out))
}

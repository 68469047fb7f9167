//! Drafts: autosave and delete.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

/// Autosave from the compose page (urlencoded, as the page's script sends it); answers
/// `{"id": N, "when": "2026-12-07 09:30"}` so the next save updates the same draft and
/// the page shows the saved time as every page does (company zone, 24-hour).
pub async fn save_draft(
    State(state): State<AppState>,
    req: Req,
    body: axum::body::Bytes,
) -> Result<axum::Json<serde_json::Value>, AppError> {
    // Read here rather than with `FormData`: images pasted into the editor make drafts
    // bigger than ordinary forms (the route allows it; the page sends its token in a
    // header).
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_bytes(&body).map_err(|_| AppError::BadRequest)?;
    // The same refusal of control characters (NUL, ESC …) as every other form.
    for (k, v) in &pairs {
        crate::form::refuse_controls(k, v)?;
    }
    let form = crate::form::FormData(pairs);
    let id = state
        .store
        .save_draft(
            req.actor()?,
            &wharf_store::mail::drafts::Draft {
                id: form.get("draft_id").parse().unwrap_or(0),
                account_id: form.get("account_id").parse().ok(),
                to: form.get("to"),
                cc: form.get("cc"),
                bcc: form.get("bcc"),
                subject: form.get("subject"),
                body: form.get("body"),
                html: form.get("format") == "html",
                reply_to: form.get("reply_to").parse().ok(),
                forward_of: form.get("forward_of").parse().ok(),
                updated_at: 0,
            },
        )
        .await?;
    let when = crate::render::when(wharf_store::now(), req.zone()?);
    Ok(axum::Json(serde_json::json!({ "id": id, "when": when })))
}

pub async fn delete_draft(
    State(state): State<AppState>,
    req: Req,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Result<Response, AppError> {
    state.store.delete_draft(req.actor()?, id).await?;
    Ok(Redirect::to("/mail?view=drafts").into_response())
}

//! Documents kept on a customer: upload, download, delete.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;

// ---- documents -----------------------------------------------------------------------

/// Uploads files to keep with a customer (multipart; the CSRF token rides in the URL).
pub async fn document_upload(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    mut mp: axum::extract::Multipart,
) -> Result<Response, AppError> {
    let mut added = 0;
    while let Some(field) = mp.next_field().await.map_err(|_| AppError::BadRequest)? {
        if field.name() != Some("files") {
            continue;
        }
        let name = field.file_name().unwrap_or("").to_string();
        let content_type = field
            .content_type()
            .unwrap_or("application/octet-stream")
            .to_string();
        let bytes = field.bytes().await.map_err(|_| AppError::BadRequest)?;
        if name.is_empty() && bytes.is_empty() {
            continue;
        }
        // Checked before the bytes are written: a refused file leaves no blob.
        state
            .store
            .may_add_document(req.actor()?, id, &name)
            .await?;
        let (hash, size, inline) = state
            .mail
            .put_blob(bytes.to_vec())
            .await
            .map_err(|e| AppError::Internal(format!("document blob: {e}")))?;
        state
            .store
            .add_document(
                req.ctx()?,
                id,
                &name,
                &content_type,
                &hash,
                size,
                inline.as_deref(),
            )
            .await?;
        added += 1;
    }
    let none = || AppError::Domain(wharf_core::DomainError::field("file", "required"));
    (added > 0).then_some(()).ok_or_else(none)?;
    Ok(Redirect::to(&format!("/customers/{id}#documents")).into_response())
}

/// Downloads a document (as an attachment, never shown inline).
pub async fn document_download(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let d = state.store.document(req.actor()?, id).await?;
    let bytes = state
        .mail
        .read_blob(&d.blob_hash)
        .await
        .map_err(|e| AppError::Internal(format!("document {id}: {e}")))?;
    Ok(crate::features::mail::downloads::attachment_response(
        bytes,
        &d.content_type,
        &d.filename,
    ))
}

pub async fn document_delete(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    if let Some(ask) = crate::confirm::unless_confirmed(
        &req,
        &form,
        &format!("/documents/{id}/delete"),
        "action.confirm_delete",
        "/customers",
    ) {
        return Ok(ask);
    }
    let customer = state.store.delete_document(req.ctx()?, id).await?;
    Ok(Redirect::to(&format!("/customers/{customer}#documents")).into_response())
}

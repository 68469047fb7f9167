//! A product's pictures and documents: upload (bounded sizes; a picture must really be
//! a PNG, JPEG, GIF or WebP), show or download, delete.

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use wharf_core::DomainError;

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;

/// The largest picture and document taken.
pub const MAX_PICTURE_BYTES: usize = 10 * 1024 * 1024;
pub const MAX_DOCUMENT_BYTES: usize = 50 * 1024 * 1024;

#[derive(Deserialize)]
pub struct UploadQuery {
    #[serde(default)]
    kind: String,
}

/// The image type of these bytes by their signature, never by the name or the
/// browser's word: SVG and the rest are refused as pictures (they can carry scripts).
pub(super) fn image_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"\xff\xd8\xff") {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() > 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

pub async fn upload(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    Query(q): Query<UploadQuery>,
    mut mp: axum::extract::Multipart,
) -> Result<Response, AppError> {
    let picture = q.kind == "picture";
    let refuse = |code| AppError::Domain(DomainError::field("file", code));
    let mut added = 0;
    while let Some(field) = mp.next_field().await.map_err(|_| AppError::BadRequest)? {
        if field.name() != Some("files") {
            continue;
        }
        let name = field.file_name().unwrap_or("").to_string();
        let declared = field
            .content_type()
            .unwrap_or("application/octet-stream")
            .to_string();
        let bytes = field.bytes().await.map_err(|_| AppError::BadRequest)?;
        if name.is_empty() && bytes.is_empty() {
            continue;
        }
        let limit = if picture {
            MAX_PICTURE_BYTES
        } else {
            MAX_DOCUMENT_BYTES
        };
        if bytes.len() > limit {
            return Err(refuse(if picture {
                "picture_too_large"
            } else {
                "document_too_large"
            }));
        }
        let content_type = if picture {
            image_type(&bytes)
                .ok_or_else(|| refuse("not_a_picture"))?
                .to_string()
        } else {
            declared
        };
        // Checked before the bytes are written: a refused file leaves no blob.
        state.store.may_add_product_file(req.actor()?, id).await?;
        let (hash, size, inline) = state
            .mail
            .put_blob(bytes.to_vec())
            .await
            .map_err(|e| AppError::Internal(format!("product file blob: {e}")))?;
        state
            .store
            .add_product_file(
                req.ctx()?,
                id,
                picture,
                &name,
                &content_type,
                &hash,
                size,
                inline.as_deref(),
            )
            .await?;
        added += 1;
    }
    (added > 0)
        .then_some(())
        .ok_or_else(|| refuse("required"))?;
    let anchor = if picture { "pictures" } else { "documents" };
    Ok(Redirect::to(&format!("/products/{id}#{anchor}")).into_response())
}

/// A picture is shown (its type checked at upload, served with `nosniff`); a document
/// is downloaded as an attachment.
pub async fn download(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let f = state.store.product_file(req.actor()?, id).await?;
    let bytes = state
        .mail
        .read_blob(&f.blob_hash)
        .await
        .map_err(|e| AppError::Internal(format!("product file {id}: {e}")))?;
    if f.kind == "picture"
        && let Some(kind) = image_type(&bytes)
    {
        return Ok((
            [
                (header::CONTENT_TYPE, kind),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
                (header::CACHE_CONTROL, "private, max-age=3600"),
            ],
            bytes,
        )
            .into_response());
    }
    Ok(crate::features::mail::downloads::attachment_response(
        bytes,
        &f.content_type,
        &f.filename,
    ))
}

pub async fn delete(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    if let Some(ask) = crate::confirm::unless_confirmed(
        &req,
        &form,
        &format!("/products/files/{id}/delete"),
        "action.confirm_delete",
        "/products",
    ) {
        return Ok(ask);
    }
    let product = state.store.delete_product_file(req.ctx()?, id).await?;
    Ok(Redirect::to(&format!("/products/{product}")).into_response())
}

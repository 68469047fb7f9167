//! Downloads from a message: the original `.eml`, its source as text, and each
//! attachment as its decoded bytes (the transfer encoding undone, nothing converted)
//! with the type the sender declared, charset included (issue 15).

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use wharf_store::mail::view::MessageDetail;

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

/// The stored type as a Content-Type value: `type/subtype` with an optional charset,
/// made of token characters only; anything else downloads as octet-stream.
pub(crate) fn download_type(stored: &str) -> String {
    let token = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$&^_.+-".contains(c))
    };
    let mut pieces = stored.split(';').map(str::trim);
    let essence = pieces.next().unwrap_or("");
    let valid = essence
        .split_once('/')
        .is_some_and(|(t, s)| token(t) && token(s));
    if !valid {
        return "application/octet-stream".into();
    }
    let mut out = essence.to_ascii_lowercase();
    for p in pieces {
        if let Some((k, v)) = p.split_once('=')
            && k.trim().eq_ignore_ascii_case("charset")
            && token(v.trim().trim_matches('"'))
        {
            out.push_str("; charset=");
            out.push_str(v.trim().trim_matches('"'));
        }
    }
    out
}

pub(crate) fn attachment_response(bytes: Vec<u8>, content_type: &str, filename: &str) -> Response {
    let ascii: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = filename
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b".-_".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; sandbox".to_string(),
            ),
        ],
        bytes,
    )
        .into_response()
}

async fn original(
    state: &AppState,
    req: &Req,
    id: i64,
    via: &'static str,
) -> Result<(MessageDetail, Vec<u8>), AppError> {
    let d = state.store.open_message(req.ctx()?, id, via).await?;
    let bytes = state
        .mail
        .read_blob(&d.blob_hash)
        .await
        .map_err(|e| AppError::Internal(format!("stored message {}: {e}", id)))?;
    Ok((d, bytes))
}

pub async fn eml(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (_, bytes) = original(&state, &req, id, "eml").await?;
    Ok(attachment_response(
        bytes,
        "message/rfc822",
        &format!("message-{id}.eml"),
    ))
}

pub async fn source(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (_, bytes) = original(&state, &req, id, "source").await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; sandbox",
            ),
        ],
        String::from_utf8_lossy(&bytes).to_string(),
    )
        .into_response())
}

pub async fn attachment(
    State(state): State<AppState>,
    req: Req,
    Path((id, aid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let d = state
        .store
        .open_message(req.ctx()?, id, "attachment")
        .await?;
    let a = d
        .attachments
        .iter()
        .find(|a| a.id == aid)
        .ok_or(AppError::Domain(wharf_core::DomainError::NotFound))?;
    let bytes = state
        .mail
        .read_blob(&a.blob_hash)
        .await
        .map_err(|e| AppError::Internal(format!("stored message {}: {e}", id)))?;
    let name = if a.filename.is_empty() {
        format!("attachment-{aid}")
    } else {
        a.filename.clone()
    };
    // Always a download, never shown inline: an attachment cannot script our origin.
    // The type is the one the sender declared (with its charset), the bytes as decoded.
    Ok(attachment_response(
        bytes,
        &download_type(&a.content_type),
        &name,
    ))
}

#[cfg(test)]
mod tests {
    use super::download_type;

    #[test]
    fn declared_types_are_served_when_they_are_sane() {
        assert_eq!(
            download_type("text/plain; charset=iso-8859-1"),
            "text/plain; charset=iso-8859-1"
        );
        assert_eq!(download_type("application/pdf"), "application/pdf");
        assert_eq!(
            download_type("text/plain\r\nX: y"),
            "application/octet-stream"
        );
        assert_eq!(download_type("bogus"), "application/octet-stream");
        assert_eq!(
            download_type("text/html; charset=\"utf-8\"; x=1"),
            "text/html; charset=utf-8"
        );
    }
}

//! Attachments in the browser: a preview of PDFs and images and "download all" as a zip
//! (issue 17). A preview is served only for a type sniffed from the bytes (never the
//! sender's claim), inline but sandboxed (`Content-Security-Policy: sandbox`, `nosniff`);
//! SVG, HTML and everything else stay downloads. The zip holds the exact decoded bytes
//! under sanitised, deduplicated names. Both read the message through the same
//! permission-checked path as a single download.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

/// The type of bytes that may be shown inline, from their first bytes only.
pub(crate) fn previewable(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"\xff\xd8\xff") {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// Whether a declared type is worth a preview link (PDFs and raster images).
pub(crate) fn declared_previewable(declared: &str) -> bool {
    let essence = declared
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    matches!(
        essence.as_str(),
        "application/pdf" | "image/png" | "image/jpeg" | "image/jpg" | "image/gif" | "image/webp"
    )
}

/// A file name safe in a zip and on any disk: no folders, no control or reserved
/// characters, not empty.
pub(crate) fn safe_name(name: &str, fallback: &str) -> String {
    let cleaned: String = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .chars()
        .map(|c| {
            if c.is_control() || "<>:\"|?*".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim();
    let cleaned: String = cleaned.chars().take(150).collect();
    if cleaned.is_empty() {
        fallback.to_string()
    } else {
        cleaned
    }
}

/// Makes `name` unique among `taken` ("a.pdf", "a (2).pdf", …).
pub(crate) fn unique_name(name: String, taken: &mut Vec<String>) -> String {
    let lower = |s: &str| s.to_lowercase();
    let mut candidate = name.clone();
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s.to_string(), format!(".{e}")),
        _ => (name.clone(), String::new()),
    };
    let mut n = 2;
    while taken.iter().any(|t| lower(t) == lower(&candidate)) {
        candidate = format!("{stem} ({n}){ext}");
        n += 1;
    }
    taken.push(candidate.clone());
    candidate
}

/// `GET /mail/m/{id}/attachments/{aid}/preview`: the attachment inline if it is a PDF
/// or an image by its bytes; else the ordinary download.
pub async fn preview(
    State(state): State<AppState>,
    req: Req,
    Path((id, aid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    // The shared open path: a supervisor's preview is audited, never marks read.
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
        .map_err(|e| AppError::Internal(format!("stored message {id}: {e}")))?;
    let Some(kind) = previewable(&bytes) else {
        return Ok(Redirect::to(&format!("/mail/m/{id}/attachments/{aid}")).into_response());
    };
    let name = safe_name(&a.filename, &format!("attachment-{aid}"));
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, kind.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{ascii}\""),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; img-src 'self'; object-src 'self'; sandbox".to_string(),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// `GET /mail/m/{id}/attachments.zip`: every attachment of a message in one zip.
pub async fn zip_all(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    use std::io::Write;
    let d = state
        .store
        .open_message(req.ctx()?, id, "attachment")
        .await?;
    if d.attachments.is_empty() {
        return Err(AppError::Domain(wharf_core::DomainError::NotFound));
    }
    // A message's attachments are bounded by the account's message size limit, so the
    // zip is built in memory; stored, not compressed (they mostly are already).
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(false);
    let mut taken = Vec::new();
    let internal =
        |e: &dyn std::fmt::Display| AppError::Internal(format!("zip of message {id}: {e}"));
    for a in &d.attachments {
        let bytes = state
            .mail
            .read_blob(&a.blob_hash)
            .await
            .map_err(|e| internal(&e))?;
        let name = unique_name(
            safe_name(&a.filename, &format!("attachment-{}", a.id)),
            &mut taken,
        );
        zip.start_file(name, options).map_err(|e| internal(&e))?;
        zip.write_all(&bytes).map_err(|e| internal(&e))?;
    }
    let bytes = zip.finish().map_err(|e| internal(&e))?.into_inner();
    Ok(super::downloads::attachment_response(
        bytes,
        "application/zip",
        &format!("message-{id}-attachments.zip"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing_names_and_duplicates() {
        assert_eq!(previewable(b"%PDF-1.7 ..."), Some("application/pdf"));
        assert_eq!(previewable(b"\x89PNG\r\n\x1a\nxxxx"), Some("image/png"));
        assert_eq!(
            previewable(b"<svg xmlns='http://www.w3.org/2000/svg'>"),
            None
        );
        assert_eq!(previewable(b"<html><script>alert(1)</script>"), None);
        assert_eq!(safe_name("../../etc/passwd", "x"), "passwd");
        assert_eq!(safe_name("C:\\x\\a<b>.pdf", "x"), "a_b_.pdf");
        assert_eq!(safe_name("..", "attachment-1"), "attachment-1");
        let mut taken = Vec::new();
        assert_eq!(unique_name("a.pdf".into(), &mut taken), "a.pdf");
        assert_eq!(unique_name("A.pdf".into(), &mut taken), "A (2).pdf");
        assert_eq!(unique_name("a.pdf".into(), &mut taken), "a (3).pdf");
    }
}

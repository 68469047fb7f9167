//! The mail body's frame (`GET /mail/m/{id}/body`): the message's HTML, sanitised, as a
//! document of its own with its own strict CSP (no scripts, styles inline, images only as
//! `data:` unless allowed), sandboxed, and frameable only by Wharf's own pages. It is a
//! route rather than `srcdoc` because a `srcdoc` frame inherits the page's CSP, which
//! would strip the mail's own styles and pictures. Its one script, allowed by hash,
//! tells the page its height so the frame can grow to it (the sandbox keeps the page
//! from looking inside).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use wharf_mail::safe_html::{FrameScript, SafeHtml, frame_document, sanitize, text_to_folded_html};
use wharf_store::mail::view::MessageDetail;

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

/// Inline (cid:) images bigger than this are not embedded in the frame.
const MAX_INLINE_IMAGE: i64 = 4 * 1024 * 1024;

/// The message's body, sanitised: the HTML part from the original bytes (cid: images as
/// data: URLs), or the text as HTML with its quotes folded behind `show_quoted`; with
/// the original bytes it was made from.
pub(crate) async fn safe_body(
    state: &AppState,
    d: &MessageDetail,
    allow_images: bool,
    show_quoted: &str,
) -> Result<(SafeHtml, Vec<u8>), AppError> {
    let raw = state
        .mail
        .read_blob(&d.blob_hash)
        .await
        .map_err(|e| AppError::Internal(format!("stored message {}: {e}", d.summary.id)))?;
    // The HTML part comes from the original bytes; cid: images become data: URLs.
    let parsed = wharf_mail::parse(&raw).ok();
    let mut cids = HashMap::new();
    for a in d
        .attachments
        .iter()
        .filter(|a| !a.content_id.is_empty() && a.size <= MAX_INLINE_IMAGE)
    {
        if a.content_type.starts_with("image/")
            && let Ok(bytes) = state.mail.read_blob(&a.blob_hash).await
        {
            cids.insert(
                a.content_id.clone(),
                format!(
                    "data:{};base64,{}",
                    a.content_type.split(';').next().unwrap_or("image/png"),
                    STANDARD.encode(&bytes)
                ),
            );
        }
    }
    let safe = match parsed.as_ref().and_then(|p| p.html.as_deref()) {
        Some(html) => sanitize(html, allow_images, cids),
        None => {
            let text = parsed
                .as_ref()
                .map(|p| p.text.as_str())
                .unwrap_or(&d.body_text);
            let shown = if d.parse_error.is_empty() {
                text.to_string()
            } else {
                String::from_utf8_lossy(&raw).to_string()
            };
            sanitize(
                &text_to_folded_html(&shown, show_quoted),
                false,
                HashMap::new(),
            )
        }
    };
    Ok((safe, raw))
}

#[derive(Deserialize, Default)]
pub struct FrameParams {
    #[serde(default)]
    images: String,
}

pub async fn body(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    Query(p): Query<FrameParams>,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let d = state.store.open_message(req.ctx()?, id, "frame").await?;
    let allow = p.images == "1"
        || state
            .store
            .images_allowed_from(actor, &d.summary.from_addr)
            .await?;
    let (safe, _) = safe_body(&state, &d, allow, &req.t("mail.quoted.show")).await?;
    let img = if allow { "data: https: http:" } else { "data:" };
    let script = size_script();
    let csp = format!(
        "default-src 'none'; script-src '{}'; style-src 'unsafe-inline'; img-src {img}; font-src data:; form-action 'none'; base-uri 'none'; frame-ancestors 'self'; sandbox allow-scripts allow-popups allow-popups-to-escape-sandbox",
        script.hash
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8".to_string()),
            (header::CONTENT_SECURITY_POLICY, csp),
            (header::X_FRAME_OPTIONS, "SAMEORIGIN".to_string()),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
            (header::REFERRER_POLICY, "no-referrer".to_string()),
        ],
        frame_document(&safe, allow, Some(&script)),
    )
        .into_response())
}

/// Posts the document's height to the page whenever it changes (pictures loading, a
/// quote unfolded); `mail_frame.js` sizes the frame to it.
const SIZE_REPORTER: &str = "(function(){var last=0;function send(){var h=Math.ceil(document.body.getBoundingClientRect().height)+16;if(h!==last){last=h;parent.postMessage({wharfFrameHeight:h},'*');}}addEventListener('load',send);if(window.ResizeObserver){new ResizeObserver(send).observe(document.body);}send();})();";

/// The size reporter with its CSP hash (`sha256-` and the base64 digest), computed once.
fn size_script() -> FrameScript<'static> {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let hash = HASH.get_or_init(|| {
        let hex = wharf_store::secret::sha256_hex(SIZE_REPORTER);
        let bytes: Vec<u8> = (0..hex.len())
            .step_by(2)
            .filter_map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok())
            .collect();
        format!("sha256-{}", STANDARD.encode(&bytes))
    });
    FrameScript {
        source: SIZE_REPORTER,
        hash,
    }
}

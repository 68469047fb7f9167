//! The hardening headers every response carries (unless its handler set a stricter one,
//! as the mail frame and downloads do): a strict Content-Security-Policy — every script
//! and style is a file served by Wharf, see `assets.rs` — no framing, `nosniff`, a
//! same-origin referrer, and HSTS behind HTTPS.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::app::AppState;

/// App pages: only our own files; images also as `data:` (inline images of the editor,
/// pasted pictures).
pub const PAGE_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// The compose page: the same, except that the rich-text editor styles what it edits
/// with style attributes (a mail's own formatting), which `style-src 'self'` refuses.
/// Scripts stay as strict as everywhere.
pub const COMPOSE_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

pub async fn harden(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let compose = req.uri().path() == "/mail/compose";
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let csp = if compose { COMPOSE_CSP } else { PAGE_CSP };
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(csp));
    h.entry(header::X_FRAME_OPTIONS)
        .or_insert(HeaderValue::from_static("DENY"));
    h.entry(header::X_CONTENT_TYPE_OPTIONS)
        .or_insert(HeaderValue::from_static("nosniff"));
    h.entry(header::REFERRER_POLICY)
        .or_insert(HeaderValue::from_static("same-origin"));
    if state.secure_cookies {
        h.entry(header::STRICT_TRANSPORT_SECURITY)
            .or_insert(HeaderValue::from_static("max-age=31536000"));
    }
    res
}

//! Browser libraries from npm, built into the binary by `build.rs` (the lockfile in
//! `frontend/` says which versions). Served with a long cache life: their URL carries
//! the version.

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

mod vendor {
    include!(concat!(env!("OUT_DIR"), "/vendor.rs"));
}

/// The editor's version, put in asset URLs so a new one is fetched after an upgrade.
pub const EDITOR_VERSION: &str = "4.15.13";

/// Whether the rich-text editor was installed when this binary was built.
pub fn editor_available() -> bool {
    vendor::JODIT_JS.is_some() && vendor::JODIT_CSS.is_some()
}

pub async fn asset(Path(name): Path<String>) -> Result<Response, AppError> {
    let (body, content_type) = match name.as_str() {
        "jodit.js" => (vendor::JODIT_JS, "text/javascript; charset=utf-8"),
        "jodit.css" => (vendor::JODIT_CSS, "text/css; charset=utf-8"),
        _ => (None, ""),
    };
    let body = body.ok_or(AppError::Domain(wharf_core::DomainError::NotFound))?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        body,
    )
        .into_response())
}

//! Files the browser loads from Wharf itself: our page scripts and styles (`static/`,
//! embedded; their URL carries a hash of their content, see [`url`]) and the browser
//! libraries from npm, built into the binary by `build.rs` (the lockfile in `frontend/`
//! says which versions; their URL carries the version). All served with a long cache
//! life, which the changing URLs make safe.

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

/// Our own files (`static/`, listed by `build.rs`): (name, content). Pages must not carry
/// inline scripts or styles (the CSP forbids them), so everything they run or wear is here.
mod own {
    include!(concat!(env!("OUT_DIR"), "/static.rs"));
}
use own::OWN;

fn content_type(name: &str) -> &'static str {
    if name.ends_with(".js") {
        "text/javascript; charset=utf-8"
    } else if name.ends_with(".svg") {
        "image/svg+xml"
    } else {
        "text/css; charset=utf-8"
    }
}

/// The URL of one of our files, with a hash of its content so a changed file is
/// fetched again (templates call it as `asset('app.js')`).
pub fn url(name: &str) -> String {
    static VERSIONS: std::sync::OnceLock<Vec<(&'static str, String)>> = std::sync::OnceLock::new();
    let versions = VERSIONS.get_or_init(|| {
        OWN.iter()
            .map(|(n, body)| (*n, wharf_store::secret::sha256_hex(body)[..12].to_string()))
            .collect()
    });
    match versions.iter().find(|(n, _)| *n == name) {
        Some((_, v)) => format!("/assets/{name}?v={v}"),
        // The editor from npm: its version says when it changed.
        None if name.starts_with("jodit.") => format!("/assets/{name}?v={EDITOR_VERSION}"),
        None => format!("/assets/{name}"),
    }
}

pub async fn asset(Path(name): Path<String>) -> Result<Response, AppError> {
    let own = OWN
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(n, body)| (Some(body.as_bytes()), content_type(n)));
    let (body, content_type) = own.unwrap_or(match name.as_str() {
        "jodit.js" => (vendor::JODIT_JS, "text/javascript; charset=utf-8"),
        "jodit.css" => (vendor::JODIT_CSS, "text/css; charset=utf-8"),
        _ => (None, ""),
    });
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

/// `/favicon.ico`, which browsers ask for whatever the page says: our icon (SVG, which
/// browsers take at that address too), cached for a day since its URL has no hash.
pub async fn favicon() -> Response {
    let body = OWN
        .iter()
        .find(|(n, _)| *n == "favicon.svg")
        .map(|(_, b)| *b)
        .unwrap_or_default();
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        body,
    )
        .into_response()
}

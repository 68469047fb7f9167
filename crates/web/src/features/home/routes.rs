//! The home page's routes, the placeholder areas and the service endpoints.

use axum::http::Method;
use axum::routing::get;
use wharf_core::policy::Access::{Public, SignedIn};

use super::{openapi, pages};
use crate::app::Routes;

/// Adds the routes of this feature to the table.
pub fn routes(routes: Routes) -> Routes {
    routes
        .add(
            Method::GET,
            "/healthz",
            Public,
            "Health check",
            get(pages::healthz),
        )
        .add(
            Method::GET,
            "/assets/{name}",
            Public,
            "Browser libraries (the mail editor)",
            get(crate::assets::asset),
        )
        .add(
            Method::GET,
            "/favicon.ico",
            Public,
            "The site icon",
            get(crate::assets::favicon),
        )
        .add(Method::GET, "/", SignedIn, "Home", get(pages::home))
        .add(
            Method::GET,
            "/reports",
            SignedIn,
            "Reports",
            get(|r| pages::area(r, "reports")),
        )
        .add(
            Method::GET,
            "/api/openapi.json",
            Public,
            "OpenAPI document",
            get(openapi::openapi),
        )
}

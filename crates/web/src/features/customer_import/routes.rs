//! The routes of the customer import.

use axum::http::Method;
use axum::routing::{get, post};
use wharf_core::Permission::Customers;
use wharf_core::policy::Access::Needs;

use super::pages;
use crate::app::Routes;

/// Adds the routes of this feature to the table.
pub fn routes(routes: Routes) -> Routes {
    routes
        .add(
            Method::GET,
            "/customers/import",
            Needs(Customers),
            "Import customers: upload an xlsx or CSV",
            get(pages::start),
        )
        .add(
            Method::POST,
            "/customers/import",
            Needs(Customers),
            "Upload a file to import",
            post(pages::upload).layer(axum::extract::DefaultBodyLimit::max(100 * 1024 * 1024)),
        )
        .add(
            Method::GET,
            "/customers/import/{id}",
            Needs(Customers),
            "An import: preview with row errors, progress or report",
            get(pages::show),
        )
        .add(
            Method::GET,
            "/customers/import/{id}/mapping",
            Needs(Customers),
            "An import's column mapping, owner, stage and options",
            get(pages::mapping),
        )
        .add(
            Method::POST,
            "/customers/import/{id}/mapping",
            Needs(Customers),
            "Save an import's mapping (and a mapping template)",
            post(pages::save_mapping),
        )
        .add(
            Method::POST,
            "/customers/import/{id}/fixes",
            Needs(Customers),
            "Correct rows of an import in place",
            post(pages::save_fixes),
        )
        .add(
            Method::POST,
            "/customers/import/{id}/run",
            Needs(Customers),
            "Run an import (all rows or none)",
            post(pages::run),
        )
}

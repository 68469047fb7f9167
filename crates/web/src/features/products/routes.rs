//! The routes of the catalog: everyone signed in views products and uses the picker;
//! holders of `products` change the catalog and import; holders of `export` export.

use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::routing::{get, post, put};
use wharf_core::Permission::{Export, Products};
use wharf_core::policy::Access::{Needs, SignedIn};

use super::{api, export, files, form, import, list, pick, show};
use crate::app::Routes;

pub fn routes(routes: Routes) -> Routes {
    routes
        .add(Method::GET, "/products", SignedIn, "Products", get(list::list))
        .add(Method::POST, "/products", Needs(Products), "Create a product", post(form::create))
        .add(Method::GET, "/products/new", Needs(Products), "New product", get(form::new))
        .add(
            Method::GET,
            "/products/pick",
            SignedIn,
            "Product picker (?q=&currency=&qty=): JSON items with the tier unit price",
            get(pick::pick),
        )
        .add(Method::GET, "/products/export", Needs(Export), "Export products as xlsx", get(export::export))
        .add(Method::GET, "/products/import", Needs(Products), "Import products", get(import::form))
        .add(
            Method::POST,
            "/products/import",
            Needs(Products),
            "Upload and check a product file",
            post(import::upload).layer(DefaultBodyLimit::max(import::MAX_FILE_BYTES + 1024 * 1024)),
        )
        .add(Method::POST, "/products/import/run", Needs(Products), "Import the checked product file", post(import::run))
        .add(
            Method::GET,
            "/products/import/template",
            Needs(Products),
            "The product import template",
            get(import::template),
        )
        .add(Method::GET, "/products/{id}", SignedIn, "A product", get(show::show))
        .add(Method::POST, "/products/{id}", Needs(Products), "Change a product", post(form::update))
        .add(Method::GET, "/products/{id}/edit", Needs(Products), "Edit a product", get(form::edit))
        .add(Method::POST, "/products/{id}/archive", Needs(Products), "Archive a product", post(form::archive))
        .add(Method::POST, "/products/{id}/restore", Needs(Products), "Restore a product", post(form::restore))
        .add(
            Method::POST,
            "/products/{id}/files",
            Needs(Products),
            "Add pictures or documents to a product",
            post(files::upload).layer(DefaultBodyLimit::max(files::MAX_DOCUMENT_BYTES + 1024 * 1024)),
        )
        .add(Method::GET, "/products/files/{id}", SignedIn, "A product's picture or document", get(files::download))
        .add(
            Method::POST,
            "/products/files/{id}/delete",
            Needs(Products),
            "Delete a product's picture or document",
            post(files::delete),
        )
        .add(
            Method::GET,
            "/api/v1/products",
            SignedIn,
            "List products (?q=&type_id=&currency=&status=active|archived|all&page=)",
            get(api::list),
        )
        .add(
            Method::POST,
            "/api/v1/products",
            Needs(Products),
            "Create a product: {name_en, name_zh, model, type_id, spec, unit, hs_code, moq, lead_time_days, description, active, tiers: [{currency, min_qty, unit_price}]} (decimal strings)",
            post(api::create),
        )
        .add(Method::GET, "/api/v1/products/{id}", SignedIn, "One product with its price tiers", get(api::get))
        .add(Method::PUT, "/api/v1/products/{id}", Needs(Products), "Change a product", put(api::update))
        .add(
            Method::PUT,
            "/api/v1/products/{id}/active",
            Needs(Products),
            "Archive or restore a product: {active: bool}",
            put(api::set_active),
        )
}
